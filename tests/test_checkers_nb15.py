"""The checkers of notebook 15 pass the reference answers and fail the likely wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
from checker_helpers import fails_any_case as fails
from checker_helpers import passes
from scipy.special import expit

# --- 15.1 weighted vote ------------------------------------------------------------------------


def vote(predictions, weights, n_classes):
    onehot = np.asarray(predictions)[..., None] == np.arange(n_classes)
    return np.einsum("m,mnk->nk", np.asarray(weights, float), onehot.astype(float)).argmax(1)


def vote_bincount_per_model(predictions, weights, n_classes):
    """Another right method: add each model's weight into a (n, K) table."""
    predictions = np.asarray(predictions)
    totals = np.zeros((predictions.shape[1], n_classes))
    for p, w in zip(predictions, weights, strict=True):
        totals[np.arange(predictions.shape[1]), p] += w
    return totals.argmax(axis=1)


def vote_unweighted(predictions, weights, n_classes):
    return vote(predictions, np.ones(len(weights)), n_classes)


def vote_loop_over_samples(predictions, weights, n_classes):
    predictions = np.asarray(predictions)
    out = np.empty(predictions.shape[1], dtype=int)
    for j in range(predictions.shape[1]):
        out[j] = np.bincount(predictions[:, j], weights=weights, minlength=n_classes).argmax()
    return out


def vote_ties_to_larger(predictions, weights, n_classes):
    onehot = np.asarray(predictions)[..., None] == np.arange(n_classes)
    totals = np.einsum("m,mnk->nk", np.asarray(weights, float), onehot.astype(float))
    return n_classes - 1 - totals[:, ::-1].argmax(1)


def test_15_1():
    passes("15.1", vote)
    passes("15.1", vote_bincount_per_model)
    fails("15.1", vote_unweighted, "weight")
    fails("15.1", vote_ties_to_larger, "smaller class")
    fails("15.1", vote_loop_over_samples, "times as long")


# --- 15.2 out-of-bag error ---------------------------------------------------------------------


def oob(counts, preds, y):
    out = np.asarray(counts) == 0
    n_out = out.sum(axis=0)
    seen = n_out > 0
    pred = (np.asarray(preds) * out).sum(axis=0)[seen] / n_out[seen]
    return float(np.mean((np.asarray(y)[seen] - pred) ** 2))


def oob_masked(counts, preds, y):
    """Another right method: a masked array mean."""
    m = np.ma.masked_array(preds, mask=np.asarray(counts) > 0)
    pred = m.mean(axis=0)
    keep = ~np.ma.getmaskarray(pred)
    return float(np.mean((np.asarray(y)[keep] - pred[keep]) ** 2))


def oob_all_members(counts, preds, y):
    return float(np.mean((y - np.mean(preds, axis=0)) ** 2))


def oob_divide_by_B(counts, preds, y):
    out = np.asarray(counts) == 0
    seen = out.any(axis=0)
    pred = (preds * out).sum(axis=0)[seen] / len(preds)
    return float(np.mean((y[seen] - pred) ** 2))


def oob_keeps_never_out(counts, preds, y):
    out = np.asarray(counts) == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pred = (preds * out).sum(axis=0) / out.sum(axis=0)
    return float(np.mean((y - pred) ** 2))


def oob_in_place(counts, preds, y):
    preds *= counts == 0
    return oob(counts, preds, y)


def test_15_2():
    passes("15.2", oob)
    passes("15.2", oob_masked)
    fails("15.2", oob_all_members, "did not draw")
    fails("15.2", oob_divide_by_B, "not by b")
    fails("15.2", oob_keeps_never_out, "not finite")
    fails("15.2", oob_in_place, "in place")


# --- 15.3 SAMME step ---------------------------------------------------------------------------


def samme(w, miss, n_classes, learning_rate=1.0):
    w, miss = np.asarray(w, float), np.asarray(miss, bool)
    err = w[miss].sum() / w.sum()
    alpha = learning_rate * (np.log((1 - err) / err) + np.log(n_classes - 1))
    new = w * np.exp(alpha * miss)
    return alpha, new / new.sum()


def samme_no_log_k(w, miss, n_classes, learning_rate=1.0):
    return samme(w, miss, 2, learning_rate)


def samme_not_normalised(w, miss, n_classes, learning_rate=1.0):
    alpha, _ = samme(w, miss, n_classes, learning_rate)
    return alpha, np.asarray(w) * np.exp(alpha * np.asarray(miss))


def samme_upweights_correct(w, miss, n_classes, learning_rate=1.0):
    return samme(w, ~np.asarray(miss), n_classes, learning_rate)[0] * 0 + samme(
        w, miss, n_classes, learning_rate)[0], _norm(w * np.exp(
            samme(w, miss, n_classes, learning_rate)[0] * ~np.asarray(miss)))


def _norm(a):
    return a / a.sum()


def samme_ignores_learning_rate(w, miss, n_classes, learning_rate=1.0):
    return samme(w, miss, n_classes)


def samme_in_place(w, miss, n_classes, learning_rate=1.0):
    alpha, new = samme(w, miss, n_classes, learning_rate)
    w /= w.sum()
    return alpha, new


def test_15_3():
    passes("15.3", samme)
    fails("15.3", samme_no_log_k, "log(k - 1)")
    fails("15.3", samme_not_normalised, "normalise")
    fails("15.3", samme_upweights_correct, "misclassified")
    fails("15.3", samme_ignores_learning_rate, "learning_rate")
    fails("15.3", samme_in_place, "in place")


# --- 15.4 log-loss boosting step ---------------------------------------------------------------


def step(F, y, leaves, learning_rate):
    F = np.asarray(F, float)
    p = expit(F)
    r = y - p
    num = np.bincount(leaves, weights=r)
    den = np.bincount(leaves, weights=p * (1 - p))
    gamma = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return F + learning_rate * gamma[leaves]


def step_unique_leaves(F, y, leaves, learning_rate):
    """Another right method: a loop over the (few) leaves."""
    F = np.asarray(F, float)
    p = expit(F)
    out = F.copy()
    for leaf in np.unique(leaves):
        rows = leaves == leaf
        den = np.sum(p[rows] * (1 - p[rows]))
        out[rows] += learning_rate * (np.sum(y[rows] - p[rows]) / den if den > 0 else 0.0)
    return out


def step_sign_flipped(F, y, leaves, learning_rate):
    return 2 * np.asarray(F) - step(F, y, leaves, learning_rate)


def step_mean_residual(F, y, leaves, learning_rate):
    p = expit(F)
    mean_r = np.bincount(leaves, weights=y - p) / np.maximum(np.bincount(leaves), 1)
    return F + learning_rate * mean_r[leaves]


def step_no_learning_rate(F, y, leaves, learning_rate):
    return step(F, y, leaves, 1.0)


def step_in_place(F, y, leaves, learning_rate):
    new = step(F, y, leaves, learning_rate)
    F[:] = new
    return F


def step_loop_over_rows(F, y, leaves, learning_rate):
    p = expit(F)
    num = np.zeros(leaves.max() + 1)
    den = np.zeros(leaves.max() + 1)
    for i in range(len(F)):
        num[leaves[i]] += y[i] - p[i]
        den[leaves[i]] += p[i] * (1 - p[i])
    gamma = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return F + learning_rate * gamma[leaves]


def test_15_4():
    passes("15.4", step)
    passes("15.4", step_unique_leaves)
    fails("15.4", step_sign_flipped, "wrong way")
    fails("15.4", step_mean_residual, "newton")
    fails("15.4", step_no_learning_rate, "learning_rate")
    fails("15.4", step_in_place, "in place")
    fails("15.4", step_loop_over_rows, "times as long")


# --- 15.5 gradient histogram -------------------------------------------------------------------


def hist(X_binned, g, n_bins):
    n, d = X_binned.shape
    flat = (X_binned + np.arange(d) * n_bins).ravel()
    return np.bincount(flat, weights=np.repeat(g, d), minlength=d * n_bins).reshape(d, n_bins)


def hist_per_feature(X_binned, g, n_bins):
    """Another right method: one bincount per feature."""
    return np.array([np.bincount(col, weights=g, minlength=n_bins) for col in X_binned.T])


def hist_add_at(X_binned, g, n_bins):
    out = np.zeros((X_binned.shape[1], n_bins))
    for j in range(X_binned.shape[1]):
        np.add.at(out[j], X_binned[:, j], g)
    return out


def hist_counts(X_binned, g, n_bins):
    return hist(X_binned, np.ones(len(g)), n_bins)


def hist_transposed(X_binned, g, n_bins):
    return hist(X_binned, g, n_bins).T


def hist_no_minlength(X_binned, g, n_bins):
    return np.array([np.bincount(col, weights=g) for col in X_binned.T])


def hist_loop_over_rows(X_binned, g, n_bins):
    out = np.zeros((X_binned.shape[1], n_bins))
    for i in range(X_binned.shape[0]):
        for j in range(X_binned.shape[1]):
            out[j, X_binned[i, j]] += g[i]
    return out


def test_15_5():
    passes("15.5", hist)
    passes("15.5", hist_per_feature)
    passes("15.5", hist_add_at)
    fails("15.5", hist_counts, "counts")
    fails("15.5", hist_transposed, "rows are features")
    fails("15.5", hist_no_minlength, "minlength")
    fails("15.5", hist_loop_over_rows, "times as long")


# --- 15.6 choose the model -----------------------------------------------------------------------


def choose(board, budget):
    fits = board[board["predict ms / 1k rows"] <= budget]
    if fits.empty:
        return None
    best = fits["accuracy"].idxmax()
    good = fits[fits["accuracy"] >= fits.loc[best, "low"]]
    return good["predict ms / 1k rows"].idxmin()


def choose_sorted(board, budget):
    """Another right method: sort by speed, take the first one good enough."""
    fits = board.loc[board["predict ms / 1k rows"] <= budget].sort_values(
        "predict ms / 1k rows")
    if len(fits) == 0:
        return None
    floor = fits.loc[fits["accuracy"].idxmax(), "low"]
    return fits.index[(fits["accuracy"] >= floor).to_numpy()][0]


def choose_ignores_budget(board, budget):
    best = board["accuracy"].idxmax()
    good = board[board["accuracy"] >= board.loc[best, "low"]]
    return good["predict ms / 1k rows"].idxmin()


def choose_most_accurate(board, budget):
    fits = board[board["predict ms / 1k rows"] <= budget]
    return None if fits.empty else fits["accuracy"].idxmax()


def choose_strict_budget(board, budget):
    return choose(board[board["predict ms / 1k rows"] < budget], budget)


def choose_fastest_overall(board, budget):
    fits = board[board["predict ms / 1k rows"] <= budget]
    return None if fits.empty else fits["predict ms / 1k rows"].idxmin()


def choose_in_place(board, budget):
    del board["high"]
    return choose(board, budget)


@pytest.mark.parametrize("answer", [choose, choose_sorted])
def test_15_6_right(answer):
    passes("15.6", answer)


@pytest.mark.parametrize("answer,word", [
    (choose_ignores_budget, "budget"),
    (choose_most_accurate, "fastest"),
    (choose_strict_budget, "at most"),
    (choose_fastest_overall, "as good"),
    (choose_in_place, "changed"),
])
def test_15_6_wrong(answer, word):
    fails("15.6", answer, word)
