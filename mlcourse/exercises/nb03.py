"""Checkers for notebook 03_feature_engineering.

Each checker runs the learner's function on fresh data made here and compares the result
with a reference: the course's own transformers, scikit-learn's, or a direct NumPy version.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.pipeline import make_pipeline

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for, unpack
from mlcourse.preprocessing import OneHotEncoder, SimpleImputer, StandardScaler


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


@exercise("03.3", "Quantile bins learnt on training data")
def check_quantile_bins(quantile_bins):
    rng = rng_for()
    for n_bins in (3, 5, 10):
        x_train = rng.gamma(2.0, 10.0, size=200)
        x_test = np.concatenate([rng.gamma(2.0, 10.0, size=50),
                                 [x_train.min() - 1, x_train.max() + 1, np.median(x_train)]])
        edges = np.quantile(x_train, np.linspace(0, 1, n_bins + 1))
        expected = np.digitize(x_test, edges[1:-1])
        got = np.asarray(quantile_bins(x_train.copy(), x_test.copy(), n_bins))
        expect(got.shape == expected.shape,
               f"Return one bin per test value: shape {expected.shape}, got {got.shape}.")
        expect(got.min() >= 0 and got.max() <= n_bins - 1,
               f"Bins must run from 0 to {n_bins - 1}; yours run from {got.min()} to "
               f"{got.max()}. Hint: np.digitize on the inner edges, edges[1:-1].")
        own = np.digitize(x_test, np.quantile(x_test, np.linspace(0, 1, n_bins + 1))[1:-1])
        if np.array_equal(got, own) and not np.array_equal(own, expected):
            raise ExerciseFailed("The edges come from x_test. Compute them on x_train only.")
        expect(np.array_equal(got, expected),
               f"With {n_bins} bins, some values land in the wrong bin (first mismatch: value "
               f"{x_test[np.argmax(got != expected)]:.2f}). Hint: "
               "np.digitize(x_test, edges[1:-1]).")
        counts = np.bincount(np.asarray(quantile_bins(x_train, x_train, n_bins)),
                             minlength=n_bins)
        expect(counts.min() >= 0.8 * len(x_train) / n_bins,
               f"On the training data the bins should hold about equal counts; got {counts}.")
    return "Quantile edges from training data, applied to new values."


@exercise("03.4", "A cyclic feature")
def check_cyclic_encode(cyclic_encode):
    rng = rng_for()
    for period, values in ((24, rng.integers(0, 24, 30)), (12, rng.integers(1, 13, 30)),
                           (365.25, rng.uniform(0, 366, 30))):
        angle = 2 * np.pi * values / period
        expected = np.column_stack([np.sin(angle), np.cos(angle)])
        got = np.asarray(cyclic_encode(values.copy(), period), dtype=float)
        expect(got.shape == expected.shape,
               f"Return an array of shape (n, 2); got {got.shape}. Hint: np.column_stack.")
        if np.allclose(got, expected[:, ::-1]):
            raise ExerciseFailed("The columns are swapped: sine first, then cosine.")
        expect_close(got, expected, f"The encoding with period {period}",
                     "Hint: angle = 2 * np.pi * values / period.")
    ends = np.asarray(cyclic_encode(np.array([0, 24]), 24), dtype=float)
    expect(np.allclose(ends[0], ends[1]), "0 and 24 hours should give the same point.")
    return "Values on a circle: the end of a period meets its start."


@exercise("03.5", "TF-IDF from a count matrix")
def check_tfidf(tfidf):
    rng = rng_for()
    counts = rng.poisson(0.8, size=(12, 9)).astype(float)
    counts[:, 0] = rng.integers(1, 3, 12)  # a word (almost) every document uses
    counts[:, 5] = 0                   # a word no document uses
    counts[3] = 0                      # an empty document
    expected = TfidfTransformer().fit_transform(counts).toarray()
    got = tfidf(counts.copy())
    got = got.toarray() if sparse.issparse(got) else np.asarray(got, dtype=float)
    expect(got.shape == expected.shape, f"Shape {got.shape}, expected {expected.shape}.")
    expect(not np.isnan(got).any(),
           "The result has NaNs: an all-zero row has norm 0. Divide by 1 instead.")
    norms = np.linalg.norm(got, axis=1)
    expect(np.allclose(norms[counts.sum(axis=1) > 0], 1),
           "Every non-empty row should have Euclidean length 1 (divide by its norm).")
    expect_close(got, expected, "Your TF-IDF matrix",
                 "Hint: idf = np.log((1 + n) / (1 + df)) + 1 with df = (counts > 0).sum(axis=0); "
                 "multiply, then normalise each row.")
    return "Same weights as scikit-learn's TfidfTransformer."


def _fresh_table(rng, n):
    frame = pd.DataFrame({
        "id": np.arange(n),
        "a": rng.normal(50, 10, n),
        "b": rng.exponential(3.0, n),
        "c": rng.choice(["red", "green", "blue"], n),
        "d": rng.choice(["x", "y"], n),
    })
    frame.loc[rng.random(n) < 0.15, "a"] = np.nan
    frame.loc[rng.random(n) < 0.15, "c"] = np.nan
    return frame


def _stripped_names(transformer):
    return [name.split("__", 1)[-1] for name in transformer.get_feature_names_out()]


@exercise("03.6", "A preprocessing step for any table")
def check_make_preprocessor(make_preprocessor):
    rng = rng_for()
    train, test = _fresh_table(rng, 80), _fresh_table(rng, 20)
    test.loc[0, "c"] = "purple"           # a category fit never saw
    learner = make_preprocessor(["a", "b"], ["c", "d"])
    expect(isinstance(learner, ColumnTransformer),
           f"Return a ColumnTransformer; got {type(learner).__name__}.")
    expect(not hasattr(learner, "transformers_"),
           "Return it unfitted: the check fits it on its own training table.")
    reference = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["a", "b"]),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                              OneHotEncoder(handle_unknown="ignore")), ["c", "d"]),
    ]).fit(train)
    learner.fit(train)
    try:
        got = learner.transform(test)
    except ValueError as error:
        raise ExerciseFailed(f"Transforming new data failed: {error} Hint: "
                             "OneHotEncoder(handle_unknown='ignore').") from None
    got = got.toarray() if sparse.issparse(got) else np.asarray(got, dtype=float)
    expected = reference.transform(test)
    expect(got.shape == expected.shape,
           f"The output has {got.shape[1]} columns, expected {expected.shape[1]}: 2 scaled "
           "numbers and one column per category of c (3) and d (2); 'id' is dropped.")
    expect(not np.isnan(got).any(), "The output still has NaNs: impute before scaling/encoding.")
    try:
        names = _stripped_names(learner)
    except Exception:  # a step without feature names: compare in the reference order
        names = _stripped_names(reference)
    order = [names.index(name) for name in _stripped_names(reference) if name in names]
    expect(len(order) == expected.shape[1],
           f"Expected the columns {_stripped_names(reference)}, got {names}.")
    expect_close(got[:, order], expected, "The transformed test table",
                 "Hint: median imputation then StandardScaler for a and b; most frequent "
                 "imputation then one-hot for c and d.")
    return "Fitted on training data, robust to unseen categories."
