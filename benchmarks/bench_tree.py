"""Decision trees: mlcourse.tree against sklearn.tree, fit + predict on realistic data."""

from __future__ import annotations

from functools import cache

from harness import Case
from sklearn import tree as sk_tree
from sklearn.datasets import load_digits, make_classification
from sklearn.model_selection import train_test_split

from mlcourse.datasets import load_california_housing
from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]


@cache
def classification_data():
    X, y = make_classification(n_samples=25_000, n_features=20, n_informative=10,
                               n_redundant=4, flip_y=0.05, random_state=0)
    return train_test_split(X, y, test_size=5_000, random_state=0)


@cache
def digits_data():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0)


@cache
def housing_data():
    df = load_california_housing()
    X = df[HOUSING_FEATURES].to_numpy(float)
    y = df["median_house_value"].to_numpy() / 1e5
    return train_test_split(X, y, test_size=4_000, random_state=0)


def accuracy(model, X, y):
    return model.score(X, y)


def r2(model, X, y):
    return model.score(X, y)


CASES = [
    Case(
        name="DecisionTreeClassifier (gini, full depth)",
        ours=lambda: DecisionTreeClassifier(),
        theirs=lambda: sk_tree.DecisionTreeClassifier(random_state=0),
        data=classification_data,
        score=accuracy,
        target=10,
    ),
    Case(
        name="DecisionTreeClassifier (entropy, depth 8)",
        ours=lambda: DecisionTreeClassifier(criterion="entropy", max_depth=8),
        theirs=lambda: sk_tree.DecisionTreeClassifier(criterion="entropy", max_depth=8,
                                                      random_state=0),
        data=classification_data,
        score=accuracy,
        target=10,
    ),
    Case(
        name="DecisionTreeClassifier (max_features=sqrt)",
        ours=lambda: DecisionTreeClassifier(max_features="sqrt", random_state=0),
        theirs=lambda: sk_tree.DecisionTreeClassifier(max_features="sqrt", random_state=0),
        data=classification_data,
        score=accuracy,
        target=10,
    ),
    Case(
        name="DecisionTreeClassifier (digits, 10 classes)",
        ours=lambda: DecisionTreeClassifier(),
        theirs=lambda: sk_tree.DecisionTreeClassifier(random_state=0),
        data=digits_data,
        score=accuracy,
        target=10,
        repeats=5,
    ),
    Case(
        name="DecisionTreeRegressor (full depth)",
        ours=lambda: DecisionTreeRegressor(),
        theirs=lambda: sk_tree.DecisionTreeRegressor(random_state=0),
        data=housing_data,
        score=r2,
        target=10,
    ),
    Case(
        name="DecisionTreeRegressor (depth 8)",
        ours=lambda: DecisionTreeRegressor(max_depth=8),
        theirs=lambda: sk_tree.DecisionTreeRegressor(max_depth=8, random_state=0),
        data=housing_data,
        score=r2,
        target=10,
    ),
]
