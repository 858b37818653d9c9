"""What every naive Bayes classifier shares: turning joint log-likelihoods into predictions.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted


class NaiveBayesBase(ClassifierMixin, BaseEstimator):
    """Predictions from ``jll[i, c] = log P(c) + log P(x_i | c)``, all in log space.

    Subclasses provide ``_joint_log_likelihood(X)`` and ``_check_X(X)``.
    """

    def _joint_log_likelihood(self, X):  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_X(self, X):  # pragma: no cover - abstract
        raise NotImplementedError

    def predict_joint_log_proba(self, X):
        """``log P(x, c)`` for every sample and class, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        return self._joint_log_likelihood(self._check_X(X))

    def predict_log_proba(self, X):
        """``log P(c | x) = jll - logsumexp(jll)``: normalised without ever leaving log space."""
        jll = self.predict_joint_log_proba(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X):
        """``P(c | x)``, each row summing to one."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Predict the class with the largest posterior (the normaliser does not change it)."""
        jll = self.predict_joint_log_proba(X)
        return self.classes_[np.argmax(jll, axis=1)]


def check_partial_fit_classes(estimator, classes):
    """Fix ``classes_`` on the first ``partial_fit`` call; return True if it was the first."""
    if getattr(estimator, "classes_", None) is None:
        if classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        estimator.classes_ = np.unique(np.asarray(classes))
        return True
    if classes is not None and not np.array_equal(estimator.classes_, np.unique(classes)):
        raise ValueError(
            f"classes={classes!r} is not the same as on the first call to partial_fit, "
            f"which was {estimator.classes_!r}."
        )
    return False


def encode_labels(classes, y):
    """Index of each label in ``classes``; a clear error for labels never declared."""
    y_idx = np.searchsorted(classes, y)
    y_idx = np.minimum(y_idx, len(classes) - 1)
    unknown = classes[y_idx] != y
    if np.any(unknown):
        raise ValueError(
            f"The label(s) {np.unique(np.asarray(y)[unknown])!r} in y are not among the "
            f"classes {classes!r} given on the first call to partial_fit."
        )
    return y_idx


def weighted_one_hot(y_idx, n_classes, sample_weight):
    """``R[i, c] = w_i [y_i = c]``: class sums become one matrix product ``R.T @ X``."""
    R = np.zeros((y_idx.shape[0], n_classes))
    R[np.arange(y_idx.shape[0]), y_idx] = sample_weight
    return R
