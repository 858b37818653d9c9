"""k-nearest neighbours: ours against scikit-learn's brute-force search, same data, same k."""

from harness import Case
from sklearn import neighbors as sk_neighbors
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

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
        name="KNeighborsRegressor housing (k=10)",
        ours=lambda: KNeighborsRegressor(n_neighbors=10),
        theirs=brute(sk_neighbors.KNeighborsRegressor, n_neighbors=10),
        data=housing,
        score=r2,
        target=3,
    ),
]
