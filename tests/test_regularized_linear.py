"""Tests of Ridge, Lasso, ElasticNet and their paths: scikit-learn's estimator checks,
agreement with scikit-learn's twins within a tolerance that follows from the duality gap,
the readable solver against the fast one, and clear errors on bad input."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.linear_model import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    coordinate_descent_simple,
    enet_path,
    lasso_path,
    ridge_path,
    soft_threshold,
)
from mlcourse.linear_model._coordinate_descent import duality_gap, enet_coordinate_descent


@parametrize_with_checks(
    [Ridge(), Ridge(solver="svd"), Lasso(alpha=0.1), ElasticNet(alpha=0.1, l1_ratio=0.3),
     LassoCV(alphas=5, cv=3), ElasticNetCV(l1_ratio=[0.3, 0.9], alphas=5, cv=3)]
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def correlated():
    """More features than informative ones, pairs of correlated columns, unscaled."""
    X, y = make_regression(n_samples=300, n_features=40, n_informative=8, noise=5.0,
                           random_state=1)
    X[:, 1] = X[:, 0] + 0.1 * np.random.default_rng(0).normal(size=300)
    return X * np.linspace(0.5, 3.0, 40), y


def _coef_tolerance(X, gap_sum, l2):
    """Distance to the optimum allowed by the duality gaps.

    The objective is (mu/2)-strongly convex with ``mu`` the smallest eigenvalue of
    ``X_c^T X_c / n`` plus the L2 weight, so ``gap >= P(w) - P(w*) >= mu/2 ||w - w*||^2``
    and two solutions are within ``sqrt(2 gap_1/mu) + sqrt(2 gap_2/mu)`` of each other.
    """
    Xc = X - X.mean(axis=0)
    mu = np.linalg.eigvalsh(Xc.T @ Xc / X.shape[0]).min() + l2
    return 2 * np.sqrt(2 * gap_sum / mu) + 1e-9


# --------------------------------------------------------------------------- against sklearn


@pytest.mark.parametrize("alpha", [0.01, 0.3, 3.0, 30.0])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
def test_enet_matches_sklearn_within_the_gap(diabetes, alpha, l1_ratio):
    X, y = diabetes
    kw = dict(alpha=alpha, l1_ratio=l1_ratio, tol=1e-8, max_iter=100_000)
    ours = ElasticNet(**kw).fit(X, y)
    theirs = sk.ElasticNet(**kw).fit(X, y)
    assert ours.dual_gap_ <= 1e-8 * ((y - y.mean()) ** 2).sum() / len(y)
    tol = _coef_tolerance(X, ours.dual_gap_ + theirs.dual_gap_, alpha * (1 - l1_ratio))
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=tol)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0,
                               atol=tol * np.abs(X.mean(axis=0)).sum() + 1e-9)
    # the same zeros, away from coefficients that are within the tolerance of 0
    big = np.abs(theirs.coef_) > tol
    assert np.all(ours.coef_[big] != 0)


def test_lasso_on_unscaled_correlated_data(correlated):
    X, y = correlated
    ours = Lasso(alpha=0.5, tol=1e-9, max_iter=100_000).fit(X, y)
    theirs = sk.Lasso(alpha=0.5, tol=1e-9, max_iter=100_000).fit(X, y)
    tol = _coef_tolerance(X, ours.dual_gap_ + theirs.dual_gap_, 0.0)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=tol)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=0,
                               atol=tol * np.abs(X).max() * X.shape[1] + 1e-9)


def test_default_tolerance_scores_like_sklearn(diabetes):
    X, y = diabetes
    for ours, theirs in [(Lasso(alpha=0.5), sk.Lasso(alpha=0.5)),
                         (ElasticNet(alpha=0.05), sk.ElasticNet(alpha=0.05))]:
        assert abs(ours.fit(X, y).score(X, y) - theirs.fit(X, y).score(X, y)) < 1e-4


def test_sparse_input_matches_dense():
    rng = np.random.default_rng(3)
    X = sp.random(400, 60, density=0.08, random_state=3, format="csr")
    y = X @ rng.normal(size=60) * 3 + rng.normal(size=400)
    dense = Lasso(alpha=0.01, tol=1e-10, max_iter=10_000).fit(X.toarray(), y)
    sparse = Lasso(alpha=0.01, tol=1e-10, max_iter=10_000).fit(X, y)
    theirs = sk.Lasso(alpha=0.01, tol=1e-10, max_iter=10_000).fit(X, y)
    tol = _coef_tolerance(X.toarray(), dense.dual_gap_ + sparse.dual_gap_, 0.0)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=0, atol=tol)
    np.testing.assert_allclose(sparse.coef_, theirs.coef_, rtol=0, atol=tol)
    np.testing.assert_allclose(sparse.predict(X), theirs.predict(X), rtol=0, atol=1e-4)


def test_multi_target_is_one_fit_per_target(diabetes):
    X, y = diabetes
    Y = np.column_stack([y, -2 * y + 5])
    for model in (Lasso(alpha=0.3, tol=1e-10, max_iter=100_000),
                  ElasticNet(alpha=0.1, tol=1e-10), Ridge(2.0)):
        both = model.fit(X, Y)
        coef, intercept = both.coef_.copy(), both.intercept_.copy()
        assert coef.shape == (2, X.shape[1]) and both.predict(X).shape == Y.shape
        for k in range(2):
            one = type(model)(**model.get_params()).fit(X, Y[:, k])
            np.testing.assert_allclose(coef[k], one.coef_, rtol=1e-7, atol=1e-6)
            np.testing.assert_allclose(intercept[k], one.intercept_, rtol=1e-7, atol=1e-6)


@pytest.mark.parametrize("alpha", [0.0, 1e-3, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_matches_sklearn(correlated, alpha, fit_intercept):
    X, y = correlated
    ours = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    theirs = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)
    # a direct solve: error ~ condition number x machine epsilon
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-8)


def test_ridge_wide_data_uses_the_dual_and_agrees():
    X, y = make_regression(n_samples=30, n_features=200, random_state=0)
    for solver in ("auto", "svd"):
        ours = Ridge(alpha=2.0, solver=solver).fit(X, y)
        theirs = sk.Ridge(alpha=2.0).fit(X, y)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8, atol=1e-10)


def test_ridge_sample_weight_and_per_target_alpha(diabetes):
    X, y = diabetes
    w = np.random.default_rng(0).uniform(0.1, 3, size=len(y))
    np.testing.assert_allclose(Ridge(1.5).fit(X, y, sample_weight=w).coef_,
                               sk.Ridge(1.5).fit(X, y, sample_weight=w).coef_, rtol=1e-8)
    Y = np.column_stack([y, y])
    coef = Ridge(alpha=np.array([0.1, 100.0])).fit(X, Y).coef_
    np.testing.assert_allclose(coef[1], Ridge(100.0).fit(X, y).coef_, rtol=1e-10)
    assert not np.allclose(coef[0], coef[1])


def test_ridge_path_equals_one_fit_per_alpha(correlated):
    X, y = correlated
    alphas = [0.1, 10.0, 1000.0]
    coefs = ridge_path(X, y, alphas)
    assert coefs.shape == (X.shape[1], 3)
    for k, alpha in enumerate(alphas):
        np.testing.assert_allclose(coefs[:, k], Ridge(alpha).fit(X, y).coef_, rtol=1e-7,
                                   atol=1e-9)


# --------------------------------------------------------------------------- paths


def test_lasso_path_matches_sklearn(diabetes):
    X, y = diabetes
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    a1, c1, g1 = lasso_path(Xc, yc, alphas=15, tol=1e-10, max_iter=100_000)
    a2, c2, g2 = sk.lasso_path(Xc, yc, alphas=15, tol=1e-10, max_iter=100_000)
    np.testing.assert_allclose(a1, a2, rtol=1e-12)
    assert c1.shape == c2.shape == (X.shape[1], 15) and g1.shape == (15,)
    for k in range(15):
        tol = _coef_tolerance(X, g1[k] + g2[k], 0.0)
        np.testing.assert_allclose(c1[:, k], c2[:, k], rtol=0, atol=tol)
    assert np.all(c1[:, 0] == 0), "alpha_max sets every weight to 0"
    assert np.count_nonzero(c1[:, -1]) > np.count_nonzero(c1[:, 5])


def test_enet_path_given_alphas_and_n_iter(diabetes):
    X, y = diabetes
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, coefs, gaps, n_iters = enet_path(Xc, yc, l1_ratio=0.5, alphas=[0.01, 1.0, 0.1],
                                             return_n_iter=True, tol=1e-10)
    np.testing.assert_array_equal(alphas, [1.0, 0.1, 0.01])
    assert len(n_iters) == 3
    for k, alpha in enumerate(alphas):
        model = ElasticNet(alpha=alpha, l1_ratio=0.5, fit_intercept=False, tol=1e-10)
        np.testing.assert_allclose(coefs[:, k], model.fit(Xc, yc).coef_, rtol=0, atol=1e-5)
    with pytest.raises(ValueError, match="one target"):
        enet_path(Xc, np.column_stack([yc, yc]))


# --------------------------------------------------------------------------- the algorithm


def test_soft_threshold():
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_array_equal(soft_threshold(z, 1.0), [-2, 0, 0, 0, 0, 0, 2])
    # it minimises 1/2 (w - z)^2 + t |w|: check against a fine grid
    grid = np.linspace(-5, 5, 200_001)
    for zi in z:
        best = grid[np.argmin(0.5 * (grid - zi) ** 2 + 1.0 * np.abs(grid))]
        assert abs(soft_threshold(zi, 1.0) - best) < 1e-4


def test_readable_solver_agrees_with_fast_one(correlated):
    X, y = correlated
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    for alpha, l1_ratio in [(0.5, 1.0), (0.2, 0.5)]:
        w_simple, _ = coordinate_descent_simple(Xc, yc, alpha, l1_ratio, tol=1e-12,
                                                max_iter=100_000)
        w_fast, gap, _ = enet_coordinate_descent(Xc, yc, n * alpha * l1_ratio,
                                                 n * alpha * (1 - l1_ratio), np.zeros(40),
                                                 100_000, 1e-12)
        gap_simple, _ = duality_gap(Xc, yc, w_simple, n * alpha * l1_ratio,
                                    n * alpha * (1 - l1_ratio))
        tol = _coef_tolerance(X, (gap + gap_simple) / n, alpha * (1 - l1_ratio))
        np.testing.assert_allclose(w_simple, w_fast, rtol=0, atol=tol)


def test_duality_gap_is_zero_at_the_optimum_and_positive_elsewhere(diabetes):
    X, y = diabetes
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    w, gap, _ = enet_coordinate_descent(Xc, yc, n * 0.5, 0.0, np.zeros(10), 10_000, 1e-14)
    assert gap <= 1e-14 * (yc @ yc)
    assert duality_gap(Xc, yc, w * 0.9, n * 0.5, 0.0)[0] > 1e3 * max(gap, 1e-8)


def test_alpha_max_zeros_everything_and_warm_start(diabetes):
    X, y = diabetes
    alpha_max = np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max() / len(y)
    assert np.all(Lasso(alpha=alpha_max * 1.0001).fit(X, y).coef_ == 0)
    assert np.any(Lasso(alpha=alpha_max * 0.99).fit(X, y).coef_ != 0)
    model = Lasso(alpha=0.1, warm_start=True, tol=1e-8).fit(X, y)
    cold_iters = model.n_iter_
    model.set_params(alpha=0.1001).fit(X, y)
    assert model.n_iter_ < cold_iters


def test_convergence_warning_and_bad_parameters(correlated):
    X, y = correlated
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        Lasso(alpha=1e-4, max_iter=2, tol=1e-12).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNet(l1_ratio=1.5).fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        Lasso(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        Lasso().fit(np.where(X > 2, np.nan, X), y)


def test_ridge_sparse_matches_dense_both_shapes():
    rng = np.random.default_rng(5)
    for n, d in [(300, 40), (40, 300)]:
        X = sp.random(n, d, density=0.1, random_state=5, format="csr")
        y = X @ rng.normal(size=d) + 3 + rng.normal(size=n)
        w = rng.uniform(0.5, 2, size=n)
        for kw in [{}, {"sample_weight": w}]:
            dense = Ridge(alpha=0.7).fit(X.toarray(), y, **kw)
            sparse = Ridge(alpha=0.7).fit(X, y, **kw)
            np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-7, atol=1e-9)
            np.testing.assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-7)
            np.testing.assert_allclose(sparse.predict(X), dense.predict(X.toarray()), rtol=1e-7,
                                       atol=1e-9)
        theirs = sk.Ridge(alpha=0.7, solver="sparse_cg", tol=1e-12).fit(X, y)  # iterative
        np.testing.assert_allclose(Ridge(alpha=0.7).fit(X, y).coef_, theirs.coef_, rtol=1e-6,
                                   atol=1e-8)



def test_elastic_net_without_l1_says_use_ridge(diabetes):
    X, y = diabetes
    with pytest.warns(UserWarning, match="use Ridge"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            ElasticNet(alpha=0.05, l1_ratio=0.0, max_iter=50).fit(X, y)



def test_cv_estimators_match_sklearn_on_the_same_folds(diabetes):
    X, y = load_diabetes(return_X_y=True)  # unscaled: the grid follows the raw columns
    kw = dict(alphas=25, tol=1e-8, max_iter=100_000)
    ours = LassoCV(**kw).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = sk.LassoCV(**kw).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (25, 5)
    # each fold's fit is within the duality-gap tolerance, so its MSE is within a
    # relative 1e-5 or so of the exact one (the gap bounds the objective's excess)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-4)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)  # the same grid point
    ours = ElasticNetCV(l1_ratio=[0.2, 0.7], alphas=15, tol=1e-8).fit(X, y)
    theirs = sk.ElasticNetCV(l1_ratio=[0.2, 0.7], alphas=15, tol=1e-8).fit(X, y)
    assert ours.mse_path_.shape == (2, 15, 5) and ours.alphas_.shape == (2, 15)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-4)
    assert (ours.alpha_, ours.l1_ratio_) == pytest.approx((theirs.alpha_, theirs.l1_ratio_))
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-4)
