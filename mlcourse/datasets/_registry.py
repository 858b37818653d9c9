"""Where the data files are, what their checksums must be, and how to check them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from mlcourse._machinery.environment import course_root


class DatasetError(RuntimeError):
    """A data file is missing or is not the file the course was written for."""


@dataclass(frozen=True)
class DataFile:
    """One file in ``datasets/``: its path there, SHA-256 and number of data rows."""

    path: str
    sha256: str
    rows: int | None


# Checksums of the files as stored in datasets/ (large CSVs are gzip-compressed with
# ``gzip -n -9`` so the compressed bytes are reproducible). datasets/README.md lists them too.
REGISTRY: dict[str, DataFile] = {
    "bike_sharing_hour": DataFile(
        "bike_sharing/hour.csv.gz",
        "e2b01cdf412dbe19f34b3024c576b8102fd72f87462b063d674a3b194df2fc01",
        17379,
    ),
    "bike_sharing_holidays": DataFile(
        "bike_sharing/holidays_2011_2012.html",
        "21526d3467cc92c6f396e40b38356dc5819dbd299c219ad6e5bb3cca30896ec5",
        22,
    ),
    "bike_sharing_day": DataFile(
        "bike_sharing/day.csv",
        "a6bcf826782d3c0fbfdcbeead17cd0884185a0dafe8ff10cd48a874ee7ba18be",
        731,
    ),
    "titanic": DataFile(
        "seaborn/titanic.csv",
        "81787d320d7f7b03df935e91de8bd19e11d45c5bbcab86ef4d4a76dc91b7d4f2",
        891,
    ),
    "penguins": DataFile(
        "seaborn/penguins.csv",
        "e07636bd8af74260099ea2f8678e2eabbf35def579940cc76f67061ee16c06c1",
        344,
    ),
    "taxis": DataFile(
        "seaborn/taxis.csv.gz",
        "8a12613cf15cbd5abb973e6c7729f8383fff6c71822e75e38c65cc9c55561d15",
        6433,
    ),
    "mpg": DataFile(
        "seaborn/mpg.csv",
        "c14b8b855ea7ee86cb9736bf8caaf281c4685ca08826f3eb2acaccaaf40f0d5a",
        398,
    ),
    "adult_train": DataFile(
        "adult/adult.data.gz",
        "c7a2b4716a97f930123e0baf879188d701e798172631a654fc703d4b082907f3",
        32561,
    ),
    "adult_test": DataFile(
        "adult/adult.test.gz",
        "8a2c1bffa6e7ce5abfa43881ae5e87c4311ebc2b3cd526c9c40a43f19f06f799",
        16281,
    ),
    "california_housing": DataFile(
        "california_housing/housing.csv.gz",
        "172bf1252dec04c4e3179b95aa7ef7626adeb0a4ef3addd40b9c2510dfbd7585",
        20640,
    ),
    "sms_spam": DataFile(
        "sms_spam_collection/SMSSpamCollection.gz",
        "8fd20918904042e5104c4d5d22642f1332b0bc670c55df3a8688a1ea7b2e9e8d",
        5574,
    ),
    "german_credit": DataFile(
        "german_credit/german.data",
        "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871",
        1000,
    ),
}


def data_dir() -> Path:
    """The folder holding the course's data files.

    ``$MLCOURSE_DATA_DIR`` if set, otherwise ``datasets/`` at the top of the course repository.
    """
    env = os.environ.get("MLCOURSE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return course_root() / "datasets"


def cache_dir() -> Path:
    """A writable folder for artefacts the course rebuilds on demand (e.g. the SQLite database).

    ``$MLCOURSE_CACHE_DIR`` if set, otherwise ``~/.cache/mlcourse``. Created if missing.
    """
    env = os.environ.get("MLCOURSE_CACHE_DIR")
    folder = Path(env).expanduser() if env else Path.home() / ".cache" / "mlcourse"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise NotADirectoryError(
            f"The course cache {folder} is not a folder (a file is in the way). Set "
            "MLCOURSE_CACHE_DIR to a folder you can write to, or move that file away."
        ) from error
    except PermissionError as error:
        raise PermissionError(
            f"The course cache {folder} cannot be created ({error.strerror}). Set "
            "MLCOURSE_CACHE_DIR to a folder you can write to."
        ) from error
    return folder


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, as 64 hexadecimal digits.

    What the registry records for each data file, what provenance records and model
    manifests store: read in blocks of 1 MiB, so a large file never sits in memory whole.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_path(name: str, *, verify: bool = True) -> Path:
    """Path of a registered data file, after checking that it exists and is unaltered.

    Raises
    ------
    DatasetError
        If ``name`` is unknown, the file is missing, or its SHA-256 differs from the registry.
    """
    if name not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise DatasetError(f"Unknown dataset {name!r}. Known datasets: {known}.")
    entry = REGISTRY[name]
    path = data_dir() / entry.path
    if path.exists() and not path.is_file():
        raise DatasetError(
            f"The data file for {name!r} should be a file, but {path} is a folder (or another "
            f"kind of entry). Move it away, then restore the file with "
            f"`git checkout -- datasets/{entry.path}`."
        )
    if not path.is_file():
        raise DatasetError(
            f"The data file for {name!r} is missing: expected {path}.\n"
            "Restore it from the course repository with "
            f"`git checkout -- datasets/{entry.path}` (or set MLCOURSE_DATA_DIR to the folder "
            "that holds the course's datasets/)."
        )
    if verify:
        actual = file_sha256(path)
        if actual != entry.sha256:
            raise DatasetError(
                f"The data file {path} has been altered: its SHA-256 is {actual}, "
                f"but the course expects {entry.sha256}.\n"
                f"Restore the original with `git checkout -- datasets/{entry.path}`; "
                "work on a copy of the data in memory instead of editing the file."
            )
    return path


def verify_all() -> dict[str, str | None]:
    """Check every registered file; map each name to ``None`` (fine) or the error message."""
    problems: dict[str, str | None] = {}
    for name in REGISTRY:
        try:
            dataset_path(name)
            problems[name] = None
        except DatasetError as error:
            problems[name] = str(error)
    return problems
