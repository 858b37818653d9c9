"""Checkers for notebook 04_data_splitting.

The checkers call the learner's splitter or estimate on fresh data made here, then test the
properties a correct answer must have (disjoint, complete, right sizes, reproducible, the
share of each stratum kept, the same folds as scikit-learn's splitter, an honest estimate on
data whose true error is known).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.model_selection import TimeSeriesSplit

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, rng_for, unpack
from mlcourse.exercises._guards import call_unmutated, forbidden_calls


def _indices(result, what=("train_idx", "test_idx")):
    train, test = (np.asarray(part) for part in unpack(result, what))
    expect(train.ndim == 1 and test.ndim == 1,
           "Return 1-D arrays of row numbers (not boolean masks of another shape).")
    expect(train.dtype.kind in "iu" and test.dtype.kind in "iu",
           f"Return integer row numbers; got dtypes {train.dtype} and {test.dtype}.")
    return train, test


def _expect_partition(train, test, n):
    expect(len(np.intersect1d(train, test)) == 0,
           "Some rows are in both the training and the test set.")
    expect(len(train) + len(test) == n and len(np.union1d(train, test)) == n,
           f"Every row 0..{n - 1} must be in exactly one of the two sets "
           f"(got {len(train)} + {len(test)} rows, {len(np.union1d(train, test))} distinct).")


# --- 04.1 stratifying a continuous target ------------------------------------------------------

def _quantile_bins(y, n_bins):
    """Bin number of each value: the sorted values cut into n_bins runs of equal length."""
    ranks = np.argsort(np.argsort(y, kind="stable"), kind="stable")
    return ranks * n_bins // len(y)


@exercise("04.1", "Stratify a continuous target")
def check_binned_stratified_split(binned_stratified_split):
    rng = rng_for()
    cases = [
        ("2,000 skewed prices", rng.lognormal(3.0, 1.0, 2000), 0.25, 5),
        ("1,001 values with a few huge outliers",
         np.r_[rng.normal(50, 10, 995), rng.normal(5000, 500, 6)], 0.2, 10),
    ]
    for what, y, test_size, n_bins in cases:
        seed = int(rng.integers(1 << 30))
        y = rng.permutation(y)
        result = call_unmutated(binned_stratified_split, y, test_size, n_bins, seed,
                                what="binned_stratified_split")
        train, test = _indices(result)
        _expect_partition(train, test, len(y))
        expect(len(test) > 0,
               f"For {what} your test set is empty. A continuous target has (almost) one "
               "value per row: stratifying on the values themselves makes every row its own "
               "class, and round(test_size * 1) = 0. Cut y into n_bins quantile bins first "
               "and stratify on the bin numbers.")
        bins = _quantile_bins(y, n_bins)
        worst = 0.0
        for b in range(n_bins):
            in_bin = bins == b
            want = test_size * in_bin.sum()
            worst = max(worst, abs(np.isin(np.flatnonzero(in_bin), test).sum() - want))
        # a learner's quantile edges may put a tied or edge value one bin over: 3 rows of slack
        # per bin; a plain random split misses by about 5 to 9 rows in some bin
        expect(worst <= 3,
               f"For {what} (test_size={test_size}, n_bins={n_bins}) one quantile bin of y "
               f"sends {worst:.0f} rows more or fewer to the test set than its share. Hint: "
               "bin = position of each value among the n_bins quantiles (np.quantile + "
               "np.digitize, or pd.qcut(y, n_bins, labels=False)), then split each bin "
               "separately, as stratified_split does with classes.")
        again = _indices(binned_stratified_split(y.copy(), test_size, n_bins, seed))[1]
        expect(np.array_equal(np.sort(again), np.sort(test)),
               "The same seed must give the same split. Hint: np.random.default_rng(seed).")
    y = rng.normal(size=400)
    picks = [np.sort(_indices(binned_stratified_split(y, 0.25, 4, seed))[1]) for seed in (3, 4)]
    expect(not np.array_equal(*picks),
           "Different seeds give the same test set: pick the rows of each bin at random.")
    return ("Every quantile bin of the target keeps its share of the test set, on skewed data "
            "and with outliers; reproducible, and your input left as it was.")


# --- 04.2 grouped split ------------------------------------------------------------------------

@exercise("04.2", "A grouped split")
def check_group_split(group_split):
    rng = rng_for()
    for n_groups, test_size in ((20, 0.25), (7, 0.3), (50, 0.1)):
        sizes = rng.integers(1, 9, n_groups)
        labels = rng.permutation(np.array([f"g{i}" for i in range(n_groups)]))
        groups = rng.permutation(np.repeat(labels, sizes))
        seed = int(rng.integers(1 << 30))
        train, test = _indices(group_split(groups.copy(), test_size, seed))
        _expect_partition(train, test, len(groups))
        shared = set(groups[train]) & set(groups[test])
        expect(not shared,
               f"Groups {sorted(str(g) for g in shared)[:5]} have rows on both sides.")
        want = math.ceil(test_size * n_groups)
        expect(len(set(groups[test])) == want,
               f"With {n_groups} groups and test_size={test_size}, the test set should hold "
               f"ceil({test_size} * {n_groups}) = {want} whole groups; yours holds "
               f"{len(set(groups[test]))}.")
        again = _indices(group_split(groups.copy(), test_size, seed))[1]
        expect(np.array_equal(np.sort(again), np.sort(test)),
               "The same seed must give the same split.")
    groups = np.repeat(np.arange(30), 3)
    picks = [set(groups[_indices(group_split(groups, 0.2, seed))[1]]) for seed in (5, 6)]
    expect(picks[0] != picks[1], "Choose the test groups at random (different seeds differ).")
    return "Whole groups on each side, the right number of them."


# --- 04.3 time folds with a gap ----------------------------------------------------------------

@exercise("04.3", "Time folds with a gap")
def check_time_folds_with_gap(time_folds_with_gap):
    for n, k, gap in ((12, 3, 0), (50, 5, 3), (101, 4, 10), (30, 2, 1)):
        expected = list(TimeSeriesSplit(k, gap=gap).split(np.zeros(n)))
        with forbidden_calls("sklearn", why="build the folds yourself, as the task says"):
            got = time_folds_with_gap(n, k, gap)
        expect(isinstance(got, list | tuple) and len(got) == k,
               f"Return a list of {k} (train_idx, test_idx) pairs for n_splits={k}.")
        size = n // (k + 1)
        for fold, (pair, (train_ref, test_ref)) in enumerate(zip(got, expected, strict=True)):
            train, test = _indices(pair)
            expect(np.array_equal(test, test_ref),
                   f"n_samples={n}, n_splits={k}, gap={gap}: fold {fold} should test rows "
                   f"{test_ref[0]}..{test_ref[-1]}; got {test.tolist()[:4]}... Hint: the gap "
                   f"comes out of the training rows, not the test rows: each test set still has "
                   f"n_samples // (n_splits + 1) = {size} rows and the last one ends at the "
                   "last row.")
            if len(train) and len(train_ref) and np.array_equal(
                    train, np.arange(train_ref[-1] + 1 + gap)) and gap:
                raise ExerciseFailed(
                    f"Fold {fold} trains right up to its test set: leave the {gap} rows just "
                    "before the test set out (the training rows end at test start - gap).")
            expect(np.array_equal(train, train_ref),
                   f"n_samples={n}, n_splits={k}, gap={gap}: fold {fold} should train on rows "
                   f"0..{train_ref[-1]}, in order; got {len(train)} rows "
                   f"{train.tolist()[:3]}...{train.tolist()[-2:]}.")
    return ("Same folds as TimeSeriesSplit(n_splits, gap=gap), built without scikit-learn: "
            "always train on the past, with the gap left out.")


# --- 04.4 judgement: which splitter? ------------------------------------------------------------

SPLITTERS = ("KFold", "StratifiedKFold", "GroupKFold", "TimeSeriesSplit")
SCENARIOS = {
    "xrays": "6,000 chest X-rays of 1,500 patients, several per patient; the model will read "
             "the X-rays of new patients",
    "sales": "the daily sales of one shop over three years; the model forecasts next month",
    "survey": "a one-off health survey of 3,000 unrelated people, 2 % of whom have a rare "
              "condition; the model screens people like them",
    "houses": "5,000 sales of different houses in one month; the model prices houses listed "
              "now",
    "machines": "vibration readings of 40 machines, 1,000 each; the model will watch machines "
                "the company has not bought yet",
    "churn": "monthly records of the same 20,000 customers over two years; the model predicts "
             "which of these customers leave next month",
}
_ACCEPTED = {
    "xrays": {"GroupKFold"},
    "sales": {"TimeSeriesSplit"},
    "survey": {"StratifiedKFold"},
    "houses": {"KFold"},
    "machines": {"GroupKFold"},
    "churn": {"TimeSeriesSplit"},
}
_WHY_NOT = {
    "xrays": "The X-rays of one patient look alike: if a patient has images on both sides, the "
             "test measures 'new X-rays of known patients'. Keep each patient on one side.",
    "sales": "A forecast is made from the past about the future: the validation must train on "
             "earlier days and test on later ones, never the other way round.",
    "survey": "The rows are independent, but 2 % is 60 people: a plain random fold may get 8 "
              "or 16 of them. Keep the share of the rare class in every fold.",
    "houses": "One sale per house, one month, a numeric target: nothing groups, orders or "
              "needs stratifying the rows (stratification by class needs classes).",
    "machines": "Readings of one machine share its quirks; the model must work on machines it "
                "has never seen, so whole machines go to one side.",
    "churn": "The model will be used on the same customers, later. What must not leak is the "
             "future: train on earlier months, test on later ones. Splitting by customer "
             "would answer a question nobody asks (new customers) and still mix the months.",
}


def _splitter_name(choice):
    if isinstance(choice, str):
        return choice.strip()
    if isinstance(choice, type):
        return choice.__name__
    return type(choice).__name__


@exercise("04.4", "Choose the splitter (judgement)")
def check_choose_splitter(choices):
    expect(isinstance(choices, dict),
           "Answer with a dict {scenario: splitter}, e.g. {'xrays': 'KFold', ...}.")
    missing = sorted(set(SCENARIOS) - set(choices))
    expect(not missing, f"Give a splitter for every scenario; missing: {missing}.")
    wrong = []
    for key, allowed in _ACCEPTED.items():
        name = _splitter_name(choices[key])
        by_lower = {s.lower(): s for s in SPLITTERS}
        expect(name.lower() in by_lower,
               f"Choose one of {', '.join(SPLITTERS)} for {key!r}; got {choices[key]!r}.")
        if by_lower[name.lower()] not in allowed:
            wrong.append(f"{key}: not {by_lower[name.lower()]}. {_WHY_NOT[key]}")
    expect(not wrong, f"{len(wrong)} of {len(SCENARIOS)} to rethink. " + " | ".join(wrong))
    return ("Each validation asks the question the model will face: new patients and machines "
            "are new groups, forecasts test on the future, a rare class is stratified.")


# --- 04.5 find the leak: target encoding ------------------------------------------------------

def _shops(rng, n_shops, effect_sd, noise_sd):
    """Sales rows of shops with 1 to 5 rows each; returns (shop, y, best_mae)."""
    sizes = rng.integers(1, 6, n_shops)
    shop = rng.permutation(np.repeat(np.array([f"s{i:03d}" for i in range(n_shops)]), sizes))
    effect = dict(zip(np.unique(shop), rng.normal(0, effect_sd, n_shops), strict=True))
    y = 100 + np.array([effect[s] for s in shop]) + rng.normal(0, noise_sd, len(shop))
    return shop, y, noise_sd * np.sqrt(2 / np.pi)  # knowing each shop's effect exactly


@exercise("04.5", "Find the leak: the shop means (debug)")
def check_honest_cv_mae(honest_cv_mae):
    rng = rng_for()
    shop, y, best = _shops(rng, 200, effect_sd=0.0, noise_sd=10.0)
    noise = float(call_unmutated(honest_cv_mae, shop, y, 5, 0, what="honest_cv_mae"))
    expect(np.isfinite(noise), f"Return a finite mean absolute error; got {noise}.")
    # No estimate of an honest procedure can beat knowing each shop's effect (here zero) by
    # more than the noise of a 5-fold estimate on 600 rows (about 3 %).
    expect(noise > 0.93 * best,
           f"On shops that carry no information, no model can have a mean absolute error "
           f"below about {best:.2f}, and your estimate is {noise:.2f}: the test rows helped "
           "make their own predictions. Compute the shop means inside the loop, from the "
           "training rows only (y[train] grouped by shop[train]); a shop that has no training "
           "row gets the training mean.")
    shop, y, best = _shops(rng, 200, effect_sd=20.0, noise_sd=5.0)
    signal = float(call_unmutated(honest_cv_mae, shop, y, 5, 0, what="honest_cv_mae"))
    global_mae = float(np.mean(np.abs(y - np.median(y))))
    expect(signal > 0.93 * best,
           f"On shops with real differences the best possible error is about {best:.2f}; "
           f"your estimate, {signal:.2f}, is better than possible: the shop means still see "
           "the test rows.")
    expect(signal < 0.7 * global_mae,
           f"On shops with real differences your estimate is {signal:.2f}, hardly better than "
           f"ignoring the shop ({global_mae:.2f}). Keep the model (each row predicted by its "
           "shop's mean); only learn the means from the training rows of each fold.")
    return (f"Honest: on uninformative shops your estimate ({noise:.2f}) is no better than "
            f"possible, and on informative ones ({signal:.2f}) the shop still helps.")
