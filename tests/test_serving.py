"""mlcourse.serving: the artefact, the service (started for real on a free port), batch
scoring, and the refusals (missing manifest, altered file, untrusted type)."""

from __future__ import annotations

import ast
import asyncio
import json
import math
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import Pipeline

from mlcourse._machinery.cli import main
from mlcourse.serving import (
    ArtefactError,
    BatchError,
    Service,
    bike_data,
    bike_model_path,
    load_artefact,
    predict_csv,
    read_manifest,
    row_model,
    save_artefact,
    sha256_of,
)
from mlcourse.serving.predictionlog import PredictionLog
from mlcourse.serving.schema import infer_input_schema, request_model

PACKAGE = Path(__file__).resolve().parents[1] / "mlcourse"


@pytest.fixture(scope="module")
def bike_path() -> Path:
    return bike_model_path()


@pytest.fixture(scope="module")
def example(bike_path) -> dict:
    return read_manifest(bike_path)["input_example"]


@pytest.fixture(scope="module")
def service(bike_path, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "predictions.sqlite"
    with Service(bike_path, log_path=log) as running:
        running.log_path = log
        yield running


@pytest.fixture
def artefact_copy(bike_path, tmp_path) -> Path:
    """The bike artefact copied to a temporary folder (to tamper with)."""
    for suffix in (".skops", ".json"):
        shutil.copy2(bike_path.with_suffix(suffix), tmp_path / f"model{suffix}")
    return tmp_path / "model.skops"


class Shout(TransformerMixin, BaseEstimator):
    """A custom transformer: a type neither skops nor the course trusts."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


def small_frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.integers(0, 10, n), "b": rng.normal(size=n)})
    return X, 2.0 * X["a"] - X["b"]


# --- the artefact ---------------------------------------------------------------------------

def test_the_bike_manifest_describes_the_file_and_its_data(bike_path):
    manifest = read_manifest(bike_path)
    assert manifest["sha256"] == sha256_of(bike_path)
    for key in ("version", "created", "data", "metrics", "input_schema", "input_example"):
        assert manifest[key], key
    from mlcourse.datasets import REGISTRY

    assert manifest["data"]["sha256"] == REGISTRY["bike_sharing_hour"].sha256
    assert manifest["metrics"]["test_r2"] > 0.85
    row_model(manifest["input_schema"]).model_validate(manifest["input_example"])


def test_a_saved_pipeline_loads_back_and_predicts_the_same(tmp_path):
    X, y = small_frame()
    model = Pipeline([("model", LinearRegression())]).fit(X, y)
    manifest = save_artefact(model, tmp_path / "lin", version="7", X_example=X,
                             metrics={"r2": 1.0})
    loaded = load_artefact(tmp_path / "lin.skops")
    assert manifest["version"] == loaded.version == "7"
    assert loaded.columns == ["a", "b"]
    np.testing.assert_array_equal(loaded.model.predict(X), model.predict(X))
    assert manifest["input_schema"]["properties"]["a"]["type"] == "integer"


def test_an_altered_file_is_refused(artefact_copy):
    with open(artefact_copy, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ArtefactError, match="SHA-256"):
        load_artefact(artefact_copy)


def test_a_missing_manifest_is_refused(artefact_copy):
    artefact_copy.with_suffix(".json").unlink()
    with pytest.raises(ArtefactError, match="no manifest"):
        load_artefact(artefact_copy)


def test_an_untrusted_type_is_refused_even_with_a_matching_checksum(tmp_path):
    X, y = small_frame()
    model = Pipeline([("shout", Shout()), ("model", LinearRegression())]).fit(X, y)
    save_artefact(model, tmp_path / "custom", version="1", X_example=X)
    with pytest.raises(ArtefactError, match="Shout"):
        load_artefact(tmp_path / "custom.skops")


def test_a_file_that_is_not_skops_is_refused(tmp_path):
    X, y = small_frame()
    save_artefact(LinearRegression().fit(X, y), tmp_path / "m", version="1", X_example=X)
    path = tmp_path / "m.skops"
    path.write_bytes(b"not a zip file")
    manifest = json.loads(path.with_suffix(".json").read_text())
    manifest["sha256"] = sha256_of(path)
    path.with_suffix(".json").write_text(json.dumps(manifest))
    with pytest.raises(ArtefactError, match="not a readable skops file"):
        load_artefact(path)


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield ast.unparse(node.func)


def test_the_package_never_unpickles():
    # joblib's Parallel (cross-validation's n_jobs) is allowed: it passes objects between worker
    # processes of this same run; loading a file with joblib.load is not
    banned_imports = {"pickle", "cPickle", "dill", "cloudpickle", "shelve", "marshal"}
    banned_calls = ("pickle.load", "pickle.loads", "joblib.load", "read_pickle", "shelve.open",
                    "marshal.load", "marshal.loads")
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
                if names == {"joblib"} and any(a.name == "load" for a in node.names):
                    found.append(f"{path.name}: from joblib import load")
            else:
                continue
            found += [f"{path.name}: import {name}" for name in names & banned_imports]
        found += [f"{path.name}: {call}()" for call in _calls(tree)
                  if call.endswith(banned_calls)]
        for node in ast.walk(tree):  # numpy's loader with pickles allowed
            if isinstance(node, ast.keyword) and node.arg == "allow_pickle":
                if not (isinstance(node.value, ast.Constant) and node.value.value is False):
                    found.append(f"{path.name}: allow_pickle={ast.unparse(node.value)}")
    assert found == []


# --- the schema -----------------------------------------------------------------------------

def test_the_row_model_rejects_each_kind_of_bad_row(example):
    from pydantic import ValidationError

    from mlcourse.serving import BIKE_INPUT_SCHEMA

    Row = row_model(BIKE_INPUT_SCHEMA)
    Row.model_validate(example)
    bad_rows = [
        {**example, "hr": 24}, {**example, "hr": -1}, {**example, "hr": 3.5},
        {**example, "hr": "3"}, {**example, "hr": True}, {**example, "temp": math.nan},
        {**example, "temp": math.inf}, {**example, "temp": "warm"}, {**example, "temp": None},
        {**example, "colour": 1}, {k: v for k, v in example.items() if k != "weathersit"},
    ]
    for bad in bad_rows:
        with pytest.raises(ValidationError):
            Row.model_validate(bad)
    Row.model_validate({**example, "temp": 1})  # an integer is a number


def test_requests_hold_one_to_max_rows(example):
    from pydantic import ValidationError

    Request = request_model({**infer_input_schema(pd.DataFrame([example])), "x-max-rows": 3})
    Request.model_validate({"rows": [example] * 3})
    for rows in ([], [example] * 4):
        with pytest.raises(ValidationError):
            Request.model_validate({"rows": rows})


# --- the service ----------------------------------------------------------------------------

def test_health_model_and_openapi(service, bike_path):
    assert httpx.get(f"{service.url}/health").json()["status"] == "ok"
    info = httpx.get(f"{service.url}/model").json()
    assert info["path"] == str(bike_path.resolve())
    assert info["sha256"] == sha256_of(bike_path)
    spec = httpx.get(f"{service.url}/openapi.json").json()
    assert {"/health", "/model", "/predict", "/metrics"} <= set(spec["paths"])


def test_predict_matches_the_model_in_process(service, bike_path):
    _, X_test, _, _ = bike_data()
    rows = X_test.iloc[:25]
    answer = httpx.post(f"{service.url}/predict",
                        json={"rows": rows.to_dict(orient="records")}).json()
    expected = load_artefact(bike_path).model.predict(rows)
    np.testing.assert_allclose(answer["predictions"], expected, rtol=1e-12)
    assert answer["model_version"] == read_manifest(bike_path)["version"]


BAD_BODIES = {
    "wrong type": ({"hr": "seven"}, "rows[0].hr"),
    "bool for an integer": ({"hr": True}, "rows[0].hr"),
    "fraction for an integer": ({"hr": 7.5}, "rows[0].hr"),
    "above the maximum": ({"hr": 24}, "rows[0].hr"),
    "below the minimum": ({"temp": -0.1}, "rows[0].temp"),
    "null": ({"hum": None}, "rows[0].hum"),
    "extra field": ({"colour": "red"}, "rows[0].colour"),
}


@pytest.mark.parametrize("change,field", BAD_BODIES.values(), ids=list(BAD_BODIES))
def test_bad_rows_get_422_naming_the_field(service, example, change, field):
    response = httpx.post(f"{service.url}/predict", json={"rows": [example, {**example, **change}]})
    assert response.status_code == 422
    assert response.json()["message"].startswith(field.replace("[0]", "[1]"))


def test_other_bad_requests_get_422(service, example):
    missing = {k: v for k, v in example.items() if k != "windspeed"}
    cases = [
        ({"rows": [missing]}, "rows[0].windspeed"),
        ({"rows": []}, "rows"),
        ({"rows": [example] * 5001}, "rows"),
        ({"rows": example}, "rows"),
        ({"records": [example]}, "rows"),
        ([example], "body"),
    ]
    for body, field in cases:
        response = httpx.post(f"{service.url}/predict", json=body)
        assert response.status_code == 422, body
        assert field in response.json()["message"], response.json()
    raw = json.dumps({"rows": [example]})
    for content in (raw.replace(str(example["temp"]), "NaN"),
                    raw.replace(str(example["temp"]), "Infinity"), "{not json", ""):
        response = httpx.post(f"{service.url}/predict", content=content,
                              headers={"content-type": "application/json"})
        assert response.status_code == 422, content


def test_metrics_count_requests_latency_and_predictions(service, example):
    httpx.post(f"{service.url}/predict", json={"rows": [example] * 3})
    text = httpx.get(f"{service.url}/metrics").text
    assert 'mlcourse_requests_total{endpoint="/predict",status="200"}' in text
    assert "mlcourse_request_latency_seconds_bucket" in text
    assert "mlcourse_prediction_value_count" in text
    rows = [line for line in text.splitlines() if line.startswith("mlcourse_predicted_rows_total")]
    assert float(rows[0].split()[-1]) >= 3


def test_every_prediction_reaches_the_sqlite_log(service, example):
    def logged():
        if not service.log_path.exists():
            return 0
        with sqlite3.connect(service.log_path) as connection:
            return connection.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]

    before = logged()
    httpx.post(f"{service.url}/predict", json={"rows": [example] * 7})
    deadline = time.monotonic() + 20
    while logged() < before + 7 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert logged() >= before + 7


def test_a_thousand_rows_in_one_request(service):
    _, X_test, _, _ = bike_data()
    response = httpx.post(f"{service.url}/predict",
                          json={"rows": X_test.iloc[:1000].to_dict(orient="records")}, timeout=30)
    assert response.status_code == 200
    assert len(response.json()["predictions"]) == 1000


def test_schemathesis_finds_no_server_error(service):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
    statuses = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @given(case=schema.as_strategy(mode))
        @settings(max_examples=40, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(base_url=service.url, timeout=30)
            statuses.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, case.body)

        call()
    assert 200 in statuses and 422 in statuses


# --- refusing to start ----------------------------------------------------------------------

def test_serve_refuses_an_altered_file_in_one_line_without_traceback(artefact_copy):
    with open(artefact_copy, "ab") as handle:
        handle.write(b"tampered")
    result = subprocess.run(
        [sys.executable, "-m", "mlcourse", "serve", str(artefact_copy), "--port", "0"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "refusing to start" in lines[0] and "SHA-256" in lines[0]


def test_serve_refuses_a_missing_manifest_and_an_untrusted_type(artefact_copy, tmp_path, capsys):
    artefact_copy.with_suffix(".json").unlink()
    assert main(["serve", str(artefact_copy), "--port", "0"]) == 2
    assert "no manifest" in capsys.readouterr().err
    X, y = small_frame()
    model = Pipeline([("shout", Shout()), ("model", LinearRegression())]).fit(X, y)
    save_artefact(model, tmp_path / "custom", version="1", X_example=X)
    assert main(["serve", str(tmp_path / "custom.skops"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "does not trust" in err and "Shout" in err and len(err.strip().splitlines()) == 1
    assert main(["serve", str(tmp_path / "nothing.skops"), "--port", "0"]) == 2
    assert "no model file" in capsys.readouterr().err


def test_serve_without_a_file_serves_the_course_model(bike_path, example, tmp_path):
    with Service(log_path=tmp_path / "log.sqlite") as running:  # `mlcourse serve` alone
        assert httpx.get(f"{running.url}/model").json()["path"] == str(bike_path.resolve())
        response = httpx.post(f"{running.url}/predict", json={"rows": [example]})
        assert response.status_code == 200 and len(response.json()["predictions"]) == 1
    assert running.process.poll() is not None


def test_service_helper_reports_a_refusal(artefact_copy):
    artefact_copy.with_suffix(".json").unlink()
    with pytest.raises(RuntimeError, match="no manifest"):
        Service(artefact_copy, timeout=60)


# --- batch scoring --------------------------------------------------------------------------

def test_predict_command_scores_a_csv_in_chunks(bike_path, tmp_path, capsys):
    _, X_test, _, _ = bike_data()
    source = tmp_path / "in.csv"
    X_test.iloc[:2500].assign(note="x").to_csv(source, index=False)
    assert main(["predict", str(bike_path), str(source), str(tmp_path / "out.csv"),
                 "--chunksize", "1000"]) == 0
    assert "Wrote 2500 predictions" in capsys.readouterr().out
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == [*X_test.columns, "note", "prediction"]
    expected = load_artefact(bike_path).model.predict(X_test.iloc[:2500])
    np.testing.assert_allclose(out["prediction"], expected, rtol=1e-9)


def test_predict_command_names_missing_columns_and_bad_values(bike_path, tmp_path, capsys):
    _, X_test, _, _ = bike_data()
    source = tmp_path / "in.csv"
    X_test.iloc[:10].drop(columns=["hum", "hr"]).to_csv(source, index=False)
    assert main(["predict", str(bike_path), str(source), str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "lacks the column(s) hr, hum" in err
    assert not (tmp_path / "out.csv").exists()
    bad = X_test.iloc[:10].copy()
    bad.loc[bad.index[4], "hr"] = 30
    bad.to_csv(source, index=False)
    with pytest.raises(BatchError, match="'hr' has 30 in data row 5"):
        predict_csv(bike_path, source, tmp_path / "out.csv", progress=False)


def test_predict_command_refuses_an_altered_model(artefact_copy, tmp_path, capsys):
    with open(artefact_copy, "ab") as handle:
        handle.write(b"\0")
    _, X_test, _, _ = bike_data()
    X_test.iloc[:5].to_csv(tmp_path / "in.csv", index=False)
    assert main(["predict", str(artefact_copy), str(tmp_path / "in.csv"),
                 str(tmp_path / "out.csv")]) == 2
    assert "SHA-256" in capsys.readouterr().err


# --- the prediction log ---------------------------------------------------------------------

def test_the_prediction_log_writes_everything_in_the_background(tmp_path):
    log = PredictionLog(tmp_path / "log.sqlite")
    for i in range(50):
        log.log("v1", {"a": [i, i + 1]}, [0.5, 1.5])
    log.flush()
    assert log.count() == 100
    log.close()
    with sqlite3.connect(tmp_path / "log.sqlite") as connection:
        first = connection.execute("SELECT model_version, features, prediction FROM predictions "
                                   "ORDER BY id LIMIT 1").fetchone()
    assert first == ("v1", '{"a": 0}', 0.5)


def test_the_listening_socket_is_tcp_so_asyncio_turns_nagle_off():
    from mlcourse.serving.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # else every response waits for a delayed ACK
    finally:
        sock.close()


def test_schema_of_text_columns_in_any_pandas_string_dtype():
    """Text columns arrive as object or as pandas' StringDtype (the default in pandas 3)."""
    frame = pd.DataFrame({"code": pd.Series(["A12", "A11", "A12"], dtype="string"),
                          "plain": pd.Series(["x", "y", "x"], dtype=object),
                          "months": [6, 48, 12], "rate": [0.5, 1.5, 1.0],
                          "flag": [True, False, True]})
    schema = infer_input_schema(frame)
    kinds = {name: spec["type"] for name, spec in schema["properties"].items()}
    assert kinds == {"code": "string", "plain": "string", "months": "integer",
                     "rate": "number", "flag": "boolean"}
    assert schema["properties"]["code"]["enum"] == ["A11", "A12"]
    assert schema["properties"]["months"] == {"type": "integer", "minimum": 6, "maximum": 48}


def test_a_classifier_with_text_columns_round_trips_through_the_app(tmp_path):
    """Not only the bike model: a thresholded classifier on StringDtype codes is saved,
    verified, loaded and served; its decisions come back as 0/1, unknown codes get a 422."""
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import FixedThresholdClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    from mlcourse.serving import create_app

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"status": pd.Series(rng.choice(["A11", "A12", "A14"], 200),
                                          dtype="string"),
                      "months": rng.integers(6, 60, 200)})
    y = ((X["status"] == "A11").to_numpy() | (X["months"].to_numpy() > 40)).astype(int)
    model = FixedThresholdClassifier(
        make_pipeline(make_column_transformer((OneHotEncoder(handle_unknown="ignore"),
                                               ["status"]), remainder="passthrough"),
                      LogisticRegression()),
        threshold=0.3, response_method="predict_proba").fit(X, y)
    save_artefact(model, tmp_path / "credit", version="c1", X_example=X)
    loaded = load_artefact(tmp_path / "credit.skops")
    assert loaded.manifest["input_schema"]["properties"]["status"]["enum"] == ["A11", "A12",
                                                                               "A14"]
    rows = X.iloc[:5].to_dict(orient="records")

    async def ask():
        transport = httpx.ASGITransport(app=create_app(loaded))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return (await client.post("/predict", json={"rows": rows}),
                    await client.post("/predict", json={"rows": [{**rows[0], "status": "A19"}]}))

    answer, bad = asyncio.run(ask())
    assert answer.status_code == 200
    assert answer.json()["predictions"] == model.predict(X.iloc[:5]).astype(float).tolist()
    assert bad.status_code == 422 and bad.json()["message"].startswith("rows[0].status")
