"""Checkers for notebook 11_unsupervised_learning.

Each checker calls the learner's function on fresh data made here and compares the result with
a reference: a brute-force NumPy expression or scikit-learn's implementation.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples

from mlcourse.exercises._core import (
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import forbidden_calls


def _labels_covering(rng, n_samples, k):
    """Random cluster labels in 0..k-1 where every cluster has at least two points."""
    labels = np.concatenate([np.repeat(np.arange(k), 2), rng.integers(0, k, n_samples - 2 * k)])
    return rng.permutation(labels)


@exercise("11.1", "Assign points to the nearest centroid")
def check_assign_to_nearest(assign_to_nearest):
    rng = rng_for()
    for n, d, k in [(40, 2, 3), (300, 5, 7), (1, 3, 4), (20_000, 8, 10)]:
        scale = rng.uniform(0.5, 20)
        X = rng.normal(size=(n, d)) * scale
        centroids = X[rng.integers(0, n, size=k)] + rng.normal(0, scale / 2, size=(k, d))
        brute = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        got = np.asarray(assign_to_nearest(X, centroids))
        expect(
            got.shape == (n,),
            f"Return one label per row of X: shape ({n},); got shape {got.shape}. "
            "Hint: take the argmin over the centroid axis (axis=1) of an (n, k) distance matrix.",
        )
        expect(
            np.issubdtype(got.dtype, np.integer),
            f"Labels should be integers (centroid indices); got dtype {got.dtype}.",
        )
        wrong = np.flatnonzero(got != brute.argmin(axis=1))
        expect(
            wrong.size == 0,
            f"{wrong.size} of {n} points got the wrong centroid (e.g. row {wrong[:1].tolist()}). "
            "Hint: ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2; the x.c terms for every pair are "
            "X @ centroids.T, and the smallest squared distance wins.",
        )
    return "Every point goes to its nearest centroid, on 20,000 rows too."


@exercise("11.2", "Update the centroids")
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


@exercise("11.3", "Explained variance ratio from singular values")
def check_explained_variance_ratio(explained_variance_ratio):
    rng = rng_for()
    for n, d in [(50, 4), (200, 12), (8, 20)]:
        X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
        S = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        expected = PCA(svd_solver="full").fit(X).explained_variance_ratio_
        got = as_array(explained_variance_ratio(S), "The ratios")
        expect(
            got.shape == expected.shape,
            f"Return one ratio per singular value, shape {expected.shape}; got {got.shape}.",
        )
        expect(
            abs(got.sum() - 1) < 1e-6,
            f"The ratios over all components should add up to 1; yours add up to {got.sum():.4g}.",
        )
        expect_close(
            got,
            expected,
            "The array of explained variance ratios",
            "Hint: the variance along component j is S[j]**2 / (n - 1); the ratio divides by "
            "the total, so (n - 1) cancels. Did you square the singular values?",
        )
    return "Right: each component's share of the total variance."


@exercise("11.4", "Project and reconstruct")
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


@exercise("11.5", "Silhouette values from scratch")
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
