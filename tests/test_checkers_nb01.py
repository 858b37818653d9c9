"""The new checks of notebook 01 pass right answers written in different ways, and fail the
wrong answers a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import pandas as pd
import requests
from checker_helpers import fails, passes

from mlcourse.datasets import fetch_weather, read_holidays
from mlcourse.exercises import FAILED, NOT_ATTEMPTED, PASSED, get_exercise
from mlcourse.exercises._core import _run_checker

# ------------------------------------------------------------------------------------ 01.1

PIVOT = """
    SELECT CAST(strftime('%w', r.hour_start) AS INTEGER) AS weekday,
           1.0 * SUM(CASE WHEN c.code = 'casual' THEN r.rides ELSE 0 END) / SUM(r.rides)
               AS casual_share
    FROM rides_hourly AS r JOIN customer_types AS c ON c.type_id = r.type_id
    WHERE r.hour_start >= ? AND r.hour_start < ?
    GROUP BY weekday ORDER BY weekday
"""


def with_parameters(connection, start, end):
    return pd.read_sql_query(PIVOT, connection, params=(start, end))


def in_pandas(connection, start, end):
    rows = pd.read_sql_query(
        "SELECT r.hour_start, c.code, r.rides FROM rides_hourly AS r "
        "JOIN customer_types AS c USING (type_id) WHERE r.hour_start >= ? AND r.hour_start < ?",
        connection, params=[start, end])
    rows["weekday"] = (pd.to_datetime(rows["hour_start"]).dt.day_of_week + 1) % 7
    rides = rows.pivot_table(index="weekday", columns="code", values="rides", aggfunc="sum",
                             fill_value=0)
    share = rides["casual"] / rides.sum(axis=1)
    return pd.DataFrame({"weekday": share.index.astype(str), "casual_share": share.to_numpy()})


def test_01_1_reports_the_placeholder_as_not_attempted():
    def placeholder(connection, start, end):
        raise NotImplementedError

    assert status_of("01.1", placeholder)[0] == NOT_ATTEMPTED


def test_01_1_accepts_sql_and_a_pandas_pivot():
    passes("01.1", with_parameters)
    passes("01.1", in_pandas)


def test_01_1_refuses_values_pasted_into_the_sql():
    def pasted(connection, start, end):
        query = PIVOT.replace(">= ? AND r.hour_start < ?",
                              f">= '{start}' AND r.hour_start < '{end}'")
        return pd.read_sql_query(query, connection)

    fails("01.1", pasted, "parameters")


def test_01_1_refuses_integer_division_and_an_average_of_hourly_shares():
    def integer_division(connection, start, end):
        return pd.read_sql_query(PIVOT.replace("1.0 * ", ""), connection, params=(start, end))

    def mean_of_hours(connection, start, end):
        query = """
            SELECT CAST(strftime('%w', hour_start) AS INTEGER) AS weekday,
                   AVG(share) AS casual_share FROM (
                SELECT r.hour_start,
                       1.0 * SUM(CASE WHEN c.code = 'casual' THEN r.rides ELSE 0 END)
                           / SUM(r.rides) AS share
                FROM rides_hourly AS r JOIN customer_types AS c USING (type_id)
                WHERE r.hour_start >= ? AND r.hour_start < ? GROUP BY r.hour_start)
            GROUP BY weekday ORDER BY weekday"""
        return pd.read_sql_query(query, connection, params=(start, end))

    fails("01.1", integer_division, "Multiply by 1.0")
    fails("01.1", mean_of_hours, "not an average of hourly shares")


def test_01_1_refuses_an_end_date_that_is_included():
    def inclusive(connection, start, end):
        query = PIVOT.replace("r.hour_start < ?", "date(r.hour_start) <= ?")
        return pd.read_sql_query(query, connection, params=(start, end))

    fails("01.1", inclusive)


# ------------------------------------------------------------------------------------ 01.2


def test_01_2_accepts_either_answer_on_the_arguable_codes():
    passes("01.2", lambda status: status in (429, 502, 503, 504))
    passes("01.2", lambda status: status in (408, 429) or status >= 500)
    passes("01.2", lambda status: bool(status == 429 or status in range(502, 505)))


def test_01_2_refuses_retrying_the_clients_mistakes():
    fails("01.2", lambda status: status >= 400, "client made that mistake")
    fails("01.2", lambda status: status != 404 and status >= 400, "client made that mistake")


def test_01_2_refuses_giving_up_on_a_temporary_failure_or_the_rate_limit():
    fails("01.2", lambda status: status == 429, "503")
    fails("01.2", lambda status: status >= 500, "Retry-After")
    fails("01.2", lambda status: "yes" if status == 429 else "no", "True or False")


# ------------------------------------------------------------------------------ 01.3 and 01.4


def status_of(exercise_id, answer):
    return _run_checker(get_exercise(exercise_id), answer)


def test_01_3_follows_next_and_waits_after_429():
    def right(url, start, end):
        return fetch_weather(url, start, end, per_page=24)

    def first_page_only(url, start, end):
        body = requests.get(f"{url}/v1/weather", params={"start": start, "end": end,
                                                         "per_page": 24}, timeout=5).json()
        frame = pd.DataFrame(body["data"])
        frame["timestamp"] = pd.to_datetime(frame["timestamp"])
        return frame

    def ignores_429(url, start, end):
        rows, next_url = [], f"{url}/v1/weather?start={start}&end={end}&per_page=24"
        while next_url:
            response = requests.get(next_url, timeout=5)
            response.raise_for_status()
            rows += response.json()["data"]
            next_url = response.json()["next"]
        return pd.DataFrame(rows)

    assert status_of("01.3", right)[0] == PASSED
    status, message = status_of("01.3", first_page_only)
    assert status == FAILED and "next" in message
    status, message = status_of("01.3", ignores_429)
    assert status == FAILED and "Retry-After" in message


def test_01_4_reads_structure_not_text():
    assert status_of("01.4", read_holidays)[0] == PASSED

    def visible_text(page):
        frame = read_holidays(page)
        frame["day_off"] = frame["day_off"].dt.strftime("%A, %B %d")
        return frame

    def every_table(page):
        from bs4 import BeautifulSoup

        rows = [([td.get_text(strip=True) for td in tr.find_all("td")] + ["", ""])[:3]
                for tr in BeautifulSoup(page, "html.parser").select("tbody tr")]
        return pd.DataFrame(rows).rename(columns={0: "holiday", 1: "date", 2: "day_off"})

    assert status_of("01.4", visible_text)[0] == FAILED
    status, message = status_of("01.4", every_table)
    assert status == FAILED and "table.holidays" in message


# ------------------------------------------------------------------------------------ 01.5


def with_agg(trips, by, k):
    counts = trips.groupby(by, as_index=False).agg(trips=("rider", "size"),
                                                   riders=("rider", "nunique"))
    return counts[counts["riders"] >= k]


def with_drop_duplicates(trips, by, k):
    riders = trips.drop_duplicates([*by, "rider"]).groupby(by).size().rename("riders")
    sizes = trips.groupby(by).size().rename("trips")
    table = pd.concat([sizes, riders], axis=1).reset_index()
    return table.query("riders >= @k")


def test_01_5_accepts_two_ways_of_counting_riders():
    passes("01.5", with_agg)
    passes("01.5", with_drop_duplicates)


def test_01_5_refuses_counting_trips_instead_of_riders():
    def trips_not_riders(trips, by, k):
        counts = trips.groupby(by, as_index=False).agg(trips=("rider", "size"),
                                                       riders=("rider", "nunique"))
        return counts[counts["trips"] >= k]

    fails("01.5", trips_not_riders, "different riders")


def test_01_5_refuses_small_groups_pseudonyms_and_an_in_place_edit():
    def everything(trips, by, k):
        return trips.groupby(by, as_index=False).agg(trips=("rider", "size"),
                                                     riders=("rider", "nunique"))

    def with_pseudonyms(trips, by, k):
        table = with_agg(trips, by, k)
        return table.assign(rider=trips["rider"].iloc[0])

    def in_place(trips, by, k):
        trips.drop(columns=[c for c in trips.columns if c not in [*by, "rider"]], inplace=True)
        return with_agg(trips, by, k)

    fails("01.5", everything, "fewer than k")
    fails("01.5", with_pseudonyms, "pseudonyms")
    fails("01.5", in_place, "in place")
