"""Checkers for notebook 07_knn_and_naive_bayes.

Each checker calls the learner's function on fresh inputs made here and compares the result with
a reference: a brute-force NumPy expression, scikit-learn, or (for the judgement exercises) what
the learner's choice achieves on thousands of new points drawn from the same distribution.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from sklearn.naive_bayes import BernoulliNB
from sklearn.pipeline import make_pipeline

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
)
from mlcourse.exercises._guards import call_unmutated, expect_memory, forbidden_calls, peak_memory
from mlcourse.naive_bayes import GaussianNB
from mlcourse.neighbors import KNeighborsClassifier
from mlcourse.preprocessing import StandardScaler


def _exact_squared_distances(A, B):
    """Brute force, one difference at a time: exact to round-off wherever the points are."""
    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)


def _expanded(A, B):
    return (A**2).sum(axis=1)[:, None] - 2 * A @ B.T + (B**2).sum(axis=1)[None, :]


# --- 07.1 distances far from the origin ------------------------------------------------------

@exercise("07.1", "Distances between two sets far from the origin")
def check_squared_distances_far(squared_distances_far):
    rng = rng_for()
    why = "Build the matrix from ||a||^2 - 2 a.b + ||b||^2 yourself."
    for n, m, d, offset in [(5, 7, 3, 0.0), (40, 30, 4, 1e3), (60, 50, 6, 1e7), (1, 20, 2, 3e7),
                            (30, 1, 5, -2e7)]:
        centre = offset * rng.uniform(0.5, 1.5, size=d)
        A = centre + rng.normal(size=(n, d)) * rng.uniform(0.5, 3)
        B = centre + rng.normal(size=(m, d)) * rng.uniform(0.5, 3)
        exact = _exact_squared_distances(A, B)
        with forbidden_calls("scipy.spatial", "sklearn", "mlcourse.metrics", why=why):
            got = as_array(call_unmutated(squared_distances_far, A, B,
                                          what="squared_distances_far"), "The distance matrix")
        expect(got.shape == (n, m),
               f"With A of shape {A.shape} and B of shape {B.shape} the answer has shape "
               f"({n}, {m}); got {got.shape}.")
        where = f"for points about {abs(offset):.0e} from the origin" if offset else "near 0"
        if n > 1 and m > 1 and np.allclose(
                got, _expanded(A - A.mean(axis=0), B - B.mean(axis=0)), rtol=1e-6):
            raise ExerciseFailed(
                f"The distances are wrong {where}: A and B were each centred on their own mean, "
                "which moves one set against the other. Hint: subtract the same vector from "
                "both sets (distances do not change when every point moves by the same vector).")
        expect_close(got, exact, f"The squared distances {where}",
                     "Hint: far from the origin ||a||^2 - 2ab + ||b||^2 subtracts huge, nearly "
                     "equal numbers. Move both sets by the same vector first (for instance "
                     "minus the mean of B), then expand.", rtol=1e-6, atol=1e-6)
        expect(np.all(got >= 0),
               f"Some squared distances are negative (smallest {got.min():.3g}). Hint: clip "
               "the round-off with np.maximum(D, 0).")
    # identical sets: every self-distance is exactly 0, the expansion may give tiny negatives
    A = 5e6 + rng.normal(size=(40, 8))
    got = as_array(squared_distances_far(A, A.copy()), "The distance matrix")
    expect(np.all(got >= 0), f"Some squared distances are negative (smallest {got.min():.3g}). "
           "Hint: clip the round-off with np.maximum(D, 0).")
    # The (n, m, d) array of differences is exact but needs d times the memory of the answer.
    A, B = rng.normal(size=(400, 64)) + 1e6, rng.normal(size=(300, 64)) + 1e6
    reference = peak_memory(lambda: np.maximum(_expanded(A - B.mean(0), B - B.mean(0)), 0))
    expect_memory(lambda: squared_distances_far(A, B), max(8 * reference, 8 * 400 * 300 * 8),
                  what="Your function",
                  hint="That is the size of an (n, m, d) array of differences: shift both sets, "
                       "then use ||a||^2 - 2 a.b + ||b||^2, whose largest piece is (n, m).")
    return ("Right to 1e-6 for points up to 3e7 from the origin, never negative, without "
            "scipy or scikit-learn, without an (n, m, d) array, inputs left unchanged.")


# --- 07.2 kNN regression with distance weights ------------------------------------------------

def _reference_knn_regress(X_train, y_train, X_query, k, power=1):
    dist = np.sqrt(_exact_squared_distances(X_query, X_train))
    ind = np.argsort(dist, axis=1)[:, :k]
    near = np.take_along_axis(dist, ind, axis=1)
    exact_match = near == 0
    with np.errstate(divide="ignore"):
        weights = np.where(exact_match.any(axis=1, keepdims=True), exact_match * 1.0,
                           1.0 / near**power)
    return (weights * y_train[ind]).sum(axis=1) / weights.sum(axis=1)


@exercise("07.2", "kNN regression with distance weights")
def check_knn_regress(knn_regress):
    rng = rng_for()
    why = "Find the neighbours yourself: distances, argpartition, a weighted mean."
    for n_train, n_query, d, k in [(50, 10, 2, 1), (200, 40, 3, 5), (500, 60, 8, 20),
                                   (30, 5, 1, 30)]:
        X_train = rng.normal(size=(n_train, d)) * rng.uniform(0.5, 4)
        y_train = np.sin(X_train).sum(axis=1) * 10 + rng.normal(size=n_train)
        X_query = rng.normal(size=(n_query, d)) * rng.uniform(0.5, 4)
        expected = _reference_knn_regress(X_train, y_train, X_query, k)
        with forbidden_calls("sklearn.neighbors", "mlcourse.neighbors", why=why):
            got = as_array(call_unmutated(knn_regress, X_train, y_train, X_query, k,
                                          what="knn_regress"), "The predictions")
        expect(got.shape == (n_query,),
               f"Return one prediction per query row: shape ({n_query},); got {got.shape}.")
        if k > 1:
            uniform = y_train[np.argsort(_exact_squared_distances(X_query, X_train),
                                         axis=1)[:, :k]].mean(axis=1)
            if np.allclose(got, uniform):
                raise ExerciseFailed(
                    f"With k={k} you return the plain mean of the neighbours' targets. Hint: "
                    "weight each neighbour by 1 / distance and divide by the sum of the weights.")
            if np.allclose(got, _reference_knn_regress(X_train, y_train, X_query, k, power=2)):
                raise ExerciseFailed(
                    f"With k={k} the weights are 1 / squared distance. The distances of "
                    "section 4 are squared: take their square root before 1 / distance.")
        expect_close(got, expected, f"The predictions (k={k}, {n_train} training rows)",
                     "Hint: the k nearest by np.argpartition on the distances; weights "
                     "w = 1 / distance; prediction sum(w * y) / sum(w) over the k neighbours.",
                     rtol=1e-6, atol=1e-8)
    # queries that coincide with training points: their distance is 0
    X_train = rng.normal(size=(60, 3))
    y_train = rng.normal(size=60) * 5
    X_query = np.r_[X_train[[3, 17, 41]], rng.normal(size=(4, 3))]
    got = as_array(knn_regress(X_train, y_train, X_query, 5), "The predictions")
    expect(np.all(np.isfinite(got)),
           "A query that coincides with a training point gets nan or inf: 1 / 0. Hint: when a "
           "neighbour is at distance 0, predict the mean target of the neighbours at distance 0 "
           "(what scikit-learn does).")
    expect_close(got[:3], y_train[[3, 17, 41]], "The predictions at training points",
                 "Hint: a query at distance 0 from a training point takes that point's target.",
                 rtol=1e-5, atol=1e-6)
    expect_close(got[3:], _reference_knn_regress(X_train, y_train, X_query[3:], 5),
                 "The predictions of the other queries", rtol=1e-6)
    return ("Right: the 1 / distance weighted mean of the k nearest targets (scikit-learn's "
            "weights='distance'), exact matches included, without a neighbours class, inputs "
            "left unchanged.")


# --- 07.3 choose k when rows come in groups (judgement) --------------------------------------

CANDIDATE_KS = np.array([1, 3, 5, 9, 15, 25, 41, 65, 99])


def _grouped_rows(rng, n_groups, rows_per_group, flip):
    """Rows in groups (say, the visits of one patient): near-copies of one point, one label.

    The label is a property of the group, and a share ``flip`` of the groups have the
    label the boundary does not predict, so a model has to average over several groups.
    """
    centres = rng.uniform(-1, 1, size=(n_groups, 2))
    label = (centres[:, 1] > 0.6 * np.sin(2 * centres[:, 0])).astype(int)
    label = np.where(rng.random(n_groups) < flip, 1 - label, label)
    groups = np.repeat(np.arange(n_groups), rows_per_group)
    X = centres[groups] + rng.normal(scale=0.02, size=(len(groups), 2))
    return X * [1.0, 30.0], label[groups], groups


def _accuracy_by_k(X_train, y_train, X_new, y_new, candidates):
    """Test accuracy of a scaled kNN for every k at once (two classes, odd k: no vote ties)."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    A, B = (X_new - mean) / std, (X_train - mean) / std
    order = np.argsort(np.maximum(_expanded(A, B), 0), axis=1)[:, :max(candidates)]
    votes_for_1 = np.cumsum(y_train[order], axis=1)  # column k - 1: votes among the k nearest
    return {int(k): float(np.mean((votes_for_1[:, k - 1] > k / 2) == y_new))
            for k in candidates}


@exercise("07.3", "Choose k when rows come in groups (judgement)")
def check_choose_k(choose_k):
    rng = rng_for()
    lines = []
    for n_groups, rows_per_group, flip in [(150, 4, 0.2), (150, 4, 0.2)]:  # two data sets
        X, y, groups = _grouped_rows(rng, n_groups, rows_per_group, flip)
        X_new, y_new, _ = _grouped_rows(rng, 1000, 5, flip)  # new groups, never seen
        got = call_unmutated(choose_k, X, y, groups, CANDIDATE_KS.copy(), what="choose_k")
        try:
            k = int(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"Return one k from the candidates; got {got!r}.") from None
        expect(k == got and k in CANDIDATE_KS,
               f"Return one k from the candidates {CANDIDATE_KS.tolist()}; got {got!r}.")
        accuracy = _accuracy_by_k(X, y, X_new, y_new, CANDIDATE_KS)
        best_k = max(accuracy, key=accuracy.get)
        hint = ("Hint: a new patient is a new group. With plain k-fold, the rows of a "
                "validation fold have near-copies of themselves (the same group) in the "
                "training folds, so a small k looks perfect. Keep each group on one side of "
                "every split: GroupKFold with groups=groups.")
        if k == 1:
            hint = ("Hint: k = 1 looks perfect when every row has a near-copy of itself in the "
                    "training data; a new group has none. " + hint[6].upper() + hint[7:])
        expect(accuracy[k] >= accuracy[best_k] - 0.04,
               f"With {n_groups} groups of {rows_per_group} rows, your k = {k} reaches "
               f"{accuracy[k]:.3f} on 5,000 rows of 1,000 new groups, where k = {best_k} "
               f"reaches {accuracy[best_k]:.3f}. {hint}")
        lines.append(f"k = {k}: {accuracy[k]:.3f} (best {accuracy[best_k]:.3f})")
    return ("On new groups your k is within 0.04 of the best candidate on both data sets: "
            + "; ".join(lines) + ".")


# --- 07.4 Bernoulli naive Bayes ---------------------------------------------------------------

def _binary_documents(rng, n, vocabulary, n_classes):
    """Word presence (0/1): each class has its own probability of using each word."""
    presence = rng.beta(0.3, 3.0, size=(n_classes, vocabulary))
    y = rng.integers(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)  # every class present
    X = (rng.random((n, vocabulary)) < presence[y]).astype(float)
    return X, y, presence


@exercise("07.4", "Bernoulli naive Bayes: absent words count too")
def check_bernoulli_log_proba(bernoulli_log_proba):
    rng = rng_for()
    why = "Estimate the word probabilities and the class scores yourself."
    for n, vocabulary, n_classes, alpha in [(40, 12, 2, 1.0), (300, 2000, 2, 1.0),
                                            (200, 300, 3, 0.5)]:
        X, y, presence = _binary_documents(rng, n, vocabulary, n_classes)
        X_new = (rng.random((50, vocabulary)) < presence[rng.integers(0, n_classes, 50)]) * 1.0
        labels = np.array(["ham", "spam", "promo"])[y] if n_classes <= 3 else y
        reference = BernoulliNB(alpha=alpha, binarize=None).fit(X, labels)
        expected = reference.predict_log_proba(X_new)
        with forbidden_calls("sklearn.naive_bayes", "mlcourse.naive_bayes", why=why):
            got = as_array(call_unmutated(bernoulli_log_proba, X, labels, X_new, alpha,
                                          what="bernoulli_log_proba"), "The log probabilities")
        expect(got.shape == expected.shape,
               f"Return one log probability per new row and class, shape {expected.shape}, "
               f"classes in sorted order; got {got.shape}.")
        expect(np.all(np.isfinite(got)),
               f"Some log probabilities are -inf or nan with {vocabulary} words: a product of "
               "that many probabilities underflows. Hint: stay in log space, sum the logs.")
        if not np.allclose(logsumexp(got, axis=1), 0, atol=1e-6):
            raise ExerciseFailed(
                "exp of each row does not sum to 1: these are class scores, not log "
                "posteriors. Hint: subtract scipy.special.logsumexp of each row.")
        # what a learner gets by retyping the multinomial model: absent words are ignored
        counts = np.array([X[labels == c].sum(axis=0) for c in reference.classes_])
        n_docs = np.array([np.sum(labels == c) for c in reference.classes_])
        log_p = np.log(counts + alpha) - np.log(n_docs + 2 * alpha)[:, None]
        present_only = X_new @ log_p.T + np.log(n_docs / n)
        present_only -= logsumexp(present_only, axis=1, keepdims=True)
        if np.allclose(got, present_only, atol=1e-6):
            raise ExerciseFailed(
                "Only the words present in a message count in your scores. In the Bernoulli "
                "model an absent word is evidence too: add (1 - x_j) log(1 - p_cj).")
        expect_close(got, expected, f"The log posteriors ({vocabulary} words, alpha={alpha})",
                     "Hint: p_cj = (number of class-c rows containing word j + alpha) / "
                     "(number of class-c rows + 2 alpha); score = log prior + X @ log(p).T + "
                     "(1 - X) @ log(1 - p).T; then subtract the row's logsumexp.",
                     rtol=1e-7, atol=1e-7)
    return ("Right: scikit-learn's BernoulliNB log posteriors, finite with 2,000 words, "
            "without a naive Bayes class, inputs left unchanged.")


# --- 07.5 kNN or naive Bayes (judgement) -----------------------------------------------------

def _many_noise_features(rng, n):
    """Five informative features among 150 of pure noise."""
    y = rng.integers(0, 2, n)
    informative = rng.normal(size=(n, 5)) + np.where(y[:, None] == 1, 0.7, -0.7)
    return np.c_[informative, rng.normal(size=(n, 150))], y


def _crossed_classes(rng, n):
    """Classes with identical marginals, told apart only by how two features vary together."""
    y = rng.integers(0, 2, n)
    z = rng.normal(size=(n, 2)) * [2.0, 0.3]
    sign = np.where(y == 1, 1.0, -1.0)
    X = np.c_[z[:, 0] + z[:, 1], sign * (z[:, 0] - z[:, 1])] / np.sqrt(2)
    return np.c_[X, rng.normal(size=(n, 2))], y


def _candidate_models():
    return {"knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
            "naive_bayes": GaussianNB()}


@exercise("07.5", "kNN or naive Bayes? (judgement)")
def check_choose_model(choose_model):
    rng = rng_for()
    lines = []
    for what, draw in [("5 useful features among 150 of noise", _many_noise_features),
                       ("classes told apart by a correlation", _crossed_classes)]:
        X, y = draw(rng, 400)
        X_new, y_new = draw(rng, 5000)
        choice = call_unmutated(choose_model, X, y, what="choose_model")
        expect(isinstance(choice, str) and choice in ("knn", "naive_bayes"),
               f"Return the string 'knn' or 'naive_bayes'; got {choice!r}.")
        accuracy = {name: model.fit(X, y).score(X_new, y_new)
                    for name, model in _candidate_models().items()}
        best = max(accuracy, key=accuracy.get)
        expect(accuracy[choice] >= accuracy[best] - 0.02,
               f"With {what}, you chose {choice!r}: {accuracy[choice]:.3f} on 5,000 new points, "
               f"where {best!r} reaches {accuracy[best]:.3f}. Hint: cross-validate both models "
               "on (X, y) and keep the better one; think about what each model assumes.")
        lines.append(f"{what}: {choice} ({accuracy[choice]:.3f})")
    return "Both choices are right on 5,000 new points: " + "; ".join(lines) + "."
