"""Gaussian naive Bayes: each feature normal within each class, independent given the class.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, validate_data

from mlcourse.naive_bayes._base import (
    NaiveBayesBase,
    check_partial_fit_classes,
    encode_labels,
    weighted_one_hot,
)
from mlcourse.utils import check_params, real, rows_per_block


def class_moments(X, y_idx, n_classes, sample_weight):
    """Weighted count, mean and (biased) variance of every feature within every class.

    ``N_c = sum_i w_i [y_i = c]``, ``mu_c = sum_i w_i [y_i = c] x_i / N_c`` and
    ``var_c = sum_i w_i [y_i = c] (x_i - mu_c)^2 / N_c``, as matrix products with a weighted
    one-hot matrix. Classes absent from ``y`` get count 0, mean 0 and variance 0.
    """
    R = weighted_one_hot(y_idx, n_classes, sample_weight)
    N = R.sum(axis=0)
    safe_N = np.where(N > 0, N, 1.0)[:, None]
    # R.T @ X, written with einsum: its plain loop beats waking BLAS threads for so thin a
    # product, and does not stall when the CPU is busy with other work
    mu = np.einsum("nc,nd->cd", R, X) / safe_N
    # centre on the class mean before squaring: E[x^2] - E[x]^2 would lose precision
    var = np.einsum("nc,nd->cd", R, (X - mu[y_idx]) ** 2) / safe_N
    return N, mu, var


def combine_moments(n_a, mu_a, var_a, n_b, mu_b, var_b):
    """Mean and variance of the union of two weighted samples (Chan, Golub and LeVeque).

    ``var = (n_a var_a + n_b var_b + n_a n_b / n (mu_a - mu_b)^2) / n`` with ``n = n_a + n_b``,
    row by row (one row per class). Rows where one side is empty take the other side as is.
    Merging the sums of squared deviations, not raw sums of squares, keeps the digits that
    ``E[x^2] - E[x]^2`` would lose.

    References
    ----------
    .. [1] T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating Formulae and a Pairwise
       Algorithm for Computing Sample Variances", Technical Report STAN-CS-79-773,
       Department of Computer Science, Stanford University, 1979.
    .. [2] T. F. Chan, G. H. Golub and R. J. LeVeque, "Algorithms for Computing the Sample
       Variance: Analysis and Recommendations", The American Statistician 37(3), 242-247,
       1983.
    """
    n = n_a + n_b
    safe_n = np.where(n > 0, n, 1.0)[:, None]
    mu = (n_a[:, None] * mu_a + n_b[:, None] * mu_b) / safe_n
    ssd = n_a[:, None] * var_a + n_b[:, None] * var_b
    ssd += (n_a * n_b)[:, None] / safe_n * (mu_a - mu_b) ** 2
    var = ssd / safe_n
    only_b = (n_a == 0)[:, None]
    only_a = (n_b == 0)[:, None]
    mu = np.where(only_b, mu_b, np.where(only_a, mu_a, mu))
    var = np.where(only_b, var_b, np.where(only_a, var_a, var))
    return n, mu, var


class GaussianNB(NaiveBayesBase):
    """Gaussian naive Bayes: ``x_j | c ~ N(theta_cj, var_cj)``, features independent given c.

    ``log P(x, c) = log P(c) - 1/2 sum_j [log(2 pi var_cj) + (x_j - theta_cj)^2 / var_cj]``,
    one broadcast over (samples, classes, features). As in scikit-learn, ``var_smoothing``
    times the largest feature variance is added to every variance so none is zero.
    See notebooks/07_knn_and_naive_bayes.ipynb.

    Parameters
    ----------
    priors : array-like of shape (n_classes,), default=None
        Class prior probabilities; estimated from the class frequencies if None.
    var_smoothing : float, default=1e-9
        Fraction of the largest feature variance added to all variances.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
        (Weighted) number of training samples in each class.
    class_prior_ : ndarray of shape (n_classes,)
    theta_ : ndarray of shape (n_classes, n_features)
        Per-class feature means.
    var_ : ndarray of shape (n_classes, n_features)
        Per-class feature variances, smoothing included.
    epsilon_ : float
        The absolute amount added to the variances.
    n_features_in_ : int
    """

    _parameter_rules = {"var_smoothing": real(ge=0)}

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        """Estimate class priors, means and variances from scratch. Returns ``self``."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = None  # forget any earlier fit
        return self._update(X, y, np.unique(y), sample_weight, first_call=True)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Update the estimates with one more batch (all classes must be given on the first call).

        Means and variances are merged exactly (Chan, Golub and LeVeque's pairwise formula,
        see :func:`combine_moments`), so fitting in batches gives the same model as fitting
        everything at once, up to the variance smoothing, which is fixed by the first batch.
        """
        first_call = getattr(self, "classes_", None) is None
        X, y = validate_data(self, X, y, dtype=np.float64, reset=first_call)
        check_classification_targets(y)
        return self._update(X, y, classes, sample_weight, first_call=first_call)

    def _update(self, X, y, classes, sample_weight, first_call):
        check_params(self)
        check_partial_fit_classes(self, classes)
        n_classes = len(self.classes_)
        sample_weight = _check_sample_weight(sample_weight, X)
        if first_call:
            # the smoothing is fixed by the first batch so later batches do not shift it
            self.epsilon_ = self.var_smoothing * np.var(X, axis=0).max()
            self.class_count_ = np.zeros(n_classes)
            self.theta_ = np.zeros((n_classes, X.shape[1]))
            self.var_ = np.zeros((n_classes, X.shape[1]))
        else:
            self.var_ -= self.epsilon_
        y_idx = encode_labels(self.classes_, y)
        batch = class_moments(X, y_idx, n_classes, sample_weight)
        self.class_count_, self.theta_, self.var_ = combine_moments(
            self.class_count_, self.theta_, self.var_, *batch
        )
        self.var_ += self.epsilon_
        self.class_prior_ = self._class_prior()
        return self

    def _class_prior(self):
        if self.priors is None:
            return self.class_count_ / self.class_count_.sum()
        priors = np.asarray(self.priors, dtype=float)
        if priors.shape != (len(self.classes_),):
            raise ValueError("Number of priors must match number of classes.")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError("The sum of the priors should be 1.")
        if np.any(priors < 0):
            raise ValueError("Priors must be non-negative.")
        return priors

    def _check_X(self, X):
        return validate_data(self, X, reset=False, dtype=np.float64)

    def _joint_log_likelihood(self, X):
        n_classes, n_features = self.theta_.shape
        log_norm = -0.5 * np.log(2.0 * np.pi * self.var_).sum(axis=1)  # (classes,)
        inv_var = 1.0 / self.var_
        with np.errstate(divide="ignore"):  # a zero prior is a legitimate -inf
            log_prior = np.log(self.class_prior_)
        jll = np.empty((X.shape[0], n_classes))
        step = rows_per_block(n_classes * n_features)
        for start in range(0, X.shape[0], step):  # blocks of rows only bound the memory
            rows = slice(start, start + step)
            diff = X[rows, None, :] - self.theta_  # (rows, classes, features)
            mahalanobis = np.einsum("ncj,ncj,cj->nc", diff, diff, inv_var, optimize=False)
            jll[rows] = log_prior + log_norm - 0.5 * mahalanobis
        return jll
