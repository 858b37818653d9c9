"""Tests of mlcourse.ensemble: scikit-learn's checks, agreement with its ensembles, the maths."""

import numpy as np
import pytest
from sklearn import ensemble as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.datasets import load_california_housing
from mlcourse.ensemble import (
    AdaBoostClassifier,
    BaggingClassifier,
    BaggingRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from mlcourse.ensemble._hist import best_split, bin_features, find_bin_thresholds, histograms
from mlcourse.linear_model import LinearRegression, LogisticRegression
from mlcourse.naive_bayes import GaussianNB
from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]

# --- 1. scikit-learn's estimator checks --------------------------------------------------------

WEIGHT_EQUIVALENCE = {
    "check_sample_weight_equivalence_on_dense_data": (
        "a bootstrap draw (or subsample) picks rows by index: a row of weight 2 is one row "
        "to draw, its two copies are two, so the members see different samples"
    ),
}

GB_WEIGHTS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "min_samples_split and min_samples_leaf count rows, not weight, and equal-gain "
        "splits on the residuals may be resolved differently (scikit-learn marks its own "
        "GradientBoosting the same way)"
    ),
}

ESTIMATORS = [
    RandomForestClassifier(n_estimators=5, random_state=0),
    RandomForestRegressor(n_estimators=5, random_state=0),
    BaggingClassifier(n_estimators=5, random_state=0),
    BaggingRegressor(n_estimators=5, max_features=0.5, random_state=0),
    GradientBoostingClassifier(n_estimators=10, random_state=0),
    GradientBoostingRegressor(n_estimators=10, random_state=0),
    HistGradientBoostingClassifier(max_iter=10),
    HistGradientBoostingRegressor(max_iter=10),
    AdaBoostClassifier(n_estimators=10, random_state=0),
    VotingClassifier([("tree", DecisionTreeClassifier(max_depth=3)),
                      ("nb", GaussianNB())], voting="soft"),
    VotingClassifier([("tree", DecisionTreeClassifier(max_depth=3)), ("nb", GaussianNB()),
                      ("stump", DecisionTreeClassifier(max_depth=1))]),
    VotingRegressor([("deep", DecisionTreeRegressor(max_depth=5)),
                     ("tree", DecisionTreeRegressor(max_depth=3))]),
    StackingClassifier([("tree", DecisionTreeClassifier(max_depth=3)),
                        ("nb", GaussianNB())], cv=3),
    StackingRegressor([("deep", DecisionTreeRegressor(max_depth=5)),
                       ("tree", DecisionTreeRegressor(max_depth=3))], cv=3),
]


def _expected_failures(est):
    name = type(est).__name__
    if name.startswith(("RandomForest", "Bagging")):
        return WEIGHT_EQUIVALENCE
    if name.startswith("GradientBoosting"):
        return GB_WEIGHTS
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
