"""Ensembles written from scratch in NumPy.

Voting, bagging, random forests, AdaBoost, gradient boosting (with CART trees and with
histograms) and stacking.

Forests and boosting reuse the vectorised trees of :mod:`mlcourse.tree`.
See notebooks/15_ensembles.ipynb.
"""

from mlcourse.ensemble._forest import (
    BaggingClassifier,
    BaggingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from mlcourse.ensemble._gb import GradientBoostingClassifier, GradientBoostingRegressor
from mlcourse.ensemble._hist import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from mlcourse.ensemble._stacking import StackingClassifier, StackingRegressor
from mlcourse.ensemble._voting import VotingClassifier, VotingRegressor
from mlcourse.ensemble._weight_boosting import AdaBoostClassifier

__all__ = [
    "AdaBoostClassifier",
    "BaggingClassifier",
    "BaggingRegressor",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "HistGradientBoostingClassifier",
    "HistGradientBoostingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "StackingClassifier",
    "StackingRegressor",
    "VotingClassifier",
    "VotingRegressor",
]
