"""Classification metrics from labels and probabilities.

Every count is one ``np.bincount`` over encoded labels; no loop over rows. Names, arguments,
defaults, warnings and edge cases follow scikit-learn. See notebooks/12_model_evaluation.ipynb.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils.validation import check_consistent_length, column_or_1d

from mlcourse.metrics._base import (
    check_pos_label,
    check_sample_weight,
    check_targets,
    encode,
    weighted_mean,
)

_AVERAGES = (None, "micro", "macro", "weighted", "binary")


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or number, ``normalize=False``) of rows whose label is predicted exactly.

    ``accuracy = sum_i w_i [y_i == yhat_i] / sum_i w_i``.
    """
    _, _, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    correct = (y_true == y_pred).astype(float)
    if normalize:
        return float(weighted_mean(correct, sample_weight))
    if sample_weight is None:
        return float(correct.sum())
    return float(correct @ sample_weight)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Count ``C[i, j]``, the rows of true class ``labels[i]`` predicted as ``labels[j]``.

    Rows are the truth, columns the prediction. One ``bincount`` of ``n_labels * i + j``.

    Parameters
    ----------
    labels : array-like, default=None
        The classes to show, in this order; rows whose truth or prediction is not among them
        are left out. None: every label seen, sorted.
    normalize : {"true", "pred", "all"}, default=None
        Divide by the row sums (recall on the diagonal), the column sums (precision on the
        diagonal) or the total; an empty row or column gives zeros.
    """
    y_type, classes, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize must be one of {{'true', 'pred', 'all', None}}, "
                         f"got {normalize!r}.")
    labels = classes if labels is None else _check_confusion_labels(labels, y_true)
    n = len(labels)
    i, j = encode(y_true, labels), encode(y_pred, labels)
    keep = (i >= 0) & (j >= 0)
    weights = None if sample_weight is None else sample_weight[keep]
    cm = np.bincount(n * i[keep] + j[keep], weights=weights, minlength=n * n).reshape(n, n)
    if sample_weight is None or sample_weight.dtype.kind in "biu":
        cm = cm.astype(np.int64)
    if normalize is not None:
        cm = _normalize_counts(cm, normalize)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
            "have the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning, stacklevel=2,
        )
    return cm


def _check_confusion_labels(labels, y_true):
    labels = np.asarray(labels)
    if labels.size == 0:
        raise ValueError("'labels' should contain at least one label.")
    if not np.isin(y_true, labels).any():
        raise ValueError("At least one label specified must be in y_true")
    return labels


def _normalize_counts(cm, normalize):
    """Divide counts by their row sums, column sums or total; an empty row or column gives 0."""
    axis = {"true": 1, "pred": 0, "all": None}[normalize]
    with np.errstate(all="ignore"):
        return np.nan_to_num(cm / cm.sum(axis=axis, keepdims=axis is not None))


def _zero_division_value(zero_division):
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
        if zero_division == "nan":
            return np.nan
    elif zero_division in (0, 1) or np.isnan(zero_division):
        return float(zero_division)
    raise ValueError(
        f"zero_division must be 'warn', 0.0, 1.0 or np.nan, got {zero_division!r}."
    )


def _divide(numerator, denominator, metric, modifier, average, warn_for, zero_division):
    """Divide ``numerator`` by ``denominator``, with ``zero_division`` where it is 0."""
    zero = denominator == 0
    result = numerator / np.where(zero, 1.0, denominator)
    if not zero.any():
        return result
    result[zero] = _zero_division_value(zero_division)
    if zero_division == "warn" and metric in warn_for:
        where = ("due to no " + modifier + " samples" if average == "micro"
                 else "in labels with no " + modifier + " samples")
        warnings.warn(
            f"{metric.capitalize()} is ill-defined and being set to 0.0 {where}. Use "
            "`zero_division` parameter to control this behavior.",
            UndefinedMetricWarning, stacklevel=4,
        )
    return result


def _nanaverage(values, weights=None):
    """Average ignoring NaN (from ``zero_division=np.nan``); all weights zero: plain mean."""
    keep = ~np.isnan(values)
    if not keep.any():
        return np.nan
    values = values[keep]
    if weights is not None:
        weights = weights[keep]
        if weights.sum() == 0:
            weights = None
    return float(np.average(values, weights=weights))


def _labels_for(y_type, classes, average, labels, pos_label):
    if average not in _AVERAGES:
        raise ValueError(f"average has to be one of {_AVERAGES}, got {average!r}.")
    if average == "binary":
        if y_type != "binary":
            raise ValueError(
                f"Target is {y_type} but average='binary'. Please choose another average "
                "setting, one of [None, 'micro', 'macro', 'weighted']."
            )
        if pos_label not in classes.tolist() and len(classes) >= 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of "
                f"{classes.tolist()}"
            )
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
            "class.", UserWarning, stacklevel=4,
        )
    return classes if labels is None else np.asarray(labels)


def precision_recall_fscore_support(
    y_true, y_pred, *, beta=1.0, labels=None, pos_label=1, average=None,
    warn_for=("precision", "recall", "f-score"), sample_weight=None, zero_division="warn",
):
    """Precision, recall, F-beta and support for each class, or averaged.

    Per class, with ``tp, fp, fn`` counted by ``bincount``:
    ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``,
    ``F_beta = (1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp)``.
    ``average``: ``"binary"`` (the ``pos_label`` class only), ``"micro"`` (pool the counts),
    ``"macro"`` (mean over classes), ``"weighted"`` (mean weighted by support), None (one
    value per class). A 0/0 gives ``zero_division`` ("warn" means 0.0 with a warning).
    """
    _zero_division_value(zero_division)
    if beta < 0:
        raise ValueError(f"beta should be >= 0, got {beta}.")
    y_type, classes, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    labels = _labels_for(y_type, classes, average, labels, pos_label)
    n = len(labels)
    i, j = encode(y_true, labels), encode(y_pred, labels)
    w = np.ones(len(y_true)) if sample_weight is None else sample_weight.astype(float)
    hit = (i == j) & (i >= 0)
    tp_sum = np.bincount(i[hit], weights=w[hit], minlength=n)
    true_sum = np.bincount(i[i >= 0], weights=w[i >= 0], minlength=n)
    pred_sum = np.bincount(j[j >= 0], weights=w[j >= 0], minlength=n)
    if sample_weight is None or sample_weight.dtype.kind in "biu":
        tp_sum, true_sum, pred_sum = (a.astype(np.int64) for a in (tp_sum, true_sum, pred_sum))
    if average == "micro":
        tp_sum, true_sum, pred_sum = (np.array([a.sum()]) for a in (tp_sum, true_sum, pred_sum))
    precision = _divide(tp_sum, pred_sum, "precision", "predicted", average, warn_for,
                        zero_division)
    recall = _divide(tp_sum, true_sum, "recall", "true", average, warn_for, zero_division)
    beta2 = beta**2
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        f_score = _divide((1 + beta2) * tp_sum.astype(float),
                          beta2 * true_sum.astype(float) + pred_sum,
                          "f-score", "true nor predicted", average, warn_for, zero_division)
    if average is None:
        return precision, recall, f_score, true_sum
    weights = true_sum.astype(float) if average == "weighted" else None
    return (_nanaverage(precision, weights), _nanaverage(recall, weights),
            _nanaverage(f_score, weights), None)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """Precision ``tp / (tp + fp)``: of the rows predicted positive, the share that are."""
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division,
    )[0]


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """Recall ``tp / (tp + fn)``: of the positive rows, the share predicted positive."""
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division,
    )[1]


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """F-beta ``(1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp)``: beta > 1 favours recall."""
    return precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division,
    )[2]


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
    """F1, the harmonic mean of precision and recall: ``2 tp / (2 tp + fp + fn)``."""
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight,
                       zero_division=zero_division)


def _check_probabilities(y_proba):
    y_proba = np.asarray(y_proba, dtype=float)
    if y_proba.ndim not in (1, 2):
        raise ValueError(f"y_proba should be 1-D or 2-D, got shape {y_proba.shape}.")
    if not np.all(np.isfinite(y_proba)):
        raise ValueError("y_proba contains NaN or infinity.")
    if y_proba.size and y_proba.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {y_proba.max()}")
    if y_proba.size and y_proba.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {y_proba.min()}")
    return y_proba


def _one_hot_probabilities(y_true, y_proba, labels):
    """Class codes of ``y_true`` and an ``(n, K)`` probability matrix, columns in sorted order."""
    y_true = column_or_1d(y_true, warn=False)
    check_consistent_length(y_true, y_proba)
    classes = _probability_classes(y_true, labels)
    if y_proba.ndim == 1:
        y_proba = y_proba[:, None]
    if y_proba.shape[1] == 1:
        y_proba = np.hstack([1 - y_proba, y_proba])
    if not np.allclose(y_proba.sum(axis=1), 1, rtol=np.sqrt(np.finfo(float).eps), atol=0):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.",
                      UserWarning, stacklevel=3)
    if len(classes) != y_proba.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_prob contain different number of classes: {len(classes)} vs "
                f"{y_proba.shape[1]}. Please provide the true labels explicitly through the "
                f"labels argument. Classes found in y_true: {classes}"
            )
        raise ValueError(f"The number of classes in labels is different from that in y_prob. "
                         f"Classes found in labels: {classes}")
    return np.searchsorted(classes, y_true), y_proba


def _probability_classes(y_true, labels):
    """Return the sorted classes of a probabilistic metric: at least two, covering ``y_true``."""
    classes = np.unique(y_true if labels is None else labels)
    if labels is not None:
        unknown = np.setdiff1d(y_true, classes)
        if unknown.size:
            raise ValueError(f"y_true contains values {set(unknown.tolist())} not belonging "
                             f"to the passed labels {list(labels)}.")
        if not np.array_equal(classes, np.asarray(labels)):
            warnings.warn(
                f"Labels passed were {list(labels)}. But this function assumes labels are "
                f"ordered lexicographically. Pass the ordered labels={classes.tolist()} and "
                "ensure that the columns of y_prob correspond to this ordering.",
                UserWarning, stacklevel=3,
            )
    if len(classes) == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]}). Please provide the list of "
                "all expected class labels explicitly through the labels argument."
            )
        raise ValueError(f"The labels array needs to contain at least two labels, "
                         f"got {classes}.")
    return classes


def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """Cross-entropy ``-mean_i log p_i[y_i]``, probabilities clipped to ``[eps, 1 - eps]``.

    ``y_proba`` is ``(n, K)`` with columns in sorted label order, or ``(n,)`` for the
    probability of the larger label of a binary task. ``normalize=False`` returns the sum.
    """
    y_proba = _check_probabilities(y_proba)
    codes, y_proba = _one_hot_probabilities(y_true, y_proba, labels)
    sample_weight = check_sample_weight(sample_weight, len(codes))
    eps = np.finfo(y_proba.dtype).eps
    p_true = np.clip(y_proba[np.arange(len(codes)), codes], eps, 1 - eps)
    loss = -np.log(p_true)
    if normalize:
        return float(weighted_mean(loss, sample_weight))
    return float(loss.sum() if sample_weight is None else loss @ sample_weight)


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None,
                     scale_by_half="auto"):
    """Mean squared distance between the predicted probabilities and the one-hot truth.

    Binary (``y_proba`` 1-D): ``mean_i (p_i - [y_i == pos_label])^2``. Multiclass
    (``(n, K)``): ``mean_i sum_k (p_ik - [y_i == k])^2``, halved when ``scale_by_half`` is
    True ("auto": halved for two classes, so both forms agree).
    """
    y_proba = _check_probabilities(y_proba)
    if y_proba.ndim == 1 or y_proba.shape[1] == 1:
        y_proba = y_proba.ravel()
        y_true = column_or_1d(y_true, warn=False)
        check_consistent_length(y_true, y_proba)
        if len(np.unique(y_true)) > 2:
            raise ValueError(
                "The type of the target inferred from y_true is multiclass but should be "
                "binary according to the shape of y_prob."
            )
        pos_label = check_pos_label(pos_label, y_true)
        sample_weight = check_sample_weight(sample_weight, len(y_true))
        squared = 2 * ((y_true == pos_label) - y_proba) ** 2  # both columns of the one-hot
        halve = True if scale_by_half == "auto" else scale_by_half
    else:
        codes, y_proba = _one_hot_probabilities(y_true, y_proba, labels)
        sample_weight = check_sample_weight(sample_weight, len(codes))
        one_hot = np.eye(y_proba.shape[1])[codes]
        squared = ((one_hot - y_proba) ** 2).sum(axis=1)
        halve = y_proba.shape[1] < 3 if scale_by_half == "auto" else scale_by_half
    score = weighted_mean(squared, sample_weight)
    return float(score * 0.5 if halve else score)
