"""Source 2 of the bike-share case study: a **JSON REST API** for the weather.

:class:`WeatherAPI` serves the hourly weather on ``127.0.0.1`` the way a public API would:
paginated, with ``next`` links, JSON errors and a rate limit. :func:`fetch_weather` is the
client a data engineer writes for it: follow the pages, wait when told to, fail loudly.
See notebooks/01_data_collection.ipynb.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd

if TYPE_CHECKING:
    import requests

from mlcourse.datasets.bikeshare._hourly import hour_start, hourly_source

__all__ = ["DEFAULT_PER_PAGE", "WEATHER_COLUMNS", "WeatherAPI", "fetch_weather"]

WEATHER_COLUMNS = ["weathersit", "temp", "atemp", "hum", "windspeed"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAMETERS = ("start", "end", "page", "per_page")
DEFAULT_PER_PAGE = 100


class _BadRequest(ValueError):
    """A request parameter is invalid: answered with 400 and this message."""


def _weather_records(weather: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Each hour's date string (for range look-ups) and its JSON-ready record, in time order."""
    weather = weather.sort_values("timestamp", kind="stable")
    stamps = pd.to_datetime(weather["timestamp"]).dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()
    # Plain Python numbers (tolist) serialise exactly and quickly.
    columns = [weather["weathersit"].astype(int).tolist()]
    columns += [weather[c].astype(float).tolist() for c in WEATHER_COLUMNS[1:]]
    names = ["timestamp", *WEATHER_COLUMNS]
    records = [dict(zip(names, row, strict=True)) for row in zip(stamps, *columns, strict=True)]
    return [stamp[:10] for stamp in stamps], records


def _default_weather() -> pd.DataFrame:
    hourly, _ = hourly_source()
    columns = {c: hourly[c] for c in WEATHER_COLUMNS}
    return pd.DataFrame({"timestamp": hour_start(hourly), **columns})


class WeatherAPI:
    """A small JSON weather service on ``127.0.0.1``, for the bike-share case study.

    ``GET /v1/weather?start=YYYY-MM-DD&end=YYYY-MM-DD&page=1&per_page=500`` answers
    ``{"data": [...], "page", "per_page", "total", "pages", "next"}``: the hours from ``start``
    to ``end`` (both included; default: all), one page at a time (``per_page`` defaults to
    100), each record holding ``timestamp`` and the weather columns (``weathersit``, ``temp``,
    ``atemp``, ``hum``, ``windspeed``, normalised as in the source). ``next`` is the full URL
    of the next page, or ``null`` on the last one (also given as a ``Link: <...>; rel="next"``
    header). A page past the end is empty. ``GET /`` describes the service.

    Errors are JSON, ``{"error": {"status": ..., "message": ...}}``: 400 for a bad parameter
    (unknown name, a date that is not ``YYYY-MM-DD``, ``start`` after ``end``, ``page < 1``,
    ``per_page`` outside 1..``max_per_page``), 404 for an unknown path, 405 for a method other
    than GET, and 429 with a ``Retry-After`` header (seconds) when more than ``rate_limit``
    requests arrive within one window of ``window`` seconds.

    Parameters
    ----------
    weather : DataFrame, optional
        Columns ``timestamp`` and the weather columns; by default the hourly bike-sharing data.
    max_per_page : int
        Largest page a client may ask for.
    rate_limit : int or None
        Requests allowed per window; ``None`` means no limit.
    window : float
        Length of a rate-limit window, in seconds.

    Examples
    --------
    >>> with WeatherAPI() as api:                                  # doctest: +SKIP
    ...     requests.get(f"{api.url}/v1/weather", params={"start": "2011-01-01"}, timeout=5)

    See notebooks/01_data_collection.ipynb.
    """

    def __init__(self, weather: pd.DataFrame | None = None, *, max_per_page: int = 1000,
                 rate_limit: int | None = None, window: float = 1.0):
        self.weather = weather
        self.max_per_page = max_per_page
        self.rate_limit = rate_limit
        self.window = window
        self.log: list[tuple[str, str, int]] = []  # (method, path with query, status)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._window_count = 0

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:51234`` (only while running)."""
        if self._server is None:
            raise RuntimeError("The weather API is not running: call start() or use `with`.")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def running(self) -> bool:
        """Whether the service is listening."""
        return self._server is not None

    def start(self) -> WeatherAPI:
        """Bind a free port on 127.0.0.1 and serve from a background thread; returns self."""
        if self._server is not None:
            return self
        weather = _default_weather() if self.weather is None else self.weather
        missing = {"timestamp", *WEATHER_COLUMNS} - set(weather.columns)
        if missing:
            raise ValueError(f"weather lacks the column(s) {sorted(missing)}.")
        self._days, self._records = _weather_records(weather)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name="mlcourse-weather-api", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (safe to call twice)."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> WeatherAPI:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"WeatherAPI({where}, rate_limit={self.rate_limit}, window={self.window})"

    # -- request handling (called from the server's threads) ----------------------------------
    def _admit(self) -> float:
        """0 if the request may proceed, otherwise the seconds until the window resets."""
        if self.rate_limit is None:
            return 0.0
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= self.window:
                self._window_start, self._window_count = now, 0
            if self._window_count >= self.rate_limit:
                return self._window_start + self.window - now
            self._window_count += 1
            return 0.0

    def _page(self, query: str) -> dict:
        params = _parse_query(query, self.max_per_page)
        lo = 0 if params["start"] is None else _bisect(self._days, params["start"], left=True)
        hi = len(self._days) if params["end"] is None else _bisect(self._days, params["end"])
        total = max(hi - lo, 0)
        page, per_page = params["page"], params["per_page"]
        pages = math.ceil(total / per_page)
        first = lo + (page - 1) * per_page
        data = self._records[first:min(first + per_page, hi)] if page <= pages else []
        next_url = None
        if page < pages:
            following = {k: v for k, v in params.items() if v is not None}
            following["page"] = page + 1
            next_url = f"{self.url}/v1/weather?{urlencode(following)}"
        return {"data": data, "page": page, "per_page": per_page, "total": total,
                "pages": pages, "next": next_url}

    def _index(self) -> dict:
        return {
            "service": "bike-share weather API",
            "endpoints": {
                "/v1/weather": "hourly weather; parameters start, end (YYYY-MM-DD, inclusive), "
                               f"page (from 1), per_page (1..{self.max_per_page})",
            },
            "rate_limit": None if self.rate_limit is None
            else f"{self.rate_limit} requests per {self.window:g} s",
        }


def _bisect(days: list[str], day: str, *, left: bool = False) -> int:
    """Index of the first hour after ``day`` (or the first hour of ``day`` if ``left``)."""
    return bisect.bisect_left(days, day) if left else bisect.bisect_right(days, day)


def _parse_query(query: str, max_per_page: int) -> dict:
    """Validated parameters of a /v1/weather request, or _BadRequest naming the problem."""
    raw = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(raw) - set(_PARAMETERS))
    if unknown:
        raise _BadRequest(
            f"unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(_PARAMETERS)}."
        )
    for name, values in raw.items():
        if len(values) > 1:
            raise _BadRequest(f"parameter {name} is given {len(values)} times; give it once.")
    params = {name: values[0] for name, values in raw.items()}
    for name in ("start", "end"):
        value = params.get(name)
        if value is None:
            params[name] = None
            continue
        try:
            if not _DATE.match(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise _BadRequest(f"{name}={value!r} is not a valid date; use YYYY-MM-DD.") from None
    if params["start"] and params["end"] and params["start"] > params["end"]:
        raise _BadRequest(f"start ({params['start']}) is after end ({params['end']}).")
    params["page"] = _positive_int(params.get("page", "1"), "page", None)
    default = str(min(DEFAULT_PER_PAGE, max_per_page))
    params["per_page"] = _positive_int(params.get("per_page", default), "per_page", max_per_page)
    return {name: params[name] for name in _PARAMETERS}


def _positive_int(value: str, name: str, largest: int | None) -> int:
    if not re.fullmatch(r"\d+", value) or int(value) < 1:
        raise _BadRequest(f"{name}={value!r} must be a whole number of at least 1.")
    if len(value.lstrip("0")) > 9:  # a page this far out would only make the server count
        raise _BadRequest(f"{name}={value} is too large; it must have at most 9 digits.")
    if largest is not None and int(value) > largest:
        raise _BadRequest(f"{name}={value} is too large; the most is {largest}.")
    return int(value)


class _WeatherHandler(BaseHTTPRequestHandler):
    """Answers the HTTP requests of one :class:`WeatherAPI`: GET only, JSON out."""

    server_version = "BikeShareWeather/1.0"
    api: WeatherAPI  # the instance it answers for, set by _handler_for

    def do_GET(self) -> None:  # noqa: N802 (the name http.server expects)
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") not in ("", "/v1/weather"):
            self._error(404, f"no such endpoint: {parts.path}. The weather is at /v1/weather.")
            return
        wait = self.api._admit()
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            self._error(
                429,
                f"rate limit of {self.api.rate_limit} requests per {self.api.window:g} s exceeded; "
                f"retry after {seconds} s.",
                headers={"Retry-After": str(seconds)},
            )
            return
        if parts.path.rstrip("/") == "":
            self._send(200, self.api._index())
            return
        try:
            body = self.api._page(parts.query)
        except _BadRequest as problem:
            self._error(400, str(problem))
            return
        headers = {"Link": f'<{body["next"]}>; rel="next"'} if body["next"] else {}
        self._send(200, body, headers)

    def _refuse_method(self) -> None:
        self._error(405, f"method {self.command} is not allowed; this API is read-only (GET).",
                    headers={"Allow": "GET"})

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _refuse_method

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        self._send(status, {"error": {"status": status, "message": message}}, headers)

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        payload = json.dumps(body, separators=(",", ":")).encode()
        # Log before answering: a client that reads the log right after its response
        # must find its request there.
        self.api.log.append((self.command, self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the notebook's output clean


def _handler_for(api: WeatherAPI) -> type[BaseHTTPRequestHandler]:
    """A request-handler class bound to one WeatherAPI instance."""
    return type("Handler", (_WeatherHandler,), {"api": api})


def _server_message(response: requests.Response) -> str:
    """The explanation a WeatherAPI error carries in its JSON body, or the raw reason."""
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.reason or "no explanation given"


def fetch_weather(url: str, start: str | None = None, end: str | None = None, *,
                  per_page: int = 1000, session: requests.Session | None = None,
                  timeout: float = 5.0, max_retries: int = 5) -> pd.DataFrame:
    """Every hour of weather between ``start`` and ``end`` from a :class:`WeatherAPI`.

    Follows the ``next`` links page by page; on 429 waits the ``Retry-After`` seconds and tries
    again (at most ``max_retries`` times in a row); any other error status raises
    ``requests.HTTPError`` with the server's own explanation in its message.

    Returns
    -------
    DataFrame
        ``timestamp`` (datetime64) and the weather columns, in time order.
    """
    import requests

    session = session or requests.Session()
    next_url = f"{url.rstrip('/')}/v1/weather"
    params = {k: v for k, v in {"start": start, "end": end, "per_page": per_page}.items() if v}
    records: list[dict] = []
    while next_url:
        for _ in range(max_retries + 1):
            response = session.get(next_url, params=params, timeout=timeout)
            if response.status_code != 429:
                break
            time.sleep(float(response.headers.get("Retry-After", 1)))
        if response.status_code >= 400:
            raise requests.HTTPError(
                f"{response.status_code} from {response.url}: {_server_message(response)}",
                response=response)
        payload = response.json()
        records.extend(payload["data"])
        next_url, params = payload["next"], None  # the next link carries the parameters
    frame = pd.DataFrame(records, columns=["timestamp", *WEATHER_COLUMNS])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame
