"""The checkers of notebook 21 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from checker_helpers import fails, passes, run
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.extra.numpy import arrays
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

from mlcourse.exercises import NOT_ATTEMPTED


@pytest.fixture(autouse=True, scope="module")
def hypothesis_home_in_a_temporary_folder(tmp_path_factory):
    """hypothesis keeps a cache folder; keep it out of the course folder."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)




# --- 21.1 ------------------------------------------------------------------------------------

QUICK = settings(max_examples=100, deadline=None, database=None, derandomize=True)
ANY_ARRAY = arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e6, 1e6))


def formula_test(scale):
    @QUICK
    @given(ANY_ARRAY)
    def properties(x):
        original = x.copy()
        out = scale(x)
        assert np.array_equal(x, original)
        lo, hi = x.min(), x.max()
        if hi == lo:
            assert np.all(out == 0)
            return
        assert np.allclose(out, (x - lo) / (hi - lo), rtol=1e-9, atol=1e-12)

    properties()


def properties_only_test(scale):
    """No formula: bounds, ends, order, constants, untouched input."""
    @QUICK
    @given(ANY_ARRAY)
    def properties(x):
        original = x.copy()
        out = np.asarray(scale(x))
        assert np.array_equal(x, original), "input changed"
        assert out.shape == x.shape
        if np.ptp(x) == 0:
            assert not out.any()
            return
        assert out.min() == 0 and out.max() == 1
        assert (out >= 0).all() and (out <= 1).all()
        i, j = np.nonzero(x[:, None] < x[None, :])
        assert np.all(out[i] <= out[j]), "order"  # rounding may make close values equal

    properties()


def test_21_1_placeholder_is_not_attempted():
    def test_minmax(scale):
        raise NotImplementedError  # YOUR CODE HERE

    assert run("21.1", test_minmax)[0] == NOT_ATTEMPTED


def test_21_1_right_answers_pass():
    passes("21.1", formula_test)
    passes("21.1", properties_only_test)


def bounds_only_test(scale):
    @QUICK
    @given(ANY_ARRAY)
    def properties(x):
        out = scale(x)
        assert np.all((out >= 0) & (out <= 1))

    properties()


def forgets_the_input_test(scale):
    @QUICK
    @given(ANY_ARRAY)
    def properties(x):
        out = scale(x.copy())
        lo, hi = x.min(), x.max()
        expected = np.zeros_like(x) if hi == lo else (x - lo) / (hi - lo)
        assert np.allclose(out, expected)

    properties()


def never_constant_test(scale):
    @QUICK
    @given(arrays(np.float64, st.integers(2, 20), elements=st.floats(-1e6, 1e6),
                  unique=True))
    def properties(x):
        original = x.copy()
        out = scale(x)
        assert np.array_equal(x, original)
        assert np.allclose(out, (x - x.min()) / (x.max() - x.min()))

    properties()


def allows_nan_test(scale):
    @QUICK
    @given(arrays(np.float64, st.integers(1, 20)))  # NaN and inf too: not in the contract
    def properties(x):
        out = scale(x)
        assert np.all(np.isfinite(out))

    properties()


def never_called_test(scale):
    @QUICK
    @given(ANY_ARRAY)
    def properties(x):
        assert np.allclose(scale(x), (x - x.min()) / np.ptp(x))


@pytest.mark.parametrize(("wrong_test", "hint"), [
    (never_called_test, "call it"),
    (bounds_only_test, "broken scalers pass"),
    (forgets_the_input_test, "overwrites the caller's array"),
    (never_constant_test, "constant array"),
    (allows_nan_test, "failed a correct scaler"),
    (None, "test_minmax itself"),
])
def test_21_1_wrong_answers_fail(wrong_test, hint):
    fails("21.1", wrong_test, hint)


# --- 21.2 ------------------------------------------------------------------------------------

def invariance_share(predict, X, column, value):
    before = np.asarray(predict(X), dtype=float)
    after = np.asarray(predict(X.assign(**{column: value})), dtype=float)
    return float(np.mean(np.abs(after - before) > 1e-9 * np.maximum(1, np.abs(before))))


def with_a_copy(predict, X, column, value):
    changed = X.copy()
    changed.loc[:, column] = value
    return (~np.isclose(predict(changed), predict(X), rtol=1e-9, atol=1e-9)).mean()


def test_21_2_right_answers_pass():
    passes("21.2", invariance_share)
    passes("21.2", with_a_copy)


def test_21_2_wrong_answers_fail():
    def in_place(predict, X, column, value):
        before = predict(X)
        X[column] = value
        return float(np.mean(predict(X) != before))

    def count(predict, X, column, value):
        return invariance_share(predict, X, column, value) * len(X)

    def unchanged_share(predict, X, column, value):
        return 1 - invariance_share(predict, X, column, value)

    def always_zero(predict, X, column, value):
        return 0.0

    fails("21.2", in_place, "changed")
    fails("21.2", count, "count")
    fails("21.2", unchanged_share, "did not change")
    fails("21.2", always_zero, "user_id on rainy hours")


# --- 21.3 ------------------------------------------------------------------------------------

COLUMNS = {
    "date": pa.Column("datetime64[ns]", unique=True),
    "temp_c": pa.Column(float, pa.Check.in_range(-20, 45)),
    "humidity": pa.Column(float, pa.Check.in_range(0, 100)),
    "windspeed_kmh": pa.Column(float, pa.Check.in_range(0, 100)),
    "weathersit": pa.Column(int, pa.Check.isin([1, 2, 3, 4])),
}


class WeatherModel(pa.DataFrameModel):
    date: pa.typing.Series[pd.Timestamp] = pa.Field(unique=True)
    temp_c: pa.typing.Series[float] = pa.Field(ge=-20, le=45)
    humidity: pa.typing.Series[float] = pa.Field(ge=0, le=100)
    windspeed_kmh: pa.typing.Series[float] = pa.Field(ge=0, le=100)
    weathersit: pa.typing.Series[int] = pa.Field(isin=[1, 2, 3, 4])

    class Config:
        strict = True


def test_21_3_right_answers_pass():
    passes("21.3", pa.DataFrameSchema(COLUMNS, strict=True))
    passes("21.3", pa.DataFrameSchema(COLUMNS, strict=True, coerce=True))
    passes("21.3", pa.DataFrameSchema(
        {**COLUMNS, "temp_c": pa.Column(float, pa.Check(lambda s: s.between(-20, 45)))},
        strict=True))
    passes("21.3", WeatherModel)


def test_21_3_wrong_answers_fail():
    def schema(**changes):
        return pa.DataFrameSchema({**COLUMNS, **changes}, strict=True)

    fails("21.3", pa.DataFrameSchema(COLUMNS), "extra column")
    fails("21.3", schema(temp_c=pa.Column(float, pa.Check.in_range(-20, 45, include_max=False))),
          "rejected valid rows")
    fails("21.3", schema(date=pa.Column("datetime64[ns]")), "the same date twice")
    fails("21.3", schema(humidity=pa.Column(float, pa.Check.in_range(0, 100), nullable=True)),
          "missing humidity")
    fails("21.3", schema(weathersit=pa.Column(int, pa.Check.in_range(0, 5))), "weathersit = 5")
    fails("21.3", "not a schema", "DataFrameSchema")


# --- 21.4 ------------------------------------------------------------------------------------

def fit_and_score(X, y, seed):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(y))
    cut = int(0.8 * len(y))
    train, test = idx[:cut], idx[cut:]
    forest = RandomForestRegressor(n_estimators=20, random_state=seed).fit(X[train], y[train])
    return r2_score(y[test], forest.predict(X[test]))


def with_train_test_split(X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=seed)
    forest = RandomForestRegressor(n_estimators=20, random_state=seed).fit(X_train, y_train)
    return forest.score(X_test, y_test)


def test_21_4_right_answers_pass():
    passes("21.4", fit_and_score)
    passes("21.4", with_train_test_split)


def test_21_4_wrong_answers_fail():
    def unchanged(X, y, seed):
        idx = np.random.permutation(len(y))
        cut = int(0.8 * len(y))
        forest = RandomForestRegressor(n_estimators=20).fit(X[idx[:cut]], y[idx[:cut]])
        return r2_score(y[idx[cut:]], forest.predict(X[idx[cut:]]))

    def global_seed(X, y, seed):
        np.random.seed(seed)
        return unchanged(X, y, seed)

    def split_only(X, y, seed):
        idx = np.random.default_rng(seed).permutation(len(y))
        cut = int(0.8 * len(y))
        forest = RandomForestRegressor(n_estimators=20).fit(X[idx[:cut]], y[idx[:cut]])
        return r2_score(y[idx[cut:]], forest.predict(X[idx[cut:]]))

    def same_for_every_seed(X, y, seed):
        return fit_and_score(X, y, 0)

    fails("21.4", unchanged, "global random generator")
    fails("21.4", global_seed, "global random generator")
    fails("21.4", split_only, "random_state=seed")
    fails("21.4", same_for_every_seed, "same score")


# --- 21.5 ------------------------------------------------------------------------------------

def test_21_5_right_answers_pass():
    passes("21.5", {"A", "C", "E", "G"})
    passes("21.5", ["g", "e", "c", "a"])


def test_21_5_wrong_answers_fail():
    fails("21.5", set("ABCDEFG"), "B does not block")
    fails("21.5", {"A", "C", "G"}, "E blocks")
    fails("21.5", {"A", "C", "D", "E", "G"}, "D does not block")
    fails("21.5", {"A", "C", "E", "G", "H"}, "not among the checks")
    fails("21.5", 4, "set of letters")
