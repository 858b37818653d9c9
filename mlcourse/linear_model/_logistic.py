"""Logistic regression: binary (sigmoid) and multinomial (softmax) with an L2 penalty.

See notebooks/06_logistic_regression.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.utils import check_params, integer, real


def sigmoid(z):
    """Compute the logistic function ``1 / (1 + exp(-z))``, without overflow for large ``|z|``."""
    return expit(z)


def log_sum_exp(Z):
    """Row-wise ``log(sum_k exp(Z[:, k]))``, stable: shift by the row maximum first."""
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


def softmax(Z):
    """Row-wise ``exp(Z) / sum(exp(Z))``, computed as ``exp(Z - logsumexp(Z))``."""
    return np.exp(Z - log_sum_exp(Z)[:, None])


def binary_loss_grad(w, b, X, y, l2=0.0):
    """Mean log loss of ``p = sigmoid(X w + b)`` plus ``l2/2 ||w||^2``, and its gradient.

    Per sample ``log(1 + e^z) - y z`` (with ``y`` in {0, 1}), computed with ``logaddexp`` so it
    never overflows; ``grad_w = X^T (p - y) / n + l2 w``, ``grad_b = mean(p - y)``.

    Returns
    -------
    loss : float
    grad_w : ndarray of shape (n_features,)
    grad_b : float
    """
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (w @ w)
    error = expit(z) - y  # dloss/dz, per sample
    grad_w = X.T @ error / X.shape[0] + l2 * w
    return float(loss), grad_w, float(error.mean())


def multinomial_loss_grad(W, b, X, y, l2=0.0):
    """Mean cross-entropy of ``softmax(X W^T + b)`` plus ``l2/2 ||W||^2``, and its gradient.

    Per sample ``logsumexp(z) - z_y`` with ``z = W x + b``; with ``P`` the softmax
    probabilities and ``Y`` the one-hot labels, ``grad_W = (P - Y)^T X / n + l2 W`` and
    ``grad_b = mean(P - Y)``.

    Parameters
    ----------
    W : ndarray of shape (n_classes, n_features)
    b : ndarray of shape (n_classes,)
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Integer class indices ``0 .. n_classes - 1``.
    l2 : float
        Strength of the penalty on ``W`` (the intercepts are not penalised).
    """
    n = X.shape[0]
    rows = np.arange(n)
    # Z = X W^T + b, stored class by class (Fortran order): the row-wise max and sum over a
    # handful of classes then run as fast contiguous passes instead of n tiny reductions.
    Z = (W @ X.T).T + b
    lse = log_sum_exp(Z)
    loss = np.mean(lse - Z[rows, y]) + 0.5 * l2 * np.sum(W * W)
    error = np.exp(Z - lse[:, None])  # P ...
    error[rows, y] -= 1.0  # ... minus the one-hot Y, without building Y
    grad_W = error.T @ X / n + l2 * W
    return float(loss), grad_W, error.mean(axis=0)


def _objective(theta, X, y, l2, n_classes, fit_intercept):
    """Loss and flat gradient for ``scipy.optimize.minimize``: theta = [W.ravel(), b]."""
    n_features = X.shape[1]
    k = 1 if n_classes == 2 else n_classes
    W = theta[: k * n_features].reshape(k, n_features)
    b = theta[k * n_features :] if fit_intercept else np.zeros(k)
    if n_classes == 2:
        loss, grad_W, grad_b = binary_loss_grad(W[0], b[0], X, y, l2)
    else:
        loss, grad_W, grad_b = multinomial_loss_grad(W, b, X, y, l2)
    parts = [np.ravel(grad_W)] + ([np.atleast_1d(grad_b)] if fit_intercept else [])
    return loss, np.concatenate(parts)


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression with an L2 penalty: sigmoid for two classes, softmax for more.

    Minimises ``C * sum_i logloss_i + ||W||^2 / 2`` (scikit-learn's parameterisation; the
    intercept is not penalised) with L-BFGS on the analytic gradient. Internally the
    objective is divided by ``n`` so that ``tol`` means the same for any data size.
    See notebooks/06_logistic_regression.ipynb.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength (``np.inf`` for no penalty). Smaller is stronger.
    fit_intercept : bool, default=True
        Whether to learn the intercepts ``b``.
    max_iter : int, default=100
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-4
        Stop when every component of the (projected) gradient is below ``tol``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        One row for two classes (the weights of ``classes_[1]``), otherwise one per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,)
        L-BFGS iterations used.
    n_features_in_ : int
    """

    _parameter_rules = {
        "C": real(gt=0),  # np.inf: no penalty
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
    }

    def __init__(self, C=1.0, fit_intercept=True, max_iter=100, tol=1e-4):
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Fit the weights; ``y`` may hold any hashable labels (ints, strings, ...).

        Returns
        -------
        self : LogisticRegression
        """
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "LogisticRegression needs samples of at least 2 classes, but the data "
                f"contains only one class: {self.classes_[0]!r}."
            )
        n, d = X.shape
        k = 1 if n_classes == 2 else n_classes
        theta0 = np.zeros(k * d + (k if self.fit_intercept else 0))
        # C * sum(loss) + ||W||^2 / 2, divided by n: mean(loss) + ||W||^2 / (2 C n)
        l2 = 0.0 if np.isinf(self.C) else 1.0 / (self.C * n)
        result = scipy.optimize.minimize(
            _objective,
            theta0,
            args=(X, y_index, l2, n_classes, self.fit_intercept),
            method="L-BFGS-B",
            jac=True,
            options={
                "maxiter": self.max_iter,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
                "maxls": 50,
            },
        )
        if result.status != 0:
            warnings.warn(
                f"L-BFGS did not converge ({result.message}); raise max_iter, "
                "or standardise the features.",
                ConvergenceWarning,
                stacklevel=2,
            )
        theta = result.x
        self.coef_ = theta[: k * d].reshape(k, d)
        self.intercept_ = theta[k * d :].copy() if self.fit_intercept else np.zeros(k)
        self.n_iter_ = np.array([result.nit])
        return self

    def decision_function(self, X):
        """Compute the scores ``X W^T + b``.

        The shape is (n,) for two classes (the log-odds of ``classes_[1]``), otherwise
        (n, n_classes).
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_log_proba(self, X):
        """Log-probabilities of each class, shape (n, n_classes), computed stably."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            # log sigmoid(z) = -log(1 + e^-z), log(1 - sigmoid(z)) = -log(1 + e^z)
            return -np.logaddexp(0.0, np.column_stack([scores, -scores]))
        return scores - log_sum_exp(scores)[:, None]

    def predict_proba(self, X):
        """Probability of each class, shape (n, n_classes); rows sum to one."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p = expit(scores)
            return np.column_stack([1.0 - p, p])
        return softmax(scores)

    def predict(self, X):
        """Predict the most probable class of each row (the largest score)."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]
