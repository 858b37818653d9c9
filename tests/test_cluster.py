"""Tests of mlcourse.cluster.KMeans: scikit-learn's checks, agreement with its KMeans, the maths."""

import numpy as np
import pytest
from sklearn import cluster as sk_cluster
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.cluster import KMeans, kmeans_plusplus
from mlcourse.cluster._kmeans import (
    assign_to_nearest,
    lloyd,
    squared_distances_to_own_center,
    update_centers,
)

# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks(
    [
        KMeans(n_clusters=3, random_state=0),
        KMeans(n_clusters=2, init="random", n_init=3, max_iter=50, random_state=0),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. agreement with scikit-learn's KMeans on real data ---------------------------------------


@pytest.mark.parametrize("init", ["k-means++", "random"])
@pytest.mark.parametrize("seed", [0, 1])
def test_same_result_as_sklearn_on_digits(digits_pixels, init, seed):
    # Same seeding algorithm and the same random stream: the same run, to round-off.
    ours = KMeans(n_clusters=10, init=init, random_state=seed).fit(digits_pixels)
    theirs = sk_cluster.KMeans(n_clusters=10, init=init, random_state=seed).fit(digits_pixels)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-9)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, atol=1e-8)
    assert ours.n_iter_ == theirs.n_iter_


def test_same_clustering_from_same_start_on_penguins(penguin_measurements):
    start = penguin_measurements[[0, 150, 300]]
    ours = KMeans(n_clusters=3, init=start).fit(penguin_measurements)
    theirs = sk_cluster.KMeans(n_clusters=3, init=start, n_init=1).fit(penguin_measurements)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) > 0.999
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=1e-9)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, atol=1e-8)


def test_inertia_close_to_sklearn_with_different_seeds(penguin_measurements):
    # Different starts can end in different local minima; with n_init=10 both find a
    # solution within 1 % of each other on this data.
    ours = KMeans(n_clusters=4, n_init=10, random_state=3).fit(penguin_measurements)
    theirs = sk_cluster.KMeans(n_clusters=4, n_init=10, random_state=11).fit(penguin_measurements)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=0.01)


def test_predict_transform_match_sklearn(digits_pixels):
    start = digits_pixels[:: digits_pixels.shape[0] // 10][:10]
    ours = KMeans(n_clusters=10, init=start).fit(digits_pixels)
    theirs = sk_cluster.KMeans(n_clusters=10, init=start, n_init=1).fit(digits_pixels)
    X_new = digits_pixels[::7] + 0.5
    np.testing.assert_array_equal(ours.predict(X_new), theirs.predict(X_new))
    np.testing.assert_allclose(ours.transform(X_new), theirs.transform(X_new), rtol=1e-9)
    assert ours.score(X_new) == pytest.approx(theirs.score(X_new), rel=1e-9)


# --- 3. the mathematics ------------------------------------------------------------------------


def test_assignment_is_brute_force_argmin():
    rng = np.random.default_rng(0)
    X, C = rng.normal(size=(200, 5)), rng.normal(size=(7, 5))
    labels = assign_to_nearest(X, C)
    brute = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(labels, brute.argmin(axis=1))
    sq_dist = squared_distances_to_own_center(X, C, labels)
    np.testing.assert_allclose(sq_dist, brute.min(axis=1), atol=1e-10)


def test_update_moves_each_centre_to_its_mean():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3))
    labels = rng.integers(0, 4, size=100)
    centers = update_centers(X, labels, np.zeros((4, 3)))
    for j in range(4):
        np.testing.assert_allclose(centers[j], X[labels == j].mean(axis=0))


def test_empty_cluster_takes_the_farthest_point():
    X = np.array([[0.0], [1.0], [2.0], [10.0]])
    labels = np.array([0, 0, 0, 0])  # cluster 1 is empty; the point at 10 is the worst served
    centers = update_centers(X, labels, np.array([[1.0], [50.0]]))
    np.testing.assert_allclose(centers, [[1.0], [10.0]])


def test_fit_never_leaves_a_cluster_empty():
    X, _ = make_blobs(300, centers=3, random_state=0)
    start = np.array([X.mean(axis=0), X.mean(axis=0) + 1e3, X.mean(axis=0) - 1e3])
    km = KMeans(n_clusters=3, init=start).fit(X)
    assert np.bincount(km.labels_, minlength=3).min() > 0


def test_inertia_never_increases_across_iterations(penguin_measurements):
    rng = np.random.RandomState(0)
    centers = kmeans_plusplus(penguin_measurements, 5, rng)[0]
    previous = np.inf
    for _ in range(10):
        labels, inertia, centers, _ = lloyd(penguin_measurements, centers, max_iter=1)
        assert inertia <= previous + 1e-9
        previous = inertia


def test_attributes_are_consistent(digits_pixels):
    km = KMeans(n_clusters=6, random_state=0).fit(digits_pixels)
    np.testing.assert_array_equal(km.predict(digits_pixels), km.labels_)
    assert km.score(digits_pixels) == pytest.approx(-km.inertia_)
    direct = ((digits_pixels - km.cluster_centers_[km.labels_]) ** 2).sum()
    assert km.inertia_ == pytest.approx(direct)
    # The centres are the means of their clusters (Lloyd's fixed point).
    for j in range(6):
        np.testing.assert_allclose(
            km.cluster_centers_[j], digits_pixels[km.labels_ == j].mean(axis=0), atol=1e-10
        )
    D = km.transform(digits_pixels[:20])
    brute = np.sqrt(((digits_pixels[:20, None] - km.cluster_centers_[None]) ** 2).sum(axis=2))
    np.testing.assert_allclose(D, brute, atol=1e-6)


def test_kmeansplusplus_spreads_seeds_over_separated_groups():
    # Two tight groups far apart: after the first seed, D(x)^2 puts almost all the mass on
    # the other group, so the second seed lands there.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.01, (50, 2)), rng.normal(100, 0.01, (50, 2))])
    for seed in range(20):
        centers, indices = kmeans_plusplus(X, 2, np.random.RandomState(seed), n_local_trials=1)
        assert {int(i) // 50 for i in indices} == {0, 1}
        np.testing.assert_array_equal(centers, X[indices])


def test_more_runs_never_do_worse(penguin_measurements):
    one = KMeans(n_clusters=6, init="random", n_init=1, random_state=0).fit(penguin_measurements)
    ten = KMeans(n_clusters=6, init="random", n_init=10, random_state=0).fit(penguin_measurements)
    assert ten.inertia_ <= one.inertia_ + 1e-9  # the first of the ten runs is `one`


def test_max_iter_and_tol_stop_early(digits_pixels):
    assert KMeans(n_clusters=10, max_iter=1, random_state=0).fit(digits_pixels).n_iter_ == 1
    loose = KMeans(n_clusters=10, tol=1.0, random_state=0).fit(digits_pixels)
    strict = KMeans(n_clusters=10, tol=0.0, random_state=0).fit(digits_pixels)
    assert loose.n_iter_ < strict.n_iter_


def test_duplicate_points_warn():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    with pytest.warns(Warning, match="distinct clusters"):
        KMeans(n_clusters=3, random_state=0).fit(X)


# --- 4. bad input ------------------------------------------------------------------------------


def test_nan_is_rejected():
    X = np.ones((10, 2))
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        KMeans(n_clusters=2).fit(X)


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        KMeans().predict(np.ones((3, 2)))


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(n_clusters=20), "n_samples=10 should be >= n_clusters=20"),
        (dict(n_clusters=0), "KMeans parameter n_clusters must be an int >= 1, got 0"),
        (dict(n_clusters=2, init="kmeans"), r"init must be 'k-means\+\+' or 'random' or an array"),
        (dict(n_clusters=2, init=np.zeros((3, 2))), r"expected \(n_clusters, n_features\)"),
        (dict(n_clusters=2, n_init=0), "n_init must be"),
        (dict(n_clusters=2, max_iter=0), "max_iter must be"),
        (dict(n_clusters=2, tol=-1.0), "tol must be"),
    ],
)
def test_bad_parameters_are_named(params, match):
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=match):
        KMeans(**params).fit(X)


def test_wrong_number_of_features_and_empty_data():
    X = np.random.default_rng(0).normal(size=(30, 3))
    km = KMeans(n_clusters=2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="3 features"):
        km.predict(X[:, :2])
    with pytest.raises(ValueError, match="0 sample"):
        KMeans(n_clusters=2).fit(np.empty((0, 3)))


def test_init_array_with_several_runs_warns_and_runs_once():
    X, _ = make_blobs(100, centers=2, random_state=0)
    with pytest.warns(RuntimeWarning, match="running once"):
        KMeans(n_clusters=2, init=X[:2], n_init=5).fit(X)
