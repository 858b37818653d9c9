"""The checks of notebooks 00-11 refuse the shortcuts their tasks forbid, and still accept the
right answers: each pair below is a right answer and the wrong one a learner is likely to try."""

from __future__ import annotations

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
