"""Checkers for notebook 14_regularization.

Each checker calls the learner's function on fresh data made here and compares the result
with a reference computed in the check: a direct solve of the ridge equations, the lasso's
optimality condition, a converged coordinate-descent fit, or the one-standard-error rule
applied to the same cross-validation table.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from mlcourse.exercises._core import (
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, expect_vectorised, forbidden_calls
from mlcourse.linear_model import Lasso

_NO_LIBRARY = ("sklearn", "mlcourse.linear_model")


def _regression(rng, n, d, offset=0.0, scales=None):
    """Features with non-zero means (and optional unequal scales) and a noisy linear target."""
    X = rng.normal(size=(n, d)) + rng.uniform(-3, 3, size=d)
    if scales is not None:
        X = X * scales
    w = rng.normal(size=d) * 2
    y = X @ w + offset + rng.normal(scale=0.5, size=n)
    return X, y


# --------------------------------------------------------------------------- 14.1


def _ridge_reference(X, y, alpha):
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    A = Xc.T @ Xc + alpha * np.eye(X.shape[1])
    w = scipy.linalg.solve(A, Xc.T @ yc, assume_a="pos")
    return w, y.mean() - X.mean(axis=0) @ w


def _ridge_penalising_intercept(X, y, alpha):
    Xb = np.column_stack([X, np.ones(len(X))])
    wb = scipy.linalg.solve(Xb.T @ Xb + alpha * np.eye(Xb.shape[1]), Xb.T @ y)
    return wb[:-1], wb[-1]


def _unpack_ridge(answer):
    w, b = unpack(answer, ("w", "b"))
    w = as_array(w, "w")
    b = float(np.squeeze(as_array(b, "b")))
    return w, b


@exercise("14.1", "Ridge without penalising the intercept")
def check_ridge_fit(ridge_fit):
    rng = rng_for()
    for n, d, alpha, offset in [(80, 5, 10.0, 500.0), (300, 12, 0.5, -40.0), (25, 40, 3.0, 7.0)]:
        X, y = _regression(rng, n, d, offset)
        with forbidden_calls(*_NO_LIBRARY, why="solve the ridge equations yourself"):
            answer = call_unmutated(ridge_fit, X, y, alpha, what="ridge_fit")
        w, b = _unpack_ridge(answer)
        w_ref, b_ref = _ridge_reference(X, y, alpha)
        expect(w.shape == w_ref.shape,
               f"w should have shape ({d},), one weight per feature; got {w.shape}. Hint: "
               "return the intercept separately, not as the last entry of w.")
        w_bug, b_bug = _ridge_penalising_intercept(X, y, alpha)
        if np.allclose(w, w_bug, rtol=1e-6, atol=1e-8) and np.isclose(b, b_bug, rtol=1e-6):
            expect(False,
                   f"The intercept is still penalised: with y shifted by {offset:g} your b is "
                   f"{b:.4g}, the unpenalised fit gives {b_ref:.4g}. Hint: centre X and y, "
                   "solve (Xc^T Xc + alpha I) w = Xc^T yc, then b = mean(y) - mean(X) @ w.")
        expect_close(w, w_ref, f"w (alpha={alpha:g}, {n} rows, {d} features)",
                     "Hint: the penalty is alpha * ||w||^2 on the sum of squared errors "
                     "(not the mean), and only on w.", rtol=1e-6, atol=1e-8)
        expect_close(b, b_ref, "b", "Hint: b = mean(y) - mean(X, axis=0) @ w.", rtol=1e-6,
                     atol=1e-8)
    # shifting y by a constant must move b by exactly that constant and leave w alone
    X, y = _regression(rng, 60, 4)
    with forbidden_calls(*_NO_LIBRARY, why="solve the ridge equations yourself"):
        w1, b1 = _unpack_ridge(ridge_fit(X, y, 50.0))
        w2, b2 = _unpack_ridge(ridge_fit(X, y + 1000.0, 50.0))
    expect(np.allclose(w1, w2, rtol=1e-6, atol=1e-8) and np.isclose(b2 - b1, 1000.0, rtol=1e-6),
           f"Adding 1000 to y moved b by {b2 - b1:.6g} (and w by up to "
           f"{np.abs(w2 - w1).max():.3g}); without a penalty on b it moves b by exactly 1000.")
    return ("Right: w matches the ridge equations on centred data, b is not shrunk, and a "
            "shift of y moves only b. No scikit-learn, inputs untouched.")


# --------------------------------------------------------------------------- 14.2


def _ridge_path_reference(X, y, alphas):
    return np.array([scipy.linalg.solve(X.T @ X + a * np.eye(X.shape[1]), X.T @ y,
                                        assume_a="pos") for a in alphas])


# (scipy.linalg.lstsq and pinv are left out: they share code with scipy.linalg.svd, which
# the answer is meant to call)
_SOLVERS = ("numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.lstsq", "numpy.linalg.pinv",
            "scipy.linalg.solve", "scipy.linalg.inv", "scipy.linalg.cho_solve")


@exercise("14.2", "A whole ridge path from one SVD")
def check_ridge_path_svd(ridge_path_svd):
    rng = rng_for()
    why = "use the singular values: w(alpha) = V diag(s / (s^2 + alpha)) U^T y"
    for n, d, n_alphas in [(100, 6, 7), (40, 60, 5), (500, 20, 30)]:
        X = rng.normal(size=(n, d)) * rng.uniform(0.2, 5, size=d)
        X -= X.mean(axis=0)
        y = X @ rng.normal(size=d) + rng.normal(size=n)
        y -= y.mean()
        alphas = np.geomspace(1e-2, 1e3, n_alphas)
        with forbidden_calls(*_NO_LIBRARY, *_SOLVERS, why=why):
            got = call_unmutated(ridge_path_svd, X, y, alphas, what="ridge_path_svd")
        got = as_array(got, "The path")
        expected = _ridge_path_reference(X, y, alphas)
        expect(got.shape == expected.shape,
               f"Return shape (n_alphas, n_features) = {expected.shape}; got {got.shape}."
               + (" Transpose it." if got.shape == expected.shape[::-1] else ""))
        expect_close(got, expected, f"The path ({n} rows, {d} features)",
                     "Hint: the shrinkage factor is s / (s**2 + alpha), then multiply by "
                     "U^T y and map back with V (the rows of Vt).", rtol=1e-6, atol=1e-9)
    X = rng.normal(size=(800, 80))
    y = rng.normal(size=800)
    alphas = np.geomspace(1e-3, 1e3, 400)

    def reference():
        U, s, Vt = np.linalg.svd(X, full_matrices=False)
        return (s / (s**2 + alphas[:, None]) * (U.T @ y)) @ Vt

    expect_vectorised(lambda: ridge_path_svd(X, y, alphas), reference, factor=20,
                      what="ridge_path_svd",
                      hint="Compute the SVD once, outside any loop over alphas.")
    return ("Right: the path matches one ridge solve per alpha, computed from a single SVD "
            "(no linear solve per alpha), inputs untouched.")


# --------------------------------------------------------------------------- 14.3


@exercise("14.3", "The smallest alpha that zeroes every weight")
def check_lasso_alpha_max(lasso_alpha_max):
    rng = rng_for()
    for n, d in [(120, 6), (400, 30), (30, 50)]:
        X, y = _regression(rng, n, d, offset=rng.uniform(-50, 50),
                           scales=rng.uniform(0.1, 10, size=d))
        with forbidden_calls(*_NO_LIBRARY, why="derive alpha_max from the optimality condition"):
            got = call_unmutated(lasso_alpha_max, X, y, what="lasso_alpha_max")
        got = float(np.squeeze(as_array(got, "alpha_max")))
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        expected = np.abs(Xc.T @ yc).max() / n
        if np.isclose(got, np.abs(X.T @ y).max() / n, rtol=1e-6):
            expect(False, "You used X and y as they are. The intercept is not penalised, "
                          "so the lasso sees centred data: subtract the column means first.")
        if np.isclose(got, np.abs(Xc.T @ yc).max(), rtol=1e-6):
            expect(False, "Off by a factor n: the loss is (1/2n)||y - Xw||^2, so divide by n.")
        if np.isclose(got, (Xc.T @ yc).max() / n, rtol=1e-6):
            expect(False, "A weight leaves 0 when |x_j^T y| exceeds n alpha, whatever its "
                          "sign: take the absolute value before the max.")
        expect_close(got, expected, f"alpha_max ({n} rows, {d} features)",
                     "Hint: alpha_max = max_j |x_j^T (y - mean y)| / n on centred columns.")
        # and it is the boundary: Lasso is all zeros just above it, not all zeros below
        above = Lasso(alpha=expected * 1.001).fit(X, y).coef_
        below = Lasso(alpha=expected * 0.98).fit(X, y).coef_
        expect(np.all(above == 0) and np.any(below != 0), "The reference boundary failed.")
    return ("Right: alpha_max = max |x_j^T y| / n on centred data, checked as the boundary "
            "where the lasso's first weight leaves 0.")


# --------------------------------------------------------------------------- 14.4


def _nonnegative_reference(X, y, alpha):
    """Projected coordinate descent to a tight tolerance (the same fixed point, any method)."""
    n, d = X.shape
    w = np.zeros(d)
    col_sq = (X**2).sum(axis=0) / n
    r = y - X @ w
    for _ in range(20_000):
        change = 0.0
        for j in range(d):
            rho = X[:, j] @ r / n + col_sq[j] * w[j]
            new = max(rho - alpha, 0.0) / col_sq[j]
            if new != w[j]:
                r -= (new - w[j]) * X[:, j]
                change = max(change, abs(new - w[j]))
                w[j] = new
        if change < 1e-13:
            break
    return w


@exercise("14.4", "Non-negative lasso by coordinate descent")
def check_nonnegative_lasso(nonnegative_lasso):
    rng = rng_for()
    for n, d, alpha in [(200, 6, 0.05), (150, 10, 0.3), (300, 4, 0.01)]:
        X = rng.normal(size=(n, d))
        X[:, 1] = 0.8 * X[:, 0] + 0.6 * X[:, 1]  # correlated columns, so clipping is wrong
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        w_true = rng.normal(size=d) * 2
        w_true[0], w_true[1] = 2.0, -1.5
        y = X @ w_true + rng.normal(scale=0.5, size=n)
        y -= y.mean()
        with forbidden_calls(*_NO_LIBRARY, "scipy.optimize",
                             why="write the coordinate descent yourself"):
            got = call_unmutated(nonnegative_lasso, X, y, alpha, what="nonnegative_lasso")
        got = as_array(got, "w")
        expected = _nonnegative_reference(X, y, alpha)
        expect(got.shape == expected.shape, f"Return w of shape ({d},); got {got.shape}.")
        expect(np.all(got >= -1e-12),
               f"Some weights are negative ({got.min():.3g}). Hint: the update becomes "
               "max(rho - alpha, 0) / (||x_j||^2 / n): a weight never goes below 0.")
        expect_close(got, expected, f"w (alpha={alpha:g})",
                     "Hint: clipping an ordinary lasso solution is not the same; clip inside "
                     "each coordinate update, and sweep until no weight changes (say by 1e-10).",
                     rtol=1e-5, atol=1e-6)
    return ("Right: the non-negative lasso's solution, found by your coordinate descent, with "
            "no solver from a library and the inputs untouched.")


# --------------------------------------------------------------------------- 14.5


def _one_se(alphas, errors, ddof):
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=ddof) / np.sqrt(errors.shape[1])
    return alphas[means <= means[best] + se].max()


@exercise("14.5", "Choose alpha by the one-standard-error rule")
def check_one_standard_error_alpha(one_standard_error_alpha):
    rng = rng_for()
    for n_alphas, k, order in [(30, 5, "increasing"), (25, 10, "decreasing"), (40, 3, "shuffled")]:
        alphas = np.geomspace(1e-3, 1e2, n_alphas)
        # a U-shaped error curve, noisy folds with a common per-fold offset
        curve = 1 + 0.3 * (np.log10(alphas) - rng.uniform(-1.5, 0.5)) ** 2
        errors = (curve[:, None] + rng.normal(scale=0.15, size=(1, k))
                  + rng.normal(scale=0.05, size=(n_alphas, k)))
        if order == "decreasing":
            alphas, errors = alphas[::-1], errors[::-1]
        elif order == "shuffled":
            perm = rng.permutation(n_alphas)
            alphas, errors = alphas[perm], errors[perm]
        with forbidden_calls(*_NO_LIBRARY):
            got = call_unmutated(one_standard_error_alpha, alphas, errors,
                                 what="one_standard_error_alpha")
        got = float(np.squeeze(as_array(got, "The chosen alpha")))
        accepted = {_one_se(alphas, errors, 1), _one_se(alphas, errors, 0)}
        means = errors.mean(axis=1)
        if not any(np.isclose(got, a, rtol=1e-12) for a in accepted):
            if np.isclose(got, alphas[np.argmin(means)]):
                expect(False, "That is the alpha with the lowest mean error. The rule goes "
                              "further: the largest alpha whose mean error is within one "
                              "standard error of that minimum.")
            best = np.argmin(means)
            band = means <= means[best] + errors[best].std(ddof=1) / np.sqrt(k)
            if np.isclose(got, alphas[band].min()):
                expect(False, "You took the smallest alpha within one standard error; the "
                              "rule takes the largest (the simplest, most regularised model).")
            if np.isclose(got, alphas[means <= means[best] + errors[best].std(ddof=1)].max()):
                expect(False, "You used the standard deviation of the folds; the standard "
                              "error of their mean is that divided by sqrt(number of folds).")
            expect(False, f"With {k} folds and alphas in {order} order you chose {got:.4g}; "
                          f"the rule gives {max(accepted):.4g}. Hint: errors has one row per "
                          "alpha and one column per fold; lower is better.")
    return ("Right: the largest alpha whose mean CV error is within one standard error of the "
            "best, whatever the order of the alphas, inputs untouched.")
