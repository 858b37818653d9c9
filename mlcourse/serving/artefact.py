"""A model artefact: the fitted pipeline in ``NAME.skops`` plus its manifest ``NAME.json``.

The manifest says what the file is (its SHA-256), which model it holds (``version``,
``created``), what it was trained on (the data's provenance and checksum), how good it is
(``metrics``) and what it accepts (``input_schema`` and one valid ``input_example``).

Loading is the dangerous half. A pickle file runs whatever code it names when it is loaded
(notebook 16 shows a harmless payload doing so); a skops file only rebuilds objects of types
it is told to trust. :func:`load_artefact` checks the file's SHA-256 against the manifest first,
then lets skops build only skops' own default types plus :data:`TRUSTED_TYPES`, a short list
reviewed by hand. What the file itself says it needs is never trusted. Nothing here unpickles.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mlcourse.datasets import file_sha256
from mlcourse.serving.schema import infer_input_schema, row_model

# Types outside skops' defaults that the course reviewed and accepts. skops builds every
# other type only when trusted explicitly; we never trust "whatever the file lists".
# - TreePredictor: one tree of HistGradientBoosting*, a plain holder of NumPy arrays (the
#   nodes and category bitsets) with no code run when it is rebuilt. skops 0.16 does not
#   trust it by default; the course's bike-demand model needs it.
TRUSTED_TYPES: tuple[str, ...] = (
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)


class ArtefactError(RuntimeError):
    """An artefact is missing, altered, or holds a type the course does not trust.

    The message is one line that says what is wrong and what to do.
    """


@dataclass
class Artefact:
    """A loaded, verified artefact."""

    model: object
    manifest: dict
    path: Path

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def columns(self) -> list[str]:
        """The input's columns, in the order the pipeline was fitted on."""
        return list(self.manifest["input_schema"]["properties"])


sha256_of = file_sha256  # the SHA-256 of a file, as 64 hexadecimal digits


def manifest_path(model_path) -> Path:
    """``NAME.json`` beside ``NAME.skops``."""
    return Path(model_path).with_suffix(".json")


def save_artefact(model, path, *, version: str, X_example, data: dict | None = None,
                  metrics: dict | None = None, input_schema: dict | None = None,
                  max_rows: int = 5000) -> dict:
    """Write ``model`` to ``path`` (``NAME.skops``) with skops and its manifest beside it.

    Parameters
    ----------
    model : fitted estimator or Pipeline
        Saved whole: the preprocessing travels with the model.
    path : str or Path
        Where to write; the suffix ``.skops`` is added when missing.
    version : str
        The model's version, answered by the service with every prediction.
    X_example : DataFrame
        Rows the model accepts (the training inputs, or a sample of them). The first row
        becomes ``input_example``; the schema is inferred from them when ``input_schema``
        is not given.
    data : dict, optional
        Provenance of the training data: source, file, ``sha256``, rows, selection.
    metrics : dict, optional
        Scores on held-out data, e.g. ``{"mae": 31.2}``.
    input_schema : dict, optional
        JSON Schema of one input row (see :mod:`mlcourse.serving.schema`).
    max_rows : int
        The largest batch the service accepts in one request.

    Returns
    -------
    dict
        The manifest, as written.
    """
    from skops.io import dump

    path = Path(path)
    if path.suffix != ".skops":
        path = path.with_name(path.name + ".skops")
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = dict(input_schema) if input_schema is not None else infer_input_schema(X_example)
    schema.setdefault("x-max-rows", int(max_rows))
    example = {name: _plain(X_example[name].iloc[0]) for name in schema["properties"]}
    row_model(schema).model_validate(example)  # the example must satisfy its own schema
    dump(model, path)
    manifest = {
        "name": path.stem,
        "version": str(version),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "file": path.name,
        "sha256": sha256_of(path),
        "format": "skops",
        "model_type": f"{type(model).__module__}.{type(model).__qualname__}",
        "environment": _environment(),
        "data": data or {},
        "metrics": metrics or {},
        "input_schema": schema,
        "input_example": example,
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(path) -> dict:
    """The manifest beside ``path``; :class:`ArtefactError` when missing or unreadable."""
    where = manifest_path(path)
    if not where.is_file():
        raise ArtefactError(
            f"no manifest {where.name} beside {Path(path).name}: an artefact is the .skops file "
            "plus its manifest; write both with mlcourse.serving.save_artefact"
        )
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtefactError(f"the manifest {where} is not valid JSON ({error})") from None
    missing = [key for key in ("sha256", "version", "input_schema", "input_example")
               if key not in manifest]
    if not isinstance(manifest, dict) or missing:
        raise ArtefactError(f"the manifest {where} lacks {', '.join(missing) or 'a JSON object'}")
    return manifest


def untrusted_types(path) -> list[str]:
    """Types in a skops file that neither skops' defaults nor :data:`TRUSTED_TYPES` cover."""
    from skops.io import get_untrusted_types

    return sorted(set(get_untrusted_types(file=str(path))) - set(TRUSTED_TYPES))


def load_artefact(path) -> Artefact:
    """Load and verify an artefact: manifest present, SHA-256 equal, every type trusted.

    Raises
    ------
    ArtefactError
        With a one-line reason, for a missing file or manifest, a checksum that differs
        from the manifest's, or a type outside skops' defaults and :data:`TRUSTED_TYPES`.
    """
    from skops.io import load

    path = Path(path)
    if not path.is_file():
        raise ArtefactError(f"no model file at {path}")
    manifest = read_manifest(path)
    actual = sha256_of(path)
    if actual != manifest["sha256"]:
        raise ArtefactError(
            f"{path.name} has SHA-256 {actual[:12]}..., but its manifest says "
            f"{str(manifest['sha256'])[:12]}...: the file was altered or replaced; refusing it"
        )
    try:
        extra = untrusted_types(path)
    except Exception as error:  # a damaged archive: skops cannot even list its types
        raise ArtefactError(f"{path.name} is not a readable skops file ({error})") from None
    if extra:
        raise ArtefactError(
            f"{path.name} holds types the course does not trust: {', '.join(extra)}; "
            "review them and add them to mlcourse.serving.TRUSTED_TYPES only if they are safe"
        )
    try:
        model = load(path, trusted=list(TRUSTED_TYPES))
    except Exception as error:
        raise ArtefactError(f"{path.name} could not be loaded: {error}".splitlines()[0]) from None
    try:
        row_model(manifest["input_schema"])
    except Exception as error:
        raise ArtefactError(f"the manifest's input_schema is not usable: {error}") from None
    return Artefact(model=model, manifest=manifest, path=path.resolve())


def _plain(value):
    """A NumPy scalar as the plain Python value JSON can hold."""
    return value.item() if hasattr(value, "item") else value


def _environment() -> dict:
    from importlib import metadata

    versions = {}
    for dist in ("scikit-learn", "numpy", "pandas", "skops"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return {"python": platform.python_version(), **versions}
