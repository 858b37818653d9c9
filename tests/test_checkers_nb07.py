"""The checkers of notebook 07 accept right answers, by more than one method, and refuse the
wrong ones a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import numpy as np
from checker_helpers import fails, passes
from scipy.spatial.distance import cdist
from scipy.special import logsumexp
from sklearn.model_selection import GroupKFold, KFold, cross_val_score, validation_curve
from sklearn.naive_bayes import BernoulliNB
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline

from mlcourse.metrics.pairwise import squared_euclidean_distances
from mlcourse.naive_bayes import GaussianNB
from mlcourse.neighbors import KNeighborsClassifier
from mlcourse.preprocessing import StandardScaler


# --------------------------------------------------------------------------------- 07.1
def _expand(A, B):
    return (A**2).sum(axis=1)[:, None] - 2 * A @ B.T + (B**2).sum(axis=1)[None, :]


def test_07_1_accepts_a_shared_shift_by_either_set():
    passes("07.1", lambda A, B: np.maximum(_expand(A - B.mean(0), B - B.mean(0)), 0))
    passes("07.1", lambda A, B: np.maximum(_expand(A - A[0], B - A[0]), 0))  # any shared point


def test_07_1_refuses_the_plain_expansion_far_from_the_origin():
    fails("07.1", lambda A, B: np.maximum(_expand(A, B), 0), "far from the origin")


def test_07_1_refuses_centring_each_set_on_its_own_mean():
    fails("07.1", lambda A, B: np.maximum(_expand(A - A.mean(0), B - B.mean(0)), 0),
          "each centred on their own mean")


def test_07_1_refuses_cdist_the_broadcast_and_an_in_place_shift():
    fails("07.1", lambda A, B: cdist(A, B, "sqeuclidean"), "scipy.spatial")
    fails("07.1", lambda A, B: ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2),
          "MiB", "(n, m, d)")

    def in_place(A, B):
        shift = B.mean(axis=0)
        A -= shift
        B -= shift
        return np.maximum(_expand(A, B), 0)

    fails("07.1", in_place, "in place")


def test_07_1_refuses_unclipped_negatives():
    fails("07.1", lambda A, B: _expand(A - B.mean(0), B - B.mean(0)), "negative")


# --------------------------------------------------------------------------------- 07.2
def _knn_regress(X_train, y_train, X_query, k, power=1.0, zero_rule=True):
    D = squared_euclidean_distances(X_query, X_train)
    ind = np.argpartition(D, k - 1, axis=1)[:, :k]
    dist = np.sqrt(np.take_along_axis(D, ind, axis=1)) ** power
    at_zero = dist == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = 1.0 / dist
        if zero_rule:
            weights = np.where(at_zero.any(axis=1, keepdims=True), at_zero * 1.0, weights)
        return (weights * y_train[ind]).sum(axis=1) / weights.sum(axis=1)


def test_07_2_accepts_the_reference_and_a_loop_over_queries():
    passes("07.2", _knn_regress)

    def one_query_at_a_time(X_train, y_train, X_query, k):
        out = []
        for q in X_query:
            dist = np.sqrt(((X_train - q) ** 2).sum(axis=1))
            near = np.argsort(dist)[:k]
            d = dist[near]
            w = (d == 0) * 1.0 if np.any(d == 0) else 1.0 / d
            out.append(w @ y_train[near] / w.sum())
        return np.array(out)

    passes("07.2", one_query_at_a_time)


def test_07_2_refuses_scikit_learn_and_the_wrong_weights():
    def with_sklearn(X_train, y_train, X_query, k):
        model = KNeighborsRegressor(n_neighbors=k, weights="distance")
        return model.fit(X_train, y_train).predict(X_query)

    fails("07.2", with_sklearn, "sklearn.neighbors")
    fails("07.2", lambda *a: _knn_regress(*a, power=0.0), "plain mean")
    fails("07.2", lambda *a: _knn_regress(*a, power=2.0), "squared distance")
    fails("07.2", lambda *a: _knn_regress(*a, zero_rule=False), "distance 0")


# --------------------------------------------------------------------------------- 07.3
def _choose_k_with(cv, use_groups=True):
    def choose_k(X, y, groups, candidates):
        _, scores = validation_curve(
            make_pipeline(StandardScaler(), KNeighborsClassifier()), X, y,
            groups=groups if use_groups else None,
            param_name="kneighborsclassifier__n_neighbors", param_range=candidates, cv=cv)
        return int(candidates[scores.mean(axis=1).argmax()])

    return choose_k


def test_07_3_accepts_group_splits_of_any_kind():
    passes("07.3", _choose_k_with(GroupKFold(n_splits=5)))
    passes("07.3", _choose_k_with(GroupKFold(n_splits=10)))


def test_07_3_refuses_plain_k_fold_and_the_training_score():
    message = fails("07.3", _choose_k_with(KFold(n_splits=5, shuffle=True, random_state=0),
                                           use_groups=False), "GroupKFold")
    assert "k = 1" in message or "near-copies" in message

    def by_training_score(X, y, groups, candidates):
        scores = [make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=int(k)))
                  .fit(X, y).score(X, y) for k in candidates]
        return int(candidates[int(np.argmax(scores))])

    fails("07.3", by_training_score, "k = 1")
    fails("07.3", lambda X, y, groups, candidates: 4, "one k from the candidates")


# --------------------------------------------------------------------------------- 07.4
def _bernoulli(X_train, y_train, X_new, alpha=1.0, absent=True, normalise=True, two=2.0):
    classes, codes = np.unique(y_train, return_inverse=True)
    Y = np.eye(len(classes))[codes]
    n_c = Y.sum(axis=0)
    p = (Y.T @ X_train + alpha) / (n_c + two * alpha)[:, None]
    scores = np.log(n_c / len(codes)) + X_new @ np.log(p).T
    if absent:
        scores = scores + (1 - X_new) @ np.log1p(-p).T
    return scores - logsumexp(scores, axis=1, keepdims=True) if normalise else scores


def test_07_4_accepts_the_reference_and_a_per_class_loop():
    passes("07.4", _bernoulli)

    def per_class(X_train, y_train, X_new, alpha=1.0):
        classes = np.unique(y_train)
        columns = []
        for c in classes:
            rows = X_train[y_train == c]
            p = (rows.sum(axis=0) + alpha) / (len(rows) + 2 * alpha)
            log_prior = np.log(len(rows) / len(X_train))
            columns.append(log_prior + np.where(X_new == 1, np.log(p), np.log(1 - p)).sum(1))
        scores = np.column_stack(columns)
        return scores - logsumexp(scores, axis=1, keepdims=True)

    passes("07.4", per_class)


def test_07_4_refuses_the_library_and_the_likely_mistakes():
    def with_sklearn(X_train, y_train, X_new, alpha=1.0):
        return BernoulliNB(alpha=alpha).fit(X_train, y_train).predict_log_proba(X_new)

    fails("07.4", with_sklearn, "sklearn.naive_bayes")
    fails("07.4", lambda *a: _bernoulli(*a, absent=False), "absent word")
    fails("07.4", lambda *a: _bernoulli(*a, normalise=False), "logsumexp")
    fails("07.4", lambda *a: _bernoulli(*a, two=1.0), "2 alpha")

    def in_probability_space(X_train, y_train, X_new, alpha=1.0):
        scores = _bernoulli(X_train, y_train, X_new, alpha, normalise=False)
        joint = np.exp(scores)  # underflows to 0 with thousands of words
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(joint / joint.sum(axis=1, keepdims=True))

    fails("07.4", in_probability_space, "log space")


# --------------------------------------------------------------------------------- 07.5
def _candidates():
    return {"knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
            "naive_bayes": GaussianNB()}


def test_07_5_accepts_cross_validation_and_a_holdout():
    def by_cv(X, y):
        scores = {n: cross_val_score(m, X, y, cv=5).mean() for n, m in _candidates().items()}
        return max(scores, key=scores.get)

    def by_holdout(X, y):
        half = len(y) // 2
        scores = {n: m.fit(X[:half], y[:half]).score(X[half:], y[half:])
                  for n, m in _candidates().items()}
        return max(scores, key=scores.get)

    passes("07.5", by_cv)
    passes("07.5", by_holdout)


def test_07_5_refuses_a_fixed_choice():
    fails("07.5", lambda X, y: "knn", "naive_bayes")
    fails("07.5", lambda X, y: "naive_bayes", "'knn'")
    fails("07.5", lambda X, y: "kNN", "'knn' or 'naive_bayes'")
