"""k-nearest-neighbour classification by majority (or distance-weighted) vote.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.neighbors._base import KNeighborsBase, neighbour_weights
from mlcourse.utils import check_params


def vote(labels, w, n_classes):
    """Share of the (weighted) votes each class receives, one row per query.

    ``votes[i, c] = sum_j w[i, j] * [labels[i, j] == c] / sum_j w[i, j]``, computed with one
    ``bincount`` over the flattened ``(query, class)`` pairs instead of a loop.

    Parameters
    ----------
    labels : ndarray of int of shape (n, k)
        Class index (0 .. n_classes - 1) of each query's neighbours.
    w : ndarray of shape (n, k) or None
        Neighbour weights; None means one vote each.
    n_classes : int

    Returns
    -------
    proba : ndarray of shape (n, n_classes)
    """
    n = labels.shape[0]
    cell = (np.arange(n)[:, None] * n_classes + labels).ravel()
    votes = np.bincount(cell, weights=None if w is None else w.ravel(), minlength=n * n_classes)
    votes = votes.reshape(n, n_classes).astype(float, copy=False)
    return votes / votes.sum(axis=1, keepdims=True)


class KNeighborsClassifier(ClassifierMixin, KNeighborsBase):
    """Classify a point by the vote of its ``k`` nearest training points (Euclidean distance).

    ``P(y = c | x) = sum_{j in N_k(x)} w_j [y_j = c] / sum_j w_j`` with ``w_j = 1`` (uniform)
    or ``w_j = 1 / ||x - x_j||`` (distance). Brute force, block by block.
    See notebooks/07_knn_and_naive_bayes.ipynb.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of neighbours that vote.
    weights : {"uniform", "distance"}, default="uniform"
        One vote each, or votes weighted by inverse distance.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    X_fit_ : ndarray of shape (n_samples, n_features)
        The stored training points.
    y_fit_ : ndarray of shape (n_samples,)
        Their labels as indices into ``classes_``.
    n_samples_fit_ : int
    n_features_in_ : int

    Notes
    -----
    Ties are resolved as in scikit-learn's brute-force search: among equally distant training
    points the lower index is the nearer, and a tied vote goes to the class that comes first in
    ``classes_``.
    """

    def fit(self, X, y):
        """Store the training data (kNN learns nothing more). Returns ``self``."""
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, self.y_fit_ = np.unique(y, return_inverse=True)
        self._store(X)
        return self

    def predict_proba(self, X):
        """Share of the neighbours' (weighted) vote for each class, shape (n, n_classes)."""
        check_is_fitted(self)
        X = self._validated_queries(X)
        proba = np.empty((X.shape[0], len(self.classes_)))
        for rows, ind, sq_dist in self._neighbour_blocks(X, self.n_neighbors):
            w = neighbour_weights(sq_dist, self.weights)
            proba[rows] = vote(self.y_fit_[ind], w, len(self.classes_))
        return proba

    def predict(self, X):
        """Class with the largest vote; ties go to the first class in ``classes_``."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
