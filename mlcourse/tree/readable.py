"""CART in a few short functions: read this before ``_grow.py``.

A tree is grown by one recursive function. At a node it asks the stopping rules; if the
node may grow, it tries every feature, and for each feature every threshold halfway between
two consecutive distinct values, keeps the split whose children are the least impure, and
grows the two children the same way. This is the algorithm of Breiman et al. (1984), as in
notebook 08, sections 4 and 5.

``mlcourse.tree.DecisionTreeClassifier`` and ``DecisionTreeRegressor`` grow exactly the same
tree with ``mlcourse/tree/_grow.py``, which does the same work for a whole level of nodes at
once (``tests/test_tree.py`` compares the two on several data sets). To make "exactly" hold
to the last bit, the functions below follow the fast grower in three details, each said
where it happens: scores computed from whole-number sums, ties going to the first feature
and the smallest threshold, and values closer than ``1e-7`` counting as equal. (With
targets or weights that are not whole numbers, the sums round differently in the two
growers, and two splits of exactly equal quality may be told apart differently.)

Use it like this::

    from mlcourse.tree.readable import build_tree, predict
    root = build_tree(X, y, criterion="gini", max_depth=3)   # y: class codes 0..K-1
    predict(root, X)                                          # class probabilities

Not covered here: ``max_features`` (the fast grower draws the candidate features of a whole
level at once, in an order a depth-first recursion cannot reproduce).

References
----------
L. Breiman, J. Friedman, R. Olshen and C. Stone, *Classification and Regression Trees*,
Wadsworth, 1984.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from mlcourse.tree._criteria import entropy, gini

# values closer than this count as equal, as in the fast grower and scikit-learn
FEATURE_THRESHOLD = 1e-7
# a node whose impurity is not above this is pure
EPSILON = np.finfo(np.float64).eps


@dataclass
class Node:
    """One node of the tree; a leaf has ``feature is None``."""

    value: np.ndarray | float  # class probabilities, or the mean target
    impurity: float
    n_samples: int
    feature: int | None = None
    threshold: float | None = None
    left: Node | None = None  # samples with X[:, feature] <= threshold
    right: Node | None = None


def split_scores(y_sorted, w_sorted, criterion, n_classes):
    """Score of every cut of a node's samples sorted by one feature; larger is better.

    Position ``i`` cuts after the ``i + 1`` first samples. The score is the children's
    weighted impurity ``W_L imp_L + W_R imp_R`` with its sign flipped, up to a constant of
    the node, rewritten so that it is computed from whole-number sums (class counts, or
    weights and weighted targets): two cuts with the same sums then score exactly the same,
    and the tie is broken the same way as in the fast grower.
    """
    if criterion == "squared_error":
        # W * variance = sum w y^2 - (sum w y)^2 / W, and sum w y^2 is fixed in the node
        W_left, S_left = np.cumsum(w_sorted), np.cumsum(w_sorted * y_sorted)
        W_right, S_right = W_left[-1] - W_left, S_left[-1] - S_left
        with np.errstate(divide="ignore", invalid="ignore"):
            return S_left**2 / W_left + S_right**2 / W_right
    # class counts left of each cut: a cumulative sum of the weighted one-hot labels
    onehot = np.zeros((n_classes, y_sorted.size))
    onehot[y_sorted, np.arange(y_sorted.size)] = w_sorted
    left = np.cumsum(onehot, axis=1)  # (n_classes, n_cuts)
    right = left[:, -1:] - left
    W_left, W_right = left.sum(axis=0), right.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if criterion == "gini":
            # W * gini = W - sum_k c_k^2 / W, and W_L + W_R is fixed in the node
            return (left**2).sum(axis=0) / W_left + (right**2).sum(axis=0) / W_right
        # W * entropy (in nats) = W log W - sum_k c_k log c_k
        return (xlogy(left, left).sum(axis=0) - xlogy(W_left, W_left)
                + xlogy(right, right).sum(axis=0) - xlogy(W_right, W_right))


def best_split(X, y, w, criterion, n_classes, min_samples_leaf):
    """``(feature, threshold)`` of the best split of a node, or ``None`` if there is none."""
    best_score, best = -np.inf, None
    for feature in range(X.shape[1]):
        order = np.argsort(X[:, feature], kind="stable")
        x = X[order, feature]
        score = split_scores(y[order], w[order], criterion, n_classes)
        n_left = np.arange(1, x.size + 1)
        # a cut must leave min_samples_leaf on each side and fall between distinct values
        allowed = (n_left >= min_samples_leaf) & (x.size - n_left >= min_samples_leaf)
        allowed[:-1] &= x[1:] > x[:-1] + FEATURE_THRESHOLD
        allowed[-1] = False  # the last cut would leave the right child empty
        if not allowed.any():
            continue
        i = np.flatnonzero(allowed)[np.argmax(score[allowed])]  # first of equal scores
        if score[i] > best_score:  # strict: an earlier feature wins a tie
            best_score = score[i]
            threshold = x[i] / 2.0 + x[i + 1] / 2.0
            if threshold == x[i + 1] or not np.isfinite(threshold):
                threshold = x[i]  # rounding landed on the upper value: stay below it
            best = (feature, threshold)
    return best


def leaf_value(y, w, criterion, n_classes):
    """Return what a node predicts, and its impurity."""
    if criterion == "squared_error":
        mean = np.sum(w * y) / np.sum(w)
        return mean, np.sum(w * (y - mean) ** 2) / np.sum(w)
    counts = np.bincount(y, weights=w, minlength=n_classes)
    impurity = gini(counts) if criterion == "gini" else entropy(counts)
    return counts / counts.sum(), float(impurity)


def grow(X, y, w, criterion, n_classes, depth, max_depth, min_samples_split,
         min_samples_leaf):
    """Grow the subtree of the samples ``X, y, w`` (a node at ``depth``) recursively."""
    value, impurity = leaf_value(y, w, criterion, n_classes)
    node = Node(value, impurity, len(y))
    if (depth >= max_depth or len(y) < max(min_samples_split, 2 * min_samples_leaf)
            or impurity <= EPSILON):
        return node
    split = best_split(X, y, w, criterion, n_classes, min_samples_leaf)
    if split is None:  # every feature is constant here, or every cut leaves a leaf too small
        return node
    node.feature, node.threshold = split
    goes_left = X[:, node.feature] <= node.threshold
    for side, rows in (("left", goes_left), ("right", ~goes_left)):
        setattr(node, side, grow(X[rows], y[rows], w[rows], criterion, n_classes, depth + 1,
                                 max_depth, min_samples_split, min_samples_leaf))
    return node


def build_tree(X, y, criterion="gini", sample_weight=None, max_depth=None,
               min_samples_split=2, min_samples_leaf=1):
    """Grow a CART tree on ``X, y`` and return its root :class:`Node`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class codes ``0..n_classes-1`` for ``"gini"`` and ``"entropy"``, real targets for
        ``"squared_error"``.
    criterion : {"gini", "entropy", "squared_error"}
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative weights; samples of weight 0 are left out.
    max_depth : int or None
    min_samples_split, min_samples_leaf : int

    Returns
    -------
    Node
    """
    if criterion not in ("gini", "entropy", "squared_error"):
        raise ValueError(f"criterion must be 'gini', 'entropy' or 'squared_error', "
                         f"got {criterion!r}.")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float if criterion == "squared_error" else np.intp)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    n_classes = 0 if criterion == "squared_error" else int(y.max()) + 1
    used = w > 0
    return grow(X[used], y[used], w[used], criterion, n_classes, 0,
                np.inf if max_depth is None else max_depth, min_samples_split,
                min_samples_leaf)


def predict(root, X):
    """Walk each row of ``X`` from the root to its leaf; return the leaves' values."""
    values = []
    for x in np.asarray(X, dtype=float):
        node = root
        while node.feature is not None:
            node = node.left if x[node.feature] <= node.threshold else node.right
        values.append(node.value)
    return np.array(values)
