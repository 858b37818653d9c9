"""The checkers of notebook 14 pass the reference answers and fail the likely wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from checker_helpers import fails_any_case as fails
from checker_helpers import passes

# --------------------------------------------------------------------------- 14.1


def ridge_fit(X, y, alpha):
    X_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - X_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return w, y_mean - X_mean @ w


def ridge_fit_svd(X, y, alpha):  # another valid method
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    w = Vt.T @ (s / (s**2 + alpha) * (U.T @ yc))
    return w, y.mean() - X.mean(axis=0) @ w


def ridge_penalised_intercept(X, y, alpha):
    Xb = np.column_stack([X, np.ones(len(X))])
    wb = np.linalg.solve(Xb.T @ Xb + alpha * np.eye(Xb.shape[1]), Xb.T @ y)
    return wb[:-1], wb[-1]


def ridge_mean_loss(X, y, alpha):  # alpha on the mean squared error, not the sum
    return ridge_fit(X, y, alpha * len(y))


def ridge_in_place(X, y, alpha):
    X -= X.mean(axis=0)
    return ridge_fit(X, y, alpha)


def ridge_sklearn(X, y, alpha):
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=alpha).fit(X, y)
    return model.coef_, model.intercept_


def ridge_course_library(X, y, alpha):
    from mlcourse.linear_model import Ridge

    model = Ridge(alpha=alpha).fit(X, y)
    return model.coef_, model.intercept_


def test_14_1():
    passes("14.1", ridge_fit)
    passes("14.1", ridge_fit_svd)
    fails("14.1", ridge_penalised_intercept, "intercept is still penalised")
    fails("14.1", ridge_mean_loss, "sum of squared errors")
    fails("14.1", ridge_in_place, "in place")
    fails("14.1", ridge_sklearn, "sklearn")
    fails("14.1", ridge_course_library, "mlcourse.linear_model")
    fails("14.1", lambda X, y, a: ridge_fit(X, y, a)[0], "tuple")


# --------------------------------------------------------------------------- 14.2


def ridge_path_svd(X, y, alphas):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    alphas = np.asarray(alphas, dtype=float)
    return (s / (s**2 + alphas[:, None]) * (U.T @ y)) @ Vt


def ridge_path_svd_loop(X, y, alphas):  # a loop over alphas, one SVD: allowed
    U, s, Vt = scipy.linalg.svd(X, full_matrices=False)
    Uty = U.T @ y
    return np.array([Vt.T @ (s / (s**2 + a) * Uty) for a in alphas])


def ridge_path_solve(X, y, alphas):
    return np.array([np.linalg.solve(X.T @ X + a * np.eye(X.shape[1]), X.T @ y) for a in alphas])


def ridge_path_svd_per_alpha(X, y, alphas):
    out = []
    for a in alphas:
        U, s, Vt = np.linalg.svd(X, full_matrices=False)
        out.append(Vt.T @ (s / (s**2 + a) * (U.T @ y)))
    return np.array(out)


def ridge_path_wrong_shrink(X, y, alphas):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return (1 / (s + np.asarray(alphas)[:, None]) * (U.T @ y)) @ Vt


def ridge_path_library(X, y, alphas):
    from mlcourse.linear_model import ridge_path

    return ridge_path(X, y, alphas, fit_intercept=False).T


def test_14_2():
    passes("14.2", ridge_path_svd)
    passes("14.2", ridge_path_svd_loop)
    fails("14.2", ridge_path_solve, "numpy.linalg.solve")
    fails("14.2", ridge_path_svd_per_alpha, "svd once")
    fails("14.2", ridge_path_wrong_shrink, "s / (s**2 + alpha)")
    fails("14.2", lambda X, y, a: ridge_path_svd(X, y, a).T, "transpose")
    fails("14.2", ridge_path_library, "mlcourse.linear_model")


# --------------------------------------------------------------------------- 14.3


def lasso_alpha_max(X, y):
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return np.abs(Xc.T @ yc).max() / len(y)


def lasso_alpha_max_implicit(X, y):  # centring y alone is enough: Xc^T yc = X^T yc
    return np.max(np.abs(X.T @ (y - y.mean()))) / X.shape[0]


def test_14_3():
    passes("14.3", lasso_alpha_max)
    passes("14.3", lasso_alpha_max_implicit)
    fails("14.3", lambda X, y: np.abs(X.T @ y).max() / len(y), "centred")
    fails("14.3", lambda X, y: np.abs((X - X.mean(0)).T @ (y - y.mean())).max(), "factor n")
    fails("14.3", lambda X, y: ((X - X.mean(0)).T @ (y - y.mean())).max() / len(y),
          "absolute value")
    fails("14.3", lambda X, y: np.abs((X - X.mean(0)).T @ (y - y.mean())).mean() / len(y))

    def bisect_with_sklearn(X, y):
        from sklearn.linear_model import Lasso

        low, high = 0.0, 1e6
        for _ in range(60):
            mid = (low + high) / 2
            low, high = (low, mid) if np.all(Lasso(alpha=mid).fit(X, y).coef_ == 0) else (mid,
                                                                                          high)
        return high

    fails("14.3", bisect_with_sklearn, "sklearn")


# --------------------------------------------------------------------------- 14.4


def nonnegative_lasso(X, y, alpha):
    n, d = X.shape
    w = np.zeros(d)
    col_sq = (X**2).sum(axis=0) / n
    r = y.copy()
    for _ in range(10_000):
        change = 0.0
        for j in range(d):
            rho = X[:, j] @ r / n + col_sq[j] * w[j]
            new = max(rho - alpha, 0.0) / col_sq[j]
            r -= (new - w[j]) * X[:, j]
            change = max(change, abs(new - w[j]))
            w[j] = new
        if change < 1e-12:
            break
    return w


def lasso_then_clip(X, y, alpha):
    n, d = X.shape
    w = np.zeros(d)
    col_sq = (X**2).sum(axis=0) / n
    r = y.copy()
    for _ in range(5_000):
        for j in range(d):
            rho = X[:, j] @ r / n + col_sq[j] * w[j]
            new = np.sign(rho) * max(abs(rho) - alpha, 0.0) / col_sq[j]
            r -= (new - w[j]) * X[:, j]
            w[j] = new
    return np.maximum(w, 0)


def plain_lasso(X, y, alpha):
    from mlcourse.linear_model import coordinate_descent_simple

    return coordinate_descent_simple(X, y, alpha, tol=1e-12)[0]


def few_sweeps(X, y, alpha):
    n, d = X.shape
    w = np.zeros(d)
    col_sq = (X**2).sum(axis=0) / n
    r = y.copy()
    for j in range(d):  # one sweep only
        rho = X[:, j] @ r / n + col_sq[j] * w[j]
        new = max(rho - alpha, 0.0) / col_sq[j]
        r -= (new - w[j]) * X[:, j]
        w[j] = new
    return w


def sklearn_positive(X, y, alpha):
    from sklearn.linear_model import Lasso

    return Lasso(alpha=alpha, positive=True, fit_intercept=False, tol=1e-12).fit(X, y).coef_


def test_14_4():
    passes("14.4", nonnegative_lasso)
    fails("14.4", lasso_then_clip, "clipping")
    fails("14.4", plain_lasso, "mlcourse.linear_model")
    fails("14.4", few_sweeps, "sweep")
    fails("14.4", sklearn_positive, "sklearn")

    def in_place(X, y, alpha):
        y -= 0
        y *= 1.0
        X /= 1.0
        X[0, 0] += 1e-3
        return nonnegative_lasso(X, y, alpha)

    fails("14.4", in_place, "in place")


# --------------------------------------------------------------------------- 14.5


def one_standard_error_alpha(alphas, errors):
    alphas, errors = np.asarray(alphas), np.asarray(errors)
    means = errors.mean(axis=1)
    best = np.argmin(means)
    se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
    return alphas[means <= means[best] + se].max()


def one_se_sorted_first(alphas, errors):  # another valid route: sort, then scan
    order = np.argsort(alphas)
    alphas, errors = np.asarray(alphas)[order], np.asarray(errors)[order]
    means = errors.mean(axis=1)
    best = int(np.argmin(means))
    se = np.std(errors[best]) / np.sqrt(errors.shape[1])  # ddof=0 is accepted too
    chosen = best
    for i in range(best, len(alphas)):
        if means[i] <= means[best] + se:
            chosen = i
    return alphas[chosen]


@pytest.mark.parametrize("answer", [one_standard_error_alpha, one_se_sorted_first])
def test_14_5_accepts(answer):
    passes("14.5", answer)


def test_14_5_rejects():
    fails("14.5", lambda a, e: np.asarray(a)[np.argmin(np.mean(e, axis=1))], "lowest mean")

    def smallest(alphas, errors):
        means = errors.mean(axis=1)
        best = np.argmin(means)
        se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
        return alphas[means <= means[best] + se].min()

    def with_std(alphas, errors):
        means = errors.mean(axis=1)
        best = np.argmin(means)
        return alphas[means <= means[best] + errors[best].std(ddof=1)].max()

    def assumes_sorted(alphas, errors):
        means = errors.mean(axis=1)
        best = np.argmin(means)
        se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
        return alphas[np.flatnonzero(means <= means[best] + se)[-1]]

    def higher_is_better(alphas, errors):
        means = errors.mean(axis=1)
        best = np.argmax(means)
        se = errors[best].std(ddof=1) / np.sqrt(errors.shape[1])
        return alphas[means >= means[best] - se].max()

    fails("14.5", smallest, "largest")
    fails("14.5", with_std, "standard error")
    fails("14.5", assumes_sorted)
    fails("14.5", higher_is_better)

    def sorts_in_place(alphas, errors):
        order = np.argsort(alphas)
        alphas[:] = alphas[order]
        errors[:] = errors[order]
        return one_standard_error_alpha(alphas, errors)

    fails("14.5", sorts_in_place, "in place")
