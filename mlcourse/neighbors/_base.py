"""Shared machinery of the k-nearest-neighbour estimators: storing the data and finding neighbours.

See notebooks/07_knn_and_naive_bayes.ipynb for the ideas, step by step.
"""

from __future__ import annotations

import numbers
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.metrics.pairwise import check_squares_finite
from mlcourse.utils import CACHE_BLOCK_BYTES as _BLOCK_BYTES
from mlcourse.utils import integer, one_of, rows_per_block, single_blas_thread

# Threads that search blocks at once: the cores, up to a few (more only adds memory).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


def k_smallest(D, k):
    """Column indices and values of the ``k`` smallest entries of every row of ``D``.

    ``argpartition`` finds them in O(m) per row instead of the O(m log m) of a full sort; only
    the ``k`` survivors are then sorted. Among equal distances the lower training index comes
    first, and it is the lower indices that stay in the neighbourhood when a tie straddles the
    k-th place. scikit-learn's brute-force search does not promise an order among exact ties,
    so on data with many of them (integer pixels) a few neighbour lists, and about one digits
    prediction in 400, differ from it (notebook 07, section 4).

    Parameters
    ----------
    D : ndarray of shape (n, m)
        Distances (or squared distances) from ``n`` queries to ``m`` training points.
    k : int
        Number of neighbours, ``1 <= k <= m``.

    Returns
    -------
    ind : ndarray of shape (n, k)
        Column indices, sorted by distance then index.
    dist : ndarray of shape (n, k)
        The matching entries of ``D``.
    """
    n, m = D.shape
    rows = np.arange(n)[:, None]
    if k < m:
        ind = np.argpartition(D, k - 1, axis=1)[:, :k]
        kth = D[rows, ind].max(axis=1, keepdims=True)
        # argpartition picks tied entries arbitrarily: repair the rows where the tie matters.
        straddling = np.count_nonzero(D <= kth, axis=1) > k
        if straddling.any():
            ind[straddling] = _lowest_index_k_smallest(D[straddling], kth[straddling], k)
    else:
        ind = np.broadcast_to(np.arange(m), (n, m)).copy()
    ind.sort(axis=1)
    dist = D[rows, ind]
    order = np.argsort(dist, axis=1, kind="stable")  # stable: equal distances keep index order
    return np.take_along_axis(ind, order, axis=1), np.take_along_axis(dist, order, axis=1)


def k_smallest_by_groups(D, k):
    """Return the same result as ``k_smallest(D, k)``, several times faster on long rows.

    ``argpartition`` costs 3 to 14 ns per entry, depending on the SIMD kernel NumPy picks for
    the processor, and a neighbour search would call it on every distance. Here each row's
    ``m`` columns are dealt into ``G`` groups of ``b`` (group ``j`` holds columns ``j, j + G,
    j + 2G, ...``, so a group's minimum is an element-wise ``minimum`` of ``b`` contiguous
    slices: well under 1 ns per entry). The ``k``-th smallest group minimum ``t`` is an upper
    bound on the ``k``-th smallest entry of the row (``k`` groups each hold an entry
    ``<= t``), so every entry that can be among the ``k`` smallest, ties included, lies in a
    group whose minimum is ``<= t``. Only those groups, about ``k * b`` entries, go through
    ``k_smallest``. With ``b`` near ``sqrt(m / k)`` both steps are small: on rows of 15,000
    distances and k = 10 the selection is 3.5 to 10 times faster. Many exact ties at the k-th place
    (duplicated points) bring more groups in, up to all of them: never a wrong answer, at
    worst about as slow as ``k_smallest``. scikit-learn reaches the same end with a compiled
    heap per row that rejects most distances with one comparison.

    Parameters
    ----------
    D : ndarray of shape (n, m)
    k : int
        ``1 <= k <= m``.

    Returns
    -------
    ind, dist : ndarray of shape (n, k)
        Exactly as from :func:`k_smallest`, ties broken by the lower column index.
    """
    n, m = D.shape
    b = int(np.sqrt(m / k))  # entries per group
    n_groups = m // b if b > 1 else 0
    if n_groups < 4 * k:  # short rows: nothing to gain
        return k_smallest(D, k)
    grouped = D[:, :n_groups * b].reshape(n, b, n_groups)  # [i, r, j] is column j + r * G
    group_min = grouped.min(axis=1)
    order = np.argpartition(group_min, k - 1, axis=1)
    t = np.take_along_axis(group_min, order[:, k - 1:k], axis=1)
    # ties at t may bring more than k groups into play: take as many as the worst row needs
    n_chosen = int(np.count_nonzero(group_min <= t, axis=1).max())
    if n_chosen > k:
        order = np.argpartition(group_min, n_chosen - 1, axis=1)
    chosen = np.sort(order[:, :n_chosen], axis=1)
    # candidate columns in increasing order (so position order is index order), then the
    # m - G * b columns left over, which are always candidates
    columns = (np.arange(b)[:, None] * n_groups + chosen[:, None, :]).reshape(n, -1)
    leftover = np.broadcast_to(np.arange(n_groups * b, m), (n, m - n_groups * b))
    columns = np.concatenate([columns, leftover], axis=1)
    position, dist = k_smallest(np.take_along_axis(D, columns, axis=1), k)
    return np.take_along_axis(columns, position, axis=1), dist


def _lowest_index_k_smallest(D, kth, k):
    """Return the indices of the k smallest entries per row; at a tie the lowest index wins."""
    below = D < kth
    tied = D == kth
    n_missing = k - np.count_nonzero(below, axis=1, keepdims=True)
    keep = below | (tied & (np.cumsum(tied, axis=1) <= n_missing))
    return np.nonzero(keep)[1].reshape(-1, k)  # row-major, so each row's k columns in turn


def _round_centre(X):
    """Return the column means rounded to a power of two near each column's spread.

    Subtracting it removes a large offset, and, because it is a multiple of a power of two
    no larger than the spread, data that were integers (pixel counts) stay exact integers, so
    their distances stay exact.
    """
    spread = X.std(axis=0)
    spread[~(np.isfinite(spread) & (spread > 0))] = 1.0
    step = 2.0 ** np.floor(np.log2(spread))
    return np.round(X.mean(axis=0) / step) * step


class KNeighborsBase(BaseEstimator):
    """Stores the training set and answers nearest-neighbour queries by brute force.

    Candidates are ranked block by block with ``||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2`` (one
    matrix product per block, so memory stays bounded however many queries arrive), selected
    by :func:`k_smallest_by_groups` (the same answer as the plainer :func:`k_smallest`), and
    the ``k`` chosen are measured directly. See notebooks/07_knn_and_naive_bayes.ipynb.
    """

    _parameter_rules = {
        "n_neighbors": integer(ge=1),
        "weights": one_of("uniform", "distance"),
    }

    def __init__(self, n_neighbors=5, *, weights="uniform"):
        self.n_neighbors = n_neighbors
        self.weights = weights

    def _validated_queries(self, X):
        """Check query points as the training points were checked; return them as floats."""
        X = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        check_squares_finite(X, type(self).__name__)  # else every distance is inf
        return X

    def _store(self, X):
        check_squares_finite(X, type(self).__name__)
        self.X_fit_ = X
        self.n_samples_fit_ = X.shape[0]
        # Distances do not change when every point moves by the same vector, but the expanded
        # square loses every digit of a small difference next to a large offset (features
        # around 1e8 that differ by 1): centring on the training mean keeps those digits.
        self._centre = _round_centre(X)
        self._X_fit_centred = X - self._centre

    def _neighbour_blocks(self, X, k):
        """Yield ``(rows, ind, sq_dist)`` for consecutive blocks of query rows."""
        if k > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {X.shape[0]}."
            )
        # Each block is a thin matrix product followed by selection, both single-threaded:
        # idle BLAS threads spinning between blocks would only steal the CPU from the selection.
        # Instead the blocks themselves run on a few threads at once (NumPy releases the GIL in
        # both), as scikit-learn's own neighbour search runs its chunks in parallel.
        centred = X - self._centre
        queries = -2.0 * centred  # exact (a power of two), and n x d products, not n x m
        fit = self._X_fit_centred
        fit_sq_norms = np.einsum("ij,ij->i", fit, fit)
        step = rows_per_block(self.n_samples_fit_, block_bytes=_BLOCK_BYTES)
        blocks = [slice(start, min(start + step, X.shape[0]))
                  for start in range(0, X.shape[0], step)]

        def neighbours_of(rows):
            # ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2, and ||a||^2 is the same for every b:
            # rank by ||b||^2 - 2 a.b, which saves two passes over the block (scikit-learn's
            # search ranks by the same), then measure the k winners directly.
            D = queries[rows] @ fit.T
            D += fit_sq_norms
            ind, _ = k_smallest_by_groups(D, k)
            return (rows, *_measured(centred[rows], fit, ind))

        with single_blas_thread():
            if len(blocks) == 1:
                yield neighbours_of(blocks[0])
                return
            with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
                # a window of blocks at a time keeps memory bounded, results in order
                for first in range(0, len(blocks), 2 * _WORKERS):
                    yield from pool.map(neighbours_of, blocks[first:first + 2 * _WORKERS])

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the ``n_neighbors`` nearest training points of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), optional
            Query points. If None, the neighbours of each training point are returned,
            the point itself excluded.
        n_neighbors : int, optional
            Defaults to the ``n_neighbors`` given at construction.
        return_distance : bool, default=True

        Returns
        -------
        dist : ndarray of shape (n_queries, n_neighbors)
            Euclidean distances, increasing along each row (only if ``return_distance``).
        ind : ndarray of shape (n_queries, n_neighbors)
            Indices of the neighbours in the training set.
        """
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if not isinstance(k, numbers.Integral) or k < 1:
            raise ValueError(f"n_neighbors must be a positive integer, got {k!r}.")
        query_is_train = X is None
        if query_is_train:
            X, k = self.X_fit_, k + 1  # one extra: each point finds itself first
        else:
            X = self._validated_queries(X)
        ind = np.empty((X.shape[0], k), dtype=np.intp)
        sq_dist = np.empty((X.shape[0], k))
        for rows, ind_block, sq_block in self._neighbour_blocks(X, k):
            ind[rows], sq_dist[rows] = ind_block, sq_block
        if query_is_train:
            ind, sq_dist = _drop_self(ind, sq_dist)
        if return_distance:
            return np.sqrt(sq_dist), ind
        return ind


def _measured(queries, fit, ind):
    """Squared distances from each query to its neighbours ``ind``, computed as ``sum (a - b)^2``.

    The expanded square that ranks the candidates loses digits to cancellation; the direct
    difference does not, and costs only ``k`` differences per query. Returns ``(ind, sq_dist)``
    ordered by distance, equal distances by index.
    """
    diff = queries[:, None, :] - fit[ind]
    sq_dist = np.einsum("nkj,nkj->nk", diff, diff)
    order = np.lexsort((ind, sq_dist), axis=1)  # by distance, then by index
    return np.take_along_axis(ind, order, axis=1), np.take_along_axis(sq_dist, order, axis=1)


def _drop_self(ind, sq_dist):
    """Remove each training point from its own neighbour list (or the farthest, if absent)."""
    is_self = ind == np.arange(ind.shape[0])[:, None]
    # with duplicates the point itself may have been pushed out: then drop the last column
    is_self[~is_self.any(axis=1), -1] = True
    keep = ~is_self
    k = ind.shape[1] - 1
    return ind[keep].reshape(-1, k), sq_dist[keep].reshape(-1, k)


def neighbour_weights(sq_dist, weights):
    """Vote weights of the neighbours: ``None`` for uniform, ``1 / distance`` otherwise.

    A query that coincides with training points (distance 0) gives weight 1 to those and 0 to
    the rest, as scikit-learn does, instead of dividing by zero.
    """
    if weights == "uniform":
        return None
    dist = np.sqrt(sq_dist)
    exact = dist == 0.0
    with np.errstate(divide="ignore"):
        w = 1.0 / dist
    has_exact = exact.any(axis=1)
    w[has_exact] = exact[has_exact]
    return w
