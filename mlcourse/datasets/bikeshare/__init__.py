"""The bike-share case study's three data sources, made real and local.

The operator's hourly data (UCI Bike Sharing, 2011-2012) reaches the course the way data reaches
an engineer at work, from three systems, one module each:

1. ride counts in an **operations database** (SQLite), :func:`operations_database`
   (:mod:`.database`);
2. weather from a **JSON REST API**, served on 127.0.0.1 by :class:`WeatherAPI` and read by
   :func:`fetch_weather` (:mod:`.weather`);
3. public holidays on an **HTML page**, :func:`holidays_page_path` and :func:`read_holidays`
   (:mod:`.holidays`).

All three are built from ``datasets/bike_sharing/`` on this machine; nothing leaves it.
Notebook 01 assembles them into one hourly table. See notebooks/01_data_collection.ipynb.
"""

from mlcourse.datasets._registry import file_sha256
from mlcourse.datasets.bikeshare.database import (
    DATABASE_FILE,
    SCHEMA_VERSION,
    build_operations_database,
    operations_database,
)
from mlcourse.datasets.bikeshare.holidays import holidays_page_path, read_holidays
from mlcourse.datasets.bikeshare.weather import WEATHER_COLUMNS, WeatherAPI, fetch_weather

__all__ = [
    "DATABASE_FILE",
    "SCHEMA_VERSION",
    "WEATHER_COLUMNS",
    "WeatherAPI",
    "build_operations_database",
    "fetch_weather",
    "file_sha256",
    "holidays_page_path",
    "operations_database",
    "read_holidays",
]
