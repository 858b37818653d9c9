"""The checkers of notebook 12 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import pytest
from checker_helpers import fails, passes
from scipy.stats import rankdata

# --- 12.1 ------------------------------------------------------------------------------------

def confusion(y_true, y_pred, labels):
    labels = np.asarray(labels)
    order = np.argsort(labels)
    i = order[np.searchsorted(labels[order], y_true)]
    j = order[np.searchsorted(labels[order], y_pred)]
    K = len(labels)
    return np.bincount(K * i + j, minlength=K * K).reshape(K, K)


def confusion_with_unique(y_true, y_pred, labels):
    labels = np.asarray(labels)
    K = len(labels)
    values, inverse = np.unique(np.r_[labels, y_true, y_pred], return_inverse=True)
    position = np.empty(len(values), dtype=int)
    position[inverse[:K]] = np.arange(K)
    code = position[inverse[K:]]
    i, j = code[: len(y_true)], code[len(y_true):]
    return np.bincount(K * i + j, minlength=K * K).reshape(K, K)


def loop(y_true, y_pred, labels):
    labels = list(labels)
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        cm[labels.index(t), labels.index(p)] += 1
    return cm


def test_12_1_right_answers_pass():
    passes("12.1", confusion)
    passes("12.1", confusion_with_unique)
    passes("12.1", loop)  # the task does not ask for speed: a plain loop is right too


def test_12_1_wrong_answers_fail():
    def transposed(y_true, y_pred, labels):
        return confusion(y_true, y_pred, labels).T

    def sklearn_shortcut(y_true, y_pred, labels):
        from sklearn.metrics import confusion_matrix

        return confusion_matrix(y_true, y_pred, labels=labels)

    def course_shortcut(y_true, y_pred, labels):
        from mlcourse.metrics import confusion_matrix

        return confusion_matrix(y_true, y_pred, labels=labels)

    def sorted_labels(y_true, y_pred, labels):  # ignores the order asked for
        return confusion(y_true, y_pred, sorted(labels))

    def seen_labels_only(y_true, y_pred, labels):  # drops a label that never occurs
        return confusion(y_true, y_pred, np.unique(np.r_[y_true, y_pred]))

    def in_place(y_true, y_pred, labels):
        labels.sort()  # changes the caller's list
        return confusion(y_true, y_pred, labels)

    fails("12.1", transposed, "swapped")
    fails("12.1", sklearn_shortcut, "sklearn")
    fails("12.1", course_shortcut, "mlcourse.metrics")
    fails("12.1", sorted_labels, "Hint")
    fails("12.1", seen_labels_only, "shape")
    fails("12.1", in_place, "labels")


# --- 12.2 ------------------------------------------------------------------------------------

def macro_f1(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = np.union1d(y_true, y_pred)
    t = y_true[:, None] == classes
    p = y_pred[:, None] == classes
    tp = (t & p).sum(axis=0)
    return float(np.mean(2 * tp / (t.sum(axis=0) + p.sum(axis=0))))


def macro_f1_from_precision_recall(y_true, y_pred):
    scores = []
    for k in np.union1d(y_true, y_pred):  # a loop over classes is fine
        tp = np.sum((y_true == k) & (y_pred == k))
        precision = tp / max(np.sum(y_pred == k), 1)
        recall = tp / max(np.sum(y_true == k), 1)
        scores.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return np.mean(scores)


def test_12_2_right_answers_pass():
    passes("12.2", macro_f1)
    passes("12.2", macro_f1_from_precision_recall)


def test_12_2_wrong_answers_fail():
    def micro(y_true, y_pred):
        return np.mean(np.asarray(y_true) == np.asarray(y_pred))

    def weighted(y_true, y_pred):
        classes = np.union1d(y_true, y_pred)
        t = np.asarray(y_true)[:, None] == classes
        p = np.asarray(y_pred)[:, None] == classes
        f1 = 2 * (t & p).sum(axis=0) / (t.sum(axis=0) + p.sum(axis=0))
        return np.average(f1, weights=t.sum(axis=0))

    def true_classes_only(y_true, y_pred):
        classes = np.unique(y_true)
        t = np.asarray(y_true)[:, None] == classes
        p = np.asarray(y_pred)[:, None] == classes
        return np.mean(2 * (t & p).sum(axis=0) / (t.sum(axis=0) + p.sum(axis=0)))

    def nan_on_zero_division(y_true, y_pred):
        classes = np.union1d(y_true, y_pred)
        t = np.asarray(y_true)[:, None] == classes
        p = np.asarray(y_pred)[:, None] == classes
        tp = (t & p).sum(axis=0)
        with np.errstate(all="ignore"):
            precision, recall = tp / p.sum(axis=0), tp / t.sum(axis=0)
            return np.mean(2 * precision * recall / (precision + recall))

    def sklearn_shortcut(y_true, y_pred):
        from sklearn.metrics import f1_score

        return f1_score(y_true, y_pred, average="macro", zero_division=0)

    fails("12.2", micro, "accuracy")
    fails("12.2", weighted, "weighted")
    fails("12.2", true_classes_only, "union1d")
    fails("12.2", nan_on_zero_division, "F1 = 0")
    fails("12.2", sklearn_shortcut, "sklearn")


# --- 12.3 ------------------------------------------------------------------------------------

def auc_by_ranks(y_true, score):
    y_true = np.asarray(y_true)
    ranks = rankdata(score)
    n_pos = y_true.sum()
    n_neg = len(y_true) - n_pos
    return (ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def auc_by_pairs(y_true, score):
    pos, neg = score[y_true == 1], score[y_true == 0]
    return np.mean((pos[:, None] > neg) + 0.5 * (pos[:, None] == neg))


def test_12_3_right_answers_pass():
    passes("12.3", auc_by_ranks)
    passes("12.3", auc_by_pairs)


def test_12_3_wrong_answers_fail():
    def ties_ignored(y_true, score):
        ranks = np.argsort(np.argsort(score)) + 1
        n_pos = y_true.sum()
        n_neg = len(y_true) - n_pos
        return (ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)

    def flipped(y_true, score):
        return 1 - auc_by_ranks(y_true, score)

    def sklearn_shortcut(y_true, score):
        from sklearn.metrics import roc_auc_score

        return roc_auc_score(y_true, score)

    def mann_whitney(y_true, score):
        from scipy.stats import mannwhitneyu

        u = mannwhitneyu(score[y_true == 1], score[y_true == 0]).statistic
        return u / ((y_true == 1).sum() * (y_true == 0).sum())

    def strict_only(y_true, score):  # ties count as losses
        pos, neg = score[y_true == 1], score[y_true == 0]
        return np.mean(pos[:, None] > neg)

    fails("12.3", ties_ignored, "tie")
    fails("12.3", flipped, "higher")
    fails("12.3", sklearn_shortcut, "sklearn")
    fails("12.3", mann_whitney, "mannwhitneyu")
    fails("12.3", strict_only, "tie")


# --- 12.4 ------------------------------------------------------------------------------------

def bayes_threshold(y_val, p_val, cost_fp, cost_fn):
    return cost_fp / (cost_fp + cost_fn)


def cheapest_on_validation(y_val, p_val, cost_fp, cost_fn):
    candidates = np.unique(p_val)
    order = np.argsort(p_val)
    y_sorted = y_val[order]
    # flag p >= candidate: false negatives are the positives below it
    below = np.searchsorted(p_val[order], candidates, side="left")
    fn = np.r_[0, np.cumsum(y_sorted)][below]
    fp = (len(y_val) - y_sorted.sum()) - (below - np.r_[0, np.cumsum(y_sorted)][below])
    return candidates[np.argmin(cost_fp * fp + cost_fn * fn)]


def test_12_4_right_answers_pass():
    passes("12.4", bayes_threshold)
    passes("12.4", cheapest_on_validation)


def test_12_4_wrong_answers_fail():
    fails("12.4", lambda y, p, cost_fp, cost_fn: 0.5, "0.5 would cost")
    fails("12.4", lambda y, p, cost_fp, cost_fn: cost_fn / (cost_fp + cost_fn), "swapped")

    def best_accuracy(y_val, p_val, cost_fp, cost_fn):  # ignores the costs
        return cheapest_on_validation(y_val, p_val, 1.0, 1.0)

    def prevalence(y_val, p_val, cost_fp, cost_fn):
        return y_val.mean()

    fails("12.4", best_accuracy, "Hint")
    fails("12.4", prevalence, "Hint")


# --- 12.5 ------------------------------------------------------------------------------------

def reliability_table(y_true, proba, n_bins=10):
    bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    keep = counts > 0
    mean_predicted = np.bincount(bins, weights=proba, minlength=n_bins)[keep] / counts[keep]
    fraction = np.bincount(bins, weights=y_true, minlength=n_bins)[keep] / counts[keep]
    return mean_predicted, fraction


def reliability_with_digitize(y_true, proba, n_bins=10):
    edges = np.linspace(0, 1, n_bins + 1)
    bins = np.clip(np.digitize(proba, edges[1:-1]), 0, n_bins - 1)
    means, fractions = [], []
    for b in range(n_bins):  # a loop over bins is fine
        inside = bins == b
        if inside.any():
            means.append(proba[inside].mean())
            fractions.append(y_true[inside].mean())
    return np.array(means), np.array(fractions)


def test_12_5_right_answers_pass():
    passes("12.5", reliability_table)
    passes("12.5", reliability_with_digitize)


def test_12_5_wrong_answers_fail():
    def swapped(y_true, proba, n_bins=10):
        return reliability_table(y_true, proba, n_bins)[::-1]

    def one_loses_its_bin(y_true, proba, n_bins=10):
        bins = (proba * n_bins).astype(int)  # p = 1.0 makes an extra bin
        counts = np.bincount(bins)
        keep = counts > 0
        return (np.bincount(bins, weights=proba)[keep] / counts[keep],
                np.bincount(bins, weights=y_true)[keep] / counts[keep])

    def empty_bins_kept(y_true, proba, n_bins=10):
        bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
        counts = np.maximum(np.bincount(bins, minlength=n_bins), 1)
        return (np.bincount(bins, weights=proba, minlength=n_bins) / counts,
                np.bincount(bins, weights=y_true, minlength=n_bins) / counts)

    def bin_centres(y_true, proba, n_bins=10):
        bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
        counts = np.bincount(bins, minlength=n_bins)
        keep = counts > 0
        return ((np.arange(n_bins) + 0.5)[keep] / n_bins,
                np.bincount(bins, weights=y_true, minlength=n_bins)[keep] / counts[keep])

    def sklearn_shortcut(y_true, proba, n_bins=10):
        from sklearn.calibration import calibration_curve

        fraction, mean_predicted = calibration_curve(y_true, proba, n_bins=n_bins)
        return mean_predicted, fraction

    fails("12.5", swapped, "swapped")
    fails("12.5", one_loses_its_bin, "Hint")
    fails("12.5", empty_bins_kept, "empty bins")
    fails("12.5", bin_centres, "mean predicted")
    fails("12.5", sklearn_shortcut, "sklearn")


# --- 12.7 ------------------------------------------------------------------------------------

def paired_difference_interval(y, pred_a, pred_b, n_resamples, seed):
    rng = np.random.default_rng(seed)
    correct_a, correct_b = pred_a == y, pred_b == y
    diffs = np.empty(n_resamples)
    for r in range(n_resamples):
        rows = rng.integers(0, len(y), len(y))
        diffs[r] = correct_a[rows].mean() - correct_b[rows].mean()
    low, high = np.percentile(diffs, [2.5, 97.5])
    return low, high


def paired_on_the_difference(y, pred_a, pred_b, n_resamples, seed):
    rng = np.random.default_rng(seed)
    d = (pred_a == y).astype(float) - (pred_b == y)  # one difference per row
    idx = rng.integers(0, len(y), size=(n_resamples, len(y)))
    return tuple(np.quantile(d[idx].mean(axis=1), [0.025, 0.975]))


def test_12_7_right_answers_pass():
    passes("12.7", paired_difference_interval)
    passes("12.7", paired_on_the_difference)


def test_12_7_wrong_answers_fail():
    def unpaired(y, pred_a, pred_b, n_resamples, seed):
        rng = np.random.default_rng(seed)
        n = len(y)
        ia, ib = rng.integers(0, n, (n_resamples, n)), rng.integers(0, n, (n_resamples, n))
        diff = (pred_a[ia] == y[ia]).mean(axis=1) - (pred_b[ib] == y[ib]).mean(axis=1)
        return tuple(np.quantile(diff, [0.025, 0.975]))

    def reversed_difference(y, pred_a, pred_b, n_resamples, seed):
        return paired_difference_interval(y, pred_b, pred_a, n_resamples, seed)

    def normal_interval_on_one_model(y, pred_a, pred_b, n_resamples, seed):
        acc = np.mean(pred_a == y)
        se = np.sqrt(acc * (1 - acc) / len(y))
        return acc - 1.96 * se, acc + 1.96 * se

    def library_shortcut(y, pred_a, pred_b, n_resamples, seed):
        from mlcourse.metrics import accuracy_score
        from mlcourse.model_selection import paired_bootstrap_interval

        r = paired_bootstrap_interval(accuracy_score, y, pred_a, pred_b,
                                      n_resamples=n_resamples, random_state=seed)
        return r.low, r.high

    def ninety_percent(y, pred_a, pred_b, n_resamples, seed):
        low_high = paired_on_the_difference(y, pred_a, pred_b, n_resamples, seed)
        rng = np.random.default_rng(seed)
        d = (pred_a == y).astype(float) - (pred_b == y)
        idx = rng.integers(0, len(y), size=(n_resamples, len(y)))
        assert low_high
        return tuple(np.quantile(d[idx].mean(axis=1), [0.25, 0.75]))

    fails("12.7", unpaired, "times as wide")
    fails("12.7", reversed_difference, "accuracy(a) - accuracy(b)")
    fails("12.7", normal_interval_on_one_model)
    fails("12.7", library_shortcut, "mlcourse.model_selection")
    fails("12.7", ninety_percent, "quantiles")


# --- 12.6 ------------------------------------------------------------------------------------

def r2_weighted(y_true, y_pred, sample_weight=None):
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
    ss_res = np.sum(w * (y_true - y_pred) ** 2)
    ss_tot = np.sum(w * (y_true - np.average(y_true, weights=w)) ** 2)
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return 1 - ss_res / ss_tot


def test_12_6_right_answer_passes():
    passes("12.6", r2_weighted)


@pytest.mark.parametrize("mistake", ["plain mean", "no constant rule", "correlation", "sklearn"])
def test_12_6_wrong_answers_fail(mistake):
    def plain_mean(y_true, y_pred, sample_weight=None):
        w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
        ss_tot = np.sum(w * (y_true - y_true.mean()) ** 2)
        if ss_tot == 0:
            return 1.0 if np.all(y_true == y_pred) else 0.0
        return 1 - np.sum(w * (y_true - y_pred) ** 2) / ss_tot

    def no_constant_rule(y_true, y_pred, sample_weight=None):
        w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
        with np.errstate(all="ignore"):
            return 1 - np.sum(w * (y_true - y_pred) ** 2) / np.sum(
                w * (y_true - np.average(y_true, weights=w)) ** 2)

    def correlation(y_true, y_pred, sample_weight=None):
        return np.corrcoef(y_true, y_pred)[0, 1] ** 2

    def sklearn_shortcut(y_true, y_pred, sample_weight=None):
        from sklearn.metrics import r2_score

        return r2_score(y_true, y_pred, sample_weight=sample_weight)

    answers = {"plain mean": (plain_mean, "weighted mean"),
               "no constant rule": (no_constant_rule, "constant"),
               "correlation": (correlation, "Hint"),
               "sklearn": (sklearn_shortcut, "sklearn")}
    answer, fragment = answers[mistake]
    fails("12.6", answer, fragment)
