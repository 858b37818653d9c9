"""The course's bike-demand model, built into the course cache on first use.

Hourly rentals of the UCI Bike Sharing data (``datasets/bike_sharing/hour.csv.gz``): a
gradient-boosted regressor with a Poisson loss (rentals are counts), trained on every hour
before 1 September 2012 and scored on the four months after. Deterministic: the same data
and seed give the same model, so a rebuilt cache serves the same predictions.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

BIKE_MODEL_VERSION = "bike-demand-1.1"
BIKE_MODEL_NAME = "bike_demand"
SPLIT_DATE = "2012-09-01"

# One row of input: the columns of hour.csv the model uses, with their real domain (the
# dataset's own description), not merely the range seen in training.
BIKE_INPUT_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "season": {"type": "integer", "minimum": 1, "maximum": 4,
                   "description": "1 winter, 2 spring, 3 summer, 4 autumn"},
        "yr": {"type": "integer", "minimum": 0, "maximum": 1,
               "description": "year index: 0 = 2011, 1 = 2012"},
        "mnth": {"type": "integer", "minimum": 1, "maximum": 12, "description": "month"},
        "hr": {"type": "integer", "minimum": 0, "maximum": 23, "description": "hour of day"},
        "holiday": {"type": "integer", "minimum": 0, "maximum": 1,
                    "description": "1 on a public holiday"},
        "weekday": {"type": "integer", "minimum": 0, "maximum": 6,
                    "description": "0 Sunday ... 6 Saturday"},
        "workingday": {"type": "integer", "minimum": 0, "maximum": 1,
                       "description": "1 if neither weekend nor holiday"},
        "weathersit": {"type": "integer", "minimum": 1, "maximum": 4,
                       "description": "1 clear ... 4 heavy rain or snow"},
        "temp": {"type": "number", "minimum": 0.0, "maximum": 1.0,
                 "description": "temperature / 41 °C"},
        "atemp": {"type": "number", "minimum": 0.0, "maximum": 1.0,
                  "description": "feels-like temperature / 50 °C"},
        "hum": {"type": "number", "minimum": 0.0, "maximum": 1.0,
                "description": "relative humidity / 100"},
        "windspeed": {"type": "number", "minimum": 0.0, "maximum": 1.0,
                      "description": "wind speed / 67"},
    },
    "additionalProperties": False,
    "x-max-rows": 5000,
}
BIKE_INPUT_SCHEMA["required"] = list(BIKE_INPUT_SCHEMA["properties"])
FEATURES = list(BIKE_INPUT_SCHEMA["properties"])
TARGET = "cnt"


def bike_data():
    """``X_train, X_test, y_train, y_test``: hours before / from 1 September 2012."""
    from mlcourse.datasets import load_bike_sharing

    hours = load_bike_sharing("hour")
    train = hours["dteday"] < SPLIT_DATE
    X, y = hours[FEATURES], hours[TARGET]
    return X[train], X[~train], y[train], y[~train]


def make_bike_pipeline():
    """The unfitted pipeline: gradient boosting with a Poisson loss, fixed seed and size."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline

    return Pipeline([
        # 60 trees of up to 63 leaves: as accurate here as 300 smaller ones and five times
        # quicker to answer a one-row request (each tree is one Python-level call).
        ("model", HistGradientBoostingRegressor(loss="poisson", max_iter=60, learning_rate=0.3,
                                                max_leaf_nodes=63, early_stopping=False,
                                                random_state=0)),
    ])


def build_bike_model(path) -> dict:
    """Fit the course's bike-demand model and write it as an artefact at ``path``."""
    from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

    from mlcourse.datasets import REGISTRY, dataset_path
    from mlcourse.serving.artefact import save_artefact

    X_train, X_test, y_train, y_test = bike_data()
    model = make_bike_pipeline().fit(X_train, y_train)
    predicted = model.predict(X_test)
    entry = REGISTRY["bike_sharing_hour"]
    dataset_path("bike_sharing_hour")  # verifies the checksum
    data = {
        "source": "UCI Bike Sharing (Capital Bikeshare, Washington DC), hourly",
        "file": f"datasets/{entry.path}",
        "sha256": entry.sha256,
        "train": f"dteday < {SPLIT_DATE} ({len(X_train)} rows)",
        "test": f"dteday >= {SPLIT_DATE} ({len(X_test)} rows)",
        "target": "cnt (rentals in the hour)",
    }
    metrics = {
        "test_mae": round(float(mean_absolute_error(y_test, predicted)), 3),
        "test_rmse": round(float(root_mean_squared_error(y_test, predicted)), 3),
        "test_r2": round(float(r2_score(y_test, predicted)), 4),
    }
    return save_artefact(model, path, version=BIKE_MODEL_VERSION, X_example=X_test,
                         data=data, metrics=metrics, input_schema=BIKE_INPUT_SCHEMA)


def bike_model_path(rebuild: bool = False) -> Path:
    """The course's bike-demand artefact in the cache, built there on first use (seconds).

    Rebuilt when missing, when its manifest is missing or names another version, or when
    ``rebuild`` is true. (An altered file is not rebuilt silently: loading it is refused.)
    """
    import json

    from mlcourse.datasets import cache_dir

    path = cache_dir() / "models" / f"{BIKE_MODEL_NAME}.skops"
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = path.with_suffix(".json")
    with _lock(path.with_suffix(".lock")):  # two processes never build it at the same time
        current = False
        if path.is_file() and manifest.is_file():
            try:
                current = json.loads(manifest.read_text())["version"] == BIKE_MODEL_VERSION
            except (ValueError, KeyError, TypeError):
                current = False
        if rebuild or not current:
            build_bike_model(path)
    return path


@contextmanager
def _lock(path):
    """An exclusive lock on ``path`` between processes (POSIX; no lock on Windows)."""
    try:
        import fcntl
    except ImportError:  # Windows: one learner, one process, in practice
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
