"""Linear support vector classifier: the primal problem, by L-BFGS or by Pegasos.

See notebooks/09_support_vector_machines.ipynb.
"""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.metrics.pairwise import check_squares_finite
from mlcourse.utils import check_params, integer, one_of, real, single_blas_thread

_LOSSES = ("hinge", "squared_hinge")
_SOLVERS = ("lbfgs", "pegasos")
# Pegasos stops after this many epochs in a row without a relative improvement of tol.
_PATIENCE = 5
# Widths of the smoothed hinge, from very smooth to (nearly) the hinge itself. The last width
# bounds the gap to the hinge's optimum by C n 1e-6 / 2: far below what rounding can move.
_SMOOTHING = (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)


def _squared_hinge(M):
    """``max(0, 1 - m)^2`` and its derivative in ``m``."""
    slack = np.maximum(0.0, 1.0 - M)
    return slack * slack, -2.0 * slack


def _smoothed_hinge(M, mu):
    """Evaluate the hinge with its kink rounded over a width ``mu``, and its derivative."""
    z = 1.0 - M
    values = np.where(z >= mu, z - 0.5 * mu, np.where(z > 0, 0.5 * z * z / mu, 0.0))
    return values, -np.clip(z / mu, 0.0, 1.0)


def _unpack(theta, d, K):
    """Split the parameter vector into ``W`` (d, K) and the intercept weights ``w_s`` (K,)."""
    return theta[: d * K].reshape(d, K), theta[d * K :]


def _objective(theta, X, Y, s, lam, loss):
    """``f = lambda/2 ||theta||^2 + mean_i sum_k loss(M_ik)`` and its gradient in ``theta``.

    ``theta`` packs ``W`` (d, K) and the intercept weights ``w_s`` (K,); the margins are
    ``M = Y * (X W + s w_s)`` and ``loss(M) -> (values, d values / d M)``. By the chain rule
    ``grad_W = X^T R + lambda W`` with ``R = Y * loss'(M) / n``.
    """
    n, d = X.shape
    K = Y.shape[1]
    W, w_s = _unpack(theta, d, K)
    values, slopes = loss(Y * (X @ W + s * w_s))
    R = Y * slopes / n
    grad = np.concatenate([(X.T @ R + lam * W).ravel(), s * R.sum(axis=0) + lam * w_s])
    return 0.5 * lam * (theta @ theta) + values.sum() / n, grad


def _pegasos_step(X, Y, W, w_s, s, lam, t, radius):
    """One Pegasos step on a mini-batch, for every one-vs-rest column of ``W`` at once."""
    eta = 1.0 / (lam * t)
    violated = Y * ((Y * (X @ W + s * w_s)) < 1.0)  # y_i where the margin is below 1, else 0
    W = (1.0 - 1.0 / t) * W + (eta / X.shape[0]) * (X.T @ violated)
    w_s = (1.0 - 1.0 / t) * w_s + (eta * s / X.shape[0]) * violated.sum(axis=0)
    norm = np.sqrt((W * W).sum(axis=0) + w_s * w_s)
    shrink = np.minimum(1.0, radius / np.maximum(norm, 1e-300))
    return W * shrink, w_s * shrink


def _pegasos_objective(X, Y, W, w_s, s, lam):
    """``lambda/2 ||w||^2 + mean hinge``, summed over the one-vs-rest columns."""
    slack = np.maximum(0.0, 1.0 - Y * (X @ W + s * w_s))
    return 0.5 * lam * ((W * W).sum() + w_s @ w_s) + slack.sum() / X.shape[0]


def primal_objective(w, b, X, y, C=1.0, loss="squared_hinge", intercept_scaling=1.0):
    """Evaluate the linear SVM objective that :class:`LinearSVC` minimises.

    ``J(w, b) = 1/2 (||w||^2 + (b / s)^2) + C sum_i loss(y_i (w . x_i + b))`` with
    ``loss(m) = max(0, 1 - m)`` (hinge) or its square, and ``s = intercept_scaling``. As in
    liblinear (scikit-learn's LinearSVC) the intercept is the weight of a constant feature
    ``s`` and so is regularised too; pass ``b=0`` for a model without intercept.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
    b : float
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels in ``{-1, +1}``.

    Returns
    -------
    J : float
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    slack = np.maximum(0.0, 1.0 - np.asarray(y, dtype=float) * (X @ w + b))
    data = slack**2 if loss == "squared_hinge" else slack
    return float(0.5 * (w @ w + (b / intercept_scaling) ** 2) + C * data.sum())


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier fitted in the primal.

    Minimises ``J(w, b) = 1/2 ||w||^2 + C sum_i loss(y_i (w . x_i + b))`` (see
    :func:`primal_objective`; as in liblinear the intercept is regularised too).
    ``solver="lbfgs"`` runs L-BFGS with the analytic gradient: directly on the squared hinge,
    which is differentiable, and on the hinge through smoothed hinges of shrinking width.
    ``solver="pegasos"`` (hinge only) takes mini-batch sub-gradient steps of size
    ``1 / (lambda t)`` with ``lambda = 1 / (C n)``. More than two classes: one-vs-rest, all
    classes solved at once. See notebooks/09_support_vector_machines.ipynb.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength.
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
        ``max(0, 1 - m)^2`` or ``max(0, 1 - m)`` of the margin ``m = y (w . x + b)``.
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
        Value ``s`` of the constant feature that carries the intercept (``b = s w_s``);
        a larger ``s`` regularises the intercept less.
    max_iter : int, default=1000
        L-BFGS iterations, or Pegasos epochs (passes over the data).
    tol : float, default=1e-4
        L-BFGS: gradient tolerance of the objective divided by ``C n``. Pegasos: stop after
        5 epochs in a row that lower that objective by less than ``tol`` (relative).
    solver : {"lbfgs", "pegasos"}, default="lbfgs"
        Pegasos needs ``loss="hinge"``.
    batch_size : int, default=64
        Mini-batch size for Pegasos.
    random_state : int, Generator or None, default=None
        Shuffling for Pegasos.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        L-BFGS iterations or Pegasos epochs run.
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(300, random_state=0)
    >>> LinearSVC().fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_rules = {
        "C": real(gt=0),
        "loss": one_of(*_LOSSES),
        "intercept_scaling": real(gt=0),
        "max_iter": integer(ge=1),
        "tol": real(ge=0),
        "solver": one_of(*_SOLVERS),
        "batch_size": integer(ge=1),
    }

    def __init__(
        self,
        C=1.0,
        loss="squared_hinge",
        fit_intercept=True,
        intercept_scaling=1.0,
        max_iter=1000,
        tol=1e-4,
        solver="lbfgs",
        batch_size=64,
        random_state=None,
    ):
        self.C = C
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X, y):
        """Fit one binary problem (two classes) or one per class (one-vs-rest).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : LinearSVC
        """
        check_params(self)
        if self.solver == "pegasos" and self.loss != "hinge":
            raise ValueError(
                "solver='pegasos' minimises the hinge loss; use loss='hinge' with it "
                f"(got loss={self.loss!r})."
            )
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_squares_finite(X, "LinearSVC")
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"LinearSVC needs samples of at least 2 classes in the data; got 1 class "
                f"({self.classes_[0]!r})."
            )
        # Y[:, k] = +1 for class k, -1 otherwise; two classes need one column (+1 = classes_[1])
        if len(self.classes_) == 2:
            Y = np.where(y_idx == 1, 1.0, -1.0)[:, None]
        else:
            Y = np.where(y_idx[:, None] == np.arange(len(self.classes_)), 1.0, -1.0)
        s = float(self.intercept_scaling) if self.fit_intercept else 0.0
        with single_blas_thread():  # many small matrix-vector products
            if self.solver == "pegasos":
                W, w_s, self.n_iter_ = self._fit_pegasos(X, Y, s)
            elif self.loss == "squared_hinge":
                W, w_s, self.n_iter_ = self._fit_primal(X, Y, s)
            else:
                W, w_s, self.n_iter_ = self._fit_smoothed_hinge(X, Y, s)
        self.coef_ = W.T.copy()
        self.intercept_ = s * w_s
        return self

    # ---------------------------------------------------------------- L-BFGS
    def _fit_primal(self, X, Y, s):
        """L-BFGS on the squared hinge objective, which is differentiable."""
        d, K = X.shape[1], Y.shape[1]
        theta, n_iter, status = self._lbfgs(X, Y, s, np.zeros(d * K + K), _squared_hinge)
        self._warn_if(status == 1)
        return *_unpack(theta, d, K), n_iter

    def _lbfgs(self, X, Y, s, theta0, loss):
        """Minimise ``f = J / (C n) = lambda/2 ||theta||^2 + mean loss`` for all classes at once.

        ``loss(M) -> (values, d values / d M)`` acts on the margins ``M = Y * scores``. Dividing
        ``J`` by ``C n`` makes ``tol`` mean the same for every ``C`` and ``n``.
        """
        lam = 1.0 / (self.C * X.shape[0])
        res = minimize(
            _objective,
            theta0,
            args=(X, Y, s, lam, loss),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol * lam, "ftol": 1e-12},
        )
        return res.x, int(res.nit), res.status

    def _fit_smoothed_hinge(self, X, Y, s):
        """Minimise the hinge by continuation: L-BFGS on smoothed hinges that tend to it.

        The hinge has a kink at margin 1, where L-BFGS stalls. ``loss_mu`` replaces the kink by
        a parabola of width ``mu`` (``(1 - m)^2 / (2 mu)`` for ``1 - mu < m < 1``, and
        ``1 - m - mu/2`` below), so it is differentiable and within ``mu / 2`` of the hinge.
        Each ``mu`` in 1, 0.1, ..., 1e-6 starts from the previous solution (Chapelle, 2007).
        """
        n, d = X.shape
        theta = np.zeros(d * Y.shape[1] + Y.shape[1])
        n_iter, stopped_early = 0, False
        for mu in _SMOOTHING:
            # The same gradient tolerance at every width: loosening it as mu shrinks let the last
            # stages stop after a few steps, 1e-4 above the optimum, by an amount that depended
            # on which BLAS kernels the machine picked.
            loss = partial(_smoothed_hinge, mu=mu)
            theta, nit, status = self._lbfgs(X, Y, s, theta, loss)
            n_iter += nit
            stopped_early |= status == 1
        self._warn_if(stopped_early)
        return *_unpack(theta, d, Y.shape[1]), n_iter

    def _warn_if(self, stopped_early):
        if stopped_early:
            warnings.warn(
                f"LinearSVC reached max_iter={self.max_iter} before tol={self.tol}; "
                "scale the features or raise max_iter.",
                ConvergenceWarning,
                stacklevel=3,
            )

    # ---------------------------------------------------------------- Pegasos
    def _fit_pegasos(self, X, Y, s):
        """Mini-batch Pegasos on ``f = lambda/2 ||w||^2 + mean hinge``, ``lambda = 1/(C n)``.

        Step ``t`` on a batch ``B``: ``w <- (1 - 1/t) w + 1/(lambda t |B|) sum_{i in B, y_i
        w.x_i < 1} y_i x_i`` (the sub-gradient step with step size ``1 / (lambda t)``), then
        projection onto the ball ``||w|| <= sqrt(2 / lambda)`` that holds the optimum. The
        model returned is a running average that favours recent iterates
        (``w_avg <- w_avg + 4 / (t + 3) (w - w_avg)``, Shamir and Zhang, 2013), far less noisy
        than the last iterate. Every class (one-vs-rest column) takes its step at once.
        """
        rng = np.random.default_rng(self.random_state)
        n, d = X.shape
        K = Y.shape[1]
        lam = 1.0 / (self.C * n)
        radius = np.sqrt(2.0 / lam)
        batch = min(self.batch_size, n)
        W, w_s = np.zeros((d, K)), np.zeros(K)
        W_avg, w_s_avg = W.copy(), w_s.copy()
        t, f_best, stale = 0, np.inf, 0
        for epoch in range(1, self.max_iter + 1):
            n_epochs = epoch
            order = rng.permutation(n)
            X_epoch, Y_epoch = X[order], Y[order]  # one shuffle; batches are then views
            for start in range(0, n, batch):
                rows = slice(start, start + batch)
                t += 1
                W, w_s = _pegasos_step(X_epoch[rows], Y_epoch[rows], W, w_s, s, lam, t, radius)
                weight = 4.0 / (t + 3.0)
                W_avg += weight * (W - W_avg)
                w_s_avg += weight * (w_s - w_s_avg)
            # stop after _PATIENCE epochs in a row that improve on the best by under tol
            f = _pegasos_objective(X, Y, W_avg, w_s_avg, s, lam)
            stale = stale + 1 if f > f_best - self.tol * abs(f_best) else 0
            f_best = min(f_best, f)
            if stale >= _PATIENCE:
                break
        return W_avg, w_s_avg, n_epochs

    # ------------------------------------------------------------ prediction
    def decision_function(self, X):
        """Compute the scores ``X @ coef_.T + intercept_``.

        The shape is (n,) for two classes (positive means ``classes_[1]``), (n, n_classes)
        otherwise.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def predict(self, X):
        """Predict the class with the largest score (two classes: the sign of the score)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]
