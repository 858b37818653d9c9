"""The checkers of notebook 16 pass the reference answers and fail the likely wrong ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from checker_helpers import fails_any_case as fails
from checker_helpers import passes, run
from pydantic import BaseModel, ConfigDict, Field

from mlcourse.exercises import FAILED

# --- 16.2 -----------------------------------------------------------------------------------


class Reading(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    station: Literal["north", "centre", "south"]
    hour: int = Field(ge=0, le=23)
    temp_c: float = Field(ge=-30, le=50, allow_inf_nan=False)
    rain_mm: float = Field(ge=0, le=300, allow_inf_nan=False)


def test_16_2_accepts_the_reference_and_another_valid_style():
    passes("16.2", Reading)
    from pydantic import StrictFloat, StrictInt

    class Other(BaseModel):  # strict types per field instead of a strict config
        model_config = ConfigDict(extra="forbid")
        station: Literal["north", "centre", "south"]
        hour: StrictInt = Field(ge=0, le=23)
        temp_c: StrictFloat = Field(ge=-30, le=50)
        rain_mm: StrictFloat = Field(ge=0, le=300)

    passes("16.2", Other)


def test_16_2_fails_lax_types_missing_limits_and_extra_fields():
    class Lax(BaseModel):
        model_config = ConfigDict(extra="forbid")
        station: Literal["north", "centre", "south"]
        hour: int = Field(ge=0, le=23)
        temp_c: float = Field(ge=-30, le=50)
        rain_mm: float = Field(ge=0, le=300)

    fails("16.2", Lax, "accepted", "string")

    class NoLimits(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        station: Literal["north", "centre", "south"]
        hour: int
        temp_c: float
        rain_mm: float

    fails("16.2", NoLimits, "after 23")

    class Extras(BaseModel):
        model_config = ConfigDict(strict=True)
        station: Literal["north", "centre", "south"]
        hour: int = Field(ge=0, le=23)
        temp_c: float = Field(ge=-30, le=50, allow_inf_nan=False)
        rain_mm: float = Field(ge=0, le=300, allow_inf_nan=False)

    fails("16.2", Extras, "extra field")

    class AnyStation(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        station: str
        hour: int = Field(ge=0, le=23)
        temp_c: float = Field(ge=-30, le=50, allow_inf_nan=False)
        rain_mm: float = Field(ge=0, le=300, allow_inf_nan=False)

    fails("16.2", AnyStation, "east")

    class OpenLimits(BaseModel):  # gt/lt where the limits themselves are allowed
        model_config = ConfigDict(strict=True, extra="forbid")
        station: Literal["north", "centre", "south"]
        hour: int = Field(gt=0, lt=23)
        temp_c: float = Field(ge=-30, le=50, allow_inf_nan=False)
        rain_mm: float = Field(ge=0, le=300, allow_inf_nan=False)

    fails("16.2", OpenLimits, "rejected a valid row")

    class IntTemperature(BaseModel):  # a whole number only
        model_config = ConfigDict(strict=True, extra="forbid")
        station: Literal["north", "centre", "south"]
        hour: int = Field(ge=0, le=23)
        temp_c: int = Field(ge=-30, le=50)
        rain_mm: float = Field(ge=0, le=300, allow_inf_nan=False)

    fails("16.2", IntTemperature, "rejected a valid row")
    fails("16.2", Reading(station="north", hour=1, temp_c=1.0, rain_mm=0.0), "class")


# --- 16.1 -----------------------------------------------------------------------------------

def is_intact(model_path):
    model_path = Path(model_path)
    manifest = model_path.with_suffix(".json")
    if not manifest.is_file():
        return False
    expected = json.loads(manifest.read_text())["sha256"]
    digest = hashlib.sha256()
    with open(model_path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest() == expected


def test_16_1_accepts_the_reference_and_a_one_shot_read():
    passes("16.1", is_intact)

    def whole_file(model_path):
        path = Path(model_path)
        try:
            manifest = json.loads(path.with_suffix(".json").read_text())
        except FileNotFoundError:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == manifest["sha256"]

    passes("16.1", whole_file)


def test_16_1_fails_wrong_hashes_size_checks_crashes_and_the_course_helper():
    def md5(model_path):
        path = Path(model_path)
        if not path.with_suffix(".json").is_file():
            return False
        expected = json.loads(path.with_suffix(".json").read_text())["sha256"]
        return hashlib.md5(path.read_bytes()).hexdigest() == expected

    fails("16.1", md5, "intact file")

    def compares_sizes(model_path):
        path = Path(model_path)
        return path.with_suffix(".json").is_file() and path.stat().st_size > 0

    fails("16.1", compares_sizes, "flipped")

    def crashes_without_manifest(model_path):
        path = Path(model_path)
        expected = json.loads(path.with_suffix(".json").read_text())["sha256"]
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected

    fails("16.1", crashes_without_manifest, "FileNotFoundError")

    def returns_digest(model_path):
        return hashlib.sha256(Path(model_path).read_bytes()).hexdigest()

    fails("16.1", returns_digest, "True or False")

    def uses_helper(model_path):
        from mlcourse.serving import read_manifest, sha256_of

        try:
            return sha256_of(model_path) == read_manifest(model_path)["sha256"]
        except Exception:
            return False

    fails("16.1", uses_helper, "hashlib")


# --- 16.4 -----------------------------------------------------------------------------------

def test_16_4_accepts_the_right_choices_in_any_case_and_fails_wrong_ones():
    passes("16.4", {"A": "batch", "B": "online", "C": "batch", "D": "online"})
    passes("16.4", {"a": "Batch", "b": "ONLINE", "c": "batch ", "d": "online"})
    fails("16.4", {"A": "online", "B": "online", "C": "batch", "D": "online"}, "scenario A")
    fails("16.4", {"A": "batch", "B": "online", "C": "batch", "D": "batch"}, "scenario D")
    fails("16.4", {"A": "batch", "B": "online", "C": "batch"}, "every scenario")
    fails("16.4", {"A": "batch", "B": "realtime", "C": "batch", "D": "online"}, "realtime")
    fails("16.4", ["batch", "online", "batch", "online"], "dict")


# --- 16.3 -----------------------------------------------------------------------------------

def predict_in_chunks(model, X, chunk_size):
    parts = [model.predict(X.iloc[start:start + chunk_size])
             for start in range(0, len(X), chunk_size)]
    return np.concatenate(parts)


def test_16_3_accepts_the_reference_and_array_split():
    passes("16.3", predict_in_chunks)

    def with_array_split(model, X, chunk_size):
        n_chunks = -(-len(X) // chunk_size)
        return np.concatenate([model.predict(part) for part in np.array_split(X, n_chunks)])

    passes("16.3", with_array_split)


def test_16_3_fails_whole_table_off_by_one_label_slicing_and_in_place_edits():
    fails("16.3", lambda model, X, chunk_size: model.predict(X), "never more than chunk_size")

    def off_by_one(model, X, chunk_size):
        return np.concatenate([model.predict(X.iloc[start:start + chunk_size])
                               for start in range(0, len(X) - 1, chunk_size)])

    fails("16.3", off_by_one)

    def overlapping(model, X, chunk_size):
        return np.concatenate([model.predict(X.iloc[start:start + chunk_size + 1])
                               for start in range(0, len(X), chunk_size)])

    fails("16.3", overlapping, "chunk_size")

    def by_label(model, X, chunk_size):
        X = X.sort_index()
        return np.concatenate([model.predict(X.iloc[start:start + chunk_size])
                               for start in range(0, len(X), chunk_size)])

    fails("16.3", by_label, "order")

    def in_place(model, X, chunk_size):
        X["a"] = X["a"].astype(float)
        X.index = range(len(X))
        return predict_in_chunks(model, X, chunk_size)

    fails("16.3", in_place, "in place")

    def list_of_chunks(model, X, chunk_size):
        return [model.predict(X.iloc[s:s + chunk_size]) for s in range(0, len(X), chunk_size)]

    fails("16.3", list_of_chunks)


@pytest.mark.parametrize("exercise_id", ["16.2", "16.1", "16.4", "16.3"])
def test_junk_fails(exercise_id):
    for junk in (None, 0, "answer"):
        assert run(exercise_id, junk)[0] == FAILED
