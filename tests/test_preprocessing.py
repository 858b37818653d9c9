"""Tests of mlcourse.preprocessing: scikit-learn compatibility, same output as the
scikit-learn twins on messy data, the maths, and clear errors."""

import contextlib
import warnings
from math import comb

import numpy as np
import pandas as pd
import pytest
from sklearn import preprocessing as skp
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer as SkSimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.datasets import load_titanic
from mlcourse.preprocessing import (
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    SimpleImputer,
    StandardScaler,
)

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def titanic():
    return load_titanic()


@pytest.fixture(scope="module")
def numeric(titanic):
    """Real numeric columns with NaNs (age), a constant column, a huge offset, an all-NaN one."""
    df = titanic[["age", "fare", "sibsp", "parch"]].astype(float)
    df["constant"] = 7.0
    df["offset"] = 1e8 + titanic["fare"].to_numpy()  # variance must survive the offset
    return df


@pytest.fixture(scope="module")
def categorical(titanic):
    """String columns with NaNs (embarked, deck), a clean string column and an int column."""
    return titanic[["sex", "embarked", "deck", "pclass", "who"]]


def same_categories(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == b.dtype
        assert pd.Series(a).equals(pd.Series(b)), (a, b)


def same_array(a, b):
    """Equal shape and values (NaN == NaN, None == None), for numeric or object arrays."""
    assert a.shape == b.shape
    assert pd.DataFrame(a).equals(pd.DataFrame(b))


# ------------------------------------------------------------ scikit-learn's own checks

ESTIMATORS = [
    StandardScaler(),
    StandardScaler(with_mean=False),
    StandardScaler(with_std=False),
    MinMaxScaler(feature_range=(-1, 1)),
    SimpleImputer(),
    SimpleImputer(strategy="median", add_indicator=True),
    SimpleImputer(strategy="most_frequent"),
    SimpleImputer(strategy="constant", fill_value=-1),
    # unseen values in test splits are expected in the checks, as in scikit-learn's suite
    OneHotEncoder(handle_unknown="ignore"),
    OneHotEncoder(handle_unknown="ignore", drop="if_binary"),
    OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
    PolynomialFeatures(),
    PolynomialFeatures(degree=(1, 3), interaction_only=True, include_bias=False),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --------------------------------------------------------------- scalers vs sklearn


@pytest.mark.parametrize("with_mean", [True, False])
@pytest.mark.parametrize("with_std", [True, False])
def test_standard_scaler_matches_sklearn(numeric, with_mean, with_std):
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(numeric)
    theirs = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(numeric)
    for name in ("mean_", "var_", "scale_"):
        a, b = getattr(ours, name), getattr(theirs, name)
        assert (a is None) == (b is None), name
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, err_msg=name)
    np.testing.assert_array_equal(ours.n_samples_seen_, theirs.n_samples_seen_)
    Xt = ours.transform(numeric)
    np.testing.assert_allclose(Xt, theirs.transform(numeric), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(Xt), numeric.to_numpy(), rtol=1e-12)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1), (2, 5)])
@pytest.mark.parametrize("clip", [False, True])
def test_min_max_scaler_matches_sklearn(numeric, feature_range, clip):
    train, test = numeric.iloc[:600], numeric.iloc[600:]
    ours = MinMaxScaler(feature_range, clip=clip).fit(train)
    theirs = skp.MinMaxScaler(feature_range=feature_range, clip=clip).fit(train)
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), err_msg=name)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), atol=1e-12)
    Xt = ours.transform(train)
    np.testing.assert_allclose(ours.inverse_transform(Xt), train.to_numpy(), rtol=1e-9)


def test_scalers_keep_nans_and_ignore_them_in_fit():
    X = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]])
    Z = StandardScaler().fit_transform(X)
    assert np.array_equal(np.isnan(Z), np.isnan(X))
    np.testing.assert_allclose(Z[[0, 1], 0], [-1, 1])  # mean 2 and std 1 from {1, 3}
    np.testing.assert_array_equal(StandardScaler().fit(X).n_samples_seen_, [2, 2])
    M = MinMaxScaler().fit_transform(X)
    np.testing.assert_allclose(M[[1, 2], 1], [0, 1])


def test_scalers_preserve_float32():
    X = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    for est in (StandardScaler(), MinMaxScaler(), PolynomialFeatures()):
        assert est.fit_transform(X).dtype == np.float32


# ------------------------------------------------------------- scalers: the maths


def test_standardised_columns_have_mean_zero_and_unit_std(numeric):
    Z = StandardScaler().fit_transform(numeric)
    varying = [0, 1, 2, 3, 5]
    np.testing.assert_allclose(np.nanmean(Z[:, varying], axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(np.nanstd(Z[:, varying], axis=0), 1, rtol=1e-9)


def test_constant_column_is_centred_not_divided_by_zero(numeric):
    scaler = StandardScaler().fit(numeric)
    assert scaler.var_[4] == 0 and scaler.scale_[4] == 1
    np.testing.assert_array_equal(scaler.transform(numeric)[:, 4], 0)
    assert MinMaxScaler().fit(numeric).scale_[4] == 1


def test_variance_is_accurate_despite_a_large_offset(numeric):
    # a one-pass E[x^2] - E[x]^2 would lose every digit here; the two-pass formula does not
    scaler = StandardScaler().fit(numeric)
    np.testing.assert_allclose(scaler.var_[5], numeric["fare"].var(ddof=0), rtol=1e-6)


def test_min_max_maps_training_data_onto_the_range(numeric):
    M = MinMaxScaler((-2, 3)).fit_transform(numeric)
    varying = [0, 1, 2, 3, 5]
    np.testing.assert_allclose(np.nanmin(M[:, varying], axis=0), -2)
    np.testing.assert_allclose(np.nanmax(M[:, varying], axis=0), 3)


# --------------------------------------------------------------- imputer vs sklearn


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
@pytest.mark.parametrize("add_indicator", [False, True])
@pytest.mark.parametrize("keep_empty_features", [False, True])
def test_simple_imputer_numeric_matches_sklearn(numeric, strategy, add_indicator,
                                                keep_empty_features):
    X = numeric.assign(empty=np.nan)  # one column never observed
    kwargs = dict(strategy=strategy, add_indicator=add_indicator,
                  keep_empty_features=keep_empty_features)
    ours, theirs = SimpleImputer(**kwargs), SkSimpleImputer(**kwargs)
    with _skip_warning(expected=not keep_empty_features):
        Xo = ours.fit_transform(X)
    with _skip_warning(expected=not keep_empty_features):
        Xs = theirs.fit_transform(X)
    np.testing.assert_allclose(ours.statistics_.astype(float), theirs.statistics_.astype(float))
    np.testing.assert_allclose(Xo, Xs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    if add_indicator:
        back = ours.inverse_transform(Xo)
        np.testing.assert_array_equal(np.isnan(back), np.isnan(X.to_numpy()))
        np.testing.assert_allclose(back, X.to_numpy())
        if not keep_empty_features:  # scikit-learn 1.9 fails on the combination of both
            np.testing.assert_allclose(back, theirs.inverse_transform(Xs))


@contextlib.contextmanager
def _skip_warning(expected):
    """Expect the warning about a dropped all-missing column, or no warning at all."""
    if expected:
        with pytest.warns(UserWarning, match="(?i)skipping features without any observed"):
            yield
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield


@pytest.mark.parametrize("strategy,fill_value", [("most_frequent", None), ("constant", None),
                                                 ("constant", "unknown")])
def test_simple_imputer_strings_match_sklearn(categorical, strategy, fill_value):
    X = categorical[["sex", "embarked", "deck", "who"]]
    ours = SimpleImputer(strategy=strategy, fill_value=fill_value).fit(X)
    theirs = SkSimpleImputer(strategy=strategy, fill_value=fill_value).fit(X)
    assert list(ours.statistics_) == list(theirs.statistics_)
    same_array(ours.transform(X), theirs.transform(X))
    assert not pd.isna(ours.transform(X)).any()


def test_simple_imputer_sentinel_missing_value():
    X = np.array([[1, -1], [3, 5], [-1, 5], [3, 2]])
    ours = SimpleImputer(missing_values=-1, strategy="most_frequent").fit(X)
    theirs = SkSimpleImputer(missing_values=-1, strategy="most_frequent").fit(X)
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))
    np.testing.assert_array_equal(ours.transform(X), [[1, 5], [3, 5], [3, 5], [3, 2]])


def test_imputer_median_and_mode_by_hand():
    X = np.array([[1.0, 2.0], [np.nan, 2.0], [4.0, 3.0], [10.0, 3.0], [np.nan, np.nan]])
    np.testing.assert_allclose(SimpleImputer(strategy="median").fit(X).statistics_, [4, 2.5])
    # ties go to the smallest value
    np.testing.assert_allclose(SimpleImputer(strategy="most_frequent").fit(X).statistics_,
                               [1, 2])
    np.testing.assert_allclose(SimpleImputer().fit(X).statistics_, [5, 2.5])


# ------------------------------------------------------------- encoders vs sklearn


@pytest.mark.parametrize("drop", [None, "first", "if_binary"])
@pytest.mark.parametrize("handle_unknown", ["error", "ignore"])
def test_one_hot_matches_sklearn_on_titanic(categorical, drop, handle_unknown):
    ours = OneHotEncoder(drop=drop, handle_unknown=handle_unknown).fit(categorical)
    theirs = skp.OneHotEncoder(drop=drop, handle_unknown=handle_unknown,
                               sparse_output=False).fit(categorical)
    same_categories(ours.categories_, theirs.categories_)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    if drop is None:
        assert ours.drop_idx_ is None and theirs.drop_idx_ is None
    else:
        assert list(ours.drop_idx_) == list(theirs.drop_idx_)
    Xo = ours.transform(categorical)
    np.testing.assert_array_equal(Xo, theirs.transform(categorical))
    same_array(ours.inverse_transform(Xo), theirs.inverse_transform(Xo))


def test_one_hot_ignores_unseen_categories_like_sklearn(categorical):
    train, test = categorical.iloc[:30], categorical.iloc[30:]  # test has unseen decks
    ours = OneHotEncoder(handle_unknown="ignore").fit(train)
    theirs = skp.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(train)
    Xo = ours.transform(test)
    np.testing.assert_array_equal(Xo, theirs.transform(test))
    same_array(ours.inverse_transform(Xo), theirs.inverse_transform(Xo))
    assert np.equal(ours.inverse_transform(Xo), None).any()  # unseen decks decode to None


@pytest.mark.parametrize("X", [
    [["a", "x"], ["bb", "y"], ["a", "zz"]],
    np.array([["a", "x"], ["bb", "y"], ["a", "zz"]]),
    np.array([["a", 1], [None, 2], [np.nan, 1]], dtype=object),
    np.array([[1.0, 3], [np.nan, 3], [2.0, 4]]),
])
def test_encoders_match_sklearn_on_lists_and_arrays(X):
    for ours, theirs in [(OneHotEncoder(), skp.OneHotEncoder(sparse_output=False)),
                         (OrdinalEncoder(), skp.OrdinalEncoder())]:
        ours.fit(X)
        theirs.fit(X)
        same_categories(ours.categories_, theirs.categories_)
        Xo = ours.transform(X)
        np.testing.assert_array_equal(Xo, theirs.transform(X))
        same_array(ours.inverse_transform(Xo), theirs.inverse_transform(Xo))


def test_one_hot_sparse_output_matches_dense(categorical):
    dense = OneHotEncoder().fit_transform(categorical)
    sparse_out = OneHotEncoder(sparse_output=True).fit_transform(categorical)
    np.testing.assert_array_equal(sparse_out.toarray(), dense)


@pytest.mark.parametrize("kwargs", [
    {},
    dict(handle_unknown="use_encoded_value", unknown_value=-1),
    dict(handle_unknown="use_encoded_value", unknown_value=np.nan),
    dict(encoded_missing_value=-2),
])
def test_ordinal_matches_sklearn_on_titanic(categorical, kwargs):
    train, test = categorical.iloc[:100], categorical.iloc[100:]
    ours = OrdinalEncoder(**kwargs).fit(train)
    theirs = skp.OrdinalEncoder(**kwargs).fit(train)
    same_categories(ours.categories_, theirs.categories_)
    data = test if "handle_unknown" in kwargs else train
    Xo = ours.transform(data)
    np.testing.assert_array_equal(Xo, theirs.transform(data))
    same_array(ours.inverse_transform(Xo), theirs.inverse_transform(Xo))
    assert list(ours.get_feature_names_out()) == list(categorical.columns)


def test_ordinal_with_given_order(titanic):
    X = titanic[["class"]]
    order = [["First", "Second", "Third"]]
    ours, theirs = OrdinalEncoder(categories=order), skp.OrdinalEncoder(categories=order)
    np.testing.assert_array_equal(ours.fit_transform(X), theirs.fit_transform(X))
    np.testing.assert_array_equal(ours.transform(X).ravel(), titanic["pclass"] - 1)


def test_one_hot_maths(categorical):
    enc = OneHotEncoder().fit(categorical)
    Xo = enc.transform(categorical)
    assert set(np.unique(Xo)) == {0.0, 1.0}
    # exactly one 1 per feature and row; one column per category
    np.testing.assert_array_equal(Xo.sum(axis=1), categorical.shape[1])
    assert Xo.shape[1] == sum(len(c) for c in enc.categories_)
    # first-category dropping removes one column per feature
    assert OneHotEncoder(drop="first").fit_transform(categorical).shape[1] == (
        Xo.shape[1] - categorical.shape[1])


# ------------------------------------------------------------ polynomial features


@pytest.mark.parametrize("degree", [0, 1, 2, 3, (2, 3)])
@pytest.mark.parametrize("interaction_only", [False, True])
@pytest.mark.parametrize("include_bias", [False, True])
def test_polynomial_matches_sklearn(numeric, degree, interaction_only, include_bias):
    X = numeric[["fare", "sibsp", "parch"]]
    if degree == 0 and not include_bias:
        with pytest.raises(ValueError, match="no output feature"):
            PolynomialFeatures(0, include_bias=False).fit(X)
        return
    kwargs = dict(interaction_only=interaction_only, include_bias=include_bias)
    ours = PolynomialFeatures(degree, **kwargs).fit(X)
    theirs = skp.PolynomialFeatures(degree, **kwargs).fit(X)
    np.testing.assert_array_equal(ours.powers_, theirs.powers_)
    assert ours.n_output_features_ == theirs.n_output_features_
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-12)


def test_polynomial_maths():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    P = PolynomialFeatures(3).fit(X)
    assert P.n_output_features_ == comb(4 + 3, 3)
    # every output column is the product of the inputs raised to its row of powers_
    expected = np.prod(X[:, None, :] ** P.powers_[None, :, :], axis=2)
    np.testing.assert_allclose(P.transform(X), expected, rtol=1e-12)
    names = PolynomialFeatures(2).fit(pd.DataFrame(X[:, :2], columns=["a", "b"]))
    assert list(names.get_feature_names_out()) == ["1", "a", "b", "a^2", "a b", "b^2"]


# ------------------------------------------------------- pipelines, pandas output


def _titanic_pipeline(pre):
    num = ["age", "fare", "sibsp"]
    cat = ["sex", "embarked", "deck", "pclass"]
    return ColumnTransformer([
        ("num", make_pipeline(pre.SimpleImputer(strategy="median"), pre.StandardScaler()), num),
        ("cat", make_pipeline(pre.SimpleImputer(strategy="constant", fill_value="missing"),
                              pre.OneHotEncoder(handle_unknown="ignore")), cat),
    ]).set_output(transform="pandas")


class _SklearnParts:
    SimpleImputer = SkSimpleImputer
    StandardScaler = skp.StandardScaler

    @staticmethod
    def OneHotEncoder(**kwargs):
        return skp.OneHotEncoder(sparse_output=False, **kwargs)


class _OurParts:
    SimpleImputer = SimpleImputer
    StandardScaler = StandardScaler
    OneHotEncoder = OneHotEncoder


def test_column_transformer_with_pandas_output_matches_sklearn(titanic):
    ours = _titanic_pipeline(_OurParts).fit_transform(titanic)
    theirs = _titanic_pipeline(_SklearnParts).fit_transform(titanic)
    assert isinstance(ours, pd.DataFrame)
    assert list(ours.columns) == list(theirs.columns)
    assert "cat__deck_missing" in ours.columns
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), atol=1e-12)


def test_full_model_gives_the_same_predictions(titanic):
    X, y = titanic.drop(columns=["survived", "alive"]), titanic["survived"]
    preds = [
        make_pipeline(_titanic_pipeline(parts), LogisticRegression(max_iter=1000))
        .fit(X.iloc[:600], y.iloc[:600]).predict(X.iloc[600:])
        for parts in (_OurParts, _SklearnParts)
    ]
    np.testing.assert_array_equal(*preds)
    assert (preds[0] == y.iloc[600:]).mean() > 0.75


def test_inverse_transform_round_trips(numeric, categorical):
    X = numeric.to_numpy()
    for est in (StandardScaler(), MinMaxScaler()):
        np.testing.assert_allclose(est.fit(X).inverse_transform(est.transform(X)), X,
                                   rtol=1e-9)
    for est in (OneHotEncoder(drop="first"), OrdinalEncoder()):
        same_array(est.fit(categorical).inverse_transform(est.transform(categorical)),
                   categorical.to_numpy(dtype=object))


# ---------------------------------------------------------------------- bad input

ALL = [StandardScaler, MinMaxScaler, SimpleImputer, OneHotEncoder, OrdinalEncoder,
       PolynomialFeatures]


@pytest.mark.parametrize("Est", ALL)
def test_unfitted_raises(Est):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Est().transform(np.ones((2, 2)))


@pytest.mark.parametrize("Est", ALL)
def test_wrong_number_of_features(Est):
    est = Est().fit(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 3"):
        est.transform(np.ones((2, 2)))


@pytest.mark.parametrize("Est", ALL)
def test_empty_data(Est):
    with pytest.raises(ValueError, match="0 sample"):
        Est().fit(np.empty((0, 3)))


def test_nan_where_not_allowed():
    X = np.array([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        PolynomialFeatures().fit(X)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        SimpleImputer(missing_values=-1).fit(X)
    with pytest.raises(ValueError, match="Input X contains infinity"):
        StandardScaler().fit(np.array([[1.0], [np.inf]]))


def test_unknown_category_names_column_and_value(categorical):
    enc = OneHotEncoder().fit(categorical)
    new = categorical.iloc[:2].copy()
    new["deck"] = ["Z", "C"]
    with pytest.raises(ValueError, match=r"unknown categories \['Z'\] in column 'deck'"):
        enc.transform(new)
    ordinal = OrdinalEncoder().fit(np.array([["a"], ["b"]]))
    with pytest.raises(ValueError, match=r"unknown categories \['c'\] in column 0"):
        ordinal.transform(np.array([["c"]]))
    with pytest.raises(ValueError, match=r"unknown categories \['L'\] in column 0 during fit"):
        OrdinalEncoder(categories=[["S", "M"]]).fit(np.array([["S"], ["L"]]))


def test_bad_parameters():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match=r"MinMaxScaler parameter feature_range must be a pair "
                       r"\(min, max\) with min < max, got \(1, 0\)"):
        MinMaxScaler((1, 0)).fit(X)
    with pytest.raises(ValueError, match="SimpleImputer parameter strategy must be one of"):
        SimpleImputer(strategy="mode").fit(X)
    with pytest.raises(ValueError, match="OneHotEncoder parameter drop must be one of None, "):
        OneHotEncoder(drop="last").fit(X)
    with pytest.raises(ValueError, match="handle_unknown must be 'error' or 'ignore'"):
        OneHotEncoder(handle_unknown="use_encoded_value").fit(X)
    with pytest.raises(TypeError, match="unknown_value should be an integer or np.nan"):
        OrdinalEncoder(handle_unknown="use_encoded_value").fit(X)
    with pytest.raises(ValueError, match="OrdinalEncoder parameter unknown_value must be None "
                       "or an int or np.nan, got 'x'"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value="x").fit(X)
    with pytest.raises(TypeError, match="unknown_value should only be set"):
        OrdinalEncoder(unknown_value=-1).fit(X)
    with pytest.raises(ValueError, match="already the code of a seen category"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=0).fit(X)
    with pytest.raises(ValueError, match="PolynomialFeatures parameter degree must be an int >= 0 "
                       "or a pair"):
        PolynomialFeatures(degree=(3, 1)).fit(X)
    with pytest.raises(ValueError, match="fill_value='a'"):
        SimpleImputer(strategy="constant", fill_value="a").fit(X)


def test_mean_of_strings_is_a_clear_error(categorical):
    with pytest.raises(ValueError, match="Cannot use strategy='mean' with non-numeric data"):
        SimpleImputer().fit(categorical[["sex"]])


def test_inverse_transform_wrong_width():
    X = np.arange(6.0).reshape(3, 2)
    for est in (StandardScaler(), MinMaxScaler(), OrdinalEncoder(), OneHotEncoder()):
        with pytest.raises(ValueError, match="inverse_transform expects"):
            est.fit(X).inverse_transform(np.ones((3, 7)))
    with pytest.raises(ValueError, match="needs add_indicator=True"):
        SimpleImputer().fit(X).inverse_transform(X)


def test_new_missing_values_without_indicator_column():
    imp = SimpleImputer(add_indicator=True).fit(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match=r"\['x0'\] have missing values in transform"):
        imp.transform(np.array([[np.nan, 1.0]]))
