"""Checkers for notebook 13_hyperparameter_tuning.

Each checker runs the learner's answer on inputs made here (fresh labels, fresh patients,
fresh search spaces, fresh noise) and compares it with a property that any right answer has
or with a reference computed in the check.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from mlcourse.exercises._core import (
    as_array,
    exercise,
    expect,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, forbidden_calls
from mlcourse.model_selection import GridSearchCV, StratifiedKFold

# --------------------------------------------------------------------------- 13.1


def _label_sets(rng):
    """(y, k) pairs: strings, rare positives, labels sorted in blocks, a class of exactly k."""
    yield rng.choice(np.array(["fraud", "ok", "review"]), size=103, p=[0.1, 0.7, 0.2]), 5
    yield (rng.random(500) < 0.07).astype(int), 10
    yield np.repeat([3, 1, 2], [30, 20, 10]), 4
    yield rng.permutation(np.r_[np.zeros(20, int), np.ones(3, int), np.full(17, 2)]), 3


@exercise("13.1", "Stratified fold numbers without scikit-learn")
def check_stratified_fold_ids(stratified_fold_ids):
    rng = rng_for()
    for y, k in _label_sets(rng):
        with forbidden_calls("sklearn", "mlcourse.model_selection",
                             why="Write the assignment with NumPy (argsort, arange, %)."):
            got = call_unmutated(stratified_fold_ids, y, k, what="stratified_fold_ids")
        fold = as_array(got, "The fold numbers", dtype=None)
        expect(fold.shape == y.shape,
               f"Return one fold number per row, shape {y.shape}; got shape {fold.shape}. "
               "(A list of (train, test) pairs is what a splitter yields; here the exercise "
               "asks for the fold of each row.)")
        expect(np.issubdtype(fold.dtype, np.integer) or np.all(np.mod(fold, 1) == 0),
               "Fold numbers should be whole numbers 0, 1, ..., k - 1.")
        fold = fold.astype(int)
        expect(fold.min() >= 0 and fold.max() <= k - 1,
               f"With k = {k} the fold numbers run from 0 to {k - 1}; got values from "
               f"{fold.min()} to {fold.max()}.")
        expect(len(np.unique(fold)) == k, f"Every one of the {k} folds needs some rows.")
        for c in np.unique(y):
            counts = np.bincount(fold[y == c], minlength=k)
            share = (y == c).sum() / k
            low, high = int(np.floor(share)), int(np.ceil(share))
            fair = f"{low}" if low == high else f"{low} or {high}"
            expect(np.all(np.abs(counts - share) < 1),
                   f"Class {c.item()!r} has {(y == c).sum()} rows, so its fair share is {fair} "
                   f"in each of the {k} folds; yours get {counts.tolist()}. Hint: deal the "
                   "rows out in turn (position % k) after ordering them by class with a "
                   "stable argsort.")
    return ("Right: every class is spread over the folds within one row of its fair share, "
            "for string labels, rare classes and labels sorted in blocks, without changing y.")


# --------------------------------------------------------------------------- 13.2


def _visits(rng, n_patients, label):
    """Hospital visits: several rows per patient, rows in random order."""
    per_patient = rng.integers(1, 9, size=n_patients)
    patient = np.repeat(np.arange(n_patients), per_patient)
    order = rng.permutation(len(patient))
    patient = patient[order]
    frailty = rng.normal(size=n_patients)[patient]
    frame = pd.DataFrame({
        "visit_id": np.arange(len(patient)) + 1000,
        "patient_id": [f"{label}{p:03d}" for p in patient],
        "age": rng.integers(20, 90, size=n_patients)[patient],
        "blood_pressure": 120 + 15 * frailty + rng.normal(0, 5, len(patient)),
    })
    frame["readmitted"] = (frailty + rng.normal(0, 1, len(patient)) > 0.5).astype(int)
    return frame


@exercise("13.2", "Choose the splitter for repeated patients")
def check_grouped_cv(make_cv):
    rng = rng_for()
    for n_patients, label in ((60, "P"), (137, "Q")):
        visits = _visits(rng, n_patients, label)
        answer = call_unmutated(make_cv, visits, what="make_cv")
        cv, groups = unpack(answer, ("cv", "groups"))
        expect(hasattr(cv, "split") and not isinstance(cv, str | bytes),
               "The first item should be a splitter: an object with a split(X, y, groups) "
               "method, such as one from mlcourse.model_selection.")
        X, y = visits.drop(columns="readmitted"), visits["readmitted"]
        folds = list(cv.split(X, y, groups))
        expect(len(folds) == 5, f"The task asks for 5 folds; your splitter gives {len(folds)}.")
        tested = np.concatenate([np.asarray(test) for _, test in folds])
        expect(np.array_equal(np.sort(tested), np.arange(len(visits))),
               "Each visit should be in exactly one test fold.")
        patients = visits["patient_id"].to_numpy()
        for train, test in folds:
            shared = np.intersect1d(patients[np.asarray(train)], patients[np.asarray(test)])
            if len(shared) == 0:
                continue
            expect(False,
                   f"Patient {shared[0]} has visits in both the training and the test part of a "
                   "fold, so the model is scored on people it has already seen. Hint: the "
                   "groups are the patients (visits['patient_id']), and the splitter must keep "
                   "a group together (GroupKFold).")
    return ("Right: five folds, every visit tested once, and no patient on both sides of a "
            "fold, on two new hospitals.")


# --------------------------------------------------------------------------- 13.3

_SPACE = {"C": (1e-4, 1e2, "log"), "l1_ratio": (0.0, 1.0, "linear"),
          "learning_rate": (1e-5, 1e-1, "log")}


def _toy_score(params):
    return -((np.log10(params["C"]) - 0.7) ** 2) - 4 * (params["l1_ratio"] - 0.3) ** 2 \
        - 0.1 * (np.log10(params["learning_rate"]) + 2.5) ** 2


@exercise("13.3", "Random search on a log scale")
def check_random_search(random_search):
    seen = []

    def score(params):
        seen.append(dict(params))
        return float(_toy_score(params))

    n_iter = 300
    with forbidden_calls("sklearn", "scipy.stats", "mlcourse.model_selection",
                         why="Draw the values with NumPy's generator."):
        answer = random_search(score, dict(_SPACE), n_iter, 0)
    best_params, best_score = unpack(answer, ("best_params", "best_score"))
    expect(len(seen) == n_iter,
           f"score should be called n_iter = {n_iter} times, once per candidate; it was "
           f"called {len(seen)} times.")
    for params in seen:
        expect(set(params) == set(_SPACE),
               f"Each candidate should set every parameter of the space {sorted(_SPACE)}; one "
               f"had {sorted(params)}.")
    for name, (low, high, scale) in _SPACE.items():
        values = np.array([p[name] for p in seen], dtype=float)
        expect(np.all((values >= low) & (values <= high)),
               f"{name} should stay within [{low:g}, {high:g}]; you drew values from "
               f"{values.min():.3g} to {values.max():.3g}.")
        middle = np.sqrt(low * high) if scale == "log" else (low + high) / 2
        below = np.mean(values < middle)
        expect(0.4 <= below <= 0.6,
               f"{name} is on a {scale} scale, so about half the draws should fall below "
               f"{middle:g}; {below:.0%} of yours do. "
               + ("Hint: draw the exponent uniformly, 10 ** rng.uniform(log10(low), "
                  "log10(high))." if scale == "log" else "Hint: rng.uniform(low, high)."))
    scores = np.array([_toy_score(p) for p in seen])
    best = int(np.argmax(scores))
    expect(isinstance(best_params, dict), "best_params should be a dict of parameter values.")
    expect(np.isclose(float(best_score), scores[best]),
           f"The best score among your {n_iter} candidates is {scores[best]:.4f}; you returned "
           f"{float(best_score):.4f}. Higher scores are better: keep the maximum.")
    expect(all(np.isclose(best_params.get(k, np.nan), v) for k, v in seen[best].items()),
           "best_params should be the candidate that got the best score.")
    runs = []
    for seed in (0, 0, 1):
        seen.clear()
        random_search(score, dict(_SPACE), 20, seed)
        runs.append(np.array([[p[k] for k in sorted(_SPACE)] for p in seen], dtype=float))
    expect(runs[0].shape == runs[1].shape and np.allclose(runs[0], runs[1]),
           "The same seed should give the same candidates: make the generator from the seed, "
           "rng = np.random.default_rng(seed), and draw everything from it.")
    expect(runs[0].shape != runs[2].shape or not np.allclose(runs[0], runs[2]),
           "A different seed should give different candidates: draw from "
           "np.random.default_rng(seed), not from a fixed seed.")
    return (f"Right: {n_iter} candidates within bounds, log-scale parameters spread evenly over "
            "their decades, the best one kept, reproducible from the seed.")


# --------------------------------------------------------------------------- 13.4


@exercise("13.4", "Which number goes in the report")
def check_report_choice(answer):
    number, model = unpack(answer, ("letter of the number to report", "model to deploy"),
                           'Your answer, a pair such as ("a", 2),')
    expect(isinstance(number, str) and number.strip().lower() in ("a", "b", "c"),
           f"The first item is one of the letters 'a', 'b', 'c'; got {number!r}.")
    expect(isinstance(model, numbers.Integral) and model in (1, 2, 3),
           f"The second item is one of the numbers 1, 2, 3; got {model!r}.")
    number = number.strip().lower()
    expect(number != "c",
           "(c) is measured on the rows the model was trained on: it says how well the model "
           "remembers, not how well it predicts.")
    expect(number != "a",
           "(a) is the best of 200 cross-validated scores: the search chose the candidate "
           "because its score was high, partly by luck, so the number is biased upwards. The "
           "outer folds of nested cross-validation never took part in the choice.")
    expect(model != 2,
           "The model of the best outer fold was trained on less data and chosen because its "
           "test fold happened to score well: the same selection bias again.")
    expect(model != 3,
           "Averaging the five outer models is a different model from the one nested CV "
           "scored, which was the whole procedure 'search, then refit'. Running that procedure "
           "on all the data gives model 1.")
    return ("Right: report the nested estimate, which scores the whole procedure (search + "
            "refit) on data it never saw, and deploy that procedure run on all the rows.")


# --------------------------------------------------------------------------- 13.5


def _search_score(X, y, honest):
    """The reference: the same search, with the selection inside (honest) or before it."""
    grid = {"logisticregression__C": [0.01, 0.1, 1.0]}
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    model = make_pipeline(SelectKBest(f_classif, k=10), LogisticRegression(max_iter=1000))
    if not honest:
        X = X[:, SelectKBest(f_classif, k=10).fit(X, y).get_support()]
        model = make_pipeline(LogisticRegression(max_iter=1000))
    return GridSearchCV(model, grid, cv=cv, scoring="roc_auc").fit(X, y).best_score_


@exercise("13.5", "Find the leak in a search")
def check_fixed_search(fixed_search):
    rng = rng_for()
    X_noise = rng.normal(size=(150, 1000))
    y_noise = rng.permutation(np.repeat([0, 1], 75))
    got = float(as_array(call_unmutated(fixed_search, X_noise, y_noise, what="fixed_search"),
                         "The score"))
    leaky = _search_score(X_noise, y_noise, honest=False)
    expect(got < 0.68,
           f"On pure noise (1,000 random columns, random labels) no model can beat an AUC of "
           f"0.5, yet your search reports {got:.3f} (the leaky one reports {leaky:.3f}). The "
           "selection still sees the test folds. Hint: put SelectKBest in a pipeline with the "
           "model and search the pipeline.")
    X_signal = rng.normal(size=(300, 200))
    useful = rng.choice(200, size=5, replace=False)  # somewhere among the columns
    y_signal = (X_signal[:, useful].sum(axis=1) + rng.normal(0, 1.5, 300) > 0).astype(int)
    got = float(as_array(fixed_search(X_signal, y_signal), "The score"))
    reference = _search_score(X_signal, y_signal, honest=True)
    expect(abs(got - reference) < 0.04,
           f"On data with 5 useful columns out of 200 the leak-free search scores about "
           f"{reference:.3f}; yours gives {got:.3f}. Keep the same model and grid, select 10 "
           "columns inside each fold, and return best_score_.")
    return (f"Right: about 0.5 on pure noise (the leaky search: {leaky:.2f}), and the honest "
            "score on data with a real signal.")
