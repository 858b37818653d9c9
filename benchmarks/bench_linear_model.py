"""mlcourse.linear_model against scikit-learn: linear and logistic regression.

Same data, same settings: closed-form least squares on a 20k x 20 regression problem,
and L2 logistic regression (L-BFGS, C=1, tol=1e-4, max_iter=100) on standardised
binary and 5-class problems.
"""

from __future__ import annotations

from functools import cache

from harness import Case
from sklearn import linear_model as sk
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from mlcourse import linear_model as ours


@cache
def regression_data():
    X, y = make_regression(
        n_samples=25_000, n_features=20, n_informative=15, noise=10.0, random_state=0
    )
    return train_test_split(X, y, test_size=5_000, random_state=0)


def _classification(n_classes):
    X, y = make_classification(
        n_samples=25_000,
        n_features=20,
        n_informative=10,
        n_redundant=4,
        n_classes=n_classes,
        n_clusters_per_class=2,
        class_sep=0.8,
        random_state=0,
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=5_000, random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@cache
def scaled_regression_data():
    X_train, X_test, y_train, y_test = regression_data()
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@cache
def binary_data():
    return _classification(2)


@cache
def multiclass_data():
    return _classification(5)


def r2(model, X, y):
    return model.score(X, y)


def accuracy(model, X, y):
    return model.score(X, y)


CASES = [
    Case(
        name="LinearRegression (lstsq)",
        ours=lambda: ours.LinearRegression(solver="lstsq"),
        theirs=lambda: sk.LinearRegression(),
        data=regression_data,
        score=r2,
        target=3,
        repeats=5,
    ),
    Case(
        name="LinearRegression (normal equations)",
        ours=lambda: ours.LinearRegression(solver="normal"),
        theirs=lambda: sk.LinearRegression(),
        data=regression_data,
        score=r2,
        target=3,
        repeats=5,
    ),
    Case(
        name="LogisticRegression (binary, C=1)",
        ours=lambda: ours.LogisticRegression(C=1.0),
        theirs=lambda: sk.LogisticRegression(C=1.0),
        data=binary_data,
        score=accuracy,
        target=3,
    ),
    Case(
        name="LogisticRegression (5 classes, C=1)",
        ours=lambda: ours.LogisticRegression(C=1.0),
        theirs=lambda: sk.LogisticRegression(C=1.0),
        data=multiclass_data,
        score=accuracy,
        target=3,
    ),
    Case(
        name="SGDRegressor (one row per update)",
        ours=lambda: ours.SGDRegressor(max_iter=20, tol=None, random_state=0),
        theirs=lambda: sk.SGDRegressor(max_iter=20, tol=None, random_state=0),
        data=scaled_regression_data,
        score=r2,
        target=3,
        note=(
            "true SGD updates the weights after every row, a sequential loop that NumPy cannot "
            "vectorise; scikit-learn runs it in compiled code. Use batch_size > 1 "
            "(LinearRegression(solver='gd')) for vectorised mini-batches."
        ),
    ),
]
