"""Regression metrics: mean squared and absolute errors, R².

Same arguments, multi-output handling and edge cases (constant targets) as scikit-learn.
See notebooks/12_model_evaluation.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_consistent_length

from mlcourse.metrics._base import check_sample_weight

_MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")


def _check_reg_targets(y_true, y_pred, sample_weight, multioutput, allowed=_MULTIOUTPUT):
    """Both targets as ``(n, n_outputs)`` float arrays; ``multioutput`` validated."""
    check_consistent_length(y_true, y_pred, sample_weight)
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim > 2:
            raise ValueError(f"{name} should be 1-D or 2-D, got shape {y.shape}.")
        if not np.all(np.isfinite(y)):
            raise ValueError(f"Input {name} contains NaN or infinity.")
    if y_true.shape[0] == 0:
        raise ValueError("Found empty input arrays: a metric needs at least one row.")
    y_true = y_true.reshape(len(y_true), -1)
    y_pred = y_pred.reshape(len(y_pred), -1)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(f"y_true and y_pred have different number of output "
                         f"({y_true.shape[1]}!={y_pred.shape[1]})")
    multioutput = _check_multioutput(multioutput, allowed, y_true.shape[1])
    sample_weight = check_sample_weight(sample_weight, len(y_true))
    return y_true, y_pred, sample_weight, multioutput


def _check_multioutput(multioutput, allowed, n_outputs):
    """One of the ``allowed`` names, None, or one weight per output as a float array."""
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(f"Allowed 'multioutput' string values are {allowed}. You "
                             f"provided multioutput={multioutput!r}")
        return multioutput
    if multioutput is None:
        return None
    multioutput = np.asarray(multioutput, dtype=float)
    if n_outputs == 1:
        raise ValueError("Custom weights are useful only in multi-output cases.")
    if multioutput.shape != (n_outputs,):
        raise ValueError(f"There must be equally many custom weights "
                         f"({multioutput.shape}) as outputs ({n_outputs}).")
    return multioutput


def _combine(errors, multioutput):
    """One value per output -> the array, their mean, or their weighted mean."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        return float(np.average(errors))
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error ``mean_i (y_i - yhat_i)^2`` (per output, then combined)."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _MULTIOUTPUT[:2])
    errors = np.average((y_true - y_pred) ** 2, axis=0, weights=sample_weight)
    return _combine(errors, multioutput)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None,
                            multioutput="uniform_average"):
    """Root mean squared error ``sqrt(mean_i (y_i - yhat_i)^2)``, in the target's units."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _MULTIOUTPUT[:2])
    errors = np.sqrt(np.average((y_true - y_pred) ** 2, axis=0, weights=sample_weight))
    return _combine(errors, multioutput)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error ``mean_i |y_i - yhat_i|``, in the target's units."""
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput, _MULTIOUTPUT[:2])
    errors = np.average(np.abs(y_true - y_pred), axis=0, weights=sample_weight)
    return _combine(errors, multioutput)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite=True):
    """Coefficient of determination ``R^2 = 1 - SS_res / SS_tot``.

    ``SS_res = sum_i (y_i - yhat_i)^2``, ``SS_tot = sum_i (y_i - mean(y))^2``: 0 for always
    predicting the mean, 1 for a perfect fit, negative when worse than the mean. With a
    constant ``y_true`` (``SS_tot = 0``) it is 1.0 for a perfect fit and 0.0 otherwise
    (``force_finite=False``: NaN or ``-inf``). Fewer than two rows: NaN with a warning.
    """
    y_true, y_pred, sample_weight, multioutput = _check_reg_targets(
        y_true, y_pred, sample_weight, multioutput)
    if len(y_true) < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    weight = 1.0 if sample_weight is None else sample_weight[:, None]
    numerator = (weight * (y_true - y_pred) ** 2).sum(axis=0)
    mean = np.average(y_true, axis=0, weights=sample_weight)
    denominator = (weight * (y_true - mean) ** 2).sum(axis=0)
    nonzero_den = denominator != 0
    nonzero_num = numerator != 0
    if force_finite:
        scores = np.ones(y_true.shape[1])
        valid = nonzero_num & nonzero_den
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores
        if multioutput == "uniform_average":
            return float(np.average(scores))
        # variance_weighted
        if not nonzero_den.any():
            if force_finite:
                return 1.0 if not nonzero_num.any() else 0.0
            return float(np.average(scores))
        return float(np.average(scores, weights=denominator))
    return float(np.average(scores, weights=multioutput))
