"""The checkers of notebook 11 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
from checker_helpers import fails, passes
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples, silhouette_score
from sklearn.preprocessing import MinMaxScaler, StandardScaler

# --- 11.1 update the centroids ---------------------------------------------------------------


def update_one_hot(X, labels, k):
    H = (labels[None, :] == np.arange(k)[:, None]).astype(float)
    return (H @ X) / H.sum(axis=1)[:, None]


def update_bincount(X, labels, k):
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=column, minlength=k) for column in X.T], axis=1)
    return sums / counts[:, None]


def test_11_1_right_answers_pass():
    passes("11.1", update_one_hot)
    passes("11.1", update_bincount)


def test_11_1_wrong_answers_fail():
    def sums_not_means(X, labels, k):
        H = (labels[None, :] == np.arange(k)[:, None]).astype(float)
        return H @ X

    def transposed_one_hot(X, labels, k):
        return update_one_hot(X, labels, k).T

    fails("11.1", sums_not_means, "Hint")
    fails("11.1", transposed_one_hot, "shape")


# --- 11.2 debug a k-means that never moves -------------------------------------------------------


def assign(X, centroids):
    return ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)


def update(X, labels, k):
    return np.stack([X[labels == j].mean(axis=0) for j in range(k)])


def kmeans_fixed(X, centroids, max_iter=100):
    labels = np.full(len(X), -1)
    for _ in range(max_iter):
        new_labels = assign(X, centroids)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        centroids = update(X, labels, len(centroids))
    return centroids, labels


def kmeans_until_centroids_stop(X, centroids, max_iter=100):
    centroids = centroids.copy()
    for _ in range(max_iter):
        labels = cdist(X, centroids, "sqeuclidean").argmin(axis=1)
        moved = update(X, labels, len(centroids))
        if np.array_equal(moved, centroids):
            break
        centroids = moved
    return centroids, labels


def test_11_2_right_answers_pass():
    passes("11.2", kmeans_fixed)
    passes("11.2", kmeans_until_centroids_stop)


def test_11_2_wrong_answers_fail():
    def never_moves(X, centroids, max_iter=100):  # the broken version as shown
        labels = assign(X, centroids)
        for _ in range(max_iter):
            new_labels = assign(X, centroids)
            if np.array_equal(new_labels, labels):
                break
            labels = new_labels
            centroids[:] = update(X, labels, len(centroids))
        return centroids, labels

    def moves_in_place(X, centroids, max_iter=100):  # only the first bug fixed
        labels = np.full(len(X), -1)
        for _ in range(max_iter):
            new_labels = assign(X, centroids)
            if np.array_equal(new_labels, labels):
                break
            labels = new_labels
            centroids[:] = update(X, labels, len(centroids))
        return centroids, labels

    def one_update_only(X, centroids, max_iter=100):
        centroids = update(X, assign(X, centroids), len(centroids))
        return centroids, assign(X, centroids)

    def stale_labels(X, centroids, max_iter=100):  # labels of the one-before-last assignment
        centroids, labels = kmeans_fixed(X, centroids, max_iter)
        first = assign(X, X[:len(centroids)])
        return centroids, first

    def sklearn_class(X, centroids, max_iter=100):
        model = KMeans(len(centroids), init=centroids, n_init=1).fit(X)
        return model.cluster_centers_, model.labels_

    fails("11.2", never_moves, "returns its start")
    fails("11.2", moves_in_place, "changed its input `centroids`")
    fails("11.2", one_update_only, "Hint")
    fails("11.2", stale_labels, "labels")
    fails("11.2", sklearn_class, "sklearn")


# --- 11.3 choose k from the inertia (judgement) ----------------------------------------------


def inertias(X, largest_k=11):
    return np.array([KMeans(k, n_init=10, random_state=0).fit(X).inertia_
                     for k in range(1, largest_k + 1)])


def by_inertia_ratio(X):
    inertia = inertias(X)
    return int(np.argmin(inertia[1:] / inertia[:-1])) + 2  # k whose cluster removed most


def last_big_cut(X):
    # A different rule on the same curve: the largest k whose extra cluster still removed
    # more than half of the inertia that was left.
    inertia = inertias(X)
    removed = 1 - inertia[1:] / inertia[:-1]
    return int(np.flatnonzero(removed > 0.5).max()) + 2


def test_11_3_right_answers_pass():
    passes("11.3", by_inertia_ratio)
    passes("11.3", last_big_cut)


def test_11_3_wrong_answers_fail():
    def largest_drop(X):
        return int(np.argmax(-np.diff(inertias(X, 10)))) + 2

    def sharpest_bend(X):  # the largest second difference: the bend right after k = 2
        return int(np.argmax(np.diff(inertias(X, 10), 2))) + 2

    def by_silhouette(X):  # the notebook's cell, retyped: a score the task rules out
        scores = {k: silhouette_score(X, KMeans(k, n_init=10, random_state=0).fit_predict(X))
                  for k in range(2, 11)}
        return max(scores, key=scores.get)

    fails("11.3", largest_drop, "largest drop")
    fails("11.3", sharpest_bend, "k = ")
    fails("11.3", by_silhouette, "inertia alone")
    fails("11.3", lambda X: 3, "Hint")
    fails("11.3", lambda X: "four", "whole number")


# --- 11.4 silhouette values from scratch ---------------------------------------------------------


def silhouette_from_scratch(X, labels):
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    k = labels.max() + 1
    H = (labels[None, :] == np.arange(k)[:, None]).astype(float)
    counts = H.sum(axis=1)
    sums = D @ H.T
    own = np.arange(len(X)), labels
    a = sums[own] / (counts[labels] - 1)
    mean_to_others = sums / counts
    mean_to_others[own] = np.inf
    b = mean_to_others.min(axis=1)
    return (b - a) / np.maximum(a, b)


def silhouette_by_loop(X, labels):
    D = cdist(X, X)
    values = []
    for i, label in enumerate(labels):
        same = labels == label
        a = D[i, same].sum() / (same.sum() - 1)
        b = min(D[i, labels == other].mean() for other in set(labels.tolist()) - {label})
        values.append((b - a) / max(a, b))
    return np.array(values)


def test_11_4_right_answers_pass():
    passes("11.4", silhouette_from_scratch)
    passes("11.4", silhouette_by_loop)  # the task does not ask for speed


def test_11_4_wrong_answers_fail():
    def a_includes_itself(X, labels):
        D = cdist(X, X)
        a = np.array([D[i, labels == labels[i]].mean() for i in range(len(X))])
        b = np.array([min(D[i, labels == o].mean() for o in set(labels.tolist()) - {labels[i]})
                      for i in range(len(X))])
        return (b - a) / np.maximum(a, b)

    fails("11.4", silhouette_samples, "silhouette")
    fails("11.4", a_includes_itself, "minus one")


# --- 11.5 customers in mixed units ---------------------------------------------------------------


def standardised_kmeans(X, k):
    return KMeans(k, n_init=10, random_state=0).fit_predict(StandardScaler().fit_transform(X))


def min_max_scaled_kmeans(X, k):
    return KMeans(k, n_init=10, random_state=1).fit_predict(MinMaxScaler().fit_transform(X))


def test_11_5_right_answers_pass():
    passes("11.5", standardised_kmeans)
    passes("11.5", min_max_scaled_kmeans)


def test_11_5_wrong_answers_fail():
    def raw_kmeans(X, k):
        return KMeans(k, n_init=10, random_state=0).fit_predict(X)

    def scaled_in_place(X, k):
        X -= X.mean(axis=0)
        X /= X.std(axis=0)
        return KMeans(k, n_init=10, random_state=0).fit_predict(X)

    def scaled_rows(X, k):  # normalises each customer instead of each feature
        return KMeans(k, n_init=10, random_state=0).fit_predict(
            X / np.linalg.norm(X, axis=1, keepdims=True))

    fails("11.5", raw_kmeans, "raw columns")
    fails("11.5", scaled_in_place, "changed its input `X`")
    fails("11.5", scaled_rows, "Standardise")


# --- 11.6 eps from the k-distance curve (judgement) ---------------------------------------------


def k_distances(X, min_samples):
    return np.sort(np.sort(cdist(X, X), axis=1)[:, min_samples - 1])


def eps_at_the_bend(X, min_samples):
    d = k_distances(X, min_samples)
    x = np.linspace(0, 1, len(d))
    y = (d - d[0]) / (d[-1] - d[0])
    return d[np.argmax(x - y)]  # furthest below the chord from the first to the last point


def eps_by_neighbours(X, min_samples):
    # A different reading of the same curve: the largest distance at which the rows whose
    # k-distance is typical (below the 90th percentile) are still within 1.5 times of it.
    d = k_distances(X, min_samples)
    return 1.5 * np.quantile(d, 0.9)


def test_11_6_right_answers_pass():
    passes("11.6", eps_at_the_bend)
    passes("11.6", eps_by_neighbours)


def test_11_6_wrong_answers_fail():
    def notebook_value(X, min_samples):
        return 0.15

    def end_of_curve(X, min_samples):
        return k_distances(X, min_samples).max()

    def nearest_neighbour_median(X, min_samples):  # far inside the clusters: fragments
        return np.median(k_distances(X, 2))

    fails("11.6", notebook_value, "other units")
    fails("11.6", end_of_curve, "one cluster")
    fails("11.6", nearest_neighbour_median, "breaks")
    fails("11.6", lambda X, m: -1.0, "positive")


# --- 11.7 project and reconstruct ----------------------------------------------------------------


def by_svd(X, k):
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    Z = (X - mean) @ Vt[:k].T
    return Z, Z @ Vt[:k] + mean


def by_covariance(X, k):
    mean = X.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    V = vectors[:, ::-1][:, :k]
    Z = (X - mean) @ V
    return Z, Z @ V.T + mean


def test_11_7_right_answers_pass():
    passes("11.7", by_svd)
    passes("11.7", by_covariance)


def test_11_7_wrong_answers_fail():
    def by_class(X, k):
        pca = PCA(n_components=k).fit(X)
        Z = pca.transform(X)
        return Z, pca.inverse_transform(Z)

    def mean_not_added_back(X, k):
        Z, X_hat = by_svd(X, k)
        return Z, X_hat - X.mean(axis=0)

    def not_centred(X, k):
        _, _, Vt = np.linalg.svd(X, full_matrices=False)
        Z = X @ Vt[:k].T
        return Z, Z @ Vt[:k]

    fails("11.7", by_class, "PCA class")
    fails("11.7", mean_not_added_back, "mean back")
    fails("11.7", not_centred, "centre X")


@pytest.mark.parametrize("exercise_id", ["11.2", "11.4", "11.6", "11.7"])
def test_the_guards_leave_no_trace(exercise_id):
    """After a refused shortcut the library functions work again as usual."""
    from checker_helpers import run

    run(exercise_id, lambda *args: scipy.special.expit(np.zeros(2)))
    assert isinstance(scipy.special.expit, np.ufunc)
    assert np.allclose(scipy.special.expit(np.zeros(2)), 0.5)
