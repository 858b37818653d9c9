"""The checkers of notebook 04 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from checker_helpers import fails, passes
from sklearn.model_selection import GroupShuffleSplit, KFold, TimeSeriesSplit, train_test_split

# --- 04.1 stratify a continuous target ---------------------------------------------------------


def by_qcut(y, test_size, n_bins, seed):
    y = np.asarray(y, dtype=float)
    bins = pd.qcut(y, n_bins, labels=False, duplicates="drop")
    rng = np.random.default_rng(seed)
    test = np.concatenate([
        rng.permutation(np.flatnonzero(bins == b))[: round(test_size * np.sum(bins == b))]
        for b in np.unique(bins)
    ])
    return np.setdiff1d(np.arange(len(y)), test), test


def by_digitize_and_sklearn(y, test_size, n_bins, seed):
    edges = np.quantile(y, np.linspace(0, 1, n_bins + 1)[1:-1])
    bins = np.digitize(y, edges)
    return train_test_split(np.arange(len(y)), test_size=test_size, stratify=bins,
                            random_state=seed)


def test_04_1_right_answers_pass():
    passes("04.1", by_qcut)
    passes("04.1", by_digitize_and_sklearn)


def test_04_1_wrong_answers_fail():
    def random_split(y, test_size, n_bins, seed):
        order = np.random.default_rng(seed).permutation(len(y))
        n_test = round(test_size * len(y))
        return order[n_test:], order[:n_test]

    def stratify_on_the_values(y, test_size, n_bins, seed):  # the section's cell, retyped
        rng = np.random.default_rng(seed)
        test = np.concatenate([
            rng.permutation(np.flatnonzero(y == c))[: round(test_size * np.sum(y == c))]
            for c in np.unique(y)
        ]).astype(int)
        return np.setdiff1d(np.arange(len(y)), test), test

    def equal_width_bins(y, test_size, n_bins, seed):  # np.histogram's edges, not quantiles
        bins = np.digitize(y, np.histogram_bin_edges(y, n_bins)[1:-1])
        rng = np.random.default_rng(seed)
        test = np.concatenate([
            rng.permutation(np.flatnonzero(bins == b))[: round(test_size * np.sum(bins == b))]
            for b in np.unique(bins)
        ])
        return np.setdiff1d(np.arange(len(y)), test), test

    def sorts_in_place(y, test_size, n_bins, seed):
        y.sort()
        return by_qcut(y, test_size, n_bins, seed)

    def not_random(y, test_size, n_bins, seed):
        bins = pd.qcut(y, n_bins, labels=False)
        test = np.concatenate([np.flatnonzero(bins == b)[: round(test_size * np.sum(bins == b))]
                               for b in range(n_bins)])
        return np.setdiff1d(np.arange(len(y)), test), test

    fails("04.1", random_split, "quantile bin")
    fails("04.1", stratify_on_the_values, "empty", "n_bins quantile bins")
    fails("04.1", equal_width_bins)
    fails("04.1", sorts_in_place, "in place")
    fails("04.1", not_random, "at random")


# --- 04.2 grouped split -------------------------------------------------------------------------


def group_split(groups, test_size, seed):
    groups = np.asarray(groups)
    unique = np.unique(groups)
    n_test = math.ceil(test_size * len(unique))
    test_groups = np.random.default_rng(seed).choice(unique, size=n_test, replace=False)
    in_test = np.isin(groups, test_groups)
    return np.flatnonzero(~in_test), np.flatnonzero(in_test)


def test_04_2_right_answers_pass():
    def with_sklearn(groups, test_size, seed):
        splitter = GroupShuffleSplit(1, test_size=test_size, random_state=seed)
        return next(splitter.split(np.zeros(len(groups)), groups=groups))

    passes("04.2", group_split)
    passes("04.2", with_sklearn)


def test_04_2_wrong_answers_fail():
    def random_rows(groups, test_size, seed):
        order = np.random.default_rng(seed).permutation(len(groups))
        n_test = math.ceil(test_size * len(groups))
        return order[n_test:], order[:n_test]

    def rounded_down(groups, test_size, seed):
        unique = np.unique(groups)
        chosen = np.random.default_rng(seed).choice(unique, int(test_size * len(unique)),
                                                    replace=False)
        in_test = np.isin(groups, chosen)
        return np.flatnonzero(~in_test), np.flatnonzero(in_test)

    fails("04.2", random_rows, "both sides")
    fails("04.2", rounded_down, "whole groups")


# --- 04.3 time folds with a gap -----------------------------------------------------------------


def gapped_folds(n_samples, n_splits, gap):
    size = n_samples // (n_splits + 1)
    first = n_samples - n_splits * size
    return [(np.arange(first + i * size - gap), np.arange(first + i * size, first + (i + 1) * size))
            for i in range(n_splits)]


def test_04_3_right_answers_pass():
    def from_the_end(n_samples, n_splits, gap):
        size = n_samples // (n_splits + 1)
        folds = []
        for k in range(n_splits, 0, -1):
            test_start = n_samples - k * size
            folds.append((np.arange(0, test_start - gap), np.arange(test_start,
                                                                    test_start + size)))
        return folds

    passes("04.3", gapped_folds)
    passes("04.3", from_the_end)


def test_04_3_wrong_answers_fail():
    def no_gap(n_samples, n_splits, gap):  # the expanding window of section 8, gap forgotten
        return gapped_folds(n_samples, n_splits, 0)

    def gap_taken_from_the_test_set(n_samples, n_splits, gap):
        return [(train, test[gap:]) for train, test in gapped_folds(n_samples, n_splits, 0)]

    def sklearn_shortcut(n_samples, n_splits, gap):
        return list(TimeSeriesSplit(n_splits, gap=gap).split(np.zeros(n_samples)))

    def off_by_one(n_samples, n_splits, gap):
        return [(np.arange(len(train) + 1), test)
                for train, test in gapped_folds(n_samples, n_splits, gap)]

    fails("04.3", no_gap, "leave the")
    fails("04.3", gap_taken_from_the_test_set, "out of the training rows")
    fails("04.3", sklearn_shortcut, "sklearn")
    fails("04.3", off_by_one, "should train on rows")


# --- 04.4 choose the splitter -------------------------------------------------------------------

KEY = {"xrays": "GroupKFold", "sales": "TimeSeriesSplit", "survey": "StratifiedKFold",
       "houses": "KFold", "machines": "GroupKFold", "churn": "TimeSeriesSplit"}


def test_04_4_right_answers_pass():
    from sklearn import model_selection

    passes("04.4", KEY)
    passes("04.4", {k: v.lower() for k, v in KEY.items()})
    passes("04.4", {k: getattr(model_selection, v) for k, v in KEY.items()})  # the classes
    passes("04.4", {k: getattr(model_selection, v)() for k, v in KEY.items()})  # instances


def test_04_4_wrong_answers_fail():
    fails("04.4", {**KEY, "churn": "GroupKFold"}, "churn", "1 of 6")
    fails("04.4", {**KEY, "xrays": "StratifiedKFold", "houses": "StratifiedKFold"},
          "xrays", "houses", "2 of 6")
    fails("04.4", {**KEY, "survey": "KFold"}, "rare class")
    fails("04.4", {k: v for k, v in KEY.items() if k != "sales"}, "missing", "sales")
    fails("04.4", {**KEY, "sales": "ShuffleSplit"}, "Choose one of")
    fails("04.4", ["GroupKFold"] * 6, "dict")


# --- 04.5 find the leak -------------------------------------------------------------------------


def honest(shop, y, n_splits=5, seed=0):
    errors = []
    for train, test in KFold(n_splits, shuffle=True, random_state=seed).split(y):
        shop_mean = pd.Series(y[train]).groupby(shop[train]).mean()
        prediction = pd.Series(shop[test]).map(shop_mean).fillna(y[train].mean())
        errors.append(np.mean(np.abs(y[test] - prediction.to_numpy())))
    return float(np.mean(errors))


def test_04_5_right_answers_pass():
    def with_a_dataframe_and_shrinkage(shop, y, n_splits=5, seed=0):
        # a different valid model: shop means shrunk towards the fold's mean, learnt in-fold
        frame = pd.DataFrame({"shop": shop, "y": y})
        errors = []
        for train, test in KFold(n_splits, shuffle=True, random_state=seed).split(frame):
            fit = frame.iloc[train]
            overall = fit["y"].mean()
            stats = fit.groupby("shop")["y"].agg(["sum", "count"])
            shrunk = (stats["sum"] + 1 * overall) / (stats["count"] + 1)
            pred = frame.iloc[test]["shop"].map(shrunk).fillna(overall)
            errors.append((frame.iloc[test]["y"] - pred).abs().mean())
        return float(np.mean(errors))

    passes("04.5", honest)
    passes("04.5", with_a_dataframe_and_shrinkage)


def test_04_5_wrong_answers_fail():
    def leaky(shop, y, n_splits=5, seed=0):  # the colleague's function, unchanged
        shop_mean = pd.Series(y).groupby(shop).mean()
        errors = []
        for train, test in KFold(n_splits, shuffle=True, random_state=seed).split(y):
            prediction = pd.Series(shop[test]).map(shop_mean).fillna(y[train].mean())
            errors.append(np.mean(np.abs(y[test] - prediction.to_numpy())))
        return float(np.mean(errors))

    def ignores_the_shop(shop, y, n_splits=5, seed=0):
        return float(np.mean([np.mean(np.abs(y[te] - y[tr].mean()))
                              for tr, te in KFold(n_splits, shuffle=True,
                                                  random_state=seed).split(y)]))

    def training_error(shop, y, n_splits=5, seed=0):  # scores the rows it learnt from
        means = pd.Series(y).groupby(shop).transform("mean").to_numpy()
        return float(np.mean(np.abs(y - means)))

    def sorts_in_place(shop, y, n_splits=5, seed=0):
        order = np.argsort(shop)
        shop[:], y[:] = shop[order], y[order]
        return honest(shop, y, n_splits, seed)

    fails("04.5", leaky, "no model can have", "training rows only")
    fails("04.5", ignores_the_shop, "hardly better than ignoring the shop")
    fails("04.5", training_error, "no model can have")
    fails("04.5", sorts_in_place, "in place")
