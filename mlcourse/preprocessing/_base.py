"""Small helpers shared by the transformers of :mod:`mlcourse.preprocessing`."""

from __future__ import annotations

import numbers

import numpy as np


def is_nan_scalar(value) -> bool:
    """Tell whether ``value`` is a NaN (``float('nan')``, ``np.nan``, a NumPy float NaN)."""
    return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and (
        value != value  # NaN is the only value not equal to itself
    )


def missing_masks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a column holds ``None`` and where it holds NaN.

    Numeric columns cannot hold ``None``; object columns can hold both, and the
    encoders keep them as two separate categories (``None`` first), as scikit-learn does.
    """
    if x.dtype.kind == "f":
        return np.zeros(x.shape, dtype=bool), np.isnan(x)
    if x.dtype.kind != "O":
        no = np.zeros(x.shape, dtype=bool)
        return no, no.copy()
    is_none = np.equal(x, None).astype(bool)
    # NaN is the only value that is not equal to itself
    is_nan = np.not_equal(x, x).astype(bool)
    return is_none, is_nan


def input_feature_names(estimator, input_features=None) -> np.ndarray:
    """Return the names of the input columns, as ``get_feature_names_out`` needs them.

    The names seen in ``fit`` (a DataFrame's columns) win; without them the names are
    ``x0, x1, ...``. Names passed in must agree with both.
    """
    names_in = getattr(estimator, "feature_names_in_", None)
    n_in = estimator.n_features_in_
    if input_features is None:
        if names_in is not None:
            return np.asarray(names_in, dtype=object)
        return np.asarray([f"x{i}" for i in range(n_in)], dtype=object)
    input_features = np.asarray(input_features, dtype=object)
    if names_in is not None and not np.array_equal(names_in, input_features):
        raise ValueError(
            "input_features is not equal to feature_names_in_: "
            f"got {list(input_features)}, fitted on {list(names_in)}."
        )
    if len(input_features) != n_in:
        raise ValueError(
            f"input_features should have length equal to number of features ({n_in}), "
            f"got {len(input_features)}."
        )
    return input_features


def column_label(estimator, i: int) -> str:
    """How an error message names column ``i``: its DataFrame name if it has one."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None:
        return f"{names[i]!r} (index {i})"
    return f"{i}"


def check_n_columns(estimator, X: np.ndarray, expected: int, what: str) -> None:
    """Raise a clear error when the array given to ``inverse_transform`` has the wrong width."""
    if X.ndim != 2 or X.shape[1] != expected:
        width = X.shape[1] if X.ndim == 2 else "a 1-D array"
        raise ValueError(
            f"{type(estimator).__name__}.inverse_transform expects {expected} columns "
            f"({what}), got {width}."
        )
