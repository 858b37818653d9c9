"""k-means clustering by Lloyd's algorithm with k-means++ seeding.

See notebooks/11_unsupervised_learning.ipynb for the step-by-step derivation.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from mlcourse.metrics.pairwise import pairwise_distances_chunked, squared_euclidean_distances
from mlcourse.utils import Rule, check_params, integer, one_of, real, single_blas_thread


def assign_to_nearest(X, centers):
    """Assign each row to its nearest centre (the assignment step); return the indices.

    ``labels_i = argmin_j ||x_i - c_j||^2``, computed block by block so memory stays bounded.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_clusters, n_features)

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype intp
    """
    labels = np.empty(X.shape[0], dtype=np.intp)
    for rows, D in pairwise_distances_chunked(X, centers):
        labels[rows] = D.argmin(axis=1)
    return labels


def squared_distances_to_own_center(X, centers, labels):
    """``||x_i - c_{label_i}||^2`` for every row; their sum is the inertia."""
    diff = X - centers[labels]
    return np.einsum("ij,ij->i", diff, diff)


def cluster_sums(X, labels, n_clusters):
    """Per-cluster sums of rows and counts, by one matrix product with a one-hot matrix.

    ``H[j, i] = 1`` when row ``i`` belongs to cluster ``j``, so ``H @ X`` sums each cluster.

    Returns
    -------
    sums : ndarray of shape (n_clusters, n_features)
    counts : ndarray of shape (n_clusters,)
    """
    H = (labels == np.arange(n_clusters)[:, None]).astype(X.dtype)
    return H @ X, np.bincount(labels, minlength=n_clusters).astype(float)


def update_centers(X, labels, centers):
    """Update step: each centre moves to the mean of its points, ``c_j = mean{x_i : label_i = j}``.

    A cluster left empty takes over the point that is currently worst served (largest
    distance to its current centre), which is removed from its old cluster's sum; without this the
    empty centre would stay put forever and k-means would silently use fewer clusters.
    A centre that still has no point (only duplicates left to take) keeps its position.
    """
    n_clusters = centers.shape[0]
    sums, counts = cluster_sums(X, labels, n_clusters)
    empty = np.flatnonzero(counts == 0)
    sq_dist = squared_distances_to_own_center(X, centers, labels) if empty.size else None
    if empty.size and sq_dist.max() > 0:
        far = np.argsort(sq_dist)[::-1][: empty.size]
        np.subtract.at(sums, labels[far], X[far])
        np.subtract.at(counts, labels[far], 1.0)
        sums[empty] = X[far]
        counts[empty] = 1.0
    has_points = counts > 0
    new_centers = centers.copy()
    new_centers[has_points] = sums[has_points] / counts[has_points, None]
    return new_centers


def kmeans_plusplus(X, n_clusters, random_state, x_sq_norms=None, n_local_trials=None):
    """Greedy k-means++ seeding.

    The first centre is a uniformly drawn row; each next one is drawn with probability
    proportional to ``D(x)^2``, the squared distance to the nearest centre so far. The greedy
    variant draws ``2 + log(k)`` candidates per step and keeps the one that lowers the total
    ``sum_x D(x)^2`` the most.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_clusters : int
    random_state : numpy.random.RandomState
    x_sq_norms : ndarray of shape (n_samples,), optional
        Precomputed ``||x_i||^2``.
    n_local_trials : int, optional
        Candidates per step; ``2 + int(log(n_clusters))`` by default.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    indices : ndarray of shape (n_clusters,)
        Rows of ``X`` chosen as centres.
    """
    n_samples = X.shape[0]
    if x_sq_norms is None:
        x_sq_norms = np.einsum("ij,ij->i", X, X)
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))

    indices = np.empty(n_clusters, dtype=np.intp)
    # Uniform first pick, drawn through `p` so the random stream matches scikit-learn's.
    indices[0] = random_state.choice(n_samples, p=np.full(n_samples, 1.0 / n_samples))
    closest = squared_euclidean_distances(X[indices[:1]], X, x_sq_norms)[0]
    potential = closest.sum()

    for c in range(1, n_clusters):
        # Inverse-CDF sampling of a few candidates, each with probability D(x)^2 / sum D^2.
        targets = random_state.uniform(size=n_local_trials) * potential
        candidates = np.searchsorted(np.cumsum(closest), targets)
        np.clip(candidates, None, n_samples - 1, out=candidates)  # round-off at the top end

        # Total D^2 if each candidate were added; keep the best one.
        D = squared_euclidean_distances(X[candidates], X, x_sq_norms)
        np.minimum(closest, D, out=D)
        potentials = D.sum(axis=1)
        best = np.argmin(potentials)
        potential, closest = potentials[best], D[best]
        indices[c] = candidates[best]

    return X[indices].copy(), indices


def lloyd(X, centers, max_iter=300, tol=0.0):
    """Lloyd's algorithm: alternate assignment and update until the labels stop changing.

    Minimises the inertia ``sum_i min_j ||x_i - c_j||^2``; each step can only lower it.
    Also stops when the total squared centre shift ``sum_j ||c_j_new - c_j||^2 <= tol``.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    inertia : float
    centers : ndarray of shape (n_clusters, n_features)
    n_iter : int
    """
    labels_old = np.full(X.shape[0], -1, dtype=np.intp)
    converged = False
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is returned)
        labels = assign_to_nearest(X, centers)
        new_centers = update_centers(X, labels, centers)
        shift = ((new_centers - centers) ** 2).sum()
        centers = new_centers
        if np.array_equal(labels, labels_old):
            converged = True  # labels are already those of the final centres
            break
        if shift <= tol:
            break
        labels_old = labels
    if not converged:
        # The centres moved after the last assignment: reassign so labels_ match them.
        labels = assign_to_nearest(X, centers)
    inertia = squared_distances_to_own_center(X, centers, labels).sum()
    return labels, inertia, centers, n_iter


class KMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    """k-means clustering (Lloyd's algorithm, greedy k-means++ seeding), written in NumPy.

    Finds ``k`` centres minimising the inertia ``sum_i min_j ||x_i - c_j||^2`` by alternating
    "assign each point to its nearest centre" and "move each centre to the mean of its points".
    See notebooks/11_unsupervised_learning.ipynb.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters ``k``.
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), \
            default="k-means++"
        How to pick the starting centres: greedy k-means++, ``k`` distinct random rows,
        or the given centres.
    n_init : "auto" or int, default="auto"
        Number of runs from different starts; the run with the lowest inertia is kept.
        ``"auto"`` means 1 for k-means++ or given centres and 10 for random starts.
    max_iter : int, default=300
        Maximum number of Lloyd iterations per run.
    tol : float, default=1e-4
        Stop when the total squared centre shift falls below ``tol`` times the mean
        per-feature variance of ``X`` (so the tolerance does not depend on the data's scale).
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
        Sum of squared distances of the training rows to their centre.
    n_iter_ : int
        Iterations of the best run.
    n_features_in_ : int
    """

    _parameter_rules = {
        "n_clusters": integer(ge=1),
        "init": [one_of("k-means++", "random"),
                 Rule("an array of centres", lambda v: not isinstance(v, str) and hasattr(
                     v, "__len__"))],
        "n_init": [one_of("auto"), integer(ge=1)],
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _n_runs(self, X):
        """Check the parameters against the data; return the number of runs."""
        check_params(self)
        if X.shape[0] < self.n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}.")
        is_array = not isinstance(self.init, str)
        if self.n_init == "auto":
            return 10 if not is_array and self.init == "random" else 1
        if is_array and self.n_init != 1:
            warnings.warn(
                f"Explicit initial centres given: running once instead of n_init={self.n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            return 1
        return self.n_init

    def _initial_centers(self, X, x_sq_norms, rng):
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, self.n_clusters, rng, x_sq_norms)[0]
        if isinstance(self.init, str):  # "random": k distinct rows, equally likely
            n_samples = X.shape[0]
            # Drawn through `p` so the random stream matches scikit-learn's.
            rows = rng.choice(
                n_samples, self.n_clusters, replace=False, p=np.full(n_samples, 1.0 / n_samples)
            )
            return X[rows]
        centers = check_array(self.init, dtype=np.float64, copy=True)
        if centers.shape != (self.n_clusters, X.shape[1]):
            raise ValueError(
                f"init has shape {centers.shape}; expected (n_clusters, n_features) = "
                f"({self.n_clusters}, {X.shape[1]})."
            )
        return centers

    def fit(self, X, y=None):
        """Cluster ``X``: run k-means ``n_init`` times and keep the lowest inertia.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : KMeans
        """
        X = validate_data(self, X, dtype=np.float64)
        n_init = self._n_runs(X)
        rng = check_random_state(self.random_state)
        tol = np.var(X, axis=0).mean() * self.tol

        # Centring changes no distance but makes ||x||^2 - 2x.c + ||c||^2 lose fewer digits.
        X_mean = X.mean(axis=0)
        Xc = X - X_mean
        x_sq_norms = np.einsum("ij,ij->i", Xc, Xc)

        # Each iteration's matrix products are small and skinny (n x d by d x k): waking and
        # synchronising BLAS threads costs more than it saves, and far more on a busy
        # machine, so the runs use one BLAS thread (as scikit-learn's k-means does).
        best = None
        with single_blas_thread():
            for _ in range(n_init):
                centers = self._initial_centers(Xc, x_sq_norms, rng)
                if not isinstance(self.init, str):
                    centers -= X_mean
                run = lloyd(Xc, centers, self.max_iter, tol)
                if best is None or run[1] < best[1]:
                    best = run
        labels, inertia, centers, n_iter = best

        n_found = np.count_nonzero(np.bincount(labels, minlength=self.n_clusters))
        if n_found < self.n_clusters:
            warnings.warn(
                f"Only {n_found} distinct clusters found for "
                f"n_clusters={self.n_clusters}; X probably has duplicate points.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.cluster_centers_ = centers + X_mean
        self.labels_ = labels
        self.inertia_ = float(inertia)
        self.n_iter_ = n_iter
        return self

    @property
    def _n_features_out(self):
        return self.n_clusters

    def _validate_new(self, X):
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, reset=False)

    def predict(self, X):
        """Index of the nearest learned centre for each row of ``X``."""
        return assign_to_nearest(self._validate_new(X), self.cluster_centers_)

    def transform(self, X):
        """Euclidean distance from each row of ``X`` to each centre, shape (n, n_clusters)."""
        X = self._validate_new(X)
        return np.sqrt(squared_euclidean_distances(X, self.cluster_centers_))

    def score(self, X, y=None):
        """Opposite of the inertia of ``X`` under the learned centres (higher is better)."""
        X = self._validate_new(X)
        labels = assign_to_nearest(X, self.cluster_centers_)
        return -float(squared_distances_to_own_center(X, self.cluster_centers_, labels).sum())
