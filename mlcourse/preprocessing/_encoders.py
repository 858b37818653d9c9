"""Categorical encoders: one-hot and ordinal.

See notebooks/03_feature_engineering.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from mlcourse.preprocessing._base import (
    check_n_columns,
    column_label,
    input_feature_names,
    is_nan_scalar,
    missing_masks,
)
from mlcourse.utils import Rule, check_params, integer, one_of


def _distinct(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values.

    Python objects (strings) are hashed into a set first, which is much cheaper than sorting
    every value with Python comparisons as np.unique would.
    """
    if values.dtype == object:
        return np.array(sorted(set(values.tolist())), dtype=object)
    return np.unique(values)


def _sorted_categories(x: np.ndarray, label: str) -> np.ndarray:
    """Sorted distinct values of a column; ``None`` then NaN (if present) go last."""
    is_none, is_nan = missing_masks(x)
    try:
        cats = _distinct(x[~(is_none | is_nan)])
    except TypeError as err:
        kinds = sorted({type(v).__name__ for v in x[~(is_none | is_nan)]})
        raise TypeError(
            f"Column {label} mixes value types {kinds}: the encoder's argument must be "
            "uniformly strings or numbers in each column."
        ) from err
    extra = [None] * bool(is_none.any()) + [np.nan] * bool(is_nan.any())
    if extra:
        extra_dtype = cats.dtype if cats.dtype.kind == "f" else object  # NaN fits a float column
        cats = np.concatenate([cats, np.array(extra, dtype=extra_dtype)])
    return cats


def _encode(x: np.ndarray, cats: np.ndarray):
    """Position of every value of ``x`` in ``cats``, and whether it was found there.

    Binary search in the sorted categories: O(n log k) for the whole column at once.
    Missing values (``None``, NaN) match a missing category of the same kind.
    """
    codes = np.zeros(len(x), dtype=np.intp)
    known = np.zeros(len(x), dtype=bool)
    x_none, x_nan = missing_masks(x)
    c_none, c_nan = missing_masks(cats)
    present = ~(x_none | x_nan)
    where = np.flatnonzero(~(c_none | c_nan))  # indexes of the real categories
    if where.size and present.any():
        order = np.argsort(cats[where], kind="stable")
        sorted_cats = cats[where][order]
        values = x[present]
        try:
            pos = np.searchsorted(sorted_cats, values).clip(max=len(sorted_cats) - 1)
            hit = np.asarray(sorted_cats[pos] == values, dtype=bool)
        except TypeError:  # strings against numbers: nothing matches
            pos, hit = np.zeros(len(values), dtype=np.intp), np.zeros(len(values), dtype=bool)
        codes[present] = where[order[pos]]
        known[present] = hit
    for x_mask, c_mask in ((x_none, c_none), (x_nan, c_nan)):
        if c_mask.any():
            codes[x_mask] = np.flatnonzero(c_mask)[0]
            known[x_mask] = True
    return codes, known


def _describe(values: np.ndarray, limit: int = 5) -> str:
    """Return a short, readable list of (unique) values for an error message."""
    distinct = list(dict.fromkeys(values.tolist()))
    shown = ", ".join(repr(v) for v in distinct[:limit])
    more = f", ... ({len(distinct) - limit} more)" if len(distinct) > limit else ""
    return f"[{shown}{more}]"


class _CategoricalEncoder(TransformerMixin, BaseEstimator):
    """Shared machinery: read columns keeping their types, learn and look up categories."""

    def _columns(self, X, reset: bool) -> list[np.ndarray]:
        """Split X into 1-D columns, each with its own dtype (a DataFrame keeps its types)."""
        if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 2:
            validate_data(self, X, reset=reset, skip_check_array=True)
            if X.shape[1] == 0:
                raise ValueError(f"Found array with 0 feature(s) (shape={X.shape}).")
            return [
                check_array(X.iloc[:, [j]], dtype=None, ensure_all_finite="allow-nan").ravel()
                for j in range(X.shape[1])
            ]
        was_array = hasattr(X, "dtype")
        X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite="allow-nan")
        if not was_array and X.dtype.kind in "US":
            X = X.astype(object)  # lists of strings: avoid fixed-width truncation
        return [X[:, j] for j in range(X.shape[1])]

    def _fit_categories(self, columns, handle_unknown_error: bool):
        if isinstance(self.categories, str) and self.categories == "auto":
            self.categories_ = [
                _sorted_categories(x, column_label(self, j)) for j, x in enumerate(columns)
            ]
            return
        if len(self.categories) != len(columns):
            raise ValueError(
                f"categories has {len(self.categories)} entries but X has {len(columns)} "
                "columns; give one list of categories per column."
            )
        self.categories_ = []
        for j, (x, given) in enumerate(zip(columns, self.categories, strict=True)):
            cats = np.array(given, dtype=object if x.dtype.kind in "OUS" else x.dtype)
            if len(_sorted_categories(cats, column_label(self, j))) != len(cats):
                raise ValueError(
                    f"The categories given for column {column_label(self, j)} contain duplicates."
                )
            if handle_unknown_error:
                self._encode_or_raise(x, cats, j, "fit")
            self.categories_.append(cats)

    def _encode_or_raise(self, x, cats, j, stage):
        codes, known = _encode(x, cats)
        if not known.all():
            raise ValueError(
                f"Found unknown categories {_describe(x[~known])} in column "
                f"{column_label(self, j)} during {stage}; known categories are "
                f"{_describe(cats, limit=10)}. "
                + (self._unknown_hint if stage == "transform" else "Add them to `categories`.")
            )
        return codes, known

    def _codes(self, X, handle_unknown_error: bool):
        """Integer codes (n_samples, n_features) and the mask of known values."""
        check_is_fitted(self, "categories_")
        columns = self._columns(X, reset=False)
        codes = np.empty((len(columns[0]), len(columns)), dtype=np.intp)
        known = np.empty(codes.shape, dtype=bool)
        for j, (x, cats) in enumerate(zip(columns, self.categories_, strict=True)):
            if handle_unknown_error:
                codes[:, j], known[:, j] = self._encode_or_raise(x, cats, j, "transform")
            else:
                codes[:, j], known[:, j] = _encode(x, cats)
        return codes, known

    def _inverse_dtype(self):
        return np.result_type(*[cats.dtype for cats in self.categories_])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.allow_nan = True
        return tags


class OneHotEncoder(_CategoricalEncoder):
    """Encode each categorical column as one 0/1 column per category.

    Row i gets a 1 in column ``(feature j, category c)`` when ``X[i, j] == c``. Categories
    are the sorted distinct values seen in ``fit`` (missing values form their own last
    category). See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each column, or learn them from the data.
    drop : {None, "first", "if_binary"}, default=None
        Drop one column per feature (the first category), or only for features with exactly
        two categories; avoids perfectly collinear columns in unregularised linear models.
    sparse_output : bool, default=False
        Return a SciPy CSR matrix instead of a dense array.
    dtype : numeric dtype, default=np.float64
    handle_unknown : {"error", "ignore"}, default="error"
        With "ignore" an unseen category becomes a row of zeros for that feature.

    Attributes
    ----------
    categories_ : list of ndarray
        The categories of each feature, in output order.
    drop_idx_ : ndarray of object or None
        Index in ``categories_[j]`` of the dropped category (None: nothing dropped).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _unknown_hint = "Use handle_unknown='ignore' to encode unseen categories as all zeros."

    _parameter_rules = {
        "drop": one_of(None, "first", "if_binary"),
        "handle_unknown": one_of("error", "ignore"),
    }

    def __init__(
        self, *, categories="auto", drop=None, sparse_output=False, dtype=np.float64,
        handle_unknown="error",
    ):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown

    def fit(self, X, y=None):
        """Learn the categories of every column."""
        check_params(self)
        columns = self._columns(X, reset=True)
        self._fit_categories(columns, self.handle_unknown == "error")
        sizes = np.array([len(c) for c in self.categories_])
        if self.drop is None:
            self.drop_idx_ = None
        elif self.drop == "first":
            self.drop_idx_ = np.zeros(len(sizes), dtype=object)
        else:
            self.drop_idx_ = np.array([0 if k == 2 else None for k in sizes], dtype=object)
        return self

    def _drop_array(self):
        """Return the dropped index per feature as integers, -1 for none."""
        if self.drop_idx_ is None:
            return np.full(len(self.categories_), -1)
        return np.array([-1 if d is None else d for d in self.drop_idx_])

    def _output_sizes(self):
        return np.array([len(c) for c in self.categories_]) - (self._drop_array() >= 0)

    def transform(self, X):
        """One 0/1 column per (feature, kept category)."""
        codes, known = self._codes(X, self.handle_unknown == "error")
        drop = self._drop_array()[None, :]
        active = known & (codes != drop)
        # after dropping category d, the categories above d move one column left
        columns = codes - ((drop >= 0) & (codes > drop))
        offsets = np.concatenate([[0], np.cumsum(self._output_sizes())[:-1]])
        rows, feats = np.nonzero(active)
        cols = offsets[feats] + columns[rows, feats]
        shape = (codes.shape[0], int(self._output_sizes().sum()))
        if self.sparse_output:
            data = np.ones(len(rows), dtype=self.dtype)
            return sparse.csr_matrix((data, (rows, cols)), shape=shape)
        out = np.zeros(shape, dtype=self.dtype)
        out[rows, cols] = 1
        return out

    def inverse_transform(self, X):
        """Back from one-hot columns to categories (argmax of each feature's block).

        An all-zero block decodes to the dropped category, or to None when unseen
        categories were ignored.
        """
        check_is_fitted(self, "categories_")
        X = check_array(X, accept_sparse="csr")
        if sparse.issparse(X):
            X = X.toarray()
        sizes = self._output_sizes()
        check_n_columns(self, X, int(sizes.sum()), "one per kept category")
        drop = self._drop_array()
        out = np.empty((X.shape[0], len(sizes)), dtype=self._inverse_dtype())
        unknown = np.zeros(out.shape, dtype=bool)
        start = 0
        for j, (cats, size) in enumerate(zip(self.categories_, sizes, strict=True)):
            block = X[:, start : start + size]
            start += size
            kept = np.delete(cats, drop[j]) if drop[j] >= 0 else cats
            zero = block.sum(axis=1) == 0 if size else np.ones(X.shape[0], dtype=bool)
            out[:, j] = kept[block.argmax(axis=1)] if size else cats[drop[j]]
            if drop[j] >= 0:
                out[zero, j] = cats[drop[j]]
            elif self.handle_unknown == "ignore":
                unknown[:, j] = zero
            elif zero.any():
                raise ValueError(
                    f"Rows {np.flatnonzero(zero)[:10].tolist()} have no 1 in the columns of "
                    f"feature {column_label(self, j)}, which cannot happen with drop=None and "
                    "handle_unknown='error'."
                )
        if unknown.any():
            out = out.astype(object)
            out[unknown] = None
        return out

    def get_feature_names_out(self, input_features=None):
        """``<feature>_<category>`` for every output column."""
        check_is_fitted(self, "categories_")
        names = input_feature_names(self, input_features)
        drop = self._drop_array()
        out = [
            f"{name}_{cat}"
            for j, (name, cats) in enumerate(zip(names, self.categories_, strict=True))
            for k, cat in enumerate(cats)
            if k != drop[j]
        ]
        return np.asarray(out, dtype=object)


class OrdinalEncoder(_CategoricalEncoder):
    """Encode each categorical column as integer codes ``0, 1, ..., k-1``.

    Code c means the c-th entry of ``categories_[j]`` (sorted order, or the order given in
    ``categories``). NaN is kept as NaN (``encoded_missing_value``).
    See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each column in code order, or learn them (sorted) from the data.
    dtype : numeric dtype, default=np.float64
    handle_unknown : {"error", "use_encoded_value"}, default="error"
    unknown_value : int or np.nan, default=None
        The code for unseen categories with ``handle_unknown="use_encoded_value"``.
    encoded_missing_value : int or np.nan, default=np.nan
        The code for missing values.

    Attributes
    ----------
    categories_ : list of ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _unknown_hint = "Use handle_unknown='use_encoded_value' with an unknown_value to encode them."

    _parameter_rules = {
        "handle_unknown": one_of("error", "use_encoded_value"),
        "unknown_value": [None, integer(), Rule("np.nan", is_nan_scalar)],
        "encoded_missing_value": [integer(), Rule("np.nan", is_nan_scalar)],
    }

    def __init__(
        self, *, categories="auto", dtype=np.float64, handle_unknown="error",
        unknown_value=None, encoded_missing_value=np.nan,
    ):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    def _check_unknown_value(self):
        """``unknown_value`` goes with ``handle_unknown='use_encoded_value'``, and only with it."""
        if self.handle_unknown == "error":
            if self.unknown_value is not None:
                raise TypeError(
                    "unknown_value should only be set when handle_unknown is "
                    f"'use_encoded_value', got {self.unknown_value!r}."
                )
        elif self.unknown_value is None:
            raise TypeError(
                "unknown_value should be an integer or np.nan when handle_unknown is "
                "'use_encoded_value', got None."
            )
        elif is_nan_scalar(self.unknown_value) and np.dtype(self.dtype).kind != "f":
            raise ValueError(f"unknown_value=np.nan needs a float dtype, got dtype={self.dtype}.")

    def _nan_index(self, j):
        """Index of the NaN category of feature j, or -1."""
        is_nan = missing_masks(self.categories_[j])[1]
        return int(np.argmax(is_nan)) if is_nan.any() else -1

    def fit(self, X, y=None):
        """Learn the categories (and so the codes) of every column."""
        check_params(self)
        self._check_unknown_value()
        columns = self._columns(X, reset=True)
        self._fit_categories(columns, self.handle_unknown == "error")
        # NaN is not a real category: it keeps its own code, the others count 0..k-1
        cardinalities = [len(c) - (self._nan_index(j) >= 0) for j, c in enumerate(self.categories_)]
        checks = [("encoded_missing_value", self.encoded_missing_value, True)]
        if self.handle_unknown == "use_encoded_value":
            checks.append(("unknown_value", self.unknown_value, False))
        for name, value, only_with_nan in checks:
            if is_nan_scalar(value):
                continue
            for j, k in enumerate(cardinalities):
                if only_with_nan and self._nan_index(j) < 0:
                    continue
                if 0 <= value < k:
                    raise ValueError(
                        f"{name}={value} is already the code of a seen category of column "
                        f"{column_label(self, j)} (codes 0..{k - 1}); pick a negative value "
                        "or np.nan."
                    )
        has_nan = [j for j in range(len(self.categories_)) if self._nan_index(j) >= 0]
        nan_code = is_nan_scalar(self.encoded_missing_value)
        if has_nan and nan_code and np.dtype(self.dtype).kind != "f":
            raise ValueError(
                f"Columns {has_nan} have missing values, which are encoded as NaN; use a "
                "float dtype or set encoded_missing_value to an integer."
            )
        return self

    def transform(self, X):
        """Replace every category by its code."""
        codes, known = self._codes(X, self.handle_unknown == "error")
        out = codes.astype(self.dtype)
        for j in range(out.shape[1]):
            nan_at = self._nan_index(j)
            if nan_at >= 0:
                out[codes[:, j] == nan_at, j] = self.encoded_missing_value
        if self.handle_unknown == "use_encoded_value":
            out[~known] = self.unknown_value
        return out

    def inverse_transform(self, X):
        """Back from codes to categories; the unknown code decodes to None."""
        check_is_fitted(self, "categories_")
        X = check_array(X, ensure_all_finite="allow-nan", copy=True)
        check_n_columns(self, X, len(self.categories_), "one per input feature")
        out = np.empty(X.shape, dtype=self._inverse_dtype())
        unknown = np.zeros(X.shape, dtype=bool)
        for j, cats in enumerate(self.categories_):
            labels = X[:, j]
            nan_at = self._nan_index(j)
            if nan_at >= 0:
                labels[_matches(labels, self.encoded_missing_value)] = nan_at
            if self.handle_unknown == "use_encoded_value":
                unknown[:, j] = _matches(labels, self.unknown_value)
            valid = ~unknown[:, j]
            bad = valid & ~np.isin(labels, np.arange(len(cats)))
            if bad.any():
                raise ValueError(
                    f"Column {j} holds codes {_describe(labels[bad])} that are not codes of "
                    f"its {len(cats)} categories."
                )
            out[valid, j] = cats[labels[valid].astype(np.intp)]
        if self.handle_unknown == "use_encoded_value":
            out = out.astype(object)
            out[unknown] = None
        return out

    def get_feature_names_out(self, input_features=None):
        """Return the input names: one code column per input column."""
        check_is_fitted(self, "categories_")
        return input_feature_names(self, input_features)


def _matches(values: np.ndarray, code) -> np.ndarray:
    """``values == code``, where a NaN code matches NaN values."""
    return np.isnan(values) if is_nan_scalar(code) else values == code
