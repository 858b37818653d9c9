"""Checkers for notebook 15_ensembles.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference written in the check; where the task asks for vectorised code the answer is
timed against the reference on a large input, and where it says "do not modify" the caller's
arrays are compared before and after.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, expect_vectorised

# --- 15.1 --------------------------------------------------------------------------------------


def _reference_vote(predictions, weights, n_classes):
    onehot = np.asarray(predictions)[..., None] == np.arange(n_classes)
    return np.einsum("m,mnk->nk", np.asarray(weights, float), onehot.astype(float)).argmax(1)


def _fast_vote(predictions, weights, n_classes):
    """The same vote as one weighted bincount over (sample, class) cells: the timing reference.

    It is the fastest vectorised vote we know, so a loop over samples (one bincount each)
    stands out clearly, while the broadcast one-hot vote stays well inside the budget.
    """
    m, n = predictions.shape
    cells = (np.arange(n) * n_classes + predictions).ravel()
    totals = np.bincount(cells, weights=np.repeat(weights, n), minlength=n * n_classes)
    return totals.reshape(n, n_classes).argmax(axis=1)


@exercise("15.1", "Weighted majority vote")
def check_weighted_vote(weighted_vote):
    rng = rng_for()
    # a tie between classes 1 and 2 goes to 1; model 0's weight decides the second column
    preds = np.array([[2, 0], [1, 1], [0, 1]])
    got = as_array(weighted_vote(preds, np.array([1.0, 1.0, 0.0]), 3), "Your vote", dtype=None)
    expect(got.shape == (2,), f"Return one class per sample, shape (2,); got {got.shape}.")
    expect(got[0] == 1, "Samples whose classes tie on total weight go to the smaller class "
           "(np.argmax picks the first maximum): classes 2 and 1 each have weight 1 here.")
    for m, n, K in [(5, 300, 4), (3, 50, 2), (7, 120, 6)]:
        preds = rng.integers(0, K, size=(m, n))
        weights = rng.uniform(0.1, 3, size=m)
        got = as_array(call_unmutated(weighted_vote, preds, weights, K, what="weighted_vote"),
                       "Your vote", dtype=None)
        want = _reference_vote(preds, weights, K)
        expect(got.shape == want.shape,
               f"For predictions of shape {(m, n)} return shape {(n,)}; got {got.shape}.")
        wrong = np.flatnonzero(got != want)
        example = preds[:, wrong[0]].tolist() if wrong.size else []
        expect(wrong.size == 0,
               f"{wrong.size} of {n} samples get the wrong class (m={m} models, K={K}), e.g. "
               f"sample {wrong[:1].tolist()}: votes {example}"
               f" with weights {np.round(weights, 2).tolist()}. Add each model's weight to "
               "the class it predicts, then take the class with the largest total.")
    # A loop over 400,000 samples costs about 40 times the reference; the broadcast one-hot
    # vote and a scatter-add per model cost 2-3 times it: a budget of 8 keeps both margins wide.
    big = rng.integers(0, 3, size=(5, 400_000))
    weights = rng.uniform(0.1, 3, size=5)
    expect_vectorised(lambda: weighted_vote(big, weights, 3),
                      lambda: _fast_vote(big, weights, 3), factor=8,
                      what="weighted_vote", hint="Compare the predictions with "
                      "np.arange(n_classes) by broadcasting (shape (m, n, K)) and sum the "
                      "weights along the models: no loop over samples.")
    return ("Right: weighted totals per class, ties to the smaller class, inputs untouched, "
            "and fast on 400,000 samples.")


# --- 15.2 --------------------------------------------------------------------------------------


def _reference_oob_mse(counts, preds, y):
    out = counts == 0
    n_out = out.sum(axis=0)
    seen = n_out > 0
    pred = (preds * out).sum(axis=0)[seen] / n_out[seen]
    return float(np.mean((y[seen] - pred) ** 2))


@exercise("15.2", "Out-of-bag error")
def check_oob_mse(oob_mse):
    rng = rng_for()
    for B, n in [(20, 80), (6, 40)]:
        counts = np.array([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(B)])
        counts[:, :3] = np.maximum(counts[:, :3], 1)  # three rows every member drew
        y = rng.normal(size=n) * 2 + 5
        preds = y + rng.normal(size=(B, n)) + rng.normal(size=B)[:, None]
        got = call_unmutated(oob_mse, counts, preds, y, what="oob_mse")
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"Return one number, the mean squared error; got "
                                 f"{type(got).__name__}.") from None
        expect(np.isfinite(got), "The result is not finite: a row that every member drew has "
               "no out-of-bag prediction (0 / 0). Leave such rows out of the mean.")
        want = _reference_oob_mse(counts, preds, y)
        in_bag_too = float(np.mean((y - preds.mean(axis=0)) ** 2))
        expect(not np.isclose(got, in_bag_too) or np.isclose(got, want),
               "That is the error of the average of *all* members: a row must be predicted "
               "only by the members that did not draw it (counts == 0).")
        expect_close(got, want, f"The OOB MSE with B={B} members and n={n} rows",
                     "Average each row's predictions over its out-of-bag members (divide by "
                     "how many there are, not by B), then average the squared errors over "
                     "the rows that have at least one.", rtol=1e-8)
    return ("Right on fresh bootstrap counts: out-of-bag members only, rows never out of bag "
            "left out, inputs untouched.")


# --- 15.3 --------------------------------------------------------------------------------------


def _reference_samme(w, miss, K, lr):
    err = np.sum(w[miss]) / np.sum(w)
    alpha = lr * (np.log((1 - err) / err) + np.log(K - 1))
    new = w * np.exp(alpha * miss)
    return alpha, new / new.sum()


@exercise("15.3", "One SAMME step")
def check_samme_step(samme_step):
    rng = rng_for()
    for n, K, lr in [(50, 2, 1.0), (80, 4, 1.0), (60, 3, 0.5)]:
        w = rng.uniform(0.2, 2.0, size=n)  # not normalised
        miss = rng.random(n) < 0.3
        kwargs = {} if lr == 1.0 else {"learning_rate": lr}
        result = call_unmutated(samme_step, w, miss, K, what="samme_step", **kwargs)
        alpha, new_w = unpack(result, ("alpha", "new_w"))
        want_alpha, want_w = _reference_samme(w, miss, K, lr)
        hint = "alpha = learning_rate * (log((1 - err) / err) + log(K - 1))"
        if K > 2:
            hint += ("; with K > 2 classes the log(K - 1) term matters (SAMME), "
                     f"here log({K - 1}) = {np.log(K - 1):.3f}")
        if lr != 1.0:
            hint += f"; learning_rate={lr} multiplies the whole of alpha"
        expect_close(alpha, want_alpha, f"alpha with K={K}, learning_rate={lr}", hint + ".")
        new_w = as_array(new_w, "new_w")
        expect(new_w.shape == w.shape, f"new_w should have shape {w.shape}; got {new_w.shape}.")
        expect(np.isclose(new_w.sum(), 1.0), f"new_w sums to {new_w.sum():.4g}: normalise it "
               "so the weights sum to 1.")
        expect(new_w[miss].mean() > new_w[~miss].mean() or w[miss].mean() > w[~miss].mean() * 3,
               "The misclassified samples must gain weight (multiply *their* weights by "
               "exp(alpha)), not the correct ones.")
        expect_close(new_w, want_w, "new_w", "Multiply the weights of the misses by "
                     "exp(alpha), leave the others, then divide by the total.")
    return "Right: alpha (with log(K-1) and the learning rate) and the normalised weights."


# --- 15.4 --------------------------------------------------------------------------------------


def _reference_logloss_step(F, y, leaves, lr):
    p = expit(F)
    r = y - p
    num = np.bincount(leaves, weights=r)
    den = np.bincount(leaves, weights=p * (1 - p))
    gamma = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return F + lr * gamma[leaves]


@exercise("15.4", "A log-loss boosting step")
def check_logloss_step(logloss_step):
    rng = rng_for()
    for n, n_leaves, lr in [(200, 6, 0.1), (90, 4, 0.5)]:
        F = rng.normal(scale=1.5, size=n)
        y = (rng.random(n) < expit(F + rng.normal(size=n))).astype(float)
        ids = np.array([0, 3, 5, 8, 9, 11])[:n_leaves]  # leaf ids are not 0..L-1
        leaves = ids[rng.integers(0, n_leaves, size=n)]
        got = as_array(call_unmutated(logloss_step, F, y, leaves, lr, what="logloss_step"),
                       "Your new F")
        want = _reference_logloss_step(F, y, leaves, lr)
        expect(got.shape == F.shape, f"Return F's shape {F.shape}; got {got.shape}.")
        step = got - F
        expect(not np.allclose(step, -(want - F)),
               "The step goes the wrong way: the negative gradient is r = y - p, not p - y.")
        p = expit(F)
        mean_r = np.bincount(leaves, weights=y - p) / np.maximum(np.bincount(leaves), 1)
        expect(not np.allclose(got, F + lr * mean_r[leaves]),
               "That is the mean residual per leaf (a gradient step). Divide the leaf's sum "
               "of r by its sum of p (1 - p): the Newton step.")
        expect_close(got, want, f"F after one step (learning_rate={lr})",
                     "new F = F + learning_rate * gamma[leaf], gamma = sum r / sum p(1-p) "
                     "per leaf (np.bincount with weights).")
    # A loop over rows costs about 70 times the reference; a right answer that sorts the leaf
    # ids (np.unique) about 12 times: a budget of 25 sits between them.
    n = 400_000
    F = rng.normal(size=n)
    y = (rng.random(n) < 0.4).astype(float)
    leaves = rng.integers(0, 8, size=n)  # a loop over 8 leaves is fine, one over rows is not
    expect_vectorised(lambda: logloss_step(F, y, leaves, 0.1),
                      lambda: _reference_logloss_step(F, y, leaves, 0.1), factor=25,
                      what="logloss_step", hint="Sum per leaf with np.bincount(leaves, "
                      "weights=...) and index the leaf values with gamma[leaves].")
    return ("Right: Newton leaf values, the learning rate, F untouched, vectorised on "
            "200,000 rows.")


# --- 15.5 --------------------------------------------------------------------------------------


def _reference_histogram(X_binned, g, n_bins):
    n, d = X_binned.shape
    flat = (X_binned + np.arange(d) * n_bins).ravel()
    return np.bincount(flat, weights=np.repeat(g, d), minlength=d * n_bins).reshape(d, n_bins)


@exercise("15.5", "A gradient histogram")
def check_gradient_histogram(gradient_histogram):
    rng = rng_for()
    for n, d, n_bins in [(300, 4, 16), (50, 1, 8), (500, 6, 255)]:
        X_binned = rng.integers(0, n_bins - 3, size=(n, d))  # the top bins stay empty
        g = rng.normal(size=n)
        got = as_array(call_unmutated(gradient_histogram, X_binned, g, n_bins,
                                      what="gradient_histogram"), "Your histogram")
        want = _reference_histogram(X_binned, g, n_bins)
        expect(got.shape == want.shape,
               f"Return shape (d, n_bins) = {want.shape}; got {got.shape}. "
               + ("Rows are features, columns bins. " if got.shape == want.shape[::-1] else "")
               + "Pass minlength so empty top bins are still there.")
        counts = _reference_histogram(X_binned, np.ones(n), n_bins)
        expect(not np.allclose(got, counts), "Those are the counts of rows per bin: weight "
               "each row by its gradient g.")
        expect_close(got, want, f"The histogram of {n} rows, {d} features, {n_bins} bins",
                     "H[j, k] = sum of g over the rows whose feature j is in bin k.")
    X_big = rng.integers(0, 255, size=(200_000, 8))
    g = rng.normal(size=200_000)
    expect_vectorised(lambda: gradient_histogram(X_big, g, 255),
                      lambda: _reference_histogram(X_big, g, 255), factor=20,
                      what="gradient_histogram", hint="One np.bincount per feature (or one "
                      "for all, with the codes offset by j * n_bins) does it without a loop "
                      "over rows.")
    return "Right: sums of g per (feature, bin), empty bins kept, fast on 200,000 rows."


# --- 15.6 --------------------------------------------------------------------------------------


def _reference_choice(board, budget):
    fits = board[board["predict ms / 1k rows"] <= budget]
    if fits.empty:
        return None
    best = fits["accuracy"].idxmax()
    good = fits[fits["accuracy"] >= fits.loc[best, "low"]]
    return good["predict ms / 1k rows"].idxmin()


def _board(rows):
    df = pd.DataFrame(rows, columns=["model", "accuracy", "low", "high",
                                     "predict ms / 1k rows"])
    return df.set_index("model")


def _fresh_boards(rng):
    # the best model is too slow; the best within budget has a cheaper twin inside its
    # interval; a model sits exactly on the budget; one is fast but clearly worse
    yield _board([("huge", 0.90, 0.885, 0.915, 40.0), ("boost", 0.87, 0.855, 0.885, 6.0),
                  ("forest", 0.862, 0.848, 0.876, 10.0), ("small", 0.86, 0.846, 0.874, 2.0),
                  ("stump", 0.80, 0.785, 0.815, 0.1)]), 10.0
    yield _board([("a", 0.80, 0.79, 0.81, 3.0), ("b", 0.78, 0.77, 0.79, 1.0),
                  ("c", 0.795, 0.785, 0.805, 5.0)]), 5.0
    yield _board([("a", 0.8, 0.79, 0.81, 3.0)]), 1.0  # nothing within budget
    for _ in range(4):
        k = 7
        acc = rng.uniform(0.7, 0.9, size=k)
        half = rng.uniform(0.005, 0.03, size=k)
        ms = np.round(rng.uniform(0.1, 30, size=k), 1)
        budget = float(np.sort(ms)[rng.integers(2, k)])
        yield _board([(f"m{i}", acc[i], acc[i] - half[i], acc[i] + half[i], ms[i])
                      for i in range(k)]), budget


@exercise("15.6", "Choose the model under a latency budget")
def check_choose_model(choose_model):
    rng = rng_for()
    for board, budget in _fresh_boards(rng):
        copy = board.copy()
        got = choose_model(board, budget)
        expect(board.equals(copy), "choose_model changed the leaderboard: work on a copy.")
        want = _reference_choice(board, budget)
        table = board.round(3).to_string()
        if want is None:
            expect(got is None, f"No model predicts within {budget} ms here; return None, "
                   f"got {got!r}.\n{table}")
            continue
        expect(got is not None and got in board.index,
               f"Return a model name from the board's index; got {got!r}.")
        over = board.loc[got, "predict ms / 1k rows"] > budget
        expect(not over, f"{got!r} takes {board.loc[got, 'predict ms / 1k rows']} ms per "
               f"1,000 rows, over the budget of {budget} ms.\n{table}")
        expect(got == want, f"With a budget of {budget} ms the answer is {want!r}, not "
               f"{got!r}: among the models within budget, those whose accuracy reaches the "
               "best one's `low` are as good, and of those the fastest wins "
               f"(\"at most\" the budget includes a model exactly on it).\n{table}")
    return ("Right on fresh leaderboards: within budget, as good as the best on the "
            "evidence, then the fastest; None when nothing fits.")
