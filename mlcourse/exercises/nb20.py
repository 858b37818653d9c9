"""Checkers for notebook 20_responsible_ml.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference computed in the check (a plain loop over groups, rows or repeats), or, for
the random noise of 20.5, with the distribution the task asks for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from mlcourse.exercises._core import ExerciseFailed, as_array, exercise, expect, rng_for
from mlcourse.exercises._guards import call_unmutated, forbidden_calls

_FAIRNESS_LIBRARIES = ("fairlearn", "sklearn", "mlcourse.metrics")


# --- 20.1 weighted demographic parity ratio --------------------------------------------------

def _weighted_rates(y_pred, groups, weights):
    rates = {}
    for group in pd.unique(np.asarray(groups, dtype=object)):
        rows = np.asarray(groups, dtype=object) == group
        rates[group] = np.sum(weights[rows] * (y_pred[rows] == 1)) / np.sum(weights[rows])
    return np.array(list(rates.values()))


@exercise("20.1", "Demographic parity ratio with census weights")
def check_weighted_parity_ratio(weighted_parity_ratio):
    rng = rng_for()
    regions = np.array(["north", "south", "east", "west"])
    cases = []
    g = rng.integers(0, 2, 600)
    cases.append(("two groups (0 and 1)", (rng.random(600) < 0.2 + 0.3 * g).astype(int), g,
                  rng.uniform(0.5, 5.0, 600)))
    g = rng.integers(0, 4, 900)
    cases.append(("four regions (strings)", (rng.random(900) < 0.1 + 0.15 * g).astype(int),
                  regions[g], rng.uniform(100.0, 400_000.0, 900)))
    g = rng.integers(0, 3, 300)
    y = (rng.random(300) < 0.4).astype(int)
    y[g == 2] = 0
    cases.append(("a group nobody in which is selected", y, regions[g], rng.uniform(1, 2, 300)))
    # weights that change the answer: the selected rows of group "a" count little
    g = np.repeat(["a", "b"], 200)
    y = np.tile([1, 0], 200)
    w = np.where((g == "a") & (y == 1), 0.2, 1.0)
    cases.append(("weights that matter", y, g, w))
    for what, y_pred, groups, weights in cases:
        rates = _weighted_rates(y_pred, groups, weights)
        expected = rates.min() / rates.max()
        with forbidden_calls(*_FAIRNESS_LIBRARIES,
                             why="compute the weighted selection rates yourself, as the "
                                 "task says"):
            got = call_unmutated(weighted_parity_ratio, y_pred, groups, weights,
                                 what="weighted_parity_ratio")
        got = float(as_array(got, "Your ratio"))
        unweighted = _weighted_rates(y_pred, groups, np.ones(len(y_pred)))
        if expected not in (0, 1) and np.isclose(got, 1 / expected):
            hint = "The ratio is inverted: smallest rate over largest, so it is at most 1."
        elif np.isclose(got, rates.max() - rates.min()) and not np.isclose(got, expected):
            hint = "That is the difference of the rates; the task asks for their ratio."
        elif (np.isclose(got, unweighted.min() / unweighted.max())
              and not np.isclose(got, expected)):
            hint = ("That is the unweighted ratio: each row stands for `weight` people, so a "
                    "group's rate is sum(w * selected) / sum(w) over its rows.")
        else:
            hint = ("Hint: per group, rate = sum(w * (y_pred == 1)) / sum(w); then "
                    "min(rates) / max(rates), over every group (np.unique with "
                    "return_inverse and np.bincount with weights do all groups at once).")
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"For {what} the ratio is {expected:.6f}, you returned {got:.6f}. {hint}")
    return ("Right on two to four groups, string labels, census-sized weights and a group with "
            "nobody selected, without fairlearn, scikit-learn or mlcourse.metrics and without "
            "changing the inputs.")


# --- 20.2 which mitigation to ship (judgement) -----------------------------------------------

_COLUMNS = ["accuracy", "DP difference", "EO difference", "needs sex at prediction"]


def _table(rows):
    return pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows],
                        columns=_COLUMNS).rename_axis("mitigation")


def _reference_choice(candidates, max_dp_difference, may_use_sex):
    best, best_accuracy = None, -np.inf
    for name, row in candidates.iterrows():
        if row["DP difference"] > max_dp_difference:
            continue
        if row["needs sex at prediction"] and not may_use_sex:
            continue
        if row["accuracy"] > best_accuracy:
            best, best_accuracy = name, row["accuracy"]
    return best


@exercise("20.2", "Choose the mitigation to ship")
def check_choose_mitigation(choose_mitigation):
    rng = rng_for()
    base = _table([
        ("none", 0.853, 0.173, 0.077, False),
        ("a threshold per group", 0.831, 0.003, 0.317, True),
        ("reweighing", 0.846, 0.091, 0.125, False),
        ("fair representation", 0.820, 0.020, 0.060, False),
    ])
    situations = [
        ("a gap of at most 0.05, sex may be used", base, 0.05, True),
        ("a gap of at most 0.05, the law forbids using sex at prediction time", base, 0.05,
         False),
        ("a gap of at most 0.10, sex may not be used", base, 0.10, False),
        ("no limit worth the name (1.0), sex may not be used", base, 1.0, False),
        ("a gap of at most 0.001: no candidate meets it", base, 0.001, True),
        ("a candidate exactly at the limit (0.091)", base, 0.091, False),
    ]
    for k in range(20):
        n = int(rng.integers(2, 7))
        rows = [(f"candidate {i}", round(float(rng.uniform(0.7, 0.9)), 4),
                 round(float(rng.uniform(0.0, 0.2)), 4), round(float(rng.uniform(0, 0.3)), 4),
                 bool(rng.random() < 0.4)) for i in range(n)]
        situations.append((f"random table {k + 1}", _table(rows),
                           round(float(rng.uniform(0.0, 0.2)), 3), bool(rng.random() < 0.5)))
    for what, candidates, limit, may_use_sex in situations:
        expected = _reference_choice(candidates, limit, may_use_sex)
        got = call_unmutated(choose_mitigation, candidates, limit, may_use_sex,
                             what="choose_mitigation")
        if got is not None and not isinstance(got, str):
            raise ExerciseFailed(f"Return the name of a mitigation (the table's index, a "
                                 f"string) or None; got {type(got).__name__} {got!r}.")
        if got == expected:
            continue
        if expected is None:
            hint = ("No candidate meets every constraint, so the answer is None: shipping a "
                    "model that breaks a stated limit is not an option.")
        elif got is None:
            hint = f"{expected!r} meets every constraint, so there is something to ship."
        else:
            row = candidates.loc[got] if got in candidates.index else None
            if row is None:
                hint = f"{got!r} is not one of the candidates ({list(candidates.index)})."
            elif row["DP difference"] > limit:
                hint = (f"{got!r} has a demographic parity difference of "
                        f"{row['DP difference']}, above the limit {limit}.")
            elif row["needs sex at prediction"] and not may_use_sex:
                hint = (f"{got!r} needs each person's sex when it predicts, which is not "
                        "allowed here.")
            else:
                hint = ("Among the candidates that meet both constraints, ship the most "
                        "accurate one.")
        expect(False, f"With {what}, the right choice is {expected!r}; you chose {got!r}. "
                      f"{hint}")
    return (f"Right in all {len(situations)} situations: the most accurate candidate within "
            "the parity limit (inclusive) and the rule on using sex, or None when none "
            "qualifies; the table was left unchanged.")


# --- 20.3 permutation importance, all repeats at once ----------------------------------------

def _counting_predict(w, threshold):
    """A fixed classifier ``[X @ w + 0.3 * x_0 * x_1 > t]`` and the list its calls go in."""
    calls = []

    def predict(X):
        calls.append(len(X))
        X = np.asarray(X, dtype=float)
        score = (X * w).sum(axis=1)  # row by row: the same bits however many rows are stacked
        return (score + 0.3 * X[:, 0] * X[:, 1] > threshold).astype(int)

    return predict, calls


def _reference_drops(predict, X, y, column, permutations):
    baseline = np.mean(predict(X) == y)
    drops = []
    for perm in permutations:
        shuffled = X.copy()
        shuffled[:, column] = X[perm, column]
        drops.append(baseline - np.mean(predict(shuffled) == y))
    return np.array(drops)


@exercise("20.3", "Permutation importance with one prediction for all repeats")
def check_permutation_drops(permutation_drops):
    rng = rng_for()
    cases = []
    for n, d, n_repeats, column in ((500, 4, 5, 0), (1200, 6, 8, 3), (300, 3, 1, 2)):
        X = rng.normal(size=(n, d))
        w = rng.normal(size=d)
        predict, _ = _counting_predict(w, 0.1)
        y = np.where(rng.random(n) < 0.85, predict(X), 1 - predict(X))
        permutations = np.array([rng.permutation(n) for _ in range(n_repeats)])
        cases.append((X, y, column, permutations, w))
    for X, y, column, permutations, w in cases:
        plain, _ = _counting_predict(w, 0.1)
        expected = _reference_drops(plain, X, y, column, permutations)
        predict, calls = _counting_predict(w, 0.1)
        got = call_unmutated(permutation_drops, predict, X, y, column, permutations,
                             what="permutation_drops")
        got = as_array(got, "Your drops")
        n_repeats = len(permutations)
        whole_rows = np.array([np.mean(plain(X) == y) - np.mean(plain(X[p]) == y)
                               for p in permutations])
        if got.shape == expected.shape and np.allclose(got, -expected) and np.any(expected):
            hint = "The sign is flipped: importance = baseline accuracy - shuffled accuracy."
        elif got.shape == expected.shape and np.allclose(got, whole_rows):
            hint = ("You shuffled whole rows (X[perm]); shuffle only the one column, "
                    "X[perm, column], and keep the others in place.")
        else:
            hint = ("Hint: stacked = np.tile(X, (n_repeats, 1)); stacked[:, column] = "
                    "X[permutations.ravel(), column]; one predict(stacked), then compare with "
                    "np.tile(y, n_repeats) and average each block of n rows.")
        expect(got.shape == expected.shape,
               f"Return one drop per repeat: shape {expected.shape}, got {got.shape}.")
        expect(np.allclose(got, expected, rtol=1e-9, atol=1e-12),
               f"With {n_repeats} repeats on column {column}, the drops are "
               f"{np.round(expected[:4], 4)}..., you returned {np.round(got[:4], 4)}.... {hint}")
        expect(len(calls) <= 2,
               f"Your function called predict {len(calls)} times for {n_repeats} repeats. "
               "The task asks for all repeats in one call: stack the shuffled copies "
               "(np.tile or np.concatenate) and predict them together, plus at most one call "
               "for the baseline.")
    return ("Right drops for each repeat, column and seed-given permutation, with predict "
            "called at most twice whatever the number of repeats, and the input left as it "
            "was.")


# --- 20.4 the rows that break k-anonymity ---------------------------------------------------

def _reference_sizes(frame, quasi):
    keys = [tuple("<missing>" if pd.isna(v) else v for v in row)
            for row in frame[list(quasi)].astype(object).itertuples(index=False, name=None)]
    counts = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return np.array([counts[key] for key in keys])


@exercise("20.4", "The rows that break k-anonymity")
def check_rows_below_k(rows_below_k):
    rng = rng_for()
    n = 400
    frame = pd.DataFrame({
        "age_band": rng.choice(["20s", "30s", "40s", "50s", "60s"], n, p=[.3, .3, .2, .15, .05]),
        "sex": rng.choice(["F", "M"], n),
        "zip3": rng.choice(["021", "100", "606", "941"], n, p=[.4, .3, .2, .1]),
        "income": rng.normal(50_000, 10_000, n).round(),
    }, index=rng.permutation(np.arange(1000, 1000 + n)))  # an index that is not 0..n-1
    with_missing = frame.copy()
    with_missing.iloc[[3, 77, 150], 2] = np.nan  # three people whose area is unknown
    cases = [
        ("one quasi-identifier, k = 60", frame, ["age_band"], 60),
        ("three quasi-identifiers, k = 5", frame, ("age_band", "sex", "zip3"), 5),
        ("three quasi-identifiers, k = 10", frame, ["age_band", "sex", "zip3"], 10),
        ("missing values in a quasi-identifier, k = 4", with_missing, ["sex", "zip3"], 4),
    ]
    sizes = _reference_sizes(frame, ["age_band", "sex", "zip3"])
    exact = int(np.sort(np.unique(sizes))[1])  # a class size that occurs: k equal to it
    cases.append((f"k = {exact}, the size of some classes", frame,
                  ["age_band", "sex", "zip3"], exact))
    for what, table, quasi, k in cases:
        sizes = _reference_sizes(table, quasi)
        expected = sizes < k
        got = call_unmutated(rows_below_k, table, quasi, k, what="rows_below_k")
        got = as_array(got, "Your mask", dtype=None)
        expect(got.shape == (len(table),),
               f"Return one True/False per row of the table ({len(table)} rows); got shape "
               f"{got.shape}.")
        expect(got.dtype == bool or set(np.unique(got).tolist()) <= {0, 1},
               "Return True/False per row (the class size compared with k), not the sizes.")
        got = got.astype(bool)
        if np.array_equal(got, expected):
            continue
        dropped = table.groupby(list(quasi))[list(quasi)[0]].transform("size")  # NaN keys out
        if np.array_equal(got, sizes <= k):
            hint = ("A class of exactly k rows is k-anonymous: flag the classes with *fewer* "
                    "than k rows (size < k).")
        elif np.array_equal(got, (dropped < k).to_numpy()):
            hint = ("The rows with a missing value were not flagged: groupby leaves NaN keys "
                    "out unless you pass dropna=False, and an unknown area is a value an "
                    "attacker can match too.")
        elif np.array_equal(got, ~expected) and expected.any() and not expected.all():
            hint = "The mask is inverted: True marks the rows in classes smaller than k."
        else:
            hint = ("Hint: frame.groupby(list(quasi_identifiers), dropna=False)"
                    "[a column].transform('size') gives each row the size of its class, in "
                    "the frame's order; the other columns do not count.")
        expect(False, f"For {what} ({list(quasi)}), {int(expected.sum())} rows are in classes "
                      f"smaller than {k}; you flagged {int(got.sum())} "
                      f"({int(np.sum(got != expected))} rows differ). {hint}")
    return ("Right for one and three quasi-identifiers, several k (one equal to a class "
            "size), missing values as a value of their own and an index that is not 0..n-1, "
            "without changing the table.")


# --- 20.5 a differentially private histogram -------------------------------------------------

@exercise("20.5", "A differentially private histogram")
def check_noisy_histogram(noisy_histogram):
    rng = rng_for()
    bins = ["bus", "bike", "car", "walk", "tram"]  # "tram" never occurs
    values = pd.Series(rng.choice(bins[:4], 700, p=[0.4, 0.3, 0.2, 0.1]))
    true_counts = np.array([np.sum(values == b) for b in bins], dtype=float)
    for epsilon in (0.5, 2.0):
        noise = []
        for k in range(400):
            generator = np.random.default_rng(k)

            def with_generator(values, bins, epsilon, generator=generator):  # state moves
                return noisy_histogram(values, bins, epsilon, generator)

            got = call_unmutated(with_generator, values, bins, epsilon, what="noisy_histogram")
            got = as_array(got, "Your noisy counts")
            expect(got.shape == (len(bins),),
                   f"Return one noisy count per bin: shape ({len(bins)},), got {got.shape}.")
            noise.append(got - true_counts)
        noise = np.array(noise)
        expect(np.any(noise != 0), "The counts have no noise: add Laplace noise of scale "
                                   "1 / epsilon to each count.")
        again = as_array(noisy_histogram(values, bins, epsilon, np.random.default_rng(0)),
                         "Your noisy counts")
        expect(np.allclose(again, noise[0] + true_counts),
               "Two calls with equally seeded generators gave different counts: draw the "
               "noise from the `rng` argument (rng.laplace), not from np.random.")
        expect(np.all(np.abs(np.corrcoef(noise.T)[np.triu_indices(len(bins), 1)]) < 0.3),
               "The noise of different bins moves together: draw an independent value for "
               "each bin (size=len(bins)).")
        scale = 1 / epsilon
        observed = np.mean(np.abs(noise))
        p_value = stats.kstest(noise.ravel(), "laplace", args=(0.0, scale)).pvalue
        if np.isclose(observed, len(bins) * scale, rtol=0.15):
            hint = ("Your noise is len(bins) times too large. Each person is in exactly one "
                    "bin, so adding or removing one person changes the whole histogram by 1 "
                    "in one bin: the sensitivity is 1 and every bin gets scale 1 / epsilon.")
        elif np.isclose(observed, epsilon, rtol=0.15):
            hint = "The scale is 1 / epsilon, not epsilon: a smaller epsilon means more noise."
        elif np.isclose(np.mean(noise), 0, atol=0.2 * scale) and np.isclose(
                observed, scale, rtol=0.3):
            hint = ("The size is right but the shape is not: the Laplace mechanism draws "
                    "rng.laplace(0, 1 / epsilon), not normal or uniform noise.")
        else:
            hint = ("Hint: counts[j] = number of values equal to bins[j]; return counts + "
                    "rng.laplace(0.0, 1.0 / epsilon, size=len(bins)).")
        expect(p_value > 1e-4,
               f"With epsilon = {epsilon}, the noise (your counts minus the true counts) has "
               f"mean |noise| {observed:.3f}; Laplace noise of scale {scale:g} would have "
               f"{scale:g} (Kolmogorov-Smirnov p = {p_value:.1e}). {hint}")
    return ("Right: exact counts per bin (an absent bin included) plus independent Laplace "
            "noise of scale 1 / epsilon drawn from the given generator, for two epsilons "
            "(2,000 noisy counts each, Kolmogorov-Smirnov test).")
