"""Multinomial naive Bayes for counts (bags of words), in log space with additive smoothing.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_non_negative, validate_data

from mlcourse.naive_bayes._base import (
    NaiveBayesBase,
    check_partial_fit_classes,
    encode_labels,
    weighted_one_hot,
)
from mlcourse.utils import check_params, real

_MIN_ALPHA = 1e-10


class MultinomialNB(NaiveBayesBase):
    """Multinomial naive Bayes, for counts such as the words of a document.

    A document is a bag of independent draws from a per-class word distribution.

    ``log P(x, c) = log P(c) + sum_j x_j log theta_cj`` with the smoothed estimate
    ``theta_cj = (N_cj + alpha) / (N_c + alpha n_features)`` (Laplace for ``alpha = 1``,
    Lidstone otherwise): a word never seen with a class no longer zeroes its probability.
    See notebooks/07_knn_and_naive_bayes.ipynb.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive smoothing; values below 1e-10 are raised to 1e-10 (with a warning) so that no
        log probability is -inf.
    fit_prior : bool, default=True
        Learn the class priors from the class frequencies; if False, use a uniform prior.
    class_prior : array-like of shape (n_classes,), default=None
        Fixed class priors, overriding ``fit_prior``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
        (Weighted) number of training documents per class.
    feature_count_ : ndarray of shape (n_classes, n_features)
        (Weighted) total count of each feature in each class, ``N_cj``.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        ``log theta_cj``.
    class_log_prior_ : ndarray of shape (n_classes,)
        ``log P(c)``.
    n_features_in_ : int
    """

    _parameter_rules = {"alpha": real(ge=0)}

    def __init__(self, *, alpha=1.0, fit_prior=True, class_prior=None):
        self.alpha = alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True  # counts
        # the generic checks feed it real-valued blobs, not counts: accuracy there is not the point
        tags.classifier_tags.poor_score = True
        return tags

    def fit(self, X, y, sample_weight=None):
        """Count every feature in every class and turn the counts into log probabilities."""
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = None  # forget any earlier fit
        return self._update(X, y, np.unique(y), sample_weight, first_call=True)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add one more batch of documents to the counts (give all classes on the first call)."""
        first_call = getattr(self, "classes_", None) is None
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, reset=first_call)
        check_classification_targets(y)
        return self._update(X, y, classes, sample_weight, first_call=first_call)

    def _update(self, X, y, classes, sample_weight, first_call):
        check_params(self)
        check_non_negative(X, "MultinomialNB (input X)")
        check_partial_fit_classes(self, classes)
        n_classes = len(self.classes_)
        if first_call:
            self.class_count_ = np.zeros(n_classes)
            self.feature_count_ = np.zeros((n_classes, X.shape[1]))
        sample_weight = _check_sample_weight(sample_weight, X)
        R = weighted_one_hot(encode_labels(self.classes_, y), n_classes, sample_weight)
        # (X.T @ R).T keeps a sparse X on the left, where scipy multiplies it efficiently
        self.feature_count_ += np.asarray((X.T @ R).T)
        self.class_count_ += R.sum(axis=0)
        self.feature_log_prob_ = self._feature_log_prob()
        self.class_log_prior_ = self._class_log_prior()
        return self

    def _smoothing(self):
        if self.alpha < _MIN_ALPHA:
            warnings.warn(
                f"alpha={self.alpha} is too small and would give log(0); using {_MIN_ALPHA}.",
                UserWarning,
                stacklevel=4,
            )
            return _MIN_ALPHA
        return self.alpha

    def _feature_log_prob(self):
        """``log (N_cj + alpha) - log sum_j (N_cj + alpha)``."""
        smoothed = self.feature_count_ + self._smoothing()
        return np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))

    def _class_log_prior(self):
        n_classes = len(self.classes_)
        if self.class_prior is not None:
            prior = np.asarray(self.class_prior, dtype=float)
            if prior.shape != (n_classes,):
                raise ValueError("Number of priors must match number of classes.")
            return np.log(prior)
        if self.fit_prior:
            with np.errstate(divide="ignore"):  # a class absent so far has prior 0
                return np.log(self.class_count_) - np.log(self.class_count_.sum())
        return np.full(n_classes, -np.log(n_classes))

    def _check_X(self, X):
        X = validate_data(self, X, reset=False, accept_sparse="csr", dtype=np.float64)
        check_non_negative(X, "MultinomialNB (input X)")
        return X

    def _joint_log_likelihood(self, X):
        # the multinomial coefficient is the same for every class: it cancels in the posterior
        return np.asarray(X @ self.feature_log_prob_.T) + self.class_log_prior_
