"""Tests of mlcourse.neural_network: estimator checks, scikit-learn twins, maths, errors."""

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn import neural_network as sk_nn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import log_loss, mean_squared_error
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from mlcourse.datasets import load_california_housing
from mlcourse.neural_network import (
    AdamOptimizer,
    MLPClassifier,
    MLPRegressor,
    SGDOptimizer,
    activation_derivative,
    check_gradients,
    forward,
    init_weights,
    loss_and_gradients,
    numerical_gradient,
    relative_error,
    relu,
    relu_derivative,
    sigmoid_cross_entropy,
    softmax,
    softmax_cross_entropy,
    squared_error,
)
from mlcourse.neural_network._backprop import dropout_masks


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    # the matrices here are tiny: extra BLAS threads only fight over the CPU
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(autouse=True)
def _quiet_convergence():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _scaled_split(X, y, stratify=True, seed=0):
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, random_state=seed, stratify=y if stratify else None
    )
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te


# --------------------------------------------------------------------------- 1. estimator checks
@parametrize_with_checks([MLPClassifier(random_state=0), MLPRegressor(random_state=0)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --------------------------------------------------------------------------- 2. scikit-learn twins
# Same architecture, solver, step size, batch size and epochs; the initial weights differ
# (He/Glorot here, scikit-learn's own Glorot variant there), so scores agree only up to
# the run-to-run spread of a network: 0.03 in accuracy or R^2.
TOL = 0.03


@pytest.mark.parametrize("solver, lr", [("adam", 1e-3), ("sgd", 0.05)])
def test_digits_accuracy_matches_sklearn(solver, lr):
    X_tr, X_te, y_tr, y_te = _scaled_split(*load_digits(return_X_y=True))
    settings = dict(hidden_layer_sizes=(64,), solver=solver, learning_rate_init=lr,
                    max_iter=60, batch_size=100, random_state=0)
    ours = MLPClassifier(**settings).fit(X_tr, y_tr).score(X_te, y_te)
    theirs = sk_nn.MLPClassifier(**settings).fit(X_tr, y_tr).score(X_te, y_te)
    assert ours > 0.95
    assert ours >= theirs - TOL


def test_breast_cancer_binary_matches_sklearn():
    X_tr, X_te, y_tr, y_te = _scaled_split(*load_breast_cancer(return_X_y=True))
    settings = dict(hidden_layer_sizes=(32, 16), activation="tanh", solver="sgd",
                    learning_rate_init=0.01, momentum=0.9, max_iter=80, random_state=0)
    ours = MLPClassifier(**settings).fit(X_tr, y_tr)
    theirs = sk_nn.MLPClassifier(**settings).fit(X_tr, y_tr)
    assert ours.out_activation_ == theirs.out_activation_ == "logistic"
    assert ours.score(X_te, y_te) >= theirs.score(X_te, y_te) - TOL
    assert abs(ours.loss_ - theirs.loss_) < 0.03


def test_diabetes_regression_matches_sklearn():
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = _scaled_split(X, y, stratify=False)
    mu, sd = y_tr.mean(), y_tr.std()
    settings = dict(hidden_layer_sizes=(32,), learning_rate_init=0.01, alpha=1.0,
                    max_iter=100, batch_size=32, random_state=0)
    ours = MLPRegressor(**settings).fit(X_tr, (y_tr - mu) / sd)
    theirs = sk_nn.MLPRegressor(**settings).fit(X_tr, (y_tr - mu) / sd)
    r2_ours, r2_theirs = ours.score(X_te, (y_te - mu) / sd), theirs.score(X_te, (y_te - mu) / sd)
    assert r2_ours > 0.3  # about what a linear model reaches on this split
    assert abs(r2_ours - r2_theirs) < 0.05  # 110 test rows: R^2 itself moves by a few 0.01


def test_california_housing_regression_matches_sklearn():
    df = load_california_housing().dropna().sample(5000, random_state=0)
    X = df.drop(columns=["median_house_value", "ocean_proximity"]).to_numpy(float)
    y = df["median_house_value"].to_numpy() / 1e5
    X_tr, X_te, y_tr, y_te = _scaled_split(X, y, stratify=False)
    settings = dict(hidden_layer_sizes=(64, 32), learning_rate_init=3e-3, max_iter=40,
                    n_iter_no_change=100, random_state=0)
    ours = MLPRegressor(**settings).fit(X_tr, y_tr)
    theirs = sk_nn.MLPRegressor(**settings).fit(X_tr, y_tr)
    assert ours.n_iter_ == theirs.n_iter_ == 40
    assert ours.score(X_te, y_te) > 0.65
    assert ours.score(X_te, y_te) >= theirs.score(X_te, y_te) - TOL


def test_works_in_pipeline_and_cross_validation():
    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(StandardScaler(), MLPClassifier((16,), max_iter=50, random_state=0))
    scores = cross_val_score(model, X, y, cv=3)
    assert scores.min() > 0.9


# --------------------------------------------------------------------------- 3. mathematics
RNG = np.random.default_rng(0)
X_SMALL = RNG.normal(size=(12, 4))


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize(
    "Estimator, y",
    [
        (MLPClassifier, np.tile([0, 1, 2], 4)),  # softmax + cross-entropy
        (MLPClassifier, np.tile(["no", "yes"], 6)),  # sigmoid + binary cross-entropy
        (MLPRegressor, RNG.normal(size=12)),  # identity + squared error
        (MLPRegressor, RNG.normal(size=(12, 2))),  # two outputs
    ],
)
def test_backprop_matches_finite_differences(activation, Estimator, y):
    model = Estimator((5, 3), activation=activation, alpha=0.3, random_state=1)
    assert check_gradients(model, X_SMALL, y) < 1e-6


def test_gradient_check_with_dropout_and_after_fitting():
    y = np.tile([0, 1, 2], 4)
    model = MLPClassifier((6, 4), activation="tanh", dropout=0.4, random_state=0)
    assert check_gradients(model, X_SMALL, y) < 1e-6
    model.fit(X_SMALL, y)
    before = [W.copy() for W in model.coefs_]
    assert check_gradients(model, X_SMALL, y) < 1e-6
    assert all(np.array_equal(a, b) for a, b in zip(before, model.coefs_, strict=True))


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    import mlcourse.neural_network._gradient_check as gc

    def wrong(*args, **kwargs):
        loss, coef_grads, intercept_grads = loss_and_gradients(*args, **kwargs)
        return loss, [2 * g for g in coef_grads], intercept_grads

    monkeypatch.setattr(gc, "loss_and_gradients", wrong)
    model = MLPRegressor((4,), activation="tanh", random_state=0)
    assert check_gradients(model, X_SMALL, RNG.normal(size=12)) > 1e-2


def test_numerical_gradient_of_a_known_function():
    A = RNG.normal(size=(3, 3))
    w = RNG.normal(size=3)
    f = lambda v: 0.5 * v @ A @ v + np.sin(v).sum()  # noqa: E731
    expected = 0.5 * (A + A.T) @ w + np.cos(w)
    assert relative_error(numerical_gradient(f, w), expected) < 1e-8
    assert relative_error(expected, expected + 1e-3) > 1e-5


def test_activations_and_derivatives():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    assert np.array_equal(relu(z), [0, 0, 0, 0.5, 3.0])
    assert np.array_equal(relu_derivative(z), [0, 0, 0, 1, 1])
    eps = 1e-6
    for name, f in [("tanh", np.tanh), ("logistic", expit), ("identity", lambda t: t)]:
        numeric = (f(z + eps) - f(z - eps)) / (2 * eps)
        np.testing.assert_allclose(activation_derivative(name, f(z)), numeric, atol=1e-8)


def test_softmax_is_stable_and_sums_to_one():
    P = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(P[0], [1.0, 0.0, 0.0])


def test_output_losses_match_sklearn_metrics():
    y = np.array([0, 2, 1, 2, 0])
    Z = RNG.normal(size=(5, 3))
    loss, dZ = softmax_cross_entropy(Z, np.eye(3)[y])
    assert loss == pytest.approx(log_loss(y, softmax(Z), labels=[0, 1, 2]))
    np.testing.assert_allclose(dZ, (softmax(Z) - np.eye(3)[y]) / 5)
    z = RNG.normal(size=(5, 1)) * 10
    yb = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    loss, _ = sigmoid_cross_entropy(z, yb)
    assert loss == pytest.approx(log_loss(yb[:, 0], expit(z[:, 0])))
    t = RNG.normal(size=(5, 1))
    loss, dZ = squared_error(z, t)
    assert loss == pytest.approx(0.5 * mean_squared_error(t, z))
    np.testing.assert_allclose(dZ, (z - t) / 5)


def test_l2_penalty_matches_sklearn_convention():
    coefs, intercepts = init_weights([4, 5, 3], "relu", np.random.default_rng(0))
    Y = np.eye(3)[np.tile([0, 1, 2], 4)]
    loss0, g0, _ = loss_and_gradients(coefs, intercepts, X_SMALL, Y, alpha=0.0)
    loss1, g1, _ = loss_and_gradients(coefs, intercepts, X_SMALL, Y, alpha=2.0)
    penalty = 2.0 / (2 * 12) * sum((W**2).sum() for W in coefs)
    assert loss1 - loss0 == pytest.approx(penalty)
    for W, a, b in zip(coefs, g0, g1, strict=True):
        np.testing.assert_allclose(b - a, 2.0 / 12 * W)


def test_initialisation_he_for_relu_glorot_otherwise():
    rng = np.random.default_rng(0)
    coefs, intercepts = init_weights([400, 300, 10], "relu", rng)
    assert coefs[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    bound = np.sqrt(6 / (300 + 10))  # the output layer is not followed by a ReLU
    assert np.abs(coefs[1]).max() <= bound and coefs[1].std() > 0.9 * bound / np.sqrt(3)
    assert all(np.all(b == 0) for b in intercepts)
    coefs, _ = init_weights([400, 300, 10], "tanh", rng)
    bound = np.sqrt(6 / 700)
    assert np.abs(coefs[0]).max() <= bound
    assert coefs[0].std() == pytest.approx(bound / np.sqrt(3), rel=0.02)


def test_glorot_initialisation_is_sklearns_start():
    rng = np.random.default_rng(0)
    coefs, intercepts = init_weights([400, 300, 10], "relu", rng, scheme="glorot")
    for W, b, (fan_in, fan_out) in zip(coefs, intercepts, [(400, 300), (300, 10)], strict=True):
        bound = np.sqrt(6 / (fan_in + fan_out))
        assert np.abs(W).max() <= bound and np.abs(b).max() <= bound
        assert W.std() == pytest.approx(bound / np.sqrt(3), rel=0.05)
        assert b.std() > 0.5 * bound / np.sqrt(3)  # random biases, not zeros
    logistic, _ = init_weights([400, 300], "logistic", rng, scheme="glorot")
    assert np.abs(logistic[0]).max() <= np.sqrt(2 / 700)


def test_regressor_matches_sklearn_on_friedman1_with_default_settings():
    """Parity on data no notebook uses: the default start is scikit-learn's (He with zero
    biases scored R² 0.84 here against scikit-learn's 0.93)."""
    from sklearn.datasets import make_friedman1
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPRegressor as SkMLPRegressor

    X, y = make_friedman1(n_samples=2800, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for seed in range(3):
            for Model, scores in ((MLPRegressor, ours), (SkMLPRegressor, theirs)):
                model = make_pipeline(StandardScaler(), Model(random_state=seed))
                scores.append(model.fit(X_train, y_train).score(X_test, y_test))
    assert np.mean(ours) > np.mean(theirs) - 0.03


def test_he_initialisation_keeps_relu_activations_alive_through_depth():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 100))
    coefs, intercepts = init_weights([100] * 11 + [10], "relu", rng)
    inputs, hidden, _ = forward(X, coefs, intercepts, "relu")
    ratio = hidden[-1].std() / hidden[0].std()
    assert 0.3 < ratio < 3  # too small a scale (0.01) would shrink it to ~1e-10


def _adam_textbook(w, grads, lr, b1, b2, eps):
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return w


def test_adam_step_equals_the_textbook_algorithm():
    w0 = RNG.normal(size=(3, 2))
    grads = [RNG.normal(size=(3, 2)) for _ in range(6)]
    w = w0.copy()
    opt = AdamOptimizer([w], learning_rate=0.1, beta_1=0.8, beta_2=0.95, epsilon=1e-3)
    for g in grads:
        opt.step([w], [g.copy()])
    np.testing.assert_allclose(w, _adam_textbook(w0, grads, 0.1, 0.8, 0.95, 1e-3))


@pytest.mark.parametrize("nesterov", [True, False])
def test_sgd_momentum_step(nesterov):
    w0 = RNG.normal(size=4)
    grads = [RNG.normal(size=4) for _ in range(5)]
    w, v = w0.copy(), np.zeros(4)
    for g in grads:  # the reference, written out
        v = 0.9 * v - 0.1 * g
        w = w + (0.9 * v - 0.1 * g if nesterov else v)
    ours = w0.copy()
    opt = SGDOptimizer([ours], learning_rate=0.1, momentum=0.9, nesterov=nesterov)
    for g in grads:
        opt.step([ours], [g.copy()])
    np.testing.assert_allclose(ours, w)


def test_dropout_masks_are_inverted_and_off_at_predict_time():
    masks = dropout_masks(2000, [50], 0.3, np.random.default_rng(0))
    assert np.mean(masks[0] == 0) == pytest.approx(0.3, abs=0.01)
    assert masks[0].mean() == pytest.approx(1.0, abs=0.02)
    assert set(np.unique(masks[0])) == {0.0, 1 / 0.7}
    X_tr, X_te, y_tr, y_te = _scaled_split(*load_digits(return_X_y=True))
    model = MLPClassifier((64,), dropout=0.3, max_iter=40, random_state=0).fit(X_tr, y_tr)
    plain = MLPClassifier((64,), max_iter=40, random_state=0).fit(X_tr, y_tr)
    assert not np.allclose(model.coefs_[0], plain.coefs_[0])
    np.testing.assert_array_equal(model.predict_proba(X_te), model.predict_proba(X_te))
    assert model.score(X_te, y_te) > 0.93


def test_early_stopping_keeps_the_best_weights():
    seen = []

    class Recording(MLPClassifier):
        def _validation_score(self, X_val, Y_val):
            score = super()._validation_score(X_val, Y_val)
            seen.append((score, [W.copy() for W in self.coefs_]))
            return score

    X, y = load_digits(return_X_y=True)
    model = Recording((32,), early_stopping=True, n_iter_no_change=3, max_iter=200,
                      learning_rate_init=0.01, random_state=0).fit(X / 16, y)
    assert model.n_iter_ < 200
    assert len(model.validation_scores_) == len(model.loss_curve_) == model.n_iter_
    best = int(np.argmax([s for s, _ in seen]))
    assert model.best_validation_score_ == seen[best][0] > 0.9
    for W, W_best in zip(model.coefs_, seen[best][1], strict=True):
        np.testing.assert_array_equal(W, W_best)
    # the last n_iter_no_change epochs did not beat the best one by tol
    assert max(model.validation_scores_[-3:]) <= model.best_validation_score_


def test_training_loss_decreases_and_tol_stops_training():
    X, y = load_digits(return_X_y=True)
    model = MLPClassifier((32,), max_iter=30, random_state=0).fit(X / 16, y)
    assert len(model.loss_curve_) == model.n_iter_ == 30
    assert model.loss_curve_[-1] < 0.2 * model.loss_curve_[0]
    stopped = MLPClassifier((32,), max_iter=200, tol=0.5, n_iter_no_change=2,
                            random_state=0).fit(X / 16, y)
    assert stopped.n_iter_ < 10


def test_convergence_warning_when_max_iter_is_reached():
    X, y = load_digits(return_X_y=True)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        MLPClassifier((8,), max_iter=2, random_state=0).fit(X / 16, y)


def test_partial_fit_and_warm_start_continue_training():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    model = MLPClassifier((32,), random_state=0)
    model.partial_fit(X[:500], y[:500], classes=np.arange(10))
    first = model.loss_curve_[-1]
    for _ in range(9):
        model.partial_fit(X[:500], y[:500])
    assert model.n_iter_ == 10 and model.loss_curve_[-1] < first
    warm = MLPClassifier((32,), max_iter=5, warm_start=True, random_state=0)
    warm.fit(X, y)
    W = warm.coefs_[0].copy()
    warm.fit(X, y)
    assert warm.n_iter_ == 10 and not np.allclose(W, warm.coefs_[0])


def test_same_seed_same_model_and_no_hidden_layer():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    a = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
    b = MLPClassifier((8,), max_iter=20, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])
    logistic = MLPClassifier((), learning_rate_init=0.01, max_iter=100, random_state=0).fit(X, y)
    assert logistic.n_layers_ == 2 and logistic.score(X, y) > 0.95


def test_predict_log_proba_is_log_of_predict_proba():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    for target in (y, np.arange(len(y)) % 3):
        model = MLPClassifier((8,), max_iter=20, random_state=0).fit(X, target)
        np.testing.assert_allclose(
            model.predict_log_proba(X), np.log(model.predict_proba(X)), atol=1e-10
        )


# --------------------------------------------------------------------------- 4. bad input
def test_clear_errors_on_bad_input():
    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.tile([0, 1], 10)
    with pytest.raises(NotFittedError):
        MLPClassifier().predict(X)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLPClassifier().fit(X_nan, y)
    with pytest.raises(ValueError, match="0 sample"):
        MLPClassifier().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="at least 2 classes"):
        MLPClassifier().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, np.linspace(0, 1, 20))
    model = MLPRegressor((4,), max_iter=5).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="3 features"):
        model.predict(X[:, :2])
    clf = MLPClassifier((4,), max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X, np.tile([0, 7], 10))
    with pytest.raises(ValueError, match="early_stopping"):
        MLPClassifier(early_stopping=True).partial_fit(X, y)


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(activation="softplus"), "activation"),
        (dict(solver="lbfgs"), "solver"),
        (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes"),
        (dict(learning_rate_init=0.0), "learning_rate_init"),
        (dict(dropout=1.0), "dropout"),
        (dict(batch_size=0), "batch_size"),
        (dict(momentum=1.5), "momentum"),
        (dict(validation_fraction=1.0), "validation_fraction"),
    ],
)
def test_bad_hyperparameters_are_named(params, name):
    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.tile([0, 1], 10)
    with pytest.raises(ValueError, match=name):
        MLPClassifier(**params).fit(X, y)


def test_one_message_style_for_bad_hyperparameters():
    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.tile([0, 1], 10)
    with pytest.raises(ValueError, match=r"^MLPRegressor parameter momentum must be a number "
                                         r"in \[0, 1\], got 1.5\.$"):
        MLPRegressor(momentum=1.5).fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes must be an int >= 1 or a sequence"):
        MLPClassifier(hidden_layer_sizes=(4, True)).fit(X, y)


# --------------------------------------------------------------------------- 5. structure
def test_the_shared_base_declares_what_subclasses_supply():
    from mlcourse.neural_network._multilayer_perceptron import _BaseMLP

    with pytest.raises(TypeError, match="abstract"):
        _BaseMLP()

    class Incomplete(_BaseMLP):
        def _output_activation(self):
            return "identity"

    with pytest.raises(TypeError, match="_validate_and_encode"):
        Incomplete()


def test_each_activation_holds_its_function_and_derivative_together():
    from mlcourse.neural_network._activations import ACTIVATIONS

    z = np.array([-2.0, -0.5, 0.3, 0.5, 3.0])
    eps = 1e-6
    for name, activation in ACTIVATIONS.items():
        H = activation.forward(z.copy())
        numeric = (activation.forward(z + eps) - activation.forward(z - eps)) / (2 * eps)
        np.testing.assert_allclose(activation.backward(H, np.ones_like(z)), numeric, atol=1e-8,
                                   err_msg=name)


def test_log_softmax_is_stable_and_shared_by_softmax_and_the_loss():
    from mlcourse.neural_network._activations import log_softmax

    Z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    log_P = log_softmax(Z)
    np.testing.assert_allclose(log_P[0], [0.0, -1000.0, -2000.0])
    np.testing.assert_allclose(np.exp(log_P), softmax(Z))
    Y = np.eye(3)[[2, 0]]
    loss, _ = softmax_cross_entropy(Z, Y)
    assert loss == pytest.approx(-(log_P[0, 2] + log_P[1, 0]) / 2)


def test_two_class_probabilities_stay_positive_far_from_the_boundary():
    X, y = load_breast_cancer(return_X_y=True)
    model = MLPClassifier((8,), max_iter=20, random_state=0).fit(X / X.std(axis=0), y)
    far = 1e3 * X[:3] / X.std(axis=0)  # logits of hundreds: 1 - sigmoid(z) rounds to 0
    log_proba = model.predict_log_proba(far)
    assert np.all(np.isfinite(log_proba))
    np.testing.assert_allclose(np.exp(log_proba).sum(axis=1), 1.0)
    z = forward(far, model.coefs_, model.intercepts_, "relu")[2][:, 0]
    np.testing.assert_allclose(log_proba[:, 1], -np.logaddexp(0.0, -z), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(far), model.classes_[(z > 0).astype(int)])
