"""Ordinary least squares: closed forms (``lstsq``, normal equations) and gradient descent.

See notebooks/05_linear_regression.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.utils import check_params, integer, one_of, real

_SOLVERS = ("lstsq", "normal", "gd")

# Singular values below this fraction of the largest count as zero in ``lstsq``
# (scikit-learn's LinearRegression uses the same cut-off), so collinear columns get
# the minimum-norm solution instead of huge opposite-signed weights.
_RCOND = 1e-6


def mse_loss_grad(X, y, w, b=0.0):
    """Mean squared error of ``X @ w + b`` and its gradient.

    ``L = (1/n) ||r||^2`` with ``r = X w + b - y``;
    ``grad_w = (2/n) X^T r`` and ``grad_b = (2/n) sum(r)``.
    See notebooks/05_linear_regression.ipynb.

    Returns
    -------
    loss : float
    grad_w : ndarray of shape (n_features,)
    grad_b : float
    """
    r = X @ w + b - y
    n = X.shape[0]
    loss = float(r @ r) / n
    grad_w = (2.0 / n) * (X.T @ r)
    grad_b = 2.0 * float(r.mean())
    return loss, grad_w, grad_b


def lstsq_solve(X, y):
    """Least-squares ``w`` minimising ``||X w - y||^2`` via an SVD-based solver (LAPACK gelsd)."""
    w, *_ = scipy.linalg.lstsq(X, y, cond=_RCOND, check_finite=False)
    return w


def normal_equation_solve(X, y):
    """Solve the normal equations ``(X^T X) w = X^T y`` with a Cholesky factorisation.

    Only the d x d Gram matrix is formed, never an n x n one. When ``X^T X`` is singular
    (constant or collinear columns) Cholesky fails and we fall back to :func:`lstsq_solve`.
    """
    gram = X.T @ X
    try:
        factor = scipy.linalg.cho_factor(gram, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        warnings.warn(
            "X^T X is singular (a constant or collinear feature?); "
            "solving by least squares instead of the normal equations.",
            scipy.linalg.LinAlgWarning,
            stacklevel=3,
        )
        return lstsq_solve(X, y)
    return scipy.linalg.cho_solve(factor, X.T @ y, check_finite=False)


def gd_epoch(X, y, w, b, learning_rate, batch_size, rng, fit_intercept=True):
    """One pass of (mini-)batch gradient descent on the MSE; returns the new ``(w, b)``.

    ``batch_size >= n`` is batch gradient descent (one step), ``1`` is stochastic
    gradient descent, anything between is mini-batch. Rows are shuffled once per epoch.
    """
    n = X.shape[0]
    if batch_size < n:
        # one shuffled copy per epoch, then every mini-batch is a cheap slice (a view)
        order = rng.permutation(n)
        X, y = X[order], y[order]
    for start in range(0, n, batch_size):
        stop = start + batch_size
        _, grad_w, grad_b = mse_loss_grad(X[start:stop], y[start:stop], w, b)
        w = w - learning_rate * grad_w
        if fit_intercept:
            b = b - learning_rate * grad_b
    return w, b


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares linear regression, ``y_hat = X w + b``.

    Minimises the mean squared error ``(1/n) ||X w + b - y||^2`` by a closed form
    (``"lstsq"``, ``"normal"``) or by gradient descent (``"gd"``).
    See notebooks/05_linear_regression.ipynb.

    Parameters
    ----------
    solver : {"lstsq", "normal", "gd"}, default="lstsq"
        ``"lstsq"``: SVD-based least squares on centred data (robust to collinearity).
        ``"normal"``: Cholesky solve of the normal equations ``X^T X w = X^T y``
        (fastest; squares the condition number). ``"gd"``: gradient descent.
    fit_intercept : bool, default=True
        Whether to learn ``b``; if False the model goes through the origin.
    learning_rate : float, default=0.01
        Step size of gradient descent (``solver="gd"`` only). Scale the features first.
    batch_size : int or None, default=None
        ``None``: batch gradient descent (all rows per step); ``1``: stochastic;
        ``k``: mini-batches of ``k`` shuffled rows (``solver="gd"`` only).
    max_iter : int, default=1000
        Maximum number of epochs (passes over the data) for ``solver="gd"``.
    tol : float, default=1e-6
        Gradient descent stops when an epoch changes the training MSE by less than
        ``tol`` times its previous value.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling of mini-batches.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights ``w``.
    intercept_ : float
        The bias ``b`` (0.0 when ``fit_intercept=False``).
    loss_curve_ : list of float
        Training MSE after each epoch (``solver="gd"`` only).
    n_iter_ : int
        Epochs run (``solver="gd"`` only).
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> from mlcourse.linear_model import LinearRegression
    >>> X = [[0.0], [1.0], [2.0]]
    >>> LinearRegression().fit(X, [1.0, 3.0, 5.0]).predict([[3.0]])
    array([7.])
    """

    _parameter_rules = {
        "solver": one_of(*_SOLVERS),
        "learning_rate": real(gt=0),
        "batch_size": [None, integer(ge=1)],
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
    }

    def __init__(
        self,
        solver="lstsq",
        fit_intercept=True,
        learning_rate=0.01,
        batch_size=None,
        max_iter=1000,
        tol=1e-6,
        random_state=None,
    ):
        self.solver = solver
        self.fit_intercept = fit_intercept
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X, y):
        """Learn ``coef_`` and ``intercept_`` from ``X`` of shape (n, d) and ``y`` of shape (n,).

        Returns
        -------
        self : LinearRegression
        """
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        if self.solver == "gd":
            self._fit_gd(X, y)
        else:
            self._fit_closed_form(X, y)
        return self

    def predict(self, X):
        """Predict ``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_

    def _fit_closed_form(self, X, y):
        # Centring removes b from the problem: w from the centred data, then
        # b = mean(y) - mean(X) @ w puts the fitted plane through the centroid.
        if self.fit_intercept:
            X_mean, y_mean = X.mean(axis=0), y.mean()
            X, y = X - X_mean, y - y_mean
        solve = lstsq_solve if self.solver == "lstsq" else normal_equation_solve
        self.coef_ = solve(X, y)
        self.intercept_ = float(y_mean - X_mean @ self.coef_) if self.fit_intercept else 0.0

    def _fit_gd(self, X, y):
        rng = check_random_state(self.random_state)
        n, d = X.shape
        batch_size = n if self.batch_size is None else min(self.batch_size, n)
        w, b = np.zeros(d), 0.0
        self.loss_curve_ = []
        converged = False
        # A too-large learning rate overflows; we detect that below and say so.
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(self.max_iter):
                w, b = gd_epoch(X, y, w, b, self.learning_rate, batch_size, rng, self.fit_intercept)
                loss = mse_loss_grad(X, y, w, b)[0]
                self.loss_curve_.append(loss)
                if not np.isfinite(loss):
                    raise ValueError(
                        f"Gradient descent diverged at epoch {len(self.loss_curve_)} (the MSE "
                        f"became {loss}): lower learning_rate or standardise the features.")
                if len(self.loss_curve_) > 1:
                    previous = self.loss_curve_[-2]
                    if abs(previous - loss) <= self.tol * previous:
                        converged = True
                        break
        if not converged and np.isfinite(loss):
            warnings.warn(
                f"Gradient descent did not converge in max_iter={self.max_iter} epochs; "
                "raise max_iter or learning_rate.",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.coef_, self.intercept_ = w, float(b)
        self.n_iter_ = len(self.loss_curve_)
