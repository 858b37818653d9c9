"""Watching a model in production: drift statistics, a paired bootstrap, a local MLflow store.

Notebook 17 (monitoring_and_retraining) builds each of these step by step.

- :func:`psi`, :func:`categorical_psi`: the population stability index,
  ``PSI = sum_b (q_b - p_b) * ln(q_b / p_b)`` over bins ``b``, with ``p`` the reference
  proportions and ``q`` the current ones. Numeric bins are quantiles of the reference.
- :func:`ks_statistic`: the two-sample Kolmogorov-Smirnov statistic
  ``D = max_x |F_ref(x) - F_cur(x)|`` over the pooled values, in one sort and two searches.
- :func:`chi2_test`: Pearson's chi-squared test of a 2 x K table of category counts
  (reference, current), ``chi2 = sum (O - E)^2 / E``.
- :func:`drift_table`: every feature of a data frame at once.
- :func:`paired_bootstrap_interval`: a percentile interval for the difference in mean loss
  between two models scored on the same rows.
- :func:`mlflow_tracking_uri`: a fresh MLflow store (SQLite, no server) in a folder of yours.

The statistics take plain arrays and use NumPy only (SciPy for the chi-squared tail
probability); tests compare them with ``scipy.stats``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

PSI_EPS = 1e-4
"""Proportions are floored at this value so an empty bin gives a finite PSI."""


def _values(x, name: str, *, numeric: bool = True) -> np.ndarray:
    if numeric:
        values = np.asarray(x, dtype=float).ravel()
        if np.isnan(values).any():
            raise ValueError(f"{name} contains NaN; impute or drop missing values first.")
    else:
        values = np.asarray(x, dtype=object).ravel()
    if values.size == 0:
        raise ValueError(f"{name} is empty: drift needs at least one value on each side.")
    return values


def quantile_edges(reference, n_bins: int = 10) -> np.ndarray:
    """The inner bin edges: the reference's quantiles at 1/n_bins, ..., (n_bins-1)/n_bins.

    Repeated edges (a feature with few distinct values) are merged, so there may be fewer
    than ``n_bins`` bins. A value equal to an edge belongs to the bin above it.
    """
    if int(n_bins) < 2:
        raise ValueError(f"n_bins must be at least 2, got {n_bins}.")
    reference = _values(reference, "reference")
    inner = np.quantile(reference, np.linspace(0, 1, int(n_bins) + 1)[1:-1])
    return np.unique(inner)


def _psi_from_proportions(p: np.ndarray, q: np.ndarray, eps: float) -> float:
    p = np.maximum(p, eps)
    q = np.maximum(q, eps)
    return float(np.sum((q - p) * np.log(q / p)))


def psi(reference, current, n_bins: int = 10, eps: float = PSI_EPS) -> float:
    """Population stability index of a numeric feature, in quantile bins of the reference.

    ``PSI = sum_b (q_b - p_b) ln(q_b / p_b)``; proportions below ``eps`` count as ``eps``.
    Rule of thumb: below 0.1 stable, 0.1-0.25 a moderate shift, above 0.25 a large one.

    Parameters
    ----------
    reference, current : array-like of shape (n,)
        The feature at training time and now.
    n_bins : int
        Number of quantile bins (fewer if the reference has repeated quantiles).
    eps : float
        Floor for a bin's proportion, so an empty bin does not make PSI infinite.
    """
    reference = _values(reference, "reference")
    current = _values(current, "current")
    edges = quantile_edges(reference, n_bins)
    n_cells = edges.size + 1
    p = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=n_cells)
    q = np.bincount(np.searchsorted(edges, current, side="right"), minlength=n_cells)
    return _psi_from_proportions(p / reference.size, q / current.size, eps)


def _category_counts(reference, current) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    reference = _values(reference, "reference", numeric=False)
    current = _values(current, "current", numeric=False)
    categories, codes = np.unique(
        np.concatenate([reference, current]).astype(str), return_inverse=True
    )
    k = categories.size
    p = np.bincount(codes[: reference.size], minlength=k)
    q = np.bincount(codes[reference.size:], minlength=k)
    return categories, p, q


def categorical_psi(reference, current, eps: float = PSI_EPS) -> float:
    """PSI of a categorical feature: one bin per category seen on either side.

    A category the reference never had (an unseen category) has ``p = eps``.
    """
    _, p, q = _category_counts(reference, current)
    return _psi_from_proportions(p / p.sum(), q / q.sum(), eps)


def ks_statistic(reference, current) -> float:
    """Two-sample Kolmogorov-Smirnov statistic ``D = max_x |F_ref(x) - F_cur(x)|``.

    Both empirical CDFs are evaluated at every pooled value with ``np.searchsorted`` on the
    sorted samples (``side="right"`` counts ties), so the cost is a sort, not a loop.
    Same as ``scipy.stats.ks_2samp(reference, current).statistic``.
    """
    a = np.sort(_values(reference, "reference"))
    b = np.sort(_values(current, "current"))
    pooled = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, pooled, side="right") / a.size
    cdf_b = np.searchsorted(b, pooled, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


class Chi2Result(NamedTuple):
    statistic: float
    dof: int
    pvalue: float


def chi2_test(reference, current) -> Chi2Result:
    """Pearson's chi-squared test that two samples of a category share one distribution.

    The table has a row per sample and a column per category seen on either side;
    ``E = row total * column total / n``, ``chi2 = sum (O - E)^2 / E`` with ``K - 1`` degrees
    of freedom. Same as ``scipy.stats.chi2_contingency(table, correction=False)``.
    An unseen category is a column with a zero in the reference row: its expected count is
    still positive, so it adds to the statistic as it should.
    """
    from scipy.stats import chi2  # the tail probability only

    _, p, q = _category_counts(reference, current)
    observed = np.vstack([p, q]).astype(float)
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0) / observed.sum()
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    dof = observed.shape[1] - 1
    pvalue = float(chi2.sf(statistic, dof)) if dof > 0 else 1.0
    return Chi2Result(statistic, dof, pvalue)


def drift_table(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    numeric: Sequence[str] = (),
    categorical: Sequence[str] = (),
    n_bins: int = 10,
) -> pd.DataFrame:
    """One row per feature: its PSI and its test statistic (KS for numeric, chi² otherwise).

    Returns a DataFrame indexed by feature with columns ``kind``, ``psi``, ``statistic``
    (KS D, or chi²) and ``pvalue`` (chi² only; NaN for numeric features).
    """
    rows = []
    for name in numeric:
        rows.append({"feature": name, "kind": "numeric",
                     "psi": psi(reference[name], current[name], n_bins),
                     "statistic": ks_statistic(reference[name], current[name]),
                     "pvalue": np.nan})
    for name in categorical:
        result = chi2_test(reference[name], current[name])
        rows.append({"feature": name, "kind": "categorical",
                     "psi": categorical_psi(reference[name], current[name]),
                     "statistic": result.statistic, "pvalue": result.pvalue})
    return pd.DataFrame(rows).set_index("feature")


def paired_bootstrap_interval(
    loss_a,
    loss_b,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``mean(loss_a) - mean(loss_b)`` on the same rows.

    Paired: each resample draws row indices once and uses them for both models, so the
    noise the two models share (hard rows, busy hours) cancels in the difference.
    An interval entirely below zero says model a has the lower loss.

    Parameters
    ----------
    loss_a, loss_b : array-like of shape (n,)
        Per-row losses of the two models on the same rows (for MAE: ``|y - pred|``).
    n_resamples : int
        Number of bootstrap resamples.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    random_state : int or None
        Seed of the resampling.
    """
    loss_a = _values(loss_a, "loss_a")
    loss_b = _values(loss_b, "loss_b")
    if loss_a.shape != loss_b.shape:
        raise ValueError(
            f"The losses must be paired, one per row for both models; got {loss_a.size} and "
            f"{loss_b.size} values."
        )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}.")
    rng = np.random.default_rng(random_state)
    d = loss_a - loss_b
    n = d.size
    means = np.empty(int(n_resamples))
    chunk = max(1, 2_000_000 // n)  # bound the index matrix to about 16 MB
    for start in range(0, means.size, chunk):
        stop = min(start + chunk, means.size)
        means[start:stop] = d[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return float(low), float(high)


# --- MLflow: a local store, no server ---------------------------------------------------------

def _template_name() -> str:
    """One template per MLflow version: a newer MLflow refuses an older schema."""
    from importlib import metadata

    for distribution in ("mlflow-skinny", "mlflow"):
        try:
            return f"mlflow-empty-store-{metadata.version(distribution)}.db"
        except metadata.PackageNotFoundError:
            continue
    return "mlflow-empty-store.db"


def _quiet_mlflow() -> None:
    # No telemetry (the course runs offline) and no nagging about the tracking backend.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


def mlflow_tracking_uri(folder: str | os.PathLike, *, template_dir=None) -> str:
    """Create a fresh, empty MLflow store in ``folder`` and return its tracking URI.

    The store is a SQLite file (``folder/mlflow.db``) with the artefacts beside it
    (``folder/artifacts``). MLflow builds a new database by running its schema migrations,
    which takes seconds; so the migrated empty database is made once, kept in the course
    cache (``template_dir``, default :func:`mlcourse.datasets.cache_dir`) and copied.
    Use the URI for both tracking and the model registry::

        uri = mlflow_tracking_uri(tmp)
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
    """
    _quiet_mlflow()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if template_dir is None:
        from mlcourse.datasets import cache_dir

        template_dir = cache_dir()
    template = Path(template_dir) / _template_name()
    if not template.exists():
        _build_template(template)
    database = folder / "mlflow.db"
    shutil.copyfile(template, database)
    # the "Default" experiment keeps its artefacts beside this store, not beside the template
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                   ((folder / "artifacts").resolve().as_uri(),))
    return f"sqlite:///{database.resolve().as_posix()}"


def _build_template(template: Path) -> None:
    """Run MLflow's migrations on a new SQLite file, then move it into place atomically."""
    from mlflow.store.model_registry.sqlalchemy_store import (
        SqlAlchemyStore as RegistryStore,
    )
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    template.parent.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    uri = f"sqlite:///{partial.resolve().as_posix()}"
    artifacts = template.parent / "mlflow-template-artifacts"
    chatty = logging.getLogger("mlflow.store.db.utils")  # "Creating initial tables..."
    level = chatty.level
    chatty.setLevel(logging.WARNING)
    try:
        store = SqlAlchemyStore(uri, artifacts.as_uri())
        RegistryStore(uri)
        store.engine.dispose()
    finally:
        chatty.setLevel(level)
    shutil.rmtree(artifacts, ignore_errors=True)
    os.replace(partial, template)
