"""Values near 1e300 and constant data: every estimator raises a clear error or stays right,
never returns garbage silently (scikit-learn raises or is right in each of these cases)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.decomposition import PCA as SkPCA

from mlcourse.decomposition import PCA
from mlcourse.linear_model import LinearRegression
from mlcourse.neighbors import KNeighborsClassifier, KNeighborsRegressor
from mlcourse.neural_network import MLPRegressor
from mlcourse.preprocessing import StandardScaler
from mlcourse.svm import SVC, LinearSVC

rng = np.random.default_rng(0)
HUGE = rng.random((30, 3)) * 1e300
LABELS = np.array([0, 1] * 15)
TARGET = rng.random(30)


@pytest.mark.parametrize("estimator, y", [
    (SVC(), LABELS),
    (LinearSVC(), LABELS),
    (KNeighborsClassifier(3), LABELS),
    (KNeighborsRegressor(3), TARGET),
], ids=["SVC", "LinearSVC", "KNeighborsClassifier", "KNeighborsRegressor"])
def test_values_whose_squares_overflow_are_refused(estimator, y):
    with pytest.raises(ValueError, match="too large.*Scale the features"):
        estimator.fit(HUGE, y)


@pytest.mark.parametrize("estimator, y", [
    (SVC(), LABELS),
    (KNeighborsClassifier(3), LABELS),
    (KNeighborsRegressor(3), TARGET),
], ids=["SVC", "KNeighborsClassifier", "KNeighborsRegressor"])
def test_queries_whose_squares_overflow_are_refused_at_predict(estimator, y):
    # fitted on ordinary data, asked about points near 1e300: every kernel value or distance
    # would be 0 or inf, and the prediction an arbitrary class
    estimator.fit(HUGE / 1e300, y)
    with pytest.raises(ValueError, match="too large.*Scale the features"):
        estimator.predict(HUGE)


def test_an_mlp_that_overflows_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the overflow itself
        with pytest.raises(ValueError, match="non-finite weights"):
            MLPRegressor(max_iter=20, random_state=0).fit(HUGE, TARGET)


def test_gradient_descent_that_overflows_raises():
    with pytest.raises(ValueError, match="diverged at epoch 1"):
        LinearRegression(solver="gd").fit(HUGE, TARGET)


def test_the_scaler_stays_exact_on_huge_values():
    X = np.array([[1e300], [-1e300], [3e300], [5e299]])
    with pytest.warns(RuntimeWarning, match="variance .* too large"):
        scaler = StandardScaler().fit(X)
    expected_std = (X / 1e300).std() * 1e300
    np.testing.assert_allclose(scaler.scale_, [expected_std], rtol=1e-12)
    assert np.isinf(scaler.var_[0])
    Z = scaler.transform(X)
    np.testing.assert_allclose(Z.mean(), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(), 1, rtol=1e-12)


def test_the_scaler_gives_the_same_numbers_on_ordinary_data():
    X = rng.normal(5, 3, size=(50, 4))
    scaler = StandardScaler().fit(X)
    np.testing.assert_array_equal(scaler.mean_, X.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, X.std(axis=0), rtol=1e-14)


def test_pca_keeps_one_component_of_constant_data_like_sklearn():
    X = np.ones((10, 3))
    ours, theirs = PCA(0.95).fit(X), SkPCA(0.95).fit(X)
    assert ours.n_components_ == theirs.n_components_ == 1
