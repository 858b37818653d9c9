"""The checkers of notebook 18 against right and likely wrong answers, and the Spark session
helper on a real session (one per test module: a JVM takes seconds to start).

These tests also show that the course's pandas works with PySpark: every conversion notebook
18 relies on (createDataFrame from pandas, toPandas, applyInPandas) round-trips here."""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import pandas as pd
import pytest

from mlcourse.exercises import FAILED, PASSED, get_exercise
from mlcourse.exercises._core import _run_checker
from mlcourse.spark import java_problem, start_session

pytestmark = pytest.mark.skipif(java_problem() is not None,
                                reason=f"Spark cannot start: {java_problem()}")


@pytest.fixture(scope="module")
def spark():
    from pyspark import cloudpickle

    # Spark's Python workers cannot import this test module: send its functions by value,
    # as a notebook's are.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    session = start_session("mlcourse-tests", master="local[1]", shuffle_partitions=2)
    yield session
    session.stop()


def run(exercise_id, answer):
    return _run_checker(get_exercise(exercise_id), answer)


def assert_fails(exercise_id, answer, *hints):
    status, message = run(exercise_id, answer)
    assert status == FAILED, message
    for hint in hints:
        assert hint in message, message
    return message


# --------------------------------------------------------------------------- the session
def test_session_is_set_up_for_a_laptop(spark):
    conf = spark.conf
    assert spark.sparkContext.master == "local[1]"
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.sql.shuffle.partitions") == "2"
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert os.environ["PYSPARK_PYTHON"] == sys.executable


def test_a_second_start_reuses_the_session(spark):
    assert start_session("another name") is spark


def test_the_course_pandas_round_trips_through_spark(spark):
    frame = pd.DataFrame({
        "dteday": pd.to_datetime(["2012-01-01", "2012-01-01", "2012-01-02"]).date,
        "hr": np.array([0, 1, 0], dtype=np.int64),
        "temp": [0.24, 0.22, 0.3],
        "weather": ["clear", "mist", "clear"],
    })
    sdf = spark.createDataFrame(frame)
    assert [t for _, t in sdf.dtypes] == ["date", "bigint", "double", "string"]
    back = sdf.orderBy("dteday", "hr").toPandas()
    assert back["hr"].tolist() == [0, 1, 0]
    assert back["weather"].tolist() == frame["weather"].tolist()
    assert back["dteday"].tolist() == frame["dteday"].tolist()

    def per_day(day):
        return pd.DataFrame({"dteday": [day["dteday"].iloc[0]], "mean_temp": [day["temp"].mean()]})

    got = (sdf.groupBy("dteday").applyInPandas(per_day, "dteday date, mean_temp double")
           .orderBy("dteday").toPandas())
    assert np.allclose(got["mean_temp"], [0.23, 0.3])


# --------------------------------------------------------------------------- 18.1
def casual_share(df):
    from pyspark.sql import functions as F

    return (df.groupBy("weekday").agg((F.sum("casual") / F.sum("cnt")).alias("casual_share"))
            .orderBy("weekday"))


def test_18_1_accepts_the_reference_and_another_spelling(spark):
    assert run("18.1", casual_share)[0] == PASSED

    def with_sql(df):  # SQL on a temporary view is the Spark API too
        df.createOrReplaceTempView("hours_181")
        return df.sparkSession.sql(
            "SELECT weekday, SUM(casual) / SUM(cnt) AS casual_share, COUNT(*) AS n_hours "
            "FROM hours_181 GROUP BY weekday ORDER BY weekday")

    assert run("18.1", with_sql)[0] == PASSED


def test_18_1_refuses_the_mean_of_hourly_ratios(spark):
    from pyspark.sql import functions as F

    def mean_of_ratios(df):
        return (df.groupBy("weekday").agg(F.avg(F.col("casual") / F.col("cnt"))
                                          .alias("casual_share")).orderBy("weekday"))

    assert_fails("18.1", mean_of_ratios, "ratio of sums")


def test_18_1_refuses_an_unordered_result(spark):
    from pyspark.sql import functions as F

    def unordered(df):
        return df.groupBy("weekday").agg((F.sum("casual") / F.sum("cnt")).alias("casual_share"))

    assert_fails("18.1", unordered, "orderBy")


def test_18_1_refuses_pandas(spark):
    def through_pandas(df):
        frame = df.toPandas()
        sums = frame.groupby("weekday")[["casual", "cnt"]].sum()
        return df.sparkSession.createDataFrame(
            (sums["casual"] / sums["cnt"]).rename("casual_share").reset_index())

    assert_fails("18.1", through_pandas, "toPandas", "DataFrame API")

    def collected(df):
        rows = df.select("weekday", "casual", "cnt").collect()
        return rows

    assert_fails("18.1", collected, "collect")


def test_18_1_refuses_a_pandas_result_and_a_wrong_name(spark):
    from pyspark.sql import functions as F

    assert_fails("18.1", lambda df: pd.DataFrame({"weekday": [0]}), "Spark DataFrame")

    def badly_named(df):
        return df.groupBy("weekday").agg((F.sum("casual") / F.sum("cnt")).alias("share"))

    assert_fails("18.1", badly_named, "casual_share")


# --------------------------------------------------------------------------- 18.2
def test_18_2_accepts_the_shuffling_queries_in_any_spelling(spark):
    assert run("18.2", {"b", "d", "f"})[0] == PASSED
    assert run("18.2", ["B", "d", "f"])[0] == PASSED
    assert run("18.2", "b, d, f")[0] == PASSED


def test_18_2_explains_each_mistake(spark):
    assert_fails("18.2", {"b", "d", "e", "f"}, "e does not shuffle", "broadcast")
    assert_fails("18.2", {"b"}, "d shuffles", "rangepartitioning", "f shuffles")
    assert_fails("18.2", {"a", "b", "d", "f"}, "a does not shuffle")
    assert_fails("18.2", {"b", "d", "f", "z"}, "a to f")
    assert_fails("18.2", 3, "letters")


# --------------------------------------------------------------------------- 18.3
def choose_partitions(total_bytes, cores):
    needed = max(math.ceil(total_bytes / 2**27), 2 * cores)
    return cores * math.ceil(needed / cores)


def test_18_3_accepts_the_reference_and_integer_arithmetic():
    assert run("18.3", choose_partitions)[0] == PASSED

    def integers_only(total_bytes, cores):
        needed = max(-(-total_bytes // 2**27), 2 * cores)
        return -(-needed // cores) * cores

    assert run("18.3", integers_only)[0] == PASSED


def test_18_3_refuses_the_usual_slips():
    def floor(total_bytes, cores):
        needed = max(total_bytes // 2**27, 2 * cores)
        return cores * math.ceil(needed / cores)

    def no_minimum(total_bytes, cores):
        return cores * math.ceil(math.ceil(total_bytes / 2**27) / cores)

    def not_a_multiple(total_bytes, cores):
        return max(math.ceil(total_bytes / 2**27), 2 * cores)

    def a_float(total_bytes, cores):
        return float(choose_partitions(total_bytes, cores))

    def too_many(total_bytes, cores):
        return choose_partitions(total_bytes, cores) + cores

    def in_megabytes(total_bytes, cores):  # 128 MB instead of 128 MiB
        needed = max(math.ceil(total_bytes / 128e6), 2 * cores)
        return cores * math.ceil(needed / cores)

    assert_fails("18.3", floor, "Round up")
    assert_fails("18.3", no_minimum, "two tasks per core")
    assert_fails("18.3", not_a_multiple, "multiple")
    assert_fails("18.3", a_float, "whole number")
    assert_fails("18.3", too_many, "smallest")
    assert_fails("18.3", in_megabytes, "smallest")


# --------------------------------------------------------------------------- 18.4
def peak_of_day(day):
    busiest = day["cnt"].max()
    return pd.DataFrame({"dteday": [day["dteday"].iloc[0]],
                         "peak_hr": [int(day.loc[day["cnt"] == busiest, "hr"].min())],
                         "peak_share": [busiest / day["cnt"].sum()]})


def test_18_4_accepts_the_reference_and_a_sort(spark):
    assert run("18.4", peak_of_day)[0] == PASSED

    def by_sorting(day):
        top = day.sort_values(["cnt", "hr"], ascending=[False, True]).iloc[0]
        return pd.DataFrame({"dteday": [top["dteday"]], "peak_hr": [top["hr"]],
                             "peak_share": [top["cnt"] / day["cnt"].sum()]})

    assert run("18.4", by_sorting)[0] == PASSED


def test_18_4_refuses_row_positions_and_the_first_maximum_in_row_order(spark):
    def position(day):
        return pd.DataFrame({"dteday": [day["dteday"].iloc[0]],
                             "peak_hr": [int(day["cnt"].to_numpy().argmax())],
                             "peak_share": [day["cnt"].max() / day["cnt"].sum()]})

    def first_in_row_order(day):
        return pd.DataFrame({"dteday": [day["dteday"].iloc[0]],
                             "peak_hr": [day.loc[day["cnt"].idxmax(), "hr"]],
                             "peak_share": [day["cnt"].max() / day["cnt"].sum()]})

    assert_fails("18.4", position, "no particular order")
    assert_fails("18.4", first_in_row_order, "no particular order")


def test_18_4_refuses_a_wrong_share_an_edit_in_place_and_a_wrong_shape(spark):
    def share_of_mean(day):
        out = peak_of_day(day)
        return out.assign(peak_share=day["cnt"].max() / day["cnt"].mean())

    def adds_a_column(day):
        day["share"] = day["cnt"] / day["cnt"].sum()
        return peak_of_day(day)

    def every_row(day):
        return day.assign(peak_hr=0, peak_share=0.0)

    assert_fails("18.4", share_of_mean, "day's total")
    assert_fails("18.4", adds_a_column, "in place")
    assert_fails("18.4", every_row, "one row")
    assert_fails("18.4", lambda day: (3, 0.1), "pandas DataFrame")
