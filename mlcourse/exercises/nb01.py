"""Checkers for notebook 01_data_collection.

Each checker builds a fresh source (a small SQLite database, a weather server on 127.0.0.1, a
holiday page, a trip log) from data made here, runs the learner's code against it, and
compares with the answer computed directly with pandas or the standard library.
"""

from __future__ import annotations

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
from mlcourse.exercises._guards import call_unmutated


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


def _reference_shares(hourly: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Casual share per weekday (0 = Sunday) of the hours in [start, end), compared as text."""
    text = (hourly["dteday"] + pd.to_timedelta(hourly["hr"], unit="h")).dt.strftime(
        "%Y-%m-%d %H:%M:%S")
    inside = hourly[(text >= start) & (text < end)]
    weekday = (inside["dteday"].dt.day_of_week + 1) % 7
    sums = inside.groupby(weekday)[["casual", "registered"]].sum()
    return pd.DataFrame({"weekday": sums.index.to_numpy(),
                         "casual_share": sums["casual"] / (sums["casual"] + sums["registered"])})


def _ask(function, connection, start, end, what):
    try:
        return function(connection, start, end)
    except NotImplementedError:
        raise                                    # the placeholder: "not attempted"
    except Exception as error:
        raise ExerciseFailed(
            f"Your function raised {type(error).__name__}: {error} for {what}. "
            + ("A quote in a value breaks SQL that was pasted together as text: pass start "
               "and end as parameters (`?` in the query, params=(start, end))."
               if "'" in start else "Test it in the notebook on `connection` first.")
        ) from None


@exercise("01.1", "Casual riders by weekday, with parameters")
def check_casual_share(casual_share_by_weekday):
    expect(callable(casual_share_by_weekday),
           "Write a function casual_share_by_weekday(connection, start, end).")
    hourly = _fresh_hourly(n_days=20, salt=3)
    days = hourly["dteday"].drop_duplicates().sort_values().dt.strftime("%Y-%m-%d").tolist()
    start, end = days[3], days[15]
    typed = f"{days[5]}' OR '1'='1"          # a date a user typed, with a quote in it
    cases = [(start, end, f"start={start!r}, end={end!r}"),
             (days[0], days[4], f"start={days[0]!r}, end={days[4]!r} (four days)"),
             (typed, end, f"start={typed!r}")]
    with tempfile.TemporaryDirectory() as folder:
        path = build_operations_database(hourly, Path(folder) / "ops.sqlite")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for low, high, what in cases:
                got = _ask(casual_share_by_weekday, connection, low, high, what)
                expected = _reference_shares(hourly, low, high)
                expect(isinstance(got, pd.DataFrame),
                       f"Return a pandas DataFrame; got {type(got).__name__}.")
                missing = {"weekday", "casual_share"} - set(got.columns)
                expect(not missing, f"The result lacks the column(s) {sorted(missing)}; name "
                       f"them with AS. Got columns {list(got.columns)}.")
                weekdays = pd.to_numeric(got["weekday"], errors="coerce").tolist()
                shares = pd.to_numeric(got["casual_share"], errors="coerce").to_numpy(float)
                same = (weekdays == expected["weekday"].tolist()
                        and np.allclose(shares, expected["casual_share"].to_numpy()))
                if "'" in low and not same:
                    raise ExerciseFailed(
                        f"For {what} your query counted other hours than it should: the quote "
                        "ended the SQL string and the rest of the value became SQL (an "
                        "injection). Pass start and end as parameters, never pasted into the "
                        "query text.")
                expect(weekdays == expected["weekday"].tolist(),
                       f"For {what} the weekdays should be {expected['weekday'].tolist()} in "
                       f"this order; got {weekdays}. Hint: strftime('%w', hour_start), GROUP BY "
                       "and ORDER BY it, and keep only start <= hour_start < end.")
                whole = expected["casual_share"].to_numpy()
                if len(shares) and np.all(shares == np.round(shares)) and \
                        not np.allclose(whole, np.round(whole)):
                    raise ExerciseFailed(
                        f"The shares are whole numbers ({shares[:3].tolist()}): SQLite divided "
                        "an integer by an integer. Multiply by 1.0 first.")
                expect_close(shares, expected["casual_share"].to_numpy(),
                             f"The casual shares for {what}",
                             "Hint: SUM of the casual rides (CASE WHEN c.code = 'casual' ...) "
                             "divided by SUM of all rides of that weekday; not an average of "
                             "hourly shares.")
        finally:
            connection.close()
    return ("Your function gives the casual share of each weekday on a fresh database, and a "
            "typed date with a quote in it stays a value.")


# -- 01.2 --------------------------------------------------------------------------------------

# Statuses whose answer is clear: a retry may succeed (True) or will fail the same way (False).
_RETRY = {429: True, 502: True, 503: True, 504: True,
          400: False, 401: False, 403: False, 404: False, 405: False, 410: False, 422: False}
# 408 Request Timeout and 500 Internal Server Error can be argued either way.


@exercise("01.2", "Which failures deserve a second try?")
def check_should_retry(should_retry):
    expect(callable(should_retry), "Write a function should_retry(status).")
    answers = {}
    for status in sorted({*_RETRY, 408, 500}):
        answer = should_retry(status)
        expect(isinstance(answer, (bool, np.bool_)),
               f"Return True or False; should_retry({status}) returned {answer!r}.")
        answers[status] = bool(answer)
    wrong = {status: answers[status] for status, right in _RETRY.items()
             if answers[status] != right}
    if wrong.get(429) is False:
        raise ExerciseFailed("429 Too Many Requests says: wait (Retry-After), then the same "
                             "request will be served. Retry it.")
    client = sorted(status for status in wrong if status < 500)
    expect(not client,
           f"You would retry {client}: the client made that mistake (a bad parameter, a wrong "
           "URL, a missing permission), and the same request fails the same way every time. "
           "Stop and report instead.")
    server = sorted(status for status in wrong if status >= 500)
    expect(not server,
           f"You would give up on {server}: a server that is restarting or overloaded (503) or "
           "a gateway that timed out (502, 504) usually recovers; try again later.")
    return ("Right on every clear case: retry 429, 502, 503 and 504, stop on the client's own "
            "mistakes.")


# -- 01.3 --------------------------------------------------------------------------------------


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


@exercise("01.3", "Fetch every page of the API")
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


# -- 01.4 --------------------------------------------------------------------------------------

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


@exercise("01.4", "Parse the holiday table")
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


# -- 01.5 --------------------------------------------------------------------------------------


def _fresh_trips(rng: np.random.Generator, n: int = 400) -> pd.DataFrame:
    """Trips of a few frequent riders and many occasional ones, at a few stations and hours."""
    riders = [f"{value:016x}" for value in rng.integers(0, 2**63, 60)]
    weights = np.r_[np.full(6, 8.0), np.ones(54)]           # six riders take many trips
    return pd.DataFrame({
        "rider": rng.choice(riders, n, p=weights / weights.sum()),
        "start_station": rng.choice(["Dupont Circle", "Union Station", "Eastern Market",
                                     "Navy Yard", "Foggy Bottom"], n, p=[.3, .3, .2, .15, .05]),
        "start_hour": rng.choice([6, 7, 8, 17, 18, 23], n, p=[.05, .2, .3, .25, .15, .05]),
    })


def _reference_publishable(trips: pd.DataFrame, by: list[str], k: int) -> pd.DataFrame:
    counts = trips.groupby(by, as_index=False).agg(trips=("rider", "size"),
                                                   riders=("rider", "nunique"))
    return counts[counts["riders"] >= k].sort_values(by).reset_index(drop=True)


@exercise("01.5", "Counts that are safe to publish")
def check_publishable_counts(publishable_counts):
    rng = rng_for()
    trips = _fresh_trips(rng)
    for by, k in ((["start_station", "start_hour"], 5), (["start_station"], 20),
                  (["start_hour"], 3)):
        got = call_unmutated(publishable_counts, trips, list(by), k, what="Your function")
        expect(isinstance(got, pd.DataFrame),
               f"Return a pandas DataFrame; got {type(got).__name__}.")
        expect("rider" not in got.columns,
               "The result still has the `rider` column: publish counts, never the pseudonyms.")
        missing = {*by, "trips", "riders"} - set(got.columns)
        expect(not missing, f"The result lacks the column(s) {sorted(missing)}.")
        got = got[[*by, "trips", "riders"]].sort_values(by).reset_index(drop=True)
        expected = _reference_publishable(trips, list(by), k)
        expect(got["riders"].min() >= k if len(got) else True,
               f"Grouping by {by} with k={k}, you publish a group of "
               f"{int(got['riders'].min())} rider(s): drop every group with fewer than k "
               "different riders.")
        by_trips = trips.groupby(by).size()
        if len(got) == int((by_trips >= k).sum()) and len(got) != len(expected):
            raise ExerciseFailed(
                f"Grouping by {by} with k={k}, you kept the groups with at least k *trips*. "
                "One rider who rides ten times is still one person: count different riders "
                "(nunique).")
        expect(len(got) == len(expected),
               f"Grouping by {by} with k={k}, {len(expected)} groups have at least {k} "
               f"different riders; your result has {len(got)}.")
        keys_ok = got[by].astype(str).equals(expected[by].astype(str))
        expect(keys_ok, f"Grouping by {by}, the published groups are not the right ones.")
        expect(np.array_equal(got["riders"].to_numpy(), expected["riders"].to_numpy()),
               "The `riders` column should count different riders in each group.")
        expect(np.array_equal(got["trips"].to_numpy(), expected["trips"].to_numpy()),
               "The `trips` column should count every trip of the group (size).")
    return ("Only groups of at least k different riders are published, with their trip and "
            "rider counts, no pseudonyms, and the trip log unchanged.")
