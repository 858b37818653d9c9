"""KMeans: ours against scikit-learn's, same data, same seeds, same number of runs."""

from harness import Case
from sklearn import cluster as sk_cluster
from sklearn.datasets import load_digits, make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import train_test_split

from mlcourse.cluster import KMeans


def blobs():
    X, y = make_blobs(n_samples=25_000, n_features=10, centers=8, cluster_std=2.0, random_state=0)
    return train_test_split(X, y, test_size=5_000, random_state=0)


def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0)


def agreement_with_truth(model, X_test, y_test):
    """Adjusted Rand index between the predicted clusters and the true groups."""
    return adjusted_rand_score(y_test, model.predict(X_test))


CASES = [
    Case(
        name="KMeans (k=8, k-means++, n_init=10)",
        ours=lambda: KMeans(n_clusters=8, n_init=10, random_state=0),
        theirs=lambda: sk_cluster.KMeans(n_clusters=8, n_init=10, random_state=0),
        data=blobs,
        score=agreement_with_truth,
        target=3,
    ),
    Case(
        name="KMeans digits (k=10, random init, n_init=10)",
        ours=lambda: KMeans(n_clusters=10, init="random", n_init=10, random_state=0),
        theirs=lambda: sk_cluster.KMeans(n_clusters=10, init="random", n_init=10, random_state=0),
        data=digits,
        score=agreement_with_truth,
        target=3,
    ),
]
