"""The checkers of notebook 08 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import scipy.special
from checker_helpers import fails, passes
from sklearn.model_selection import cross_val_score
from sklearn.tree import DecisionTreeClassifier as SkTree

import mlcourse.tree
from mlcourse.tree.readable import Node

# --- 08.1 and 08.2 -----------------------------------------------------------


def gini(counts):
    counts = np.asarray(counts, dtype=float)
    p = counts / counts.sum(axis=-1, keepdims=True)
    return 1 - (p**2).sum(axis=-1)


def gini_by_pairs(counts):
    # the probability that two draws (with replacement) differ
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1)
    return (total**2 - (counts**2).sum(axis=-1)) / total**2


def test_08_1_gini():
    passes("08.1", gini)
    passes("08.1", gini_by_pairs)
    fails("08.1", lambda counts: mlcourse.tree.gini(np.asarray(counts, dtype=float)),
          "mlcourse.tree")
    fails("08.1", lambda counts: 1 - (np.asarray(counts, float) ** 2).sum(axis=-1), "Gini")
    # proportions along the wrong axis
    fails("08.1", lambda c: 1 - ((np.asarray(c, float) / np.asarray(c, float).sum()) ** 2).sum(
        axis=-1), "Gini")


def entropy_xlogy(counts):
    counts = np.asarray(counts, dtype=float)
    p = counts / counts.sum(axis=-1, keepdims=True)
    return -scipy.special.xlogy(p, p).sum(axis=-1) / np.log(2)


def test_08_2_entropy():
    passes("08.2", entropy_xlogy)
    fails("08.2", lambda c: entropy_xlogy(c) * np.log(2), "np.log2")
    naive = lambda c: -(np.asarray(c, float) / np.sum(c, axis=-1, keepdims=True)  # noqa: E731
                        * np.log2(np.asarray(c, float) / np.sum(c, axis=-1, keepdims=True))
                        ).sum(axis=-1)
    fails("08.2", naive, "nan")
    fails("08.2", lambda c: mlcourse.tree.entropy(np.asarray(c, dtype=float)), "mlcourse.tree")


# --- 08.3 weighted threshold -----------------------------------------------------------


def weighted_threshold(x, y, w, n_classes):
    order = np.argsort(x, kind="stable")
    xs = x[order]
    onehot = np.zeros((len(x), n_classes))
    onehot[np.arange(len(x)), y[order]] = w[order]
    left = np.cumsum(onehot, axis=0)[:-1]
    right = onehot.sum(axis=0) - left
    w_left, w_right = left.sum(axis=1), right.sum(axis=1)
    score = (w_left * gini(left) + w_right * gini(right)) / w.sum()
    score[xs[1:] == xs[:-1]] = np.inf
    i = int(np.argmin(score))
    return (xs[i] + xs[i + 1]) / 2, float(score[i])


def weighted_threshold_by_unique(x, y, w, n_classes):
    # another method: weighted counts per distinct value, then cumulative sums over values
    values, code = np.unique(x, return_inverse=True)
    counts = np.zeros((len(values), n_classes))
    np.add.at(counts, (code, y), w)
    left = np.cumsum(counts, axis=0)[:-1]
    right = counts.sum(axis=0) - left
    w_left, w_right = left.sum(axis=1), right.sum(axis=1)
    score = (w_left * gini(left) + w_right * gini(right)) / w.sum()
    i = int(np.argmin(score))
    return (values[i] + values[i + 1]) / 2, float(score[i])


def unweighted_retyped(x, y, w, n_classes):
    """Section 4.2 retyped: the weights ignored."""
    return weighted_threshold(x, y, np.ones_like(w), n_classes)


def weighted_loop(x, y, w, n_classes):
    values = np.unique(x)
    best = (None, np.inf)
    for t in (values[:-1] + values[1:]) / 2:
        side = x <= t
        score = 0.0
        for part in (side, ~side):
            counts = np.bincount(y[part], weights=w[part], minlength=n_classes)
            score += counts.sum() * gini(counts)
        if score / w.sum() < best[1]:
            best = (t, score / w.sum())
    return best


def with_the_library_tree(x, y, w, n_classes):
    stump = mlcourse.tree.DecisionTreeClassifier(max_depth=1).fit(x[:, None], y, sample_weight=w)
    return stump.tree_.threshold[0], 0.0


def test_08_3_weighted_threshold():
    passes("08.3", weighted_threshold)
    passes("08.3", weighted_threshold_by_unique)
    fails("08.3", unweighted_retyped, "weight")
    fails("08.3", weighted_loop, "times as long")
    fails("08.3", with_the_library_tree, "mlcourse.tree")


# --- 08.4 debug the regression split ---------------------------------------------------------


def regression_split(x, y):
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    s1, s2 = np.cumsum(ys)[:-1], np.cumsum(ys**2)[:-1]
    n_left = np.arange(1, len(x))
    n_right = len(x) - n_left
    sse = (s2 - s1**2 / n_left) + ((ys**2).sum() - s2 - (ys.sum() - s1) ** 2 / n_right)
    sse[xs[1:] == xs[:-1]] = np.inf
    i = int(np.argmin(sse))
    return (xs[i] + xs[i + 1]) / 2, float(sse[i])


def regression_split_by_means(x, y):
    # another method: SSE = n_L n_R / n (mean_L - mean_R)^2 subtracted from the total
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    n = len(x)
    n_left = np.arange(1, n)
    mean_left = np.cumsum(ys)[:-1] / n_left
    mean_right = (ys.sum() - np.cumsum(ys)[:-1]) / (n - n_left)
    between = n_left * (n - n_left) / n * (mean_left - mean_right) ** 2
    sse = ((ys - ys.mean()) ** 2).sum() - between
    sse[xs[1:] == xs[:-1]] = np.inf
    i = int(np.argmin(sse))
    return (xs[i] + xs[i + 1]) / 2, float(sse[i])


def broken(x, y, mask_ties=False, weight_by_size=False):
    """The notebook's broken version, with either bug fixed on request."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    s1, s2 = np.cumsum(ys)[:-1], np.cumsum(ys**2)[:-1]
    n_left = np.arange(1, len(x))
    n_right = len(x) - n_left
    var_left = s2 / n_left - (s1 / n_left) ** 2
    var_right = ((ys**2).sum() - s2) / n_right - ((ys.sum() - s1) / n_right) ** 2
    score = n_left * var_left + n_right * var_right if weight_by_size else var_left + var_right
    if mask_ties:
        score[xs[1:] == xs[:-1]] = np.inf
    i = int(np.argmin(score))
    return (xs[i] + xs[i + 1]) / 2, float(score[i])


def test_08_4_debug_regression_split():
    passes("08.4", regression_split)
    passes("08.4", regression_split_by_means)
    passes("08.4", lambda x, y: broken(x, y, mask_ties=True, weight_by_size=True))
    fails("08.4", broken, "SSE")
    fails("08.4", lambda x, y: broken(x, y, mask_ties=True), "n times the variance")
    fails("08.4", lambda x, y: broken(x, y, weight_by_size=True), "xs[i] == xs[i + 1]")


# --- 08.5 predict with the flat arrays -------------------------------------------------------


def predict_flat(X, feature, threshold, left, right, value):
    node = np.zeros(len(X), dtype=int)
    inner = left[node] != -1
    while inner.any():
        rows = np.flatnonzero(inner)
        t = node[rows]
        node[rows] = np.where(X[rows, feature[t]] <= threshold[t], left[t], right[t])
        inner = left[node] != -1
    return value[node]


def predict_flat_all_rows(X, feature, threshold, left, right, value):
    # another method: move every row each step; leaves point to themselves
    n_nodes = len(left)
    is_leaf = left == -1
    go_left = np.where(is_leaf, np.arange(n_nodes), left)
    go_right = np.where(is_leaf, np.arange(n_nodes), right)
    safe_feature = np.where(is_leaf, 0, feature)
    node = np.zeros(len(X), dtype=int)
    for _ in range(n_nodes):
        if is_leaf[node].all():
            break
        below = X[np.arange(len(X)), safe_feature[node]] <= threshold[node]
        node = np.where(below, go_left[node], go_right[node])
    return value[node]


def predict_row_by_row(X, feature, threshold, left, right, value):
    out = []
    for x in X:
        t = 0
        while left[t] != -1:
            t = left[t] if x[feature[t]] <= threshold[t] else right[t]
        out.append(value[t])
    return np.array(out)


def test_08_5_predict_flat():
    passes("08.5", predict_flat)
    passes("08.5", predict_flat_all_rows)
    fails("08.5", predict_row_by_row, "times as long")
    # the comparison the wrong way round
    fails("08.5", lambda X, f, t, lft, r, v: predict_flat(X, f, t, r, lft, v), "predictions")


# --- 08.6 pruning path -----------------------------------------------------------


def _cost(node, n):
    return node.n_samples / n * node.impurity


def pruning_path(root):
    n = root.n_samples

    def links(node):
        if node.feature is None:
            return _cost(node, n), 1, []
        cl, ll, gl = links(node.left)
        cr, lr, gr = links(node.right)
        cost, leaves = cl + cr, ll + lr
        return cost, leaves, [((_cost(node, n) - cost) / (leaves - 1), node)] + gl + gr

    def collapse(node, target):
        if node is target:
            return Node(node.value, node.impurity, node.n_samples)
        if node.feature is None:
            return node
        return Node(node.value, node.impurity, node.n_samples, node.feature, node.threshold,
                    collapse(node.left, target), collapse(node.right, target))

    alphas, tree = [], root
    while tree.feature is not None:
        g, weakest = min(links(tree)[2], key=lambda pair: pair[0])
        alphas.append(g)
        tree = collapse(tree, weakest)
    return np.array(alphas)


def pruning_path_bottom_up(root):
    # another method: the breakpoints of the bottom-up rule, found by bisection on alpha
    n = root.n_samples

    def leaves_at(node, alpha):
        if node.feature is None:
            return _cost(node, n) + alpha, 1
        cl, ll = leaves_at(node.left, alpha)
        cr, lr = leaves_at(node.right, alpha)
        if _cost(node, n) + alpha <= cl + cr:
            return _cost(node, n) + alpha, 1
        return cl + cr, ll + lr

    alphas, low = [], 0.0
    while leaves_at(root, low)[1] > 1:
        start = leaves_at(root, low)[1]
        lo, hi = low, 1.0
        for _ in range(80):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if leaves_at(root, mid)[1] == start else (lo, mid)
        alphas.append(hi)
        low = hi
    return np.array(alphas)


def pruning_path_in_place(root):
    """Right alphas, but it cuts the caller's tree."""
    alphas = pruning_path(root)
    root.left = root.right = None
    root.feature = None
    return alphas


def pruning_path_without_leaf_count(root):
    """g(t) = R(t) - R(T_t): forgets to share the gain among the leaves it costs."""
    n = root.n_samples

    def links(node):
        if node.feature is None:
            return _cost(node, n), []
        cl, gl = links(node.left)
        cr, gr = links(node.right)
        return cl + cr, [(_cost(node, n) - cl - cr, node)] + gl + gr

    alphas, tree = [], root
    while tree.feature is not None:
        g, weakest = min(links(tree)[1], key=lambda pair: pair[0])
        alphas.append(g)
        tree = _collapse_copy(tree, weakest)
    return np.array(alphas)


def _collapse_copy(node, target):
    if node is target:
        return Node(node.value, node.impurity, node.n_samples)
    if node.feature is None:
        return node
    return Node(node.value, node.impurity, node.n_samples, node.feature, node.threshold,
                _collapse_copy(node.left, target), _collapse_copy(node.right, target))


def test_08_6_pruning_path():
    passes("08.6", pruning_path)
    passes("08.6", pruning_path_bottom_up)
    fails("08.6", pruning_path_in_place, "changed the tree")
    fails("08.6", pruning_path_without_leaf_count, "alphas")
    # only the first weakest link of the full tree, repeated: the path stops changing
    fails("08.6", lambda root: pruning_path(root)[:1], "distinct alphas")


# --- 08.7 choose ccp_alpha (judgement) -------------------------------------------------------


def choose_by_cross_validation(X, y):
    path = SkTree(random_state=0).cost_complexity_pruning_path(X, y).ccp_alphas
    scores = [cross_val_score(SkTree(ccp_alpha=a, random_state=0), X, y, cv=5).mean()
              for a in path[:-1]]
    return path[int(np.argmax(scores))]


def choose_by_validation_split(X, y):
    fit_X, fit_y, val_X, val_y = X[:200], y[:200], X[200:], y[200:]
    path = SkTree(random_state=0).cost_complexity_pruning_path(fit_X, fit_y).ccp_alphas
    scores = [SkTree(ccp_alpha=a, random_state=0).fit(fit_X, fit_y).score(val_X, val_y)
              for a in path[:-1]]
    return path[int(np.argmax(scores))]


def choose_by_training_accuracy(X, y):
    path = SkTree(random_state=0).cost_complexity_pruning_path(X, y).ccp_alphas
    scores = [SkTree(ccp_alpha=a, random_state=0).fit(X, y).score(X, y) for a in path]
    return path[int(np.argmax(scores))]


def test_08_7_choose_ccp_alpha():
    passes("08.7", choose_by_cross_validation)
    passes("08.7", choose_by_validation_split)
    fails("08.7", choose_by_training_accuracy, "training accuracy")
    fails("08.7", lambda X, y: 0.0, "rows the tree did not train on")
    fails("08.7", lambda X, y: 1.0, "accuracy")  # the root alone: the majority class
