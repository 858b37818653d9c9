"""Checkers for notebook 07_knn_and_naive_bayes.

Each checker calls the learner's function on fresh inputs made here and compares the result with
a reference: a brute-force NumPy expression, ``scipy.stats`` or scikit-learn.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm
from sklearn.naive_bayes import MultinomialNB

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
)
from mlcourse.exercises._guards import expect_memory, forbidden_calls, peak_memory


@exercise("07.1", "Vectorised distance matrix")
def check_squared_distances(squared_distances):
    rng = rng_for()
    for n, m, d in [(5, 7, 3), (1, 40, 10), (300, 200, 16), (60, 1, 2)]:
        A = rng.normal(size=(n, d)) * rng.uniform(0.5, 5)
        B = rng.normal(size=(m, d)) * rng.uniform(0.5, 5)
        brute = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)
        with forbidden_calls("scipy.spatial", "sklearn", "mlcourse.metrics",
                             why="Build the matrix from ||a||^2 - 2 a.b + ||b||^2 yourself."):
            got = as_array(squared_distances(A, B), "The distance matrix")
        expect(got.shape == (n, m),
               f"With A of shape {A.shape} and B of shape {B.shape} the answer has shape "
               f"({n}, {m}), one row per row of A; got {got.shape}. Hint: the middle term is "
               "A @ B.T, and the norms need [:, None] and [None, :] to broadcast.")
        expect_close(got, brute, f"The distances for A {A.shape}, B {B.shape}",
                     "Hint: ||a||^2 is (A**2).sum(axis=1); do not forget the factor -2 on A @ B.T.",
                     rtol=1e-7, atol=1e-9)
    # duplicated rows: the exact answer is 0, the expansion can give a tiny negative number
    A = rng.normal(size=(50, 8)) * 1e3 + 1e4
    got = as_array(squared_distances(A, A), "The distance matrix")
    expect(np.all(got >= 0),
           f"Some squared distances are negative (smallest {got.min():.3g}): round-off in "
           "||a||^2 - 2ab + ||b||^2. Hint: clip with np.maximum(D, 0).")
    expect(got.dtype.kind == "f", "Return floating-point distances.")
    # The (n, m, d) broadcast is what the exercise rules out: it needs d times the memory of
    # the answer, where the expansion needs about one answer-sized matrix more.
    A, B = rng.normal(size=(400, 64)), rng.normal(size=(300, 64))
    answer_bytes = 400 * 300 * 8
    reference = peak_memory(lambda: np.maximum(
        (A**2).sum(1)[:, None] - 2 * A @ B.T + (B**2).sum(1)[None, :], 0))
    expect_memory(lambda: squared_distances(A, B), max(8 * reference, 8 * answer_bytes),
                  what="Your function",
                  hint="That is the size of an (n, m, d) array of differences: use the "
                       "expansion ||a||^2 - 2 a.b + ||b||^2, whose largest piece is the (n, m) "
                       "matrix A @ B.T.")
    return ("Right, never negative, without scipy or scikit-learn, and without an (n, m, d) "
            "array of differences.")


@exercise("07.2", "The k nearest, with argpartition")
def check_k_nearest(k_nearest):
    rng = rng_for()
    # a large k too: for small k, argpartition happens to return the k smallest already sorted
    for n, m, k in [(4, 10, 3), (50, 200, 1), (30, 500, 7), (6, 5, 5), (40, 3000, 150)]:
        D = rng.random((n, m)) * rng.uniform(1, 100)  # continuous: no ties
        expected = np.argsort(D, axis=1)[:, :k]
        got = as_array(k_nearest(D, k), "The neighbour indices", dtype=None)
        expect(got.shape == (n, k),
               f"For D of shape {D.shape} and k={k} return shape ({n}, {k}); got {got.shape}.")
        expect(np.issubdtype(got.dtype, np.integer),
               f"Return column indices (integers), not distances; got dtype {got.dtype}.")
        same_sets = np.array_equal(np.sort(got, axis=1), np.sort(expected, axis=1))
        expect(same_sets,
               f"With k={k} some rows do not hold the k smallest entries. Hint: "
               "np.argpartition(D, k - 1, axis=1)[:, :k] puts the k smallest first.")
        expect(np.array_equal(got, expected),
               f"The right neighbours, but not ordered nearest first (k={k}). Hint: gather their "
               "distances with np.take_along_axis, argsort those, and reorder the indices.")
    return "Right: the k nearest, nearest first."


def _reference_vote(labels, n_classes):
    counts = (labels[:, :, None] == np.arange(n_classes)).sum(axis=1)
    return counts.argmax(axis=1)


@exercise("07.3", "Majority vote")
def check_majority_vote(majority_vote):
    rng = rng_for()
    for n, k, n_classes in [(10, 3, 2), (200, 5, 3), (500, 4, 4), (1, 7, 10), (300, 6, 2)]:
        labels = rng.integers(0, n_classes, size=(n, k))
        expected = _reference_vote(labels, n_classes)
        got = as_array(majority_vote(labels.copy(), n_classes), "The votes", dtype=None)
        expect(got.shape == (n,),
               f"Return one class per row: shape ({n},); got {got.shape}. Hint: count per row, "
               "then argmax over the class axis (axis=1).")
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = wrong[0]
            counts = np.bincount(labels[i], minlength=n_classes)
            tie = np.sum(counts == counts.max()) > 1
            raise ExerciseFailed(
                f"Row {labels[i].tolist()} (counts per class {counts.tolist()}) should give "
                f"{expected[i]}, got {got[i]}; {wrong.size} of {n} rows are wrong. "
                + ("It is a tie: it goes to the smallest class code, as argmax does."
                   if tie else "Hint: np.bincount on row * n_classes + label, reshaped "
                   "to (n, n_classes).")
            )
    # a class that never appears must still count (as zero) so codes are not shifted
    labels = np.array([[3, 3, 1], [2, 0, 2]])
    got = as_array(majority_vote(labels, 5), "The votes", dtype=None)
    expect(np.array_equal(got, [3, 2]),
           f"For rows {labels.tolist()} with 5 classes expected [3, 2], got {got.tolist()}. "
           "Hint: use minlength so that every class has a count, even absent ones.")
    return "Right: a vectorised vote, ties to the smallest class."


@exercise("07.4", "Log-space class scores for Gaussian naive Bayes")
def check_gaussian_log_scores(gaussian_log_scores):
    rng = rng_for()
    for n, d, n_classes in [(5, 2, 2), (100, 4, 3), (1, 30, 5)]:
        means = rng.normal(0, 3, size=(n_classes, d))
        variances = rng.uniform(0.2, 4, size=(n_classes, d))
        log_priors = np.log(rng.dirichlet(np.ones(n_classes)))
        X = rng.normal(0, 4, size=(n, d))
        expected = log_priors + norm.logpdf(X[:, None, :], means, np.sqrt(variances)).sum(axis=2)
        got = as_array(gaussian_log_scores(X, means, variances, log_priors), "The scores")
        expect(got.shape == (n, n_classes),
               f"Return one score per sample and class: shape ({n}, {n_classes}); got "
               f"{got.shape}. Hint: X[:, None, :] - means has shape (n, classes, features).")
        expect_close(got, expected, "The class scores",
                     "Hint: log N(x; m, v) = -0.5 * log(2 pi v) - (x - m)^2 / (2 v), summed over "
                     "the features, plus the log prior.", rtol=1e-9, atol=1e-9)
    # far from every mean: each density underflows to 0, the log-density stays finite
    means = np.zeros((2, 50))
    variances = np.full((2, 50), 0.01)
    X = np.full((3, 50), 40.0)
    got = as_array(gaussian_log_scores(X, means, variances, np.log([0.5, 0.5])), "The scores")
    expect(np.all(np.isfinite(got)),
           "Far from the means your scores are -inf or nan: the densities underflowed. Work "
           "with log-densities from the start instead of taking the log of a product.")
    return "Right, and it stays finite where the probabilities themselves underflow."


@exercise("07.5", "Laplace smoothing")
def check_smoothed_log_probs(smoothed_log_probs):
    rng = rng_for()
    for n_classes, vocabulary, alpha in [(2, 6, 1.0), (3, 500, 0.5), (4, 50, 2.0)]:
        counts = rng.poisson(0.8, size=(n_classes, vocabulary))  # many zeros: unseen words
        # one "document" per class holding all its counts: scikit-learn's fitted log probabilities
        reference = MultinomialNB(alpha=alpha).fit(counts, np.arange(n_classes)).feature_log_prob_
        got = as_array(smoothed_log_probs(counts, alpha), "The log probabilities")
        expect(got.shape == counts.shape,
               f"Return one log probability per class and word: shape {counts.shape}; got "
               f"{got.shape}.")
        expect(np.all(np.isfinite(got)),
               "Some log probabilities are -inf: a word never seen with a class must still get "
               "alpha added to its count.")
        expect_close(np.exp(got).sum(axis=1), np.ones(n_classes), "Each row's sum of exp(...)",
                     "Hint: normalise each class (row) by the sum of its smoothed counts, which "
                     "is N_c + alpha * V.")
        expect_close(got, reference, f"The log probabilities with alpha={alpha}",
                     "Hint: log(N_cj + alpha) - log(sum_j (N_cj + alpha)).", rtol=1e-9)
    return "Right: the feature_log_prob_ of multinomial naive Bayes."
