"""Checkers for notebook 08_decision_trees.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference: a direct NumPy formula, a brute-force loop over every threshold, or a tree
fitted by ``mlcourse.tree``.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import (
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import expect_vectorised, forbidden_calls
from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor


def _fresh_counts(rng):
    """Class counts of a few shapes, with absent classes and pure nodes among them."""
    yield rng.integers(0, 30, size=4) + np.array([1, 0, 0, 0])  # one node, shape (K,)
    yield np.array([7, 0, 0])  # a pure node
    block = rng.integers(0, 20, size=(25, 3))
    block[:, 0] += 1  # every node has an example
    block[::5, 1:] = 0  # and some are pure
    yield block
    yield rng.integers(1, 50, size=(4, 6, 2)).astype(float) * rng.uniform(0.1, 3)


def _reference_gini(counts):
    p = counts / counts.sum(axis=-1, keepdims=True)
    return 1 - (p**2).sum(axis=-1)


def _reference_entropy(counts):
    p = counts / counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p), 0.0)
    return -terms.sum(axis=-1)


_IMPURITY_LIBRARIES = ("mlcourse.tree", "sklearn", "scipy.stats.entropy")


def _check_impurity(function, reference, name, hint):
    rng = rng_for()
    for counts in _fresh_counts(rng):
        counts = np.asarray(counts, dtype=float)
        with forbidden_calls(*_IMPURITY_LIBRARIES,
                             why="Compute it from the proportions yourself, with NumPy."):
            result = function(counts.copy())
        got = as_array(result, f"The {name} of counts of shape {counts.shape}")
        expected = reference(counts)
        expect(got.shape == expected.shape,
               f"For counts of shape {counts.shape} return shape {expected.shape} (one value "
               f"per node); got {got.shape}. Hint: sum along axis=-1, with keepdims=True "
               "where you divide.")
        expect(not np.isnan(got).any(),
               f"Some {name} values are nan (counts {counts.reshape(-1, counts.shape[-1])[0]}, "
               "...). " + hint)
        expect_close(got, expected, f"The {name} for counts of shape {counts.shape}", hint)
    expect_close(function([5, 5]), reference(np.array([5.0, 5.0])),
                 f"The {name} of a Python list [5, 5]", "Hint: np.asarray(counts, dtype=float).")


@exercise("08.1", "Gini impurity")
def check_gini_impurity(gini_impurity):
    _check_impurity(gini_impurity, _reference_gini, "Gini impurity",
                    "Hint: p = counts / counts.sum(axis=-1, keepdims=True), "
                    "then 1 - (p**2).sum(axis=-1).")
    return "Right, for one node or many, counts or weights."


@exercise("08.2", "Entropy")
def check_entropy_bits(entropy_bits):
    expect_close(entropy_bits([1, 1]), 1.0, "The entropy of [1, 1]",
                 "Two equally likely classes take exactly one bit: use np.log2, not np.log.")
    _check_impurity(entropy_bits, _reference_entropy, "entropy",
                    "Hint: a class with p = 0 contributes 0; compute np.log2 only where p > 0 "
                    "(np.where(p > 0, p, 1) inside the log) or use scipy.special.xlogy.")
    return "Right, and absent classes count for nothing, as they should."


def _brute_force_gini(x, y, n_classes):
    """Weighted Gini of the children for every candidate threshold, by a plain loop."""
    values = np.unique(x)
    thresholds = (values[:-1] + values[1:]) / 2
    scores = []
    for t in thresholds:
        side = x <= t
        score = 0.0
        for part in (y[side], y[~side]):
            p = np.bincount(part, minlength=n_classes) / len(part)
            score += len(part) * (1 - (p**2).sum())
        scores.append(score / len(x))
    return thresholds, np.array(scores)


def _check_split(answer, x, thresholds, scores, what, hint):
    threshold, score = (float(as_array(v, what)) for v in unpack(answer, ("threshold", "score")))
    best = scores.min()
    expect(np.isclose(score, best, rtol=1e-7, atol=1e-9),
           f"On a test feature the best {what} is {best:.6g}, you returned {score:.6g}. {hint}")
    match = np.flatnonzero(np.isclose(thresholds, threshold, rtol=0, atol=1e-9))
    expect(match.size == 1,
           f"Your threshold {threshold:.6g} is not halfway between two consecutive distinct "
           "values of x. Hint: (xs[i] + xs[i + 1]) / 2 on the sorted values.")
    expect(np.isclose(scores[match[0]], best, rtol=1e-7, atol=1e-9),
           f"Your threshold {threshold:.6g} gives a {what} of {scores[match[0]]:.6g}, not the "
           f"best {best:.6g}: the threshold and the score do not belong to the same position. "
           "Hint: take both at i = argmin(score), threshold halfway between xs[i] and xs[i+1].")


def _vectorised_best_threshold(x, y, n_classes):
    """One sort, one cumulative sum: the reference the time budget of 08.3 is measured on."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    left = np.cumsum(np.eye(n_classes)[ys], axis=0)[:-1]
    right = left[-1] + np.eye(n_classes)[ys[-1]] - left
    n_left = np.arange(1, len(x))[:, None]
    n_right = len(x) - n_left
    gini_left = 1 - ((left / n_left) ** 2).sum(axis=1)
    gini_right = 1 - ((right / n_right) ** 2).sum(axis=1)
    score = (n_left[:, 0] * gini_left + n_right[:, 0] * gini_right) / len(x)
    score[xs[:-1] == xs[1:]] = np.inf
    i = int(np.argmin(score))
    return (xs[i] + xs[i + 1]) / 2, score[i]


@exercise("08.3", "Best threshold of one column with cumulative sums", time_limit=120)
def check_best_threshold(best_threshold):
    rng = rng_for()
    cases = [(40, 2, 8), (300, 3, 25), (1000, 4, 400), (12, 2, 2)]
    for n, n_classes, n_values in cases:
        x = rng.integers(0, n_values, size=n).astype(float) * rng.uniform(0.5, 3)
        x[:2] = [0.0, 1.0]  # at least two distinct values
        y = ((x / x.max() * n_classes + rng.normal(0, 1.0, n)) % n_classes).astype(int)
        y[:n_classes] = np.arange(n_classes)  # every class present
        thresholds, scores = _brute_force_gini(x, y, n_classes)
        answer = best_threshold(x.copy(), y.copy(), n_classes)
        _check_split(answer, x, thresholds, scores, "weighted Gini",
                     "Hint: score = (n_left * G_left + n_right * G_right) / n, with the positions "
                     "between two equal sorted values set to np.inf.")
    # two values only, labels unrelated to them: a cut inside a group of equal values would
    # look better than the one real threshold, but it is not a split
    x = np.repeat([1.5, 4.0], 60)
    y = rng.integers(0, 3, size=120)
    thresholds, scores = _brute_force_gini(x, y, 3)
    _check_split(best_threshold(x.copy(), y.copy(), 3), x, thresholds, scores, "weighted Gini",
                 "Hint: with x = [1.5]*60 + [4.0]*60 the only threshold is 2.75; mask the "
                 "positions where xs[i] == xs[i + 1] (score = np.inf there).")
    # "no loop over thresholds": on a column with thousands of distinct values a loop costs
    # thousands of passes over the data, the cumulative sum one
    x = rng.integers(0, 3000, size=60_000).astype(float)
    y = rng.integers(0, 3, size=60_000)
    expect_vectorised(lambda: best_threshold(x, y, 3),
                      lambda: _vectorised_best_threshold(x, y, 3), factor=25,
                      what="On 60,000 rows with 3,000 distinct values your function",
                      hint="Look for a loop over the thresholds: one sort and one cumulative sum "
                           "of the one-hot labels give every split's counts at once.")
    return "Right: the best split, and fast enough to come from cumulative sums, not a loop."


@exercise("08.4", "Predict with the flat arrays")
def check_predict_flat(predict_flat):
    rng = rng_for()
    X = rng.normal(size=(400, 5))
    y_reg = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=400)
    y_cls = (X[:, 2] + X[:, 3] * X[:, 4] > 0).astype(int) + (X[:, 0] > 1)
    X_new = rng.normal(size=(250, 5))
    models = [
        ("a regression tree", DecisionTreeRegressor(max_depth=7).fit(X, y_reg)),
        ("a deep classification tree", DecisionTreeClassifier().fit(X, y_cls)),
        ("a stump", DecisionTreeRegressor(max_depth=1).fit(X, y_reg)),
        ("a single leaf", DecisionTreeClassifier().fit(X, np.zeros(400, dtype=int))),
    ]
    for name, model in models:
        t = model.tree_
        got = predict_flat(X_new.copy(), t.feature, t.threshold, t.left, t.right, t.value)
        expected = t.value[model.apply(X_new)]
        got = as_array(got, "The predictions")
        expect(got.shape == expected.shape,
               f"For {name} the answer has shape {expected.shape} (value[leaf] for each row); "
               f"got {got.shape}.")
        expect_close(got, expected, f"The predictions of {name}",
                     "Hint: start with node = np.zeros(n, int); while some rows sit on an inner "
                     "node (left[node] != -1), move those rows to left[t] or right[t] with "
                     "np.where(X[rows, feature[t]] <= threshold[t], ...).")
    return "Right: the whole data set walks down the tree one level per step."


def _brute_force_sse(x, y):
    values = np.unique(x)
    thresholds = (values[:-1] + values[1:]) / 2
    scores = []
    for t in thresholds:
        side = x <= t
        scores.append(sum(((part - part.mean()) ** 2).sum() for part in (y[side], y[~side])))
    return thresholds, np.array(scores)


@exercise("08.5", "The best regression split")
def check_best_regression_threshold(best_regression_threshold):
    rng = rng_for()
    for n, n_values in [(30, 6), (500, 40), (2000, 1500), (8, 2)]:
        x = rng.integers(0, n_values, size=n).astype(float) / 7
        x[:2] = [0.0, 1.0]  # at least two distinct values
        y = np.where(x > np.median(x), 3.0, 0.0) + rng.normal(0, 1, n) + 50
        thresholds, scores = _brute_force_sse(x, y)
        answer = best_regression_threshold(x.copy(), y.copy())
        _check_split(answer, x, thresholds, scores, "SSE",
                     "Hint: SSE of a child = sum(y^2) - sum(y)^2 / n; the left sums are "
                     "cumulative sums of the sorted y and y^2, the right ones total minus left.")
    x = np.repeat([-1.0, 0.5, 2.0], 40)  # targets unrelated to x: only two real thresholds
    y = rng.normal(size=120)
    thresholds, scores = _brute_force_sse(x, y)
    _check_split(best_regression_threshold(x.copy(), y.copy()), x, thresholds, scores, "SSE",
                 "Hint: with x taking only the values -1, 0.5 and 2, the only thresholds are "
                 "-0.25 and 1.25; mask the positions where xs[i] == xs[i + 1].")
    return "Right: every regression split scored from two cumulative sums."
