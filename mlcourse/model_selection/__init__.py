"""Model selection written from scratch.

Notebooks 04, 12 and 13 explain splitting, intervals and tuning.
"""

from mlcourse.model_selection._bootstrap import bootstrap_interval, paired_bootstrap_interval
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
    "bootstrap_interval",
    "check_cv",
    "cross_val_score",
    "cross_validate",
    "learning_curve",
    "paired_bootstrap_interval",
    "train_test_split",
]
