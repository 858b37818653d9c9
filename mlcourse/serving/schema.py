"""The input schema: what one row sent to a model must look like.

A manifest's ``input_schema`` is a JSON Schema of one row, the format OpenAPI speaks::

    {"type": "object",
     "properties": {"hr": {"type": "integer", "minimum": 0, "maximum": 23}, ...},
     "required": ["hr", ...], "additionalProperties": false, "x-max-rows": 5000}

Each property is an ``integer``, a ``number``, a ``boolean`` or a ``string`` with an ``enum``,
with optional ``minimum`` / ``maximum``. :func:`row_model` turns it into a pydantic model that
rejects wrong types, missing and extra fields, out-of-range values, NaN and infinity;
:func:`request_model` wraps it in ``{"rows": [...]}`` with a batch size from 1 to
``x-max-rows``.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, create_model

_KINDS = ("integer", "number", "boolean", "string")


def infer_input_schema(X, *, max_rows: int = 5000) -> dict:
    """A JSON Schema of one row of DataFrame ``X``, with the ranges seen in ``X``.

    Integers and floats get their observed minimum and maximum, strings their observed
    values as an ``enum``. The observed range is a cautious default: widen it when you know
    the real domain (an hour is 0 to 23 whatever the training data held).
    """
    properties = {}
    for name in X.columns:
        column = X[name]
        # pandas' own predicates: a text column may be pandas' StringDtype, which NumPy's
        # np.issubdtype cannot interpret
        if pd.api.types.is_bool_dtype(column.dtype):
            properties[name] = {"type": "boolean"}
        elif pd.api.types.is_integer_dtype(column.dtype):
            properties[name] = {"type": "integer", "minimum": int(column.min()),
                                "maximum": int(column.max())}
        elif pd.api.types.is_float_dtype(column.dtype):
            properties[name] = {"type": "number", "minimum": float(column.min()),
                                "maximum": float(column.max())}
        else:
            properties[name] = {"type": "string",
                                "enum": sorted(map(str, column.dropna().unique()))}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "x-max-rows": int(max_rows),
    }


def _field(name: str, spec: dict):
    kind = spec.get("type")
    if kind not in _KINDS:
        raise ValueError(f"property {name!r} has type {kind!r}; expected one of {_KINDS}")
    limits = {"ge": spec.get("minimum"), "le": spec.get("maximum")}
    limits = {key: value for key, value in limits.items() if value is not None}
    description = spec.get("description")
    if kind == "integer":
        return int, Field(..., strict=True, description=description, **limits)
    if kind == "number":
        return float, Field(..., allow_inf_nan=False, description=description, **limits)
    if kind == "boolean":
        return bool, Field(..., strict=True, description=description)
    if "enum" in spec:
        return Literal[tuple(spec["enum"])], Field(..., description=description)
    return str, Field(..., strict=True, description=description)


def row_model(schema: dict, name: str = "Row") -> type[BaseModel]:
    """A pydantic model of one row: strict types, ranges, no missing or extra fields."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        raise ValueError("the schema has no 'properties' (one entry per input column)")
    fields = {key: _field(key, spec) for key, spec in properties.items()}
    config = ConfigDict(extra="forbid", strict=True)
    return create_model(name, __config__=config, **fields)


def request_model(schema: dict, name: str = "PredictRequest") -> type[BaseModel]:
    """``{"rows": [row, ...]}`` with between 1 and ``schema["x-max-rows"]`` rows."""
    Row = row_model(schema)
    max_rows = int(schema.get("x-max-rows", 5000))
    rows_type = list[Row]
    return create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        rows=(rows_type, Field(..., min_length=1, max_length=max_rows,
                               description=f"between 1 and {max_rows} input rows")),
    )


def rows_to_columns(rows, columns) -> dict[str, list]:
    """Validated rows (pydantic models) as ``{column: values}``, ready for a DataFrame."""
    return {column: [getattr(row, column) for row in rows] for column in columns}
