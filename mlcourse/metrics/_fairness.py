"""Group fairness metrics: how much a classifier's behaviour differs between groups of people.

Same names, arguments, defaults and edge cases as ``fairlearn.metrics`` (the tests compare them
on random cases), written with one ``np.bincount`` per rate. See
notebooks/20_responsible_ml.ipynb.

- *demographic parity*: every group is selected (predicted positive) at the same rate;
- *equalized odds*: every group has the same true positive rate and the same false positive
  rate, so the errors fall on the groups equally.

A *difference* is ``max - min`` over the groups (``method="between_groups"``) or the largest
``|group - overall|`` (``method="to_overall"``); a *ratio* is ``min / max`` or the smallest of
``group / overall`` written as a number at most 1.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_consistent_length

from mlcourse.metrics._base import check_sample_weight, label_vector

_METHODS = ("between_groups", "to_overall")
_AGGS = ("worst_case", "mean")


def _group_codes(sensitive_features, n_samples):
    """Give each row an integer code for its group, and count the groups.

    A group is a combination of values when there are several sensitive columns.
    """
    values = np.asarray(sensitive_features, dtype=object)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2 or values.shape[0] != n_samples:
        raise ValueError(
            f"sensitive_features should have one row per sample ({n_samples}), got shape "
            f"{np.shape(sensitive_features)}."
        )
    if values.shape[0] == 0:
        raise ValueError("Found empty input arrays: a metric needs at least one row.")
    columns = [np.unique(values[:, j].astype(str), return_inverse=True)[1].ravel()
               for j in range(values.shape[1])]
    _, codes = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
    codes = codes.ravel()
    return codes, int(codes.max()) + 1


def _prepare(y_true, y_pred, sensitive_features, sample_weight):
    check_consistent_length(y_true, y_pred)
    y_true = label_vector(y_true, "y_true")
    y_pred = label_vector(y_pred, "y_pred")
    codes, n_groups = _group_codes(sensitive_features, len(y_pred))
    weight = check_sample_weight(sample_weight, len(y_pred))
    weight = np.ones(len(y_pred)) if weight is None else weight.astype(float)
    return y_true, y_pred, codes, n_groups, weight


def _check_method(method):
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}.")


def _rates(hit, among, codes, n_groups, weight):
    """Compute the weighted rate of ``hit`` among the rows where ``among`` holds.

    Per group and overall: ``sum_i w_i [hit_i and among_i] / sum_i w_i [among_i]``, 0 when a
    group has no such row (fairlearn's rule, inherited from
    ``confusion_matrix(normalize="true")``).
    """
    numerator = np.bincount(codes, weights=weight * (hit & among), minlength=n_groups)
    denominator = np.bincount(codes, weights=weight * among, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_group = np.nan_to_num(numerator / denominator)
        overall = np.nan_to_num(numerator.sum() / denominator.sum())
    return by_group, float(overall)


def _selection_rates(y_pred, codes, n_groups, weight):
    """P(y_pred = 1 | group), weighted; no row is left out."""
    selected = np.bincount(codes, weights=weight * (y_pred == 1), minlength=n_groups)
    total = np.bincount(codes, weights=weight, minlength=n_groups)
    return selected / total, float((weight * (y_pred == 1)).sum() / weight.sum())


def _difference(by_group, overall, method):
    if method == "between_groups":
        return float(by_group.max() - by_group.min())
    return float(np.abs(by_group - overall).max())


def _ratio(by_group, overall, method):
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "between_groups":
            return float(by_group.min() / by_group.max())
        ratios = by_group / overall
        ratios = np.where(ratios > 1, 1 / ratios, ratios)
    return float(np.nanmin(ratios)) if not np.all(np.isnan(ratios)) else float("nan")


def _check_binary(y_true, y_pred):
    """Check fairlearn's rule for true and false positive rates.

    Labels are in {0, 1} or {-1, 1}, and 1 is the positive class.
    """
    seen = set(np.unique(np.concatenate([np.unique(y_true), np.unique(y_pred)])).tolist())
    if not (seen <= {0, 1} or seen <= {-1, 1}):
        raise ValueError(
            "Equalized odds needs binary labels in {0, 1} or {-1, 1} (1 is the positive "
            f"class); got {sorted(seen, key=str)}."
        )


def _odds_rates(y_true, y_pred, codes, n_groups, weight):
    """Compute the true and false positive rates, per group and overall."""
    _check_binary(y_true, y_pred)
    positive, predicted = y_true == 1, y_pred == 1
    return (_rates(predicted, positive, codes, n_groups, weight),
            _rates(predicted, ~positive, codes, n_groups, weight))


def demographic_parity_difference(y_true, y_pred, *, sensitive_features,
                                  method="between_groups", sample_weight=None):
    """Largest gap in selection rate ``P(y_pred = 1 | A = a)`` between groups.

    0 means every group is selected at the same rate. ``y_true`` is not used (demographic
    parity looks at the predictions only); it is there for the common signature.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels (ignored).
    y_pred : array-like of shape (n_samples,)
        Predicted labels; 1 means selected.
    sensitive_features : array-like of shape (n_samples,) or (n_samples, n_features)
        The group of each row; several columns define groups by their combinations.
    method : {"between_groups", "to_overall"}, default="between_groups"
        ``max_a r_a - min_a r_a``, or ``max_a |r_a - r|`` with ``r`` the overall rate.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    float
    """
    _check_method(method)
    _, y_pred, codes, n_groups, weight = _prepare(y_true, y_pred, sensitive_features,
                                                  sample_weight)
    return _difference(*_selection_rates(y_pred, codes, n_groups, weight), method)


def demographic_parity_ratio(y_true, y_pred, *, sensitive_features, method="between_groups",
                             sample_weight=None):
    """Smallest ratio of selection rates: ``min_a r_a / max_a r_a`` (1 means parity).

    With ``method="to_overall"``: the smallest ``r_a / r`` written at most 1 (``r / r_a``
    when ``r_a > r``). NaN when it is 0 / 0 (nobody selected at all). The "four-fifths rule"
    of US employment law flags a ratio below 0.8. Parameters as
    :func:`demographic_parity_difference`.
    """
    _check_method(method)
    _, y_pred, codes, n_groups, weight = _prepare(y_true, y_pred, sensitive_features,
                                                  sample_weight)
    return _ratio(*_selection_rates(y_pred, codes, n_groups, weight), method)


def equalized_odds_difference(y_true, y_pred, *, sensitive_features, method="between_groups",
                              sample_weight=None, agg="worst_case"):
    """Return the larger of the true- and false-positive-rate gaps between groups.

    ``max(diff(TPR_a), diff(FPR_a))`` (``agg="worst_case"``) or their mean (``agg="mean"``),
    with ``diff`` as in :func:`demographic_parity_difference`. Labels are {0, 1} or {-1, 1}
    with 1 the positive class; a group with no positive (negative) row has a TPR (FPR) of 0,
    as in fairlearn.
    """
    _check_method(method)
    if agg not in _AGGS:
        raise ValueError(f"agg must be one of {_AGGS}, got {agg!r}.")
    tpr, fpr = _odds_rates(*_prepare(y_true, y_pred, sensitive_features, sample_weight))
    gaps = [_difference(*tpr, method), _difference(*fpr, method)]
    return max(gaps) if agg == "worst_case" else float(np.nanmean(gaps))


def equalized_odds_ratio(y_true, y_pred, *, sensitive_features, method="between_groups",
                         sample_weight=None, agg="worst_case"):
    """Return the smaller of the true- and false-positive-rate ratios between groups.

    ``min(ratio(TPR_a), ratio(FPR_a))`` (``agg="worst_case"``) or their mean, with ``ratio``
    as in :func:`demographic_parity_ratio` (NaN for 0 / 0).
    """
    _check_method(method)
    if agg not in _AGGS:
        raise ValueError(f"agg must be one of {_AGGS}, got {agg!r}.")
    tpr, fpr = _odds_rates(*_prepare(y_true, y_pred, sensitive_features, sample_weight))
    ratios = [_ratio(*tpr, method), _ratio(*fpr, method)]
    if agg == "mean":
        return float(np.nanmean(ratios)) if not np.all(np.isnan(ratios)) else float("nan")
    return min(ratios)  # Python's min, as fairlearn: a NaN TPR ratio is returned as NaN
