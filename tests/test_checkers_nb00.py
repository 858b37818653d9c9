"""The checks of notebook 00 pass right answers written in different ways, and fail the wrong
answers a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from checker_helpers import fails, passes

# ------------------------------------------------------------------------------------ 00.1

CALENDAR = ["season", "yr", "mnth", "hr", "holiday", "weekday", "workingday"]


def test_00_1_accepts_the_calendar_with_or_without_the_optional_columns():
    passes("00.1", CALENDAR)
    passes("00.1", ("hr", "workingday"))
    passes("00.1", {"instant", "dteday", "hr", "workingday", "holiday"})


def test_00_1_refuses_the_target_and_its_parts():
    fails("00.1", CALENDAR + ["casual"], "leak")
    fails("00.1", CALENDAR + ["registered", "cnt"], "leak")


def test_00_1_refuses_the_measured_weather():
    fails("00.1", CALENDAR + ["temp", "hum"], "measured during the hour")


def test_00_1_needs_the_hour_and_the_kind_of_day():
    fails("00.1", ["season", "weekday"], "['hr', 'workingday']")


def test_00_1_refuses_names_that_are_not_columns_and_a_bare_string():
    fails("00.1", CALENDAR + ["hour"], "not columns")
    fails("00.1", "hr, workingday", "list of column names")


# ------------------------------------------------------------------------------------ 00.2


def test_00_2_accepts_two_ways_and_refuses_the_mean():
    passes("00.2", lambda rides: rides.groupby("dteday")["cnt"].sum())
    passes("00.2", lambda rides: rides.pivot_table(index="dteday", values="cnt",
                                                   aggfunc="sum")["cnt"])
    fails("00.2", lambda rides: rides.groupby("dteday")["cnt"].mean(), "daily totals")
    fails("00.2", lambda rides: rides.groupby("hr")["cnt"].sum(), "distinct days")


# ------------------------------------------------------------------------------------ 00.3


def test_00_3_accepts_two_ways_and_refuses_a_squared_error():
    passes("00.3", lambda y, p: float(np.mean(np.abs(np.subtract(y, p)))))
    passes("00.3", lambda y, p: sum(abs(a - b) for a, b in zip(y, p, strict=True)) / len(y))
    fails("00.3", lambda y, p: float(np.mean(np.subtract(y, p) ** 2)), "MAE")
    fails("00.3", lambda y, p: float(np.mean(np.subtract(y, p))), "MAE")


# ------------------------------------------------------------------------------------ 00.4


def merge_version(train, test):
    pairs = train.groupby(["hr", "workingday"], as_index=False)["cnt"].mean()
    hours = train.groupby("hr", as_index=False)["cnt"].mean()
    out = test[["hr", "workingday"]].merge(pairs, on=["hr", "workingday"], how="left")
    out = out.merge(hours.rename(columns={"cnt": "hour_cnt"}), on="hr", how="left")
    return out["cnt"].fillna(out["hour_cnt"]).fillna(train["cnt"].mean()).to_numpy()


def transform_version(train, test):
    both = pd.concat([train.assign(part="train"), test.assign(part="test")])
    known = both["cnt"].where(both["part"] == "train")
    pair = known.groupby([both["hr"], both["workingday"]]).transform("mean")
    hour = known.groupby(both["hr"]).transform("mean")
    filled = pair.fillna(hour).fillna(train["cnt"].mean())
    return filled[(both["part"] == "test").to_numpy()].to_numpy()


def test_00_4_accepts_two_ways_of_looking_up_the_pairs():
    passes("00.4", merge_version)
    passes("00.4", transform_version)


def test_00_4_refuses_the_hourly_rule_of_thumb_retyped():
    def hourly(train, test):
        means = train.groupby("hr")["cnt"].mean()
        return test["hr"].map(means).fillna(train["cnt"].mean()).to_numpy()

    fails("00.4", hourly, "rule of thumb")


def test_00_4_needs_both_fallbacks_in_their_order():
    def no_fallback(train, test):
        pairs = train.groupby(["hr", "workingday"])["cnt"].mean().rename("p")
        return test.join(pairs, on=["hr", "workingday"])["p"].to_numpy()

    def straight_to_the_overall_mean(train, test):
        pairs = train.groupby(["hr", "workingday"])["cnt"].mean().rename("p")
        return test.join(pairs, on=["hr", "workingday"])["p"].fillna(train["cnt"].mean())

    fails("00.4", no_fallback, "NaN")
    fails("00.4", straight_to_the_overall_mean, "fall back to the mean of that hour")


def test_00_4_refuses_means_taken_over_train_and_test_together():
    def leaky(train, test):
        both = pd.concat([train, test])
        return merge_version(both, test)

    fails("00.4", leaky, "Your baseline predictions")

    def the_test_rows_own_means(train, test):
        return test.groupby(["hr", "workingday"])["cnt"].transform("mean").to_numpy()

    fails("00.4", the_test_rows_own_means, "Your baseline predictions")
