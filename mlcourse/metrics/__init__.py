"""Metrics written from scratch.

Notebook 12 explains them; notebook 20 the group fairness metrics.

Same names, arguments and defaults as ``sklearn.metrics``, so one import line swaps them.
"""

from mlcourse.metrics._classification import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    fbeta_score,
    log_loss,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from mlcourse.metrics._fairness import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
)
from mlcourse.metrics._ranking import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from mlcourse.metrics._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from mlcourse.metrics.pairwise import pairwise_distances_chunked, squared_euclidean_distances

__all__ = [
    "accuracy_score",
    "auc",
    "average_precision_score",
    "brier_score_loss",
    "confusion_matrix",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "mean_absolute_error",
    "mean_squared_error",
    "pairwise_distances_chunked",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "squared_euclidean_distances",
]
