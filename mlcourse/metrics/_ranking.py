"""Metrics of a score that ranks the rows: ROC and precision-recall curves, their areas.

One sort by decreasing score and one cumulative sum give the confusion counts at every
threshold at once. Same thresholds, ties, warnings and edge cases as scikit-learn.
See notebooks/12_model_evaluation.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_consistent_length, column_or_1d

from mlcourse.metrics._base import (
    check_pos_label,
    check_sample_weight,
    label_type,
    label_vector,
    unique,
)


def _counts_at_thresholds(y_true, y_score, pos_label=None, sample_weight=None):
    """Count false and true positives when predicting positive for ``score >= t``, for every t.

    Returns ``(fps, tps, thresholds)``, thresholds decreasing, one per distinct score (tied
    scores move together: a threshold cannot split them).
    """
    check_consistent_length(y_true, y_score, sample_weight)
    y_true = label_vector(y_true, "y_true")
    y_score = column_or_1d(y_score, warn=False).astype(float)
    y_type = label_type(y_true)
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported: y_true should hold two classes "
                         "(or pass pos_label to score one class against the rest).")
    if not np.all(np.isfinite(y_score)):
        raise ValueError("y_score contains NaN or infinity.")
    pos_label = check_pos_label(pos_label, y_true)
    y_true = (y_true == pos_label).astype(float)
    sample_weight = check_sample_weight(sample_weight, len(y_true))
    if sample_weight is not None:
        keep = sample_weight != 0
        y_true, y_score, sample_weight = y_true[keep], y_score[keep], sample_weight[keep]

    order = np.argsort(-y_score, kind="stable")  # decreasing score
    y_score, y_true = y_score[order], y_true[order]
    weight = 1.0 if sample_weight is None else sample_weight[order]
    # the last row of each run of equal scores
    last = np.r_[np.flatnonzero(np.diff(y_score)), len(y_true) - 1]
    tps = np.cumsum(y_true * weight)[last]
    if sample_weight is None:
        fps = 1 + last - tps
    else:
        fps = np.cumsum((1 - y_true) * weight)[last]
    return fps, tps, y_score[last]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Compute the false and true positive rates at every threshold of ``y_score``.

    ``fpr = fp / negatives``, ``tpr = tp / positives`` for the rule ``score >= threshold``.
    The curve starts at (0, 0) with threshold ``inf``. ``drop_intermediate`` removes points
    that lie on a straight segment between their neighbours (the area does not change).
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        corner = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[corner], tps[corner], thresholds[corner]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    thresholds = np.r_[np.inf, thresholds]
    if fps[-1] <= 0:
        warnings.warn("No negative samples in y_true, false positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=2)
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn("No positive samples in y_true, true positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=2)
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def auc(x, y):
    """Area under a curve through the points ``(x, y)`` by the trapezoidal rule.

    ``x`` must be monotonic (increasing or decreasing).
    """
    x, y = column_or_1d(x, warn=False), column_or_1d(y, warn=False)
    check_consistent_length(x, y)
    if x.shape[0] < 2:
        raise ValueError(f"At least 2 points are needed to compute area under curve, but "
                         f"x.shape = {x.shape[0]}")
    direction = 1
    dx = np.diff(x)
    if np.any(dx < 0):
        if np.all(dx <= 0):
            direction = -1
        else:
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
    return float(direction * np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))  # trapezoids


def _binary_roc_auc(y_true, y_score, sample_weight=None):
    if len(unique(y_true)) != 2:
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in "
                      "that case.", UndefinedMetricWarning, stacklevel=3)
        return np.nan
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    return auc(fpr, tpr)


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None,
                  multi_class="raise", labels=None):
    """Area under the ROC curve: the chance that a random positive outscores a random negative.

    Binary: ``y_score`` is the score of the larger label. Multiclass: ``y_score`` is
    ``(n, K)`` probabilities and ``multi_class="ovr"`` averages each class against the rest
    (``average`` "macro", "weighted" by prevalence, "micro" or None). ``max_fpr`` is not
    supported (partial AUC). A single class in ``y_true`` gives NaN with a warning.
    """
    if max_fpr is not None and max_fpr != 1:
        raise NotImplementedError("max_fpr (partial AUC) is not implemented here; use "
                                  "sklearn.metrics.roc_auc_score.")
    y_true = label_vector(y_true, "y_true")
    y_score = np.asarray(y_score, dtype=float)
    y_type = label_type(y_true)
    if y_type == "multiclass" or (y_score.ndim == 2 and y_score.shape[1] > 2):
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        if multi_class != "ovr":
            raise NotImplementedError("Only multi_class='ovr' is implemented here.")
        return _ovr_score(_binary_roc_auc, y_true, y_score, average, sample_weight, labels,
                          check_sum=True)
    if y_type != "binary":
        raise ValueError(f"{y_type} format is not supported: y_true should hold class labels.")
    if y_score.ndim == 2:
        if y_score.shape[1] != 1:
            raise ValueError(
                "For a binary task pass the score of the positive class, y_score[:, 1], "
                f"not an array of shape {y_score.shape}."
            )
        y_score = y_score.ravel()
    classes = unique(y_true)
    return _binary_roc_auc((y_true == classes[-1]).astype(int), y_score, sample_weight)


def _ovr_score(binary_metric, y_true, y_score, average, sample_weight, labels,
               check_sum=False):
    """Score each class against the rest with a binary ranking metric, then average."""
    y_true = column_or_1d(y_true, warn=False)
    if y_score.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={y_score.shape}`."
        )
    if check_sum and not np.allclose(1, y_score.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, i.e. "
                         "they should sum up to 1.0 over classes")
    if average not in ("micro", "macro", "weighted", None):
        raise ValueError(f"average must be one of ('micro', 'macro', 'weighted', None) for "
                         f"multiclass problems, got {average!r}.")
    classes = np.unique(y_true) if labels is None else np.asarray(labels)
    if len(classes) != y_score.shape[1]:
        raise ValueError("Number of classes in y_true not equal to the number of columns in "
                         "'y_score'")
    if labels is not None and np.setdiff1d(y_true, classes).size:
        raise ValueError("'y_true' contains labels not in parameter 'labels'")
    Y = (y_true[:, None] == classes[None, :]).astype(int)
    if average == "micro":
        weight = None if sample_weight is None else np.repeat(sample_weight, len(classes))
        return binary_metric(Y.ravel(), y_score.ravel(), weight)
    scores = np.array([binary_metric(Y[:, k], y_score[:, k], sample_weight)
                       for k in range(len(classes))])  # a loop over classes, not rows
    if average is None:
        return scores
    weights = None
    if average == "weighted":
        weights = Y.sum(axis=0) if sample_weight is None else sample_weight @ Y
        if np.isclose(weights.sum(), 0):
            return 0
    return float(np.average(scores, weights=weights))


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None,
                           drop_intermediate=False):
    """Precision and recall at every threshold, recall decreasing.

    ``precision[i]`` and ``recall[i]`` belong to ``score >= thresholds[i]``; a last point
    (precision 1, recall 0) with no threshold closes the curve.
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all "
                      "thresholds.", UserWarning, stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def _binary_average_precision(y_true, y_score, sample_weight=None, pos_label=1):
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1,
                            sample_weight=None):
    """Average precision: ``AP = sum_n (R_n - R_{n-1}) P_n``, the PR curve as a step function.

    Binary, or multiclass with ``(n, K)`` scores averaged over one-vs-rest classes.
    """
    y_true = label_vector(y_true, "y_true")
    y_score = np.asarray(y_score, dtype=float)
    y_type = label_type(y_true)
    present = np.unique(y_true)
    if y_type == "binary":
        if len(present) == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one "
                             f"of {present.tolist()}")
        return _binary_average_precision(y_true, y_score.ravel(), sample_weight, pos_label)
    if y_type == "multiclass":
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. Do not "
                             "set pos_label or set pos_label to 1.")
        return _ovr_score(_binary_average_precision, y_true, y_score, average, sample_weight,
                          None)
    raise ValueError(f"{y_type} format is not supported: y_true should hold class labels.")
