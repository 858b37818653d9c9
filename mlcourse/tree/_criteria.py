"""Impurity measures and split criteria for CART.

A criterion turns per-sample statistics into numbers the split search can add up:

* ``stats``: a list of ``(m, n)`` blocks of per-sample statistics whose cumulative sums
  along a sorted feature give the statistics of every left child at once (one block of
  weighted class indicators, or a block ``w`` and a block ``w*y``); whole numbers are kept
  in int64, whose cumulative sums are exact and much faster than those of floats;
* ``split_score(left, right)``: a score of a split computed from the left and right
  statistics, larger is better; it equals ``-(W_L * impurity_L + W_R * impurity_R)`` up to
  a constant of the node, so maximising it maximises the impurity decrease;
* ``node_summary(group, n_groups, samples)``: value, impurity and weight of every group
  of samples.

The readable grower (``readable.py``) computes the same scores one node at a time.

See notebooks/08_decision_trees.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy


def gini(counts):
    """Gini impurity ``1 - sum_k p_k^2`` of class counts along the last axis.

    Parameters
    ----------
    counts : array-like of shape (..., n_classes)
        Class counts (or weights) of one or more nodes.

    Returns
    -------
    ndarray of shape (...)
        The impurity; 0 for a pure node, ``1 - 1/K`` for a uniform one.
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = counts / total[..., None]
    return np.where(total > 0, 1.0 - (p**2).sum(axis=-1), 0.0)


def entropy(counts):
    """Entropy ``-sum_k p_k log2 p_k`` (in bits) of class counts along the last axis.

    Parameters
    ----------
    counts : array-like of shape (..., n_classes)
        Class counts (or weights) of one or more nodes.

    Returns
    -------
    ndarray of shape (...)
        The entropy; 0 for a pure node, ``log2 K`` for a uniform one.
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = counts / total[..., None]
    # xlogy(0, 0) = 0: an absent class contributes nothing
    return np.where(total > 0, -xlogy(p, p).sum(axis=-1) / np.log(2), 0.0)


def squared_error(y, sample_weight=None):
    """Weighted variance ``sum_i w_i (y_i - ybar)^2 / sum_i w_i`` of a node's targets."""
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    ybar = np.average(y, weights=w)
    return float(np.sum(w * (y - ybar) ** 2) / np.sum(w))


def _square(a):
    """``a**2`` in float64 (squaring large int64 counts could overflow)."""
    return np.square(a, dtype=np.float64)


def _as_int_if_whole(a):
    """Whole numbers (unit weights, bootstrap counts, counts of bikes) as int64, else floats.

    NumPy's cumulative sum is many times faster on int64 than on float64, and exact; the
    bound on the total keeps every partial sum exact in float64 too, far from overflow.
    """
    if np.array_equal(a, np.round(a)) and np.abs(a).sum() < 2.0**53:
        return a.astype(np.int64)
    return a


class ClassificationCriterion:
    """Gini or entropy on integer-coded classes ``y`` in ``0..n_classes-1``."""

    def __init__(self, y, w, n_classes, kind="gini"):
        self.y, self.w, self.n_classes, self.kind = y, w, n_classes, kind
        # weighted indicator of each class: its cumulative sum counts the class in a prefix
        w = _as_int_if_whole(w)
        counts = np.zeros((n_classes, y.size), dtype=w.dtype)
        counts[y, np.arange(y.size)] = w
        self.stats = [counts]

    def split_score(self, left_stats, right_stats):
        """Score of splits whose children have class counts ``left[k], right[k]``.

        Larger is better: ``-(W_L imp_L + W_R imp_R)`` up to a per-node constant.
        """
        (left,), (right,) = left_stats, right_stats  # one block: the class axis first
        weight_left, weight_right = left.sum(axis=0), right.sum(axis=0)
        if self.kind == "gini":
            # W * gini = W - sum_k c_k^2 / W, and W_L + W_R is fixed in a node
            score = _square(left).sum(axis=0) / weight_left
            score += _square(right).sum(axis=0) / weight_right
            return score
        # W * entropy (nats) = W log W - sum_k c_k log c_k
        score = xlogy(left, left).sum(axis=0)
        score -= xlogy(weight_left, weight_left)
        score += xlogy(right, right).sum(axis=0)
        score -= xlogy(weight_right, weight_right)
        return score

    def node_summary(self, group, n_groups, samples):
        """Class probabilities, impurity and weight of each group of ``samples``."""
        K = self.n_classes
        counts = np.bincount(group * K + self.y[samples], weights=self.w[samples],
                             minlength=n_groups * K).reshape(n_groups, K)
        weight = counts.sum(axis=1)
        impurity = gini(counts) if self.kind == "gini" else entropy(counts)
        return counts / weight[:, None], impurity, weight


class RegressionCriterion:
    """Squared error (variance reduction) on real targets ``y``."""

    def __init__(self, y, w):
        self.y, self.w = y, w
        # cumulative sums of w and w*y give each prefix's weight and mean
        self.stats = [_as_int_if_whole(w)[None], _as_int_if_whole(w * y)[None]]

    def split_score(self, left_stats, right_stats):
        """``S_L^2 / W_L + S_R^2 / W_R`` with ``W = sum w``, ``S = sum w y``: larger is better.

        ``W * variance = sum w y^2 - S^2 / W``, and ``sum w y^2`` is fixed in a node.
        """
        (weight_left,), (sum_left,) = left_stats
        (weight_right,), (sum_right,) = right_stats
        return _square(sum_left) / weight_left + _square(sum_right) / weight_right

    def node_summary(self, group, n_groups, samples):
        """Mean, variance (two passes, so a constant node has variance 0) and weight."""
        y, w = self.y[samples], self.w[samples]
        weight = np.bincount(group, weights=w, minlength=n_groups)
        mean = np.bincount(group, weights=w * y, minlength=n_groups) / weight
        var = np.bincount(group, weights=w * (y - mean[group]) ** 2,
                          minlength=n_groups) / weight
        return mean, var, weight
