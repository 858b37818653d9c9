"""Checkers for notebook 16_packaging_and_serving.

16.1 builds fresh artefact-like files in a temporary folder, some intact and some altered;
16.2 runs the learner's pydantic model on fresh valid rows and on fresh rows that break each
rule of the task; 16.3 runs the learner's chunked scorer on a model that records every batch
it is given; 16.4 compares a judgement with the reasoned answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, as_array, exercise, expect, rng_for
from mlcourse.exercises._guards import call_unmutated, forbidden_calls

STATIONS = ("north", "centre", "south")


# --- 16.2 -----------------------------------------------------------------------------------

def _valid_readings(rng, n=25):
    for i in range(n):
        yield {
            "station": STATIONS[i % 3],
            "hour": int(rng.integers(0, 24)) if i > 1 else (0, 23)[i],
            "temp_c": float(np.round(rng.uniform(-30, 50), 2)) if i % 5 else float(i % 40),
            "rain_mm": float(np.round(rng.exponential(3), 1)) if i % 4 else 0.0,
        }
    yield {"station": "south", "hour": 12, "temp_c": 12, "rain_mm": 0}  # whole numbers
    yield {"station": "north", "hour": 5, "temp_c": -30.0, "rain_mm": 300.0}  # the limits
    yield {"station": "centre", "hour": 5, "temp_c": 50.0, "rain_mm": 0.0}


def _bad_readings(rng):
    """``(row, why)`` pairs, one for each rule the task states, with fresh values."""
    good = {"station": "centre", "hour": int(rng.integers(1, 23)),
            "temp_c": float(np.round(rng.uniform(0, 30), 1)), "rain_mm": 1.5}
    late = int(rng.integers(24, 100))
    yield {**good, "hour": late}, f"hour {late} is after 23"
    yield {**good, "hour": -1}, "hour -1 is before 0"
    yield {**good, "hour": good["hour"] + 0.5}, "an hour is a whole number"
    yield {**good, "hour": str(good["hour"])}, "the hour is a string, not an integer"
    yield {**good, "hour": True}, "True is a boolean, not an hour"
    yield {**good, "temp_c": str(good["temp_c"])}, "the temperature is a string"
    yield {**good, "temp_c": math.nan}, "NaN is not a temperature"
    yield {**good, "temp_c": math.inf}, "infinity is not a temperature"
    hot = float(np.round(rng.uniform(50.1, 80), 1))
    yield {**good, "temp_c": hot}, f"{hot} °C is above 50"
    yield {**good, "temp_c": -31.0}, "-31 °C is below -30"
    yield {**good, "rain_mm": -0.5}, "rain cannot be negative"
    yield {**good, "rain_mm": 301.0}, "301 mm of rain in an hour is above 300"
    yield {**good, "rain_mm": None}, "rain is missing (null)"
    yield {**good, "station": "east"}, "'east' is not one of the three stations"
    yield {k: v for k, v in good.items() if k != "station"}, "the station is missing"
    yield {**good, "wind_kmh": 12.0}, "wind_kmh is an extra field"


@exercise("16.2", "A schema that rejects bad rows")
def check_reading_schema(Reading):
    from pydantic import BaseModel, ValidationError

    expect(isinstance(Reading, type) and issubclass(Reading, BaseModel),
           "Your answer should be a class derived from pydantic.BaseModel (the class itself, "
           f"not an instance); got {Reading!r}.")
    rng = rng_for()
    for row in _valid_readings(rng):
        try:
            Reading.model_validate(row)
        except ValidationError as error:
            first = error.errors()[0]
            raise ExerciseFailed(
                f"Your schema rejected a valid row {row}: {first['loc']}: {first['msg']}. "
                "Hint: a whole number such as 12 is a valid temperature, and the limits "
                "themselves (0 and 23, -30 and 50, 0 and 300) are allowed.") from None
    for row, why in _bad_readings(rng):
        try:
            Reading.model_validate(row)
        except ValidationError:
            continue
        raise ExerciseFailed(
            f"Your schema accepted {row}, but it must refuse it: {why}. Hint: "
            "model_config = ConfigDict(strict=True, extra='forbid'), Field(ge=..., le=...), "
            "Literal[...] for the station, allow_inf_nan=False for the numbers.")
    return ("Your schema accepted fresh valid readings and refused a fresh row for each rule: "
            "range, whole hours, strict types, NaN and infinity, missing and extra fields, "
            "unknown station.")


# --- 16.1 -----------------------------------------------------------------------------------

def _write(folder: Path, name: str, payload: bytes, manifest_sha: str | None):
    path = folder / f"{name}.skops"
    path.write_bytes(payload)
    if manifest_sha is not None:
        (folder / f"{name}.json").write_text(json.dumps({"version": "1", "sha256": manifest_sha}))
    return path


@exercise("16.1", "Verify an artefact before loading it")
def check_is_intact(is_intact):
    expect(callable(is_intact), "Your answer should be the function is_intact(model_path).")
    rng = rng_for()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = []
        for k, size in enumerate((1, 1000, 3_000_000)):
            payload = rng.bytes(size)
            digest = hashlib.sha256(payload).hexdigest()
            cases.append((_write(folder, f"good{k}", payload, digest), True,
                          f"an intact file of {size:,} bytes"))
            flipped = bytearray(payload)
            flipped[int(rng.integers(0, size))] ^= 0x01
            cases.append((_write(folder, f"flip{k}", bytes(flipped), digest), False,
                          f"a {size:,}-byte file with one bit flipped"))
        payload = rng.bytes(500)
        digest = hashlib.sha256(payload).hexdigest()
        cases.append((_write(folder, "longer", payload + b"\0", digest), False,
                      "a file with one byte appended"))
        cases.append((_write(folder, "nomanifest", payload, None), False,
                      "a file with no manifest beside it"))
        cases.append((_write(folder, "md5", payload, hashlib.md5(payload).hexdigest()), False,
                      "a manifest holding the file's MD5 instead of its SHA-256"))
        for path, expected, what in cases:
            with forbidden_calls("mlcourse.serving",
                                 why="compute the SHA-256 yourself with hashlib"):
                got = is_intact(str(path) if what.startswith("an intact file of 1 ") else path)
            expect(isinstance(got, (bool, np.bool_)),
                   f"is_intact should return True or False; got {got!r} for {what}.")
            expect(bool(got) == expected,
                   f"For {what}, is_intact returned {got}; expected {expected}. Hint: hash the "
                   "file's bytes with hashlib.sha256, compare .hexdigest() with the manifest's "
                   "'sha256', and return False when the manifest is missing.")
    return ("Your function told intact files from altered ones (a flipped bit, an appended "
            "byte, a wrong kind of digest) and refused a file without a manifest.")


# --- 16.4 -----------------------------------------------------------------------------------

SERVING_CHOICES = {
    "A": "batch",   # tomorrow's 24 hourly forecasts for 800 stations, needed by 5 am
    "B": "online",  # the app shows the next hour's demand when a rider opens a station page
    "C": "batch",   # a monthly report of predicted demand for 2 million past trips
    "D": "online",  # re-plan a van's route when a station empties, answer within 2 s
}
_WHY = {
    "A": "every input is known the evening before and the answer is needed by morning",
    "B": "the answer depends on a request that arrives at any time and waits on the screen",
    "C": "the inputs are all known in advance and nobody waits for one answer",
    "D": "the trigger is unpredictable and the answer is needed within seconds",
}


@exercise("16.4", "Batch or online?")
def check_serving_choices(choices):
    expect(isinstance(choices, dict),
           'Your answer should be a dict such as {"A": "batch", "B": ..., "C": ..., "D": ...}.')
    normalised = {str(k).strip().upper(): str(v).strip().lower() for k, v in choices.items()}
    expect(set(normalised) == set(SERVING_CHOICES),
           f"Answer every scenario, A to D, once; you answered {sorted(normalised)}.")
    bad = [v for v in normalised.values() if v not in ("batch", "online")]
    expect(not bad, f'Each answer is "batch" or "online"; got {bad}.')
    wrong = sorted(k for k in SERVING_CHOICES if normalised[k] != SERVING_CHOICES[k])
    if wrong:
        raise ExerciseFailed(
            f"{len(wrong)} of 4 choices need another look, starting with scenario {wrong[0]}. "
            "Ask: are the inputs known before anyone needs the answer, and how long may the "
            "answer take?")
    reasons = "; ".join(f"{k}: {_WHY[k]}" for k in SERVING_CHOICES)
    return f"All four choices are right. {reasons}."


# --- 16.3 -----------------------------------------------------------------------------------

class _RecordingModel:
    """A stand-in model: predicts the row sums, remembers the size of every batch."""

    def __init__(self):
        self.batches: list[int] = []

    def predict(self, X):
        self.batches.append(len(X))
        return np.asarray(X, dtype=float).sum(axis=1) * 0.5 + 1.0


@exercise("16.3", "Score a large table in chunks")
def check_predict_in_chunks(predict_in_chunks):
    expect(callable(predict_in_chunks),
           "Your answer should be the function predict_in_chunks(model, X, chunk_size).")
    rng = rng_for()
    for n, chunk_size in ((1000, 256), (10, 3), (7, 50), (96, 32), (5, 1)):
        X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"],
                         index=rng.permutation(np.arange(100, 100 + n)))
        model = _RecordingModel()
        def score(X, model=model, chunk_size=chunk_size):  # the model may change: it records
            return predict_in_chunks(model, X, chunk_size)

        got = call_unmutated(score, X, what="predict_in_chunks")
        got = as_array(got, "The predictions")
        expected = X.to_numpy().sum(axis=1) * 0.5 + 1.0
        expect(max(model.batches, default=0) <= chunk_size,
               f"With chunk_size={chunk_size} the model was given {max(model.batches)} rows "
               "at once; never more than chunk_size.")
        expect(sum(model.batches) == n,
               f"The model scored {sum(model.batches)} rows in all for a table of {n}: some "
               "rows were skipped or scored twice (an off-by-one in the chunk bounds?).")
        expect(len(model.batches) == math.ceil(n / chunk_size),
               f"{n} rows in chunks of {chunk_size} take {math.ceil(n / chunk_size)} calls; "
               f"yours made {len(model.batches)}.")
        expect(got.shape == (n,),
               f"For {n} rows return {n} predictions in one flat array; got shape {got.shape}."
               " Hint: np.concatenate the predictions of the chunks.")
        expect(np.allclose(got, expected),
               f"The predictions for {n} rows (chunks of {chunk_size}) differ from scoring "
               "the whole table at once: the order is lost. Hint: slice by position "
               "(X.iloc[start:start + chunk_size]), not by index label.")
    return ("Your function gave the whole-table predictions, in order, never passing more "
            "than chunk_size rows to the model, and left the table unchanged.")
