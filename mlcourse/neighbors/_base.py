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

from mlcourse.metrics.pairwise import check_squares_finite, squared_euclidean_distances
from mlcourse.utils import integer, one_of
from mlcourse.utils._compute import CACHE_BLOCK_BYTES as _BLOCK_BYTES
from mlcourse.utils._compute import rows_per_block, single_blas_thread

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


def _lowest_index_k_smallest(D, kth, k):
    """Indices of the k smallest entries per row; among ties at ``kth`` the lowest indices win."""
    below = D < kth
    tied = D == kth
    n_missing = k - np.count_nonzero(below, axis=1, keepdims=True)
    keep = below | (tied & (np.cumsum(tied, axis=1) <= n_missing))
    return np.nonzero(keep)[1].reshape(-1, k)  # row-major, so each row's k columns in turn


def _round_centre(X):
    """The column means rounded to a power of two near each column's spread.

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

    Distances come block by block from ``||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2`` so memory
    stays bounded however many queries arrive. See notebooks/07_knn_and_naive_bayes.ipynb.
    """

    _parameter_rules = {
        "n_neighbors": integer(ge=1),
        "weights": one_of("uniform", "distance"),
    }

    def __init__(self, n_neighbors=5, *, weights="uniform"):
        self.n_neighbors = n_neighbors
        self.weights = weights

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
        # idle BLAS threads spinning between blocks would only steal the CPU from argpartition.
        # Instead the blocks themselves run on a few threads at once (NumPy releases the GIL in
        # both), as scikit-learn's own neighbour search runs its chunks in parallel.
        queries = X - self._centre
        fit_sq_norms = np.einsum("ij,ij->i", self._X_fit_centred, self._X_fit_centred)
        step = rows_per_block(self.n_samples_fit_, block_bytes=_BLOCK_BYTES)
        blocks = [slice(start, min(start + step, X.shape[0]))
                  for start in range(0, X.shape[0], step)]

        def neighbours_of(rows):
            D = squared_euclidean_distances(queries[rows], self._X_fit_centred, fit_sq_norms)
            return (rows, *k_smallest(D, k))

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
            X = validate_data(self, X, reset=False, dtype=np.float64, order="C")
        ind = np.empty((X.shape[0], k), dtype=np.intp)
        sq_dist = np.empty((X.shape[0], k))
        for rows, ind_block, sq_block in self._neighbour_blocks(X, k):
            ind[rows], sq_dist[rows] = ind_block, sq_block
        if query_is_train:
            ind, sq_dist = _drop_self(ind, sq_dist)
        if return_distance:
            return np.sqrt(sq_dist), ind
        return ind


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
