"""Lasso and elastic net by cyclic coordinate descent with soft-thresholding.

The objective (scikit-learn's scaling)::

    (1 / 2n) ||y - X w - b||^2 + alpha * l1_ratio * ||w||_1
                               + alpha * (1 - l1_ratio) / 2 * ||w||^2

Minimising it over one weight ``w_j`` with the others fixed has a closed form: the
correlation ``rho_j`` of feature ``j`` with the residual left by the other features,
soft-thresholded and shrunk, ``w_j = S(rho_j, alpha l1_ratio) / (||x_j||^2 / n + alpha
(1 - l1_ratio))``. Sweeping ``j = 1..d`` again and again is coordinate descent.

Two solvers compute the same thing:

- :func:`coordinate_descent_simple` is the version to read first: one loop over the
  coordinates, a running residual ``r = y - X w`` updated after each change.
- :func:`enet_coordinate_descent` is the one the estimators use. It changes three things for
  speed, not the answer: (1) it sweeps only a *working set* (the non-zero weights plus the
  features that violate the optimality condition ``|x_j^T r| <= n alpha l1_ratio``), which is
  small for a sparse solution, and re-checks every feature once per outer round with one
  matrix-vector product; (2) inside the working set it works on the Gram matrix
  ``G = X_ws^T X_ws``, so one coordinate update costs O(|ws|) instead of O(n); (3) every
  five sweeps it tries an Anderson extrapolation of the last iterates and keeps it only if
  it lowers the objective, which saves most sweeps on correlated features. It stops on
  the duality gap, a certified bound on how far the objective is from its minimum.

:class:`LassoCV` and :class:`ElasticNetCV` choose the strength by k-fold cross-validation
along warm-started paths.

See notebooks/14_regularization.ipynb.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.utils import Rule, check_params, integer, real


def soft_threshold(z, t):
    """Apply the soft-threshold operator ``S(z, t) = sign(z) * max(|z| - t, 0)``.

    It is the minimiser of ``(1/2)(w - z)^2 + t |w|``: shrink towards 0 by ``t``, and
    anything within ``t`` of 0 becomes exactly 0. That is where lasso's zeros come from.
    """
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def coordinate_descent_simple(X, y, alpha, l1_ratio=1.0, w=None, max_iter=1000, tol=1e-4):
    """Readable cyclic coordinate descent for the elastic net on centred ``X`` and ``y``.

    Minimises ``(1/2n)||y - X w||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2``.
    Stops when a whole sweep moves no weight by more than ``tol * max|w|``.

    Returns
    -------
    w : ndarray of shape (n_features,)
    n_iter : int
        Sweeps run.
    """
    n, d = X.shape
    w = np.zeros(d) if w is None else np.array(w, dtype=float)
    l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    r = y - X @ w  # the running residual
    col_sq = (X**2).sum(axis=0) / n  # ||x_j||^2 / n
    for sweep in range(1, max_iter + 1):  # noqa: B007 (returned below)
        max_change = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:
                continue  # a constant column: its weight stays 0
            rho = X[:, j] @ r / n + col_sq[j] * w[j]  # fit of x_j to the residual without it
            w_new = soft_threshold(rho, l1) / (col_sq[j] + l2)
            if w_new != w[j]:
                r -= (w_new - w[j]) * X[:, j]
                max_change = max(max_change, abs(w_new - w[j]))
                w[j] = w_new
        if max_change <= tol * max(np.abs(w).max(initial=0.0), 1e-300):
            break
    return w, sweep


def duality_gap(X, y, w, l1_reg, l2_reg, X_mean=None):
    """Duality gap of ``P(w) = 1/2 ||y - X_c w||^2 + l1_reg ||w||_1 + l2_reg/2 ||w||^2``.

    ``X_c = X - X_mean`` (kept implicit so sparse ``X`` stays sparse). The gap is
    ``P(w) - D(theta) >= P(w) - P(w*) >= 0`` for the dual point ``theta`` made by scaling
    the residual into the dual feasible set; it is 0 exactly at the optimum.
    Returns ``(gap, residual)``.
    """
    r = y - _matvec(X, w, X_mean)
    XtA = _rmatvec(X, r, X_mean) - l2_reg * w
    dual_norm = np.abs(XtA).max(initial=0.0)
    r2 = r @ r
    if dual_norm > l1_reg:
        const = l1_reg / dual_norm
        gap = 0.5 * r2 * (1 + const**2)
    else:
        const = 1.0
        gap = r2
    gap += l1_reg * np.abs(w).sum() - const * (r @ y) + 0.5 * l2_reg * (1 + const**2) * (w @ w)
    return float(gap), r


def _gap_from_gram(G, Xy, yy, w, l1_reg, l2_reg):
    """:func:`duality_gap` from ``G = X^T X``, ``Xy = X^T y`` and ``yy = y^T y``.

    ``r^T r = yy - 2 w^T Xy + w^T G w`` and ``X^T r = Xy - G w``: O(d^2), not O(n d).
    Returns ``(gap, X^T r)``.
    """
    Gw = G @ w
    grad = Xy - Gw
    wXy = w @ Xy
    r2 = max(yy - 2 * wXy + w @ Gw, 0.0)
    ry = yy - wXy
    dual_norm = np.abs(grad - l2_reg * w).max(initial=0.0)
    const = l1_reg / dual_norm if dual_norm > l1_reg else 1.0
    gap = 0.5 * r2 * (1 + const**2) if dual_norm > l1_reg else r2
    gap += l1_reg * np.abs(w).sum() - const * ry + 0.5 * l2_reg * (1 + const**2) * (w @ w)
    return float(gap), grad


def _matvec(X, w, X_mean):
    """``(X - X_mean) @ w`` without forming ``X - X_mean``."""
    out = X @ w
    return out if X_mean is None else out - X_mean @ w


def _rmatvec(X, r, X_mean):
    """``(X - X_mean).T @ r`` without forming ``X - X_mean``."""
    out = X.T @ r
    return out if X_mean is None else out - X_mean * r.sum()


def _gram(X, columns, X_mean):
    """``X_c[:, columns].T @ X_c[:, columns]`` as a dense array."""
    Xs = X[:, columns]
    G = Xs.T @ Xs
    if sp.issparse(G):
        G = G.toarray()
    G = np.asarray(G, dtype=float)
    if X_mean is not None:
        m = X_mean[columns]
        G -= X.shape[0] * np.outer(m, m)
    return G


_CHECK_EVERY = 20  # sweeps between two duality-gap checks in enet_coordinate_descent
_ANDERSON_K = 5  # sweeps per Anderson extrapolation in _gram_sweeps


def _gram_sweeps(G, q, w, l1_reg, l2_reg, max_sweeps, tol, anderson=True):
    """Cyclic coordinate descent on ``1/2 w^T G w - q^T w + l1_reg |w|_1 + l2_reg/2 |w|^2``.

    The same update as :func:`coordinate_descent_simple` with ``x_j^T r`` read off the
    Gram matrix: ``x_j^T r = q_j - (G w)_j``, and ``G w`` is kept up to date after each change
    with one row of ``G`` (O(|w|) work, no pass over the samples). With ``anderson``, every
    ``_ANDERSON_K`` sweeps the last iterates are extrapolated and the result kept when it
    lowers the objective: on correlated features this cuts the sweeps many times over, and
    it cannot change the minimiser the sweeps converge to.
    """
    Gw = G @ w
    diag = G.diagonal().tolist()
    q_array, q = q, q.tolist()
    history = [np.array(w)]
    w = w.tolist()  # Python floats: the scalar arithmetic below is much faster than on arrays
    m = len(w)
    for sweep in range(1, max_sweeps + 1):  # noqa: B007 (returned below)
        max_change = 0.0
        max_w = 0.0
        for j in range(m):
            if diag[j] <= 0.0:
                continue
            w_j = w[j]
            rho = q[j] - Gw[j] + diag[j] * w_j
            if rho > l1_reg:
                w_new = (rho - l1_reg) / (diag[j] + l2_reg)
            elif rho < -l1_reg:
                w_new = (rho + l1_reg) / (diag[j] + l2_reg)
            else:
                w_new = 0.0
            if w_new != w_j:
                step = w_new - w_j
                Gw += step * G[j]
                w[j] = w_new
                max_change = max(max_change, abs(step))
            max_w = max(max_w, abs(w_new))
        if max_w == 0.0 or max_change <= tol * max_w:
            break
        if anderson:
            history.append(np.array(w))
            if len(history) == _ANDERSON_K + 1:
                w, Gw = _extrapolated(history, G, q_array, l1_reg, l2_reg, w, Gw)
                history = [np.array(w)]
    return np.array(w), sweep


def _extrapolated(history, G, q, l1_reg, l2_reg, w, Gw):
    """``(w, G w)`` after an Anderson step, if it lowers the objective; else unchanged."""
    w_acc = _anderson_step(history)
    if w_acc is None:
        return w, Gw
    objective = _gram_objective(G, q, l1_reg, l2_reg)
    if objective(w_acc) < objective(history[-1]):
        return w_acc.tolist(), G @ w_acc
    return w, Gw


def _gram_objective(G, q, l1_reg, l2_reg):
    def objective(w):
        return 0.5 * w @ (G @ w) - q @ w + l1_reg * np.abs(w).sum() + 0.5 * l2_reg * (w @ w)

    return objective


def _anderson_step(history):
    """Extrapolate the last iterates (Anderson acceleration).

    Return the affine combination of them whose successive differences cancel best
    (Bertrand and Massias, 2021), or ``None`` if the system is singular.
    """
    W = np.array(history)
    U = np.diff(W, axis=0)  # (K, m) successive differences
    try:
        c = np.linalg.solve(U @ U.T, np.ones(len(U)))
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(c)) or c.sum() == 0:
        return None
    c /= c.sum()
    return c @ W[1:]


def enet_coordinate_descent(X, y, l1_reg, l2_reg, w, max_iter=1000, tol=1e-4, X_mean=None,
                            gram=None):
    """Minimise ``1/2 ||y - X_c w||^2 + l1_reg ||w||_1 + l2_reg/2 ||w||^2`` (``X_c = X - X_mean``).

    Working-set coordinate descent (see the module docstring). ``X`` may be sparse; ``y`` is
    1-D and centred when ``X_mean`` is given. Stops when the duality gap is at most
    ``tol * ||y||^2`` (scikit-learn's rule) or after ``max_iter`` sweeps. ``gram``, the
    d x d matrix ``X_c^T X_c``, may be passed to share it between fits (a path); for dense
    ``X`` with up to 2,000 columns it is computed here otherwise.

    Returns
    -------
    w : ndarray of shape (n_features,)
    gap : float
        The final duality gap (unscaled).
    n_iter : int
        Coordinate sweeps run over the working set.
    """
    d = X.shape[1]
    w = np.array(w, dtype=float)
    col_sq = _centred_column_sq_norms(X, X_mean)
    usable = col_sq > 1e-12 * max(col_sq.max(initial=0.0), 1e-300)
    w[~usable] = 0.0
    gap_tol = tol * float(y @ y)
    inner_tol = tol
    n_iter = 0  # sweeps over the working set
    # dense and not too wide: one Gram matrix for all, each working set reads its block
    if gram is None and not sp.issparse(X) and d <= 2000:
        gram = _gram(X, np.arange(d), X_mean)
    if gram is not None:
        Xy = _rmatvec(X, y, X_mean)
        yy = float(y @ y)
    G, previous_ws = None, None
    while True:
        if gram is not None:  # the gap from d x d quantities, no pass over the rows
            gap, grad = _gap_from_gram(gram, Xy, yy, w, l1_reg, l2_reg)
        else:
            gap, r = duality_gap(X, y, w, l1_reg, l2_reg, X_mean)
            grad = _rmatvec(X, r, X_mean)  # x_j^T r for every feature
        # like scikit-learn, sweep at least once: near alpha_max the gap of w = 0 can be
        # below the tolerance although a few weights would leave 0
        if (gap <= gap_tol and n_iter > 0) or n_iter >= max_iter:
            break
        ws = _working_set(w, grad, usable, l1_reg)
        if ws.size == 0:
            break  # all weights 0 and nothing violates: optimal (gap is rounding)
        if previous_ws is None or not np.array_equal(ws, previous_ws):
            G = gram[np.ix_(ws, ws)] if gram is not None else _gram(X, ws, X_mean)
            previous_ws = ws
        q = G @ w[ws] + grad[ws]  # x_j^T y = x_j^T r + (G w)_j
        # at most _CHECK_EVERY sweeps between two duality-gap checks
        max_sweeps = min(_CHECK_EVERY, max_iter - n_iter)
        w[ws], sweeps = _gram_sweeps(G, q, w[ws], l1_reg, l2_reg, max_sweeps, inner_tol)
        if sweeps < max_sweeps:  # stopped on a small change, yet the gap was not small
            inner_tol = max(inner_tol / 10, 1e-15)
        n_iter += sweeps
    return w, gap, n_iter


def _centred_column_sq_norms(X, X_mean):
    """``||x_j - mean_j||^2`` for every column of dense or sparse ``X``."""
    if sp.issparse(X):
        col_sq = np.asarray(X.multiply(X).sum(axis=0)).ravel()
    else:
        col_sq = np.einsum("ij,ij->j", X, X)
    if X_mean is not None:
        col_sq = col_sq - X.shape[0] * X_mean**2
    return col_sq


def _working_set(w, grad, usable, l1_reg):
    """Return the active features plus the worst violators of the optimality condition at 0.

    At most as many violators as active features (and at least 50) are added, so the working
    set (and its Gram matrix) grows step by step, not all at once.
    """
    violators = np.flatnonzero(usable & (w == 0) & (np.abs(grad) > l1_reg))
    active = np.flatnonzero(w != 0)
    budget = max(50, active.size)
    if violators.size > budget:
        worst = np.argpartition(-np.abs(grad[violators]), budget)[:budget]
        violators = violators[worst]
    return np.union1d(active, violators)


# --------------------------------------------------------------------------- paths


def _alpha_grid(X, y, l1_ratio, eps, n_alphas):
    """``n_alphas`` values log-spaced from ``alpha_max`` down to ``eps * alpha_max``.

    ``alpha_max = max_j |x_j^T y| / (n l1_ratio)`` is the smallest alpha with all weights 0.
    """
    n = X.shape[0]
    Xy = np.abs(np.asarray(X.T @ y)).ravel()
    alpha_max = Xy.max(initial=0.0) / (n * l1_ratio)
    if alpha_max <= np.finfo(float).resolution:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def enet_path(
    X,
    y,
    *,
    l1_ratio=0.5,
    eps=1e-3,
    alphas=100,
    coef_init=None,
    return_n_iter=False,
    max_iter=1000,
    tol=1e-4,
):
    """Elastic-net weights along a decreasing grid of ``alphas``, each warm-started.

    Like scikit-learn's ``enet_path``, ``X`` and ``y`` are used as given (no intercept:
    centre them first) and ``y`` is one target. ``alphas`` is either how many values to
    put on a log grid from ``alpha_max`` (all weights 0) down to ``eps * alpha_max``, or
    the values themselves. ``max_iter`` and ``tol`` are those of :class:`ElasticNet`.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        Sorted from largest to smallest.
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        The duality gap at the end of each fit, divided by ``n_samples`` (the scale of
        the objective with ``1/2n``, as scikit-learn reports it).
    n_iters : list of int
        Only when ``return_n_iter`` is true.
    """
    X = X if sp.issparse(X) else np.asarray(X, dtype=float)
    if sp.issparse(X):
        X = sp.csc_matrix(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.ndim != 1:
        raise ValueError(
            "enet_path takes one target (y of shape (n_samples,)); loop over the columns "
            "of a 2-D y."
        )
    n, d = X.shape
    if isinstance(alphas, numbers.Integral):
        alphas = _alpha_grid(X, y, l1_ratio, eps, alphas)
    else:
        alphas = np.sort(np.asarray(alphas, dtype=float))[::-1]
    gram = None if sp.issparse(X) or d > 2000 else X.T @ X  # shared by every alpha
    coefs = np.empty((d, len(alphas)))
    gaps = np.empty(len(alphas))
    n_iters = []
    w = np.zeros(d) if coef_init is None else np.array(coef_init, dtype=float)
    for i, alpha in enumerate(alphas):
        w, gap, n_iter = enet_coordinate_descent(
            X, y, n * alpha * l1_ratio, n * alpha * (1 - l1_ratio), w, max_iter, tol,
            gram=gram,
        )
        if gap > tol * float(y @ y):
            _warn_not_converged(gap, tol * float(y @ y))
        coefs[:, i], gaps[i] = w, gap / n
        n_iters.append(n_iter)
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def lasso_path(
    X,
    y,
    *,
    eps=1e-3,
    alphas=100,
    coef_init=None,
    return_n_iter=False,
    max_iter=1000,
    tol=1e-4,
):
    """Lasso weights along a grid of ``alphas``: :func:`enet_path` with ``l1_ratio=1``."""
    return enet_path(
        X,
        y,
        l1_ratio=1.0,
        eps=eps,
        alphas=alphas,
        coef_init=coef_init,
        return_n_iter=return_n_iter,
        max_iter=max_iter,
        tol=tol,
    )


def _warn_not_converged(gap, gap_tol):
    warnings.warn(
        f"Coordinate descent did not converge: duality gap {gap:.3g} > tolerance "
        f"{gap_tol:.3g}. Raise max_iter, scale the features, or raise alpha.",
        ConvergenceWarning,
        stacklevel=3,
    )


# --------------------------------------------------------------------------- estimators


class ElasticNet(RegressorMixin, BaseEstimator):
    """Linear regression with a mixed L1 + L2 penalty, fitted by coordinate descent.

    Minimises ``(1/2n)||y - X w - b||^2 + alpha l1_ratio ||w||_1
    + alpha (1 - l1_ratio)/2 ||w||^2``; the intercept ``b`` is not penalised.
    L1 sets weights exactly to 0; L2 spreads weight over correlated features.
    See notebooks/14_regularization.ipynb.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall strength of the penalty. Scale the features first.
    l1_ratio : float in [0, 1], default=0.5
        Share of L1 in the penalty: 1 is the lasso, 0 a ridge (use :class:`Ridge` for that).
    fit_intercept : bool, default=True
        Whether to learn an intercept (the data are centred; sparse ``X`` implicitly).
    max_iter : int, default=1000
        Most coordinate sweeps per target.
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y - mean(y)||^2``.
    warm_start : bool, default=False
        Start from the previous ``coef_`` (useful along a path of alphas).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the end, on the scale of the objective above (a bound on how far
        the objective is from its minimum).
    n_iter_ : int or list of int
        Coordinate sweeps run.
    n_features_in_ : int

    References
    ----------
    .. [1] J. Friedman, T. Hastie and R. Tibshirani, "Regularization Paths for Generalized
       Linear Models via Coordinate Descent", Journal of Statistical Software 33(1), 1-22,
       2010.
    .. [2] Q. Bertrand and M. Massias, "Anderson acceleration of coordinate descent",
       Proceedings of the 24th International Conference on Artificial Intelligence and
       Statistics (AISTATS), PMLR 130, 1288-1296, 2021.

    Examples
    --------
    >>> from mlcourse.linear_model import ElasticNet
    >>> X = [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]
    >>> ElasticNet(alpha=0.1).fit(X, [0.0, 1.0, 2.0, 3.0]).coef_.round(3)
    array([0.923, 0.   ])
    """

    _parameter_rules = {
        "alpha": real(ge=0),
        "l1_ratio": real(ge=0, le=1),
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def fit(self, X, y):
        """Fit on ``X`` (n, d), dense or sparse, and ``y`` (n,) or (n, n_targets).

        Returns
        -------
        self
        """
        check_params(self)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csc",
            dtype=np.float64,
            y_numeric=True,
            multi_output=True,
        )
        if self.alpha == 0:
            warnings.warn(
                "With alpha=0 this is ordinary least squares; LinearRegression solves it "
                "directly and coordinate descent may converge slowly.",
                UserWarning,
                stacklevel=2,
            )
        if self.l1_ratio == 0 and self.alpha > 0:
            warnings.warn(
                "With l1_ratio=0 this is a ridge regression: use Ridge, which solves it in "
                "closed form. The duality gap used to stop coordinate descent needs an L1 "
                "part, so this fit runs to max_iter.",
                UserWarning,
                stacklevel=2,
            )
        n, d = X.shape
        Y = y.reshape(n, -1)
        n_targets = Y.shape[1]
        X_mean, X_fit = None, X
        if self.fit_intercept:
            y_mean = Y.mean(axis=0)
            X_mean = np.asarray(X.mean(axis=0)).ravel()
            if not sp.issparse(X):
                X_fit, X_mean = X - X_mean, X_mean  # centre dense data explicitly
        else:
            y_mean = np.zeros(n_targets)
        W = np.zeros((n_targets, d))
        if self.warm_start and hasattr(self, "coef_"):
            W[:] = np.reshape(self.coef_, (-1, d))
        l1_reg = n * self.alpha * self.l1_ratio
        l2_reg = n * self.alpha * (1 - self.l1_ratio)
        implicit_mean = X_mean if sp.issparse(X) else None
        gaps, n_iters = np.empty(n_targets), []
        for k in range(n_targets):
            yk = Y[:, k] - y_mean[k]
            W[k], gap, n_iter = enet_coordinate_descent(
                X_fit, yk, l1_reg, l2_reg, W[k], self.max_iter, self.tol, implicit_mean
            )
            if gap > self.tol * float(yk @ yk):
                _warn_not_converged(gap, self.tol * float(yk @ yk))
            gaps[k] = gap / n
            n_iters.append(n_iter)
        intercept = y_mean - W @ X_mean if self.fit_intercept else np.zeros(n_targets)
        if y.ndim == 1:
            self.coef_, self.intercept_ = W[0], float(intercept[0])
            self.dual_gap_, self.n_iter_ = float(gaps[0]), n_iters[0]
        else:
            self.coef_, self.intercept_ = W, intercept
            self.dual_gap_, self.n_iter_ = gaps, n_iters
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as a sparse matrix (most entries are 0 for a strong L1 penalty)."""
        return sp.csr_matrix(np.atleast_2d(self.coef_))

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


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty, fitted by coordinate descent.

    Minimises ``(1/2n)||y - X w - b||^2 + alpha ||w||_1``: many weights become exactly 0,
    which makes the lasso a feature selector. See notebooks/14_regularization.ipynb.

    Parameters
    ----------
    alpha : float, default=1.0
        Strength of the L1 penalty. From ``alpha_max = max_j |x_j^T y_c| / n`` up, every
        weight is 0.
    fit_intercept, max_iter, tol, warm_start
        As in :class:`ElasticNet`.

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_
        As in :class:`ElasticNet`.

    Examples
    --------
    >>> from mlcourse.linear_model import Lasso
    >>> X = [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]
    >>> Lasso(alpha=0.1).fit(X, [0.0, 1.0, 2.0, 3.0]).coef_.round(3)
    array([0.92, 0.  ])
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, max_iter=1000, tol=1e-4, warm_start=False):
        super().__init__(
            alpha=alpha,
            l1_ratio=1.0,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            warm_start=warm_start,
        )


# --------------------------------------------------------------------------- cross-validation


def _all_numbers(value, condition):
    """Tell whether ``value`` is a number or a list of numbers (no bool) meeting ``condition``."""
    a = np.asarray(value)
    return a.dtype.kind in "iuf" and bool(condition(a.astype(float)))


class ElasticNetCV(RegressorMixin, BaseEstimator):
    """Elastic net whose strength is chosen by k-fold cross-validation along a path.

    For each ``l1_ratio``: a grid of ``alphas`` from ``alpha_max`` (on all the data) down to
    ``eps * alpha_max``; for each fold, :func:`enet_path` on the centred training part and
    the mean squared error on the held-out part; ``alpha_`` (and ``l1_ratio_``) minimise the
    mean error over the folds, and the final model is refitted on all the data.
    See notebooks/14_regularization.ipynb, section 8.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
    eps : float, default=1e-3
    alphas : int or array-like, default=100
        How many alphas on the log grid, or the alphas themselves.
    fit_intercept : bool, default=True
    max_iter : int, default=1000
    tol : float, default=1e-4
    cv : int or cross-validation splitter, default=None
        ``None`` is 5-fold ``KFold`` without shuffling, as in scikit-learn.

    Attributes
    ----------
    alpha_, l1_ratio_ : float
        The chosen strength and mix.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_
        Of the final fit.
    """

    _parameter_rules = {
        "l1_ratio": Rule("a number or a list of numbers in (0, 1]", lambda v: _all_numbers(
            v, lambda a: np.all((a > 0) & (a <= 1)))),
        "eps": real(gt=0),
        "alphas": [integer(ge=1), Rule("a list of numbers >= 0", lambda v: _all_numbers(
            v, lambda a: a.ndim == 1 and a.size > 0 and np.all(a >= 0)))],
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
    }

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True, max_iter=1000,
                 tol=1e-4, cv=None):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv

    def _l1_ratios(self):
        return np.atleast_1d(np.asarray(self.l1_ratio, dtype=float))

    def fit(self, X, y):
        """Cross-validate the path(s), then refit the best model on all of ``X``, ``y``."""
        from sklearn.model_selection import check_cv  # plumbing: the same folds as sklearn

        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        l1_ratios = self._l1_ratios()
        folds = list(check_cv(self.cv).split(X, y))
        centre = (lambda A: A - A.mean(axis=0)) if self.fit_intercept else (lambda A: A)
        all_alphas, mse = [], []
        for l1_ratio in l1_ratios:
            if isinstance(self.alphas, numbers.Integral):
                alphas = _alpha_grid(centre(X), centre(y), l1_ratio, self.eps, self.alphas)
            else:
                alphas = np.sort(np.asarray(self.alphas, dtype=float))[::-1]
            errors = np.empty((len(alphas), len(folds)))
            for k, (train, test) in enumerate(folds):
                X_mean = X[train].mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])
                y_mean = y[train].mean() if self.fit_intercept else 0.0
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    _, coefs, _ = enet_path(
                        X[train] - X_mean, y[train] - y_mean, l1_ratio=l1_ratio, alphas=alphas,
                        max_iter=self.max_iter, tol=self.tol,
                    )
                pred = (X[test] - X_mean) @ coefs + y_mean  # (n_test, n_alphas)
                errors[:, k] = np.mean((pred - y[test, None]) ** 2, axis=0)
            all_alphas.append(alphas)
            mse.append(errors)
        mean_mse = np.array([e.mean(axis=1) for e in mse])  # (n_l1_ratio, n_alphas)
        i, j = np.unravel_index(np.argmin(mean_mse), mean_mse.shape)
        self.l1_ratio_, self.alpha_ = float(l1_ratios[i]), float(all_alphas[i][j])
        single = np.ndim(self.l1_ratio) == 0
        self.alphas_ = all_alphas[0] if single else np.array(all_alphas)
        self.mse_path_ = mse[0] if single else np.array(mse)
        final = ElasticNet(alpha=self.alpha_, l1_ratio=self.l1_ratio_,
                           fit_intercept=self.fit_intercept, max_iter=self.max_iter,
                           tol=self.tol).fit(X, y)
        self.coef_, self.intercept_ = final.coef_, final.intercept_
        self.dual_gap_, self.n_iter_ = final.dual_gap_, final.n_iter_
        return self

    def predict(self, X):
        """Predict with the refitted model, ``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_


class LassoCV(ElasticNetCV):
    """Lasso whose ``alpha`` is chosen by k-fold cross-validation along the lasso path.

    :class:`ElasticNetCV` with ``l1_ratio=1``; the same parameters otherwise.
    """

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, max_iter=1000, tol=1e-4,
                 cv=None):
        super().__init__(l1_ratio=1.0, eps=eps, alphas=alphas, fit_intercept=fit_intercept,
                         max_iter=max_iter, tol=tol, cv=cv)
