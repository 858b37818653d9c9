"""Grow a CART tree level by level with a vectorised split search.

The whole level is processed at once. For every feature ``j``, ``idx[j]`` lists the
samples still being split, grouped by node ("segments") and sorted by ``X[:, j]`` inside
each segment. One cumulative sum of the per-sample statistics along that order gives,
for every position, the statistics of the left child "everything up to here in this
node"; subtracting from the node totals gives the right child. Every threshold of every
feature of every node is scored in a handful of array expressions, the best one per node
is a segmented maximum, and a stable partition (again by cumulative sums) carries the
sorted order to the next level: each feature is sorted once, at the root.

See notebooks/08_decision_trees.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from mlcourse.tree._tree import Tree

# values closer than this count as equal, as in scikit-learn (which works in float32)
FEATURE_THRESHOLD = 1e-7
# a node whose impurity is not above this is pure
EPSILON = np.finfo(np.float64).eps
# number of (feature, row) cells handled at once: more features are handled in chunks,
# which keeps the temporary arrays small (quick to allocate, warm in the cache)
CHUNK_ELEMENTS = 1 << 16


def presort(X):
    """Per-feature sort order of ``X``, shape ``(n_features, n_samples)``.

    A forest can compute this once and pass it to :func:`grow_tree` for every tree.
    """
    return np.argsort(X, axis=0, kind="stable").T.copy()


def _select_features(XT, idx, starts, ends, seg, k, rng):
    """Sample ``k`` candidate features per node, non-constant ones first.

    scikit-learn draws features until it has found ``k`` that are not constant in the
    node; putting the constant ones last in a random order does the same in one go.
    Returns ``F``, the feature of each (slot, position), and ``I``, the samples in the
    order of that feature, both of shape ``(k, n_active)``.
    """
    d, n_act = idx.shape
    rows = np.arange(d)[:, None]
    lo, hi = XT[rows, idx[:, starts]], XT[rows, idx[:, ends - 1]]
    constant = hi <= lo + FEATURE_THRESHOLD  # (d, n_nodes)
    keys = rng.random_sample(constant.T.shape) + constant.T
    chosen = np.argsort(keys, axis=1)[:, :k]  # (n_nodes, k)
    F = chosen[seg].T
    return F, idx[F, np.arange(n_act)]


def _best_in_chunk(XT, stats, proxy, F, I, starts, sizes, seg, min_samples_leaf):
    """Best split of every node among the features of one chunk of slots.

    Returns per node: the proxy score (``-inf`` if no valid split), the feature and the
    threshold (meaningless where the score is ``-inf``).
    """
    c, n_act = I.shape
    pos = np.arange(n_act)
    Xs = XT[F, I]  # (c, n_act): feature values in sorted order
    L, R = [], []
    for block in stats:  # class counts (K rows), or the weights and the weighted targets
        left = np.empty((len(block), c, n_act), dtype=block.dtype)
        for k, row in enumerate(block):
            np.take(row, I, out=left[k])  # each statistic in each feature's order
        total = np.add.reduceat(left, starts, axis=2)  # node totals (m, c, n_nodes)
        # a segmented cumulative sum: subtracting the previous node's total at each
        # node's first row makes one running sum over the level restart at every node
        left[:, :, starts[1:]] -= total[:, :, :-1]
        np.cumsum(left, axis=2, out=left)
        # np.repeat spreads each node's total over its rows
        right = np.repeat(total, sizes, axis=2)
        right -= left
        L.append(left)
        R.append(right)

    n_left = pos - starts[seg] + 1
    valid = (n_left >= min_samples_leaf) & (sizes[seg] - n_left >= min_samples_leaf)
    # a threshold can only sit between two distinct values (ties and constant features)
    distinct = np.zeros((c, n_act), dtype=bool)
    distinct[:, :-1] = Xs[:, 1:] > Xs[:, :-1] + FEATURE_THRESHOLD
    valid = valid & distinct
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(valid, proxy(L, R), -np.inf)

    # best score of each (feature, node); ties go to the first feature, then the first row
    per_feature = np.maximum.reduceat(score, starts, axis=1)  # (c, n_nodes)
    s = per_feature.argmax(axis=0)
    node_best = per_feature[s, np.arange(starts.size)]
    row = score[s[seg], pos]  # scores along each node's best feature
    hit = (row == node_best[seg]) & (row > -np.inf)
    p = np.minimum.reduceat(np.where(hit, pos, n_act - 1), starts)
    lo, hi = Xs[s, p], Xs[s, np.minimum(p + 1, n_act - 1)]
    # halfway between the two values, unless rounding lands it on the upper one
    threshold = lo / 2.0 + hi / 2.0
    threshold = np.where((threshold == hi) | ~np.isfinite(threshold), lo, threshold)
    feature = np.broadcast_to(F, (c, n_act))[s, p]
    return node_best, feature, threshold


def _best_splits(XT, stats, proxy, idx, starts, sizes, min_samples_leaf, k, rng):
    """Best split of every node of the level (see :func:`_best_in_chunk`)."""
    d, n_act = idx.shape
    seg = np.repeat(np.arange(starts.size), sizes)
    if k < d:
        F, I = _select_features(XT, idx, starts, starts + sizes, seg, k, rng)
    else:
        F, I = np.arange(d)[:, None], idx
    chunk = max(1, CHUNK_ELEMENTS // (n_act * sum(len(block) for block in stats)))
    best = None
    for a in range(0, I.shape[0], chunk):
        F_c = F[a:a + chunk]
        found = _best_in_chunk(XT, stats, proxy, F_c, I[a:a + chunk], starts, sizes, seg,
                               min_samples_leaf)
        if best is None:
            best = found
        else:
            better = found[0] > best[0]  # strict: earlier features win ties
            best = tuple(np.where(better, new, old) for new, old in zip(found, best, strict=True))
    return best, seg


def _append(store, **arrays):
    """Record one level's arrays; they are concatenated once the tree is grown."""
    for key, val in arrays.items():
        store[key].append(val)


def _partition(idx, child_of, starts, sizes, new_start):
    """Carry the per-feature sorted order to the children, dropping finished nodes.

    ``child_of[i]`` is the child (``2 r`` left, ``2 r + 1`` right, ``-1`` none) of
    sample ``i``; ``new_start[c]`` is where child ``c`` starts at the next level, or
    ``-1`` when the child is a leaf. Inside a node, a left sample's rank among the
    left samples is a cumulative count, so the order along each feature survives.
    """
    d, n_act = idx.shape
    n_new = int(np.sum(np.append(new_start >= 0, False)[child_of[idx[0]]]))
    new_idx = np.empty((d, n_new), dtype=idx.dtype)
    chunk = max(1, CHUNK_ELEMENTS // n_act)
    for a in range(0, d, chunk):
        _partition_rows(idx[a:a + chunk], child_of, starts, sizes, new_start,
                        out=new_idx[a:a + chunk])
    return new_idx


def _partition_rows(idx, child_of, starts, sizes, new_start, out):
    """:func:`_partition` for a few features (rows of ``idx``), written into ``out``."""
    (d, n_act), n_new = idx.shape, out.shape[1]
    E = child_of[idx]  # (d, n_act) child of every entry
    is_left = (E & 1) == 0
    # left entries so far inside the node, counting this one (cast first: a cumulative
    # sum of booleans is many times slower than one of integers)
    lefts = np.cumsum(is_left.astype(np.intp), axis=1)
    before = lefts[:, starts - 1]
    before[:, 0] = 0
    lefts -= np.repeat(before, sizes, axis=1)
    # entries of the same child so far: lefts for a left entry, the others for a right
    # one; arithmetic instead of np.where, which is slow on a random mask
    pos = np.arange(1, n_act + 1) - np.repeat(starts, sizes)  # 1-based position in node
    same = pos - lefts
    same += is_left * (2 * lefts - pos)
    dest = np.append(new_start, 0)[E] + same - 1  # E == -1 picks the appended entry
    keep = np.append(new_start >= 0, False)[E]
    dest += np.arange(d)[:, None] * n_new  # flat position in the (d, n_new) block
    out.ravel()[dest[keep]] = idx[keep]  # rows of a C-ordered array: ravel is a view


def grow_tree(X, criterion, *, max_depth=None, min_samples_split=2, min_samples_leaf=1,
              max_features=None, rng=None, order=None):
    """Grow a CART tree breadth first and return it as a :class:`Tree`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Float features.
    criterion : ClassificationCriterion or RegressionCriterion
        Holds ``y`` and the sample weights; samples of weight 0 are left out, so a
        forest can pass bootstrap counts as weights.
    max_depth : int or None
        Nodes at this depth become leaves.
    min_samples_split, min_samples_leaf : int
        Smallest node that may be split; smallest child a split may create.
    max_features : int or None
        Number of features drawn at random for each split (``None``: all).
    rng : int, numpy.random.RandomState or None
        Draws the features when ``max_features`` is set.
    order : ndarray of shape (n_features, n_samples), optional
        ``presort(X)``, when already computed.

    Returns
    -------
    Tree
    """
    n, d = X.shape
    XT = np.ascontiguousarray(X.T, dtype=np.float64)
    max_depth = np.inf if max_depth is None else max_depth
    k = d if max_features is None else int(max_features)
    rng = check_random_state(rng)
    stats, proxy, w = criterion.stats, criterion.proxy, criterion.w
    if order is None:
        order = presort(X)
    in_fit = w > 0
    idx = order[in_fit[order]].reshape(d, -1)  # each row keeps the same samples
    samples = idx[0]

    value, impurity, weight = criterion.node_summary(np.zeros(samples.size, np.intp), 1, samples)
    nodes = dict(value=[value], impurity=[impurity], weight=[weight],
                 count=[np.array([samples.size])], depth=[np.array([0])])
    splits = dict(node=[], feature=[], threshold=[], left=[], right=[], gain=[])
    n_nodes = 1

    def keeps_growing(count, imp, depth):
        return (depth < max_depth) & (count >= min_samples_split) & (
            count >= 2 * min_samples_leaf) & (imp > EPSILON)

    root_grows = keeps_growing(samples.size, impurity[0], 0)
    starts = np.array([0] if root_grows else [], dtype=np.intp)
    sizes = np.array([samples.size] if root_grows else [], dtype=np.intp)
    node_id, node_imp, node_w = np.array([0]), impurity, weight
    depth = 0
    while starts.size:
        (score, feature, threshold), seg = _best_splits(
            XT, stats, proxy, idx, starts, sizes, min_samples_leaf, k, rng)
        has_split = score > -np.inf
        if not has_split.any():
            break
        # every sample of a split node goes to child 2r (left) or 2r+1 (right)
        samples = idx[0]
        rank = np.cumsum(has_split) - 1
        go_right = XT[feature[seg], samples] > threshold[seg]
        child = np.where(has_split[seg], 2 * rank[seg] + go_right, -1)
        moving = child >= 0
        n_children = 2 * int(has_split.sum())
        value, imp, W = criterion.node_summary(child[moving], n_children, samples[moving])
        count = np.bincount(child[moving], minlength=n_children)

        ids = n_nodes + np.arange(n_children)
        n_nodes += n_children
        parent = np.flatnonzero(has_split)
        # weighted impurity decrease of each split, for the feature importances
        gain = node_w[parent] * node_imp[parent] - W[0::2] * imp[0::2] - W[1::2] * imp[1::2]
        _append(splits, node=node_id[parent], feature=feature[parent],
                threshold=threshold[parent], left=ids[0::2], right=ids[1::2], gain=gain)
        depth += 1
        _append(nodes, value=value, impurity=imp, weight=W, count=count,
                depth=np.full(n_children, depth))

        # children that are not leaves form the next level
        grow = keeps_growing(count, imp, depth)
        new_start = np.full(n_children, -1)
        new_start[grow] = np.cumsum(count[grow]) - count[grow]
        child_of = np.full(n, -1)
        child_of[samples] = child
        idx = _partition(idx, child_of, starts, sizes, new_start)
        starts, sizes = new_start[grow], count[grow]
        node_id, node_imp, node_w = ids[grow], imp[grow], W[grow]

    return Tree.from_growth(n_nodes, nodes, splits)
