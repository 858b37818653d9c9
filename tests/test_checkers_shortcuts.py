"""The checks of notebooks 00-11 refuse the shortcuts their tasks forbid, and still accept the
right answers: each pair below is a right answer and the wrong one a learner is likely to try."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
import scipy.special
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples

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


def _expansion(A, B):
    D = (A**2).sum(axis=1)[:, None] - 2 * A @ B.T + (B**2).sum(axis=1)[None, :]
    return np.maximum(D, 0)


# ----------------------------------------------------------------------------- 11


def test_11_4_refuses_a_pca_class():
    def by_svd(X, k):
        mean = X.mean(axis=0)
        _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
        Z = (X - mean) @ Vt[:k].T
        return Z, Z @ Vt[:k] + mean

    def by_class(X, k):
        pca = PCA(n_components=k).fit(X)
        Z = pca.transform(X)
        return Z, pca.inverse_transform(Z)

    assert_passes("11.4", by_svd)
    assert_fails("11.4", by_class, "PCA class")


def test_11_5_refuses_scikit_learns_silhouette():
    def from_scratch(X, labels):
        D = np.sqrt(np.maximum(_expansion(X, X), 0))
        H = np.eye(labels.max() + 1)[labels].T          # (k, n) one-hot
        sizes = H.sum(axis=1)
        mean_to = (D @ H.T) / sizes                     # (n, k) mean distance to each cluster
        own = labels
        a = (D @ H.T)[np.arange(len(X)), own] / (sizes[own] - 1)
        mean_to[np.arange(len(X)), own] = np.inf
        b = mean_to.min(axis=1)
        return (b - a) / np.maximum(a, b)

    assert_passes("11.5", from_scratch)
    assert_fails("11.5", silhouette_samples, "silhouette")


@pytest.mark.parametrize("exercise_id", ["06.1", "07.1", "08.1", "11.4", "11.5"])
def test_the_guards_leave_no_trace(exercise_id):
    """After a refused shortcut the library functions work again as usual."""
    status_of(exercise_id, lambda *args: scipy.special.expit(np.zeros(2)))
    assert isinstance(scipy.special.expit, np.ufunc)
    assert np.allclose(scipy.special.expit(np.zeros(2)), 0.5)
