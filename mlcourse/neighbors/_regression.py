"""k-nearest-neighbour regression: the (weighted) mean target of the neighbours.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import MultiOutputMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.neighbors._base import KNeighborsBase, neighbour_weights
from mlcourse.utils import check_params


class KNeighborsRegressor(MultiOutputMixin, RegressorMixin, KNeighborsBase):
    """Predict the mean target of the ``k`` nearest training points (Euclidean distance).

    ``y_hat(x) = sum_{j in N_k(x)} w_j y_j / sum_j w_j`` with ``w_j = 1`` (uniform) or
    ``w_j = 1 / ||x - x_j||`` (distance). See notebooks/07_knn_and_naive_bayes.ipynb.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of neighbours averaged.
    weights : {"uniform", "distance"}, default="uniform"
        Plain mean, or mean weighted by inverse distance.

    Attributes
    ----------
    X_fit_ : ndarray of shape (n_samples, n_features)
    y_fit_ : ndarray of shape (n_samples,) or (n_samples, n_outputs)
    n_samples_fit_ : int
    n_features_in_ : int
    """

    def fit(self, X, y):
        """Store the training data (kNN learns nothing more). Returns ``self``."""
        check_params(self)
        X, y = validate_data(
            self, X, y, dtype=np.float64, order="C", multi_output=True, y_numeric=True
        )
        self.y_fit_ = y
        self._store(X)
        return self

    def predict(self, X):
        """Mean (or inverse-distance weighted mean) of the neighbours' targets."""
        check_is_fitted(self)
        X = self._validated_queries(X)
        Y = self.y_fit_.reshape(self.n_samples_fit_, -1)  # one column per output
        y_pred = np.empty((X.shape[0], Y.shape[1]))
        for rows, ind, sq_dist in self._neighbour_blocks(X, self.n_neighbors):
            w = neighbour_weights(sq_dist, self.weights)
            if w is None:
                y_pred[rows] = Y[ind].mean(axis=1)
            else:
                y_pred[rows] = np.einsum("nk,nko->no", w, Y[ind]) / w.sum(axis=1, keepdims=True)
        return y_pred.ravel() if self.y_fit_.ndim == 1 else y_pred
