"""Checkers for notebook 01_data_collection.

Each checker builds a fresh source (a small SQLite database, a weather server on 127.0.0.1, a
holiday page, a column of IDs) from data made here, runs the learner's code against it, and
compares with the answer computed directly with pandas or the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import sqlite3
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from mlcourse.datasets.bikeshare import (
    WEATHER_COLUMNS,
    WeatherAPI,
    build_operations_database,
    read_holidays,
)
from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for


def _fresh_hourly(n_days: int = 5, salt: int = 0) -> pd.DataFrame:
    """Made-up hourly counts shaped like the bike-sharing data, with gaps and zero counts."""
    rng = rng_for(salt)
    start = pd.Timestamp("2013-03-01") + pd.Timedelta(days=int(rng.integers(0, 200)))
    stamps = pd.date_range(start, periods=24 * n_days, freq="h")
    frame = pd.DataFrame({"dteday": stamps.normalize(), "hr": stamps.hour})
    frame["casual"] = rng.poisson(3, len(frame)) * rng.integers(0, 2, len(frame))  # many zeros
    frame["registered"] = rng.poisson(40, len(frame))
    frame.loc[frame.index[7], "registered"] = 0  # an hour with casual riders only
    frame.loc[frame.index[7], "casual"] = 2
    keep = rng.random(len(frame)) > 0.05  # a few hours are missing altogether
    frame = frame[keep & (frame["casual"] + frame["registered"] > 0)]
    return frame.reset_index(drop=True)


# -- 01.1 --------------------------------------------------------------------------------------


@exercise("01.1", "Daily totals in SQL")
def check_daily_sql(daily_sql):
    expect(isinstance(daily_sql, str),
           f"Give the query as a string of SQL; got {type(daily_sql).__name__}.")
    for salt in range(2):
        hourly = _fresh_hourly(n_days=6, salt=salt)
        expected = hourly.groupby("dteday")[["casual", "registered"]].sum()
        expected["cnt"] = expected["casual"] + expected["registered"]
        with tempfile.TemporaryDirectory() as folder:
            path = build_operations_database(hourly, Path(folder) / "ops.sqlite")
            connection = sqlite3.connect(path)
            try:
                got = pd.read_sql_query(daily_sql, connection)
            except Exception as error:
                raise ExerciseFailed(
                    f"The database could not run your query: {error}. Test it in the notebook "
                    "with pd.read_sql_query(DAILY_SQL, connection) first."
                ) from None
            finally:
                connection.close()
        missing = {"day", "casual", "registered", "cnt"} - set(got.columns)
        expect(not missing,
               f"The result lacks the column(s) {sorted(missing)}; name them with AS, e.g. "
               f"`date(hour_start) AS day`. Got columns {list(got.columns)}.")
        expect(len(got) == len(expected),
               f"A test database covers {len(expected)} days, but your query returned "
               f"{len(got)} rows. Hint: GROUP BY the day, date(hour_start), not the hour.")
        days = pd.to_datetime(got["day"])
        expect(list(days) == list(expected.index),
               "The days are not right or not in order. Hint: `date(hour_start) AS day` and "
               "`ORDER BY day`.")
        for column in ("casual", "registered", "cnt"):
            expect_close(got[column].to_numpy(), expected[column].to_numpy(),
                         f"The column {column}",
                         "Hint: an hour with no rides of a type has no row, so add up with "
                         "SUM(CASE WHEN c.code = 'casual' THEN r.rides ELSE 0 END), after a "
                         "JOIN with customer_types.")
    return "Your query gives the right daily totals on fresh databases."


# -- 01.2 --------------------------------------------------------------------------------------


def _fresh_weather(rng: np.random.Generator, n_days: int = 9) -> pd.DataFrame:
    stamps = pd.date_range("2014-06-01", periods=24 * n_days, freq="h")
    frame = pd.DataFrame({
        "timestamp": stamps,
        "weathersit": rng.choice([1, 1, 1, 2, 2, 3], len(stamps)),
        "temp": rng.integers(20, 90, len(stamps)) / 100,
        "atemp": rng.integers(2000, 9000, len(stamps)) / 10000,
        "hum": rng.integers(20, 100, len(stamps)) / 100,
        "windspeed": rng.integers(0, 4000, len(stamps)) / 10000,
    })
    return frame[rng.random(len(frame)) > 0.04].reset_index(drop=True)


@exercise("01.2", "Fetch every page of the API")
def check_fetch_all(fetch_all):
    rng = rng_for()
    weather = _fresh_weather(rng)
    start, end = "2014-06-02", "2014-06-07"
    inside = weather["timestamp"].dt.strftime("%Y-%m-%d").between(start, end)
    expected = weather[inside].reset_index(drop=True)
    # Small pages and a tight rate limit: a right answer must follow `next` and survive a 429.
    with WeatherAPI(weather, max_per_page=24, rate_limit=3, window=1.0) as api:
        try:
            got = fetch_all(api.url, start, end)
        except Exception as error:
            if any(status == 429 for _, _, status in api.log):
                raise ExerciseFailed(
                    f"Your function raised {type(error).__name__}: {error}. The server refused "
                    "a request with 429 Too Many Requests: wait the number of seconds in the "
                    "Retry-After header (time.sleep), then send the same request again."
                ) from None
            raise
        log = list(api.log)
    statuses = [status for _, _, status in log]
    bad = [(path, status) for _, path, status in log if status not in (200, 429)]
    if bad:
        raise ExerciseFailed(
            f"The server answered {bad[0][1]} to {bad[0][0]}. Check the parameter names "
            "(start, end, page, per_page) and that per_page is at most 24 here."
        )
    expect(isinstance(got, pd.DataFrame),
           f"Return a pandas DataFrame; got {type(got).__name__}.")
    missing = {"timestamp", *WEATHER_COLUMNS} - set(got.columns)
    expect(not missing, f"Your table lacks the column(s) {sorted(missing)}.")
    expect(len(got) == len(expected),
           f"The server holds {len(expected)} hours from {start} to {end}, but your table has "
           f"{len(got)} rows (after {statuses.count(200)} successful requests). Hint: keep "
           "requesting the URL in `next` until it is null.")
    got = got.sort_values("timestamp").reset_index(drop=True)
    expect(list(pd.to_datetime(got["timestamp"])) == list(expected["timestamp"]),
           "The timestamps are not the ones the server sent. Hint: pd.to_datetime on the "
           "`timestamp` field of each record.")
    expect_close(got[WEATHER_COLUMNS].to_numpy(float), expected[WEATHER_COLUMNS].to_numpy(float),
                 "The weather values")
    return (f"You fetched all {len(expected)} hours over {statuses.count(200)} pages and "
            f"waited politely after {statuses.count(429)} refusal(s).")


# -- 01.3 --------------------------------------------------------------------------------------

_NAMES = ["Founders’ Day", "Harvest Festival", "Remembrance Day", "Spring Holiday",
          "Unity Day", "Labour Day", "Flag Day", "Midsummer Holiday", "Winter Holiday"]


def _fresh_holidays(rng: np.random.Generator, year: int) -> pd.DataFrame:
    days = pd.to_datetime(sorted(rng.choice(pd.date_range(f"{year}-01-02", f"{year}-12-30"),
                                            size=6, replace=False)))
    # The weekend rule: Saturday -> the Friday before, Sunday -> the Monday after.
    shift = np.select([days.day_of_week == 5, days.day_of_week == 6], [-1, 1], 0)
    return pd.DataFrame({
        "holiday": rng.choice(_NAMES, size=len(days), replace=False),
        "date": days,
        "day_off": days + pd.to_timedelta(shift, unit="D"),
    })


def _time(day: pd.Timestamp, with_year: bool = False) -> str:
    text = f"{day:%A, %B} {day.day}" + (f", {day.year}" if with_year else "")
    return f'<time datetime="{day:%Y-%m-%d}">{text}</time>'


def _holiday_page(tables: list[pd.DataFrame]) -> str:
    """A page with the structure of the course's holiday page, plus a table to ignore."""
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Holidays</title></head>",
             "<body><h1>Public holidays</h1>",
             "<table class='contacts'><thead><tr><th>Office</th><th>Phone</th></tr></thead>"
             "<tbody><tr><td>Calendar desk</td><td>555-0100</td></tr></tbody></table>"]
    for frame in tables:
        year = frame["date"].dt.year.iloc[0]
        parts.append(f"<table id='calendar-{year}' class='holidays'>"
                     f"<caption>Holidays in {year}</caption><thead><tr><th scope='col'>Holiday"
                     "</th><th scope='col'>Date</th><th scope='col'>Day off</th></tr></thead>"
                     "<tbody>")
        for row in frame.itertuples():
            moved = row.day_off != row.date
            note = "<sup><a href='#note-weekend'>1</a></sup>" if moved else ""
            css = " class='weekend-rule'" if moved else ""
            parts.append(
                f"\n  <tr>\n    <td>{html.escape(row.holiday)}</td>\n"
                f"    <td>{_time(row.date)}</td>\n"
                f"    <td{css}>{_time(row.day_off, row.day_off.year != year)}{note}</td>\n  </tr>"
            )
        parts.append("</tbody></table>")
    parts.append("<ol><li id='note-weekend'>Weekend rule.</li></ol></body></html>")
    return "".join(parts)


@exercise("01.3", "Parse the holiday table")
def check_parse_holidays(parse_holidays):
    rng = rng_for()
    tables = [_fresh_holidays(rng, year) for year in (2019, 2020)]
    cases = [("a fresh page", _holiday_page(tables), pd.concat(tables, ignore_index=True))]
    course_page = read_holidays()
    from mlcourse.datasets.bikeshare import holidays_page_path

    cases.append(("the course's page", holidays_page_path().read_text(encoding="utf-8"),
                  course_page))
    for what, page, expected in cases:
        got = parse_holidays(page)
        expect(isinstance(got, pd.DataFrame),
               f"Return a pandas DataFrame; got {type(got).__name__}.")
        missing = {"holiday", "date", "day_off"} - set(got.columns)
        expect(not missing, f"Your table lacks the column(s) {sorted(missing)}.")
        expect(len(got) == len(expected),
               f"On {what} there are {len(expected)} holidays, but your table has {len(got)} "
               "rows. Hint: take the rows of the <tbody> of every `table.holidays` (and only "
               "those tables).")
        names = [" ".join(str(name).split()) for name in got["holiday"]]
        expect(names == list(expected["holiday"]),
               f"On {what} the holiday names are not right: got {names[:3]}..., expected "
               f"{list(expected['holiday'])[:3]}.... Hint: `td.get_text(strip=True)`.")
        for column in ("date", "day_off"):
            try:
                with warnings.catch_warnings():  # a learner's odd format must not warn here
                    warnings.simplefilter("ignore")
                    values = pd.to_datetime(got[column])
            except (ValueError, TypeError):
                raise ExerciseFailed(
                    f"The column {column} should hold dates; pd.to_datetime could not read "
                    f"{got[column].iloc[0]!r}. Hint: use the `datetime` attribute of the "
                    "<time> element: the visible text has no year."
                ) from None
            expect(list(values) == list(expected[column]),
                   f"On {what} the column {column} is not right. Hint: read "
                   "`cell.find('time')['datetime']`; the text beside it may carry a footnote.")
    return "Your parser reads the course's page and a page it has never seen."


# -- 01.4 --------------------------------------------------------------------------------------


def _reference_pseudonyms(ids, key: bytes) -> list[str]:
    return [hmac.new(key, str(i).encode("utf-8"), hashlib.sha256).hexdigest()[:16] for i in ids]


@exercise("01.4", "Pseudonymise an ID column")
def check_pseudonymise(pseudonymise):
    rng = rng_for()
    key = rng.bytes(32)
    numbers = pd.Series(rng.integers(100_000, 999_999, 40), name="member_id")
    numbers = pd.concat([numbers, numbers.iloc[:5]], ignore_index=True)  # repeat riders
    words = pd.Series([f"M-{n:06d}" for n in rng.integers(0, 10**6, 12)], name="member_id")
    for ids in (numbers, words):
        got = pseudonymise(ids.copy(), key)
        expect(got is not None and len(got) == len(ids),
               f"Return one pseudonym per ID ({len(ids)}); got "
               f"{'None' if got is None else len(got)}.")
        got = [str(value) for value in got]
        plain = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in ids]
        expect(got != plain,
               "These are plain SHA-256 hashes: anyone can hash every possible ID and reverse "
               "them. Use the secret key: hmac.new(key, message, hashlib.sha256).")
        expected = _reference_pseudonyms(ids, key)
        expect(all(len(value) == 16 for value in got),
               "Each pseudonym should be the first 16 hexadecimal characters of the digest.")
        expect(got == expected,
               f"The pseudonyms are not right: got {got[0]!r}, expected {expected[0]!r} for ID "
               f"{ids.iloc[0]!r}. Hint: the message is the ID as text, str(id).encode('utf-8'); "
               "the digest is .hexdigest()[:16].")
    other = [str(value) for value in pseudonymise(numbers.copy(), rng.bytes(32))]
    expect(other != _reference_pseudonyms(numbers, key),
           "With another key the pseudonyms must change.")
    return "Same rider, same pseudonym; without the key nobody can go back to the ID."
