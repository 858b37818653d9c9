"""Checkers for notebook 12_model_evaluation.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference computed in the check: scikit-learn's metric, a brute-force count, or the
true expected cost on a large sample from the same distribution.
"""

from __future__ import annotations

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import f1_score, r2_score

from mlcourse.exercises._core import (
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, forbidden_calls

_METRIC_LIBRARIES = ("sklearn", "mlcourse.metrics")
_FROM_SCRATCH = "write it yourself with NumPy, as the task says"


# --- 12.1 confusion matrix -------------------------------------------------------------------

def _reference_confusion(y_true, y_pred, labels):
    labels = list(labels)
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        cm[labels.index(t), labels.index(p)] += 1
    return cm


@exercise("12.1", "A confusion matrix for any labels")
def check_confusion(confusion):
    rng = rng_for()
    words = np.array(["low", "medium", "high", "unknown"])
    cases = [
        (rng.integers(0, 2, 50), rng.integers(0, 2, 50), [0, 1]),
        (rng.integers(0, 3, 200), rng.integers(0, 3, 200), [2, 0, 1]),  # labels not sorted
        (words[rng.integers(0, 3, 120)], words[rng.integers(0, 3, 120)],
         ["low", "medium", "high", "unknown"]),  # "unknown" never occurs
        (np.array([1, 1, 1]), np.array([1, 1, 1]), [0, 1]),
    ]
    for y_true, y_pred, labels in cases:
        with forbidden_calls(*_METRIC_LIBRARIES, why=_FROM_SCRATCH):
            got = call_unmutated(confusion, y_true, y_pred, labels, what="confusion")
        got = as_array(got, "Your confusion matrix")
        expected = _reference_confusion(y_true, y_pred, labels)
        if got.shape == expected.shape and np.array_equal(got, expected.T):
            expect(np.array_equal(got, expected),
                   "Rows and columns are swapped: rows are the true class, columns the "
                   "predicted one (C[i, j] = rows of true class labels[i] predicted as "
                   "labels[j]).")
        expect_close(got, expected, f"For labels {labels}, the confusion matrix",
                     "Hint: turn each label into its position in `labels` (a dict, or "
                     "np.searchsorted on the sorted labels), then np.bincount(K * i + j, "
                     "minlength=K * K).reshape(K, K).")
    return ("Right for integer and string labels in any order, with a label that never "
            "occurs, without changing the inputs.")


# --- 12.2 macro F1 ---------------------------------------------------------------------------

@exercise("12.2", "Macro-averaged F1 from scratch")
def check_macro_f1(macro_f1):
    rng = rng_for()
    animals = np.array(["cat", "dog", "emu", "fox"])
    y = rng.integers(0, 4, 400)
    never_predicted = np.where(rng.random(400) < 0.7, y, rng.integers(0, 3, 400))
    never_predicted[never_predicted == 3] = 0
    imbalanced = np.where(rng.random(400) < 0.9, 0, rng.integers(1, 3, 400))
    cases = [
        ("three classes, some errors", rng.integers(0, 3, 300), rng.integers(0, 3, 300)),
        ("a class that is never predicted", y, never_predicted),
        ("a class that only appears among the predictions", never_predicted, y),
        ("an imbalanced problem", imbalanced,
         np.where(rng.random(400) < 0.8, imbalanced, 0)),
        ("string labels", animals[y], animals[never_predicted]),
    ]
    for what, y_true, y_pred in cases:
        expected = f1_score(y_true, y_pred, average="macro", zero_division=0)
        with forbidden_calls(*_METRIC_LIBRARIES, why=_FROM_SCRATCH):
            got = call_unmutated(macro_f1, y_true, y_pred, what="macro_f1")
        got = float(as_array(got, "Your macro F1"))
        hints = []
        if np.isclose(got, np.mean(y_true == y_pred)):
            hints.append("You returned the accuracy, which is what micro-averaging gives for "
                         "single-label data. Macro means: one F1 per class, then their plain "
                         "mean.")
        if np.isnan(got):
            hints.append("A class with no true positive has F1 = 0 (2 tp / (2 tp + fp + fn) "
                         "avoids 0/0 whenever the class appears at all).")
        weighted = f1_score(y_true, y_pred, average="weighted", zero_division=0)
        if np.isclose(got, weighted) and not np.isclose(weighted, expected):
            hints.append("That is the support-weighted mean; macro gives every class the "
                         "same weight.")
        only_true = f1_score(y_true, y_pred, average="macro", zero_division=0,
                             labels=np.unique(y_true))
        if np.isclose(got, only_true) and not np.isclose(only_true, expected):
            hints.append("Take the classes from y_true and y_pred together (np.union1d): a "
                         "class that is only ever predicted counts too, with F1 = 0.")
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"For {what} the macro F1 is {expected:.6f}, you returned {got:.6f}. "
               + (" ".join(hints) or "Hint: per class k, tp = sum((y_true == k) & (y_pred == "
                                     "k)); F1_k = 2 tp / (2 tp + fp + fn); then the mean."))
    return ("Right: one F1 per class seen in either vector, a plain mean, 0 for a class with "
            "no true positive; checked on string labels and classes never predicted.")


# --- 12.3 ROC AUC by ranks -------------------------------------------------------------------

def _reference_auc(y, s):
    pos, neg = s[y == 1], s[y == 0]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return (greater + 0.5 * ties) / (len(pos) * len(neg))


@exercise("12.3", "ROC AUC as a ranking probability")
def check_auc(auc_by_ranks):
    rng = rng_for()
    cases = []
    y = rng.integers(0, 2, 500)
    cases.append(("continuous scores", y, rng.normal(size=500) + y))
    y = rng.integers(0, 2, 800)
    cases.append(("scores with many ties", y, np.round(rng.random(800) + 0.3 * y, 1)))
    y = (rng.random(300) < 0.05).astype(int)
    y[:2] = 1
    cases.append(("a rare positive class", y, rng.integers(0, 5, 300) + y))
    cases.append(("every score tied", np.array([0, 1, 1, 0, 1]), np.full(5, 0.7)))
    cases.append(("a perfectly wrong ranking", np.array([1, 1, 0, 0]),
                  np.array([0.1, 0.2, 0.3, 0.4])))
    for what, y, s in cases:
        expected = _reference_auc(y, s)
        with forbidden_calls(*_METRIC_LIBRARIES, "scipy.stats.mannwhitneyu",
                             why="compute it from the ranks yourself, as the task says"):
            got = call_unmutated(auc_by_ranks, y, s, what="auc_by_ranks")
        got = float(as_array(got, "Your AUC"))
        hint = "Hint: " + (
            "1 - your answer is right: positives should be the rows with the *higher* scores."
            if np.isclose(1 - got, expected) else
            "tied scores need the average rank (scipy.stats.rankdata does it), and a tie "
            "between a positive and a negative counts one half."
            if "tie" in what else
            "AUC = (sum of the positives' ranks - n_pos (n_pos + 1) / 2) / (n_pos n_neg), "
            "ranks starting at 1.")
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"For {what} the AUC is {expected:.6f}, you returned {got:.6f}. {hint}")
    return ("Right, ties included: the AUC is the chance that a random positive outscores a "
            "random negative.")


# --- 12.4 threshold from costs (judgement) ---------------------------------------------------

def _calibrated_sample(rng, n, a, b):
    p = rng.beta(a, b, n)
    return (rng.random(n) < p).astype(int), p


def _cost_per_row(y, p, threshold, cost_fp, cost_fn):
    flagged = p >= threshold
    return (cost_fp * np.sum(flagged & (y == 0)) + cost_fn * np.sum(~flagged & (y == 1))) / len(y)


@exercise("12.4", "Pick the threshold from the costs")
def check_threshold(pick_threshold):
    rng = rng_for()
    situations = [
        ("missing a positive costs 5, a false alarm 1 (credit)", 1.0, 5.0, 2, 5),
        ("missing a positive costs 40, a false alarm 1 (fraud)", 1.0, 40.0, 1, 12),
        ("a false alarm costs 8, missing a positive 1 (costly intervention)", 8.0, 1.0, 3, 2),
        ("both errors cost the same", 1.0, 1.0, 2, 2),
    ]
    for what, cost_fp, cost_fn, a, b in situations:
        y_val, p_val = _calibrated_sample(rng, 3000, a, b)
        y_new, p_new = _calibrated_sample(rng, 200_000, a, b)
        got = call_unmutated(pick_threshold, y_val, p_val, cost_fp, cost_fn,
                             what="pick_threshold")
        threshold = float(as_array(got, "Your threshold"))
        # with calibrated probabilities the best rule flags p >= cost_fp / (cost_fp + cost_fn)
        best = _cost_per_row(y_new, p_new, cost_fp / (cost_fp + cost_fn), cost_fp, cost_fn)
        yours = _cost_per_row(y_new, p_new, threshold, cost_fp, cost_fn)
        at_half = _cost_per_row(y_new, p_new, 0.5, cost_fp, cost_fn)
        hint = ("Hint: flag a row when the expected cost of letting it pass, p * cost_fn, is "
                "larger than that of flagging it, (1 - p) * cost_fp; or try every candidate "
                "threshold on the validation rows and keep the cheapest.")
        if np.isclose(threshold, cost_fn / (cost_fp + cost_fn)) and cost_fp != cost_fn:
            hint = "Hint: the costs are swapped: a higher cost_fn should lower the threshold."
        expect(yours <= best * 1.05 + 1e-4,
               f"With {what}, your threshold {threshold:.3f} costs {yours:.4f} per new row; "
               f"the best threshold costs {best:.4f} (0.5 would cost {at_half:.4f}). {hint}")
    return ("On 200,000 new rows your thresholds cost within 5 % of the cost-optimal rule, "
            "for four cost ratios.")


# --- 12.5 reliability table ------------------------------------------------------------------

@exercise("12.5", "The numbers behind a reliability diagram")
def check_reliability(reliability_table):
    rng = rng_for()
    cases = []
    p = rng.random(2000) ** 2
    cases.append(("2,000 over-confident probabilities", (rng.random(2000) < np.sqrt(p)), p, 10))
    p = rng.beta(0.5, 0.5, 1000)
    p[:5] = [0.0, 1.0, 1.0, 0.0, 1.0]  # the two ends: 1.0 belongs to the last bin
    cases.append(("probabilities that include 0 and 1", rng.random(1000) < p, p, 5))
    p = rng.uniform(0.02, 0.38, 500)  # bins above 0.4 stay empty
    cases.append(("probabilities below 0.4 only (empty bins)", rng.random(500) < p, p, 10))
    for what, y, p, n_bins in cases:
        y = y.astype(int)
        fraction, mean_predicted = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
        with forbidden_calls("sklearn", "mlcourse.metrics", why=_FROM_SCRATCH):
            got = call_unmutated(reliability_table, y, p, n_bins, what="reliability_table")
        mine_pred, mine_frac = unpack(got, ("mean_predicted", "fraction_positive"))
        mine_pred = as_array(mine_pred, "mean_predicted")
        mine_frac = as_array(mine_frac, "fraction_positive")
        if (mine_pred.shape == (n_bins,)) and mean_predicted.shape != (n_bins,):
            expect(False, f"For {what} you returned {n_bins} bins; leave out the empty bins "
                          "(their mean is undefined).")
        if mine_pred.shape == mean_predicted.shape and np.allclose(mine_pred, fraction):
            expect(False, "The two arrays are swapped: first the mean predicted probability "
                          "of each bin, then the fraction of positives in it.")
        hint = ("Hint: bin = np.minimum((p * n_bins).astype(int), n_bins - 1) keeps p = 1.0 "
                "in the last bin; then np.bincount(bin, weights=p) / counts and "
                "np.bincount(bin, weights=y) / counts, keeping counts > 0.")
        expect_close(mine_pred, mean_predicted, f"For {what}, the mean predicted probability "
                     "per bin", hint)
        expect_close(mine_frac, fraction, f"For {what}, the fraction of positives per bin",
                     hint)
    return ("Right: equal-width bins, empty ones left out, p = 1 in the last bin, the same "
            "numbers as sklearn.calibration.calibration_curve.")


# --- 12.7 paired bootstrap -------------------------------------------------------------------

def _reference_paired(y, a, b, n_resamples, rng):
    per_row = (a == y).astype(float) - (b == y)  # the difference is a mean over rows
    means = [per_row[rng.integers(0, len(y), size=(500, len(y)))].mean(axis=1)
             for _ in range(n_resamples // 500)]
    return np.quantile(np.concatenate(means), [0.025, 0.975])


@exercise("12.7", "A paired bootstrap interval for the difference of two models")
def check_paired(paired_difference_interval):
    rng = rng_for()
    for n, extra_errors in ((500, 0.04), (1000, 0.02)):
        y = rng.integers(0, 3, n)
        a = np.where(rng.random(n) < 0.2, rng.integers(0, 3, n), y)
        b = np.where(rng.random(n) < extra_errors, (a + 1) % 3, a)  # b errs where a does, and more
        low, high = _reference_paired(y, a, b, 5000, rng)
        with forbidden_calls("mlcourse.model_selection", "scipy.stats.bootstrap",
                             why="write the resampling loop yourself, as the task says"):
            got = call_unmutated(paired_difference_interval, y, a, b, 1000, 7,
                                 what="paired_difference_interval")
        g_low, g_high = (float(as_array(v, "an end of the interval"))
                         for v in unpack(got, ("low", "high")))
        width = high - low
        expect(g_low < g_high, f"Your interval ({g_low:.4f}, {g_high:.4f}) is empty or "
                               "reversed: return (low, high).")
        if abs(-g_high - low) < 0.2 * width and abs(-g_low - high) < 0.2 * width:
            expect(False, "Your interval is for accuracy(b) - accuracy(a); the task asks for "
                          "accuracy(a) - accuracy(b).")
        expect(g_high - g_low < 1.4 * width,
               f"With {n} rows the paired 95 % interval is about ({low:.4f}, {high:.4f}), "
               f"width {width:.4f}; yours, ({g_low:.4f}, {g_high:.4f}), is "
               f"{(g_high - g_low) / width:.1f} times as wide. Hint: draw one set of row "
               "positions per resample and score both models on those same rows; resampling "
               "each model separately throws away the pairing.")
        tolerance = 0.25 * width
        expect(abs(g_low - low) < tolerance and abs(g_high - high) < tolerance,
               f"With {n} rows the paired 95 % interval is about ({low:.4f}, {high:.4f}); "
               f"yours is ({g_low:.4f}, {g_high:.4f}). Hint: resample the row positions with "
               "replacement (rng.integers(0, n, n)), compute accuracy(a) - accuracy(b) on "
               "them, and take the 2.5 % and 97.5 % quantiles of those differences.")
    return ("Right: your interval matches the paired percentile bootstrap (within Monte-Carlo "
            "error) on two simulated comparisons.")


# --- 12.6 weighted R² ------------------------------------------------------------------------

@exercise("12.6", "Weighted R² and constant targets")
def check_r2(r2_weighted):
    rng = rng_for()
    y = rng.normal(50, 10, 300)
    pred = y + rng.normal(0, 6, 300)
    w = rng.exponential(1.0, 300)
    w[y > 55] *= 6  # heavy weights on the high targets: the weighted mean differs
    constant = np.full(40, 3.5)
    cases = [
        ("no weights", y, pred, None),
        ("sample weights", y, pred, w),
        ("integer weights, some zero", y, pred, rng.integers(0, 4, 300)),
        ("a model worse than the mean", y, np.full(300, 80.0), w),
        ("a constant target, predicted exactly", constant, constant.copy(), None),
        ("a constant target, predicted with an error", constant, constant + 0.25, None),
    ]
    for what, y_true, y_pred, weight in cases:
        expected = r2_score(y_true, y_pred, sample_weight=weight)
        with forbidden_calls(*_METRIC_LIBRARIES, why=_FROM_SCRATCH):
            got = call_unmutated(r2_weighted, y_true, y_pred, weight, what="r2_weighted")
        got = float(as_array(got, "Your R²"))
        hint = ("Hint: R² = 1 - sum w (y - yhat)² / sum w (y - ybar_w)², with "
                "ybar_w = np.average(y, weights=w).")
        if "constant" in what:
            hint = ("Hint: when every target is the same the denominator is 0: scikit-learn "
                    "returns 1.0 for a perfect prediction and 0.0 otherwise.")
        elif weight is not None:
            plain_mean = 1 - np.sum(weight * (y_true - y_pred) ** 2) / np.sum(
                weight * (y_true - y_true.mean()) ** 2)
            if np.isclose(got, plain_mean):
                hint = ("Hint: the mean in the denominator must be the weighted mean, "
                        "np.average(y_true, weights=w).")
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"With {what} R² is {expected:.6f}; you returned {got:.6f}. {hint}")
    return ("Right, with and without weights, for a model worse than the mean and for "
            "constant targets.")
