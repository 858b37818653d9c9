"""The new checks of notebook 01 pass right answers written in different ways, and fail the
wrong answers a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import pandas as pd
from checker_helpers import fails, passes

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
