"""The prediction service: a FastAPI app around one verified artefact.

Endpoints: ``GET /health``, ``GET /model`` (the manifest and the file's path),
``POST /predict`` (``{"rows": [...]}`` -> ``{"predictions": [...], "model_version": ...}``),
``GET /metrics`` (Prometheus text format) and the OpenAPI schema at ``/openapi.json``.
A request that does not match the manifest's input schema gets a 422 naming the field.
Every prediction is queued for the SQLite prediction log, written by a background thread.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the endpoint's annotations,
# and the request model is a class built at run time from the manifest.

import time
from contextlib import asynccontextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel, Field

from mlcourse.serving.artefact import Artefact
from mlcourse.serving.predictionlog import PredictionLog
from mlcourse.serving.schema import request_model, rows_to_columns

LATENCY_BUCKETS = (0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
PREDICTION_BUCKETS = (1, 5, 10, 25, 50, 100, 200, 300, 400, 500, 600, 800, 1000)
_ENDPOINTS = {"/health", "/model", "/predict", "/metrics", "/openapi.json", "/docs"}


class PredictResponse(BaseModel):
    predictions: list[float] = Field(..., description="one prediction per input row, in order")
    model_version: str


class Health(BaseModel):
    status: str
    model_version: str


class _MetricsMiddleware:
    """Count every request and time it (plain ASGI: cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app, requests: Counter, latency: Histogram):
        self.app, self.requests, self.latency = app, requests, latency

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def send_and_note(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = scope["path"] if scope["path"] in _ENDPOINTS else "other"
            self.requests.labels(path, str(status[0])).inc()
            self.latency.labels(path).observe(time.perf_counter() - start)


def _where(loc=()) -> str:
    """``("body", "rows", 0, "hr")`` -> ``rows[0].hr``."""
    text = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def create_app(artefact: Artefact, *, log_path=None) -> FastAPI:
    """The FastAPI app serving ``artefact``; predictions logged to ``log_path`` (SQLite)."""
    manifest = artefact.manifest
    columns = artefact.columns
    version = artefact.version
    model = artefact.model
    PredictRequest = request_model(manifest["input_schema"])
    example = {"rows": [manifest["input_example"]]}
    PredictRequest.model_config["json_schema_extra"] = {"examples": [example]}
    PredictRequest.model_rebuild(force=True)

    registry = CollectorRegistry()
    requests = Counter("mlcourse_requests", "HTTP requests by endpoint and status code",
                       ["endpoint", "status"], registry=registry)
    latency = Histogram("mlcourse_request_latency_seconds", "Time to answer a request",
                        ["endpoint"], buckets=LATENCY_BUCKETS, registry=registry)
    predicted = Histogram("mlcourse_prediction_value", "Distribution of the predictions",
                          buckets=tuple(manifest.get("prediction_buckets", PREDICTION_BUCKETS)),
                          registry=registry)
    rows_served = Counter("mlcourse_predicted_rows", "Rows scored", registry=registry)
    log = PredictionLog(log_path) if log_path is not None else None

    @asynccontextmanager
    async def lifespan(app):
        yield
        if log is not None:
            log.close()

    app = FastAPI(
        title=f"{manifest.get('name', 'model')} prediction service",
        version=version,
        description=f"Serves {artefact.path.name} (sha256 {manifest['sha256'][:12]}...).",
        lifespan=lifespan,
    )
    app.add_middleware(_MetricsMiddleware, requests=requests, latency=latency)
    app.state.artefact = artefact
    app.state.prediction_log = log
    app.state.registry = registry

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        details = [{"loc": list(e.get("loc", ())),
                    "field": "body" if e.get("type") == "json_invalid" else _where(e["loc"]),
                    "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                   for e in error.errors()[:20]]
        first = details[0] if details else {"field": "body", "msg": "invalid request"}
        return JSONResponse(status_code=422, content={
            "detail": details, "message": f"{first['field']}: {first['msg']}"})

    @app.get("/health", response_model=Health)
    async def health():
        """Liveness: the model is loaded and the service answers."""
        return {"status": "ok", "model_version": version}

    @app.get("/model")
    async def model_info():
        """The manifest of the served artefact, plus the path of its model file."""
        return {**manifest, "path": str(artefact.path)}

    @app.post("/predict", response_model=PredictResponse)
    async def predict(body: PredictRequest):
        """Score the rows; one prediction per row, in order."""
        values = rows_to_columns(body.rows, columns)
        with sklearn.config_context(assume_finite=True):  # the schema has refused NaN and inf
            predictions = np.asarray(model.predict(pd.DataFrame(values, columns=columns)),
                                     dtype=float)
        rows_served.inc(len(predictions))
        for value in predictions:
            predicted.observe(value)
        if log is not None:
            log.log(version, values, predictions)
        return {"predictions": predictions.tolist(), "model_version": version}

    @app.get("/metrics", response_class=Response)
    async def metrics():
        """Prometheus' text format: requests, latency histogram, prediction distribution."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app


def default_log_path(artefact: Artefact) -> Path:
    """``<course cache>/predictions/<name>.sqlite``."""
    from mlcourse.datasets import cache_dir

    return cache_dir() / "predictions" / f"{artefact.path.stem}.sqlite"
