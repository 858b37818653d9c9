"""DBSCAN: density-based clustering with noise.

See notebooks/11_unsupervised_learning.ipynb, section "When k-means fails", for the idea and
the k-distance plot that chooses ``eps``.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data

from mlcourse.metrics.pairwise import check_squares_finite, pairwise_distances_chunked


def radius_neighbours(X, eps):
    """Every pair of rows closer than ``eps`` (each row is its own neighbour).

    The squared distances come block by block, so memory stays bounded by one block of the
    distance matrix plus the pairs that are kept.

    Returns
    -------
    rows, cols : ndarray of shape (n_pairs,), dtype intp
        Row ``rows[p]`` and row ``cols[p]`` are within ``eps`` of each other, ``rows`` sorted.
    """
    rows, cols = [], []
    for block, D in pairwise_distances_chunked(X, X):
        i, j = np.nonzero(D <= eps**2)
        rows.append(i + block.start)
        cols.append(j)
    return np.concatenate(rows), np.concatenate(cols)


def connected_components(n_nodes, rows, cols):
    """Label each node of an undirected graph by the smallest node index in its component.

    Min-label propagation with shortcuts: every node takes the smallest label among itself
    and its neighbours, then the label of the node its label points to. Labels only go down
    and always name a node of the same component, so at the fixed point each component
    carries its smallest index. The shortcut makes the number of rounds grow with the
    logarithm of a component's diameter rather than the diameter itself, in practice.

    Parameters
    ----------
    n_nodes : int
    rows, cols : ndarray of shape (n_edges,)
        The edges, listed in both directions.
    """
    labels = np.arange(n_nodes)
    while True:
        smaller = labels.copy()
        np.minimum.at(smaller, rows, labels[cols])
        smaller = smaller[smaller]  # shortcut: follow the pointer one step further
        if np.array_equal(smaller, labels):
            return labels
        labels = smaller


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-based spatial clustering of applications with noise (Ester et al., 1996).

    A **core point** has at least ``min_samples`` rows (itself included) within distance
    ``eps``. Core points within ``eps`` of each other belong to the same cluster, so the
    clusters are the connected components of the graph of core points. A non-core row within
    ``eps`` of a core point is a **border point** and joins that core point's cluster (the
    nearest one when several clusters reach it); every other row is **noise**, label -1.

    Parameters
    ----------
    eps : float, default=0.5
        The radius of a neighbourhood (Euclidean distance).
    min_samples : int, default=5
        Rows within ``eps`` (the row itself included) that make a row a core point.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training row, numbered 0, 1, ... in the order of their first row;
        -1 for noise.
    core_sample_indices_ : ndarray of shape (n_core_samples,)
        Indices of the core points.
    components_ : ndarray of shape (n_core_samples, n_features)
        The core points themselves.
    n_features_in_ : int

    Notes
    -----
    The core points and their clusters are determined by ``eps`` and ``min_samples`` alone,
    so they agree with ``sklearn.cluster.DBSCAN`` up to the numbering of the clusters. A
    border point within reach of two clusters may go to either; scikit-learn gives it to the
    cluster that reaches it first in its scan, this class to the nearest core point's.
    """

    def __init__(self, eps=0.5, min_samples=5):
        self.eps = eps
        self.min_samples = min_samples

    def _check_params(self):
        if not isinstance(self.eps, numbers.Real) or not np.isfinite(self.eps) or self.eps <= 0:
            raise ValueError(f"eps must be a positive number; got {self.eps!r}.")
        if (not isinstance(self.min_samples, numbers.Integral)
                or isinstance(self.min_samples, bool) or self.min_samples < 1):
            raise ValueError(f"min_samples must be an integer of at least 1; "
                             f"got {self.min_samples!r}.")

    def fit(self, X, y=None):
        """Find the core points, join them into clusters, attach the border points.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._check_params()
        X = validate_data(self, X, dtype=np.float64)
        check_squares_finite(X, "DBSCAN")
        n = X.shape[0]
        rows, cols = radius_neighbours(X, self.eps)
        n_neighbours = np.bincount(rows, minlength=n)
        is_core = n_neighbours >= self.min_samples

        # Clusters: connected components of the graph whose nodes are the core points and
        # whose edges join core points within eps.
        core_index = np.full(n, -1)
        core_index[is_core] = np.arange(is_core.sum())
        core_edge = is_core[rows] & is_core[cols]
        roots = connected_components(int(is_core.sum()), core_index[rows[core_edge]],
                                     core_index[cols[core_edge]])
        labels = np.full(n, -1)
        labels[is_core] = roots

        # Border points: the cluster of the nearest core point within eps.
        reach = ~is_core[rows] & is_core[cols]
        if reach.any():
            border, core = rows[reach], cols[reach]
            distance = np.einsum("ij,ij->i", X[border] - X[core], X[border] - X[core])
            order = np.lexsort((distance, border))  # by border point, nearest core first
            first = np.r_[True, border[order][1:] != border[order][:-1]]
            labels[border[order][first]] = labels[core[order][first]]

        # Number the clusters 0, 1, ... in the order of their first row.
        clustered = labels >= 0
        _, first_row, inverse = np.unique(labels[clustered], return_index=True,
                                          return_inverse=True)
        rank = np.empty(len(first_row), dtype=np.intp)
        rank[np.argsort(first_row, kind="stable")] = np.arange(len(first_row))
        labels[clustered] = rank[inverse]

        self.labels_ = labels.astype(np.intp)
        self.core_sample_indices_ = np.flatnonzero(is_core)
        self.components_ = X[is_core].copy()
        return self
