"""Checkers for notebook 06_logistic_regression.

Each checker calls the learner's function on fresh random inputs, including extreme scores,
and compares the result with the course's reference in ``mlcourse.linear_model``; the gradient
checker is given right and subtly wrong gradients made here, and the threshold is judged by
the false alarms it costs on the validation rows it was chosen on.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.exercises._guards import call_unmutated, forbidden_calls
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


# --- 06.2 the gradient of the squared error through a sigmoid ---------------------------------

def _squared_error_gradient(w, b, X, y):
    p = reference_sigmoid(X @ w + b)
    push = 2 * (p - y) * p * (1 - p)  # d/dz of (sigmoid(z) - y)^2
    return X.T @ push / len(y), float(push.mean())


@exercise("06.2", "The gradient of the squared error through a sigmoid")
def check_squared_error_gradient(squared_error_gradient):
    for salt, (n, d) in enumerate([(40, 3), (300, 6), (7, 1)]):
        rng = rng_for(salt)
        X = rng.normal(size=(n, d))
        y = rng.integers(0, 2, size=n).astype(float)
        w, b = rng.normal(0, 1.5, size=d), float(rng.normal())
        expected_w, expected_b = _squared_error_gradient(w, b, X, y)
        with forbidden_calls(*_GRADIENT_LIBRARIES, why=_WHY):
            got = call_unmutated(squared_error_gradient, w, b, X, y,
                                 what="squared_error_gradient")
        grad_w, grad_b = (np.asarray(g, dtype=float) for g in unpack(got, ("grad_w", "grad_b")))
        expect(grad_w.shape == (d,), f"grad_w should have the shape of w, ({d},); got "
                                     f"{grad_w.shape}.")
        expect(grad_b.ndim == 0, f"grad_b should be one number; got shape {grad_b.shape}.")
        p = reference_sigmoid(X @ w + b)
        hint = ("Hint: the chain rule gives d/dz (sigma(z) - y)^2 = 2 (p - y) p (1 - p), since "
                "sigma'(z) = p (1 - p); then X.T @ that / n and its mean. Check your formula "
                "with the central differences of section 5.")
        if np.allclose(grad_w, X.T @ (p - y) / n):
            hint = ("That is the gradient of the log loss. Through a sigmoid the squared error "
                    "picks up the sigmoid's slope: d/dz (p - y)^2 = 2 (p - y) p (1 - p).")
        elif np.allclose(grad_w, -expected_w):
            hint = "The sign is flipped: the error is p - y, prediction minus target."
        elif np.allclose(grad_w, expected_w / 2):
            hint = "Off by a factor of 2: the derivative of u^2 is 2u."
        expect_close(grad_w, expected_w, "grad_w", hint)
        expect_close(grad_b, expected_b, "grad_b", "Hint: the mean of 2 (p - y) p (1 - p).")
    return ("Right: the error times the sigmoid's slope times the input. Where the model is "
            "confidently wrong, p (1 - p) is tiny, and so is this gradient (section 4).")


# --- 06.3 match scikit-learn's C ---------------------------------------------------------------

def _fit_penalised(X, y, penalty, penalise_bias=False):
    """Mean log loss + penalty / 2 * ||w||^2 (and b^2 if asked), minimised very tightly."""
    n, d = X.shape

    def objective(theta):
        w, b = theta[:d], theta[d]
        z = X @ w + b
        error = reference_sigmoid(z) - y
        squared = theta @ theta if penalise_bias else w @ w
        grad_b = error.mean() + (penalty * b if penalise_bias else 0.0)
        return (float(np.mean(np.logaddexp(0, z) - y * z) + penalty / 2 * squared),
                np.r_[X.T @ error / n + penalty * w, grad_b])

    result = scipy.optimize.minimize(objective, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                                     options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10_000})
    return result.x[:d], result.x[d]


def _probability_gap(p, X, y, penalty, penalise_bias=False):
    """Largest difference between the probabilities p and those of the penalised minimum."""
    w_ref, b_ref = _fit_penalised(X, y, penalty, penalise_bias)
    return float(np.abs(p - reference_sigmoid(X @ w_ref + b_ref)).max())


@exercise("06.3", "Match scikit-learn's C")
def check_fit_logistic(fit_logistic):
    rng = rng_for()
    for n, d, C in ((200, 3, 1.0), (80, 5, 0.05), (300, 4, 10.0)):
        X = rng.normal(0, 1, (n, d)) * rng.uniform(0.5, 3, d)
        y = (rng.random(n) < reference_sigmoid(X @ rng.normal(size=d) + 1.5)).astype(float)
        with forbidden_calls(*_GRADIENT_LIBRARIES, why="fit it with your own loss, gradient "
                             "and scipy.optimize.minimize, as the task says"):
            got = call_unmutated(fit_logistic, X, y, C, what="fit_logistic")
        w, b = (np.asarray(v, dtype=float) for v in unpack(got, ("w", "b")))
        expect(w.shape == (d,), f"w should have one weight per feature, shape ({d},); got "
                                f"{w.shape}.")
        expect(b.ndim == 0, f"b should be one number; got shape {b.shape}.")
        p = reference_sigmoid(X @ w + b)
        right = _probability_gap(p, X, y, 1 / (C * n))
        if right <= 1e-3:
            continue
        if _probability_gap(p, X, y, 1 / C) <= 1e-3:
            hint = ("Your penalty is n times too strong: scikit-learn minimises C * (sum of the "
                    "losses) + ||w||^2 / 2; divided by C n that is the *mean* loss + "
                    "||w||^2 / (2 C n).")
        elif _probability_gap(p, X, y, 1 / (C * n), penalise_bias=True) <= 1e-3:
            hint = "The bias is not penalised: leave b out of the penalty and of its gradient."
        else:
            hint = ("Hint: minimise mean(logaddexp(0, z) - y z) + w @ w / (2 C n), z = X @ w + b, "
                    "with its gradient (X.T @ (p - y) / n + w / (C n), mean(p - y)), by "
                    "scipy.optimize.minimize(objective, np.zeros(d + 1), jac=True, "
                    "method='L-BFGS-B'), and run it to convergence.")
        raise ExerciseFailed(
            f"With n={n}, d={d}, C={C} your model's probabilities differ from the penalised "
            f"minimum by up to {right:.3g}, where 1e-3 is allowed. {hint}")
    return ("Your (w, b) give the same probabilities as the minimum scikit-learn's "
            "LogisticRegression(C) looks for, for strong, medium and weak penalties.")


_SOFTMAX_HINT = ("exp(1000) overflows, and exp(-2000) underflows to 0 (then 0 / 0 = nan). "
                 "Subtract each row's own maximum, Z - Z.max(axis=1, keepdims=True), not the "
                 "maximum of the whole array: the softmax of a row does not change and its "
                 "largest exponent becomes exp(0) = 1.")


@exercise("06.4", "Debug the softmax")
def check_softmax(softmax):
    rng = rng_for()
    far_apart = np.array([[2.0, 1.0, 0.0], [2000.0, 1999.0, 1998.0], [-3.0, -1.0, -2.0]])
    for Z in (rng.normal(0, 2, size=(6, 3)), rng.normal(0, 500, size=(20, 5)),
              np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [0.0, 0.0, 1.0]]),
              far_apart, rng.normal(0, 1, size=(4, 7)) + rng.normal(0, 3000, size=(4, 1))):
        got = _call_without_overflow(
            lambda Z: call_unmutated(softmax, Z, what="softmax"), Z.copy(),
            what="softmax(Z)", hint=_SOFTMAX_HINT)
        got = np.asarray(got, dtype=float)
        expect(got.shape == Z.shape, f"softmax(Z) should keep the shape {Z.shape}; "
               f"got {got.shape}. Hint: reduce along axis=1 with keepdims=True.")
        expect(np.all(np.isfinite(got)), f"softmax(Z) returned nan or inf. {_SOFTMAX_HINT}")
        expect_close(got.sum(axis=1), np.ones(len(Z)), "The row sums",
                     "Each row must sum to one: normalise along axis=1 (one sum per example, "
                     "E.sum(axis=1, keepdims=True)), not along axis=0.")
        expect_close(got, reference_softmax(Z), "softmax(Z)", atol=1e-12)
    return ("Fixed: every row is a probability distribution, rows far apart in scale included, "
            "and the caller's scores stay as they were.")


# --- 06.5 judgement: a screening threshold -----------------------------------------------------

def _validation_sample(rng, n, prevalence):
    y = (rng.random(n) < prevalence).astype(float)
    z = rng.normal(2.5 * y - 1.2, 1.3)  # scores overlap: no threshold is free
    return y, reference_sigmoid(z)


@exercise("06.5", "A screening threshold (judgement)")
def check_screening_threshold(screening_threshold):
    rng = rng_for()
    for n, prevalence, min_recall in ((400, 0.37, 0.98), (1000, 0.1, 0.95), (150, 0.5, 0.9)):
        y, p = _validation_sample(rng, n, prevalence)
        got = call_unmutated(screening_threshold, y, p, min_recall, what="screening_threshold")
        threshold = float(np.asarray(got, dtype=float))
        flagged = p >= threshold
        n_pos = int(y.sum())
        recall = flagged[y == 1].mean()
        false_alarms = int(np.sum(flagged & (y == 0)))
        # the fewest positives whose share reaches min_recall, compared as the recall is
        needed = int(np.argmax(np.arange(n_pos + 1) / n_pos >= min_recall))
        kth = np.sort(p[y == 1])[::-1][needed - 1]
        fewest = int(np.sum((p >= kth) & (y == 0)))
        at_half = p >= 0.5
        expect(recall >= min_recall,
               f"With {n_pos} malignant among {n} validation biopsies and min_recall="
               f"{min_recall}, your threshold {threshold:.4f} flags {flagged[y == 1].sum()} of "
               f"them: recall {recall:.3f}, below the requirement (0.5 would give "
               f"{at_half[y == 1].mean():.3f}). Hint: at least "
               f"{needed} positives must have p >= threshold, so the threshold can be at most "
               f"the {needed}-th largest probability among the positives (flag with >=).")
        expect(false_alarms == fewest,
               f"Your threshold {threshold:.4f} meets the recall but raises {false_alarms} false "
               f"alarms, where {fewest} are enough. Hint: take the largest threshold that still "
               f"flags {needed} positives: the {needed}-th largest p among the positives.")
    return ("On three validation sets your threshold meets the required recall with the fewest "
            "false alarms possible.")
