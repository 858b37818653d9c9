"""Feature scaling: standardisation and min-max scaling, NaN-aware.

See notebooks/03_feature_engineering.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_array, check_is_fitted, validate_data

from mlcourse.preprocessing._base import check_n_columns
from mlcourse.utils import Rule, check_params, real

EPS = np.finfo(np.float64).eps


def _observed_mean_var(X: np.ndarray):
    """Per-column count, mean and (population) variance over the non-NaN entries.

    Two passes (mean first, then squared deviations from it) keep the variance accurate
    when the mean is large compared with the spread. Columns with no value give NaN.
    """
    observed = ~np.isnan(X)
    n = observed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(observed, X, 0.0).sum(axis=0) / n
        var = (np.where(observed, X - mean, 0.0) ** 2).sum(axis=0) / n
    return n, mean, var


def _observed_mean_std(X: np.ndarray):
    """Count, mean, variance, standard deviation and a constant-column flag, column by column.

    Each column is divided by a power of two near its largest absolute value first (exactly,
    so ordinary data give the same numbers as without it), so that huge values (near
    1e300, whose squares overflow) still give the right mean and standard deviation; the
    variance is then reported as inf if it is too large for float64, and a RuntimeWarning
    says so.
    """
    largest = np.where(np.isnan(X), 0.0, np.abs(X)).max(axis=0, initial=0.0)
    # a power of two, so that dividing by it and multiplying back are exact
    with np.errstate(divide="ignore"):
        size = np.where(largest > 0, 2.0 ** np.ceil(np.log2(largest)), 1.0)
    n, unit_mean, unit_var = _observed_mean_var(X / size)
    constant = _is_constant(unit_var, unit_mean, n)
    std = np.sqrt(unit_var) * size
    with np.errstate(over="ignore"):
        var = unit_var * size * size
    if np.isinf(var).any():
        warnings.warn(
            f"The variance of column(s) {np.flatnonzero(np.isinf(var)).tolist()} is too large "
            "for float64 and is reported as inf; the standard deviation (scale_) is exact.",
            RuntimeWarning, stacklevel=3)
    return n, unit_mean * size, var, std, constant


def _is_constant(var, mean, n):
    """Tell which variances are rounding error of a constant column, not spread.

    Bound on the error of the two-pass variance of n numbers (Chan, Golub & LeVeque 1983).

    References
    ----------
    .. [1] T. F. Chan, G. H. Golub and R. J. LeVeque, "Algorithms for Computing the Sample
       Variance: Analysis and Recommendations", The American Statistician 37(3), 242-247,
       1983.
    """
    return var <= n * EPS * var + (n * mean * EPS) ** 2


def _safe_scale(scale, constant=None):
    """Replace scales of (near-)constant columns by 1 so they are left unscaled."""
    if constant is None:
        constant = scale < 10 * EPS
    return np.where(constant, 1.0, scale)


class StandardScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise each column: ``z = (x - mean) / std``.

    The mean and the population standard deviation are learnt on the training data,
    ignoring NaNs; NaNs pass through ``transform`` unchanged. A constant column gets scale 1
    (it is only centred). See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    copy : bool, default=True
        Work on a copy of ``X`` (False: scale float arrays in place when possible).
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Column means (None when neither centring nor scaling).
    var_ : ndarray of shape (n_features,) or None
        Column variances (None when ``with_std=False``).
    scale_ : ndarray of shape (n_features,) or None
        Standard deviations with zeros replaced by 1 (None when ``with_std=False``).
    n_samples_seen_ : int or ndarray of shape (n_features,)
        Non-missing values per column (one int when every column has the same count).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.
    """

    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        """Learn the column means and standard deviations (NaNs ignored)."""
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        n, mean, var, std, constant = _observed_mean_std(X.astype(np.float64, copy=False))
        # one count for all columns when there is no NaN, as scikit-learn reports it
        self.n_samples_seen_ = n[0] if n.min() == n.max() else n
        self.mean_ = mean if (self.with_mean or self.with_std) else None
        self.var_ = var if self.with_std else None
        self.scale_ = _safe_scale(std, constant) if self.with_std else None
        return self

    def transform(self, X, copy=None):
        """Return ``(X - mean_) / scale_``; NaNs stay NaN."""
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = validate_data(
            self, X, reset=False, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan",
            copy=copy, force_writeable=True,
        )
        if self.with_mean:
            X -= self.mean_.astype(X.dtype)
        if self.with_std:
            X /= self.scale_.astype(X.dtype)
        return X

    def inverse_transform(self, X, copy=None):
        """Undo :meth:`transform`: ``X * scale_ + mean_``."""
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = check_array(
            X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=copy,
            force_writeable=True,
        )
        check_n_columns(self, X, self.n_features_in_, "one per input feature")
        if self.with_std:
            X *= self.scale_.astype(X.dtype)
        if self.with_mean:
            X += self.mean_.astype(X.dtype)
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class MinMaxScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Rescale each column linearly onto ``feature_range``.

    ``x' = a + (x - min) * (b - a) / (max - min)`` with ``(a, b) = feature_range``, min and
    max learnt on the training data ignoring NaNs. A constant column maps to ``a``.
    See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    feature_range : tuple (a, b), default=(0, 1)
        Target range, ``a < b``.
    copy : bool, default=True
        Work on a copy of ``X``.
    clip : bool, default=False
        Clip transformed values of new data to ``feature_range``.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
        Per-column minimum, maximum and their difference seen in ``fit``.
    scale_ : ndarray of shape (n_features,)
        ``(b - a) / data_range_`` (a zero range counts as 1).
    min_ : ndarray of shape (n_features,)
        ``a - data_min_ * scale_``, so that ``x' = x * scale_ + min_``.
    n_samples_seen_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _parameter_rules = {
        "feature_range": Rule("a pair (min, max) with min < max", lambda v: (
            isinstance(v, tuple | list) and len(v) == 2
            and all(real().accepts(b) for b in v) and v[0] < v[1])),
    }

    def __init__(self, feature_range=(0, 1), *, copy=True, clip=False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None):
        """Learn each column's minimum and maximum (NaNs ignored)."""
        check_params(self)
        low, high = self.feature_range
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        # fmin/fmax skip NaNs without the warnings of nanmin on all-NaN columns
        self.data_min_ = np.fmin.reduce(X, axis=0)
        self.data_max_ = np.fmax.reduce(X, axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = (high - low) / _safe_scale(self.data_range_)
        self.min_ = low - self.data_min_ * self.scale_
        self.n_samples_seen_ = X.shape[0]
        return self

    def transform(self, X):
        """Return ``X * scale_ + min_``; NaNs stay NaN."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan",
            copy=self.copy, force_writeable=True,
        )
        X *= self.scale_.astype(X.dtype)
        X += self.min_.astype(X.dtype)
        if self.clip:
            np.clip(X, self.feature_range[0], self.feature_range[1], out=X)
        return X

    def inverse_transform(self, X):
        """Undo :meth:`transform`: ``(X - min_) / scale_``."""
        check_is_fitted(self)
        X = check_array(
            X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=self.copy,
            force_writeable=True,
        )
        check_n_columns(self, X, self.n_features_in_, "one per input feature")
        X -= self.min_.astype(X.dtype)
        X /= self.scale_.astype(X.dtype)
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
