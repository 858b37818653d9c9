"""The checkers of notebook 06 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import scipy.optimize
import scipy.special
from checker_helpers import fails, passes

import mlcourse.linear_model

# --- 06.1 the sigmoid ----------------------------------------------------------------------------


def by_branches(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_06_1_right_answers_pass():
    passes("06.1", by_branches)
    passes("06.1", lambda z: np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float))))


def test_06_1_wrong_answers_fail():
    def naive(z):
        return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))

    def naive_where(z):  # np.where evaluates both branches: the unsafe one overflows
        z = np.asarray(z, dtype=float)
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    fails("06.1", naive, "exponentiate numbers")
    fails("06.1", naive_where, "both branches")
    fails("06.1", lambda z: scipy.special.expit(z), "expit")
    fails("06.1", lambda z: mlcourse.linear_model.sigmoid(z), "mlcourse.linear_model")


# --- 06.2 the squared error through a sigmoid ----------------------------------------------------


def chain_rule(w, b, X, y):
    p = scipy.special.expit(X @ w + b)
    push = 2 * (p - y) * p * (1 - p)
    return X.T @ push / len(y), push.mean()


def test_06_2_right_answers_pass():
    def with_a_bias_column_and_einsum(w, b, X, y):
        X1 = np.column_stack([np.ones(len(y)), X])
        p = by_branches(X1 @ np.r_[b, w])
        grad = np.einsum("i,ij->j", (p - y) * p * (1 - p), X1) * 2 / len(y)
        return grad[1:], grad[0]

    passes("06.2", chain_rule)
    passes("06.2", with_a_bias_column_and_einsum)


def test_06_2_wrong_answers_fail():
    def log_loss_gradient(w, b, X, y):  # the gradient of section 5, retyped
        error = scipy.special.expit(X @ w + b) - y
        return X.T @ error / len(y), error.mean()

    def flipped(w, b, X, y):
        grad_w, grad_b = chain_rule(w, b, X, y)
        return -grad_w, -grad_b

    def half(w, b, X, y):
        grad_w, grad_b = chain_rule(w, b, X, y)
        return grad_w / 2, grad_b / 2

    def forgets_the_bias_slope(w, b, X, y):
        grad_w, _ = chain_rule(w, b, X, y)
        return grad_w, 2 * np.mean(scipy.special.expit(X @ w + b) - y)

    def course_shortcut(w, b, X, y):
        _, grad_w, grad_b = mlcourse.linear_model.binary_loss_grad(w, b, X, y, 0.0)
        return grad_w, grad_b

    def clips_in_place(w, b, X, y):
        np.clip(X, -3, 3, out=X)
        return chain_rule(w, b, X, y)

    fails("06.2", log_loss_gradient, "gradient of the log loss")
    fails("06.2", flipped, "sign is flipped")
    fails("06.2", half, "factor of 2")
    fails("06.2", forgets_the_bias_slope, "grad_b")
    fails("06.2", course_shortcut, "mlcourse.linear_model")
    fails("06.2", clips_in_place, "in place")


# --- 06.3 match scikit-learn's C --------------------------------------------------------------


def lbfgs(X, y, C, penalty=None, penalise_bias=False):
    n, d = X.shape
    lam = 1 / (C * n) if penalty is None else penalty

    def objective(theta):
        w, b = theta[:d], theta[d]
        z = X @ w + b
        error = scipy.special.expit(z) - y
        squared = theta @ theta if penalise_bias else w @ w
        grad_b = error.mean() + (lam * b if penalise_bias else 0.0)
        return (np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * squared,
                np.r_[X.T @ error / n + lam * w, grad_b])

    theta = scipy.optimize.minimize(objective, np.zeros(d + 1), jac=True,
                                    method="L-BFGS-B").x
    return theta[:d], theta[d]


def test_06_3_right_answers_pass():
    def sum_form_newton(X, y, C):  # C * sum of losses + ||w||^2 / 2, by Newton's method
        n, d = X.shape
        X1 = np.column_stack([X, np.ones(n)])
        theta = np.zeros(d + 1)
        mask = np.r_[np.ones(d), 0.0]  # the bias is not penalised
        for _ in range(50):
            p = scipy.special.expit(X1 @ theta)
            grad = C * X1.T @ (p - y) + mask * theta
            hessian = C * (X1.T * (p * (1 - p))) @ X1 + np.diag(mask)
            theta = theta - np.linalg.solve(hessian, grad)
        return theta[:d], theta[d]

    passes("06.3", lbfgs)
    passes("06.3", sum_form_newton)


def test_06_3_wrong_answers_fail():
    def penalty_without_n(X, y, C):
        return lbfgs(X, y, C, penalty=1 / C)

    def penalises_the_bias(X, y, C):
        return lbfgs(X, y, C, penalise_bias=True)

    def no_penalty_few_steps(X, y, C):  # plain gradient descent, stopped early, no penalty
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(20):
            error = scipy.special.expit(X @ w + b) - y
            w, b = w - 0.1 * X.T @ error / len(y), b - 0.1 * error.mean()
        return w, b

    def sklearn_shortcut(X, y, C):
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=C).fit(X, y)
        return model.coef_[0], model.intercept_[0]

    def course_shortcut(X, y, C):
        model = mlcourse.linear_model.LogisticRegression(C=C).fit(X, y)
        return model.coef_[0], model.intercept_[0]

    fails("06.3", penalty_without_n, "n times too strong")
    fails("06.3", penalises_the_bias, "bias is not penalised")
    fails("06.3", no_penalty_few_steps, "convergence")
    fails("06.3", sklearn_shortcut, "sklearn")
    fails("06.3", course_shortcut, "mlcourse.linear_model")


# --- 06.4 debug the softmax ----------------------------------------------------------------------


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_06_4_right_answers_pass():
    def by_log_sum_exp(Z):
        Z = np.asarray(Z, dtype=float)
        top = Z.max(axis=1, keepdims=True)
        return np.exp(Z - top - np.log(np.exp(Z - top).sum(axis=1, keepdims=True)))

    passes("06.4", softmax)
    passes("06.4", by_log_sum_exp)


def test_06_4_wrong_answers_fail():
    def the_colleagues(Z):
        Z -= Z.max()
        E = np.exp(Z)
        return E / E.sum(axis=0)

    def global_max(Z):
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=1, keepdims=True)

    def wrong_axis(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    def in_place(Z):
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    def no_shift(Z):
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    fails("06.4", the_colleagues)
    fails("06.4", global_max, "each row's own maximum")
    fails("06.4", wrong_axis, "axis=1")
    fails("06.4", in_place, "in place")
    fails("06.4", no_shift, "overflows")
    fails("06.4", lambda Z: scipy.special.softmax(Z, axis=1), "softmax")


# --- 06.5 a screening threshold ------------------------------------------------------------------


def kth_positive(y_val, p_val, min_recall):
    positives = np.sort(p_val[y_val == 1])[::-1]
    needed = int(np.argmax(np.arange(len(positives) + 1) / len(positives) >= min_recall))
    return float(positives[needed - 1])


def test_06_5_right_answers_pass():
    def scan_every_candidate(y_val, p_val, min_recall):
        best = None
        for t in np.unique(p_val):
            flagged = p_val >= t
            if flagged[y_val == 1].mean() >= min_recall:
                best = t  # thresholds increase: keep the last one that still qualifies
        return best

    def midway_below(y_val, p_val, min_recall):  # any t between the kth and the next score
        t = kth_positive(y_val, p_val, min_recall)
        below = p_val[p_val < t]
        return (t + below.max()) / 2 if len(below) else t

    passes("06.5", kth_positive)
    passes("06.5", scan_every_candidate)
    passes("06.5", midway_below)


def test_06_5_wrong_answers_fail():
    def strict_inequality(y_val, p_val, min_recall):  # a threshold for p > t, not p >= t
        positives = np.sort(p_val[y_val == 1])[::-1]
        return float(positives[int(np.ceil(min_recall * len(positives)))])

    def quantile_of_everything(y_val, p_val, min_recall):
        return float(np.quantile(p_val, 1 - min_recall))

    def sorts_in_place(y_val, p_val, min_recall):
        order = np.argsort(p_val)
        y_val[:], p_val[:] = y_val[order], p_val[order]
        return kth_positive(y_val, p_val, min_recall)

    fails("06.5", lambda y_val, p_val, min_recall: 0.5, "below the requirement")
    fails("06.5", strict_inequality, "false alarms", "largest threshold")
    fails("06.5", quantile_of_everything, "false alarms")
    fails("06.5", lambda y_val, p_val, min_recall: 0.0, "false alarms")
    fails("06.5", sorts_in_place, "in place")
