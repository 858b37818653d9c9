"""Checkers for notebook 09_support_vector_machines.

Each checker calls the learner's function on fresh random inputs made here and compares the
result with a reference: a direct NumPy formula, ``mlcourse.svm.rbf_kernel``, or an ``SVC``
fitted by ``mlcourse.svm``.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.svm import SVC, rbf_kernel


def _labels_pm1(rng, n):
    """Labels in {-1, +1} with both classes present."""
    y = rng.choice([-1.0, 1.0], size=n)
    if n >= 2:
        y[:2] = [-1.0, 1.0]
    return y


def _reference_hinge(w, b, X, y, C):
    margins = y * (X @ w + b)
    violated = margins < 1
    J = 0.5 * w @ w + C * np.maximum(0.0, 1.0 - margins).sum()
    return J, w - C * X[violated].T @ y[violated], -C * y[violated].sum()


@exercise("09.1", "Hinge loss and its sub-gradient")
def check_hinge_objective(hinge_objective):
    rng = rng_for()
    cases = []
    for n, d, C in ((30, 3, 1.0), (200, 6, 0.1), (1, 2, 10.0)):
        X = rng.normal(size=(n, d))
        cases.append((rng.normal(size=d), float(rng.normal()), X, _labels_pm1(rng, n), C))
    # separable data and a wide-margin w: no point violates its margin
    X = np.r_[rng.normal(3, 0.3, size=(10, 2)), rng.normal(-3, 0.3, size=(10, 2))]
    cases.append((np.array([2.0, 2.0]), 0.0, X, np.r_[np.ones(10), -np.ones(10)], 1.0))
    for w, b, X, y, C in cases:
        J, grad_w, grad_b = unpack(
            hinge_objective(w.copy(), b, X.copy(), y.copy(), C), ("J", "grad_w", "grad_b"))
        J_ref, grad_w_ref, grad_b_ref = _reference_hinge(w, b, X, y, C)
        expect_close(J, J_ref, f"J for {len(y)} points and C = {C}",
                     "Hint: 0.5 * w @ w + C * np.maximum(0, 1 - y * (X @ w + b)).sum(); the "
                     "bias b is not in the penalty.")
        expect_close(grad_w, grad_w_ref, f"grad_w for {len(y)} points and C = {C}",
                     "Hint: w - C * X[v].T @ y[v], where v = margins < 1 marks the points that "
                     "violate their margin; the others contribute nothing.")
        expect_close(grad_b, grad_b_ref, f"grad_b for {len(y)} points and C = {C}",
                     "Hint: -C * y[v].sum() over the violating points v.")
    return "Right: only the points inside their margin push on w and b."


def _reference_pegasos_step(w, X, y, lam, t):
    eta = 1.0 / (lam * t)
    violated = y * (X @ w) < 1
    return (1.0 - eta * lam) * w + eta / len(y) * (y[violated] @ X[violated])


def _eta_lam(lam, t):
    """``eta * lam`` of step ``t``: the share of ``w`` the penalty removes."""
    return (1.0 / (lam * t)) * lam


@exercise("09.2", "One Pegasos step")
def check_pegasos_step(pegasos_step):
    rng = rng_for()
    for batch, d, lam, t in ((16, 4, 0.01, 1), (16, 4, 0.01, 7), (1, 3, 0.1, 3),
                             (64, 10, 0.001, 250)):
        X = rng.normal(size=(batch, d))
        y = _labels_pm1(rng, batch) if batch > 1 else np.array([1.0])
        w = rng.normal(size=d)
        expected = _reference_pegasos_step(w, X, y, lam, t)
        got = pegasos_step(w.copy(), X.copy(), y.copy(), lam, t)
        if np.allclose(np.asarray(got, dtype=float), expected + _eta_lam(lam, t) * w):
            raise ExerciseFailed("The old w is not shrunk: the step on the penalty "
                                 "lam/2 ||w||^2 multiplies w by (1 - eta * lam) = 1 - 1/t.")
        expect_close(got, expected, f"The new w (batch of {batch}, t = {t})",
                     "Hint: eta = 1 / (lam * t); v = y * (X @ w) < 1; "
                     "w_new = (1 - eta * lam) * w + eta / len(y) * (y[v] @ X[v]). Divide by "
                     "the batch size, not by the number of violators.")
    # a batch where every margin is already above 1: only the shrinking remains
    X = np.array([[2.0, 0.0], [-2.0, 0.0]])
    w = np.array([1.0, 0.5])
    expect_close(pegasos_step(w.copy(), X, np.array([1.0, -1.0]), 0.5, 4), 0.75 * w,
                 "The step when no point violates its margin",
                 "Hint: with no violator the step only shrinks w by (1 - 1/t).")
    return "Right: shrink w by (1 - 1/t), then add the violators' average pull."


@exercise("09.3", "The RBF kernel matrix, vectorised")
def check_rbf_kernel_matrix(rbf_kernel_matrix):
    rng = rng_for()
    shapes = ((5, 7, 3), (1, 40, 4), (60, 1, 2), (200, 150, 8))
    for (n, m, d), gamma in zip(shapes, (0.5, 2.0, 0.01, 0.1), strict=True):
        A, B = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        got = np.asarray(rbf_kernel_matrix(A.copy(), B.copy(), gamma), dtype=float)
        expect(got.shape == (n, m),
               f"For A with {n} rows and B with {m} rows return an ({n}, {m}) matrix; got "
               f"{got.shape}.")
        expect_close(got, rbf_kernel(A, B, gamma=gamma), f"K for A {A.shape}, B {B.shape}",
                     "Hint: D = (A**2).sum(1)[:, None] - 2 * A @ B.T + (B**2).sum(1)[None, :], "
                     "then np.exp(-gamma * D).", rtol=1e-7, atol=1e-10)
    # points far from the origin: ||a||^2 - 2 a.b + ||b||^2 cancels and rounds below zero
    A = 1e4 + rng.normal(size=(30, 3))
    K = np.asarray(rbf_kernel_matrix(A, A, 1.0), dtype=float)
    expect(np.all(K <= 1.0),
           f"Some entries exceed 1 (max {K.max():.15f}) for points far from the origin: round-off "
           "made a squared distance negative. Clip it with np.maximum(D, 0) before the exp.")
    expect_close(np.diag(K), np.ones(30), "The diagonal K(x, x)",
                 "Every point is at distance 0 from itself, so K(x, x) = 1.", atol=1e-6)
    return "Right, vectorised and safe against round-off."


def _fresh_svm_problem(rng, n=80):
    """Two overlapping blobs with string labels, scaled like standardised data."""
    X = np.r_[rng.normal(-0.8, 1.0, size=(n // 2, 2)), rng.normal(0.8, 1.0, size=(n // 2, 2))]
    y = np.array(["spam"] * (n // 2) + ["ham"] * (n // 2))
    return X, y


@exercise("09.4", "Which points are on or inside the margin")
def check_support_vector_mask(support_vector_mask):
    rng = rng_for()
    for C, kernel in ((0.1, "linear"), (1.0, "rbf"), (10.0, "rbf")):
        X, y = _fresh_svm_problem(rng)
        model = SVC(C=C, kernel=kernel, tol=1e-6).fit(X, y)
        y_pm = np.where(y == model.classes_[1], 1.0, -1.0)
        expected = y_pm * model.decision_function(X) <= 1 + 1e-3
        got = np.asarray(support_vector_mask(model, X, y))
        expect(got.shape == (len(y),) and got.dtype == bool,
               f"Return one True/False per training point, shape ({len(y)},); got an array of "
               f"dtype {got.dtype} and shape {got.shape}.")
        flipped = -y_pm * model.decision_function(X) <= 1 + 1e-3
        if np.array_equal(got, flipped) and not np.array_equal(got, expected):
            raise ExerciseFailed("The labels are the wrong way round: a positive decision value "
                                 "means model.classes_[1], so that class is +1.")
        wrong = np.flatnonzero(got != expected)
        expect(wrong.size == 0,
               f"{wrong.size} of {len(y)} points are wrong (C = {C}, kernel {kernel!r}), e.g. "
               f"point {wrong[:1]}. Hint: code the labels as +1 for model.classes_[1] and -1 "
               "otherwise, compute the margins y * model.decision_function(X), and keep the "
               "points with a margin <= 1 + 1e-3.")
    return "Right: exactly the points on or inside their margin."


@exercise("09.5", "Predict from the dual coefficients")
def check_dual_decision_function(dual_decision_function):
    rng = rng_for()
    for C, gamma in ((1.0, 0.5), (10.0, 2.0)):
        X, y = _fresh_svm_problem(rng)
        model = SVC(C=C, gamma=gamma).fit(X, y)
        X_new = rng.normal(size=(25, 2))
        got = dual_decision_function(
            model.dual_coef_[0].copy(), model.support_vectors_.copy(), float(model.intercept_[0]),
            X_new.copy(), gamma,
        )
        expect_close(got, model.decision_function(X_new),
                     f"The decision values of 25 new points (C = {C}, gamma = {gamma})",
                     "Hint: f(x) = sum_i dual_coef[i] * exp(-gamma ||sv_i - x||^2) + intercept, "
                     "i.e. rbf(X, support_vectors) @ dual_coef + intercept.", rtol=1e-6)
    return "Right: the whole model is the support vectors, their weights and one intercept."
