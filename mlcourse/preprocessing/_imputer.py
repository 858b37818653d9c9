"""Fill missing values with a per-column statistic.

See notebooks/03_feature_engineering.ipynb (and 02_data_cleaning for when to impute at all).
"""

from __future__ import annotations

import numbers
import warnings
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_array, check_is_fitted, validate_data

from mlcourse.preprocessing._base import (
    check_n_columns,
    input_feature_names,
    is_nan_scalar,
    missing_masks,
)
from mlcourse.utils import check_params, one_of

STRATEGIES = ("mean", "median", "most_frequent", "constant")


def _missing_mask(X: np.ndarray, missing_values) -> np.ndarray:
    """Boolean mask of the entries of ``X`` that count as missing."""
    if is_nan_scalar(missing_values):
        return missing_masks(X)[1]
    return np.equal(X, missing_values).astype(bool)


def _column_means(X, missing):
    n = (~missing).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(missing, 0.0, X).sum(axis=0) / n


def _column_medians(X, missing):
    """Median of the observed values of every column at once.

    Missing entries become +inf so that sorting pushes them to the bottom; the median of
    the k observed values is then the mean of the sorted rows (k-1)//2 and k//2.
    """
    S = np.sort(np.where(missing, np.inf, X.astype(np.float64)), axis=0)
    k = (~missing).sum(axis=0)
    cols = np.arange(X.shape[1])
    low = S[np.maximum((k - 1) // 2, 0), cols]
    high = S[k // 2, cols]  # k // 2 <= k - 1 whenever k >= 1; k = 0 is masked below
    return np.where(k > 0, (low + high) / 2, np.nan)


def _counts(values):
    """Sorted distinct values and how often each occurs.

    Strings are counted in a hash table (Counter) rather than sorted one by one.
    """
    if values.dtype != object:
        return np.unique(values, return_counts=True)
    tally = Counter(values.tolist())
    uniques = sorted(tally)
    return np.array(uniques, dtype=object), np.array([tally[u] for u in uniques])


def _column_modes(X, missing):
    """Most frequent observed value of each column; ties go to the smallest value."""
    modes = np.full(X.shape[1], np.nan, dtype=object if X.dtype.kind == "O" else np.float64)
    for j in range(X.shape[1]):  # one np.unique per column, vectorised over the rows
        values = X[~missing[:, j], j]
        if values.size == 0:
            continue
        try:
            uniques, counts = _counts(values)
        except TypeError as err:
            kinds = sorted({type(v).__name__ for v in values})
            raise TypeError(
                f"Column {j} mixes value types {kinds}: to find the most frequent value the "
                "argument must be uniformly strings or numbers in each column."
            ) from err
        modes[j] = uniques[np.argmax(counts)]  # argmax takes the first = smallest of ties
    return modes


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values by a statistic of their column learnt in ``fit``.

    ``mean`` and ``median`` need numbers; ``most_frequent`` and ``constant`` also work on
    strings (object columns). Columns with no observed value in ``fit`` are dropped (kept
    and filled with 0 when ``keep_empty_features=True``, or always with ``constant``).
    See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    missing_values : scalar, default=np.nan
        The placeholder that marks a missing entry (NaN also matches ``float('nan')`` in
        object columns).
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
    fill_value : scalar, default=None
        The value for ``strategy="constant"``; None means 0 for numbers and
        ``"missing_value"`` for strings.
    copy : bool, default=True
    add_indicator : bool, default=False
        Append one 0/1 column per feature that had missing values in ``fit``.
    keep_empty_features : bool, default=False
        Keep columns that were entirely missing in ``fit`` (filled with 0).

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The fill value of each column (NaN for a column that is dropped).
    indicator_features_ : ndarray of int or None
        Columns that get a missing-value indicator (only with ``add_indicator=True``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _parameter_rules = {"strategy": one_of(*STRATEGIES)}

    def __init__(
        self, *, missing_values=np.nan, strategy="mean", fill_value=None, copy=True,
        add_indicator=False, keep_empty_features=False,
    ):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _validate_input(self, X, in_fit):
        check_params(self)
        numeric_only = self.strategy in ("mean", "median")
        dtype = FLOAT_DTYPES if numeric_only else None
        if not in_fit and self._fit_dtype.kind == "O":
            dtype = object  # a column of strings stays a column of objects
        try:
            X = validate_data(
                self, X, reset=in_fit, dtype=dtype, copy=self.copy,
                force_writeable=True,
                ensure_all_finite="allow-nan" if is_nan_scalar(self.missing_values) else True,
            )
        except ValueError as err:
            if "could not convert" in str(err):
                raise ValueError(
                    f"Cannot use strategy={self.strategy!r} with non-numeric data; use "
                    f"'most_frequent' or 'constant' for string columns. ({err})"
                ) from None
            raise
        if X.dtype.kind in "US":
            X = X.astype(object)
        if X.dtype.kind not in "iufO":
            raise ValueError(
                f"SimpleImputer does not support data of dtype {X.dtype}: give numbers or "
                "strings (object dtype)."
            )
        if X.dtype.kind in "iuf" and not isinstance(self.missing_values, numbers.Real):
            raise ValueError(
                f"X is numeric ({X.dtype}) but missing_values={self.missing_values!r} is not "
                "a number."
            )
        if in_fit:
            self._fit_dtype = X.dtype
        return X

    def _fill_value(self, X):
        if self.fill_value is not None:
            fill = self.fill_value
            if X.dtype.kind in "iuf" and not np.can_cast(type(fill), X.dtype, "same_kind"):
                raise ValueError(
                    f"fill_value={fill!r} (of type {type(fill).__name__}) cannot be used "
                    f"for data of dtype {X.dtype}."
                )
            return fill
        return 0 if X.dtype.kind in "iuf" else "missing_value"

    def fit(self, X, y=None):
        """Learn the fill value of each column."""
        X = self._validate_input(X, in_fit=True)
        missing = _missing_mask(X, self.missing_values)
        empty = missing.all(axis=0)
        if self.strategy == "constant":
            stats = np.full(X.shape[1], self._fill_value(X), dtype=object)
        elif self.strategy == "mean":
            stats = _column_means(X, missing)
        elif self.strategy == "median":
            stats = _column_medians(X, missing)
        else:
            stats = _column_modes(X, missing)
        if self.keep_empty_features:
            stats[empty] = self._fill_value(X) if self.strategy == "constant" else 0
        else:
            stats[empty] = np.nan
        self.statistics_ = stats
        self.indicator_features_ = (
            np.flatnonzero(missing.any(axis=0)) if self.add_indicator else None
        )
        return self

    def _kept(self):
        """Mask of the columns that survive ``transform``."""
        if self.keep_empty_features:
            return np.ones(len(self.statistics_), dtype=bool)
        return ~missing_masks(np.asarray(self.statistics_))[1]

    def transform(self, X):
        """Fill every missing entry with its column's statistic."""
        check_is_fitted(self)
        X = self._validate_input(X, in_fit=False)
        missing = _missing_mask(X, self.missing_values)
        kept = self._kept()
        if not kept.all():
            names = input_feature_names(self)[~kept]
            warnings.warn(
                f"Skipping features without any observed values in fit: {list(names)}. "
                f"strategy={self.strategy!r} needs at least one non-missing value.",
                UserWarning,
                stacklevel=2,
            )
        Xt = X[:, kept]
        rows, cols = np.nonzero(missing[:, kept])
        Xt[rows, cols] = self.statistics_[kept].astype(X.dtype)[cols]
        if not self.add_indicator:
            return Xt
        new = missing.any(axis=0) & ~np.isin(np.arange(X.shape[1]), self.indicator_features_)
        if new.any():
            raise ValueError(
                f"Features {list(input_feature_names(self)[new])} have missing values in "
                "transform but had none in fit, so they have no indicator column."
            )
        return np.hstack([Xt, missing[:, self.indicator_features_].astype(Xt.dtype)])

    def inverse_transform(self, X):
        """Put the missing values back where the indicator columns say they were.

        Needs ``add_indicator=True``; columns dropped in ``fit`` come back as missing.
        """
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError(
                "inverse_transform needs add_indicator=True: without the indicator columns "
                "the imputer cannot know which values it filled."
            )
        kept = self._kept()
        X = check_array(X, dtype=None, ensure_all_finite="allow-nan")
        n_ind = len(self.indicator_features_)
        check_n_columns(self, X, kept.sum() + n_ind, "kept features + indicator columns")
        original = np.full((X.shape[0], kept.size), self.missing_values, dtype=X.dtype)
        original[:, kept] = X[:, : kept.sum()]
        was_missing = X[:, kept.sum():].astype(bool)
        block = original[:, self.indicator_features_]
        block[was_missing] = self.missing_values
        original[:, self.indicator_features_] = block
        return original

    def get_feature_names_out(self, input_features=None):
        """Names of the kept columns, then ``missingindicator_<name>`` per indicator."""
        check_is_fitted(self)
        names = input_feature_names(self, input_features)
        out = list(names[self._kept()])
        if self.add_indicator:
            out += [f"missingindicator_{name}" for name in names[self.indicator_features_]]
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = is_nan_scalar(self.missing_values)
        # a constant fill never compares values, so any object (strings included) is fine
        tags.input_tags.string = self.strategy == "constant"
        return tags
