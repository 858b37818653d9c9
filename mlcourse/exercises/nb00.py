"""Checkers for notebook 00_welcome.

Each checker calls the learner's function on fresh data made here, and compares the result
with a reference written with pandas/NumPy in the most direct way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for

# The columns of the course's hourly bike-sharing table, by what is known at 18:00 the evening
# before the hour to forecast.
_TARGET_PARTS = ("cnt", "casual", "registered")
_MEASURED_WEATHER = ("weathersit", "temp", "atemp", "hum", "windspeed")
_CALENDAR = ("instant", "dteday", "season", "yr", "mnth", "hr", "holiday", "weekday",
             "workingday")


@exercise("00.1", "What may the model see?")
def check_allowed_columns(allowed):
    if isinstance(allowed, str) or not isinstance(allowed, (list, tuple, set, frozenset)):
        raise ExerciseFailed(f"Give a list of column names, such as ['hr', ...]; got "
                             f"{type(allowed).__name__}.")
    names = list(allowed)
    expect(all(isinstance(name, str) for name in names),
           "Every entry should be a column name, as text.")
    known = set(_TARGET_PARTS + _MEASURED_WEATHER + _CALENDAR)
    unknown = sorted(set(names) - known)
    expect(not unknown, f"{unknown} are not columns of `rides`; the columns are "
           f"{sorted(known)}.")
    target = [name for name in _TARGET_PARTS if name in names]
    expect(not target,
           f"{target} must stay out: `cnt` is the target, and `casual` + `registered` add up to "
           "it exactly. A model given them reads the answer instead of forecasting it (a leak).")
    weather = [name for name in _MEASURED_WEATHER if name in names]
    expect(not weather,
           f"{weather} are measured during the hour itself: at 18:00 the evening before they "
           "are not known yet (only a forecast is). Leave them out of inputs used as they are.")
    rhythm = [name for name in ("hr", "workingday") if name not in names]
    expect(not rhythm,
           f"Include {rhythm}: the calendar is known years ahead, and the hour and the kind of "
           "day carry the commuting peaks.")
    return ("Every column you chose is known at 18:00 the evening before, the target's parts "
            "and the measured weather are out, and the hour and the kind of day are in.")


def _fresh_rides(n_days: int = 6, salt: int = 0) -> pd.DataFrame:
    """A small hourly table shaped like the bike-sharing data, with made-up counts."""
    rng = rng_for(salt)
    days = pd.date_range("2013-05-01", periods=n_days, freq="D")
    frame = pd.DataFrame({
        "dteday": np.repeat(days, 24),
        "hr": np.tile(np.arange(24), n_days),
    })
    frame["workingday"] = (frame["dteday"].dt.day_of_week < 5).astype(int)
    commute = np.sin(frame["hr"] / 24 * 2 * np.pi) ** 2 * np.where(frame["workingday"], 60, 10)
    frame["cnt"] = rng.poisson(30 + commute)
    # Shuffle and drop a few rows: a robust answer must not rely on order or completeness.
    frame = frame.sample(frac=1.0, random_state=int(rng.integers(1 << 31)))
    return frame.drop(frame.index[:5]).reset_index(drop=True)


@exercise("00.2", "Total rentals per day")
def check_rentals_per_day(rentals_per_day):
    for salt in range(3):
        rides = _fresh_rides(salt=salt)
        expected = rides.groupby("dteday")["cnt"].sum().sort_index()
        got = rentals_per_day(rides.copy())
        expect(isinstance(got, pd.Series),
               f"Return a pandas Series (one value per day); got {type(got).__name__}.")
        expect(len(got) == len(expected),
               f"There are {len(expected)} distinct days, but your Series has {len(got)} values. "
               "Hint: group by the date column `dteday`.")
        got = got.sort_index()
        expect(list(pd.to_datetime(got.index)) == list(expected.index),
               "The index should be the dates (`dteday`), one entry per day.")
        expect_close(got.to_numpy(), expected.to_numpy(), "The daily totals",
                     "Hint: `.groupby(...)['cnt'].sum()`.")
    return "Your function gives the right daily totals on new data."


@exercise("00.3", "Mean absolute error in NumPy")
def check_mean_absolute_error(mean_absolute_error):
    rng = rng_for()
    for size in (1, 7, 1000):
        y_true = rng.normal(100, 30, size)
        y_pred = y_true + rng.normal(0, 10, size)
        expected = np.mean(np.abs(y_true - y_pred))
        expect_close(mean_absolute_error(y_true, y_pred), expected, f"The MAE of {size} values",
                     "Hint: the mean of the absolute differences, np.mean(np.abs(...)).")
    expect_close(mean_absolute_error([1, 2, 3], [3, 2, 1]), 4 / 3, "The MAE of two Python lists",
                 "Hint: convert the inputs with np.asarray first.")
    expect_close(mean_absolute_error(np.array([5.0]), np.array([5.0])), 0.0,
                 "The MAE of a perfect prediction")
    return "Correct, and it accepts lists as well as arrays."


def _reference_day_type(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    pair = train.groupby(["hr", "workingday"])["cnt"].mean()
    keys = pd.MultiIndex.from_frame(test[["hr", "workingday"]])
    by_pair = pd.Series(pair.reindex(keys).to_numpy(), index=test.index)
    by_hour = test["hr"].map(train.groupby("hr")["cnt"].mean())
    return by_pair.fillna(by_hour).fillna(train["cnt"].mean()).to_numpy()


@exercise("00.4", "A sharper baseline: the hour and the kind of day")
def check_day_type_baseline(day_type_baseline):
    for salt in range(3):
        rides = _fresh_rides(n_days=14, salt=salt)
        train, test = rides.iloc[:200], rides.iloc[200:]
        # an hour never seen in train, and an hour seen only on working days
        lonely = 11 + salt
        train = train[(train["hr"] != 3)
                      & ~((train["hr"] == lonely) & (train["workingday"] == 0))]
        expected = _reference_day_type(train, test)
        got = np.asarray(day_type_baseline(train.copy(), test.copy()), dtype=float)
        expect(got.shape == (len(test),),
               f"Return one prediction per test row ({len(test)}); got shape {got.shape}.")
        expect(not np.isnan(got).any(),
               "Some predictions are NaN: a pair (hour, kind of day) or an hour missing from "
               "train needs its fallback.")
        hourly = test["hr"].map(train.groupby("hr")["cnt"].mean()).fillna(train["cnt"].mean())
        if np.allclose(got, hourly.to_numpy()):
            raise ExerciseFailed("These are the averages of each hour, the rule of thumb above: "
                                 "group by the hour *and* `workingday`.")
        weekend_lonely = ((test["hr"] == lonely) & (test["workingday"] == 0)).to_numpy()
        if np.allclose(got[weekend_lonely], train["cnt"].mean()) and \
                not np.allclose(expected[weekend_lonely], train["cnt"].mean()):
            raise ExerciseFailed(
                f"At {lonely}:00 on a non-working day (a pair train never saw) you predict the "
                "overall mean: fall back to the mean of that hour in train first.")
        expect_close(got, expected, "Your baseline predictions",
                     "Hint: the mean `cnt` of each (`hr`, `workingday`) pair in *train*, looked "
                     "up for each test row; then the hour's mean; then the overall train mean.")
    return ("Your baseline predicts each (hour, kind of day) average, with both fallbacks, on "
            "new data.")
