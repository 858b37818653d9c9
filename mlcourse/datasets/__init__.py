"""The course's data: checksum-verified loaders for ``datasets/`` and generators of messy data.

Every file the course uses sits in the repository's ``datasets/`` folder and is listed, with
its source, licence and SHA-256, in ``datasets/README.md``. A loader reads one file, checks its
checksum first, and says exactly what is wrong when the file is missing or altered. Nothing is
downloaded.
"""

from mlcourse.datasets._registry import (
    REGISTRY,
    DatasetError,
    cache_dir,
    data_dir,
    dataset_path,
    file_sha256,
    verify_all,
)
from mlcourse.datasets.bikeshare import (
    WeatherAPI,
    fetch_weather,
    holidays_page_path,
    operations_database,
    read_holidays,
)
from mlcourse.datasets.loaders import (
    load_adult,
    load_bike_sharing,
    load_california_housing,
    load_german_credit,
    load_mpg,
    load_penguins,
    load_sms_spam,
    load_taxis,
    load_titanic,
)

__all__ = [
    "REGISTRY",
    "DatasetError",
    "cache_dir",
    "data_dir",
    "dataset_path",
    "file_sha256",
    "verify_all",
    "load_adult",
    "load_bike_sharing",
    "load_california_housing",
    "load_german_credit",
    "load_mpg",
    "load_penguins",
    "load_sms_spam",
    "load_taxis",
    "load_titanic",
    "operations_database",
    "WeatherAPI",
    "holidays_page_path",
    "fetch_weather",
    "read_holidays",
]
