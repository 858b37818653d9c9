"""k-nearest neighbours: ours against scikit-learn's brute-force search, same data, same k.

Besides the wall-clock rows, ``report()`` gives the CPU seconds of each case with one thread
for both libraries (BLAS, OpenMP and our block threads). On a machine loaded by other work the
wall clock mostly measures who got the cores, and scikit-learn's OpenMP threads stall there;
CPU seconds with one thread each compare the work done.
"""

import time

import numpy as np
from harness import Case
from sklearn import neighbors as sk_neighbors
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import mlcourse.neighbors._base as knn_base
from mlcourse.datasets import load_california_housing
from mlcourse.neighbors import KNeighborsClassifier, KNeighborsRegressor

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]


def classification():
    X, y = make_classification(
        n_samples=12_000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    return train_test_split(X, y, train_size=10_000, test_size=2_000, random_state=0)


def standardised_30():
    """30 standardised features: the typical shape of tabular data after preprocessing."""
    X, y = make_classification(
        n_samples=12_000, n_features=30, n_informative=15, n_classes=2, random_state=1
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=10_000, test_size=2_000, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def housing():
    df = load_california_housing()
    X = df[HOUSING_FEATURES].to_numpy()
    y = df["median_house_value"].to_numpy() / 1e5
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=15_000, test_size=3_000, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def accuracy(model, X_test, y_test):
    return model.score(X_test, y_test)


def r2(model, X_test, y_test):
    return model.score(X_test, y_test)


def brute(cls, **params):
    """scikit-learn with the same brute-force search we use (its default picks a tree)."""
    return lambda: cls(algorithm="brute", **params)


CASES = [
    Case(
        name="KNeighborsClassifier (k=5)",
        ours=lambda: KNeighborsClassifier(n_neighbors=5),
        theirs=brute(sk_neighbors.KNeighborsClassifier, n_neighbors=5),
        data=classification,
        score=accuracy,
        target=3,
    ),
    Case(
        name="KNeighborsClassifier (k=15, distance)",
        ours=lambda: KNeighborsClassifier(n_neighbors=15, weights="distance"),
        theirs=brute(sk_neighbors.KNeighborsClassifier, n_neighbors=15, weights="distance"),
        data=classification,
        score=accuracy,
        target=3,
    ),
    Case(
        name="KNeighborsClassifier 30 standardised (k=5)",
        ours=lambda: KNeighborsClassifier(n_neighbors=5),
        theirs=brute(sk_neighbors.KNeighborsClassifier, n_neighbors=5),
        data=standardised_30,
        score=accuracy,
        target=3,
    ),
    Case(
        name="KNeighborsRegressor housing (k=10)",
        ours=lambda: KNeighborsRegressor(n_neighbors=10),
        theirs=brute(sk_neighbors.KNeighborsRegressor, n_neighbors=10),
        data=housing,
        score=r2,
        target=3,
    ),
]


def _cpu_seconds(factory, X_train, X_test, y_train, repeats=5):
    """Least CPU time (all threads of the process) of fit + predict, after a warm-up."""
    best = np.inf
    for _ in range(repeats + 1):
        start = time.process_time()
        factory().fit(X_train, y_train).predict(X_test)
        best = min(best, time.process_time() - start)
    return best


def report() -> str:
    """CPU seconds of fit + predict with one thread each, and their ratio."""
    title = "kNN, CPU seconds, one thread each"
    lines = [f"{title:<44}  {'ours':>7}  {'sklearn':>7}  {'ratio':>6}", "-" * 70]
    workers = knn_base._WORKERS
    knn_base._WORKERS = 1
    try:
        with threadpool_limits(1):
            for case in CASES:
                X_train, X_test, y_train, _ = case.data()
                ours = _cpu_seconds(case.ours, X_train, X_test, y_train)
                theirs = _cpu_seconds(case.theirs, X_train, X_test, y_train)
                lines.append(
                    f"{case.name:<44}  {ours:>7.3f}  {theirs:>7.3f}  {ours / theirs:>6.2f}"
                )
    finally:
        knn_base._WORKERS = workers
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
