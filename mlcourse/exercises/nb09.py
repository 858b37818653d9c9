"""Checkers for notebook 09_support_vector_machines.

Each checker calls the learner's function on fresh random inputs made here and compares the
result with a reference: a direct NumPy formula, ``mlcourse.svm.rbf_kernel``, or an ``SVC``
fitted by ``mlcourse.svm``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.exercises._guards import call_unmutated
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


def _reference_logistic_step(w, X, y, lam, t):
    eta = 1.0 / (lam * t)
    pull = expit(-y * (X @ w))  # each point's weight: the probability of its wrong label
    return (1.0 - eta * lam) * w + eta / len(y) * ((y * pull) @ X)


def _hinge_step(w, X, y, lam, t):
    eta = 1.0 / (lam * t)
    violated = y * (X @ w) < 1
    return (1.0 - eta * lam) * w + eta / len(y) * (y[violated] @ X[violated])


@exercise("09.2", "Pegasos for the log loss")
def check_logistic_pegasos_step(logistic_pegasos_step):
    rng = rng_for()
    for batch, d, lam, t in ((16, 4, 0.01, 1), (16, 4, 0.01, 7), (1, 3, 0.1, 3),
                             (64, 10, 0.001, 250)):
        X = rng.normal(size=(batch, d))
        y = _labels_pm1(rng, batch) if batch > 1 else np.array([1.0])
        w = rng.normal(size=d)
        expected = _reference_logistic_step(w, X, y, lam, t)
        got = np.asarray(call_unmutated(logistic_pegasos_step, w, X, y, lam, t,
                                        what="logistic_pegasos_step"), dtype=float)
        expect(got.shape == w.shape, f"Return the new w, shape {w.shape}; got {got.shape}.")
        if np.allclose(got, _hinge_step(w, X, y, lam, t)) and not np.allclose(got, expected):
            raise ExerciseFailed(
                "That is the hinge step of section 4: only the margin violators pull, each with "
                "weight 1. With the log loss every point pulls, with weight sigmoid(-y x.w).")
        if np.allclose(got, _reference_logistic_step(w, X, -y, lam, t)) or np.allclose(
                got, (1.0 - 1.0 / t) * w + (expected - (1.0 - 1.0 / t) * w) * -1):
            raise ExerciseFailed(
                "The pull goes the wrong way: the gradient of log(1 + exp(-m)) in w is "
                "-sigmoid(-m) y x, so a step against it adds eta * sigmoid(-m) * y * x.")
        expect_close(got, expected, f"The new w (batch of {batch}, t = {t})",
                     "Hint: eta = 1 / (lam * t); m = y * (X @ w); w_new = (1 - eta * lam) * w "
                     "+ eta / len(y) * ((y * sigmoid(-m)) @ X), with sigmoid(z) = "
                     "1 / (1 + exp(-z)) (scipy.special.expit).")
    # huge margins: exp(1000) overflows, a stable sigmoid does not give nan
    X = np.array([[500.0, 0.0], [-500.0, 0.0], [0.0, 800.0]])
    y = np.array([1.0, 1.0, -1.0])
    w = np.array([2.0, 1.0])
    with np.errstate(all="ignore"):
        got = np.asarray(logistic_pegasos_step(w.copy(), X, y, 0.5, 4), dtype=float)
    expect(np.all(np.isfinite(got)),
           f"With margins of +-1000 the new w is {got}: exp overflowed. Hint: "
           "scipy.special.expit(-m) is the sigmoid without overflow.")
    expect_close(got, _reference_logistic_step(w, X, y, 0.5, 4), "The step with huge margins",
                 "Hint: a point far on the right side pulls with weight ~0, one far on the "
                 "wrong side with weight ~1.")
    return ("Right: the Pegasos schedule on the log loss, every point pulling with weight "
            "sigmoid(-margin), stable for huge margins, inputs left unchanged.")


def _poly2_features(X):
    """The explicit feature map of (x.z + 1)^2: 1, sqrt(2) x_i, x_i^2, sqrt(2) x_i x_j."""
    n, d = X.shape
    i, j = np.triu_indices(d, k=1)
    return np.c_[np.ones(n), np.sqrt(2) * X, X**2, np.sqrt(2) * X[:, i] * X[:, j]]


@exercise("09.3", "Distances in the feature space of a kernel")
def check_kernel_distances(kernel_distances):
    rng = rng_for()
    kernels = [
        ("linear", lambda A, B: A @ B.T, lambda X: X),
        ("polynomial (x.z + 1)^2", lambda A, B: (A @ B.T + 1.0) ** 2, _poly2_features),
        ("RBF, gamma = 0.5", lambda A, B: rbf_kernel(A, B, gamma=0.5), None),
    ]
    for name, kernel, features in kernels:
        for n, m, d in ((5, 7, 3), (40, 1, 2), (30, 25, 4)):
            A, B = rng.normal(size=(n, d)), rng.normal(size=(m, d))
            if features is None:  # RBF: k(x, x) = 1, so ||phi(a) - phi(b)||^2 = 2 - 2 k(a, b)
                expected = 2.0 - 2.0 * kernel(A, B)
            else:
                FA, FB = features(A), features(B)
                expected = ((FA[:, None, :] - FB[None, :, :]) ** 2).sum(axis=2)
            got = np.asarray(call_unmutated(kernel_distances, kernel, A, B,
                                            what="kernel_distances"), dtype=float)
            expect(got.shape == (n, m),
                   f"For A with {n} rows and B with {m} rows return ({n}, {m}); got {got.shape}.")
            plain = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)
            if name != "linear" and np.allclose(got, plain):
                raise ExerciseFailed(
                    f"With the {name} kernel you return the distances between the points "
                    "themselves. Use only kernel values: ||phi(a) - phi(b)||^2 = k(a, a) - "
                    "2 k(a, b) + k(b, b).")
            if name != "RBF, gamma = 0.5" and np.allclose(got, 2.0 - 2.0 * kernel(A, B)):
                raise ExerciseFailed(
                    f"2 - 2 k(a, b) holds only when k(x, x) = 1 (the RBF kernel); with the "
                    f"{name} kernel compute k(a, a) and k(b, b).")
            expect_close(got, expected, f"The feature-space distances, {name} kernel, A {A.shape}",
                         "Hint: k(a, a) is the diagonal of kernel(A, A) (or kernel(a[None], "
                         "a[None]) row by row); then k(a, a)[:, None] - 2 * kernel(A, B) + "
                         "k(b, b)[None, :].", rtol=1e-7, atol=1e-9)
    return ("Right for the linear, polynomial and RBF kernels, from kernel values alone, "
            "inputs left unchanged.")


def _fresh_svm_problem(rng, n=80):
    """Two overlapping blobs with string labels, scaled like standardised data."""
    X = np.r_[rng.normal(-0.8, 1.0, size=(n // 2, 2)), rng.normal(0.8, 1.0, size=(n // 2, 2))]
    y = np.array(["spam"] * (n // 2) + ["ham"] * (n // 2))
    return X, y


@exercise("09.4", "Predict from the dual coefficients")
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


# --- 09.5 an SVM for data in mixed units (judgement) ------------------------------------------

def _wavy_boundary(rng, n):
    """Two classes split by a wavy curve, measured in very different units, 3 % label noise."""
    u = rng.uniform(-1, 1, size=(n, 2))
    y = (u[:, 1] > 0.5 * np.sin(4 * np.pi * u[:, 0])).astype(int)
    y = np.where(rng.random(n) < 0.03, 1 - y, y)
    X = np.c_[2000 + 800 * u[:, 0], 0.002 * u[:, 1]]  # one in millimetres, one in kilometres
    return X, np.array(["benign", "malignant"])[y]


def _final_estimator(model):
    """The estimator at the end of a search or a pipeline."""
    model = getattr(model, "best_estimator_", model)
    steps = getattr(model, "steps", None)
    return steps[-1][1] if steps else model


def _reference_accuracy(X, y, X_new, y_new):
    """The best test accuracy of a standardised RBF SVM over a wide grid (an upper bound)."""
    mean, std = X.mean(axis=0), X.std(axis=0)
    best = 0.0
    for C in (1.0, 10.0, 100.0):
        for gamma in (1.0, 3.0, 10.0, 30.0):
            model = SVC(C=C, gamma=gamma).fit((X - mean) / std, y)
            best = max(best, model.score((X_new - mean) / std, y_new))
    return best


@exercise("09.5", "An SVM for data in mixed units (judgement)")
def check_fit_svm(fit_svm):
    rng = rng_for()
    X, y = _wavy_boundary(rng, 400)
    X_new, y_new = _wavy_boundary(rng, 4000)
    model = call_unmutated(fit_svm, X, y, what="fit_svm")
    expect(hasattr(model, "predict"),
           f"Return the fitted model you would deploy (it needs a predict method); got "
           f"{type(model).__name__}.")
    final = _final_estimator(model)
    expect(hasattr(final, "support_vectors_") or hasattr(final, "coef_"),
           f"The model should end in a fitted SVM (SVC or LinearSVC, the course's or "
           f"scikit-learn's); it ends in {type(final).__name__}.")
    accuracy = float(np.mean(np.asarray(model.predict(X_new)) == y_new))
    best = _reference_accuracy(X, y, X_new, y_new)
    default = SVC().fit(X, y).score(X_new, y_new)
    hint = ("Hint: the features are in very different units: standardise them in a pipeline. "
            "Then choose C and gamma by cross-validation on a logarithmic grid, and look at "
            "where the best pair sits: a best value on the edge of the grid means the grid "
            "should go further.")
    expect(accuracy >= best - 0.03,
           f"Your model reaches {accuracy:.3f} on 4,000 new points; a well-tuned RBF SVM on "
           f"standardised features reaches {best:.3f} (SVC() on the raw data: {default:.3f}). "
           f"{hint}")
    return (f"Your model reaches {accuracy:.3f} on 4,000 new points, within 0.03 of a "
            f"well-tuned RBF SVM ({best:.3f}); SVC() on the raw data reaches {default:.3f}.")
