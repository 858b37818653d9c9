"""Input checks shared by the metrics: one home for each rule.

See notebooks/12_model_evaluation.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_consistent_length


def check_sample_weight(sample_weight, n_samples: int):
    """``None`` or a 1-D array of ``n_samples`` finite, non-negative weights."""
    if sample_weight is None:
        return None
    sample_weight = np.asarray(sample_weight)
    if sample_weight.ndim != 1 or sample_weight.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight should be a 1-D array of {n_samples} weights (one per row), "
            f"got shape {sample_weight.shape}."
        )
    if sample_weight.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight should be numeric, got dtype {sample_weight.dtype}.")
    if not np.all(np.isfinite(sample_weight)):
        raise ValueError("sample_weight contains NaN or infinity.")
    if np.any(sample_weight < 0):
        raise ValueError("sample_weight cannot contain negative weights.")
    return sample_weight


def label_vector(y, name):
    """``y`` as a 1-D array of class labels, or a clear error."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"{name} should be a 1-D array of class labels, got shape {y.shape} (multilabel "
            "and multi-output targets are not supported here)."
        )
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(f"Input {name} contains NaN or infinity.")
        if np.any(y != np.round(y)):
            raise ValueError(
                f"Classification metrics can't handle continuous {name}: it holds class "
                "labels, one per row (scores or probabilities? threshold them first, or use a "
                "ranking metric such as roc_auc_score)."
            )
    elif y.dtype.kind == "O":
        kinds = {isinstance(v, str) for v in y.tolist()}
        if len(kinds) > 1:
            raise ValueError(f"Mix of label input types (string and number) in {name}.")
    elif y.dtype.kind not in "biuUS":
        raise ValueError(f"{name} has unsupported dtype {y.dtype} for class labels.")
    return y


def check_targets(y_true, y_pred, sample_weight=None):
    """Check two label vectors of one classification task.

    Returns ``(y_type, classes, y_true, y_pred, sample_weight)``: ``y_type`` is ``"binary"``
    (at most two labels in all) or ``"multiclass"``, ``classes`` the sorted labels seen in
    either vector.
    """
    check_consistent_length(y_true, y_pred, sample_weight)
    y_true = label_vector(y_true, "y_true")
    y_pred = label_vector(y_pred, "y_pred")
    if y_true.shape[0] == 0:
        raise ValueError("Found empty input arrays: a metric needs at least one row.")
    textual = [y.dtype.kind in "USO" and (y.dtype.kind != "O" or isinstance(y[0], str))
               for y in (y_true, y_pred)]
    if textual[0] != textual[1]:
        raise ValueError("Mix of label input types (string and number): y_true and y_pred "
                         "must both hold strings or both numbers.")
    classes = unique(np.concatenate([unique(y_true), unique(y_pred)]))
    y_type = "binary" if len(classes) <= 2 else "multiclass"
    return y_type, classes, y_true, y_pred, check_sample_weight(sample_weight, len(y_true))


def unique(y):
    """Sorted distinct values of ``y``; a bincount (linear time) for small integer labels."""
    y = np.asarray(y)
    if y.dtype.kind in "biu" and y.size:
        low, high = int(y.min()), int(y.max())
        if high - low <= 2 * y.size + 1024:
            present = np.flatnonzero(np.bincount((y - low).astype(np.intp)))
            return (present + low).astype(y.dtype)
    return np.unique(y)


def label_type(y):
    """``"binary"`` (at most two labels) or ``"multiclass"`` for a label vector."""
    return "binary" if len(unique(y)) <= 2 else "multiclass"


def encode(y, labels):
    """Position of each value of ``y`` in ``labels`` (any order), -1 where it is absent."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.searchsorted(sorted_labels, y)
    pos_clipped = np.minimum(pos, len(labels) - 1)
    found = (pos < len(labels)) & (sorted_labels[pos_clipped] == y)
    return np.where(found, order[pos_clipped], -1)


def check_pos_label(pos_label, y_true):
    """Return the positive class of a binary ``y_true`` (scikit-learn's rule when it is None).

    None means 1 when the labels are {0, 1}, {-1, 1} or one of them alone; otherwise the
    caller must say which class is positive.
    """
    if pos_label is not None:
        return pos_label
    classes = unique(y_true)
    numeric = classes.dtype.kind in "biuf"
    if (not numeric or len(classes) > 2
            or not any(np.array_equal(classes, ok)
                       for ok in ([0, 1], [-1, 1], [0], [-1], [1]))):
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either make "
            "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1


def weighted_mean(values, weights=None, axis=None):
    """``np.average`` that accepts ``weights=None``."""
    return np.average(values, axis=axis, weights=weights)
