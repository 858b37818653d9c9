"""Tests of mlcourse.neighbors: scikit-learn's checks, agreement with its kNN, the maths, errors."""

import numpy as np
import pytest
from sklearn import neighbors as sk_neighbors
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import mlcourse.neighbors._base as knn_base
from mlcourse.datasets import load_california_housing
from mlcourse.neighbors import KNeighborsClassifier, KNeighborsRegressor, k_smallest, vote

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]


def _scaled_split(X, y, test_size, seed=0):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return _scaled_split(X, y, test_size=0.3)


@pytest.fixture(scope="module")
def housing():
    df = load_california_housing().sample(4000, random_state=0)
    X = df[HOUSING_FEATURES].to_numpy()
    y = df["median_house_value"].to_numpy() / 1e5
    return _scaled_split(X, y, test_size=1000)


@pytest.fixture(scope="module")
def digits():
    # integer pixel values: many training points at exactly the same distance from a query
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=0)


# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks(
    [
        KNeighborsClassifier(),
        KNeighborsClassifier(n_neighbors=1, weights="distance"),
        KNeighborsRegressor(),
        KNeighborsRegressor(n_neighbors=3, weights="distance"),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. agreement with scikit-learn on real data -----------------------------------------------


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 5, 15])
def test_classifier_matches_sklearn_on_breast_cancer(cancer, k, weights):
    X_train, X_test, y_train, _ = cancer
    ours = KNeighborsClassifier(k, weights=weights).fit(X_train, y_train)
    theirs = sk_neighbors.KNeighborsClassifier(k, weights=weights).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test), atol=1e-12)
    dist, ind = ours.kneighbors(X_test)
    sk_dist, sk_ind = theirs.kneighbors(X_test)
    np.testing.assert_array_equal(ind, sk_ind)
    np.testing.assert_allclose(dist, sk_dist, rtol=1e-9)


def test_kneighbors_of_the_training_set_matches_sklearn(cancer):
    X_train, _, y_train, _ = cancer
    ours = KNeighborsClassifier(4).fit(X_train, y_train)
    theirs = sk_neighbors.KNeighborsClassifier(4).fit(X_train, y_train)
    dist, ind = ours.kneighbors(n_neighbors=6)
    sk_dist, sk_ind = theirs.kneighbors(n_neighbors=6)
    np.testing.assert_array_equal(ind, sk_ind)
    np.testing.assert_allclose(dist, sk_dist, rtol=1e-9)


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 7])
def test_regressor_matches_sklearn_on_california_housing(housing, k, weights):
    X_train, X_test, y_train, _ = housing
    ours = KNeighborsRegressor(k, weights=weights).fit(X_train, y_train)
    theirs = sk_neighbors.KNeighborsRegressor(k, weights=weights).fit(X_train, y_train)
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-12)


def test_regressor_multi_output_matches_sklearn(housing):
    X_train, X_test, y_train, _ = housing
    Y_train = np.column_stack([y_train, np.log(y_train)])
    ours = KNeighborsRegressor(4, weights="distance").fit(X_train, Y_train)
    theirs = sk_neighbors.KNeighborsRegressor(4, weights="distance").fit(X_train, Y_train)
    assert ours.predict(X_test).shape == (X_test.shape[0], 2)
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-12)


@pytest.mark.parametrize("k", [3, 5, 10])
def test_digits_agree_with_sklearn_up_to_distance_ties(digits, k):
    # scikit-learn's heap keeps an arbitrary member of a tie at the k-th distance; we keep the
    # lowest index. The neighbour distances must agree exactly, the predictions almost always.
    X_train, X_test, y_train, y_test = digits
    ours = KNeighborsClassifier(k).fit(X_train, y_train)
    theirs = sk_neighbors.KNeighborsClassifier(k).fit(X_train, y_train)
    dist, _ = ours.kneighbors(X_test)
    sk_dist, _ = theirs.kneighbors(X_test)
    np.testing.assert_array_equal(dist, sk_dist)  # integer data: exact
    agreement = np.mean(ours.predict(X_test) == theirs.predict(X_test))
    assert agreement >= 0.99
    assert ours.score(X_test, y_test) == pytest.approx(theirs.score(X_test, y_test), abs=0.01)


# --- 3. the mathematics ------------------------------------------------------------------------


def test_k_smallest_equals_a_stable_full_sort():
    # small integers: ties everywhere, also across the k-th place
    D = np.random.default_rng(0).integers(0, 6, size=(200, 40)).astype(float)
    for k in (1, 3, 10, 40):
        ind, dist = k_smallest(D, k)
        expected = np.argsort(D, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(ind, expected)
        np.testing.assert_array_equal(dist, np.take_along_axis(D, expected, axis=1))


@pytest.mark.parametrize("high", [4, 1000, 2**40])  # ties everywhere, some, almost none
def test_k_smallest_by_groups_equals_k_smallest(high, monkeypatch):
    rng = np.random.default_rng(high)
    widths = []
    reference = knn_base.k_smallest

    def spy(D, k):
        widths.append(D.shape[1])
        return reference(D, k)

    for m, k in [(3000, 1), (2003, 5), (5000, 17), (777, 3)]:
        D = rng.integers(0, high, size=(30, m)).astype(float)
        expected = reference(D, k)
        monkeypatch.setattr(knn_base, "k_smallest", spy)
        ind, dist = knn_base.k_smallest_by_groups(D, k)
        monkeypatch.undo()
        np.testing.assert_array_equal(ind, expected[0])
        np.testing.assert_array_equal(dist, expected[1])
        if high > 4:  # with few ties only a few groups reach the exact search
            assert widths[-1] < m / 4


def test_vote_equals_a_loop_reference():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 4, size=(50, 7))
    w = rng.random((50, 7))
    expected = np.zeros((50, 4))
    for i in range(50):
        for j in range(7):
            expected[i, labels[i, j]] += w[i, j]
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(vote(labels, w, 4), expected, rtol=1e-12)
    uniform = vote(labels, None, 4)
    np.testing.assert_allclose(uniform * 7, np.round(uniform * 7))  # counts / k
    np.testing.assert_allclose(uniform.sum(axis=1), 1.0)


def test_tied_vote_goes_to_the_first_class():
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    y = np.array(["b", "a", "b", "a"])
    model = KNeighborsClassifier(2).fit(X, y)
    np.testing.assert_allclose(model.predict_proba([[0.5]]), [[0.5, 0.5]])
    assert model.predict([[0.5]])[0] == "a"


def test_blocks_do_not_change_the_answer(cancer, monkeypatch):
    X_train, X_test, y_train, _ = cancer
    whole = KNeighborsClassifier(5, weights="distance").fit(X_train, y_train)
    expected_proba, expected_ind = whole.predict_proba(X_test), whole.kneighbors(X_test)[1]
    # room for three query rows per block: many blocks, the last one partial
    monkeypatch.setattr(knn_base, "_BLOCK_BYTES", 3 * 8 * X_train.shape[0])
    # a different block shape may change the matrix product's round-off, nothing more
    np.testing.assert_allclose(whole.predict_proba(X_test), expected_proba, rtol=1e-12)
    np.testing.assert_array_equal(whole.kneighbors(X_test)[1], expected_ind)


def test_distances_are_euclidean(cancer):
    X_train, X_test, y_train, _ = cancer
    dist, ind = KNeighborsClassifier(3).fit(X_train, y_train).kneighbors(X_test[:20])
    direct = np.linalg.norm(X_test[:20, None, :] - X_train[ind], axis=2)
    np.testing.assert_allclose(dist, direct, rtol=1e-9)
    assert np.all(np.diff(dist, axis=1) >= 0)


def test_distance_weights_trust_an_exact_match():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [1.1, 0.0], [1.2, 0.0]])
    y = np.array([0, 1, 1, 1])
    model = KNeighborsClassifier(4, weights="distance").fit(X, y)
    np.testing.assert_array_equal(model.predict_proba([[0.0, 0.0]]), [[1.0, 0.0]])
    # away from the data, the nearer point counts more: 1/1 against 1/2 + 1/2.1 + 1/2.2
    proba = model.predict_proba([[-1.0, 0.0]])[0]
    w = np.array([1.0, 1 / 2.0, 1 / 2.1, 1 / 2.2])
    np.testing.assert_allclose(proba, [w[0] / w.sum(), w[1:].sum() / w.sum()])


def test_regressor_with_all_neighbours_predicts_the_mean(housing):
    X_train, X_test, y_train, _ = housing
    model = KNeighborsRegressor(n_neighbors=len(y_train)).fit(X_train, y_train)
    np.testing.assert_allclose(model.predict(X_test[:5]), np.full(5, y_train.mean()))


def test_one_neighbour_memorises_the_training_set(cancer):
    X_train, _, y_train, _ = cancer
    assert KNeighborsClassifier(1).fit(X_train, y_train).score(X_train, y_train) == 1.0


def test_kneighbors_of_the_training_set_excludes_each_point_itself():
    X = np.array([[0.0], [1.0], [3.0], [3.0]])  # the last two are duplicates
    ind = KNeighborsRegressor(1).fit(X, [0, 1, 2, 3]).kneighbors(return_distance=False)
    np.testing.assert_array_equal(ind.ravel(), [1, 0, 3, 2])


# --- 4. bad input ------------------------------------------------------------------------------


def test_unfitted_model_raises():
    with pytest.raises(NotFittedError):
        KNeighborsClassifier().predict([[0.0, 1.0]])
    with pytest.raises(NotFittedError):
        KNeighborsRegressor().kneighbors([[0.0, 1.0]])


@pytest.mark.parametrize("params, error, match", [
    (dict(n_neighbors=0), ValueError, "n_neighbors must be an int >= 1, got 0"),
    (dict(n_neighbors=2.5), TypeError, "n_neighbors must be an int >= 1, got 2.5"),
    (dict(weights="cosine"), ValueError, "weights must be 'uniform' or 'distance', got 'cosine'"),
])
def test_bad_parameters_are_named(params, error, match):
    with pytest.raises(error, match=match):
        KNeighborsClassifier(**params).fit([[0.0], [1.0]], [0, 1])


def test_more_neighbours_than_samples():
    model = KNeighborsClassifier(n_neighbors=5).fit([[0.0], [1.0], [2.0]], [0, 1, 1])
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        model.predict([[0.5]])


def test_nan_wrong_shape_and_empty_input():
    model = KNeighborsRegressor(1).fit([[0.0, 0.0], [1.0, 1.0]], [0.0, 1.0])
    with pytest.raises(ValueError, match="NaN"):
        model.predict([[np.nan, 0.0]])
    with pytest.raises(ValueError, match="2 features"):
        model.predict([[0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="0 sample"):
        KNeighborsClassifier().fit(np.empty((0, 2)), [])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        KNeighborsClassifier().fit([[0.0], [1.0]], [0])


def test_neighbours_are_right_next_to_a_large_offset():
    """The expanded square ||a||^2 - 2ab + ||b||^2 cancels when features sit near 1e8."""
    X = 1e8 + np.arange(20.0)[:, None]
    y = np.arange(20.0)
    assert np.array_equal(KNeighborsRegressor(1).fit(X, y).predict(X), y)
    X2 = np.c_[X, 5e7 + 3 * np.arange(20.0)]
    dist, ind = KNeighborsRegressor(2).fit(X2, y).kneighbors(X2[:3])
    assert np.array_equal(ind[:, 0], [0, 1, 2])
    np.testing.assert_allclose(dist[:, 1], np.sqrt(10.0), rtol=1e-6)
