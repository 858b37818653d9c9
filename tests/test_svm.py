"""Tests of mlcourse.svm: kernels, LinearSVC (L-BFGS, Pegasos) and SVC (SMO)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.svm as sk_svm
from scipy.optimize import approx_fprime
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import pairwise as sk_pairwise
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.svm import (
    SVC,
    LinearSVC,
    linear_kernel,
    polynomial_kernel,
    primal_objective,
    rbf_kernel,
)
from mlcourse.svm._linear import _objective, _smoothed_hinge, _squared_hinge
from mlcourse.svm._smo import KernelRows, smo


# ----------------------------------------------------------------------------- data
def _split(X, y, seed=0):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.fixture(scope="module")
def cancer():
    return _split(*load_breast_cancer(return_X_y=True))


@pytest.fixture(scope="module")
def wine():
    return _split(*load_wine(return_X_y=True))


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=0.25, random_state=0, stratify=y
    )
    return X_train[:600], X_test, y_train[:600], y_test


def _pm1(y, positive):
    return np.where(y == positive, 1.0, -1.0)


# ------------------------------------------------------------- scikit-learn's checks
@parametrize_with_checks(
    [
        LinearSVC(),
        LinearSVC(loss="hinge"),
        LinearSVC(loss="hinge", solver="pegasos", random_state=0),
        SVC(),
        # Some checks fit unscaled data (features around 100) where a cubic kernel reaches
        # 1e12 and SMO needs millions of steps (LIBSVM too); a step budget keeps them quick.
        SVC(kernel="poly", degree=2, coef0=1.0, max_iter=5000),
        SVC(kernel="linear"),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        # a few checks fit on tiny or unscaled data on purpose; the fit is still checked
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# ------------------------------------------------------------------------- kernels
@pytest.mark.parametrize("gamma", [None, 0.05, 2.0])
def test_rbf_kernel_matches_sklearn(gamma):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 5)), rng.normal(size=(30, 5))
    np.testing.assert_allclose(
        rbf_kernel(X, Y, gamma=gamma), sk_pairwise.rbf_kernel(X, Y, gamma=gamma), atol=1e-12
    )
    np.testing.assert_allclose(rbf_kernel(X, gamma=gamma), sk_pairwise.rbf_kernel(X, gamma=gamma))


@pytest.mark.parametrize(
    ("degree", "gamma", "coef0"), [(3, None, 1.0), (2, 0.5, 0.0), (4, 0.1, 2.0)]
)
def test_polynomial_kernel_matches_sklearn(degree, gamma, coef0):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(25, 4)), rng.normal(size=(35, 4))
    ours = polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0)
    theirs = sk_pairwise.polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_linear_kernel_matches_sklearn():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(20, 6)), rng.normal(size=(15, 6))
    np.testing.assert_allclose(linear_kernel(X, Y), sk_pairwise.linear_kernel(X, Y))
    np.testing.assert_allclose(linear_kernel(X), X @ X.T)


def test_rbf_kernel_is_a_gram_matrix():
    """Symmetric, ones on the diagonal, positive semi-definite, and equal to the definition."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 3))
    K = rbf_kernel(X, gamma=0.7)
    np.testing.assert_allclose(K, K.T, atol=1e-14)
    np.testing.assert_allclose(np.diag(K), 1.0)
    assert np.linalg.eigvalsh(K).min() > -1e-10
    i, j = 4, 17
    assert K[i, j] == pytest.approx(np.exp(-0.7 * np.sum((X[i] - X[j]) ** 2)))


def test_kernel_rejects_mismatched_widths():
    with pytest.raises(ValueError, match="same number of features"):
        rbf_kernel(np.ones((3, 2)), np.ones((3, 4)))


# --------------------------------------------------------------- LinearSVC maths
@pytest.mark.parametrize(
    "loss", [_squared_hinge, lambda M: _smoothed_hinge(M, mu=0.3)], ids=["sq", "smooth"]
)
@pytest.mark.parametrize("K", [1, 3])
def test_objective_gradient_matches_finite_differences(loss, K):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 4))
    Y = np.where(rng.random((60, K)) < 0.5, 1.0, -1.0)
    theta = rng.normal(scale=0.5, size=4 * K + K)
    f, grad = _objective(theta, X, Y, 1.0, 0.05, loss)
    numeric = approx_fprime(theta, lambda t: _objective(t, X, Y, 1.0, 0.05, loss)[0], 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)


def test_smoothed_hinge_is_close_to_hinge():
    m = np.linspace(-3, 3, 601)
    hinge = np.maximum(0.0, 1.0 - m)
    for mu in (1.0, 0.1, 0.01):
        values, slopes = _smoothed_hinge(m, mu)
        assert np.all(values <= hinge + 1e-12)
        assert np.all(hinge - values <= mu / 2 + 1e-12)
        # slope is -1 well inside the margin violation and 0 beyond the margin
        assert np.all(slopes[m < 1 - mu] == -1.0) and np.all(slopes[m >= 1] == 0.0)


def test_primal_objective_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    y = np.array([1.0, -1.0, 1.0])
    w, b = np.array([0.5, -0.5]), 0.2
    margins = y * (X @ w + b)  # 0.7, 0.8, 0.2
    expected = 0.5 * (0.5 + 0.04) + 2.0 * np.sum(np.maximum(0, 1 - margins) ** 2)
    assert primal_objective(w, b, X, y, C=2.0) == pytest.approx(expected)
    expected_hinge = 0.5 * (0.5 + 0.04) + 2.0 * np.sum(np.maximum(0, 1 - margins))
    assert primal_objective(w, b, X, y, C=2.0, loss="hinge") == pytest.approx(expected_hinge)


# ----------------------------------------------------- LinearSVC vs scikit-learn
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_linear_svc_squared_hinge_matches_liblinear(cancer, C, fit_intercept):
    """Same objective (intercept regularised as in liblinear), same weights, same predictions."""
    X_train, X_test, y_train, y_test = cancer
    ours = LinearSVC(C=C, fit_intercept=fit_intercept).fit(X_train, y_train)
    theirs = sk_svm.LinearSVC(
        C=C, fit_intercept=fit_intercept, dual=False, tol=1e-10, max_iter=100_000
    ).fit(X_train, y_train)
    y_pm = _pm1(y_train, 1)

    def J(m):
        return primal_objective(m.coef_[0], np.ravel(m.intercept_)[0], X_train, y_pm, C)

    assert J(ours) == pytest.approx(J(theirs), rel=1e-6)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3 * np.abs(theirs.coef_).max())
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


def test_linear_svc_hinge_matches_liblinear(cancer):
    X_train, X_test, y_train, y_test = cancer
    ours = LinearSVC(loss="hinge").fit(X_train, y_train)
    theirs = sk_svm.LinearSVC(loss="hinge", tol=1e-8, max_iter=200_000).fit(X_train, y_train)
    y_pm = _pm1(y_train, 1)
    J_ours = primal_objective(ours.coef_[0], ours.intercept_[0], X_train, y_pm, 1.0, "hinge")
    J_theirs = primal_objective(theirs.coef_[0], theirs.intercept_[0], X_train, y_pm, 1.0, "hinge")
    # the smoothing ends at a width of 1e-6, which bounds the gap by C n 1e-6 / 2 (2e-4 here,
    # 1.5e-5 relative); it must hold whichever BLAS kernels the machine picks
    assert J_ours == pytest.approx(J_theirs, rel=1.5e-5)
    assert np.mean(ours.predict(X_test) == theirs.predict(X_test)) >= 0.99


def test_pegasos_reaches_liblinear_accuracy(cancer):
    """Pegasos is a stochastic method: within 5 % of the optimum and 0.03 of the accuracy."""
    X_train, X_test, y_train, y_test = cancer
    ours = LinearSVC(loss="hinge", solver="pegasos", random_state=0).fit(X_train, y_train)
    theirs = sk_svm.LinearSVC(loss="hinge", tol=1e-8, max_iter=200_000).fit(X_train, y_train)
    assert ours.score(X_test, y_test) >= theirs.score(X_test, y_test) - 0.03
    y_pm = _pm1(y_train, 1)
    J_ours = primal_objective(ours.coef_[0], ours.intercept_[0], X_train, y_pm, 1.0, "hinge")
    J_theirs = primal_objective(theirs.coef_[0], theirs.intercept_[0], X_train, y_pm, 1.0, "hinge")
    assert J_theirs <= J_ours < 1.1 * J_theirs


def test_pegasos_is_reproducible_and_seed_dependent(cancer):
    X_train, _, y_train, _ = cancer
    a = LinearSVC(loss="hinge", solver="pegasos", random_state=1, max_iter=5).fit(X_train, y_train)
    b = LinearSVC(loss="hinge", solver="pegasos", random_state=1, max_iter=5).fit(X_train, y_train)
    c = LinearSVC(loss="hinge", solver="pegasos", random_state=2, max_iter=5).fit(X_train, y_train)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert not np.allclose(a.coef_, c.coef_)


@pytest.mark.parametrize(
    "params",
    [{}, {"loss": "hinge"}, {"loss": "hinge", "solver": "pegasos", "random_state": 0}],
    ids=["lbfgs-sq", "lbfgs-hinge", "pegasos"],
)
def test_linear_svc_multiclass_matches_liblinear(wine, digits, params):
    """One-vs-rest: accuracy within 0.03 of scikit-learn on wine and digits."""
    for X_train, X_test, y_train, y_test in (wine, digits):
        ours = LinearSVC(**params).fit(X_train, y_train)
        sk_params = {"loss": params.get("loss", "squared_hinge")}
        theirs = sk_svm.LinearSVC(**sk_params, max_iter=50_000).fit(X_train, y_train)
        assert ours.coef_.shape == theirs.coef_.shape
        assert ours.decision_function(X_test).shape == (len(X_test), len(ours.classes_))
        assert ours.score(X_test, y_test) >= theirs.score(X_test, y_test) - 0.03


def test_linear_svc_one_vs_rest_is_independent_binary_problems(wine):
    X_train, _, y_train, _ = wine
    multi = LinearSVC(tol=1e-8).fit(X_train, y_train)
    for k, label in enumerate(multi.classes_):
        binary = LinearSVC(tol=1e-8).fit(X_train, y_train == label)
        np.testing.assert_allclose(multi.coef_[k], binary.coef_[0], atol=1e-5)
        np.testing.assert_allclose(multi.intercept_[k], binary.intercept_[0], atol=1e-5)


def test_linear_svc_string_labels_and_decision_sign(cancer):
    X_train, X_test, y_train, _ = cancer
    names = np.array(["malignant", "benign"])[y_train]
    model = LinearSVC().fit(X_train, names)
    np.testing.assert_array_equal(model.classes_, ["benign", "malignant"])
    scores = model.decision_function(X_test)
    np.testing.assert_array_equal(model.predict(X_test), model.classes_[(scores > 0).astype(int)])


# ------------------------------------------------------------------------- SMO maths
def _dual_objective(K, y, alpha):
    v = alpha * y
    return 0.5 * v @ K @ v - alpha.sum()


def test_smo_solution_satisfies_kkt():
    X, y01 = make_moons(200, noise=0.2, random_state=0)
    y = np.where(y01 == 1, 1.0, -1.0)
    K = sk_pairwise.rbf_kernel(X, gamma=2.0)
    C, tol = 1.0, 1e-5
    alpha, b, n_iter, converged = smo(KernelRows(X, None, 0, K=K), np.ones(200), y, C, tol)
    assert converged and n_iter > 0
    assert np.all((alpha >= 0) & (alpha <= C))
    assert abs(alpha @ y) < 1e-10  # the equality constraint holds exactly along SMO's path
    yf = y * (K @ (alpha * y) + b)
    free = (alpha > 1e-8) & (alpha < C - 1e-8)
    assert free.any()
    np.testing.assert_allclose(yf[free], 1.0, atol=10 * tol)  # on the margin
    assert np.all(yf[alpha == 0] >= 1 - 10 * tol)  # outside the margin
    assert np.all(yf[alpha == C] <= 1 + 10 * tol)  # inside or misclassified


def test_smo_reaches_libsvm_dual_optimum(cancer):
    X_train, _, y_train, _ = cancer
    ours = SVC(tol=1e-6).fit(X_train, y_train)
    theirs = sk_svm.SVC(tol=1e-6).fit(X_train, y_train)
    K = sk_pairwise.rbf_kernel(X_train, gamma=ours._gamma)
    y_pm = _pm1(y_train, 1)

    def alpha_of(m):
        a = np.zeros(len(X_train))
        a[m.support_] = np.abs(m.dual_coef_[0])
        return a

    assert _dual_objective(K, y_pm, alpha_of(ours)) == pytest.approx(
        _dual_objective(K, y_pm, alpha_of(theirs)), rel=1e-8
    )


def test_kernel_rows_on_demand_equal_full_matrix(cancer):
    """A tiny cache forces rows to be computed one by one: same model as the full matrix."""
    X_train, X_test, y_train, _ = cancer
    full = SVC().fit(X_train, y_train)
    small = SVC(cache_size=0.5).fit(X_train, y_train)  # 0.5 MB < 455^2 * 8 bytes
    np.testing.assert_array_equal(full.support_, small.support_)
    np.testing.assert_allclose(full.dual_coef_, small.dual_coef_, atol=1e-12)
    np.testing.assert_allclose(full.decision_function(X_test), small.decision_function(X_test))


def test_kernel_rows_cache_evicts_least_recently_used():
    X = np.arange(12.0).reshape(6, 2)
    rows = KernelRows(X, lambda A, B: A @ B.T, cache_bytes=8 * 6 * 2)  # room for 2 rows
    assert rows.K is None and rows.max_rows == 2
    rows.row(0), rows.row(1), rows.row(0), rows.row(2)
    assert list(rows.cache) == [0, 2]
    np.testing.assert_allclose(rows.row(2), X[2] @ X.T)


# ------------------------------------------------------------- SVC vs scikit-learn
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"C": 10.0, "gamma": 0.01},
        {"kernel": "poly", "degree": 2, "coef0": 1.0},
        {"kernel": "linear", "C": 0.1},
    ],
    ids=["rbf", "rbf-C10", "poly", "linear"],
)
def test_svc_matches_libsvm_binary(cancer, params):
    X_train, X_test, y_train, y_test = cancer
    ours = SVC(**params).fit(X_train, y_train)
    theirs = sk_svm.SVC(**params).fit(X_train, y_train)
    assert np.mean(ours.predict(X_test) == theirs.predict(X_test)) >= 0.99
    np.testing.assert_allclose(
        ours.decision_function(X_test), theirs.decision_function(X_test), atol=2e-2
    )
    # tight tolerance: the same solution
    ours = SVC(**params, tol=1e-7).fit(X_train, y_train)
    theirs = sk_svm.SVC(**params, tol=1e-7).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_allclose(
        ours.decision_function(X_test), theirs.decision_function(X_test), atol=1e-4
    )


@pytest.mark.parametrize("shape", ["ovr", "ovo"])
def test_svc_matches_libsvm_multiclass(digits, shape):
    X_train, X_test, y_train, y_test = digits
    ours = SVC(tol=1e-6, decision_function_shape=shape).fit(X_train, y_train)
    theirs = sk_svm.SVC(tol=1e-6, decision_function_shape=shape).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_allclose(
        ours.decision_function(X_test), theirs.decision_function(X_test), atol=1e-4
    )
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
    n_pairs = 10 * 9 // 2
    assert ours.n_iter_.shape == (n_pairs,) and ours.intercept_.shape == (n_pairs,)


def test_svc_default_tolerance_agrees_with_libsvm_on_iris():
    X, y = load_iris(return_X_y=True)
    ours, theirs = SVC().fit(X, y), sk_svm.SVC().fit(X, y)
    assert ours._gamma == pytest.approx(theirs._gamma)
    assert np.mean(ours.predict(X) == theirs.predict(X)) >= 0.99
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=2e-2)


def test_svc_support_vectors_are_the_points_with_nonzero_alpha(cancer):
    X_train, _, y_train, _ = cancer
    model = SVC(C=0.5).fit(X_train, y_train)
    np.testing.assert_array_equal(model.support_vectors_, X_train[model.support_])
    assert np.all(model.dual_coef_ != 0) and np.all(np.abs(model.dual_coef_) <= 0.5 + 1e-12)
    # sign of dual_coef_ is the label (+1 = classes_[1]) and the coefficients balance
    np.testing.assert_array_equal(
        np.sign(model.dual_coef_[0]), _pm1(y_train[model.support_], model.classes_[1])
    )
    assert abs(model.dual_coef_.sum()) < 1e-10


def test_svc_in_a_pipeline(cancer):
    X_train, _, y_train, _ = cancer
    scores = cross_val_score(make_pipeline(StandardScaler(), SVC()), X_train, y_train, cv=3)
    assert scores.mean() > 0.95


# ----------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "model", [LinearSVC(), SVC(), LinearSVC(loss="hinge", solver="pegasos")], ids=str
)
def test_bad_input_gives_clear_errors(model):
    X = np.random.default_rng(0).normal(size=(20, 3))
    y = np.arange(20) % 2
    with pytest.raises(NotFittedError):
        model.predict(X)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.fit(X_nan, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.fit(X, y[:-1])
    with pytest.raises(ValueError, match="0 sample"):
        model.fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="at least 2 classes"):
        model.fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="Unknown label type"):
        model.fit(X, np.linspace(0, 1, 20))
    model.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (LinearSVC(C=0), "LinearSVC parameter C must be a number > 0, got 0"),
        (LinearSVC(loss="log"), "loss must be 'hinge' or 'squared_hinge', got 'log'"),
        (LinearSVC(solver="sgd"), "solver must be 'lbfgs' or 'pegasos'"),
        (LinearSVC(solver="pegasos"), "loss='hinge'"),
        (LinearSVC(batch_size=0), "batch_size"),
        (SVC(C=-1.0), "SVC parameter C must be a number > 0, got -1.0"),
        (SVC(kernel="sigmoid"), "kernel must be one of 'rbf', 'poly', 'linear'"),
        (SVC(gamma="big"), "gamma must be 'scale' or 'auto' or a number > 0"),
        (SVC(gamma=0.0), "gamma must be"),
        (SVC(decision_function_shape="ovx"), "decision_function_shape"),
    ],
    ids=str,
)
def test_bad_parameters_are_named(model, message):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)


def test_convergence_warnings(cancer):
    X_train, _, y_train, _ = cancer
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        SVC(max_iter=3).fit(X_train, y_train)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        LinearSVC(max_iter=2).fit(X_train, y_train)
