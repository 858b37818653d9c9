"""One loader per course dataset; each returns a fresh pandas DataFrame."""

from __future__ import annotations

import csv

import pandas as pd

from mlcourse.datasets._registry import dataset_path

ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
    "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
    "hours_per_week", "native_country", "income",
]  # fmt: skip

GERMAN_CREDIT_COLUMNS = [
    "checking_status", "duration_months", "credit_history", "purpose", "credit_amount",
    "savings", "employment_since", "installment_rate", "personal_status_sex", "other_debtors",
    "residence_since", "property", "age", "other_installment_plans", "housing",
    "existing_credits", "job", "people_liable", "telephone", "foreign_worker", "credit_risk",
]  # fmt: skip


def load_bike_sharing(freq: str = "hour") -> pd.DataFrame:
    """Capital Bikeshare rentals, Washington DC, 2011-2012 (UCI Bike Sharing).

    Parameters
    ----------
    freq : {"hour", "day"}
        ``"hour"``: 17,379 rows, one per hour; ``"day"``: 731 rows, one per day.

    Returns
    -------
    DataFrame
        The original columns, with ``dteday`` parsed as a date. ``cnt`` (rentals) is the usual
        target; ``temp``, ``atemp``, ``hum`` and ``windspeed`` are normalised as in the source.
    """
    if freq not in ("hour", "day"):
        raise ValueError(f"freq must be 'hour' or 'day', got {freq!r}.")
    path = dataset_path(f"bike_sharing_{freq}")
    return pd.read_csv(path, parse_dates=["dteday"])


def load_titanic() -> pd.DataFrame:
    """Passengers of the Titanic (891 rows, seaborn's version); ``survived`` is the target."""
    return pd.read_csv(dataset_path("titanic"))


def load_penguins() -> pd.DataFrame:
    """Palmer Archipelago penguins (344 rows, 3 species); has missing values."""
    return pd.read_csv(dataset_path("penguins"))


def load_taxis() -> pd.DataFrame:
    """NYC taxi trips, March 2019 (6,433 rows, seaborn's sample); times parsed."""
    return pd.read_csv(dataset_path("taxis"), parse_dates=["pickup", "dropoff"])


def load_mpg() -> pd.DataFrame:
    """Auto MPG (398 cars, 1970-1982); ``horsepower`` has missing values."""
    return pd.read_csv(dataset_path("mpg"))


def load_adult(split: str = "train") -> pd.DataFrame:
    """Adult census income (UCI): ``income`` is ``">50K"`` or ``"<=50K"``.

    Parameters
    ----------
    split : {"train", "test"}
        ``"train"``: adult.data, 32,561 rows; ``"test"``: adult.test, 16,281 rows (its trailing
        dots on the labels are removed so both splits share one set of labels).

    Missing values, written ``?`` in the source, become NaN; surrounding spaces are removed.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    path = dataset_path(f"adult_{split}")
    frame = pd.read_csv(
        path,
        header=None,
        names=ADULT_COLUMNS,
        skipinitialspace=True,
        na_values="?",
        skiprows=1 if split == "test" else 0,
        skip_blank_lines=True,
    )
    frame["income"] = frame["income"].str.rstrip(".")
    return frame


def load_california_housing() -> pd.DataFrame:
    """California housing, 1990 census block groups (20,640 rows, the Hands-On ML version).

    ``median_house_value`` is the usual target; 207 ``total_bedrooms`` are missing.
    """
    return pd.read_csv(dataset_path("california_housing"))


def load_sms_spam() -> pd.DataFrame:
    """SMS Spam Collection v.1 (5,574 messages): columns ``label`` (ham/spam) and ``text``."""
    return pd.read_csv(
        dataset_path("sms_spam"),
        sep="\t",
        header=None,
        names=["label", "text"],
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )


def load_german_credit() -> pd.DataFrame:
    """Statlog German credit (1,000 applicants): ``credit_risk`` is 1 (good) or 2 (bad).

    The categorical columns keep the source's codes (``A11``, ...); ``datasets/german_credit/
    german.doc`` explains them.
    """
    return pd.read_csv(
        dataset_path("german_credit"), sep=" ", header=None, names=GERMAN_CREDIT_COLUMNS
    )
