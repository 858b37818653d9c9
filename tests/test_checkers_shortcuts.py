"""The checks of notebooks 00-09 refuse the shortcuts their tasks forbid, and still accept the
right answers: each pair below is a right answer and the wrong one a learner is likely to try."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
import scipy.special
from scipy.spatial.distance import cdist
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

import mlcourse.tree
from mlcourse.exercises import FAILED, PASSED, get_exercise
from mlcourse.exercises._core import _run_checker


def status_of(exercise_id, answer):
    return _run_checker(get_exercise(exercise_id), answer)


def assert_passes(exercise_id, answer):
    status, message = status_of(exercise_id, answer)
    assert status == PASSED, message


def assert_fails(exercise_id, answer, *words):
    status, message = status_of(exercise_id, answer)
    assert status == FAILED, f"{exercise_id} accepted the shortcut: {message}"
    for word in words:
        assert word in message, message


# ----------------------------------------------------------------------------- 00.4


def test_00_4_needs_the_fallback_for_an_hour_missing_from_train():
    def with_fallback(train, test):
        means = train.groupby("hr")["cnt"].mean()
        return test["hr"].map(means).fillna(train["cnt"].mean()).to_numpy()

    def without_fallback(train, test):
        return test["hr"].map(train.groupby("hr")["cnt"].mean()).to_numpy()

    assert_passes("00.4", with_fallback)
    assert_fails("00.4", without_fallback)


# ----------------------------------------------------------------------------- 02.2 and 02.4


def _plain(value):
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def test_02_2_refuses_to_let_an_unknown_species_through():
    names = {"adelie": "Adelie", "chinstrap": "Chinstrap", "gentoo": "Gentoo"}

    def strict(values):
        def fix(value):
            if not isinstance(value, str):
                return value
            key = _plain(value).replace("penguin", "").replace(" ", "")
            if key not in names:
                raise ValueError(f"unknown species {value!r}")
            return names[key]
        return values.map(fix)

    def lenient(values):
        def fix(value):
            if not isinstance(value, str):
                return value
            key = _plain(value).replace("penguin", "").replace(" ", "")
            return names.get(key, key.capitalize())
        return values.map(fix)

    assert_passes("02.2", strict)
    assert_fails("02.2", lenient, "let it through")


def test_02_4_refuses_an_answer_that_fills_the_callers_frame():
    def on_a_copy(df, column, by):
        filled = df[column].fillna(df.groupby(by)[column].transform("median"))
        return filled.fillna(df[column].median())

    def in_place(df, column, by):
        df[column] = df[column].fillna(df.groupby(by)[column].transform("median"))
        df[column] = df[column].fillna(df[column].median())
        return df[column]

    assert_passes("02.4", on_a_copy)
    assert_fails("02.4", in_place, "in place")


# ----------------------------------------------------------------------------- 04.6


def test_04_6_needs_the_feature_selection():
    def honest(X, y, k):
        model = make_pipeline(SelectKBest(f_classif, k=k), LogisticRegression(max_iter=1000))
        return cross_val_score(model, X, y, cv=5).mean()

    def no_selection(X, y, k):
        return cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5).mean()

    assert_passes("04.6", honest)
    assert_fails("04.6", no_selection, "SelectKBest")


# ----------------------------------------------------------------------------- 06


def test_06_1_refuses_a_library_sigmoid_and_accepts_two_stable_formulas():
    def by_branches(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def by_logaddexp(z):
        return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))

    assert_passes("06.1", by_branches)
    assert_passes("06.1", by_logaddexp)
    assert_fails("06.1", lambda z: scipy.special.expit(z), "expit")
    assert_fails("06.1", lambda z: mlcourse.linear_model.sigmoid(z), "mlcourse.linear_model")


def test_06_4_refuses_scipys_softmax():
    def stable(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    assert_passes("06.4", stable)
    assert_fails("06.4", lambda Z: scipy.special.softmax(Z, axis=1), "softmax")


# ----------------------------------------------------------------------------- 07.1


def _expansion(A, B):
    D = (A**2).sum(axis=1)[:, None] - 2 * A @ B.T + (B**2).sum(axis=1)[None, :]
    return np.maximum(D, 0)


def test_07_1_refuses_cdist_and_the_three_dimensional_broadcast():
    assert_passes("07.1", _expansion)
    assert_fails("07.1", lambda A, B: cdist(A, B, "sqeuclidean"), "scipy.spatial")
    assert_fails("07.1", lambda A, B: ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2),
                 "MiB", "(n, m, d)")


# ----------------------------------------------------------------------------- 08


def _gini(counts):
    counts = np.asarray(counts, dtype=float)
    p = counts / counts.sum(axis=-1, keepdims=True)
    return 1 - (p**2).sum(axis=-1)


def test_08_1_refuses_the_librarys_gini():
    assert_passes("08.1", _gini)
    assert_fails("08.1", lambda counts: mlcourse.tree.gini(np.asarray(counts, dtype=float)),
                 "mlcourse.tree")


def _cumulative_best_threshold(x, y, n_classes):
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    left = np.cumsum(np.eye(n_classes)[ys], axis=0)[:-1]
    right = left[-1] + np.eye(n_classes)[ys[-1]] - left
    n_left = np.arange(1, len(x))
    n_right = len(x) - n_left
    score = (n_left * _gini(left) + n_right * _gini(right)) / len(x)
    score[xs[:-1] == xs[1:]] = np.inf
    i = int(np.argmin(score))
    return (xs[i] + xs[i + 1]) / 2, float(score[i])


def _loop_best_threshold(x, y, n_classes):
    values = np.unique(x)
    best = (None, np.inf)
    for t in (values[:-1] + values[1:]) / 2:
        left, right = y[x <= t], y[x > t]
        score = (len(left) * _gini(np.bincount(left, minlength=n_classes))
                 + len(right) * _gini(np.bincount(right, minlength=n_classes))) / len(x)
        if score < best[1]:
            best = (t, score)
    return best


def test_08_3_refuses_a_loop_over_thresholds():
    assert_passes("08.3", _cumulative_best_threshold)
    assert_fails("08.3", _loop_best_threshold, "times as long")


@pytest.mark.parametrize("exercise_id", ["06.1", "07.1", "08.1"])
def test_the_guards_leave_no_trace(exercise_id):
    """After a refused shortcut the library functions work again as usual."""
    status_of(exercise_id, lambda *args: scipy.special.expit(np.zeros(2)))
    assert isinstance(scipy.special.expit, np.ufunc)
    assert np.allclose(scipy.special.expit(np.zeros(2)), 0.5)
