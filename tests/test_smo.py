"""The readable SMO and the fast one take the same steps and reach the same solution."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, make_moons
from sklearn.metrics import pairwise as sk_pairwise
from sklearn.preprocessing import StandardScaler

from mlcourse.svm._smo import KernelRows, in_up_and_low, smo, smo_readable


def _moons(n=150, seed=0):
    X, y01 = make_moons(n, noise=0.25, random_state=seed)
    return X, np.where(y01 == 1, 1.0, -1.0)


def _cancer(n=300):
    data = load_breast_cancer()
    X = StandardScaler().fit_transform(data.data[:n])
    return X, np.where(data.target[:n] == 1, 1.0, -1.0)


def _problem(name):
    """Kernel matrix, labels and C of a small problem; several kernels and values of C."""
    if name == "moons-rbf":
        X, y = _moons()
        return sk_pairwise.rbf_kernel(X, gamma=2.0), y, 1.0
    if name == "moons-rbf-C100":
        X, y = _moons(seed=1)
        return sk_pairwise.rbf_kernel(X, gamma=5.0), y, 100.0
    X, y = _cancer()
    if name == "cancer-linear":
        return X @ X.T, y, 0.1
    return (X @ X.T / 30 + 1.0) ** 2, y, 10.0  # cancer-poly


PROBLEMS = ["moons-rbf", "moons-rbf-C100", "cancer-linear", "cancer-poly"]


def _fast(K, y, C, tol, max_iter=-1):
    rows = KernelRows(np.empty((len(y), 0)), None, 0, K=K)
    return smo(rows, np.diagonal(K).copy(), y, C, tol, max_iter)


@pytest.mark.parametrize("name", PROBLEMS)
def test_readable_and_fast_smo_take_the_same_steps(name):
    K, y, C = _problem(name)
    for tol in (1e-3, 1e-6):
        fast = _fast(K, y, C, tol)
        readable = smo_readable(K, y, C, tol)
        # the same arithmetic in the same order: the same pairs, so the same number of steps
        assert readable[2] == fast[2] > 0
        assert readable[3] and fast[3]
        np.testing.assert_array_equal(readable[0], fast[0])
        assert readable[1] == fast[1]


def test_readable_and_fast_smo_stop_together_at_max_iter():
    K, y, C = _problem("moons-rbf")
    fast = _fast(K, y, C, 1e-6, max_iter=7)
    readable = smo_readable(K, y, C, 1e-6, max_iter=7)
    assert fast[2] == readable[2] == 7 and not fast[3] and not readable[3]
    np.testing.assert_array_equal(readable[0], fast[0])


def test_readable_smo_satisfies_the_kkt_conditions():
    K, y, C = _problem("moons-rbf-C100")
    tol = 1e-5
    alpha, b, _, converged = smo_readable(K, y, C, tol)
    assert converged
    assert np.all((alpha >= 0) & (alpha <= C)) and abs(alpha @ y) < 1e-9
    margins = y * (K @ (alpha * y) + b)
    free = (alpha > 0) & (alpha < C)
    np.testing.assert_allclose(margins[free], 1.0, atol=10 * tol)
    assert np.all(margins[alpha == 0] >= 1 - 10 * tol)
    assert np.all(margins[alpha == C] <= 1 + 10 * tol)


def test_working_sets_follow_the_definition():
    C = 2.0
    alpha = np.array([0.0, 1.0, 2.0, 0.0, 1.0, 2.0])
    y = np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])
    in_up, in_low = in_up_and_low(alpha, y, C)
    # I_up: y = +1 below C, or y = -1 above 0; I_low: y = -1 below C, or y = +1 above 0
    np.testing.assert_array_equal(in_up, [True, True, False, False, True, True])
    np.testing.assert_array_equal(in_low, [False, True, True, True, True, False])
    # the same answer entry by entry, with Python floats (how the fast loop updates them)
    for k in range(len(y)):
        assert in_up_and_low(float(alpha[k]), float(y[k]), C) == (in_up[k], in_low[k])
