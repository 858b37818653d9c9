"""Checkers for notebook 04_data_splitting.

The checkers call the learner's splitter on fresh sizes and labels, then test the properties
a correct split must have (disjoint, complete, right sizes, reproducible) or compare with
scikit-learn's splitter of the same name.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.model_selection import KFold, TimeSeriesSplit

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, rng_for, unpack


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


@exercise("04.1", "A shuffled train/test split")
def check_shuffle_split(shuffle_split):
    rng = rng_for()
    for n, test_size in ((100, 0.25), (37, 0.3), (1000, 0.1), (9, 0.5)):
        seed = int(rng.integers(1 << 30))
        train, test = _indices(shuffle_split(n, test_size, seed))
        _expect_partition(train, test, n)
        expect(len(test) == math.ceil(test_size * n),
               f"With n_samples={n} and test_size={test_size} the test set should have "
               f"ceil({test_size} * {n}) = {math.ceil(test_size * n)} rows; got {len(test)}.")
        again = _indices(shuffle_split(n, test_size, seed))[1]
        expect(np.array_equal(np.sort(again), np.sort(test)),
               "The same seed must give the same split. Hint: np.random.default_rng(seed).")
    tests = [np.sort(_indices(shuffle_split(200, 0.2, seed))[1]) for seed in (1, 2)]
    expect(not np.array_equal(tests[0], np.arange(160, 200))
           and not np.array_equal(tests[0], np.arange(40)),
           "The test rows are a block of consecutive rows: shuffle them first "
           "(rng.permutation).")
    expect(not np.array_equal(*tests), "Different seeds should give different splits.")
    return "Disjoint, complete, right sizes, reproducible."


@exercise("04.2", "A stratified split")
def check_stratified_split(stratified_split):
    rng = rng_for()
    for test_size in (0.2, 0.35):
        y = rng.choice(np.array(["a", "b", "c"]), size=301, p=[0.7, 0.22, 0.08])
        seed = int(rng.integers(1 << 30))
        train, test = _indices(stratified_split(y.copy(), test_size, seed))
        _expect_partition(train, test, len(y))
        for c in np.unique(y):
            count = (y == c).sum()
            want = round(test_size * count)
            got = (y[test] == c).sum()
            expect(abs(got - want) <= 1,
                   f"Class {str(c)!r} has {count} rows, so about {want} of them belong in the test "
                   f"set (test_size={test_size}); yours has {got}. Hint: split each class "
                   "separately (np.flatnonzero(y == c)).")
        again = _indices(stratified_split(y.copy(), test_size, seed))[1]
        expect(np.array_equal(np.sort(again), np.sort(test)),
               "The same seed must give the same split.")
    y = np.repeat([0, 1], [150, 50])
    picks = [np.sort(_indices(stratified_split(y, 0.2, seed))[1]) for seed in (3, 4)]
    expect(not np.array_equal(*picks), "Within a class, pick the test rows at random.")
    return "Each class keeps its share of the test set."


@exercise("04.3", "K-fold indices")
def check_kfold_indices(kfold_indices):
    for n, k in ((10, 3), (23, 5), (100, 4), (7, 7)):
        expected = list(KFold(k).split(np.zeros(n)))
        got = kfold_indices(n, k)
        expect(isinstance(got, list | tuple) and len(got) == k,
               f"Return a list of {k} (train_idx, test_idx) pairs for n_splits={k}.")
        for fold, (pair, (train_ref, test_ref)) in enumerate(zip(got, expected, strict=True)):
            train, test = _indices(pair)
            if not np.array_equal(test, test_ref):
                raise ExerciseFailed(
                    f"n_samples={n}, n_splits={k}: fold {fold} should test rows "
                    f"{test_ref.tolist()}, got {test.tolist()}. The first n % k folds get one "
                    "extra row.")
            expect(np.array_equal(train, train_ref),
                   f"Fold {fold}'s training rows should be every other row in order: "
                   f"{train_ref.tolist()}.")
    return "Same folds as KFold."


@exercise("04.4", "A grouped split")
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


@exercise("04.5", "Forward-moving time folds")
def check_time_series_folds(time_series_folds):
    for n, k in ((12, 3), (50, 5), (101, 4), (9, 2)):
        expected = list(TimeSeriesSplit(k).split(np.zeros(n)))
        got = time_series_folds(n, k)
        expect(isinstance(got, list | tuple) and len(got) == k,
               f"Return a list of {k} (train_idx, test_idx) pairs for n_splits={k}.")
        for fold, (pair, (train_ref, test_ref)) in enumerate(zip(got, expected, strict=True)):
            train, test = _indices(pair)
            expect(np.array_equal(test, test_ref),
                   f"n_samples={n}, n_splits={k}: fold {fold} should test rows "
                   f"{test_ref[0]}..{test_ref[-1]}; got {test.tolist()[:3]}... Hint: each test "
                   f"set has n_samples // (n_splits + 1) = {n // (k + 1)} rows and the last "
                   "one ends at the last row.")
            expect(np.array_equal(train, train_ref),
                   f"Fold {fold} should train on every row before its test set "
                   f"(0..{train_ref[-1]}).")
    return "Same folds as TimeSeriesSplit: always train on the past."


def _noise(rng, n=80, d=400):
    return rng.normal(size=(n, d)), rng.permutation(np.repeat([0, 1], n // 2))


@exercise("04.6", "Feature selection without leakage")
def check_honest_cv_accuracy(honest_cv_accuracy):
    rng = rng_for()
    noise_scores = []
    for _ in range(3):
        X, y = _noise(rng)
        score = float(honest_cv_accuracy(X, y, 10))
        expect(0 <= score <= 1, f"Return an accuracy between 0 and 1; got {score}.")
        noise_scores.append(score)
    expect(np.mean(noise_scores) < 0.65,
           f"On pure noise your estimate averages {np.mean(noise_scores):.2f}, far above the "
           "50 % that is the truth: the selection saw the test folds. Put SelectKBest inside "
           "the pipeline that cross_val_score refits on each training fold.")
    # five informative features among 4,000: with the selection the model finds them (about
    # 0.95), without it the noise features drown them (about 0.6)
    X, y = _noise(rng, d=4000)
    X[:, :5] += 0.8 * (2 * y[:, None] - 1)
    signal = float(honest_cv_accuracy(X, y, 5))
    expect(signal > 0.85,
           f"On data with five informative features among 4,000 your estimate is {signal:.2f}; "
           "a model that keeps the k best features scores about 0.95. Does your pipeline "
           "select the k best features (SelectKBest(f_classif, k=k)) before LogisticRegression?")
    return (f"Noise: {np.mean(noise_scores):.2f} (honest, near chance); signal: {signal:.2f}.")
