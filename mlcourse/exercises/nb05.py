"""Checkers for notebook 05_linear_regression.

Each checker calls the learner's function on fresh random data and compares the result with
the course's reference (``mlcourse.linear_model``) or a direct NumPy computation; the
judgement exercise compares a reading of residual plots with the diagnosis the plots were
drawn to show.
"""

from __future__ import annotations

import itertools

import numpy as np

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.exercises._guards import call_unmutated
from mlcourse.linear_model import mse_loss_grad


def _regression_data(salt=0, n=40, d=4):
    rng = rng_for(salt)
    X = rng.normal(1.0, 2.0, size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 3.0 + rng.normal(0.0, 0.5, size=n)
    return X, y, rng


# --- 05.1 a design with redundant columns ------------------------------------------------------

def _redundant_design(rng, n):
    """Columns with every kind of dependence a feature table meets, in a random order."""
    celsius = rng.uniform(-5, 35, n)
    season = rng.integers(0, 4, n)
    season[:4] = np.arange(4)  # every season present
    hum, wind = rng.uniform(0.2, 1.0, n), rng.uniform(0.0, 0.5, n)
    columns = {
        "celsius": celsius, "fahrenheit": 32 + 1.8 * celsius,        # a unit change
        **{f"season_{k}": (season == k).astype(float) for k in range(4)},  # they sum to 1
        "hum": hum, "wind": wind, "hum_plus_wind": hum + wind,       # a sum of two others
        "constant": np.full(n, 7.0),                                # a multiple of the bias
        "hum_again": hum.copy(),                                    # a duplicate
    }
    names = list(columns)
    order = rng.permutation(len(names))
    return np.column_stack([columns[names[i]] for i in order])


def _rank_with_ones(X):
    return int(np.linalg.matrix_rank(np.column_stack([np.ones(len(X)), X])))


@exercise("05.1", "Remove the redundant columns")
def check_independent_columns(independent_columns):
    rng = rng_for()
    cases = [("independent columns", rng.normal(size=(50, 4)))]
    cases += [(f"a design of {n} rows with redundant columns", _redundant_design(rng, n))
              for n in (40, 300)]
    for what, X in cases:
        got = call_unmutated(independent_columns, X, what="independent_columns")
        keep = np.asarray(got)
        expect(keep.ndim == 1 and keep.dtype.kind in "iu",
               f"Return a 1-D array (or list) of column numbers; got {got!r}.")
        expect(len(np.unique(keep)) == len(keep) and np.all((0 <= keep) & (keep < X.shape[1])),
               f"For {what}: return distinct column numbers between 0 and {X.shape[1] - 1}; "
               f"got {keep.tolist()}.")
        rank_all, rank_kept = _rank_with_ones(X), _rank_with_ones(X[:, keep])
        if rank_kept < 1 + len(keep):
            without_ones = int(np.linalg.matrix_rank(X[:, keep])) if len(keep) else 0
            hint = ("They are independent on their own but not together with the column of "
                    "ones: the bias is part of the model, so test the rank of "
                    "[ones, kept columns]." if without_ones == len(keep) else
                    "Keep a column only when it raises the rank of [ones, the columns kept so "
                    "far] (np.linalg.matrix_rank).")
            raise ExerciseFailed(
                f"For {what} your {len(keep)} columns, with the column of ones, have rank "
                f"{rank_kept} < {1 + len(keep)}: they are still linearly dependent, so "
                f"X1.T @ X1 stays singular. {hint}")
        expect(rank_kept == rank_all,
               f"For {what} your columns, with the column of ones, span rank {rank_kept}, all "
               f"the columns {rank_all}: you dropped a column that carried something the "
               "others do not. Keep every column that raises the rank.")
    return ("On every design your columns, with the column of ones, are independent and span "
            "what all the columns span: the normal equation now has one solution and the "
            "predictions are unchanged. Your input was left as it was.")


# --- 05.2 debug: batch gradient descent ---------------------------------------------------------

def _descend(X, y, learning_rate, n_steps, *, sign=1.0, stale=False, divide=True):
    """Batch gradient descent from zero, with the three bugs of the notebook as switches."""
    n = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    r = X @ w + b - y
    for _ in range(n_steps):
        if not stale:
            r = X @ w + b - y
        w = w - sign * learning_rate * (2 / (n if divide else 1)) * (X.T @ r)
        b = b - learning_rate * 2 * r.mean()
    return w, b


_BUGS = {
    "sign": ("The weights move uphill: subtract the gradient (w -= ...), as the bias does.",
             dict(sign=-1.0)),
    "stale": ("The residuals r = X @ w + b - y are computed once, before the loop: recompute "
              "them at every step, from the current w and b.", dict(stale=True)),
    "divide": ("The gradient of the mean squared error has a 1/n: (2 / n) * X.T @ r. Without "
               "it the step is n times too large.", dict(divide=False)),
}


@exercise("05.2", "Debug the gradient descent")
def check_gradient_descent(gradient_descent):
    for salt, (n, d, learning_rate, n_steps) in enumerate(
            [(120, 5, 0.02, 40), (40, 3, 0.05, 1), (25, 1, 0.1, 200)]):
        X, y, _ = _regression_data(salt, n, d)
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        expected_w, expected_b = _descend(X, y, learning_rate, n_steps)
        with np.errstate(over="ignore", invalid="ignore"):
            got = call_unmutated(gradient_descent, X, y, learning_rate, n_steps,
                                 what="gradient_descent")
        w, b = (np.asarray(v, dtype=float) for v in unpack(got, ("w", "b")))
        expect(w.shape == (d,), f"w should have one weight per feature, shape ({d},); got "
                                f"{w.shape}.")
        expect(b.ndim == 0, f"b should be one number; got shape {b.shape}.")
        if np.allclose(w, expected_w, rtol=1e-7, atol=1e-10) and np.isclose(b, expected_b):
            continue
        found = []
        for size in (1, 2, 3):
            for bugs in itertools.combinations(_BUGS, size):
                switches = {k: v for bug in bugs for k, v in _BUGS[bug][1].items()}
                with np.errstate(over="ignore", invalid="ignore"):
                    bug_w, bug_b = _descend(X, y, learning_rate, n_steps, **switches)
                if (not found and np.all(np.isfinite(bug_w))
                        and np.allclose(w, bug_w, rtol=1e-7, atol=1e-10)
                        and np.isclose(b, bug_b)):
                    found = [_BUGS[bug][0] for bug in bugs]
        expect_close(w, expected_w, f"w after {n_steps} step(s) (learning_rate={learning_rate})",
                     " ".join(found) or "Hint: start from zeros; at every step r = X @ w + b - y, "
                     "w -= learning_rate * (2 / n) * X.T @ r, b -= learning_rate * 2 * r.mean().",
                     rtol=1e-7, atol=1e-10)
        expect_close(b, expected_b, f"b after {n_steps} step(s)",
                     "Hint: b -= learning_rate * 2 * r.mean(), with the r of this step.")
    return "Exactly the iterates of batch gradient descent, after 1, 40 and 200 steps."


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


# --- 05.5 judgement: read the residual plots ---------------------------------------------------

DIAGNOSES = ("fine", "curve", "missing feature", "log target")
_PANELS = {"A": "missing feature", "B": "log target", "C": "fine", "D": "curve"}
_WHY = {
    "A": "The residuals form two parallel bands: one group of rows sits above the line, the "
         "other below, at every fitted value. A feature that tells the groups apart (a "
         "weekday flag, the year) is missing.",
    "B": "The residuals fan out: small for small fitted values, large for large ones. The "
         "errors grow with the level, which a log of the target turns into a constant spread.",
    "C": "A band of even width around zero with no shape: nothing left for a linear model to "
         "find here.",
    "D": "The residuals are positive at both ends and negative in the middle: the truth bends "
         "and the straight line cannot. Add a squared term (or another curve).",
}


@exercise("05.5", "Read the residual plots (judgement)")
def check_residual_diagnosis(diagnosis):
    expect(isinstance(diagnosis, dict),
           "Answer with a dict {panel: diagnosis}, e.g. {'A': 'fine', ...}.")
    missing = sorted(set(_PANELS) - {str(k).upper() for k in diagnosis})
    expect(not missing, f"Give a diagnosis for every panel; missing: {missing}.")
    given = {str(k).upper(): v for k, v in diagnosis.items()}
    wrong = []
    for panel, right in _PANELS.items():
        choice = str(given[panel]).strip().lower()
        expect(choice in DIAGNOSES,
               f"Choose one of {', '.join(repr(d) for d in DIAGNOSES)} for panel {panel}; "
               f"got {given[panel]!r}.")
        if choice != right:
            wrong.append(f"{panel}: not {choice!r}. {_WHY[panel]}")
    expect(not wrong, f"{len(wrong)} of {len(_PANELS)} to look at again. " + " | ".join(wrong))
    return ("Each pattern read right: bands mean a missing feature, a fan a log target, a bend "
            "a missing curve, and an even band a model that has found what a line can find.")
