"""Checkers for notebook 00_welcome.

Each checker calls the learner's function on fresh data made here, and compares the result
with a reference written with pandas/NumPy in the most direct way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlcourse.exercises._core import exercise, expect, expect_close, rng_for


def _fresh_rides(n_days: int = 6, salt: int = 0) -> pd.DataFrame:
    """A small hourly table shaped like the bike-sharing data, with made-up counts."""
    rng = rng_for(salt)
    days = pd.date_range("2013-05-01", periods=n_days, freq="D")
    frame = pd.DataFrame({
        "dteday": np.repeat(days, 24),
        "hr": np.tile(np.arange(24), n_days),
    })
    frame["cnt"] = rng.poisson(50 + 40 * np.sin(frame["hr"] / 24 * 2 * np.pi) ** 2)
    # Shuffle and drop a few rows: a robust answer must not rely on order or completeness.
    frame = frame.sample(frac=1.0, random_state=int(rng.integers(1 << 31)))
    return frame.drop(frame.index[:5]).reset_index(drop=True)


@exercise("00.1", "Total rentals per day")
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


@exercise("00.2", "The busiest hour of the day")
def check_busiest_hour(busiest_hour):
    for salt in range(4):
        rides = _fresh_rides(salt=salt)
        means = rides.groupby("hr")["cnt"].mean()
        expected = int(means.idxmax())
        got = busiest_hour(rides.copy())
        expect(np.isscalar(got) or np.ndim(got) == 0,
               f"Return one hour (a number from 0 to 23); got {type(got).__name__}.")
        expect(int(got) == expected,
               f"On a test table the busiest hour is {expected}:00 "
               f"(mean {means.max():.1f} rentals), "
               f"but your function returned {got}. Hint: average `cnt` per `hr`, then take the "
               "hour with the largest mean (`idxmax`), not the largest single count.")
    return "Right: the hour with the highest average demand."


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


@exercise("00.4", "A baseline: the average of each hour")
def check_hourly_baseline(hourly_baseline):
    for salt in range(3):
        rides = _fresh_rides(n_days=10, salt=salt)
        train, test = rides.iloc[:150], rides.iloc[150:]
        # hours missing from train must fall back to the train mean
        train = train[~train["hr"].isin([3, 4, 11 + salt])]
        means = train.groupby("hr")["cnt"].mean()
        expected = test["hr"].map(means).fillna(train["cnt"].mean()).to_numpy()
        got = np.asarray(hourly_baseline(train.copy(), test.copy()), dtype=float)
        expect(got.shape == (len(test),),
               f"Return one prediction per test row ({len(test)}); got shape {got.shape}.")
        expect_close(got, expected, "Your baseline predictions",
                     "Hint: the mean `cnt` of each `hr` in *train*, looked up for each test row; "
                     "an hour missing from train gets the overall train mean.")
    return "Your baseline predicts each hour's average demand."
