"""Checkers for notebook 03_feature_engineering.

Each checker runs the learner's function on fresh data made here and compares the result
with a reference: the course's own transformers, scikit-learn's, or a direct NumPy version.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.exercises._guards import call_unmutated, forbidden_calls
from mlcourse.preprocessing import StandardScaler


def _pair(result, what):
    first, second = unpack(result, what.split(", "))
    return np.asarray(first, dtype=float), np.asarray(second, dtype=float)


@exercise("03.1", "Standardise, robustly")
def check_standardise(standardise):
    rng = rng_for()
    scales = np.array([1.0, 20.0, 0.1, 0.0])          # the last column is constant
    X_train = rng.normal([0.0, 100.0, -5.0, 3.0], scales, size=(60, 4))
    X_test = rng.normal([1.0, 90.0, -5.0, 3.0], scales * 1.5, size=(25, 4))
    X_train[rng.random(X_train.shape) < 0.1] = np.nan
    X_test[rng.random(X_test.shape) < 0.1] = np.nan
    scaler = StandardScaler().fit(X_train)
    Z_train, Z_test = _pair(standardise(X_train.copy(), X_test.copy()), "Z_train, Z_test")
    expect(Z_train.shape == X_train.shape and Z_test.shape == X_test.shape,
           f"Shapes {Z_train.shape}, {Z_test.shape} should be {X_train.shape}, {X_test.shape}.")
    expect(not np.isnan(Z_train[:, :3][~np.isnan(X_train[:, :3])]).any(),
           "Your result has NaNs where the input had numbers. Hint: np.nanmean and np.nanstd "
           "ignore the missing values.")
    expect(np.isfinite(Z_train[:, 3][~np.isnan(X_train[:, 3])]).all(),
           "The constant column becomes inf or NaN: its standard deviation is 0. Hint: "
           "replace a zero std by 1 (np.where).")
    expect(np.array_equal(np.isnan(Z_test), np.isnan(X_test)),
           "Missing values should stay missing (NaN) in the output, and only those.")
    own = (X_test - np.nanmean(X_test, axis=0)) / np.where(
        np.nanstd(X_test, axis=0) == 0, 1, np.nanstd(X_test, axis=0))
    if np.allclose(Z_test, own, equal_nan=True):
        raise ExerciseFailed("X_test was scaled with its own mean and std. Use the statistics "
                             "of X_train for both sets: new data must not change the recipe.")
    expect_close(Z_train, scaler.transform(X_train), "Z_train",
                 "Hint: (X - mean) / std, with the population std (np.nanstd, ddof=0).")
    expect_close(Z_test, scaler.transform(X_test), "Z_test",
                 "Hint: reuse the training mean and std.")
    return "Training statistics, NaNs kept, constant columns centred: like StandardScaler."


@exercise("03.2", "Ordinal codes in a given order")
def check_ordinal_encode(ordinal_encode):
    rng = rng_for()
    cases = [
        (["low", "mid", "high", "extreme"], ["low", "mid", "high", "extreme", "unknown"]),
        (["S", "M", "L"], ["S", "M", "L", "XL"]),
        ([3, 1, 2], [1, 2, 3, 4]),
    ]
    for order, pool in cases:
        values = rng.choice(np.array(pool, dtype=object), size=40)
        position = {v: i for i, v in enumerate(order)}
        expected = np.array([position.get(v, -1) for v in values])
        got = np.asarray(ordinal_encode(values.copy(), list(order)))
        expect(got.shape == expected.shape,
               f"Return one code per value: shape {expected.shape}, got {got.shape}.")
        if np.array_equal(got, np.searchsorted(np.sort(order), values)):
            raise ExerciseFailed("These are alphabetical (sorted) codes. Use the position in "
                                 "`order` instead: order[0] -> 0, order[1] -> 1, ...")
        expect(np.array_equal(got, expected),
               f"With order {order}, the values {values[:5].tolist()} should get codes "
               f"{expected[:5].tolist()}; got {got[:5].tolist()}. Values not in order get -1.")
    return "Codes follow your order, and unknown values get -1."


# -- 03.3 --------------------------------------------------------------------------------------


def _m_estimate(categories: pd.Series, y: pd.Series, m: float, prior: float) -> pd.Series:
    stats = y.groupby(categories).agg(["sum", "count"])
    return (stats["sum"] + m * prior) / (stats["count"] + m)


def _reference_codes(categories, y, folds, m):
    codes = np.empty(len(y))
    for fold in np.unique(folds):
        inside = folds == fold
        prior = y[~inside].mean()
        smoothed = _m_estimate(categories[~inside], y[~inside], m, prior)
        codes[inside] = categories[inside].map(smoothed).fillna(prior).to_numpy()
    return codes


def _fresh_categories(rng: np.random.Generator, n: int) -> tuple[pd.Series, pd.Series]:
    """Many categories of very different sizes (some seen once), each with its own level."""
    names = np.array([f"c{i:03d}" for i in range(n // 4)])
    weights = rng.pareto(1.2, len(names)) + 0.05
    categories = pd.Series(rng.choice(names, n, p=weights / weights.sum()), name="cell")
    level = pd.Series(rng.normal(100, 30, len(names)), index=names)
    y = pd.Series(categories.map(level).to_numpy() + rng.normal(0, 10, n), name="y")
    return categories, y


@exercise("03.3", "Cross-fitted target codes, by hand")
def check_cross_fitted_codes(cross_fitted_codes):
    rng = rng_for()
    for n, k, m in ((300, 5, 1.0), (157, 3, 10.0), (80, 4, 0.0)):
        categories, y = _fresh_categories(rng, n)
        folds = rng.permutation(np.arange(n) % k)
        with forbidden_calls("sklearn.preprocessing._target_encoder",
                             why="Write the encoding with pandas or NumPy, not with "
                                 "scikit-learn's TargetEncoder."):
            got = call_unmutated(cross_fitted_codes, categories, y, folds, m,
                                 what="Your function")
        got = np.asarray(got, dtype=float).ravel()
        expect(got.shape == (n,), f"Return one code per row ({n}); got shape {got.shape}.")
        expect(not np.isnan(got).any(),
               "Some codes are NaN: a category absent from the other folds gets their mean.")
        expected = _reference_codes(categories, y, folds, m)
        in_sample = categories.map(_m_estimate(categories, y, m, y.mean())).to_numpy()
        if np.allclose(got, in_sample) and not np.allclose(expected, in_sample):
            raise ExerciseFailed("Each row is encoded with statistics that include its own "
                                 "target: that is the leak. Compute the statistics of fold f on "
                                 "the rows of the other folds only.")
        no_shrink = _reference_codes(categories, y, folds, 0.0)
        if m > 0 and np.allclose(got, no_shrink):
            raise ExerciseFailed(f"These are the plain means of the other folds: shrink them "
                                 f"towards the overall mean with m = {m}, "
                                 "(n_c * mean_c + m * prior) / (n_c + m).")
        global_prior = np.empty(n)
        for fold in np.unique(folds):
            inside = folds == fold
            smoothed = _m_estimate(categories[~inside], y[~inside], m, y.mean())
            global_prior[inside] = categories[inside].map(smoothed).fillna(y.mean()).to_numpy()
        if np.allclose(got, global_prior) and not np.allclose(expected, global_prior):
            raise ExerciseFailed("The overall mean you shrink towards includes the fold's own "
                                 "rows: take the prior from the other folds too.")
        expect_close(got, expected, f"The codes (n={n}, {k} folds, m={m})",
                     "Hint: for each fold, group the *other* folds' y by category (sum and "
                     "count), shrink with m towards the other folds' mean, map the fold's "
                     "categories, fill the unseen ones with that mean.")
    return ("Cross-fitted m-estimate codes, written without TargetEncoder, and your inputs are "
            "unchanged.")


# -- 03.4 --------------------------------------------------------------------------------------


def _column_of_kind(rng: np.random.Generator, kind: str) -> pd.Series:
    n = int(rng.integers(300, 2000))
    scale = 10.0 ** rng.integers(-1, 4)
    if kind == "standard":
        values = rng.normal(rng.uniform(-5, 5), 1, n) if rng.random() < 0.5 \
            else rng.uniform(0, 10, n)
        return pd.Series(values * scale)
    if kind == "robust":
        values = rng.normal(0, 1, n)
        wild = rng.choice(n, max(3, n // 100), replace=False)
        values[wild] = rng.choice([-1, 1], len(wild)) * rng.uniform(30, 80, len(wild))
        return pd.Series((values + rng.uniform(-2, 2)) * scale)
    if kind == "log":
        return pd.Series(rng.lognormal(rng.uniform(0, 3), rng.uniform(1.0, 1.6), n) * scale)
    if kind == "one-hot":
        words = rng.choice(["red", "green", "blue", "north", "south", "east", "west", "small",
                            "large"], int(rng.integers(2, 7)), replace=False)
        return pd.Series(rng.choice(words, n), dtype=object)
    many = [f"id-{i:05d}" for i in rng.choice(100_000, int(rng.integers(n // 3, n)), replace=False)]
    return pd.Series(rng.choice(many, n), dtype=object)


_KIND_HINT = {
    "standard": "a symmetric number without extreme values: plain standardisation is enough.",
    "robust": "the bulk is symmetric, but a few values lie dozens of interquartile ranges "
              "out (on both sides, some negative): the median and IQR are not moved by them.",
    "log": "all values are positive with a long right tail (skewness far above 1); the log "
           "of the column is nearly symmetric.",
    "one-hot": "a category with a handful of values, each frequent.",
    "target": "a category with hundreds of values, most of them rare: one column per value "
              "would be learnt from a few rows each.",
}


@exercise("03.4", "Which step for which column?")
def check_choose_step(choose_step):
    rng = rng_for()
    kinds = list(_KIND_HINT)
    for kind in [*kinds, *rng.permutation(kinds), *rng.permutation(kinds)]:
        column = _column_of_kind(rng, kind)
        answer = call_unmutated(choose_step, column, what="Your function")
        expect(answer in _KIND_HINT,
               f"Return one of {kinds}; got {answer!r}.")
        expect(answer == kind,
               f"Your function chose {answer!r} for a column that calls for {kind!r}: "
               f"{_KIND_HINT[kind]} (This column: {len(column)} rows, first values "
               f"{column.head(3).tolist()}.)")
    return ("Your choices fit all fifteen fresh columns: standard, robust, log, one-hot and "
            "target, whatever their size and scale.")


# -- 03.5 --------------------------------------------------------------------------------------


def _category_table(rng: np.random.Generator, n: int) -> pd.DataFrame:
    common = ["tram", "bus", "bike", "car"]
    rare = [f"r{i}" for i in range(12)]
    def column(share_rare):
        pick = rng.random(n) < share_rare
        return np.where(pick, rng.choice(rare, n), rng.choice(common, n))
    return pd.DataFrame({"mode": column(0.08), "line": column(0.15)})


def _reference_grouping(train: pd.DataFrame, table: pd.DataFrame, min_count, other):
    out = {}
    for name in train.columns:
        counts = train[name].value_counts()
        keep = set(counts.index[counts >= min_count])
        out[name] = table[name].where(table[name].isin(keep), other)
    return pd.DataFrame(out, index=table.index)


def _as_frame(result, like: pd.DataFrame) -> pd.DataFrame:
    values = result.to_numpy() if isinstance(result, pd.DataFrame) else np.asarray(result)
    expect(values.shape == like.shape,
           f"transform should return a table of the input's shape {like.shape}; got "
           f"{values.shape}.")
    return pd.DataFrame(values, columns=like.columns, index=like.index)


@exercise("03.5", "A transformer that groups rare categories")
def check_rare_category_grouper(RareCategoryGrouper):  # noqa: N803 (the learner's class)
    expect(isinstance(RareCategoryGrouper, type), "Give the class itself, RareCategoryGrouper.")
    rng = rng_for()
    train, test = _category_table(rng, 400), _category_table(rng, 150)
    test.loc[test.index[:3], "mode"] = "hovercraft"          # never seen in fit
    test.loc[test.index[3:23], "line"] = "r0"                # rare in fit, frequent here
    grouper = RareCategoryGrouper(min_count=15, other="rare")
    expect(hasattr(grouper, "get_params") and hasattr(grouper, "fit_transform"),
           "The class lacks get_params or fit_transform: subclass TransformerMixin and "
           "BaseEstimator (from sklearn.base), as QuantileClipper does.")
    try:
        params = grouper.get_params()
    except AttributeError as error:
        raise ExerciseFailed(f"get_params() failed ({error}): store each parameter of "
                             "__init__ under its own name, self.min_count = min_count.") from None
    expect(params.get("min_count") == 15 and params.get("other") == "rare",
           f"get_params() should give the parameters as passed; got {params}. Store them "
           "under their own names in __init__ and subclass BaseEstimator.")
    twin = clone(grouper)
    expect(twin.get_params() == params, "clone() should give an unfitted copy with the same "
           "parameters.")
    try:
        grouper.transform(test)
    except NotImplementedError:
        raise
    except Exception:
        pass
    else:
        raise ExerciseFailed("transform before fit should raise an error (check_is_fitted), "
                             "not return a result.")
    fitted = call_unmutated(grouper.fit, train, what="fit")
    expect(fitted is grouper, "fit should return self, so that calls can be chained.")
    got = _as_frame(call_unmutated(grouper.transform, test, what="transform"), test)
    expected = _reference_grouping(train, test, 15, "rare")
    learnt_from_test = _reference_grouping(test, test, 15, "rare")
    if got.equals(learnt_from_test) and not got.equals(expected):
        raise ExerciseFailed("transform counted the categories of the data it was given: count "
                             "them in fit, on the training data, and only apply in transform.")
    wrong = (got != expected).any(axis=1)
    if wrong.any():
        raise ExerciseFailed(
            f"{int(wrong.sum())} rows are grouped wrongly, e.g. {test[wrong].iloc[0].tolist()} "
            f"became {got[wrong].iloc[0].tolist()}, expected {expected[wrong].iloc[0].tolist()}. "
            "Hint: keep a category when it occurs at least min_count times in the training "
            "column; every other value, unseen ones too, becomes `other`.")
    other = _as_frame(RareCategoryGrouper(min_count=2).fit(train).transform(test), test)
    expect(other.equals(_reference_grouping(train, test, 2, "other")),
           "With min_count=2 and the default `other`, the result is not right: use the "
           "parameters, not fixed numbers.")
    pipeline = make_pipeline(RareCategoryGrouper(min_count=15),
                             OneHotEncoder(handle_unknown="ignore", sparse_output=False))
    try:
        encoded = pipeline.fit(train).transform(test)
    except NotImplementedError:
        raise
    except Exception as error:
        raise ExerciseFailed(f"Inside a Pipeline before a OneHotEncoder it failed: "
                             f"{type(error).__name__}: {error}") from None
    n_kept = sum(train[c].value_counts().ge(15).sum() + 1 for c in train.columns)
    expect(encoded.shape[1] <= n_kept,
           f"In the pipeline the one-hot encoder made {encoded.shape[1]} columns; with the rare "
           f"categories grouped there should be at most {n_kept}.")
    return ("Your class keeps scikit-learn's contract (parameters, clone, fit returns self, "
            "refuses transform before fit, inputs untouched), learns the frequent categories in "
            "fit only, and works in a Pipeline.")
