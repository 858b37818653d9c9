"""Checkers for notebook 06_logistic_regression.

Each checker calls the learner's function on fresh random inputs, including extreme scores,
and compares the result with the course's reference in ``mlcourse.linear_model``.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.exercises._guards import forbidden_calls
from mlcourse.linear_model import binary_loss_grad, multinomial_loss_grad
from mlcourse.linear_model import sigmoid as reference_sigmoid
from mlcourse.linear_model import softmax as reference_softmax

# The exercises ask for your own stable formulas: the library versions are not the answer.
_LIBRARIES = ("scipy.special.expit", "scipy.special.softmax", "scipy.special.log_softmax",
              "scipy.special.log_expit", "sklearn", "mlcourse.linear_model", "torch", "jax")
_WHY = "Write the formula yourself with NumPy: that is the point of the exercise."
# The gradients may use a library sigmoid (the exercise is the gradient), not a library gradient.
_GRADIENT_LIBRARIES = ("sklearn", "mlcourse.linear_model")


def _importable(targets):
    """The targets whose package is loaded already: a learner who uses torch or jax has
    imported it, and importing a framework just to forbid it would cost seconds."""
    import sys

    return [t for t in targets
            if t.split(".")[0] in sys.modules or t.split(".")[0] in ("scipy", "sklearn",
                                                                     "mlcourse")]


def _call_without_overflow(function, *args, what, hint):
    """Call ``function`` with NumPy raising on overflow, division by zero or invalid values,
    refusing the library functions that would do the exercise for the learner."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"), \
                forbidden_calls(*_importable(_LIBRARIES), why=_WHY):
            return function(*args)
    except FloatingPointError as error:
        raise ExerciseFailed(f"{what} failed on extreme scores ({error}). {hint}") from None


@exercise("06.1", "The sigmoid, numerically stable")
def check_sigmoid(sigmoid):
    rng = rng_for()
    for z in (rng.normal(0, 3, size=50), rng.normal(0, 300, size=(4, 6)),
              np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0])):
        got = _call_without_overflow(
            sigmoid, z.copy(), what="sigmoid(z)",
            hint="For z = -1000, exp(-z) = exp(1000) overflows. Only ever exponentiate numbers "
                 "<= 0, e.g. e = np.exp(-np.abs(z)), and remember that np.where computes both "
                 "branches for every element, so each branch must be safe on its own.")
        got = np.asarray(got, dtype=float)
        expect(np.all(np.isfinite(got)), "sigmoid(z) returned nan or inf for extreme scores.")
        expect_close(got, reference_sigmoid(z), f"sigmoid of {z.size} scores",
                     "Hint: 1 / (1 + exp(-z)) for z >= 0 and exp(z) / (1 + exp(z)) for z < 0.",
                     rtol=1e-10, atol=1e-300)
    return ("Exact everywhere, even at ±1000, without a single warning, and your own formula "
            "(no library sigmoid).")


_LOG_LOSS_HINT = ("Work with the scores, not with p = sigmoid(z): p rounds to exactly 0 or 1 "
                  "and log(0) = -inf. np.logaddexp(0, z) computes log(1 + exp(z)) safely.")


@exercise("06.2", "The log loss from scores")
def check_binary_log_loss(binary_log_loss):
    rng = rng_for()
    for n in (1, 10, 500):
        y = rng.integers(0, 2, size=n).astype(float)
        z = rng.normal(0, 4, size=n)
        expected = np.mean(np.logaddexp(0, z) - y * z)
        got = _call_without_overflow(binary_log_loss, y.copy(), z.copy(), what="The log loss",
                                     hint=_LOG_LOSS_HINT)
        flipped = np.mean(np.logaddexp(0, z) - (1 - y) * z)
        if np.isclose(got, flipped) and not np.isclose(got, expected):
            raise ExerciseFailed("The labels are swapped: z is the log-odds of class 1, so an "
                                 "example with y = 1 costs log(1 + exp(-z)).")
        expect_close(got, expected, f"The mean log loss of {n} example(s)",
                     "Hint: np.mean(np.logaddexp(0, z) - y * z).")
    got = _call_without_overflow(binary_log_loss, np.array([0.0, 1.0, 1.0]),
                                 np.array([1000.0, -1000.0, 1000.0]), what="The log loss",
                                 hint=_LOG_LOSS_HINT)
    expect_close(got, 2000.0 / 3, "The loss of two confident mistakes (scores ±1000) and one hit",
                 "Each confident mistake costs about 1000; a confident hit costs about 0. "
                 "Hint: never form p = sigmoid(z) and take its log, use np.logaddexp.")
    return "Right, and it stays finite however confident the model is."


@exercise("06.3", "The gradient with an L2 penalty")
def check_penalised_gradient(penalised_gradient):
    for salt, (n, d, lam) in enumerate([(40, 3, 0.5), (200, 7, 0.01), (5, 1, 2.0)]):
        rng = rng_for(salt)
        X = rng.normal(size=(n, d))
        y = rng.integers(0, 2, size=n).astype(float)
        w, b = rng.normal(size=d), float(rng.normal())
        _, expected_w, expected_b = binary_loss_grad(w, b, X, y, lam)
        with forbidden_calls(*_GRADIENT_LIBRARIES, why=_WHY):
            got = penalised_gradient(w.copy(), b, X.copy(), y.copy(), lam)
        grad_w, grad_b = (np.asarray(g, dtype=float) for g in unpack(got, ("grad_w", "grad_b")))
        expect(grad_w.shape == (d,), f"grad_w should have the shape of w, ({d},); "
               f"got {grad_w.shape}.")
        expect(grad_b.ndim == 0, f"grad_b should be one number; got shape {grad_b.shape}.")
        if np.allclose(grad_w, expected_w - lam * w):
            raise ExerciseFailed("The penalty's gradient is missing: add lam * w to grad_w.")
        if np.allclose(grad_b, expected_b + lam * b) and lam * b != 0:
            raise ExerciseFailed("The bias is not penalised: grad_b has no lam * b term.")
        expect_close(grad_w, expected_w, "grad_w",
                     "Hint: X.T @ (sigmoid(X @ w + b) - y) / n + lam * w.")
        expect_close(grad_b, expected_b, "grad_b", "Hint: mean(sigmoid(X @ w + b) - y).")
    return "Correct: the error times the input, plus the penalty on w only."


@exercise("06.4", "The softmax, numerically stable")
def check_softmax(softmax):
    rng = rng_for()
    for Z in (rng.normal(0, 2, size=(6, 3)), rng.normal(0, 500, size=(20, 5)),
              np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [0.0, 0.0, 1.0]])):
        got = _call_without_overflow(
            softmax, Z.copy(), what="softmax(Z)",
            hint="exp(1000) overflows. Subtract each row's maximum first "
                 "(Z - Z.max(axis=1, keepdims=True)): the softmax does not change and the "
                 "largest exponent becomes exp(0) = 1.")
        got = np.asarray(got, dtype=float)
        expect(got.shape == Z.shape, f"softmax(Z) should keep the shape {Z.shape}; "
               f"got {got.shape}. Hint: reduce along axis=1 with keepdims=True.")
        expect(np.all(np.isfinite(got)),
               "softmax(Z) returned nan or inf. Hint: subtract each row's maximum first.")
        expect_close(got.sum(axis=1), np.ones(len(Z)), "The row sums",
                     "Each row must sum to one: normalise along axis=1, not over the whole array.")
        expect_close(got, reference_softmax(Z), "softmax(Z)", atol=1e-12)
    return "Stable and exact: every row is a probability distribution."


@exercise("06.5", "The gradient of the softmax cross-entropy")
def check_softmax_gradient(softmax_gradient):
    for salt, (n, d, K) in enumerate([(30, 2, 3), (100, 5, 4), (8, 3, 2)]):
        rng = rng_for(salt)
        X = rng.normal(size=(n, d))
        y = rng.integers(0, K, size=n)
        y[:K] = np.arange(K)  # every class present
        W, b = rng.normal(size=(K, d)), rng.normal(size=K)
        _, expected_W, expected_b = multinomial_loss_grad(W, b, X, y)
        with forbidden_calls(*_GRADIENT_LIBRARIES, why=_WHY):
            got = softmax_gradient(W.copy(), b.copy(), X.copy(), y.copy())
        grad_W, grad_b = (np.asarray(g, dtype=float) for g in unpack(got, ("grad_W", "grad_b")))
        expect(grad_W.shape == (K, d), f"grad_W should have the shape of W, ({K}, {d}); got "
               f"{grad_W.shape}. Hint: (P - Y).T @ X is (K, n) @ (n, d).")
        expect(grad_b.shape == (K,), f"grad_b should have shape ({K},); got {grad_b.shape}.")
        if np.allclose(grad_W, -expected_W):
            raise ExerciseFailed("The sign is flipped: the error is P - Y, not Y - P.")
        expect_close(grad_W, expected_W, "grad_W", "Hint: (P - Y).T @ X / n, with P the softmax "
                     "of X @ W.T + b and Y = np.eye(K)[y].")
        expect_close(grad_b, expected_b, "grad_b", "Hint: the column means of P - Y.")
    return "Right: the multi-class gradient has the same 'error times input' shape."
