"""Linear regression by stochastic gradient descent, one sample per step.

See notebooks/05_linear_regression.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.utils import check_params, integer, one_of, real

_SCHEDULES = ("constant", "invscaling")


def learning_rates(schedule, eta0, t, n, power_t=0.25):
    """Step sizes for updates number ``t, t+1, ..., t+n-1`` (``t`` starts at 1).

    ``"constant"``: ``eta = eta0``; ``"invscaling"``: ``eta = eta0 / t**power_t``.
    """
    if schedule == "constant":
        return np.full(n, float(eta0))
    return eta0 / np.arange(t, t + n, dtype=float) ** power_t


def sgd_epoch(X, y, w, b, etas, alpha, fit_intercept=True):
    """One pass of per-sample SGD over the rows of ``X`` in the order given; updates ``w`` in place.

    Per sample, with ``r = x.w + b - y``: ``w <- w - eta (r x + alpha w)``, ``b <- b - eta r``
    (the gradient of ``r^2 / 2 + alpha ||w||^2 / 2``).

    Returns
    -------
    b : float
        The new intercept.
    mean_loss : float
        Average of ``r^2 / 2`` over the epoch, each taken just before its update.
    """
    total = 0.0
    # Each step depends on the previous one, so this loop over samples cannot be vectorised.
    for x, target, eta in zip(X, y, etas, strict=True):
        r = float(x @ w) + b - target
        total += 0.5 * r * r
        if alpha:
            w *= 1.0 - eta * alpha  # the L2 shrinkage, done in place
        w -= (eta * r) * x
        if fit_intercept:
            b -= eta * r
    return b, total / X.shape[0]


class SGDRegressor(RegressorMixin, BaseEstimator):
    """Linear regression fitted by stochastic gradient descent on the squared error.

    Minimises ``(1/n) sum_i (x_i.w + b - y_i)^2 / 2 + alpha ||w||^2 / 2``, updating after
    every sample (the same parameterisation as scikit-learn's ``SGDRegressor``).
    See notebooks/05_linear_regression.ipynb.

    Parameters
    ----------
    alpha : float, default=0.0001
        Strength of the L2 penalty (0 for none); the intercept is not penalised.
    fit_intercept : bool, default=True
        Whether to learn the bias ``b``.
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float or None, default=1e-3
        Stop when the epoch's average loss has not fallen below ``best - tol`` for
        ``n_iter_no_change`` epochs in a row; ``None`` always runs ``max_iter`` epochs.
    shuffle : bool, default=True
        Shuffle the rows before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling.
    learning_rate : {"constant", "invscaling"}, default="invscaling"
        Step-size schedule: ``eta0`` or ``eta0 / t**power_t`` at update ``t``.
    eta0 : float, default=0.01
        Initial step size.
    power_t : float, default=0.25
        Exponent of the ``"invscaling"`` schedule.
    n_iter_no_change : int, default=5
        Epochs without improvement before stopping.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : ndarray of shape (1,)
    n_iter_ : int
        Epochs run by the last ``fit``.
    t_ : float
        Number of updates so far plus one (the ``t`` of the schedule).
    loss_curve_ : list of float
        Average training loss of each epoch.
    n_features_in_ : int
    """

    _parameter_rules = {
        "alpha": real(ge=0),
        "max_iter": integer(ge=1),
        "tol": [None, real()],
        "learning_rate": one_of(*_SCHEDULES),
        "eta0": real(gt=0),
        "power_t": real(ge=0),
        "n_iter_no_change": integer(ge=1),
    }

    def __init__(
        self,
        alpha=0.0001,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        random_state=None,
        learning_rate="invscaling",
        eta0=0.01,
        power_t=0.25,
        n_iter_no_change=5,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change

    def fit(self, X, y):
        """Fit from zero weights for up to ``max_iter`` epochs.

        Returns
        -------
        self : SGDRegressor
        """
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self._initialise(X.shape[1])
        self.loss_curve_ = []
        best, stale = np.inf, 0
        for _ in range(self.max_iter):
            loss = self._epoch(X, y)
            if not np.isfinite(loss):
                warnings.warn(
                    "SGD diverged (the loss became infinite); lower eta0 or standardise "
                    "the features.",
                    ConvergenceWarning,
                    stacklevel=2,
                )
                break
            if self.tol is not None:
                stale = stale + 1 if loss > best - self.tol else 0
                best = min(best, loss)
                if stale >= self.n_iter_no_change:
                    break
        else:
            if self.tol is not None:
                warnings.warn(
                    f"SGD did not converge in max_iter={self.max_iter} epochs; "
                    "raise max_iter or tol.",
                    ConvergenceWarning,
                    stacklevel=2,
                )
        self.n_iter_ = len(self.loss_curve_)
        return self

    def partial_fit(self, X, y):
        """One epoch over ``(X, y)``, continuing from the current weights (online learning).

        Returns
        -------
        self : SGDRegressor
        """
        check_params(self)
        first_call = not hasattr(self, "coef_")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, reset=first_call)
        if first_call:
            self._initialise(X.shape[1])
            self.loss_curve_ = []
        self._epoch(X, y)
        self.n_iter_ = len(self.loss_curve_)
        return self

    def predict(self, X):
        """Predict ``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_[0]

    def _initialise(self, n_features):
        self.coef_ = np.zeros(n_features)
        self.intercept_ = np.zeros(1)
        self.t_ = 1.0
        self._rng = check_random_state(self.random_state)

    def _epoch(self, X, y):
        n = X.shape[0]
        if self.shuffle:
            order = self._rng.permutation(n)
            X, y = X[order], y[order]
        etas = learning_rates(self.learning_rate, self.eta0, self.t_, n, self.power_t)
        with np.errstate(over="ignore", invalid="ignore"):
            b, loss = sgd_epoch(
                X, y, self.coef_, float(self.intercept_[0]), etas, self.alpha, self.fit_intercept
            )
        self.intercept_ = np.array([b])
        self.t_ += n
        self.loss_curve_.append(loss)
        return loss

