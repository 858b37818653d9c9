"""Checkers for notebook 05_linear_regression.

Each checker calls the learner's function on fresh random data and compares the result with
the course's reference (``mlcourse.linear_model``) or a direct NumPy computation.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.linear_model import mse_loss_grad


def _regression_data(salt=0, n=40, d=4):
    rng = rng_for(salt)
    X = rng.normal(1.0, 2.0, size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 3.0 + rng.normal(0.0, 0.5, size=n)
    return X, y, rng


@exercise("05.1", "The gradient of the MSE")
def check_mse_gradient(mse_gradient):
    for salt, (n, d) in enumerate([(40, 4), (7, 1), (200, 9)]):
        X, y, rng = _regression_data(salt, n, d)
        w, b = rng.normal(size=d), float(rng.normal())
        _, expected_w, expected_b = mse_loss_grad(X, y, w, b)
        got = mse_gradient(X.copy(), y.copy(), w.copy(), b)
        grad_w, grad_b = (np.asarray(g, dtype=float) for g in unpack(got, ("grad_w", "grad_b")))
        expect(grad_w.shape == (d,),
               f"grad_w should have the shape of w, ({d},); got {grad_w.shape}. "
               "Hint: X.T @ r has one entry per feature.")
        expect(grad_b.ndim == 0, f"grad_b should be one number; got shape {grad_b.shape}.")
        if np.allclose(grad_w, -expected_w) and np.allclose(grad_b, -expected_b):
            raise ExerciseFailed("The sign is flipped: use r = X @ w + b - y (prediction minus "
                                 "target), so the gradient points uphill.")
        if np.allclose(grad_w, expected_w / 2) and np.allclose(grad_b, expected_b / 2):
            raise ExerciseFailed("Off by a factor of 2: the derivative of r² is 2r.")
        expect_close(grad_w, expected_w, "grad_w", "Hint: (2 / n) * X.T @ (X @ w + b - y).")
        expect_close(grad_b, expected_b, "grad_b", "Hint: 2 * mean(X @ w + b - y).")
    return "Both parts of the gradient are right, for any shape of X."


@exercise("05.2", "The normal equation with a bias")
def check_normal_equation(normal_equation):
    for salt, (n, d) in enumerate([(50, 3), (12, 1), (300, 8)]):
        X, y, _ = _regression_data(salt, n, d)
        X1 = np.column_stack([np.ones(n), X])
        theta, *_ = np.linalg.lstsq(X1, y, rcond=None)
        got = normal_equation(X.copy(), y.copy())
        w, b = (np.asarray(v, dtype=float) for v in unpack(got, ("w", "b")))
        expect(w.shape == (d,),
               f"w should have one weight per feature, shape ({d},); got {w.shape}. "
               "Hint: theta = (b, w): split off its first entry.")
        expect(b.ndim == 0, f"b should be one number; got shape {b.shape}.")
        if np.allclose(b, 0.0) and not np.allclose(theta[0], 0.0):
            raise ExerciseFailed("b is 0: add a column of ones to X so the bias is learned.")
        expect_close(w, theta[1:], "w", "Hint: solve (X1.T @ X1) theta = X1.T @ y with "
                     "X1 = np.column_stack([np.ones(n), X]); theta[0] is b.")
        expect_close(b, theta[0], "b")
    return "Your normal equation gives the least-squares weights and bias."


def _reference_epoch(X, y, w, b, learning_rate, batch_size, rng):
    order = rng.permutation(len(y))
    for start in range(0, len(y), batch_size):
        batch = order[start:start + batch_size]
        _, grad_w, grad_b = mse_loss_grad(X[batch], y[batch], w, b)
        w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
    return w, b


@exercise("05.3", "One epoch of mini-batch gradient descent")
def check_minibatch_epoch(minibatch_epoch):
    for salt, (n, batch_size) in enumerate([(50, 8), (30, 1), (20, 20), (25, 100)]):
        X, y, rng = _regression_data(salt, n, 3)
        w0, b0 = rng.normal(size=3), 0.5
        seed = int(rng.integers(1 << 31))
        expected_w, expected_b = _reference_epoch(X, y, w0, b0, 0.01, batch_size,
                                                  np.random.default_rng(seed))
        w_in = w0.copy()
        got = minibatch_epoch(X.copy(), y.copy(), w_in, b0, 0.01, batch_size,
                              np.random.default_rng(seed))
        unpack(got, ("w", "b"))
        expect(np.array_equal(w_in, w0),
               "Your function changed the w it was given. Start with w = w.copy() or write "
               "w = w - ... (a new array) instead of w -= ....")
        expected_steps = -(-n // batch_size)
        expect_close(got[0], expected_w, f"w after one epoch (n={n}, batch_size={batch_size})",
                     f"Hint: there should be {expected_steps} step(s), one per batch of "
                     "`order`, each with the MSE gradient of that batch only (divide by the "
                     "batch's length, not n). Call rng.permutation(len(y)) exactly once.")
        expect_close(got[1], expected_b, "b after one epoch")
    return "One shuffled pass, one step per mini-batch: exactly right."


@exercise("05.4", "Polynomial features of one column")
def check_polynomial_features(polynomial_features):
    rng = rng_for()
    for n, degree in [(10, 1), (25, 3), (6, 7)]:
        x = rng.uniform(-2.0, 2.0, size=n)
        expected = np.column_stack([x ** k for k in range(1, degree + 1)])
        got = np.asarray(polynomial_features(x.copy(), degree), dtype=float)
        expect(got.shape == (n, degree),
               f"For {n} values and degree {degree} the result should have shape "
               f"({n}, {degree}); got {got.shape}. Hint: powers 1 to degree, no column of ones.")
        expect_close(got, expected, f"The degree-{degree} features",
                     "Hint: column k (from 0) holds x ** (k + 1).")
    try:
        got = np.asarray(polynomial_features([1.0, 2.0, 3.0], 2), dtype=float)
    except Exception as error:
        raise ExerciseFailed(f"polynomial_features([1.0, 2.0, 3.0], 2) raised "
                             f"{type(error).__name__}: {error}. Hint: convert x with "
                             "np.asarray(x, dtype=float) first so lists work too.") from None
    expect_close(got, [[1, 1], [2, 4], [3, 9]], "polynomial_features([1, 2, 3], 2)",
                 "Hint: convert x with np.asarray first so lists work too.")
    return "Right, and vectorised thinking pays: one broadcast builds every column."


@exercise("05.5", "The largest stable learning rate")
def check_largest_stable_learning_rate(largest_stable_learning_rate):
    for salt, (n, d) in enumerate([(60, 3), (200, 6)]):
        X, y, _ = _regression_data(salt, n, d)
        X1 = np.column_stack([np.ones(n), X])
        expected = 2 / np.linalg.eigvalsh(2 / n * X1.T @ X1).max()
        got = float(largest_stable_learning_rate(X.copy()))
        without_ones = 2 / np.linalg.eigvalsh(2 / n * X.T @ X).max()
        if np.isclose(got, without_ones) and not np.isclose(without_ones, expected):
            raise ExerciseFailed("Add the column of ones before forming the Hessian: the bias "
                                 "is a parameter too and changes the curvature.")
        expect_close(got, expected, "The learning rate",
                     "Hint: H = 2 / n * X1.T @ X1, then 2 / np.linalg.eigvalsh(H).max().")
        # behaviour: just below converges, just above diverges
        for factor, should_converge in ((0.95, True), (1.05, False)):
            theta = np.zeros(d + 1)
            eta = factor * got
            for _ in range(2000):
                theta -= eta * 2 / n * X1.T @ (X1 @ theta - y)
            gradient = X1.T @ (X1 @ theta - y)
            converged = np.isfinite(theta).all() and np.abs(gradient).max() < 1e-3 * n
            expect(converged == should_converge,
                   f"Gradient descent at {factor} x your rate should "
                   f"{'converge' if should_converge else 'diverge'}, but it does not.")
    return "Your bound is exact: just below it descent converges, just above it diverges."
