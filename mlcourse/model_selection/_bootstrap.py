"""Percentile bootstrap confidence intervals for any metric, single or paired.

Resample the test rows with replacement, recompute the metric on each resample, and read the
interval off the quantiles of those values. See notebooks/12_model_evaluation.ipynb.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length


class BootstrapInterval(NamedTuple):
    """A score on the full data, its percentile interval, and the resampled scores."""

    estimate: float
    low: float
    high: float
    confidence: float
    distribution: np.ndarray


def _rows(a, index):
    """Rows of an array, DataFrame or Series by position."""
    if hasattr(a, "iloc"):
        return a.iloc[index]
    return a[index]


def _as_indexable(a):
    return a if hasattr(a, "iloc") else np.asarray(a)


def _check(n_resamples, confidence):
    if not (isinstance(n_resamples, (int, np.integer)) and n_resamples >= 1):
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}.")


def _percentile_interval(statistic, arrays, n_resamples, confidence, random_state):
    """Shared loop: ``statistic(*rows)`` on the full data and on each resample."""
    _check(n_resamples, confidence)
    check_consistent_length(*arrays)
    arrays = [_as_indexable(a) for a in arrays]
    n = len(arrays[0])
    if n == 0:
        raise ValueError("Cannot bootstrap empty data: the arrays have 0 rows.")
    rng = check_random_state(random_state)
    estimate = float(statistic(*arrays))
    distribution = np.empty(n_resamples)
    with warnings.catch_warnings():
        # a resample can lack a class (ROC AUC is then undefined): counted below, not repeated
        warnings.simplefilter("ignore")
        for b in range(n_resamples):  # the metric is arbitrary Python: one call per resample
            index = rng.randint(0, n, size=n)
            distribution[b] = statistic(*(_rows(a, index) for a in arrays))
    finite = np.isfinite(distribution)
    if not finite.any():
        raise ValueError("Every resample gave an undefined score (NaN or infinite): no "
                         "interval. Is the metric defined on this data?")
    if not finite.all():
        warnings.warn(
            f"{np.sum(~finite)} of {n_resamples} resamples gave an undefined score (NaN or "
            "infinite, e.g. a resample with one class only); the interval uses the others.",
            RuntimeWarning, stacklevel=3,
        )
    alpha = 1 - confidence
    low, high = np.quantile(distribution[finite], [alpha / 2, 1 - alpha / 2])
    return BootstrapInterval(estimate, float(low), float(high), confidence, distribution)


def bootstrap_interval(metric, y_true, y_pred, *, n_resamples=1000, confidence=0.95,
                       random_state=None):
    """Percentile bootstrap confidence interval of ``metric(y_true, y_pred)``.

    Draws ``n_resamples`` sets of ``n`` row positions with replacement, scores each, and
    returns the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of those
    scores. The interval describes how much the score would move on another test set of the
    same size from the same population; it says nothing about a different population.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred) -> float``, e.g. ``accuracy_score`` or ``roc_auc_score``.
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, k)
        Rows are resampled together (``y_pred`` may be labels, scores or probabilities).
    n_resamples : int, default=1000
    confidence : float, default=0.95
    random_state : int, RandomState or None
        Seed of the resampling (an int makes the interval reproducible).

    Returns
    -------
    BootstrapInterval
        ``(estimate, low, high, confidence, distribution)``: the score on all the rows, the
        interval, and the ``n_resamples`` resampled scores. Resamples whose score is undefined
        (NaN) are left out with a warning.
    """
    return _percentile_interval(metric, [y_true, y_pred], n_resamples, confidence,
                                random_state)


def paired_bootstrap_interval(metric, y_true, y_pred_a, y_pred_b, *, n_resamples=1000,
                              confidence=0.95, random_state=None):
    """Percentile bootstrap interval of ``metric(y, a) - metric(y, b)`` on the same rows.

    Both models are scored on the *same* resampled rows each time, so the rows that are easy
    or hard for both cancel out: the interval of the difference is much narrower than the two
    separate intervals suggest. An interval that excludes 0 means model a and model b differ
    on data like this test set (at this confidence).

    Returns
    -------
    BootstrapInterval
        Of the difference ``score_a - score_b``.
    """

    def difference(y, a, b):
        return metric(y, a) - metric(y, b)

    return _percentile_interval(difference, [y_true, y_pred_a, y_pred_b], n_resamples,
                                confidence, random_state)
