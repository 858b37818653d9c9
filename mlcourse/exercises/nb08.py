"""Checkers for notebook 08_decision_trees.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference: a direct NumPy formula, a brute-force loop over every threshold, a tree
fitted by ``mlcourse.tree``, a weakest-link pruning written here, or the test error of the
pruned trees scikit-learn grows.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier as SkDecisionTreeClassifier

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
from mlcourse.tree.readable import Node, build_tree


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


def _brute_force_gini(x, y, n_classes, w=None):
    """Weighted Gini of the children for every candidate threshold, by a plain loop."""
    w = np.ones(len(x)) if w is None else w
    values = np.unique(x)
    thresholds = (values[:-1] + values[1:]) / 2
    scores = []
    for t in thresholds:
        side = x <= t
        score = 0.0
        for part in (side, ~side):
            counts = np.bincount(y[part], weights=w[part], minlength=n_classes)
            score += counts.sum() * (1 - ((counts / counts.sum()) ** 2).sum())
        scores.append(score / w.sum())
    return thresholds, np.array(scores)


def _check_split(answer, x, thresholds, scores, what, hint):
    threshold, score = (float(as_array(v, what)) for v in unpack(answer, ("threshold", "score")))
    best = scores.min()
    is_a_threshold = np.isclose(thresholds, threshold, rtol=0, atol=1e-9).any()
    expect(is_a_threshold or score >= best - 1e-7 * abs(best) - 1e-9,
           f"On a test feature you returned a {what} of {score:.6g}, below the best any real "
           f"split reaches ({best:.6g}): you scored a cut between two equal values of x, "
           "which is not a split. Hint: mask the positions where xs[i] == xs[i + 1] "
           "(score = np.inf there).")
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


def _vectorised_weighted_threshold(x, y, w, n_classes):
    """One sort, one cumulative sum: the reference the time budget of 08.3 is measured on."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    onehot = np.zeros((len(x), n_classes))
    onehot[np.arange(len(x)), y[order]] = w[order]
    left = np.cumsum(onehot, axis=0)[:-1]
    right = onehot.sum(axis=0) - left
    w_left, w_right = left.sum(axis=1), right.sum(axis=1)
    score = (w_left - (left**2).sum(axis=1) / w_left
             + w_right - (right**2).sum(axis=1) / w_right) / w.sum()
    score[xs[:-1] == xs[1:]] = np.inf
    i = int(np.argmin(score))
    return (xs[i] + xs[i + 1]) / 2, score[i]


_WEIGHTED_HINT = ("Hint: put each row's weight in its one-hot row (onehot[i, y_i] = w_i), so "
                  "the cumulative sums are weighted class counts; W_L and W_R are their row "
                  "sums, and score = (W_L G_L + W_R G_R) / W.")


@exercise("08.3", "Best threshold with sample weights", time_limit=120)
def check_best_weighted_threshold(best_weighted_threshold):
    rng = rng_for()
    cases = [(40, 2, 8), (300, 3, 25), (1000, 4, 400), (12, 2, 2)]
    for n, n_classes, n_values in cases:
        x = rng.integers(0, n_values, size=n).astype(float) * rng.uniform(0.5, 3)
        x[:2] = [0.0, 1.0]  # at least two distinct values
        y = ((x / x.max() * n_classes + rng.normal(0, 1.0, n)) % n_classes).astype(int)
        y[:n_classes] = np.arange(n_classes)  # every class present
        w = rng.lognormal(0, 1.2, size=n)  # weights that matter: from 0.1 to 10 and more
        thresholds, scores = _brute_force_gini(x, y, n_classes, w)
        with forbidden_calls("mlcourse.tree", "sklearn",
                             why="Score the splits yourself, from weighted class counts."):
            answer = best_weighted_threshold(x.copy(), y.copy(), w.copy(), n_classes)
        _check_split(answer, x, thresholds, scores, "weighted Gini", _WEIGHTED_HINT)
    # whole-number weights are repeated rows: the answer must equal the one on the copies
    x = rng.integers(0, 30, size=80).astype(float)
    y = (x + rng.normal(0, 8, 80) > 15).astype(int)
    counts = rng.integers(1, 6, size=80).astype(float)
    thresholds, scores = _brute_force_gini(np.repeat(x, counts.astype(int)),
                                           np.repeat(y, counts.astype(int)), 2)
    _check_split(best_weighted_threshold(x.copy(), y.copy(), counts.copy(), 2), x, thresholds,
                 scores, "weighted Gini",
                 "With whole-number weights, a row of weight 3 must count like three copies "
                 "of it. " + _WEIGHTED_HINT)
    # two values only: the only threshold is between them
    x = np.repeat([1.5, 4.0], 60)
    y = rng.integers(0, 3, size=120)
    w = rng.uniform(0.5, 2, size=120)
    thresholds, scores = _brute_force_gini(x, y, 3, w)
    _check_split(best_weighted_threshold(x.copy(), y.copy(), w.copy(), 3), x, thresholds,
                 scores, "weighted Gini",
                 "Hint: with x = [1.5]*60 + [4.0]*60 the only threshold is 2.75; mask the "
                 "positions where xs[i] == xs[i + 1] (score = np.inf there).")
    # "no loop over thresholds": on a column with thousands of distinct values a loop costs
    # thousands of passes over the data, the cumulative sum one
    x = rng.integers(0, 3000, size=60_000).astype(float)
    y = rng.integers(0, 3, size=60_000)
    w = rng.uniform(0.5, 2, size=60_000)
    expect_vectorised(lambda: best_weighted_threshold(x, y, w, 3),
                      lambda: _vectorised_weighted_threshold(x, y, w, 3), factor=25,
                      what="On 60,000 rows with 3,000 distinct values your function",
                      hint="Look for a loop over the thresholds: one sort and one cumulative sum "
                           "of the weighted one-hot labels give every split's counts at once.")
    return ("Right: the best weighted split, a weight counting like repeated rows, and fast "
            "enough to come from cumulative sums, not a loop.")


@exercise("08.5", "Predict with the flat arrays")
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
    # "no loop over rows": 100,000 rows down a tree of depth 8 take 8 array steps. A level-by-
    # level answer costs about what the library's apply costs; a walk row by row about 20
    # times that. A budget of 5 keeps a wide margin on both sides.
    X_big = rng.normal(size=(100_000, 5))
    t = models[0][1].tree_
    expect_vectorised(
        lambda: predict_flat(X_big, t.feature, t.threshold, t.left, t.right, t.value),
        lambda: t.value[t.apply(X_big)], factor=5,
        what="On 100,000 rows your function",
        hint="Look for a loop over the rows: move all rows that sit on an inner node at once, "
             "with fancy indexing, once per level.")
    return ("Right: the whole data set walks down the tree one level per step, at the speed "
            "of array operations.")


def _brute_force_sse(x, y):
    values = np.unique(x)
    thresholds = (values[:-1] + values[1:]) / 2
    scores = []
    for t in thresholds:
        side = x <= t
        scores.append(sum(((part - part.mean()) ** 2).sum() for part in (y[side], y[~side])))
    return thresholds, np.array(scores)


@exercise("08.4", "Debug a regression split")
def check_best_regression_threshold(best_regression_threshold):
    rng = rng_for()
    hint = ("Hint: the children's error is SSE_L + SSE_R, where SSE = sum(y^2) - sum(y)^2 / n "
            "is n times the variance: a plain sum of the two variances lets a tiny child win.")
    for n, n_values in [(30, 6), (500, 40), (2000, 1500), (8, 2)]:
        x = rng.integers(0, n_values, size=n).astype(float) / 7
        x[:2] = [0.0, 1.0]  # at least two distinct values
        y = np.where(x > np.median(x), 3.0, 0.0) + rng.normal(0, 1, n) + 50
        y[np.argmax(x)] += 25  # one outlier at the top: a variance sum would cut it off alone
        thresholds, scores = _brute_force_sse(x, y)
        answer = best_regression_threshold(x.copy(), y.copy())
        _check_split(answer, x, thresholds, scores, "SSE", hint)
    x = np.repeat([-1.0, 0.5, 2.0], 40)  # targets unrelated to x: only two real thresholds
    y = rng.normal(size=120)
    thresholds, scores = _brute_force_sse(x, y)
    _check_split(best_regression_threshold(x.copy(), y.copy()), x, thresholds, scores, "SSE",
                 "Hint: with x taking only the values -1, 0.5 and 2, the only thresholds are "
                 "-0.25 and 1.25; mask the positions where xs[i] == xs[i + 1].")
    # the fix keeps it vectorised
    x = rng.integers(0, 3000, size=60_000).astype(float)
    y = rng.normal(size=60_000)
    expect_vectorised(lambda: best_regression_threshold(x, y), lambda: _vectorised_sse(x, y),
                      factor=25, what="On 60,000 rows with 3,000 distinct values your function",
                      hint="Fix the two bugs and keep the cumulative sums: no loop over the "
                           "thresholds.")
    return "Right: both bugs fixed, every regression split scored from two cumulative sums."


def _vectorised_sse(x, y):
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    s1, s2 = np.cumsum(ys)[:-1], np.cumsum(ys**2)[:-1]
    n_left = np.arange(1, len(x))
    n_right = len(x) - n_left
    sse = s2 - s1**2 / n_left + (ys**2).sum() - s2 - (ys.sum() - s1) ** 2 / n_right
    sse[xs[1:] == xs[:-1]] = np.inf
    i = int(np.argmin(sse))
    return (xs[i] + xs[i + 1]) / 2, sse[i]


# --- 08.6 the pruning path (extension) -----------------------------------------------------


def _leaf_cost(node, n_total):
    return node.n_samples / n_total * node.impurity


def _weakest_link_path(root):
    """Every effective alpha of minimal cost-complexity pruning, by the weakest-link loop."""
    n_total = root.n_samples

    def links(node):
        if node.feature is None:
            return _leaf_cost(node, n_total), 1, []
        cost_l, leaves_l, links_l = links(node.left)
        cost_r, leaves_r, links_r = links(node.right)
        cost, leaves = cost_l + cost_r, leaves_l + leaves_r
        strength = (_leaf_cost(node, n_total) - cost) / (leaves - 1)
        return cost, leaves, [(strength, id(node))] + links_l + links_r

    def collapse(node, target):
        if id(node) == target:
            return Node(node.value, node.impurity, node.n_samples)
        if node.feature is None:
            return node
        return Node(node.value, node.impurity, node.n_samples, node.feature, node.threshold,
                    collapse(node.left, target), collapse(node.right, target))

    alphas, tree = [], root
    while tree.feature is not None:
        strength, weakest = min(links(tree)[2], key=lambda pair: pair[0])
        alphas.append(max(strength, alphas[-1]) if alphas else strength)
        tree = collapse(tree, weakest)
    return np.array(alphas)


def _distinct(values, tol):
    values = np.sort(np.asarray(values, dtype=float))
    keep = np.r_[True, np.diff(values) > tol]
    return values[keep]


def _signature(node):
    if node.feature is None:
        return (node.n_samples,)
    return (node.feature, node.threshold, _signature(node.left), _signature(node.right))


@exercise("08.6", "The pruning path")
def check_pruning_path(pruning_path):
    rng = rng_for()
    for n, noise in [(150, 0.25), (400, 0.15), (60, 0.3)]:
        X = np.round(rng.normal(size=(n, 4)), 1)
        y = ((X[:, 0] + X[:, 1] * X[:, 2] > 0) ^ (rng.random(n) < noise)).astype(int)
        root = build_tree(X, y, "gini")
        before = _signature(root)
        with forbidden_calls("sklearn", why="Find the weakest links yourself, on the Node tree."):
            result = pruning_path(root)
        expect(_signature(root) == before,
               "Your function changed the tree it was given. Hint: build pruned copies "
               "(Node(...)) instead of setting node.left = None on the caller's tree.")
        got = as_array(result, "The pruning path")
        expected = _weakest_link_path(root)
        tol = 1e-12 * max(1.0, float(expected.max()))
        got_distinct, expected_distinct = _distinct(got, tol), _distinct(expected, tol)
        expect(got.ndim == 1 and got.size >= 1,
               f"Return a 1-D array of alphas; got shape {got.shape}.")
        expect(got_distinct.size == expected_distinct.size,
               f"On a tree with {(expected.size + 1)} leaves the path has "
               f"{expected_distinct.size} distinct alphas, yours {got_distinct.size}. Hint: "
               "repeat until the root is a leaf: compute g(t) = (R(t) - R(T_t)) / "
               "(leaves(T_t) - 1) for every inner node of the current tree, collapse the node "
               "with the smallest g, record g.")
        expect_close(got_distinct, expected_distinct, "The distinct alphas of the path",
                     "Hint: R(t) = n_t / n * impurity(t) with n the root's sample count, and "
                     "R(T_t) sums R over the leaves below t in the *current*, already pruned, "
                     "tree.", rtol=1e-9, atol=1e-12)
    return "Right: every alpha at which the weakest link gives way, and the tree left intact."


# --- 08.7 choose alpha (judgement) -----------------------------------------------------------


@exercise("08.7", "Choose ccp_alpha (judgement)", time_limit=180)
def check_choose_ccp_alpha(choose_ccp_alpha):
    rng = rng_for()
    shortfalls = []
    for flip in (0.1, 0.2, 0.3):
        seed = int(rng.integers(0, 2**31 - 1))
        X, y = make_classification(n_samples=10_300, n_features=8, n_informative=4,
                                   flip_y=flip, class_sep=0.8, random_state=seed)
        X_train, y_train, X_new, y_new = X[:300], y[:300], X[300:], y[300:]
        alpha = choose_ccp_alpha(X_train.copy(), y_train.copy())
        alpha = float(as_array(alpha, "The alpha you chose"))
        expect(np.isfinite(alpha) and alpha >= 0,
               f"ccp_alpha must be a number >= 0; got {alpha}.")

        def accuracy_on_new(a, X_train=X_train, y_train=y_train, X_new=X_new, y_new=y_new):
            model = SkDecisionTreeClassifier(ccp_alpha=a, random_state=0).fit(X_train, y_train)
            return model.score(X_new, y_new)

        path = SkDecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(
            X_train, y_train).ccp_alphas
        best = max(accuracy_on_new(a) for a in path)
        ours = accuracy_on_new(alpha)
        shortfalls.append(best - ours)
        expect(ours >= best - 0.04,
               f"On data with {flip:.0%} of the labels flipped, your alpha = {alpha:.4g} gives "
               f"a tree with accuracy {ours:.3f} on 10,000 new rows; the best alpha of the "
               f"path reaches {best:.3f} (unpruned: {accuracy_on_new(0.0):.3f}). Hint: the "
               "training accuracy always prefers alpha = 0; judge each alpha of "
               "cost_complexity_pruning_path on rows the tree did not train on (a validation "
               "split or cross-validation).")
    return (f"Sound: on three new data sets your alphas lose at most "
            f"{max(shortfalls):.3f} accuracy against the best alpha in hindsight.")
