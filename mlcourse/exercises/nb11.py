"""Checkers for notebook 11_unsupervised_learning.

Each checker calls the learner's function on fresh data made here and compares the result with
a reference: a brute-force NumPy expression or scikit-learn's implementation.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import make_moons
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_samples
from threadpoolctl import threadpool_limits

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, forbidden_calls


def _labels_covering(rng, n_samples, k):
    """Random cluster labels in 0..k-1 where every cluster has at least two points."""
    labels = np.concatenate([np.repeat(np.arange(k), 2), rng.integers(0, k, n_samples - 2 * k)])
    return rng.permutation(labels)


@exercise("11.1", "Update the centroids")
def check_update_centroids(update_centroids):
    rng = rng_for()
    for n, d, k in [(30, 2, 3), (500, 6, 8), (4, 1, 2)]:
        X = rng.normal(size=(n, d)) * 5 + rng.normal(size=d)
        labels = _labels_covering(rng, n, k)
        expected = np.stack([X[labels == j].mean(axis=0) for j in range(k)])
        got = as_array(update_centroids(X, labels, k), "The centroids")
        expect(
            got.shape == (k, d),
            f"With k={k} clusters in {d} dimensions the centroids have shape ({k}, {d}); "
            f"got {got.shape}.",
        )
        expect_close(
            got,
            expected,
            "The array of centroids",
            "Hint: a one-hot matrix H with H[j, i] = 1 when labels[i] == j gives the sums H @ X "
            "and the counts H.sum(axis=1); each centroid is a sum divided by its count.",
        )
    return "Each centroid is the mean of its points."


@exercise("11.7", "Project and reconstruct")
def check_project_and_reconstruct(project_and_reconstruct):
    rng = rng_for()
    for n, d, k in [(60, 5, 2), (300, 16, 6), (40, 8, 8)]:
        X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(0, 10, size=d)
        reference = PCA(n_components=k, svd_solver="full").fit(X)
        Z_ref = reference.transform(X)
        X_hat_ref = reference.inverse_transform(Z_ref)
        with forbidden_calls("sklearn.decomposition", "mlcourse.decomposition",
                             why="Use np.linalg.svd on the centred data, not a PCA class."):
            result = project_and_reconstruct(X, k)
        Z, X_hat = (as_array(v, name) for v, name in zip(unpack(result, ("Z", "X_hat")),
                                                           ("Z", "X_hat"), strict=True))
        expect(Z.shape == (n, k), f"Z should have shape ({n}, {k}); got {Z.shape}.")
        # A component and its negative are equally valid: compare column by column up to sign.
        signs = np.sign((Z * Z_ref).sum(axis=0))
        signs[signs == 0] = 1.0
        expect_close(
            Z * signs,
            Z_ref,
            "The projection Z (up to the sign of each column)",
            "Hint: centre X first; Z = X_c @ Vt[:k].T with Vt from "
            "np.linalg.svd(X_c, full_matrices=False).",
            rtol=1e-6,
            atol=1e-6,
        )
        expect_close(
            X_hat,
            X_hat_ref,
            "The reconstruction X_hat",
            "Hint: X_hat = Z @ Vt[:k] + mean; do not forget to add the mean back.",
            rtol=1e-6,
            atol=1e-6,
        )
    return "Projection and reconstruction both match PCA's, computed without a PCA class."


@exercise("11.4", "Silhouette values from scratch")
def check_silhouette_values(silhouette_values):
    rng = rng_for()
    for n, d, k in [(30, 2, 2), (120, 3, 4), (9, 2, 3)]:
        labels = _labels_covering(rng, n, k)
        X = rng.normal(0, 3, size=(k, d))[labels] + rng.normal(size=(n, d))
        expected = silhouette_samples(X, labels)
        with forbidden_calls("sklearn.metrics.silhouette_samples",
                             "sklearn.metrics.silhouette_score", "sklearn.metrics.cluster",
                             why="Compute a and b from a distance matrix yourself."):
            result = silhouette_values(X, labels)
        got = as_array(result, "The silhouette values")
        expect(got.shape == (n,), f"Return one value per point, shape ({n},); got {got.shape}.")
        expect(
            np.all(np.abs(got) <= 1 + 1e-9),
            "Silhouette values lie between -1 and 1; some of yours do not. "
            "Hint: s = (b - a) / max(a, b).",
        )
        expect_close(
            got,
            expected,
            "The array of silhouette values",
            "Hint: a is the mean distance to the *other* points of the same cluster (divide "
            "by its size minus one), b the smallest mean distance to another cluster's points; "
            "use plain (not squared) Euclidean distances.",
        )
    return ("Your silhouette values match scikit-learn's silhouette_samples, computed without "
            "it.")


# --- 11.2 debug: a k-means that never moves ---------------------------------------------------

def _separated_centres(rng, k, d, gap):
    """k centres in d dimensions, every two at least ``gap`` apart (by rejection)."""
    while True:
        centres = rng.uniform(-3 * gap, 3 * gap, size=(k, d))
        distances = np.linalg.norm(centres[:, None] - centres[None], axis=2)
        if distances[np.triu_indices(k, 1)].min() >= gap:
            return centres


@exercise("11.2", "Debug a k-means that never moves")
def check_kmeans_fixed(kmeans_fixed):
    rng = rng_for()
    for n, d, k in [(300, 2, 3), (600, 4, 5), (200, 3, 4)]:
        labels_true = _labels_covering(rng, n, k)
        centres = _separated_centres(rng, k, d, gap=6.0)
        X = centres[labels_true] + rng.normal(size=(n, d))
        # A poor start: k rows of the two first groups, so the centroids must travel.
        start = X[np.r_[np.flatnonzero(labels_true == 0)[: k - 1],
                        np.flatnonzero(labels_true == 1)[:1]]].copy()
        with threadpool_limits(limits=1):
            reference = KMeans(n_clusters=k, init=start, n_init=1, tol=0.0, max_iter=300,
                               algorithm="lloyd").fit(X)
        with forbidden_calls("sklearn.cluster", "mlcourse.cluster",
                             why="Fix the loop of the broken function; a KMeans class is "
                                 "not the point."):
            result = call_unmutated(kmeans_fixed, X, start, what="kmeans_fixed")
        centroids, labels = unpack(result, ("centroids", "labels"))
        centroids = as_array(centroids, "The centroids")
        labels = np.asarray(labels)
        expect(centroids.shape == (k, d),
               f"The centroids should have shape ({k}, {d}); got {centroids.shape}.")
        if np.allclose(centroids, start):
            raise ExerciseFailed(
                "Your k-means still returns its start: the loop stops before the first update. "
                "Look at what `labels` holds the first time it is compared with `new_labels`.")
        expect(labels.shape == (n,), f"Return one label per row, shape ({n},); got "
                                     f"{labels.shape}.")
        expect_close(centroids, reference.cluster_centers_,
                     f"The centroids where k-means stops ({n} rows, k={k})",
                     "Hint: keep alternating assign and update until the labels stop changing; "
                     "start from labels that cannot equal the first assignment.")
        expect(np.array_equal(labels, reference.labels_),
               "The centroids are right but the labels are not those of the nearest centroid: "
               "return the labels of the last assignment.")
    return ("Your k-means moves until no label changes and stops where Lloyd's algorithm stops, "
            "without changing the caller's start.")


# --- 11.3 judgement: choose k where the elbow misleads ----------------------------------------

@exercise("11.3", "Choose k from the inertia alone")
def check_choose_k(choose_k):
    rng = rng_for()
    cases = [(4, 2, 400), (5, 5, 450), (6, 3, 480), (3, 2, 300)]
    for k_true, d, n in cases:
        centres = _separated_centres(rng, k_true, d, gap=9.0)
        sizes = rng.multinomial(n - 30 * k_true, np.full(k_true, 1 / k_true)) + 30
        spreads = rng.uniform(0.5, 1.5, size=k_true)
        labels_true = np.repeat(np.arange(k_true), sizes)
        X = centres[labels_true] + rng.normal(size=(n, d)) * spreads[labels_true, None]
        X = X[rng.permutation(n)]
        with threadpool_limits(limits=1), forbidden_calls(  # threads only slow small fits
                "sklearn.metrics.silhouette_score", "sklearn.metrics.silhouette_samples",
                "sklearn.metrics.calinski_harabasz_score", "sklearn.metrics.davies_bouldin_score",
                why="Decide from the inertia alone, as the task says: on large data these "
                    "scores cost far more than k-means itself."):
            got = call_unmutated(choose_k, X, what="choose_k")
        try:
            k = int(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"choose_k should return a whole number; got {got!r}.") from None
        if k == 2 and k_true != 2:
            raise ExerciseFailed(
                f"You chose k = 2 for data with {k_true} well-separated groups of different "
                "sizes. The inertia always falls most from k = 1 to k = 2, so 'the largest "
                "drop' is no rule for the elbow. Look instead at the share of the inertia "
                "still left that each extra cluster removes.")
        expect(k == k_true,
               f"You chose k = {k} for data with {k_true} well-separated groups "
               f"({d} features, {n} rows). Hint: fit k-means (n_init=10) for k = 1 to 11; "
               "while k is below the number of groups, one more cluster removes most of the "
               "inertia still left (J_k / J_(k-1) is small); after it, only a little.")
    return ("From the inertia alone you found the number of groups in four data sets (2 to 5 "
            "features, groups of different sizes and spreads) where the largest drop in "
            "inertia points at k = 2.")


# --- 11.5 transfer: k-means on data in mixed units ---------------------------------------------

@exercise("11.5", "Customers in mixed units")
def check_cluster_customers(cluster_customers):
    rng = rng_for()
    for n, k in [(400, 3), (601, 4)]:
        groups = _labels_covering(rng, n, k)
        # Visits a month separate the groups well; yearly spend, in euros, only roughly.
        visits = (2 + 6 * rng.permutation(k))[groups] + rng.normal(0, 1.0, n)
        spend = (1500 + 500 * rng.permutation(k))[groups] + rng.normal(0, 200, n)
        X = np.c_[spend, visits] if n % 2 == 0 else np.c_[visits, spend]
        with threadpool_limits(limits=1):
            got = call_unmutated(cluster_customers, X, k, what="cluster_customers")
        labels = np.asarray(got)
        expect(labels.shape == (n,), f"Return one cluster label per customer, shape ({n},); "
                                     f"got {labels.shape}.")
        expect(len(np.unique(labels)) == k,
               f"Return {k} clusters; you returned {len(np.unique(labels))}.")
        score = adjusted_rand_score(groups, labels)
        with threadpool_limits(limits=1):
            raw = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X)
        hint = ("Hint: the features are in different units; k-means' distances are dominated "
                "by the one with the largest numbers. Standardise the columns first.")
        if adjusted_rand_score(raw, labels) > 0.9:
            hint = ("These are the clusters of k-means on the raw columns: the spend, in "
                    "thousands of euros, decides every distance, and the visits, which separate "
                    "the groups best, count for nothing. Standardise the columns first.")
        expect(score > 0.9,
               f"Your clusters agree with the customers' true groups with an adjusted Rand "
               f"index of {score:.2f} (1 is perfect). {hint}")
    return ("Your clusters recover the customers' groups (adjusted Rand index above 0.9) on "
            "two data sets in mixed units.")


# --- 11.6 judgement: eps from the k-distance curve ---------------------------------------------

@exercise("11.6", "Choose eps from the k-distance curve")
def check_choose_eps(choose_eps):
    rng = rng_for()
    for n, min_samples in [(420, 5), (350, 8), (600, 6), (480, 7)]:
        X, y = make_moons(n_samples=n, noise=0.06, random_state=int(rng.integers(2**31)))
        n_background = int(0.03 * n)  # scattered points that belong to no shape
        background = rng.uniform(X.min(axis=0) - 0.3, X.max(axis=0) + 0.3, size=(n_background, 2))
        scale = 10 ** rng.uniform(-2, 2)  # the units are not the notebook's
        X_all = np.r_[X, background] * scale + rng.normal(0, 10 * scale, size=2)
        order = rng.permutation(len(X_all))  # shapes and scattered points mixed
        X_all = X_all[order]
        got = call_unmutated(choose_eps, X_all, min_samples, what="choose_eps")
        try:
            eps = float(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"choose_eps should return a number; got {got!r}.") from None
        expect(np.isfinite(eps) and eps > 0, f"eps must be a positive number; got {eps}.")
        labels = np.empty(len(X_all), dtype=int)
        labels[order] = DBSCAN(eps=eps, min_samples=min_samples).fit_predict(X_all)
        score = adjusted_rand_score(y, labels[:n])
        clusters = len(set(labels[:n].tolist()) - {-1})
        k_distance = np.sort(np.sort(np.linalg.norm(X_all[:, None] - X_all[None], axis=2),
                                     axis=1)[:, min_samples - 1])
        where = np.searchsorted(k_distance, eps) / len(k_distance)
        if abs(eps - 0.15) < 1e-12:
            hint = ("0.15 was right for the notebook's moons, in their units; these data are "
                    "in other units. Compute the k-distance curve of X.")
        elif clusters <= 1:
            hint = (f"Your eps, {eps:.3g}, joins the shapes into one cluster: it lies beyond "
                    f"{where:.0%} of the k-distances, out among the scattered points. Take eps "
                    "at the bend of the curve, not at its end.")
        else:
            hint = (f"Your eps, {eps:.3g} (at {where:.0%} of the sorted k-distances), breaks "
                    f"the shapes into {clusters} clusters and noise. Hint: the bend is where "
                    "the sorted curve leaves the straight line from its first to its last "
                    "point furthest.")
        expect(score > 0.9,
               f"On two moons ({n} points, min_samples={min_samples}) DBSCAN with your eps "
               f"agrees with the true shapes with an adjusted Rand index of {score:.2f}. {hint}")
    return ("Your eps lets DBSCAN find the two moons (adjusted Rand index above 0.9) in four "
            "data sets, in units and with scattered points the notebook did not have.")

