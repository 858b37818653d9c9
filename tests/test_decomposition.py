"""Tests of mlcourse.decomposition.PCA: scikit-learn's checks, agreement with its PCA, the maths."""

import numpy as np
import pytest
from sklearn import decomposition as sk_decomposition
from sklearn.datasets import load_wine
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.decomposition import PCA, flip_signs

# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks(
    [
        PCA(),
        PCA(n_components=2, svd_solver="full"),
        PCA(n_components=0.9, whiten=True, svd_solver="covariance_eigh"),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. agreement with scikit-learn's PCA on real data ------------------------------------------


def assert_same_pca(ours, theirs, X, rtol=1e-7, atol=1e-9):
    assert ours.n_components_ == theirs.n_components_
    # Signs included: both fix them with the same rule.
    np.testing.assert_allclose(ours.components_, theirs.components_, rtol=rtol, atol=atol)
    for name in ["explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"]:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=rtol)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=rtol, atol=1e-7)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh"])
@pytest.mark.parametrize("n_components", [2, 10, 0.8, 0.95])
def test_same_as_sklearn_on_digits(digits_pixels, solver, n_components):
    ours = PCA(n_components=n_components, svd_solver=solver).fit(digits_pixels)
    theirs = sk_decomposition.PCA(n_components=n_components, svd_solver=solver).fit(digits_pixels)
    assert_same_pca(ours, theirs, digits_pixels)


@pytest.mark.parametrize("whiten", [False, True])
def test_same_as_sklearn_on_penguins_all_components(penguin_measurements, whiten):
    # All four components: none is degenerate, so every axis is defined up to sign only.
    ours = PCA(whiten=whiten).fit(penguin_measurements)
    theirs = sk_decomposition.PCA(whiten=whiten).fit(penguin_measurements)
    assert_same_pca(ours, theirs, penguin_measurements)
    Z = ours.transform(penguin_measurements)
    np.testing.assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-9)


def test_same_as_sklearn_when_wide(digits_pixels):
    # Fewer rows than columns: the SVD route, and only n_samples components exist.
    X = digits_pixels[:40]
    ours = PCA().fit(X)
    theirs = sk_decomposition.PCA(svd_solver="full").fit(X)
    assert ours.n_components_ == 40
    k = 30  # the last components of a rank-deficient X are arbitrary; compare the rest
    np.testing.assert_allclose(ours.components_[:k], theirs.components_[:k], atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_, theirs.explained_variance_, atol=1e-8)


def test_fit_transform_matches_sklearn(penguin_measurements):
    np.testing.assert_allclose(
        PCA(n_components=3).fit_transform(penguin_measurements),
        sk_decomposition.PCA(n_components=3).fit_transform(penguin_measurements),
        atol=1e-10,
    )


# --- 3. the mathematics ------------------------------------------------------------------------


def test_both_solvers_agree(digits_pixels):
    full = PCA(n_components=20, svd_solver="full").fit(digits_pixels)
    eigh = PCA(n_components=20, svd_solver="covariance_eigh").fit(digits_pixels)
    np.testing.assert_allclose(full.components_, eigh.components_, atol=1e-8)
    np.testing.assert_allclose(full.singular_values_, eigh.singular_values_, rtol=1e-9)


def test_components_are_orthonormal_and_sorted(digits_pixels):
    pca = PCA(n_components=15).fit(digits_pixels)
    np.testing.assert_allclose(pca.components_ @ pca.components_.T, np.eye(15), atol=1e-10)
    assert np.all(np.diff(pca.explained_variance_) <= 0)


def test_explained_variance_is_variance_of_projections(digits_pixels):
    pca = PCA(n_components=8).fit(digits_pixels)
    Z = pca.transform(digits_pixels)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), pca.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(
        pca.singular_values_**2 / (digits_pixels.shape[0] - 1), pca.explained_variance_, rtol=1e-12
    )
    total = digits_pixels.var(axis=0, ddof=1).sum()
    np.testing.assert_allclose(pca.explained_variance_ratio_, pca.explained_variance_ / total)


def test_first_component_is_eigenvector_of_covariance(penguin_measurements):
    pca = PCA(n_components=1).fit(penguin_measurements)
    C = np.cov(penguin_measurements, rowvar=False)
    v = pca.components_[0]
    np.testing.assert_allclose(C @ v, pca.explained_variance_[0] * v, atol=1e-10)


def test_all_components_reconstruct_exactly_and_fewer_minimise_error(penguin_measurements):
    full = PCA().fit(penguin_measurements)
    X = penguin_measurements
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X)
    # With k components the squared reconstruction error is the variance left out.
    pca = PCA(n_components=2).fit(penguin_measurements)
    residual = penguin_measurements - pca.inverse_transform(pca.transform(penguin_measurements))
    error = (residual**2).sum() / (penguin_measurements.shape[0] - 1)
    assert error == pytest.approx(full.explained_variance_[2:].sum(), rel=1e-9)


def test_whitened_projections_have_unit_variance(digits_pixels):
    pca = PCA(n_components=10, whiten=True).fit(digits_pixels)
    Z = pca.transform(digits_pixels)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(10), atol=1e-9)
    # Whitening is undone by inverse_transform: the same reconstruction as without it.
    plain = PCA(n_components=10).fit(digits_pixels)
    reconstruction = plain.inverse_transform(plain.transform(digits_pixels))
    np.testing.assert_allclose(pca.inverse_transform(Z), reconstruction, atol=1e-8)


def test_variance_fraction_picks_the_smallest_sufficient_k(digits_pixels):
    pca = PCA(n_components=0.9).fit(digits_pixels)
    all_ratios = PCA().fit(digits_pixels).explained_variance_ratio_
    k = pca.n_components_
    assert all_ratios[:k].sum() > 0.9 >= all_ratios[: k - 1].sum()


def test_flip_signs_makes_largest_entry_positive():
    Vt = np.array([[0.1, -0.9, 0.2], [0.6, 0.0, -0.3]])
    flipped, signs = flip_signs(Vt)
    np.testing.assert_array_equal(signs, [-1.0, 1.0])
    np.testing.assert_array_equal(flipped, [[-0.1, 0.9, -0.2], [0.6, 0.0, -0.3]])


def test_result_does_not_depend_on_input_sign(penguin_measurements):
    # Negating X negates every singular vector; the sign rule must undo that.
    a = PCA().fit(penguin_measurements)
    b = PCA().fit(-penguin_measurements)
    np.testing.assert_allclose(a.components_, b.components_, atol=1e-12)


def test_constant_data_gives_zero_ratios():
    pca = PCA().fit(np.ones((5, 3)))
    np.testing.assert_array_equal(pca.explained_variance_ratio_, 0.0)


# --- 4. bad input ------------------------------------------------------------------------------


def test_nan_is_rejected():
    X = np.ones((10, 3))
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        PCA().fit(X)


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        PCA().transform(np.ones((3, 2)))


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(n_components=20), "n_components must be at most min.n_samples, n_features.=5"),
        (dict(n_components=0), "PCA parameter n_components must be None or an int >= 1 or"),
        (dict(n_components=1.5), "or a float in \\(0, 1\\), got 1.5"),
        (dict(n_components="mle"), "or a float in \\(0, 1\\), got 'mle'"),
        (dict(svd_solver="arpack"), "PCA parameter svd_solver must be one of 'auto'"),
    ],
)
def test_bad_parameters_are_named(params, match):
    X = load_wine().data[:, :13]
    with pytest.raises(ValueError, match=match):
        PCA(**params).fit(X[:, :5])


def test_wrong_shapes_and_too_few_rows():
    X = load_wine().data
    pca = PCA(n_components=3).fit(X)
    with pytest.raises(ValueError, match="13 features"):
        pca.transform(X[:, :5])
    with pytest.raises(ValueError, match="n_components_=3"):
        pca.inverse_transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="minimum of 2"):
        PCA().fit(X[:1])
