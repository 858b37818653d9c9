"""Model selection written from scratch (notebooks 04 and 13 explain splitting and tuning)."""

from mlcourse.model_selection._halving import HalvingGridSearchCV
from mlcourse.model_selection._search import (
    GridSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
)
from mlcourse.model_selection._split import (
    GroupKFold,
    KFold,
    StratifiedKFold,
    TimeSeriesSplit,
    check_cv,
    train_test_split,
)
from mlcourse.model_selection._validation import cross_val_score, cross_validate, learning_curve

__all__ = [
    "GridSearchCV",
    "GroupKFold",
    "HalvingGridSearchCV",
    "KFold",
    "ParameterGrid",
    "ParameterSampler",
    "RandomizedSearchCV",
    "StratifiedKFold",
    "TimeSeriesSplit",
    "check_cv",
    "cross_val_score",
    "cross_validate",
    "learning_curve",
    "train_test_split",
]
