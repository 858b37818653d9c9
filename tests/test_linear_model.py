"""Tests of mlcourse.linear_model: scikit-learn's estimator checks, agreement with
scikit-learn's twins on real data, the mathematics (gradients vs finite differences,
numerical stability) and clear errors on bad input."""

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn import linear_model as sk
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    load_wine,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.linear_model import LinearRegression, LogisticRegression, SGDRegressor
from mlcourse.linear_model._base import gd_epoch, mse_loss_grad
from mlcourse.linear_model._logistic import (
    binary_loss_grad,
    log_sum_exp,
    multinomial_loss_grad,
    softmax,
)
from mlcourse.linear_model._stochastic_gradient import learning_rates

# --------------------------------------------------------------------------- estimator checks

_NO_ITERATIONS = {
    "check_non_transformer_estimators_n_iter": (
        "max_iter only drives solver='gd'; a closed-form solve has no iterations, "
        "so there is no n_iter_ to report"
    )
}


_DIVERGES = (
    "the check fits unscaled features around 100, where gradient descent at the default "
    "learning_rate diverges; fit then raises a ValueError that says so instead of returning "
    "inf (a smaller step fails check_regressors_train instead)"
)
_UNSCALED_CHECKS = {name: _DIVERGES for name in
                    ("check_fit_idempotent", "check_fit_check_is_fitted", "check_n_features_in")}


def _expected_failures(estimator):
    if isinstance(estimator, LinearRegression):
        return _NO_ITERATIONS if estimator.solver != "gd" else _UNSCALED_CHECKS
    return {}


@parametrize_with_checks(
    [
        LinearRegression(),
        LinearRegression(solver="normal"),
        LinearRegression(solver="gd", batch_size=16, max_iter=200, random_state=0),
        SGDRegressor(random_state=0),
        LogisticRegression(),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        # the checks fit on tiny unscaled data where iterative solvers may not converge
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# --------------------------------------------------------------------------- data


def _scaled(X):
    return StandardScaler().fit_transform(X)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


@pytest.fixture(scope="module")
def regression_scaled():
    X, y = make_regression(n_samples=2000, n_features=10, noise=5.0, random_state=0)
    return _scaled(X), y


# --------------------------------------------------------------------------- LinearRegression


@pytest.mark.parametrize("solver", ["lstsq", "normal"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_closed_forms_match_sklearn(diabetes, solver, fit_intercept):
    X, y = diabetes
    ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
    theirs = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)


def test_lstsq_handles_collinear_columns_like_sklearn(diabetes):
    X, y = diabetes
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # an exactly collinear column
    ours = LinearRegression().fit(X, y)
    theirs = sk.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-6)


def test_normal_equation_falls_back_when_singular(diabetes):
    X, y = diabetes
    X = np.column_stack([X, 2.0 * X[:, 3]])
    with pytest.warns(Warning, match="singular"):
        ours = LinearRegression(solver="normal").fit(X, y)
    theirs = sk.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-6)


def test_batch_gd_converges_to_the_least_squares_solution(regression_scaled):
    X, y = regression_scaled
    gd = LinearRegression(solver="gd", learning_rate=0.1, max_iter=2000, tol=1e-12).fit(X, y)
    exact = sk.LinearRegression().fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, rtol=1e-4, atol=1e-4)
    assert gd.intercept_ == pytest.approx(exact.intercept_, abs=1e-3)
    assert gd.n_iter_ == len(gd.loss_curve_) < 2000
    # batch gradient descent with a small enough step never increases the loss
    assert np.all(np.diff(gd.loss_curve_) <= 1e-9)


@pytest.mark.parametrize("batch_size", [1, 32])
def test_stochastic_and_minibatch_gd_reach_sklearn_r2(diabetes, batch_size):
    X, y = diabetes
    X = _scaled(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a constant step keeps jittering
        gd = LinearRegression(
            solver="gd", learning_rate=0.002, batch_size=batch_size, max_iter=60, random_state=0
        ).fit(X, y)
    r2_exact = sk.LinearRegression().fit(X, y).score(X, y)
    assert gd.score(X, y) == pytest.approx(r2_exact, abs=0.01)


def test_gd_is_reproducible_with_a_seed(diabetes):
    X, y = _scaled(diabetes[0]), diabetes[1]
    kw = dict(solver="gd", batch_size=8, max_iter=5, tol=0.0, random_state=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = LinearRegression(**kw).fit(X, y).coef_
        b = LinearRegression(**kw).fit(X, y).coef_
        c = LinearRegression(**{**kw, "random_state": 4}).fit(X, y).coef_
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_too_large_learning_rate_diverges_with_a_clear_error(diabetes):
    X, y = _scaled(diabetes[0]), diabetes[1]
    with pytest.raises(ValueError, match="diverged at epoch .*lower learning_rate"):
        LinearRegression(solver="gd", learning_rate=2.0, max_iter=5000).fit(X, y)


def test_mse_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    X, y, w, b = rng.normal(size=(30, 4)), rng.normal(size=30), rng.normal(size=4), 0.7
    _, grad_w, grad_b = mse_loss_grad(X, y, w, b)
    eps = 1e-6
    def loss(w, b):
        return mse_loss_grad(X, y, w, b)[0]

    numeric = [(loss(w + eps * e, b) - loss(w - eps * e, b)) / (2 * eps) for e in np.eye(4)]
    np.testing.assert_allclose(grad_w, numeric, rtol=1e-6)
    numeric_b = (loss(w, b + eps) - loss(w, b - eps)) / (2 * eps)
    assert grad_b == pytest.approx(numeric_b, rel=1e-6)


def test_one_batch_epoch_is_one_gradient_step():
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(20, 3)), rng.normal(size=20), rng.normal(size=3)
    _, grad_w, grad_b = mse_loss_grad(X, y, w, 0.5)
    w_new, b_new = gd_epoch(X, y, w, 0.5, 0.1, 20, np.random.default_rng(0))
    np.testing.assert_allclose(w_new, w - 0.1 * grad_w)
    assert b_new == pytest.approx(0.5 - 0.1 * grad_b)
    # a mini-batch epoch takes ceil(n / batch_size) steps, each on a different batch
    w_mb, _ = gd_epoch(X, y, w, 0.5, 0.1, 7, np.random.default_rng(0))
    assert not np.allclose(w_mb, w_new)


# --------------------------------------------------------------------------- SGDRegressor


@pytest.mark.parametrize(
    "params",
    [
        dict(),
        dict(learning_rate="constant", eta0=0.001),
        dict(alpha=0.1),
        dict(fit_intercept=False),
    ],
)
def test_sgd_regressor_matches_sklearn_r2(diabetes, params):
    X, y = _scaled(diabetes[0]), diabetes[1]
    if not params.get("fit_intercept", True):
        y = y - y.mean()  # a model through the origin needs a centred target
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = SGDRegressor(random_state=0, **params).fit(X, y)
        theirs = sk.SGDRegressor(random_state=0, **params).fit(X, y)
    # same algorithm, different shuffles: R^2 within 0.01
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), abs=0.01)
    assert 1 <= ours.n_iter_ == len(ours.loss_curve_) <= 1000


@pytest.mark.parametrize(
    "params",
    [
        dict(),
        dict(alpha=0.1),
        dict(learning_rate="constant", eta0=0.003),
        dict(fit_intercept=False),
    ],
)
def test_sgd_regressor_without_shuffling_equals_sklearn(diabetes, params):
    # Same rows in the same order, same schedule, same update: the same weights, step for step.
    X, y = _scaled(diabetes[0]), diabetes[1]
    kw = dict(shuffle=False, max_iter=20, tol=None, **params)
    ours = SGDRegressor(**kw).fit(X, y)
    theirs = sk.SGDRegressor(**kw).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10, atol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_ == 20 and ours.t_ == theirs.t_
    # and online learning, chunk by chunk
    ours, theirs = SGDRegressor(**kw), sk.SGDRegressor(**kw)
    for rows in np.array_split(np.arange(len(y)), 3):
        ours.partial_fit(X[rows], y[rows])
        theirs.partial_fit(X[rows], y[rows])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10, atol=1e-10)


def test_sgd_regressor_penalty_shrinks_weights(diabetes):
    X, y = _scaled(diabetes[0]), diabetes[1]
    weak = SGDRegressor(alpha=0.0, random_state=0).fit(X, y)
    strong = SGDRegressor(alpha=1.0, random_state=0).fit(X, y)
    assert np.linalg.norm(strong.coef_) < 0.6 * np.linalg.norm(weak.coef_)


def test_sgd_regressor_partial_fit_learns_online(diabetes):
    X, y = _scaled(diabetes[0]), diabetes[1]
    model = SGDRegressor(random_state=0)
    scores = []
    for X_chunk, y_chunk in zip(np.array_split(X, 4), np.array_split(y, 4), strict=True):
        model.partial_fit(X_chunk, y_chunk)
        scores.append(model.score(X, y))
    assert scores[-1] > scores[0]
    assert model.t_ == 1 + len(y)
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(X[:, :3], y)


def test_invscaling_schedule():
    etas = learning_rates("invscaling", 0.5, 1, 4, power_t=0.5)
    np.testing.assert_allclose(etas, 0.5 / np.sqrt([1, 2, 3, 4]))
    np.testing.assert_allclose(learning_rates("constant", 0.1, 10, 3), [0.1, 0.1, 0.1])


# --------------------------------------------------------------------------- LogisticRegression


def _real_classification(name):
    loader = {"breast_cancer": load_breast_cancer, "iris": load_iris, "wine": load_wine}[name]
    X, y = loader(return_X_y=True)
    return _scaled(X), y


@pytest.mark.parametrize("name", ["breast_cancer", "iris", "wine"])
@pytest.mark.parametrize("C", [0.05, 1.0, 10.0])
def test_logistic_matches_sklearn(name, C):
    X, y = _real_classification(name)
    kw = dict(C=C, max_iter=1000, tol=1e-8)
    ours = LogisticRegression(**kw).fit(X, y)
    theirs = sk.LogisticRegression(**kw).fit(X, y)
    assert ours.coef_.shape == theirs.coef_.shape
    scale = np.abs(theirs.coef_).max()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-5 * scale)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-5 * scale)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5)
    assert np.mean(ours.predict(X) == theirs.predict(X)) >= 0.995


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
def test_logistic_default_settings_agree_with_sklearn(name):
    X, y = _real_classification(name)
    ours, theirs = LogisticRegression().fit(X, y), sk.LogisticRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3)
    assert np.mean(ours.predict(X) == theirs.predict(X)) >= 0.995


def test_logistic_without_intercept_matches_sklearn():
    X, y = _real_classification("iris")
    ours = LogisticRegression(fit_intercept=False, tol=1e-8, max_iter=500).fit(X, y)
    theirs = sk.LogisticRegression(fit_intercept=False, tol=1e-8, max_iter=500).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-5)
    np.testing.assert_array_equal(ours.intercept_, 0.0)


def test_logistic_string_labels_and_probabilities():
    X, y = _real_classification("iris")
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = LogisticRegression().fit(X, names)
    np.testing.assert_array_equal(model.classes_, ["setosa", "versicolor", "virginica"])
    assert set(model.predict(X)) <= set(names)
    assert model.score(X, names) > 0.95
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba), atol=1e-10)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))

    binary = LogisticRegression().fit(X[y > 0], names[y > 0])
    z = binary.decision_function(X[y > 0])
    assert z.ndim == 1
    np.testing.assert_allclose(binary.predict_proba(X[y > 0])[:, 1], expit(z))
    expected = np.where(z > 0, "virginica", "versicolor")
    np.testing.assert_array_equal(binary.predict(X[y > 0]), expected)


def test_logistic_penalty_follows_C():
    X, y = _real_classification("breast_cancer")
    norms = [np.linalg.norm(LogisticRegression(C=C).fit(X, y).coef_) for C in (0.01, 0.1, 1.0)]
    assert norms[0] < norms[1] < norms[2]


def test_logistic_warns_when_not_converged():
    X, y = _real_classification("breast_cancer")
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        LogisticRegression(C=1e4, max_iter=3).fit(X, y)


def _numeric_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.flat[i] = eps
        grad.flat[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_binary_gradient_matches_finite_differences(l2):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), rng.integers(0, 2, size=40).astype(float)
    w, b = rng.normal(size=5), 0.4
    _, grad_w, grad_b = binary_loss_grad(w, b, X, y, l2)
    np.testing.assert_allclose(
        grad_w, _numeric_gradient(lambda v: binary_loss_grad(v, b, X, y, l2)[0], w), rtol=1e-5
    )
    numeric_b = _numeric_gradient(lambda v: binary_loss_grad(w, v[0], X, y, l2)[0], np.array([b]))
    assert grad_b == pytest.approx(numeric_b[0], rel=1e-5)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_multinomial_gradient_matches_finite_differences(l2):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(50, 4)), rng.integers(0, 3, size=50)
    W, b = rng.normal(size=(3, 4)), rng.normal(size=3)
    _, grad_W, grad_b = multinomial_loss_grad(W, b, X, y, l2)
    np.testing.assert_allclose(
        grad_W, _numeric_gradient(lambda V: multinomial_loss_grad(V, b, X, y, l2)[0], W), rtol=1e-5
    )
    np.testing.assert_allclose(
        grad_b, _numeric_gradient(lambda v: multinomial_loss_grad(W, v, X, y, l2)[0], b), rtol=1e-5
    )


def test_losses_are_stable_for_huge_scores():
    X = np.array([[1.0], [-1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings allowed
        loss, grad_w, _ = binary_loss_grad(np.array([1000.0]), 0.0, X, np.array([0.0, 1.0]))
        # two confidently wrong predictions: loss 1000 each, gradient bounded
        assert loss == pytest.approx(1000.0)
        np.testing.assert_allclose(grad_w, [1.0])
        Z = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
        np.testing.assert_allclose(log_sum_exp(Z), [1000.0, np.log(3.0)])
        np.testing.assert_allclose(softmax(Z), [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-12)


def test_binary_and_two_class_softmax_agree():
    # sigmoid(z) is softmax([0, z]): the binary loss is the 2-class cross-entropy
    rng = np.random.default_rng(2)
    X, y, w = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30), rng.normal(size=3)
    binary = binary_loss_grad(w, 0.2, X, y.astype(float))[0]
    multi = multinomial_loss_grad(np.vstack([np.zeros(3), w]), np.array([0.0, 0.2]), X, y)[0]
    assert binary == pytest.approx(multi, rel=1e-12)


# --------------------------------------------------------------------------- bad input

ALL = [LinearRegression, lambda: LinearRegression(solver="gd"), SGDRegressor, LogisticRegression]


@pytest.mark.parametrize("make", ALL)
def test_bad_input_gives_clear_errors(make):
    X, y = _real_classification("breast_cancer")
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        make().fit(X_nan, y)
    with pytest.raises(NotFittedError):
        make().predict(X)
    with pytest.raises(ValueError, match="0 sample"):
        make().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        make().fit(X, y[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = make().fit(X, y)
    with pytest.raises(ValueError, match="expecting 30 features"):
        model.predict(X[:, :5])


@pytest.mark.parametrize(
    "model, message",
    [
        (LinearRegression(solver="qr"), "solver must be one of 'lstsq', 'normal', 'gd', got"),
        (LinearRegression(solver="gd", learning_rate=-1.0), "learning_rate must be a number > 0"),
        (LinearRegression(solver="gd", batch_size=0), "batch_size"),
        (SGDRegressor(learning_rate="optimal"), "learning_rate must be 'constant' or 'invsc"),
        (SGDRegressor(eta0=0.0), "eta0 must be a number > 0"),
        (LogisticRegression(C=-1.0), "C must be a number > 0"),
        (LogisticRegression(max_iter=0), "max_iter must be an int >= 1"),
    ],
)
def test_bad_parameters_are_named(model, message):
    X, y = _real_classification("breast_cancer")
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)


def test_logistic_rejects_one_class_and_continuous_targets():
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="only one class"):
        LogisticRegression().fit(X, np.zeros(10))
    with pytest.raises(ValueError, match="Unknown label type"):
        LogisticRegression().fit(X, np.linspace(0, 1, 10))
