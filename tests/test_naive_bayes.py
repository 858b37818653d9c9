"""Tests of mlcourse.naive_bayes: scikit-learn's checks, agreement with its twins, maths, errors."""

import numpy as np
import pytest
from scipy import sparse, stats
from sklearn import naive_bayes as sk_nb
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.datasets import load_sms_spam
from mlcourse.naive_bayes import GaussianNB, MultinomialNB
from mlcourse.naive_bayes._gaussian import class_moments, combine_moments

LOADERS = [load_iris, load_wine, load_breast_cancer, load_digits]


@pytest.fixture(scope="module")
def sms():
    df = load_sms_spam()
    text_train, text_test, y_train, y_test = train_test_split(
        df["text"], df["label"].to_numpy(), test_size=0.25, stratify=df["label"], random_state=0
    )
    vectorizer = CountVectorizer().fit(text_train)
    return vectorizer.transform(text_train), vectorizer.transform(text_test), y_train, y_test


# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks(
    [
        GaussianNB(),
        GaussianNB(var_smoothing=1e-3),
        MultinomialNB(),
        MultinomialNB(alpha=0.1, fit_prior=False),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. agreement with scikit-learn on real data -----------------------------------------------


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_gaussian_nb_matches_sklearn(loader):
    X, y = loader(return_X_y=True)
    ours, theirs = GaussianNB().fit(X, y), sk_nb.GaussianNB().fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-10)
    np.testing.assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X),
                               rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.theta_, theirs.theta_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-10)
    assert ours.epsilon_ == pytest.approx(theirs.epsilon_, rel=1e-12)
    np.testing.assert_allclose(ours.class_prior_, theirs.class_prior_)


def test_gaussian_nb_with_weights_and_priors_matches_sklearn():
    X, y = load_wine(return_X_y=True)
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=len(y))
    priors = [0.2, 0.5, 0.3]
    ours = GaussianNB(priors=priors).fit(X, y, sample_weight=w)
    theirs = sk_nb.GaussianNB(priors=priors).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-10)
    np.testing.assert_allclose(ours.class_count_, theirs.class_count_)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-10)


@pytest.mark.parametrize("params", [
    dict(), dict(alpha=0.1), dict(alpha=2.0, fit_prior=False), dict(class_prior=[0.5, 0.5]),
])
def test_multinomial_nb_matches_sklearn_on_sms_spam(sms, params):
    X_train, X_test, y_train, _ = sms
    ours = MultinomialNB(**params).fit(X_train, y_train)
    theirs = sk_nb.MultinomialNB(**params).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test),
                               atol=1e-10)
    np.testing.assert_allclose(ours.predict_log_proba(X_test),
                               theirs.predict_log_proba(X_test), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.feature_log_prob_, theirs.feature_log_prob_, rtol=1e-12)
    np.testing.assert_allclose(ours.class_log_prior_, theirs.class_log_prior_, rtol=1e-12)
    np.testing.assert_array_equal(ours.feature_count_, theirs.feature_count_)


def test_multinomial_nb_catches_spam(sms):
    X_train, X_test, y_train, y_test = sms
    y_pred = MultinomialNB().fit(X_train, y_train).predict(X_test)
    assert np.mean(y_pred == y_test) > 0.97
    assert precision_score(y_test, y_pred, pos_label="spam") > 0.9
    assert recall_score(y_test, y_pred, pos_label="spam") > 0.85


def test_multinomial_nb_dense_and_sparse_agree(sms):
    X_train, X_test, y_train, _ = sms
    rows = slice(0, 800)
    dense = MultinomialNB().fit(X_train[rows].toarray(), y_train[rows])
    sparse_model = MultinomialNB().fit(X_train[rows], y_train[rows])
    np.testing.assert_allclose(dense.feature_log_prob_, sparse_model.feature_log_prob_)
    np.testing.assert_allclose(dense.predict_proba(X_test[:50].toarray()),
                               sparse_model.predict_proba(X_test[:50]))


# --- 3. the mathematics ------------------------------------------------------------------------


def test_gaussian_joint_log_likelihood_is_a_sum_of_normal_log_densities():
    X, y = load_iris(return_X_y=True)
    model = GaussianNB().fit(X, y)
    X_new = X[::7] + 0.3
    logpdf = stats.norm.logpdf(X_new[:, None, :], model.theta_, np.sqrt(model.var_))
    expected = np.log(model.class_prior_) + logpdf.sum(axis=2)
    np.testing.assert_allclose(model.predict_joint_log_proba(X_new), expected, rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X_new).sum(axis=1), 1.0)


def test_gaussian_moments_are_class_means_and_variances():
    X, y = load_wine(return_X_y=True)
    N, mu, var = class_moments(X, y, 3, np.ones(len(y)))
    for c in range(3):
        assert N[c] == np.sum(y == c)
        np.testing.assert_allclose(mu[c], X[y == c].mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(var[c], X[y == c].var(axis=0), rtol=1e-10)


def test_combining_moments_equals_moments_of_the_union():
    rng = np.random.default_rng(0)
    A, B = rng.normal(3.0, 2.0, size=(40, 5)), rng.normal(-1.0, 0.5, size=(25, 5))
    n, mu, var = combine_moments(
        np.array([40.0]), A.mean(0, keepdims=True), A.var(0, keepdims=True),
        np.array([25.0]), B.mean(0, keepdims=True), B.var(0, keepdims=True),
    )
    both = np.vstack([A, B])
    assert n[0] == 65
    np.testing.assert_allclose(mu[0], both.mean(0), rtol=1e-12)
    np.testing.assert_allclose(var[0], both.var(0), rtol=1e-12)


def test_partial_fit_in_batches_equals_one_fit():
    X, y = load_digits(return_X_y=True)
    once = GaussianNB(var_smoothing=0.0).fit(X, y)
    batched = GaussianNB(var_smoothing=0.0)
    for part in np.array_split(np.arange(len(y)), 4):  # digits are shuffled: all classes each time
        batched.partial_fit(X[part], y[part], classes=np.arange(10))
    np.testing.assert_allclose(batched.theta_, once.theta_, atol=1e-12)
    np.testing.assert_allclose(batched.var_, once.var_, atol=1e-10)
    np.testing.assert_allclose(batched.class_count_, once.class_count_)


def test_partial_fit_keeps_the_first_batch_smoothing():
    # scikit-learn recomputes epsilon_ on each batch; we keep the first one, so var_ stays
    # exactly "variance of everything seen + epsilon_".
    X, y = load_iris(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    X, y = X[order], y[order]
    model = GaussianNB().partial_fit(X[:50], y[:50], classes=[0, 1, 2])
    epsilon = model.epsilon_
    model.partial_fit(X[50:], y[50:])
    assert model.epsilon_ == epsilon
    exact = np.array([X[y == c].var(axis=0) for c in range(3)])
    np.testing.assert_allclose(model.var_ - epsilon, exact, atol=1e-12)


def test_laplace_smoothing_by_hand():
    X = np.array([[2, 1, 0], [1, 0, 0], [0, 0, 3]])
    y = np.array([0, 0, 1])
    model = MultinomialNB(alpha=1.0).fit(X, y)
    # class 0 counts (3, 1, 0) + 1 over 4 + 3; class 1 counts (0, 0, 3) + 1 over 3 + 3
    expected = np.log([[4 / 7, 2 / 7, 1 / 7], [1 / 6, 1 / 6, 4 / 6]])
    np.testing.assert_allclose(model.feature_log_prob_, expected, rtol=1e-12)
    np.testing.assert_allclose(model.class_log_prior_, np.log([2 / 3, 1 / 3]))
    np.testing.assert_allclose(np.exp(model.feature_log_prob_).sum(axis=1), 1.0)


def test_multinomial_log_space_survives_long_documents():
    X = np.array([[5, 1], [1, 5]])
    model = MultinomialNB().fit(X, [0, 1])
    huge = np.array([[40_000, 39_000]])  # the product of probabilities would underflow to 0
    log_proba = model.predict_log_proba(huge)
    assert np.all(np.isfinite(model.predict_joint_log_proba(huge)))
    assert np.exp(log_proba).sum() == pytest.approx(1.0)
    assert model.predict(huge)[0] == 0


def test_multinomial_partial_fit_adds_up_to_fit(sms):
    X_train, _, y_train, _ = sms
    once = MultinomialNB().fit(X_train, y_train)
    batched = MultinomialNB()
    for part in np.array_split(np.arange(X_train.shape[0]), 3):
        batched.partial_fit(X_train[part], y_train[part], classes=["ham", "spam"])
    np.testing.assert_allclose(batched.feature_log_prob_, once.feature_log_prob_, rtol=1e-12)
    np.testing.assert_allclose(batched.class_log_prior_, once.class_log_prior_, rtol=1e-12)


def test_sample_weights_act_as_repetitions():
    X = np.array([[3, 0, 1], [0, 2, 2], [1, 1, 0]])
    y = np.array([0, 1, 1])
    weighted = MultinomialNB().fit(X, y, sample_weight=[1, 3, 1])
    repeated = MultinomialNB().fit(X[[0, 1, 1, 1, 2]], y[[0, 1, 1, 1, 2]])
    np.testing.assert_allclose(weighted.feature_log_prob_, repeated.feature_log_prob_)
    np.testing.assert_allclose(weighted.class_log_prior_, repeated.class_log_prior_)


# --- 4. bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [GaussianNB(), MultinomialNB()])
def test_unfitted_nan_and_shape_errors(model):
    with pytest.raises(NotFittedError):
        model.predict([[1.0, 2.0]])
    model.fit([[1.0, 2.0], [2.0, 0.0], [0.0, 3.0]], [0, 1, 1])
    with pytest.raises(ValueError, match="NaN"):
        model.predict([[np.nan, 1.0]])
    with pytest.raises(ValueError, match="2 features"):
        model.predict([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="0 sample"):
        type(model)().fit(np.empty((0, 2)), [])


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="Negative values"):
        MultinomialNB().fit([[1, -1], [0, 2]], [0, 1])
    model = MultinomialNB().fit(sparse.csr_matrix([[1, 0], [0, 2]]), [0, 1])
    with pytest.raises(ValueError, match="Negative values"):
        model.predict([[0, -3]])


def test_bad_priors_and_alpha():
    X, y = [[0.0], [1.0], [2.0]], [0, 1, 1]
    with pytest.raises(ValueError, match="match number of classes"):
        GaussianNB(priors=[1.0]).fit(X, y)
    with pytest.raises(ValueError, match="sum of the priors"):
        GaussianNB(priors=[0.5, 0.6]).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        GaussianNB(priors=[1.5, -0.5]).fit(X, y)
    with pytest.raises(ValueError, match="MultinomialNB parameter alpha must be a number >= 0"):
        MultinomialNB(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="GaussianNB parameter var_smoothing must be a number"):
        GaussianNB(var_smoothing=-1e-9).fit(X, y)
    with pytest.warns(UserWarning, match="too small"):
        model = MultinomialNB(alpha=0.0).fit(X, y)
    assert np.all(np.isfinite(model.feature_log_prob_))


def test_partial_fit_needs_classes_and_refuses_new_labels():
    with pytest.raises(ValueError, match="classes must be passed"):
        GaussianNB().partial_fit([[0.0], [1.0]], [0, 1])
    model = MultinomialNB().partial_fit([[1, 0], [0, 1]], [0, 1], classes=[0, 1])
    with pytest.raises(ValueError, match="not among the classes"):
        model.partial_fit([[1, 1]], [2])
