"""The checkers of notebook 09 accept right answers, by more than one method, and refuse the
wrong ones a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import numpy as np
import sklearn.svm as sk_svm
from checker_helpers import fails, passes
from scipy.special import expit
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlcourse.svm import SVC, rbf_kernel


# --------------------------------------------------------------------------------- 09.1
def _hinge(w, b, X, y, C, bias_in_penalty=False, flip=1.0):
    margins = y * (X @ w + b)
    v = margins < 1
    J = 0.5 * w @ w + C * np.maximum(0.0, 1.0 - margins).sum() + (0.5 * b * b if
                                                                      bias_in_penalty else 0)
    return J, w - flip * C * X[v].T @ y[v], -flip * C * y[v].sum()


def test_09_1_accepts_the_reference_and_a_masked_sum():
    passes("09.1", _hinge)

    def masked(w, b, X, y, C):
        slack = np.maximum(0.0, 1.0 - y * (X @ w + b))
        active = (slack > 0).astype(float) * y
        return 0.5 * w @ w + C * slack.sum(), w - C * active @ X, -C * active.sum()

    passes("09.1", masked)


def test_09_1_refuses_a_flipped_gradient_and_a_penalised_bias():
    fails("09.1", lambda *a: _hinge(*a, flip=-1.0), "grad_w")
    fails("09.1", lambda *a: _hinge(*a, bias_in_penalty=True), "not in the penalty")


# --------------------------------------------------------------------------------- 09.2
def _logistic_step(w, X, y, lam, t):
    eta = 1.0 / (lam * t)
    return (1 - eta * lam) * w + eta / len(y) * ((y * expit(-y * (X @ w))) @ X)


def test_09_2_accepts_expit_and_logaddexp():
    passes("09.2", _logistic_step)

    def with_logaddexp(w, X, y, lam, t):
        eta = 1.0 / (lam * t)
        pull = np.exp(-np.logaddexp(0.0, y * (X @ w)))
        return (1 - 1 / t) * w + eta * ((y * pull) @ X) / len(y)

    passes("09.2", with_logaddexp)


def test_09_2_refuses_the_hinge_step_a_flipped_pull_and_an_overflowing_sigmoid():
    def hinge_step(w, X, y, lam, t):
        eta = 1.0 / (lam * t)
        v = y * (X @ w) < 1
        return (1 - eta * lam) * w + eta / len(y) * (y[v] @ X[v])

    fails("09.2", hinge_step, "hinge step")

    def flipped(w, X, y, lam, t):
        eta = 1.0 / (lam * t)
        return (1 - eta * lam) * w - eta / len(y) * ((y * expit(-y * (X @ w))) @ X)

    fails("09.2", flipped, "wrong way")

    def overflowing(w, X, y, lam, t):
        eta = 1.0 / (lam * t)
        e = np.exp(-y * (X @ w))
        return (1 - eta * lam) * w + eta / len(y) * ((y * e / (1 + e)) @ X)

    fails("09.2", overflowing, "overflow")

    def in_place(w, X, y, lam, t):
        pull = (y * expit(-y * (X @ w))) @ X
        w *= 1 - 1 / t
        w += pull / (lam * t * len(y))
        return w

    fails("09.2", in_place, "in place")


# --------------------------------------------------------------------------------- 09.3
def test_09_3_accepts_the_diagonal_and_a_row_loop():
    passes("09.3", lambda k, A, B: np.diag(k(A, A))[:, None] - 2 * k(A, B)
           + np.diag(k(B, B))[None, :])

    def row_by_row(kernel, A, B):
        k_aa = np.array([kernel(a[None], a[None])[0, 0] for a in A])
        k_bb = np.array([kernel(b[None], b[None])[0, 0] for b in B])
        return k_aa[:, None] - 2 * kernel(A, B) + k_bb[None, :]

    passes("09.3", row_by_row)


def test_09_3_refuses_input_space_distances_and_the_rbf_shortcut():
    fails("09.3", lambda k, A, B: ((A[:, None] - B[None]) ** 2).sum(axis=2),
          "distances between the points themselves")
    fails("09.3", lambda k, A, B: 2 - 2 * k(A, B), "only when k(x, x) = 1")
    fails("09.3", lambda k, A, B: np.diag(k(A, A))[:, None] + 2 * k(A, B)
          + np.diag(k(B, B))[None, :], "k(a, a)")


# --------------------------------------------------------------------------------- 09.4
def test_09_4_accepts_the_library_kernel_and_a_handwritten_one():
    passes("09.4", lambda c, S, b, X, g: rbf_kernel(X, S, gamma=g) @ c + b)

    def handwritten(c, S, b, X, g):
        D = (X**2).sum(1)[:, None] - 2 * X @ S.T + (S**2).sum(1)[None, :]
        return np.exp(-g * np.maximum(D, 0)) @ c + b

    passes("09.4", handwritten)


def test_09_4_refuses_a_forgotten_intercept_and_a_flipped_sign():
    fails("09.4", lambda c, S, b, X, g: rbf_kernel(X, S, gamma=g) @ c, "intercept")
    fails("09.4", lambda c, S, b, X, g: -(rbf_kernel(X, S, gamma=g) @ c) + b, "decision values")


# --------------------------------------------------------------------------------- 09.5
def test_09_5_accepts_a_tuned_scaled_rbf_svm_from_either_library():
    def ours(X, y):
        search = GridSearchCV(make_pipeline(StandardScaler(), SVC()),
                              {"svc__C": [1, 10], "svc__gamma": [0.1, 1, 10, 100]}, cv=3)
        return search.fit(X, y)

    def scikit_learns(X, y):
        search = GridSearchCV(make_pipeline(StandardScaler(), sk_svm.SVC()),
                              {"svc__C": [1, 10, 100], "svc__gamma": [1, 3, 10, 30]}, cv=3)
        return search.fit(X, y).best_estimator_

    passes("09.5", ours)
    passes("09.5", scikit_learns)


def test_09_5_refuses_raw_features_the_copied_grid_and_a_non_svm():
    fails("09.5", lambda X, y: SVC().fit(X, y), "standardise")

    def copied_grid(X, y):  # the grid of the cancer data: gamma stops at 0.1
        grid = {"svc__C": [0.1, 1, 10, 100], "svc__gamma": [1e-3, 1e-2, 1e-1]}
        return GridSearchCV(make_pipeline(StandardScaler(), SVC()), grid, cv=3).fit(X, y)

    fails("09.5", copied_grid, "edge of the grid")

    def forest(X, y):
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(random_state=0).fit(X, y)

    fails("09.5", forest, "SVM")
