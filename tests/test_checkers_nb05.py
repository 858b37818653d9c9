"""The checkers of notebook 05 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
from checker_helpers import fails, passes

# --- 05.1 a design with redundant columns ------------------------------------------------------


def greedy(X):
    keep = []
    for j in range(X.shape[1]):
        candidate = np.column_stack([np.ones(len(X)), X[:, keep + [j]]])
        if np.linalg.matrix_rank(candidate) == len(keep) + 2:
            keep.append(j)
    return np.array(keep, dtype=int)


def test_05_1_right_answers_pass():
    def from_the_right(X):  # a different valid choice: walk the columns backwards
        keep = []
        for j in reversed(range(X.shape[1])):
            if np.linalg.matrix_rank(np.column_stack([np.ones(len(X)), X[:, keep + [j]]])) \
                    == len(keep) + 2:
                keep.append(j)
        return sorted(keep)

    def by_residuals(X):  # keep a column that the kept ones (and the bias) cannot reproduce
        keep = []
        for j in range(X.shape[1]):
            basis = np.column_stack([np.ones(len(X)), X[:, keep]])
            coef, *_ = np.linalg.lstsq(basis, X[:, j], rcond=None)
            if np.linalg.norm(X[:, j] - basis @ coef) > 1e-8 * np.linalg.norm(X[:, j]):
                keep.append(j)
        return keep

    passes("05.1", greedy)
    passes("05.1", from_the_right)
    passes("05.1", by_residuals)


def test_05_1_wrong_answers_fail():
    def keep_everything(X):
        return np.arange(X.shape[1])

    def forgets_the_bias(X):
        keep = []
        for j in range(X.shape[1]):
            if np.linalg.matrix_rank(X[:, keep + [j]]) == len(keep) + 1:
                keep.append(j)
        return np.array(keep, dtype=int)

    def drops_too_much(X):
        return greedy(X)[:-1]

    def in_place(X):
        X[:, 0] = 0.0
        return greedy(X)

    fails("05.1", keep_everything, "still linearly dependent")
    fails("05.1", forgets_the_bias, "together with the column of ones")
    fails("05.1", drops_too_much, "dropped a column")
    fails("05.1", in_place, "in place")


# --- 05.2 debug the gradient descent ----------------------------------------------------------


def fixed(X, y, learning_rate, n_steps):
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_steps):
        r = X @ w + b - y
        w = w - learning_rate * 2 / n * (X.T @ r)
        b = b - learning_rate * 2 * r.mean()
    return w, b


def test_05_2_right_answers_pass():
    def with_a_bias_column(X, y, learning_rate, n_steps):
        X1 = np.column_stack([np.ones(len(y)), X])
        theta = np.zeros(X1.shape[1])
        for _ in range(n_steps):
            theta = theta - learning_rate * 2 / len(y) * X1.T @ (X1 @ theta - y)
        return theta[1:], theta[0]

    passes("05.2", fixed)
    passes("05.2", with_a_bias_column)


def _broken(sign=-1.0, stale=True, divide=False, in_place_on=None):
    def gradient_descent(X, y, learning_rate, n_steps):
        n = len(y)
        w, b = np.zeros(X.shape[1]), 0.0
        r = X @ w + b - y
        for _ in range(n_steps):
            if not stale:
                r = X @ w + b - y
            w = w - sign * learning_rate * (2 / (n if divide else 1)) * (X.T @ r)
            b = b - learning_rate * 2 * r.mean()
        return w, b
    return gradient_descent


def test_05_2_wrong_answers_fail():
    def standardises_in_place(X, y, learning_rate, n_steps):
        X -= X.mean(axis=0)
        return fixed(X, y, learning_rate, n_steps)

    fails("05.2", _broken(), "uphill", "computed once", "1/n")  # the colleague's version
    fails("05.2", _broken(sign=1.0), "computed once", "1/n")
    fails("05.2", _broken(sign=1.0, divide=True), "computed once")
    fails("05.2", _broken(stale=False, divide=True), "uphill")
    fails("05.2", _broken(sign=1.0, stale=False), "1/n")
    fails("05.2", lambda X, y, lr, k: fixed(X, y, lr, k + 1), "Hint")  # one step too many
    fails("05.2", standardises_in_place, "in place")


# --- 05.3 one epoch of mini-batch gradient descent ----------------------------------------------


def minibatch_epoch(X, y, w, b, learning_rate, batch_size, rng):
    order = rng.permutation(len(y))
    for start in range(0, len(y), batch_size):
        batch = order[start:start + batch_size]
        r = X[batch] @ w + b - y[batch]
        w = w - learning_rate * 2 / len(batch) * (X[batch].T @ r)
        b = b - learning_rate * 2 * r.mean()
    return w, b


def test_05_3_right_answers_pass():
    def with_array_split(X, y, w, b, learning_rate, batch_size, rng):
        order = rng.permutation(len(y))
        w = w.copy()
        for batch in np.array_split(order, range(batch_size, len(y), batch_size)):
            r = X[batch] @ w + b - y[batch]
            w -= learning_rate * 2 * X[batch].T @ r / len(batch)
            b -= learning_rate * 2 * r.mean()
        return w, b

    passes("05.3", minibatch_epoch)
    passes("05.3", with_array_split)


def test_05_3_wrong_answers_fail():
    def divides_by_n(X, y, w, b, learning_rate, batch_size, rng):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            r = X[batch] @ w + b - y[batch]
            w = w - learning_rate * 2 / len(y) * (X[batch].T @ r)
            b = b - learning_rate * 2 * r.sum() / len(y)
        return w, b

    def in_place(X, y, w, b, learning_rate, batch_size, rng):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            r = X[batch] @ w + b - y[batch]
            w -= learning_rate * 2 / len(batch) * (X[batch].T @ r)
            b -= learning_rate * 2 * r.mean()
        return w, b

    def no_shuffle(X, y, w, b, learning_rate, batch_size, rng):
        return minibatch_epoch(X, y, w, b, learning_rate, batch_size,
                               type("Fixed", (), {"permutation": staticmethod(np.arange)})())

    fails("05.3", divides_by_n, "batch's length")
    fails("05.3", in_place, "changed the w")
    fails("05.3", no_shuffle, "permutation")


# --- 05.4 polynomial features of one column ----------------------------------------------------


def test_05_4_right_answers_pass():
    passes("05.4", lambda x, degree: np.asarray(x, dtype=float)[:, None]
           ** np.arange(1, degree + 1))
    passes("05.4", lambda x, degree: np.vander(np.asarray(x, dtype=float), degree + 1,
                                               increasing=True)[:, 1:])


def test_05_4_wrong_answers_fail():
    fails("05.4", lambda x, degree: np.asarray(x, dtype=float)[:, None]
          ** np.arange(degree + 1), "no column of ones")
    fails("05.4", lambda x, degree: x[:, None] ** np.arange(1, degree + 1), "np.asarray")


# --- 05.5 read the residual plots ---------------------------------------------------------------

KEY = {"A": "missing feature", "B": "log target", "C": "fine", "D": "curve"}


def test_05_5_right_answers_pass():
    passes("05.5", KEY)
    passes("05.5", {k.lower(): v.upper() for k, v in KEY.items()})


def test_05_5_wrong_answers_fail():
    fails("05.5", {**KEY, "B": "fine"}, "B: not 'fine'", "fan", "1 of 4")
    fails("05.5", {**KEY, "A": "curve", "D": "missing feature"}, "two parallel bands",
          "bends", "2 of 4")
    fails("05.5", {**KEY, "C": "log target"}, "even width")
    fails("05.5", {k: v for k, v in KEY.items() if k != "D"}, "missing", "D")
    fails("05.5", {**KEY, "A": "add a feature"}, "Choose one of")
    fails("05.5", list(KEY.values()), "dict")
