"""Source 1 of the bike-share case study: the operator's **operations database** (SQLite).

Ride counts per hour and customer type, as an operations system would keep them, built on
this machine from ``datasets/bike_sharing/hour.csv.gz`` into the course cache. Notebook 01
reads it with SQL. See notebooks/01_data_collection.ipynb.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pandas as pd

from mlcourse.datasets._registry import REGISTRY, cache_dir
from mlcourse.datasets.bikeshare._hourly import hour_start, hourly_source

__all__ = [
    "CUSTOMER_TYPES",
    "DATABASE_FILE",
    "SCHEMA",
    "SCHEMA_VERSION",
    "build_operations_database",
    "operations_database",
]

DATABASE_FILE = "bike_share_operations.sqlite"
SCHEMA_VERSION = "1"
CUSTOMER_TYPES = [
    (1, "casual", "Pay-as-you-go rider: single trip, day or three-day pass"),
    (2, "registered", "Member with an annual, monthly or 30-day pass"),
]

SCHEMA = """
CREATE TABLE customer_types (
    type_id     INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL
);
CREATE TABLE rides_hourly (
    hour_start  TEXT    NOT NULL,  -- local time (Washington DC), 'YYYY-MM-DD HH:MM:SS'
    type_id     INTEGER NOT NULL REFERENCES customer_types (type_id),
    rides       INTEGER NOT NULL CHECK (rides > 0),
    PRIMARY KEY (hour_start, type_id)
) WITHOUT ROWID;
CREATE TABLE build_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def build_operations_database(
    hourly: pd.DataFrame, path: str | os.PathLike, *, source_sha256: str = "unknown"
) -> Path:
    """Write the operations database for an hourly table with ``dteday, hr, casual, registered``.

    The database holds one row per hour and customer type with at least one ride (an hour with
    no casual rider has no ``casual`` row, as when counts are aggregated from a trip log). Rows
    are inserted in a fixed order into a fresh file, so the same table always gives the same
    bytes. The file is written beside ``path`` and moved into place in one step, so a reader
    never sees half a database.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    stamps = hour_start(hourly).dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
    counts = [hourly[code].tolist() for _, code, _ in CUSTOMER_TYPES]
    type_ids = [type_id for type_id, _, _ in CUSTOMER_TYPES]
    rows = [
        (stamp, type_id, int(rides))
        for stamp, *hour_counts in zip(stamps, *counts, strict=True)
        for type_id, rides in zip(type_ids, hour_counts, strict=True)
        if rides > 0
    ]
    rows.sort()  # fixed order: the same table always gives the same bytes
    info = {
        "schema_version": SCHEMA_VERSION,
        "source_file": REGISTRY["bike_sharing_hour"].path,
        "source_sha256": source_sha256,
        "rides_hourly_rows": str(len(rows)),
    }

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # sqlite must create the file itself
        connection = sqlite3.connect(tmp)
        try:
            connection.executescript(SCHEMA)
            connection.executemany("INSERT INTO customer_types VALUES (?, ?, ?)", CUSTOMER_TYPES)
            connection.executemany("INSERT INTO rides_hourly VALUES (?, ?, ?)", rows)
            connection.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(info.items()))
            connection.commit()
        finally:
            connection.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _recorded_source(path: Path) -> tuple[str | None, str | None]:
    """(source_sha256, schema_version) recorded in an existing database, or Nones."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            info = dict(connection.execute("SELECT key, value FROM build_info").fetchall())
        finally:
            connection.close()
    except sqlite3.Error:  # missing, truncated or not a database: rebuild
        return None, None
    return info.get("source_sha256"), info.get("schema_version")


def operations_database(*, rebuild: bool = False) -> Path:
    """Path of the bike-share operations database (SQLite), built on first use.

    The file lives in :func:`~mlcourse.datasets.cache_dir`. It is rebuilt when it is missing,
    unreadable, or records a source checksum or schema version other than the current ones.

    Tables: ``customer_types(type_id, code, description)``;
    ``rides_hourly(hour_start, type_id, rides)``, one row per hour and customer type with
    ``rides > 0``; ``build_info(key, value)``, where the data came from.

    Parameters
    ----------
    rebuild : bool
        Rebuild even if the file looks current.
    """
    path = cache_dir() / DATABASE_FILE
    expected = REGISTRY["bike_sharing_hour"].sha256
    if rebuild or _recorded_source(path) != (expected, SCHEMA_VERSION):
        hourly, sha256 = hourly_source()
        build_operations_database(hourly, path, source_sha256=sha256)
    return path

