"""The bike-share case study's sources: the SQLite database, the weather API and the holiday
page. (The checkers of notebook 01 that use them are tested in test_checkers_nb01.py.)"""

from __future__ import annotations

import shutil
import sqlite3
import time

import numpy as np
import pandas as pd
import pytest
import requests

from mlcourse import datasets
from mlcourse.datasets import (
    DatasetError,
    WeatherAPI,
    fetch_weather,
    holidays_page_path,
    operations_database,
    read_holidays,
)
from mlcourse.datasets.bikeshare import WEATHER_COLUMNS, file_sha256

HOURLY_SQL = """
    SELECT r.hour_start,
           SUM(CASE WHEN c.code = 'casual' THEN r.rides ELSE 0 END)     AS casual,
           SUM(CASE WHEN c.code = 'registered' THEN r.rides ELSE 0 END) AS registered
    FROM rides_hourly AS r JOIN customer_types AS c ON c.type_id = r.type_id
    GROUP BY r.hour_start ORDER BY r.hour_start
"""


@pytest.fixture(scope="module")
def hourly():
    return datasets.load_bike_sharing("hour")


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOURSE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


# -- the operations database -----------------------------------------------------------------


def test_database_is_built_in_the_cache_and_is_deterministic(own_cache, tmp_path, monkeypatch):
    first = operations_database()
    assert first.parent == own_cache and first.is_file()
    checksum = file_sha256(first)
    monkeypatch.setenv("MLCOURSE_CACHE_DIR", str(tmp_path / "elsewhere"))
    second = operations_database()
    assert second != first
    assert file_sha256(second) == checksum, "two builds from the same data must be identical"
    assert file_sha256(operations_database(rebuild=True)) == checksum


def test_database_matches_the_csv(own_cache, hourly):
    with sqlite3.connect(operations_database()) as connection:
        rides = pd.read_sql_query(HOURLY_SQL, connection)
        totals = dict(connection.execute(
            "SELECT c.code, SUM(r.rides) FROM rides_hourly r JOIN customer_types c "
            "USING (type_id) GROUP BY c.code").fetchall())
        zero_rows = connection.execute("SELECT COUNT(*) FROM rides_hourly WHERE rides <= 0")
        assert zero_rows.fetchone()[0] == 0
        info = dict(connection.execute("SELECT key, value FROM build_info").fetchall())
    assert totals == {"casual": hourly["casual"].sum(), "registered": hourly["registered"].sum()}
    assert sum(totals.values()) == 3_292_679
    stamps = hourly["dteday"] + pd.to_timedelta(hourly["hr"], unit="h")
    assert list(pd.to_datetime(rides["hour_start"])) == list(stamps)
    np.testing.assert_array_equal(rides["casual"], hourly["casual"])
    np.testing.assert_array_equal(rides["registered"], hourly["registered"])
    assert info["source_sha256"] == datasets.REGISTRY["bike_sharing_hour"].sha256


def test_database_is_rebuilt_when_its_recorded_source_differs(own_cache):
    path = operations_database()
    checksum = file_sha256(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE build_info SET value = 'stale' WHERE key = 'source_sha256'")
        connection.execute("DELETE FROM rides_hourly WHERE hour_start < '2011-02-01'")
    connection.close()
    assert file_sha256(path) != checksum
    assert file_sha256(operations_database()) == checksum


def test_database_is_rebuilt_when_damaged_and_kept_when_current(own_cache):
    path = operations_database()
    checksum, modified = file_sha256(path), path.stat().st_mtime_ns
    time.sleep(0.01)
    assert operations_database() == path and path.stat().st_mtime_ns == modified
    path.write_bytes(b"this is not a database")
    assert file_sha256(operations_database()) == checksum
    assert not list(own_cache.glob("*.tmp")), "no temporary file may be left behind"


# -- the weather API -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api():
    with WeatherAPI() as server:
        yield server


def get(api, path="/v1/weather", **params):
    return requests.get(f"{api.url}{path}", params=params, timeout=5)


def test_api_serves_json_pages_that_chain_with_next(api, hourly):
    first = get(api, start="2012-06-01", end="2012-06-03", per_page=30)
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("application/json")
    body = first.json()
    day = hourly["dteday"].between("2012-06-01", "2012-06-03")
    assert body["total"] == day.sum() == 72 and body["pages"] == 3 and body["page"] == 1
    assert len(body["data"]) == 30
    records, url = list(body["data"]), body["next"]
    assert first.links["next"]["url"] == url
    while url:
        page = requests.get(url, timeout=5).json()
        records += page["data"]
        url = page["next"]
    assert page["page"] == 3 and len(page["data"]) == 12
    frame = pd.DataFrame(records)
    assert list(frame.columns) == ["timestamp", *WEATHER_COLUMNS]
    expected = hourly.loc[day, WEATHER_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(frame[WEATHER_COLUMNS], expected)
    beyond = get(api, start="2012-06-01", end="2012-06-03", per_page=30, page=9).json()
    assert beyond["data"] == [] and beyond["next"] is None


def test_fetch_weather_returns_every_hour_exactly(api, hourly):
    weather = fetch_weather(api.url)
    assert len(weather) == len(hourly) == 17_379
    stamps = hourly["dteday"] + pd.to_timedelta(hourly["hr"], unit="h")
    assert list(weather["timestamp"]) == list(stamps)
    pd.testing.assert_frame_equal(weather[WEATHER_COLUMNS], hourly[WEATHER_COLUMNS])


@pytest.mark.parametrize("params, words", [
    ({"start": "2011-13-01"}, "start='2011-13-01' is not a valid date"),
    ({"end": "2011-02-30"}, "end='2011-02-30' is not a valid date"),
    ({"start": "1/2/2011"}, "use YYYY-MM-DD"),
    ({"start": "2012-02-01", "end": "2012-01-01"}, "is after end"),
    ({"page": "0"}, "page='0' must be a whole number"),
    ({"per_page": "5000"}, "too large; the most is 1000"),
    ({"perpage": "10"}, "unknown parameter(s) perpage"),
    ({"page": "1234567890"}, "page=1234567890 is too large; it must have at most 9 digits"),
])
def test_api_rejects_bad_requests_with_a_json_400(api, params, words):
    response = get(api, **params)
    assert response.status_code == 400
    with pytest.raises(requests.HTTPError):
        response.raise_for_status()
    error = response.json()["error"]
    assert error["status"] == 400 and words in error["message"]


def test_api_unknown_path_and_method_are_json_errors(api):
    response = get(api, "/v2/forecast")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("no such endpoint: /v2/forecast")
    for method in ("POST", "DELETE", "OPTIONS"):
        response = requests.request(method, f"{api.url}/v1/weather", timeout=5)
        assert response.status_code == 405 and response.headers["Allow"] == "GET"
        assert response.headers["Content-Type"].startswith("application/json")
        assert f"method {method} is not allowed" in response.json()["error"]["message"]
    head = requests.head(f"{api.url}/v1/weather", timeout=5)  # a HEAD answer has no body
    assert head.status_code == 405 and head.headers["Allow"] == "GET"
    assert get(api, "/").json()["endpoints"]


def test_fetch_weather_passes_on_the_servers_explanation(api):
    with pytest.raises(requests.HTTPError, match=r"400 .*start \(2012-02-01\) is after end"):
        fetch_weather(api.url, start="2012-02-01", end="2012-01-01")


def test_a_data_file_replaced_by_a_folder_is_named_as_such(tmp_path, monkeypatch):
    shutil.copytree(datasets.data_dir() / "bike_sharing", tmp_path / "bike_sharing")
    monkeypatch.setenv("MLCOURSE_DATA_DIR", str(tmp_path))
    page = tmp_path / "bike_sharing" / "holidays_2011_2012.html"
    page.unlink()
    page.mkdir()
    with pytest.raises(DatasetError, match="is a folder"):
        holidays_page_path()


def test_api_rate_limit_answers_429_with_retry_after():
    with WeatherAPI(rate_limit=2, window=60) as api:
        assert [get(api, per_page=1).status_code for _ in range(2)] == [200, 200]
        refused = get(api, per_page=1)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "rate limit of 2 requests per 60 s" in refused.json()["error"]["message"]
        assert [status for _, _, status in api.log] == [200, 200, 429]


def test_fetch_weather_waits_and_retries_after_a_429(hourly):
    with WeatherAPI(rate_limit=3, window=1.0) as api:
        weather = fetch_weather(api.url, "2011-03-01", "2011-03-05", per_page=20)
        statuses = [status for _, _, status in api.log]
    expected = hourly[hourly["dteday"].between("2011-03-01", "2011-03-05")]
    assert len(weather) == len(expected) and 429 in statuses
    assert statuses.count(200) == -(-len(expected) // 20)
    np.testing.assert_array_equal(weather["temp"], expected["temp"])


def test_api_serves_other_data_and_shuts_down():
    weather = pd.DataFrame({"timestamp": pd.date_range("2020-01-01", periods=5, freq="h"),
                            "weathersit": [1, 2, 3, 4, 1], "temp": 0.5, "atemp": 0.4,
                            "hum": 0.3, "windspeed": 0.2})
    api = WeatherAPI(weather)
    with pytest.raises(RuntimeError, match="not running"):
        _ = api.url
    with api:
        url = api.url
        assert url.startswith("http://127.0.0.1:")
        assert get(api).json()["total"] == 5
    assert not api.running
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/v1/weather", timeout=2)
    api.stop()  # a second stop is harmless
    with pytest.raises(ValueError, match="windspeed"):
        WeatherAPI(weather.drop(columns="windspeed")).start()


# -- the holiday page ------------------------------------------------------------------------


def test_holiday_page_is_registered_and_verified():
    path = holidays_page_path()
    assert path.name == "holidays_2011_2012.html"
    assert file_sha256(path) == datasets.REGISTRY["bike_sharing_holidays"].sha256
    assert len(read_holidays()) == datasets.REGISTRY["bike_sharing_holidays"].rows == 22


def test_altered_holiday_page_is_refused(tmp_path, monkeypatch):
    shutil.copytree(datasets.data_dir() / "bike_sharing", tmp_path / "bike_sharing")
    monkeypatch.setenv("MLCOURSE_DATA_DIR", str(tmp_path))
    page = tmp_path / "bike_sharing" / "holidays_2011_2012.html"
    page.write_text(page.read_text(encoding="utf-8").replace("2012-12-25", "2012-12-24"))
    with pytest.raises(DatasetError, match="altered"):
        holidays_page_path()


def test_scraped_holidays_match_the_data(hourly):
    holidays = read_holidays()
    assert holidays["date"].dt.year.value_counts().to_dict() == {2011: 11, 2012: 11}
    in_data = set(hourly.loc[hourly["holiday"] == 1, "dteday"])
    days_off = set(holidays["day_off"])
    # The data marks the days off; the only one it lacks is before its first day.
    assert in_data == {day for day in days_off if day >= pd.Timestamp("2011-01-01")}
    assert days_off - in_data == {pd.Timestamp("2010-12-31")}
    assert (holidays["day_off"].dt.day_of_week < 5).all()
    moved = holidays[holidays["date"] != holidays["day_off"]]
    assert (moved["date"].dt.day_of_week >= 5).all() and len(moved) == 5
