"""The one file two of the sources are built from: the hourly bike-sharing data, verified."""

from __future__ import annotations

import pandas as pd

from mlcourse.datasets._registry import REGISTRY, dataset_path


def hourly_source() -> tuple[pd.DataFrame, str]:
    """The verified hourly file, read, and its SHA-256 (from the registry, checked on read)."""
    path = dataset_path("bike_sharing_hour")
    return pd.read_csv(path, parse_dates=["dteday"]), REGISTRY["bike_sharing_hour"].sha256


def hour_start(hourly: pd.DataFrame) -> pd.Series:
    """Each row's hour as a timestamp: its day plus ``hr`` hours (local time)."""
    return hourly["dteday"] + pd.to_timedelta(hourly["hr"], unit="h")
