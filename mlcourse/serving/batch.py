"""Batch scoring: a CSV in, the same rows with a ``prediction`` column out, in chunks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from mlcourse.serving.artefact import Artefact, ArtefactError, _plain, load_artefact
from mlcourse.serving.schema import row_model


class BatchError(ValueError):
    """The input file cannot be scored (missing columns, values outside the schema)."""


def _count_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def validate_frame(frame: pd.DataFrame, schema: dict, *, first_row: int = 0) -> None:
    """Raise :class:`BatchError` naming the first column or row that breaks the schema."""
    properties = schema["properties"]
    missing = [name for name in properties if name not in frame.columns]
    if missing:
        raise BatchError(f"the input lacks the column(s) {', '.join(missing)}; the model needs "
                         f"{', '.join(properties)}")
    for name, spec in properties.items():
        column = frame[name]
        where = f"column {name!r}"
        if column.isna().any():
            row = first_row + int(np.flatnonzero(column.isna().to_numpy())[0])
            raise BatchError(f"{where} is empty in data row {row + 1}")
        kind = spec.get("type")
        if kind in ("integer", "number"):
            bad = _outside_numeric_spec(column, spec)
            expected = (f"{kind} from {spec.get('minimum', '-inf')} to "
                        f"{spec.get('maximum', 'inf')}")
        elif "enum" in spec:
            bad = ~column.astype(str).isin(spec["enum"]).to_numpy()
            expected = f"one of {spec['enum']}"
        else:
            continue
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise BatchError(f"{where} has {_plain(column.iloc[i])!r} in data row "
                             f"{first_row + i + 1}; expected {expected}")


def _outside_numeric_spec(column: pd.Series, spec: dict) -> np.ndarray:
    """A mask of the values that are not numbers of the spec's type within its bounds."""
    values = pd.to_numeric(column, errors="coerce")
    numbers = values.fillna(0).to_numpy(dtype=float)
    bad = values.isna().to_numpy() | ~np.isfinite(numbers)
    if spec.get("type") == "integer":
        bad |= ~np.isclose(np.nan_to_num(numbers) % 1, 0)
    if "minimum" in spec:
        bad |= (values < spec["minimum"]).to_numpy()
    if "maximum" in spec:
        bad |= (values > spec["maximum"]).to_numpy()
    return bad


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    types = {"integer": "int64", "number": "float64", "boolean": "bool", "string": "object"}
    return frame.astype({name: types[spec["type"]]
                         for name, spec in schema["properties"].items()})


def predict_csv(model, input_csv, output_csv, *, chunksize: int = 2000,
                progress: bool = True) -> int:
    """Score ``input_csv`` chunk by chunk and write it with a ``prediction`` column.

    Parameters
    ----------
    model : Artefact or path of a ``.skops`` file
        A path is loaded with :func:`load_artefact` (checksum and types verified).
    input_csv, output_csv : path
        Input with (at least) the schema's columns; output with every input column plus
        ``prediction``. The output is written to a temporary name and renamed at the end,
        so a failed run never leaves half a file.

    Returns
    -------
    int
        Rows scored.
    """
    from tqdm.auto import tqdm

    artefact = model if isinstance(model, Artefact) else load_artefact(model)
    schema = artefact.manifest["input_schema"]
    row_model(schema)  # the schema itself must be usable
    columns = artefact.columns
    input_csv, output_csv = Path(input_csv), Path(output_csv)
    if not input_csv.is_file():
        raise BatchError(f"no input file {input_csv}")
    partial = output_csv.with_name(output_csv.name + ".partial")
    total = _count_rows(input_csv)
    done = 0
    try:
        with open(partial, "w", newline="") as out, \
                tqdm(total=total, unit="rows", disable=not progress, desc="scoring") as bar:
            reader = pd.read_csv(input_csv, chunksize=chunksize)
            for i, chunk in enumerate(reader):
                validate_frame(chunk, schema, first_row=done)
                X = _typed(chunk[columns], schema)
                chunk = chunk.assign(prediction=np.asarray(artefact.model.predict(X)))
                chunk.to_csv(out, header=(i == 0), index=False, quoting=csv.QUOTE_MINIMAL)
                done += len(chunk)
                bar.update(len(chunk))
        if done == 0:
            raise BatchError(f"{input_csv} has no data rows")
        partial.replace(output_csv)
    except pd.errors.EmptyDataError:
        raise BatchError(f"{input_csv} is empty") from None
    finally:
        partial.unlink(missing_ok=True)
    return done


__all__ = ["ArtefactError", "BatchError", "predict_csv", "validate_frame"]
