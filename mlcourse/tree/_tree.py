"""A fitted binary tree stored in flat arrays, and a text view of it.

Node 0 is the root; nodes are numbered level by level. For an internal node ``t``,
samples with ``X[:, feature[t]] <= threshold[t]`` go to ``left[t]``, the others to
``right[t]``; a leaf has ``left[t] == right[t] == -1``. Prediction walks all samples
down together, one level per step, with array indexing.

See notebooks/08_decision_trees.ipynb.
"""

from __future__ import annotations

import numpy as np

TREE_LEAF = -1
TREE_UNDEFINED = -2


class Tree:
    """Flat-array binary tree (attribute names follow ``sklearn.tree._tree.Tree``).

    Attributes
    ----------
    feature, threshold : ndarray of shape (node_count,)
        Split of each internal node (``-2`` at leaves).
    left, right : ndarray of shape (node_count,)
        Children of each node (``-1`` at leaves); also ``children_left``/``children_right``.
    value : ndarray of shape (node_count,) or (node_count, n_classes)
        Mean target (regression) or class probabilities (classification) of each node.
    impurity, weighted_n_node_samples : ndarray of shape (node_count,)
        Impurity and total sample weight of each node.
    n_node_samples, depth : ndarray of shape (node_count,)
        Number of samples reaching each node and its depth (root: 0).
    """

    def __init__(self, feature, threshold, left, right, value, impurity, n_node_samples,
                 weighted_n_node_samples, depth, gain):
        self.feature, self.threshold = feature, threshold
        self.left, self.right = left, right
        self.value, self.impurity = value, impurity
        self.n_node_samples = n_node_samples
        self.weighted_n_node_samples = weighted_n_node_samples
        self.depth, self.gain = depth, gain

    @classmethod
    def from_growth(cls, n_nodes, nodes, splits):
        """Assemble the arrays from the per-level pieces recorded while growing."""
        cat = {key: np.concatenate(val) if val else np.array([])
               for key, val in {**nodes, **splits}.items()}
        feature = np.full(n_nodes, TREE_UNDEFINED, dtype=np.intp)
        threshold = np.full(n_nodes, float(TREE_UNDEFINED))
        left = np.full(n_nodes, TREE_LEAF, dtype=np.intp)
        right = np.full(n_nodes, TREE_LEAF, dtype=np.intp)
        gain = np.zeros(n_nodes)
        at = cat["node"].astype(np.intp)
        feature[at], threshold[at] = cat["feature"], cat["threshold"]
        left[at], right[at], gain[at] = cat["left"], cat["right"], cat["gain"]
        return cls(feature, threshold, left, right, cat["value"], cat["impurity"],
                   cat["count"].astype(np.intp), cat["weight"],
                   cat["depth"].astype(np.intp), gain)

    @property
    def children_left(self):
        return self.left

    @property
    def children_right(self):
        return self.right

    @property
    def node_count(self):
        return self.feature.size

    @property
    def n_leaves(self):
        return int(np.sum(self.left == TREE_LEAF))

    @property
    def max_depth(self):
        return int(self.depth.max())

    def apply(self, X):
        """Index of the leaf each row of ``X`` lands in, walking one level per step."""
        node = np.zeros(X.shape[0], dtype=np.intp)
        rows = np.arange(X.shape[0])
        while rows.size:
            t = node[rows]
            inner = self.left[t] != TREE_LEAF
            rows, t = rows[inner], t[inner]
            go_left = X[rows, self.feature[t]] <= self.threshold[t]
            node[rows] = np.where(go_left, self.left[t], self.right[t])
        return node

    def feature_importances(self, n_features):
        """Total weighted impurity decrease per feature, normalised to sum to 1."""
        inner = self.left != TREE_LEAF
        imp = np.bincount(self.feature[inner], weights=self.gain[inner], minlength=n_features)
        total = imp.sum()
        return imp / total if total > 0 else imp


def export_text(estimator, feature_names=None, decimals=2, max_depth=10):
    """Text view of a fitted tree, one line per node, children indented.

    Parameters
    ----------
    estimator : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree (anything with a ``tree_`` of type :class:`Tree`).
    feature_names : list of str, optional
        Names of the columns; ``x[j]`` by default.
    decimals : int
        Digits shown for thresholds and values.
    max_depth : int
        Deeper nodes are summarised as ``...``.

    Returns
    -------
    str
    """
    tree = estimator.tree_
    names = feature_names
    if names is None:
        names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        names = [f"x[{j}]" for j in range(estimator.n_features_in_)]
    classes = getattr(estimator, "classes_", None)

    def leaf_text(t):
        if classes is None:
            return f"value: {tree.value[t]:.{decimals}f}"
        return f"class: {classes[np.argmax(tree.value[t])]}"

    lines = []
    # a stack of pending lines (str) and subtrees (node, indent), so no recursion
    stack = [(0, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        t, indent = item
        pad = "|   " * indent + "|--- "
        if tree.left[t] == TREE_LEAF:
            lines.append(f"{pad}{leaf_text(t)}  (samples: {tree.n_node_samples[t]})")
        elif indent >= max_depth:
            lines.append(f"{pad}... ({tree.n_node_samples[t]} samples below)")
        else:
            name, thr = names[tree.feature[t]], tree.threshold[t]
            lines.append(f"{pad}{name} <= {thr:.{decimals}f}")
            stack += [(tree.right[t], indent + 1), f"{pad}{name} >  {thr:.{decimals}f}",
                      (tree.left[t], indent + 1)]
    return "\n".join(lines)
