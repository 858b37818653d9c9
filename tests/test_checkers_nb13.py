"""The checkers of notebook 13 accept right answers, different valid methods included, and
fail the wrong answers a learner is likely to write, each with a hint that says what to fix."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from mlcourse.exercises import FAILED, PASSED, get_exercise
from mlcourse.exercises._core import _run_checker
from mlcourse.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    StratifiedKFold,
)


def run(exercise_id, answer):
    return _run_checker(get_exercise(exercise_id), answer)


def assert_passes(exercise_id, answer):
    status, message = run(exercise_id, answer)
    assert status == PASSED, message


def assert_fails(exercise_id, answer, *fragments):
    status, message = run(exercise_id, answer)
    assert status == FAILED, f"accepted: {message}"
    for fragment in fragments:
        assert fragment in message, message
    return message


# --------------------------------------------------------------------------- 13.1


def fold_ids_reference(y, k):
    order = np.argsort(np.asarray(y), kind="stable")
    fold = np.empty(len(order), dtype=int)
    fold[order] = np.arange(len(order)) % k
    return fold


def fold_ids_per_class_shuffled(y, k):
    """Another valid method: per class, a random permutation of the round robin."""
    y = np.asarray(y)
    rng = np.random.default_rng(0)
    fold = np.empty(len(y), dtype=int)
    start = 0
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        fold[rows] = rng.permutation((np.arange(len(rows)) + start) % k)
        start += len(rows)
    return fold


def test_13_1_accepts_the_reference_and_another_valid_method():
    assert_passes("13.1", fold_ids_reference)
    assert_passes("13.1", fold_ids_per_class_shuffled)
    assert_passes("13.1", lambda y, k: list(fold_ids_reference(y, k)))  # a list is fine


def test_13_1_refuses_scikit_learn_and_the_library():
    from sklearn.model_selection import StratifiedKFold as SkStratifiedKFold

    def with_sklearn(y, k):
        fold = np.empty(len(y), dtype=int)
        for f, (_, test) in enumerate(SkStratifiedKFold(k).split(np.zeros(len(y)), y)):
            fold[test] = f
        return fold

    def with_library(y, k):
        fold = np.empty(len(y), dtype=int)
        for f, (_, test) in enumerate(StratifiedKFold(k).split(np.zeros(len(y)), y)):
            fold[test] = f
        return fold

    assert_fails("13.1", with_sklearn, "NumPy")
    assert_fails("13.1", with_library, "NumPy")


def test_13_1_fails_plain_kfold_and_round_robin_in_row_order():
    def contiguous(y, k):  # plain k-fold blocks
        return np.minimum(np.arange(len(y)) * k // len(y), k - 1)

    assert_fails("13.1", contiguous, "fair share")
    assert_fails("13.1", lambda y, k: np.arange(len(y)) % k, "fair share")


def test_13_1_fails_off_by_one_pairs_and_in_place_sorting():
    assert_fails("13.1", lambda y, k: fold_ids_reference(y, k) + 1, "from 0 to")
    assert_fails("13.1", lambda y, k: fold_ids_reference(y, k + 1), "from 0 to")
    rows = np.arange  # (train, test) pairs, as a splitter yields, instead of fold numbers
    assert_fails("13.1", lambda y, k: [(rows(len(y)), rows(len(y)))] * k, "shape")

    def sorts_y(y, k):
        y.sort()
        return np.arange(len(y)) % k

    assert_fails("13.1", sorts_y, "in place")


# --------------------------------------------------------------------------- 13.2


def test_13_2_accepts_group_kfold_on_the_patients_shuffled_or_not():
    assert_passes("13.2", lambda v: (GroupKFold(5), v["patient_id"].to_numpy()))
    assert_passes("13.2", lambda v: (GroupKFold(5, shuffle=True, random_state=0),
                                     v["patient_id"]))


def test_13_2_fails_row_splitters_and_the_wrong_groups():
    hint = "groups are the patients"
    assert_fails("13.2", lambda v: (KFold(5), None), hint)
    assert_fails("13.2", lambda v: (KFold(5, shuffle=True, random_state=0), None), hint)
    assert_fails("13.2", lambda v: (StratifiedKFold(5), None), hint)
    assert_fails("13.2", lambda v: (GroupKFold(5), v["visit_id"].to_numpy()), hint)
    assert_fails("13.2", lambda v: (GroupKFold(3), v["patient_id"]), "5 folds")
    assert_fails("13.2", lambda v: GroupKFold(5), "pair")
    assert_fails("13.2", lambda v: ("GroupKFold", v["patient_id"]), "splitter")


# --------------------------------------------------------------------------- 13.3


def draw(rng, low, high, scale):
    if scale == "log":
        return float(10 ** rng.uniform(np.log10(low), np.log10(high)))
    return float(rng.uniform(low, high))


def random_search_reference(score, space, n_iter, seed):
    rng = np.random.default_rng(seed)
    candidates = [{k: draw(rng, *v) for k, v in space.items()} for _ in range(n_iter)]
    scores = [score(p) for p in candidates]
    best = int(np.argmax(scores))
    return candidates[best], scores[best]


def random_search_vectorised(score, space, n_iter, seed):
    """Another valid method: all draws of a parameter at once."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name, (low, high, scale) in space.items():
        if scale == "log":
            columns[name] = np.exp(rng.uniform(np.log(low), np.log(high), n_iter))
        else:
            columns[name] = rng.uniform(low, high, n_iter)
    candidates = [{k: float(v[i]) for k, v in columns.items()} for i in range(n_iter)]
    scores = np.array([score(p) for p in candidates])
    return candidates[int(scores.argmax())], float(scores.max())


def test_13_3_accepts_the_reference_and_a_vectorised_draw():
    assert_passes("13.3", random_search_reference)
    assert_passes("13.3", random_search_vectorised)


def test_13_3_fails_a_uniform_draw_on_a_log_scale():
    def uniform_everywhere(score, space, n_iter, seed):
        rng = np.random.default_rng(seed)
        candidates = [{k: float(rng.uniform(v[0], v[1])) for k, v in space.items()}
                      for _ in range(n_iter)]
        scores = [score(p) for p in candidates]
        return candidates[int(np.argmax(scores))], max(scores)

    assert_fails("13.3", uniform_everywhere, "log scale", "10 **")


def test_13_3_fails_the_minimum_extra_calls_and_a_fixed_seed():
    def keeps_minimum(score, space, n_iter, seed):
        rng = np.random.default_rng(seed)
        candidates = [{k: draw(rng, *v) for k, v in space.items()} for _ in range(n_iter)]
        scores = [score(p) for p in candidates]
        return candidates[int(np.argmin(scores))], min(scores)

    def scores_twice(score, space, n_iter, seed):
        best = random_search_reference(score, space, n_iter, seed)
        score(best[0])  # "just to be sure"
        return best

    def ignores_seed(score, space, n_iter, seed):
        return random_search_reference(score, space, n_iter, 42)

    def unseeded(score, space, n_iter, seed):
        return random_search_reference(score, space, n_iter, None)

    assert_fails("13.3", keeps_minimum, "maximum")
    assert_fails("13.3", scores_twice, "called")
    assert_fails("13.3", ignores_seed, "different seed")
    assert_fails("13.3", unseeded, "same seed")


def test_13_3_refuses_scipy_stats_and_scikit_learn_samplers():
    from scipy.stats import loguniform, uniform
    from sklearn.model_selection import ParameterSampler

    def with_scipy(score, space, n_iter, seed):
        rng = np.random.RandomState(seed)
        candidates = []
        for _ in range(n_iter):
            candidates.append({
                k: float((loguniform(v[0], v[1]) if v[2] == "log"
                          else uniform(v[0], v[1] - v[0])).rvs(random_state=rng))
                for k, v in space.items()})
        scores = [score(p) for p in candidates]
        return candidates[int(np.argmax(scores))], max(scores)

    def with_sampler(score, space, n_iter, seed):
        dists = {k: loguniform(v[0], v[1]) if v[2] == "log" else uniform(v[0], v[1] - v[0])
                 for k, v in space.items()}
        candidates = list(ParameterSampler(dists, n_iter, random_state=seed))
        scores = [score(p) for p in candidates]
        return candidates[int(np.argmax(scores))], max(scores)

    assert_fails("13.3", with_scipy, "NumPy")
    assert_fails("13.3", with_sampler, "NumPy")


# --------------------------------------------------------------------------- 13.4


def test_13_4_accepts_the_nested_number_and_the_refitted_search():
    assert_passes("13.4", ("b", 1))
    assert_passes("13.4", ["B ", 1])


@pytest.mark.parametrize("answer, fragment", [
    (("a", 1), "biased upwards"),
    (("c", 1), "remembers"),
    (("b", 2), "selection bias"),
    (("b", 3), "procedure"),
    (("d", 1), "letters"),
    (("b", "1"), "numbers"),
    ("b", "pair"),
])
def test_13_4_explains_each_wrong_choice(answer, fragment):
    assert_fails("13.4", answer, fragment)


# --------------------------------------------------------------------------- 13.5

GRID = {"logisticregression__C": [0.01, 0.1, 1.0]}


def fixed_search_reference(X, y):
    pipe = make_pipeline(SelectKBest(f_classif, k=10), LogisticRegression(max_iter=1000))
    search = GridSearchCV(pipe, GRID, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                          scoring="roc_auc")
    return search.fit(X, y).best_score_


def test_13_5_accepts_the_fix_with_the_library_or_scikit_learn_and_another_seed():
    from sklearn.model_selection import GridSearchCV as SkGridSearchCV
    from sklearn.model_selection import StratifiedKFold as SkStratifiedKFold

    def with_sklearn(X, y):
        pipe = make_pipeline(SelectKBest(f_classif, k=10), LogisticRegression(max_iter=1000))
        return SkGridSearchCV(pipe, GRID, scoring="roc_auc",
                              cv=SkStratifiedKFold(5, shuffle=True, random_state=3)
                              ).fit(X, y).best_score_

    assert_passes("13.5", fixed_search_reference)
    assert_passes("13.5", with_sklearn)


def test_13_5_fails_the_leak_a_constant_and_a_wrong_model():
    def leaky(X, y):
        keep = SelectKBest(f_classif, k=10).fit(X, y).get_support()
        return GridSearchCV(LogisticRegression(max_iter=1000), {"C": [0.01, 0.1, 1.0]},
                            cv=StratifiedKFold(5, shuffle=True, random_state=0),
                            scoring="roc_auc").fit(X[:, keep], y).best_score_

    def scaled_after_selection_on_all(X, y):  # the leak moved, not removed
        keep = SelectKBest(f_classif, k=10).fit(X, y).get_support()
        return fixed_search_reference(X[:, keep], y)

    def selects_without_y(X, y):  # no leak, but not the search the task asks for
        return GridSearchCV(LogisticRegression(max_iter=1000), {"C": [0.01, 0.1, 1.0]},
                            cv=StratifiedKFold(5, shuffle=True, random_state=0),
                            scoring="roc_auc").fit(X[:, :10], y).best_score_

    def edits_X(X, y):
        X -= X.mean(axis=0)
        return fixed_search_reference(X, y)

    assert_fails("13.5", leaky, "pure noise", "pipeline")
    assert_fails("13.5", scaled_after_selection_on_all, "pure noise")
    assert_fails("13.5", lambda X, y: 0.5, "useful columns")
    assert_fails("13.5", selects_without_y, "useful columns")
    assert_fails("13.5", edits_X, "in place")
