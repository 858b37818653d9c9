"""Checkers for notebook 18_scaling_with_spark.

The Spark checkers build fresh Spark DataFrames in the running session (the notebook's, or a
local one started for the check) and compare the learner's result with a pandas reference
computed in the check. They import PySpark only when they run.
"""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for
from mlcourse.exercises._guards import call_unmutated, forbidden_calls

#: Spark checks start a session when none is running (tens of seconds on a busy laptop).
SPARK_TIME_LIMIT = 240.0


def _session():
    from mlcourse.spark import active_session

    return active_session()


def _expect_function(answer, what: str) -> None:
    expect(callable(answer), f"Pass your function itself ({what}), not {type(answer).__name__}.")


# --------------------------------------------------------------------------- 18.1
def _fresh_hours(rng, n_days: int, *, skip_weekday: int | None = None) -> pd.DataFrame:
    """Bike-share-like hours: a few weeks of casual and registered rentals, shuffled."""
    days = pd.date_range("2013-03-04", periods=n_days, freq="D")
    frame = pd.DataFrame({
        "dteday": np.repeat(days.date, 24),
        "hr": np.tile(np.arange(24), n_days),
    })
    frame["weekday"] = (np.repeat(days.day_of_week.to_numpy(), 24) + 1) % 7  # Sunday is 0
    if skip_weekday is not None:
        frame = frame[frame["weekday"] != skip_weekday]
    weekend = frame["weekday"].isin([0, 6]).to_numpy()
    n = len(frame)
    frame["casual"] = rng.poisson(np.where(weekend, 40, 8), n) + (rng.random(n) < 0.2) * 150
    frame["registered"] = rng.poisson(np.where(weekend, 60, 150), n)
    frame["registered"] += (frame["casual"] + frame["registered"] == 0)  # no empty hour
    frame["cnt"] = frame["casual"] + frame["registered"]
    frame["temp"] = rng.uniform(0, 1, n).round(2)
    return frame.sample(frac=1, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)


def _reference_share(frame: pd.DataFrame) -> pd.DataFrame:
    sums = frame.groupby("weekday")[["casual", "cnt"]].sum().sort_index()
    return pd.DataFrame({"weekday": sums.index.to_numpy(),
                         "casual_share": (sums["casual"] / sums["cnt"]).to_numpy()})


def _classic_dataframe():
    from pyspark.sql import DataFrame

    try:  # PySpark 4: the JVM-backed DataFrame
        from pyspark.sql.classic.dataframe import DataFrame as Classic
    except ImportError:  # pragma: no cover - PySpark 3
        Classic = DataFrame
    return DataFrame, Classic


@exercise("18.1", "Casual share by weekday, with the Spark API", time_limit=SPARK_TIME_LIMIT)
def check_casual_share(casual_share_by_weekday):
    _expect_function(casual_share_by_weekday, "casual_share_by_weekday")
    spark = _session()
    DataFrame, Classic = _classic_dataframe()
    rng = rng_for()
    for n_days, skip in [(21, None), (16, 3)]:
        frame = _fresh_hours(rng, n_days, skip_weekday=skip)
        sdf = spark.createDataFrame(frame)
        with forbidden_calls(Classic.toPandas, Classic.collect, Classic.toLocalIterator,
                             Classic.pandas_api,
                             why="Write the aggregation with Spark's DataFrame API "
                                 "(groupBy, agg, F.sum, orderBy): on a cluster, the data "
                                 "would not fit in the driver."):
            result = casual_share_by_weekday(sdf)
        expect(isinstance(result, DataFrame),
               f"Return a Spark DataFrame (a lazy query); got {type(result).__name__}.")
        expect({"weekday", "casual_share"} <= set(result.columns),
               f"The result needs the columns 'weekday' and 'casual_share'; it has "
               f"{result.columns}. Hint: .alias('casual_share').")
        got = result.select("weekday", "casual_share").toPandas()
        expected = _reference_share(frame)
        expect(len(got) == len(expected),
               f"On fresh data with {len(expected)} weekdays your result has {len(got)} rows: "
               "one row per weekday.")
        expect(sorted(got["weekday"].tolist()) == expected["weekday"].tolist(),
               f"The weekdays of your result are {sorted(got['weekday'].tolist())}, expected "
               f"{expected['weekday'].tolist()}. Group by the column 'weekday'.")
        expect(got["weekday"].tolist() == expected["weekday"].tolist(),
               f"Your rows come in the order {got['weekday'].tolist()}: Spark keeps no order "
               "after a groupBy. Add .orderBy('weekday').")
        mean_of_ratios = (frame["casual"] / frame["cnt"]).groupby(frame["weekday"]).mean()
        if np.allclose(got["casual_share"], mean_of_ratios.sort_index().to_numpy(), rtol=1e-9):
            raise ExerciseFailed(
                "You averaged the hourly shares (F.avg of casual / cnt): a quiet hour then "
                "weighs as much as a busy one. The share of the day's riders is a ratio of "
                "sums: F.sum('casual') / F.sum('cnt').")
        expect_close(got["casual_share"], expected["casual_share"], "The casual share",
                     "Hint: F.sum('casual') / F.sum('cnt') per weekday.", rtol=1e-9)
    return ("Right: the ratio of sums per weekday, in weekday order, computed by Spark "
            "(checked on two fresh DataFrames, one with a weekday missing).")


# --------------------------------------------------------------------------- 18.4
PEAK_SCHEMA = "dteday date, peak_hr int, peak_share double"


def _fresh_days(rng, n_days: int) -> pd.DataFrame:
    """Hours of a few days, some with ties for the busiest hour, rows in no order."""
    days = pd.date_range("2013-06-03", periods=n_days, freq="D").date
    parts = []
    for i, day in enumerate(days):
        hours = np.sort(rng.choice(24, size=int(rng.integers(6, 25)), replace=False))
        cnt = rng.integers(1, 400, size=len(hours))
        if i % 2 == 0:  # a tie between an early and a late hour
            a, b = sorted(rng.choice(len(hours), size=2, replace=False))
            cnt[a] = cnt[b] = cnt.max() + int(rng.integers(1, 30))
        parts.append(pd.DataFrame({"dteday": day, "hr": hours, "cnt": cnt,
                                   "temp": rng.uniform(0, 1, len(hours)).round(2)}))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sample(frac=1, random_state=int(rng.integers(1 << 30)))
    return frame.reset_index(drop=True)


def _reference_peak(day: pd.DataFrame) -> tuple[int, float]:
    cnt, hr = day["cnt"].to_numpy(), day["hr"].to_numpy()
    peak_hr = int(hr[cnt == cnt.max()].min())
    return peak_hr, float(cnt.max() / cnt.sum())


def _read_peak(result, what: str) -> tuple[int, float]:
    expect(isinstance(result, pd.DataFrame),
           f"{what}: applyInPandas needs a pandas DataFrame back; got {type(result).__name__}.")
    expect(len(result) == 1, f"{what}: return one row for the day; got {len(result)} rows.")
    missing = {"dteday", "peak_hr", "peak_share"} - set(result.columns)
    expect(not missing, f"{what}: the result lacks the columns {sorted(missing)}.")
    row = result.iloc[0]
    return int(row["peak_hr"]), float(row["peak_share"])


@exercise("18.4", "Each day's peak hour, as a pandas UDF", time_limit=SPARK_TIME_LIMIT)
def check_peak_of_day(peak_of_day):
    _expect_function(peak_of_day, "peak_of_day")
    rng = rng_for()
    frame = _fresh_days(rng, 8)
    # 1. On each fresh group directly, as applyInPandas would hand it over.
    for day, group in frame.groupby("dteday", sort=True):
        group = group.reset_index(drop=True)
        result = call_unmutated(peak_of_day, group, what="peak_of_day")
        peak_hr, peak_share = _read_peak(result, f"For the day {day}")
        want_hr, want_share = _reference_peak(group)
        cnt, hr = group["cnt"].to_numpy(), group["hr"].to_numpy()
        first_row_hr = int(hr[np.argmax(cnt)])
        if peak_hr != want_hr and peak_hr in (int(np.argmax(cnt)), first_row_hr):
            raise ExerciseFailed(
                f"For the day {day} you returned hour {peak_hr}; the busiest hour is "
                f"{want_hr}. The rows of a group come in no particular order, so neither "
                "the row position nor the first maximum in row order is the hour: take the "
                "smallest 'hr' among the rows where cnt == cnt.max().")
        expect(peak_hr == want_hr,
               f"For the day {day} you returned peak_hr {peak_hr}, expected {want_hr} (the "
               "hour with the most rentals, the earliest one on a tie).")
        expect(math.isclose(peak_share, want_share, rel_tol=1e-9),
               f"For the day {day} peak_share is {peak_share:.6g}, expected {want_share:.6g}: "
               "the busiest hour's rentals divided by the day's total.")
    # 2. Through Spark, with the schema the task gives.
    spark = _session()
    sdf = spark.createDataFrame(frame)
    got = (sdf.groupBy("dteday").applyInPandas(peak_of_day, schema=PEAK_SCHEMA)
           .orderBy("dteday").toPandas())
    want = [(day, *_reference_peak(g)) for day, g in frame.groupby("dteday", sort=True)]
    expect(len(got) == len(want), f"Through Spark: {len(got)} rows for {len(want)} days.")
    expect(got["peak_hr"].tolist() == [w[1] for w in want],
           "Through Spark's applyInPandas the peak hours differ from the reference.")
    expect_close(got["peak_share"], [w[2] for w in want], "peak_share through Spark")
    return ("Right on fresh days (rows shuffled, ties included), without changing its input, "
            "and through groupBy('dteday').applyInPandas with the schema.")


# --------------------------------------------------------------------------- 18.2
QUERY_NAMES = "abcdef"


def explain_queries(bikes, weather_names) -> dict:
    """The six queries of exercise 18.2 (also used by its checker on fresh data)."""
    from pyspark.sql import functions as F

    return {
        "a": bikes.filter(F.col("hr") == 8).select("dteday", "cnt"),
        "b": bikes.groupBy("dteday").agg(F.sum("cnt").alias("rentals")),
        "c": bikes.withColumn("rainy", F.col("weathersit") >= 3),
        "d": bikes.orderBy(F.col("cnt").desc()),
        "e": bikes.join(F.broadcast(weather_names), on="weathersit"),
        "f": bikes.repartition(8),
    }


def plan_text(query) -> str:
    """What ``query.explain()`` prints, as a string."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        query.explain()
    return buffer.getvalue()


def shuffles(plan: str) -> bool:
    """Whether a physical plan moves rows between partitions (an Exchange that is not a
    broadcast)."""
    return any("Exchange" in line and "BroadcastExchange" not in line
               for line in plan.splitlines())


def _answer_letters(answer) -> set[str]:
    if isinstance(answer, str):
        answer = [c for c in answer if c.isalpha()]
    if not isinstance(answer, set | frozenset | list | tuple):
        raise ExerciseFailed(
            f"Give the letters of the queries that shuffle, e.g. {{'a', 'c'}}; got "
            f"{type(answer).__name__}.")
    letters = {str(x).strip().lower() for x in answer}
    unknown = sorted(letters - set(QUERY_NAMES))
    expect(not unknown, f"There are no queries {unknown}: the queries are a to f.")
    return letters


_WHY = {
    "a": "filter and select work row by row inside each partition: no Exchange in the plan.",
    "b": "a groupBy must bring every row of a date to one partition: Exchange hashpartitioning.",
    "c": "withColumn computes a column row by row: no Exchange in the plan.",
    "d": "a global sort moves rows into ranges of the sort key: Exchange rangepartitioning.",
    "e": ("the small table is broadcast (BroadcastExchange, a copy to every executor); the big "
          "one stays where it is: a broadcast is not a shuffle."),
    "f": "repartition deals the rows out again: Exchange RoundRobinPartitioning.",
}


@exercise("18.2", "Find the shuffles in explain()", time_limit=SPARK_TIME_LIMIT)
def check_find_shuffles(answer):
    letters = _answer_letters(answer)
    spark = _session()
    rng = rng_for()
    bikes = spark.createDataFrame(pd.DataFrame({
        "dteday": pd.date_range("2013-01-01", periods=40, freq="D").date.repeat(3),
        "hr": np.tile([7, 8, 17], 40),
        "weathersit": rng.integers(1, 4, size=120),
        "cnt": rng.integers(0, 500, size=120),
    }))
    names = spark.createDataFrame(pd.DataFrame({"weathersit": [1, 2, 3, 4],
                                                "weather": ["clear", "mist", "rain", "storm"]}))
    truth = {k for k, q in explain_queries(bikes, names).items() if shuffles(plan_text(q))}
    missed, extra = sorted(truth - letters), sorted(letters - truth)
    if missed or extra:
        reasons = [f"{k} {'shuffles' if k in truth else 'does not shuffle'}: {_WHY[k]}"
                   for k in missed + extra]
        raise ExerciseFailed("Not quite. " + " ".join(reasons))
    return "Right: " + ", ".join(sorted(truth)) + " shuffle (read from their explain() plans)."


# --------------------------------------------------------------------------- 18.3
MiB = 2**20


def _reference_partitions(total_bytes: int, cores: int, target: int = 128 * MiB) -> int:
    needed = max(math.ceil(total_bytes / target), 2 * cores)
    return cores * math.ceil(needed / cores)


@exercise("18.3", "Choose the number of partitions")
def check_choose_partitions(choose_partitions):
    _expect_function(choose_partitions, "choose_partitions")
    rng = rng_for()
    cases = [(1_200_000, 2), (40 * 2**30, 16), (128 * MiB * 10, 5), (128 * MiB * 10 + 1, 5),
             (3 * 2**40, 200), (0, 4)]
    cases += [(int(rng.integers(1, 2**40)), int(rng.integers(1, 64))) for _ in range(20)]
    for total_bytes, cores in cases:
        got = choose_partitions(total_bytes, cores)
        expect(isinstance(got, int | np.integer) and not isinstance(got, bool),
               f"Return a whole number of partitions; got {type(got).__name__} {got!r}.")
        want = _reference_partitions(total_bytes, cores)
        if got == want:
            continue
        size = f"{total_bytes / MiB:,.1f} MiB on {cores} cores"
        if got > 0 and total_bytes / got > 128 * MiB:
            raise ExerciseFailed(
                f"For {size} your {got} partitions hold {total_bytes / got / MiB:,.0f} MiB "
                "each, more than 128 MiB. Round up: math.ceil(total_bytes / (128 * 2**20)).")
        if got < 2 * cores:
            raise ExerciseFailed(
                f"For {size} you chose {got} partitions: fewer than two tasks per core. Take "
                f"at least 2 * cores = {2 * cores}.")
        if got % cores:
            raise ExerciseFailed(
                f"For {size} you chose {got}, not a multiple of {cores}: the last wave of "
                "tasks would leave cores idle. Round up to a multiple of the cores.")
        raise ExerciseFailed(
            f"For {size} you chose {got}; the smallest count that meets the three rules is "
            f"{want}. Do not add partitions beyond what the rules need.")
    return "Right on 26 sizes and core counts, from a megabyte to terabytes."
