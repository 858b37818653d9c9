"""Tests of mlcourse.cluster.DBSCAN: scikit-learn's checks, agreement with its DBSCAN, the parts."""

import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.csgraph
from sklearn import cluster as sk_cluster
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.cluster import DBSCAN
from mlcourse.cluster._dbscan import connected_components, radius_neighbours

# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks([DBSCAN(), DBSCAN(eps=0.3, min_samples=3)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. agreement with scikit-learn's DBSCAN ----------------------------------------------------


def _datasets():
    moons, _ = make_moons(n_samples=400, noise=0.08, random_state=0)
    circles, _ = make_circles(n_samples=500, noise=0.05, factor=0.45, random_state=1)
    blobs, _ = make_blobs(n_samples=600, centers=5, cluster_std=[0.4, 0.8, 1.5, 0.3, 1.0],
                          random_state=2)
    uniform = np.random.default_rng(3).uniform(0, 1, size=(300, 3))  # much noise, thin clusters
    return [("moons", moons, 0.15, 5), ("circles", circles, 0.15, 5),
            ("blobs", StandardScaler().fit_transform(blobs), 0.2, 8),
            ("uniform 3-D", uniform, 0.12, 4), ("moons, min_samples 1", moons, 0.05, 1)]


@pytest.mark.parametrize(("name", "X", "eps", "min_samples"), _datasets(),
                         ids=[d[0] for d in _datasets()])
def test_same_clusters_as_sklearn(name, X, eps, min_samples):
    ours = DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    theirs = sk_cluster.DBSCAN(eps=eps, min_samples=min_samples).fit(X)
    # Core points are defined by eps and min_samples alone: the same rows, the same clusters.
    np.testing.assert_array_equal(ours.core_sample_indices_, theirs.core_sample_indices_)
    np.testing.assert_array_equal(ours.components_, X[theirs.core_sample_indices_])
    core = theirs.core_sample_indices_
    assert adjusted_rand_score(ours.labels_[core], theirs.labels_[core]) == 1.0
    assert len(set(ours.labels_) - {-1}) == len(set(theirs.labels_) - {-1})
    # Noise is noise in both.
    np.testing.assert_array_equal(ours.labels_ == -1, theirs.labels_ == -1)
    # A border point may join either cluster that reaches it; it must join one that does.
    border = np.setdiff1d(np.flatnonzero(ours.labels_ >= 0), core)
    distances = np.linalg.norm(X[border, None, :] - X[None, core, :], axis=2)
    for row, near in zip(border, distances <= eps, strict=True):
        assert ours.labels_[row] in set(ours.labels_[core[near]])
        nearest = core[np.argmin(np.linalg.norm(X[core] - X[row], axis=1))]
        assert ours.labels_[row] == ours.labels_[nearest]


def test_moons_found_where_kmeans_fails():
    X, y = make_moons(n_samples=400, noise=0.08, random_state=0)
    assert adjusted_rand_score(y, DBSCAN(eps=0.15).fit_predict(X)) > 0.95
    assert adjusted_rand_score(y, sk_cluster.KMeans(2, n_init=10, random_state=0)
                               .fit_predict(X)) < 0.5


# --- 3. the parts -----------------------------------------------------------------------------


def test_radius_neighbours_are_the_pairs_within_eps():
    X = np.random.default_rng(0).normal(size=(120, 4))
    rows, cols = radius_neighbours(X, 1.3)
    distances = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=2)
    expected = np.argwhere(distances <= 1.3)
    np.testing.assert_array_equal(np.c_[rows, cols], expected)  # row-major order, like argwhere


def test_connected_components_match_scipy():
    rng = np.random.default_rng(1)
    n = 300
    for n_edges in (0, 40, 150, 400):
        a, b = rng.integers(0, n, n_edges), rng.integers(0, n, n_edges)
        rows, cols = np.r_[a, b], np.r_[b, a]
        ours = connected_components(n, rows, cols)
        graph = scipy.sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        _, theirs = scipy.sparse.csgraph.connected_components(graph, directed=False)
        assert adjusted_rand_score(ours, theirs) == 1.0
        for label in np.unique(ours):  # each component is named by its smallest node
            assert label == np.flatnonzero(ours == label).min()


def test_a_long_chain_is_one_component():
    # The worst case for label propagation: a path, whose diameter is the number of nodes.
    n = 5000
    order = np.random.default_rng(2).permutation(n)
    rows, cols = order[:-1], order[1:]
    labels = connected_components(n, np.r_[rows, cols], np.r_[cols, rows])
    assert np.all(labels == 0)


def test_labels_numbered_from_zero_in_order_of_first_row():
    X = np.r_[np.full((5, 2), 10.0), np.zeros((5, 2)), [[50.0, 50.0]]]
    labels = DBSCAN(eps=0.5, min_samples=3).fit(X).labels_
    np.testing.assert_array_equal(labels, [0] * 5 + [1] * 5 + [-1])


def test_border_point_and_noise():
    # Five points in a tight group, one point just within eps of the group's edge, one far.
    X = np.array([[0.0, 0], [0.1, 0], [0, 0.1], [0.1, 0.1], [0.05, 0.05], [0.55, 0.1], [3, 3]])
    model = DBSCAN(eps=0.5, min_samples=5).fit(X)
    np.testing.assert_array_equal(model.core_sample_indices_, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(model.labels_, [0, 0, 0, 0, 0, 0, -1])


@pytest.mark.parametrize(("params", "message"), [
    ({"eps": 0.0}, "eps must be a positive number"),
    ({"eps": -1.0}, "eps must be a positive number"),
    ({"eps": float("nan")}, "eps must be a positive number"),
    ({"min_samples": 0}, "min_samples must be an integer"),
    ({"min_samples": 2.5}, "min_samples must be an integer"),
])
def test_bad_parameters_are_named(params, message):
    with pytest.raises(ValueError, match=message):
        DBSCAN(**params).fit(np.zeros((4, 2)))


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        DBSCAN().fit(np.array([[0.0, 1.0], [np.nan, 2.0]]))
