"""The checks of notebook 03 pass right answers written in different ways, and fail the wrong
answers a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from checker_helpers import fails, passes
from sklearn import preprocessing as skp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

# ------------------------------------------------------------------------------------ 03.1


def nan_aware(X_train, X_test):
    mean, std = np.nanmean(X_train, axis=0), np.nanstd(X_train, axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_test - mean) / std


def test_03_1_accepts_numpy_and_scikit_learns_scaler():
    passes("03.1", nan_aware)

    def with_sklearn(X_train, X_test):
        scaler = skp.StandardScaler().fit(X_train)
        return scaler.transform(X_train), scaler.transform(X_test)

    passes("03.1", with_sklearn)


def test_03_1_refuses_test_statistics_nan_blind_means_and_a_zero_std():
    fails("03.1", lambda X_train, X_test: (nan_aware(X_train, X_train)[0],
                                           nan_aware(X_test, X_test)[0]), "X_train")

    def nan_blind(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        return (X_train - mean) / std, (X_test - mean) / std

    def zero_std(X_train, X_test):
        mean, std = np.nanmean(X_train, axis=0), np.nanstd(X_train, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):  # the mistake under test
            return (X_train - mean) / std, (X_test - mean) / std

    fails("03.1", nan_blind, "np.nanmean")
    fails("03.1", zero_std, "constant column")


# ------------------------------------------------------------------------------------ 03.2


def test_03_2_accepts_a_broadcast_and_a_dictionary():
    def broadcast(values, order):
        matches = np.asarray(values, dtype=object)[:, None] == np.asarray(order, dtype=object)
        return np.where(matches.any(axis=1), matches.argmax(axis=1), -1)

    def with_a_dict(values, order):
        position = {value: i for i, value in enumerate(order)}
        return np.array([position.get(value, -1) for value in values])

    passes("03.2", broadcast)
    passes("03.2", with_a_dict)


def test_03_2_refuses_alphabetical_codes():
    def alphabetical(values, order):
        return np.searchsorted(np.sort(order), values)

    fails("03.2", alphabetical, "alphabetical")


# ------------------------------------------------------------------------------------ 03.3


def with_groupby(categories, y, folds, m):
    folds = np.asarray(folds)
    codes = np.empty(len(y))
    for fold in np.unique(folds):
        inside = folds == fold
        stats = y[~inside].groupby(categories[~inside]).agg(["sum", "count"])
        prior = y[~inside].mean()
        smoothed = (stats["sum"] + m * prior) / (stats["count"] + m)
        codes[inside] = categories[inside].map(smoothed).fillna(prior).to_numpy()
    return codes


def with_bincount(categories, y, folds, m):
    """Totals per (fold, category) once, then 'all folds minus this fold'."""
    codes_of, cat = np.unique(categories.to_numpy(), return_inverse=True)
    folds = np.asarray(folds)
    k, c = folds.max() + 1, len(codes_of)
    values = y.to_numpy(dtype=float)
    sums = np.zeros((k, c))
    counts = np.zeros((k, c))
    np.add.at(sums, (folds, cat), values)
    np.add.at(counts, (folds, cat), 1)
    other_sums, other_counts = sums.sum(axis=0) - sums, counts.sum(axis=0) - counts
    prior = other_sums.sum(axis=1) / other_counts.sum(axis=1)
    n = other_counts[folds, cat]
    return (other_sums[folds, cat] + m * prior[folds]) / (n + m) if m > 0 else np.where(
        n > 0, other_sums[folds, cat] / np.maximum(n, 1), prior[folds])


def test_03_3_accepts_pandas_and_numpy_versions():
    passes("03.3", with_groupby)
    passes("03.3", with_bincount)


def test_03_3_refuses_the_leak_no_shrinking_and_a_global_prior():
    def in_sample(categories, y, folds, m):
        stats = y.groupby(categories).agg(["sum", "count"])
        smoothed = (stats["sum"] + m * y.mean()) / (stats["count"] + m)
        return categories.map(smoothed).to_numpy()

    def plain_means(categories, y, folds, m):
        return with_groupby(categories, y, folds, 0.0)

    def global_prior(categories, y, folds, m):
        folds = np.asarray(folds)
        codes = np.empty(len(y))
        prior = y.mean()
        for fold in np.unique(folds):
            inside = folds == fold
            stats = y[~inside].groupby(categories[~inside]).agg(["sum", "count"])
            smoothed = (stats["sum"] + m * prior) / (stats["count"] + m)
            codes[inside] = categories[inside].map(smoothed).fillna(prior).to_numpy()
        return codes

    fails("03.3", in_sample, "own target")
    fails("03.3", plain_means, "shrink them")
    fails("03.3", global_prior, "other folds too")


def test_03_3_refuses_scikit_learns_target_encoder_and_an_in_place_edit():
    def with_sklearn(categories, y, folds, m):
        from sklearn.model_selection import PredefinedSplit
        encoder = skp.TargetEncoder(target_type="continuous", smooth=max(m, 1e-9),
                                    cv=PredefinedSplit(np.asarray(folds)))
        return encoder.fit_transform(categories.to_frame(), y).ravel()

    def in_place(categories, y, folds, m):
        codes = with_groupby(categories, y, folds, m)
        y[:] = codes
        return codes

    fails("03.3", with_sklearn, "TargetEncoder")
    fails("03.3", in_place, "in place")


# ------------------------------------------------------------------------------------ 03.4


def by_skewness(column):
    if not pd.api.types.is_numeric_dtype(column):
        return "one-hot" if column.nunique() <= 20 else "target"
    x = column.dropna().to_numpy(dtype=float)
    z = (x - x.mean()) / x.std()
    skew = np.mean(z**3)
    q1, median, q3 = np.percentile(x, [25, 50, 75])
    if (x > 0).all() and skew > 1:
        logs = np.log(x)
        if abs(np.mean(((logs - logs.mean()) / logs.std()) ** 3)) < skew / 2:
            return "log"
    return "robust" if (np.abs(x - median) > 5 * (q3 - q1)).any() else "standard"


def by_ratios(column):
    """Another valid judgement: share of distinct values, and max distance in IQRs."""
    if column.dtype == object:
        return "target" if column.nunique() / len(column) > 0.1 else "one-hot"
    x = column.to_numpy(dtype=float)
    q1, q3 = np.percentile(x, [25, 75])
    far = np.max(np.abs(x - np.median(x))) / (q3 - q1)
    if x.min() > 0 and np.mean(x > np.median(x) + 3 * (q3 - q1)) > 0.02:
        return "log"
    return "robust" if far > 10 else "standard"


def test_03_4_accepts_two_different_judgements():
    passes("03.4", by_skewness)
    passes("03.4", by_ratios)


def test_03_4_refuses_one_answer_for_every_number():
    def always_standard(column):
        return "standard" if pd.api.types.is_numeric_dtype(column) else by_skewness(column)

    def never_robust(column):
        answer = by_skewness(column)
        return "standard" if answer == "robust" else answer

    def one_hot_everything(column):
        answer = by_skewness(column)
        return "one-hot" if answer == "target" else answer

    fails("03.4", always_standard, "calls for")
    fails("03.4", never_robust, "'robust'")
    fails("03.4", one_hot_everything, "most of them rare")
    fails("03.4", lambda column: "scale", "Return one of")


# ------------------------------------------------------------------------------------ 03.5


class Grouper(TransformerMixin, BaseEstimator):
    def __init__(self, min_count=10, other="other"):
        self.min_count = min_count
        self.other = other

    def fit(self, X, y=None):
        X = pd.DataFrame(X)
        self.keep_ = {c: set(X[c].value_counts().loc[lambda s: s >= self.min_count].index)
                      for c in X.columns}
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = pd.DataFrame(X)
        return X.apply(lambda col: col.where(col.isin(self.keep_[col.name]), self.other))


class ArrayGrouper(TransformerMixin, BaseEstimator):
    """A NumPy version that returns an array."""

    def __init__(self, min_count=10, other="other"):
        self.min_count = min_count
        self.other = other

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=object)
        self.frequent_ = []
        for j in range(X.shape[1]):
            values, counts = np.unique(X[:, j].astype(str), return_counts=True)
            self.frequent_.append(values[counts >= self.min_count])
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = np.asarray(X, dtype=object).copy()
        for j, keep in enumerate(self.frequent_):
            X[~np.isin(X[:, j].astype(str), keep), j] = self.other
        return X


def test_03_5_accepts_a_pandas_and_a_numpy_class():
    passes("03.5", Grouper)
    passes("03.5", ArrayGrouper)


def test_03_5_refuses_learning_in_transform():
    class LearnsInTransform(Grouper):
        def transform(self, X):
            check_is_fitted(self)
            self.fit(X)
            return super().transform(X)

    fails("03.5", LearnsInTransform, "count them in fit")


def test_03_5_refuses_a_class_that_breaks_the_contract():
    class NoBase:
        def __init__(self, min_count=10, other="other"):
            self.min_count = min_count
            self.other = other

    class RenamedParameter(Grouper):
        def __init__(self, min_count=10, other="other"):
            self.threshold = min_count
            self.other = other

    class TransformsUnfitted(Grouper):
        def transform(self, X):
            if not hasattr(self, "keep_"):
                return X
            return super().transform(X)

    class FitReturnsNothing(Grouper):
        def fit(self, X, y=None):
            super().fit(X)

    fails("03.5", NoBase, "BaseEstimator")
    fails("03.5", RenamedParameter, "get_params")
    fails("03.5", TransformsUnfitted, "transform before fit")
    fails("03.5", FitReturnsNothing, "return self")


def test_03_5_refuses_an_in_place_edit_and_a_fixed_threshold():
    class InPlace(Grouper):
        def transform(self, X):
            check_is_fitted(self)
            for c in X.columns:
                X[c] = X[c].where(X[c].isin(self.keep_[c]), self.other)
            return X

    class FixedThreshold(Grouper):
        def fit(self, X, y=None):
            self.keep_ = {c: set(X[c].value_counts().loc[lambda s: s >= 15].index)
                          for c in X.columns}
            return self

    fails("03.5", InPlace, "in place")
    fails("03.5", FixedThreshold, "use the parameters")
