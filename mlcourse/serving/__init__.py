"""Deployment: a model artefact (skops + manifest), the FastAPI service, batch scoring.

    save_artefact / load_artefact    the pipeline as NAME.skops with NAME.json beside it
    create_app                       the FastAPI app (``mlcourse serve`` runs it)
    Service                          the service in a child process, on a free port
    predict_csv                      batch scoring (``mlcourse predict``)
    bike_model_path                  the course's bike-demand model, built on first use

Notebook 16 walks through all of it. Nothing here unpickles: artefacts are loaded with
skops, trusting only skops' defaults and the reviewed :data:`TRUSTED_TYPES`.
"""

from mlcourse.serving.artefact import (
    TRUSTED_TYPES,
    Artefact,
    ArtefactError,
    load_artefact,
    manifest_path,
    read_manifest,
    save_artefact,
    sha256_of,
    untrusted_types,
)
from mlcourse.serving.batch import BatchError, predict_csv
from mlcourse.serving.bike import BIKE_INPUT_SCHEMA, bike_data, bike_model_path
from mlcourse.serving.schema import infer_input_schema, request_model, row_model
from mlcourse.serving.server import Service


def create_app(artefact, *, log_path=None):
    """The FastAPI app serving ``artefact`` (see :mod:`mlcourse.serving.app`)."""
    from mlcourse.serving.app import create_app as _create_app

    return _create_app(artefact, log_path=log_path)


__all__ = [
    "TRUSTED_TYPES",
    "Artefact",
    "ArtefactError",
    "BIKE_INPUT_SCHEMA",
    "BatchError",
    "Service",
    "bike_data",
    "bike_model_path",
    "create_app",
    "infer_input_schema",
    "load_artefact",
    "manifest_path",
    "predict_csv",
    "read_manifest",
    "request_model",
    "row_model",
    "save_artefact",
    "sha256_of",
    "untrusted_types",
]
