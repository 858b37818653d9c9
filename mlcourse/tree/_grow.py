"""Grow a CART tree level by level with a vectorised split search.

Read ``mlcourse/tree/readable.py`` first: it grows exactly the same tree with one short
recursive function (``tests/test_tree.py`` checks that the two agree node for node). This
module computes the same splits, with the same tie-breaking, but for a whole level of the
tree at once, because a recursion spends its time in Python: one call per node, one sort
per feature per node, and thousands of small NumPy calls for a deep tree. On a shallow tree
the two take about as long; on a full-depth tree the recursion is an order of magnitude
slower (notebook 08, section 11, measures both).

What the vectorised version changes, and why:

* **Sort once.** ``presort`` sorts every feature at the root. Row ``j`` of
  ``sorted_samples`` lists the samples still being split, grouped by node (each node's
  samples form one contiguous *segment*) and sorted by ``X[:, j]`` inside each segment.
  After a level is split, a stable partition (:func:`_partition`, itself a cumulative count)
  carries that order down to the children, so no node is ever sorted again.
* **Score a whole level at once.** One cumulative sum of the per-sample statistics along
  the sorted order gives, for every position, the statistics of the left child "everything
  up to here in this node"; subtracting it from the node's total gives the right child. To
  make one running sum over the level restart at every node, the previous node's total is
  subtracted at each node's first position (a *segmented* cumulative sum). Every threshold
  of every feature of every node is then scored by a handful of array expressions, and the
  best one per node is a segmented maximum (``np.maximum.reduceat``).
* **Scores from whole-number sums.** The criteria (``_criteria.py``) score a split from
  sums that are exact in int64 (class counts, unit or bootstrap weights), so equal splits
  tie exactly; ties go to the first feature, then the smallest threshold, as in the
  readable version.
* **Chunks.** Features are scored a few at a time (``CHUNK_ELEMENTS``) to keep the
  temporary arrays small enough to stay in the cache.

Nodes are numbered breadth first (level by level), which is the order they are created in.

See notebooks/08_decision_trees.ipynb.

References
----------
L. Breiman, J. Friedman, R. Olshen and C. Stone, *Classification and Regression Trees*,
Wadsworth, 1984.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from mlcourse.tree._tree import Tree

# values closer than this count as equal, as in scikit-learn (which works in float32)
FEATURE_THRESHOLD = 1e-7
# a node whose impurity is not above this is pure
EPSILON = np.finfo(np.float64).eps
# number of (feature, position) cells handled at once: more features are handled in chunks,
# which keeps the temporary arrays small (quick to allocate, warm in the cache)
CHUNK_ELEMENTS = 1 << 16


def presort(X):
    """Per-feature sort order of ``X``, shape ``(n_features, n_samples)``.

    A forest can compute this once and pass it to :func:`grow_tree` for every tree.
    """
    return np.argsort(X, axis=0, kind="stable").T.copy()


def _select_features(X_by_feature, sorted_samples, node_start, node_end, node_of_position,
                     n_candidates, rng):
    """Sample ``n_candidates`` features per node, non-constant ones first.

    scikit-learn draws features until it has found ``n_candidates`` that are not constant
    in the node; putting the constant ones last in a random order does the same in one go.
    Returns ``slot_feature``, the feature of each (candidate slot, position), and
    ``slot_samples``, the samples in the order of that feature; both have shape
    ``(n_candidates, n_active)``.
    """
    n_features, n_active = sorted_samples.shape
    features = np.arange(n_features)[:, None]
    lowest = X_by_feature[features, sorted_samples[:, node_start]]
    highest = X_by_feature[features, sorted_samples[:, node_end - 1]]
    constant = highest <= lowest + FEATURE_THRESHOLD  # (n_features, n_nodes)
    keys = rng.random_sample(constant.T.shape) + constant.T
    chosen = np.argsort(keys, axis=1)[:, :n_candidates]  # (n_nodes, n_candidates)
    slot_feature = chosen[node_of_position].T
    return slot_feature, sorted_samples[slot_feature, np.arange(n_active)]


def _best_in_chunk(X_by_feature, stats, split_score, slot_feature, slot_samples, node_start,
                   node_size, node_of_position, min_samples_leaf):
    """Best split of every node among the features of one chunk of candidate slots.

    Returns per node: the score (``-inf`` if no valid split), the feature and the
    threshold (meaningless where the score is ``-inf``).
    """
    n_slots, n_active = slot_samples.shape
    position = np.arange(n_active)
    x_sorted = X_by_feature[slot_feature, slot_samples]  # (n_slots, n_active)
    left_stats, right_stats = [], []
    for block in stats:  # class counts (K rows), or the weights and the weighted targets
        left = np.empty((len(block), n_slots, n_active), dtype=block.dtype)
        for row, per_sample in enumerate(block):
            np.take(per_sample, slot_samples, out=left[row])  # in each feature's order
        node_total = np.add.reduceat(left, node_start, axis=2)  # (m, n_slots, n_nodes)
        # a segmented cumulative sum: subtracting the previous node's total at each
        # node's first position makes one running sum over the level restart at every node
        left[:, :, node_start[1:]] -= node_total[:, :, :-1]
        np.cumsum(left, axis=2, out=left)
        # np.repeat spreads each node's total over its positions
        right = np.repeat(node_total, node_size, axis=2)
        right -= left
        left_stats.append(left)
        right_stats.append(right)

    n_left = position - node_start[node_of_position] + 1
    valid = (n_left >= min_samples_leaf) & (node_size[node_of_position] - n_left
                                            >= min_samples_leaf)
    # a threshold can only sit between two distinct values (ties and constant features)
    distinct = np.zeros((n_slots, n_active), dtype=bool)
    distinct[:, :-1] = x_sorted[:, 1:] > x_sorted[:, :-1] + FEATURE_THRESHOLD
    valid = valid & distinct
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(valid, split_score(left_stats, right_stats), -np.inf)

    # best score of each (slot, node); ties go to the first slot, then the first position
    best_per_slot = np.maximum.reduceat(score, node_start, axis=1)  # (n_slots, n_nodes)
    best_slot = best_per_slot.argmax(axis=0)
    node_best_score = best_per_slot[best_slot, np.arange(node_start.size)]
    # scores along each node's best feature, and the first position reaching the best
    along_best = score[best_slot[node_of_position], position]
    is_best = (along_best == node_best_score[node_of_position]) & (along_best > -np.inf)
    best_position = np.minimum.reduceat(np.where(is_best, position, n_active - 1), node_start)
    below = x_sorted[best_slot, best_position]
    above = x_sorted[best_slot, np.minimum(best_position + 1, n_active - 1)]
    # halfway between the two values, unless rounding lands it on the upper one
    threshold = below / 2.0 + above / 2.0
    threshold = np.where((threshold == above) | ~np.isfinite(threshold), below, threshold)
    feature = np.broadcast_to(slot_feature, (n_slots, n_active))[best_slot, best_position]
    return node_best_score, feature, threshold


def _best_splits(X_by_feature, stats, split_score, sorted_samples, node_start, node_size,
                 min_samples_leaf, n_candidates, rng):
    """Best split of every node of the level (see :func:`_best_in_chunk`)."""
    n_features, n_active = sorted_samples.shape
    node_of_position = np.repeat(np.arange(node_start.size), node_size)
    if n_candidates < n_features:
        slot_feature, slot_samples = _select_features(
            X_by_feature, sorted_samples, node_start, node_start + node_size,
            node_of_position, n_candidates, rng)
    else:
        slot_feature, slot_samples = np.arange(n_features)[:, None], sorted_samples
    chunk = max(1, CHUNK_ELEMENTS // (n_active * sum(len(block) for block in stats)))
    best = None
    for first in range(0, slot_samples.shape[0], chunk):
        found = _best_in_chunk(X_by_feature, stats, split_score,
                               slot_feature[first:first + chunk],
                               slot_samples[first:first + chunk], node_start, node_size,
                               node_of_position, min_samples_leaf)
        if best is None:
            best = found
        else:
            better = found[0] > best[0]  # strict: earlier features win ties
            best = tuple(np.where(better, new, old) for new, old in zip(found, best, strict=True))
    return best, node_of_position


def _append(store, **arrays):
    """Record one level's arrays; they are concatenated once the tree is grown."""
    for key, val in arrays.items():
        store[key].append(val)


def _partition(sorted_samples, child_of, node_start, node_size, child_start):
    """Carry the per-feature sorted order to the children, dropping finished nodes.

    ``child_of[i]`` is the child (``2 r`` left, ``2 r + 1`` right, ``-1`` none) of
    sample ``i``; ``child_start[c]`` is where child ``c`` starts at the next level, or
    ``-1`` when the child is a leaf. Inside a node, a left sample's rank among the
    left samples is a cumulative count, so the order along each feature survives.
    """
    n_features, n_active = sorted_samples.shape
    stays = np.append(child_start >= 0, False)  # index -1 (no child) picks the False
    n_next = int(np.sum(stays[child_of[sorted_samples[0]]]))
    next_sorted = np.empty((n_features, n_next), dtype=sorted_samples.dtype)
    chunk = max(1, CHUNK_ELEMENTS // n_active)
    for first in range(0, n_features, chunk):
        _partition_rows(sorted_samples[first:first + chunk], child_of, node_start, node_size,
                        child_start, out=next_sorted[first:first + chunk])
    return next_sorted


def _partition_rows(sorted_samples, child_of, node_start, node_size, child_start, out):
    """:func:`_partition` for a few features (rows of ``sorted_samples``), into ``out``."""
    (n_features, n_active), n_next = sorted_samples.shape, out.shape[1]
    child = child_of[sorted_samples]  # (n_features, n_active): the child of every entry
    is_left = (child & 1) == 0
    # left entries so far inside the node, counting this one (cast first: a cumulative
    # sum of booleans is many times slower than one of integers)
    lefts_so_far = np.cumsum(is_left.astype(np.intp), axis=1)
    before_node = lefts_so_far[:, node_start - 1]
    before_node[:, 0] = 0
    lefts_so_far -= np.repeat(before_node, node_size, axis=1)
    # entries of the same child so far: lefts for a left entry, the others for a right
    # one; arithmetic instead of np.where, which is slow on a random mask
    position_in_node = np.arange(1, n_active + 1) - np.repeat(node_start, node_size)  # 1-based
    rank_in_child = position_in_node - lefts_so_far
    rank_in_child += is_left * (2 * lefts_so_far - position_in_node)
    destination = np.append(child_start, 0)[child] + rank_in_child - 1  # child -1: appended
    stays = np.append(child_start >= 0, False)[child]
    destination += np.arange(n_features)[:, None] * n_next  # flat index in the output block
    out.ravel()[destination[stays]] = sorted_samples[stays]  # C-ordered rows: ravel is a view


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
    n_samples, n_features = X.shape
    X_by_feature = np.ascontiguousarray(X.T, dtype=np.float64)
    max_depth = np.inf if max_depth is None else max_depth
    n_candidates = n_features if max_features is None else int(max_features)
    rng = check_random_state(rng)
    if order is None:
        order = presort(X)
    in_fit = criterion.w > 0
    sorted_samples = order[in_fit[order]].reshape(n_features, -1)  # same samples per row
    samples = sorted_samples[0]

    value, impurity, weight = criterion.node_summary(np.zeros(samples.size, np.intp), 1,
                                                     samples)
    nodes = dict(value=[value], impurity=[impurity], weight=[weight],
                 count=[np.array([samples.size])], depth=[np.array([0])])
    splits = dict(node=[], feature=[], threshold=[], left=[], right=[], gain=[])
    n_nodes = 1

    def keeps_growing(count, impurity, depth):
        return (depth < max_depth) & (count >= min_samples_split) & (
            count >= 2 * min_samples_leaf) & (impurity > EPSILON)

    # the nodes of the current level that are split: their ids, where their segment
    # starts in sorted_samples and its size, and their impurity and weight
    root_grows = keeps_growing(samples.size, impurity[0], 0)
    node_start = np.array([0] if root_grows else [], dtype=np.intp)
    node_size = np.array([samples.size] if root_grows else [], dtype=np.intp)
    node_id, node_impurity, node_weight = np.array([0]), impurity, weight
    depth = 0
    while node_start.size:
        (score, feature, threshold), node_of_position = _best_splits(
            X_by_feature, criterion.stats, criterion.split_score, sorted_samples, node_start,
            node_size, min_samples_leaf, n_candidates, rng)
        has_split = score > -np.inf
        if not has_split.any():
            break
        # every sample of a split node goes to child 2r (left) or 2r+1 (right), where r
        # counts the split nodes of the level
        samples = sorted_samples[0]
        split_rank = np.cumsum(has_split) - 1
        splits_here = has_split[node_of_position]
        go_right = X_by_feature[feature[node_of_position], samples] > threshold[node_of_position]
        child = np.where(splits_here, 2 * split_rank[node_of_position] + go_right, -1)
        moving = child >= 0
        n_children = 2 * int(has_split.sum())
        value, child_impurity, child_weight = criterion.node_summary(
            child[moving], n_children, samples[moving])
        count = np.bincount(child[moving], minlength=n_children)

        child_id = n_nodes + np.arange(n_children)
        n_nodes += n_children
        parent = np.flatnonzero(has_split)
        # weighted impurity decrease of each split, for the feature importances
        gain = (node_weight[parent] * node_impurity[parent]
                - child_weight[0::2] * child_impurity[0::2]
                - child_weight[1::2] * child_impurity[1::2])
        _append(splits, node=node_id[parent], feature=feature[parent],
                threshold=threshold[parent], left=child_id[0::2], right=child_id[1::2],
                gain=gain)
        depth += 1
        _append(nodes, value=value, impurity=child_impurity, weight=child_weight, count=count,
                depth=np.full(n_children, depth))

        # children that are not leaves form the next level
        grow = keeps_growing(count, child_impurity, depth)
        child_start = np.full(n_children, -1)
        child_start[grow] = np.cumsum(count[grow]) - count[grow]
        child_of = np.full(n_samples, -1)
        child_of[samples] = child
        sorted_samples = _partition(sorted_samples, child_of, node_start, node_size,
                                    child_start)
        node_start, node_size = child_start[grow], count[grow]
        node_id, node_impurity, node_weight = (child_id[grow], child_impurity[grow],
                                               child_weight[grow])

    return Tree.from_growth(n_nodes, nodes, splits)
