"""PCA: ours against scikit-learn's, same data, same number of components."""

from harness import Case
from sklearn import decomposition as sk_decomposition
from sklearn.datasets import load_digits, make_classification
from sklearn.model_selection import train_test_split

from mlcourse.decomposition import PCA


def tall():
    X, y = make_classification(n_samples=25_000, n_features=50, n_informative=20, random_state=0)
    return train_test_split(X, y, test_size=5_000, random_state=0)


def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0)


def variance_kept(model, X_test, y_test):
    """Share of the test set's variance the projection keeps, 1 - ||X - X_hat||^2 / ||X_c||^2."""
    X_hat = model.inverse_transform(model.transform(X_test))
    return 1.0 - ((X_test - X_hat) ** 2).sum() / ((X_test - X_test.mean(axis=0)) ** 2).sum()


CASES = [
    Case(
        name="PCA (10 components)",
        ours=lambda: PCA(n_components=10),
        theirs=lambda: sk_decomposition.PCA(n_components=10),
        data=tall,
        score=variance_kept,
        target=3,
        repeats=5,
    ),
    Case(
        name="PCA digits (95 % of the variance, full SVD)",
        ours=lambda: PCA(n_components=0.95, svd_solver="full"),
        theirs=lambda: sk_decomposition.PCA(n_components=0.95, svd_solver="full"),
        data=digits,
        score=variance_kept,
        target=3,
        repeats=10,  # a few milliseconds each: more runs to see past the noise
    ),
]
