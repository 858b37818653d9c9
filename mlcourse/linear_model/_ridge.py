"""Ridge regression in closed form: least squares plus an L2 penalty.

See notebooks/14_regularization.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlcourse.utils import Rule, check_params, one_of

_SOLVERS = ("auto", "cholesky", "svd")


def ridge_closed_form(X, y, alpha):
    """Weights minimising ``||y - X w||^2 + alpha ||w||^2``: ``w = (X^T X + alpha I)^-1 X^T y``.

    ``X`` and ``y`` are already centred (no intercept here). With fewer rows than columns
    the same ``w`` comes from the n x n "dual" system ``w = X^T (X X^T + alpha I)^-1 y``.
    ``y`` may be 2-D (one column per target; ``alpha`` a scalar).
    """
    n, d = X.shape
    if n >= d:
        A, rhs = X.T @ X, X.T @ y
    else:
        A, rhs = X @ X.T, y
    A.flat[:: A.shape[0] + 1] += alpha  # add alpha to the diagonal in place
    factor = scipy.linalg.cho_factor(A, lower=True, check_finite=False)
    solution = scipy.linalg.cho_solve(factor, rhs, check_finite=False)
    return solution if n >= d else X.T @ solution


def ridge_svd(X, y, alphas):
    """Ridge weights for many ``alphas`` at once from one SVD ``X = U S V^T``.

    ``w(alpha) = V diag(s / (s^2 + alpha)) U^T y``: the penalty shrinks each singular
    direction by ``s^2 / (s^2 + alpha)``, the weakest directions most.
    Returns an array of shape ``(len(alphas),) + w.shape``.
    """
    U, s, Vt = scipy.linalg.svd(X, full_matrices=False, check_finite=False)
    Uty = U.T @ y
    alphas = np.atleast_1d(np.asarray(alphas, dtype=float))
    keep = s > s.max(initial=0.0) * 1e-12  # drop directions X does not span (alpha = 0)
    out = []
    for alpha in alphas:
        with np.errstate(divide="ignore", invalid="ignore"):
            shrink = np.where(keep, s / (s**2 + alpha), 0.0)
        out.append(Vt.T @ (shrink[:, None] * Uty if Uty.ndim == 2 else shrink * Uty))
    return np.array(out)


def ridge_path(X, y, alphas, fit_intercept=True):
    """Ridge coefficients along a grid of ``alphas`` (one SVD for the whole path).

    Returns ``coefs`` of shape ``(n_features, n_alphas)``, the same layout as
    :func:`lasso_path`. Centres ``X`` and ``y`` first when ``fit_intercept`` is true.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if fit_intercept:
        X, y = X - X.mean(axis=0), y - y.mean(axis=0)
    return np.moveaxis(ridge_svd(X, y, alphas), 0, -1)


class Ridge(RegressorMixin, BaseEstimator):
    """Linear least squares with an L2 penalty, solved in closed form.

    Minimises ``||y - X w - b||^2 + alpha ||w||^2`` (the intercept ``b`` is not penalised),
    so ``w = (X_c^T X_c + alpha I)^-1 X_c^T y_c`` on centred data and
    ``b = mean(y) - mean(X) w``. See notebooks/14_regularization.ipynb.

    Parameters
    ----------
    alpha : float or array of shape (n_targets,), default=1.0
        Strength of the penalty; 0 is ordinary least squares. Scale the features first:
        the penalty treats every weight alike.
    fit_intercept : bool, default=True
        Whether to learn an (unpenalised) intercept.
    solver : {"auto", "cholesky", "svd"}, default="auto"
        ``"cholesky"``: solve the d x d (or n x n when n < d) normal equations;
        ``"svd"``: from the singular values of ``X`` (handles ``alpha=0`` on rank-deficient
        data); ``"auto"``: Cholesky, falling back to the SVD when the system is singular.
        Sparse ``X`` always uses the normal equations, centred implicitly.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int

    Examples
    --------
    >>> from mlcourse.linear_model import Ridge
    >>> Ridge(alpha=1.0).fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).coef_
    array([0.66666667])
    """

    _parameter_rules = {
        "alpha": Rule("a number >= 0 or an array of them, finite", lambda v: (
            np.asarray(v).dtype.kind in "iuf" and np.all(np.isfinite(v)) and np.all(
                np.asarray(v) >= 0))),
        "solver": one_of(*_SOLVERS),
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, solver="auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, n_targets); rows may be weighted.

        Returns
        -------
        self : Ridge
        """
        check_params(self)
        X, y = validate_data(
            self, X, y, accept_sparse=("csr", "csc"), dtype=np.float64, y_numeric=True,
            multi_output=True,
        )
        alpha = np.asarray(self.alpha, dtype=float)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if self.fit_intercept:
            X_mean = _weighted_column_mean(X, sample_weight)
            y_mean = np.average(y, axis=0, weights=sample_weight)
        else:
            X_mean, y_mean = np.zeros(X.shape[1]), np.zeros(y.shape[1:])
        # weighting a row by s is the same as repeating it s times: scale it by sqrt(s)
        root = np.ones(X.shape[0]) if sample_weight is None else np.sqrt(sample_weight)
        yc = (y - y_mean) * (root[:, None] if y.ndim == 2 else root)
        if sp.issparse(X):
            coef = self._solve_sparse(X, yc, alpha, X_mean, root)
            self.coef_ = coef.T if y.ndim == 2 else coef
            intercept = y_mean - X_mean @ coef
            self.intercept_ = intercept if y.ndim == 2 else float(intercept)
            return self
        Xc = X - X_mean
        if sample_weight is not None:
            Xc *= root[:, None]
        coef = self._solve(Xc, yc, alpha)
        self.coef_ = coef.T if y.ndim == 2 else coef
        intercept = y_mean - X_mean @ coef
        self.intercept_ = intercept if y.ndim == 2 else float(intercept)
        return self

    def _solve(self, X, y, alpha):
        if alpha.ndim == 1:  # one alpha per target
            if y.ndim != 2 or alpha.shape[0] != y.shape[1]:
                raise ValueError(
                    f"alpha has {alpha.shape[0]} values but y has "
                    f"{1 if y.ndim == 1 else y.shape[1]} target(s); give one per target."
                )
            return np.column_stack(
                [self._solve(X, y[:, k], alpha[k]) for k in range(y.shape[1])]
            )
        if self.solver != "svd":
            try:
                return ridge_closed_form(X, y, float(alpha))
            except np.linalg.LinAlgError:
                if self.solver == "cholesky":
                    warnings.warn(
                        "X^T X + alpha I is singular; using the SVD instead.",
                        scipy.linalg.LinAlgWarning,
                        stacklevel=3,
                    )
        return ridge_svd(X, y, [float(alpha)])[0]

    def _solve_sparse(self, X, yc, alpha, X_mean, root):
        """Solve the same normal equations for sparse ``X``, centred implicitly.

        With ``A = diag(root) X`` the centred, weighted matrix is ``X_c = A - root m^T``
        (``m`` the column means), so ``X_c^T X_c`` (or ``X_c X_c^T`` when n < d) is the sparse
        product ``A^T A`` (or ``A A^T``) plus three rank-one corrections: X is never densified.
        """
        A = sp.csr_matrix(sp.diags(root) @ X)
        n, d = X.shape
        Y = yc.reshape(n, -1)
        m, u = X_mean, root
        if n >= d:
            Atu = np.asarray(A.T @ u).ravel()
            M = (A.T @ A).toarray() - np.outer(m, Atu) - np.outer(Atu, m) + (u @ u) * np.outer(m, m)
            rhs = np.asarray(A.T @ Y) - np.outer(m, u @ Y)
        else:
            Am = np.asarray(A @ m).ravel()
            M = (A @ A.T).toarray() - np.outer(Am, u) - np.outer(u, Am) + (m @ m) * np.outer(u, u)
            rhs = Y
        alphas = np.broadcast_to(alpha, (Y.shape[1],))
        solution = np.column_stack(
            [_solve_spd(M, rhs[:, k], alphas[k]) for k in range(Y.shape[1])]
        )
        if n < d:  # back from the n-dimensional dual: w = X_c^T a
            solution = np.asarray(A.T @ solution) - np.outer(m, u @ solution)
        return solution if yc.ndim == 2 else solution[:, 0]

    def predict(self, X):
        """Predict ``X @ coef_.T + intercept_`` (``X`` dense or sparse)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


def _weighted_column_mean(X, sample_weight):
    if sample_weight is None:
        return np.asarray(X.mean(axis=0)).ravel()
    return np.asarray(X.T @ sample_weight).ravel() / sample_weight.sum()


def _solve_spd(M, rhs, alpha):
    """Solve ``(M + alpha I) x = rhs`` by Cholesky, by least squares if it is singular."""
    A = M + alpha * np.eye(M.shape[0])
    try:
        return scipy.linalg.cho_solve(scipy.linalg.cho_factor(A, check_finite=False), rhs)
    except np.linalg.LinAlgError:
        return scipy.linalg.lstsq(A, rhs, check_finite=False)[0]

