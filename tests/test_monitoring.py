"""mlcourse.monitoring: drift statistics against SciPy, edge cases, the paired bootstrap and
the local MLflow store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlcourse import monitoring


def _loop_psi(reference, current, n_bins=10, eps=1e-4):
    """PSI by the definition, one bin at a time (edges from np.quantile, x == edge goes up)."""
    reference, current = np.asarray(reference, float), np.asarray(current, float)
    edges = sorted(set(np.quantile(reference, [k / n_bins for k in range(1, n_bins)])))
    bounds = [-np.inf, *edges, np.inf]
    total = 0.0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        p = max(np.mean((reference >= lo) & (reference < hi)), eps)
        q = max(np.mean((current >= lo) & (current < hi)), eps)
        total += (q - p) * np.log(q / p)
    return total


# --------------------------------------------------------------------------- PSI
@pytest.mark.parametrize("seed", range(4))
def test_psi_matches_the_definition(seed):
    rng = np.random.default_rng(seed)
    reference = rng.normal(0, 1, 2000)
    current = rng.normal(rng.uniform(-1, 1), rng.uniform(0.5, 2), 700)
    n_bins = int(rng.integers(3, 20))
    assert monitoring.psi(reference, current, n_bins) == pytest.approx(
        _loop_psi(reference, current, n_bins), rel=1e-12)


def test_psi_with_repeated_quantiles_and_values_on_edges():
    rng = np.random.default_rng(1)
    reference = rng.integers(0, 4, 1000).astype(float)
    reference[:600] = 1.0
    current = rng.integers(0, 6, 500)
    assert monitoring.quantile_edges(reference, 10).size < 9
    assert monitoring.psi(reference, current) == pytest.approx(_loop_psi(reference, current))


def test_psi_is_near_zero_for_the_same_distribution_and_grows_with_the_shift():
    rng = np.random.default_rng(2)
    reference = rng.normal(0, 1, 20_000)
    values = [monitoring.psi(reference, rng.normal(shift, 1, 20_000))
              for shift in (0.0, 0.2, 0.5, 1.0)]
    assert values[0] < 0.01
    assert np.all(np.diff(values) > 0)
    assert monitoring.psi(reference, reference) == 0.0


def test_psi_empty_bins_stay_finite():
    reference = np.linspace(0, 1, 1000)
    value = monitoring.psi(reference, reference + 5)  # every current value in the top bin
    # nine bins lose 0.1 each, one bin gains 0.9, all with the floor at 1e-4
    eps = 1e-4
    expected = 9 * (eps - 0.1) * np.log(eps / 0.1) + (1 - 0.1) * np.log(1 / 0.1)
    assert np.isfinite(value)
    assert value == pytest.approx(expected, rel=1e-9)


def test_psi_of_a_constant_feature():
    constant = np.full(300, 2.5)
    assert monitoring.quantile_edges(constant).tolist() == [2.5]
    assert monitoring.psi(constant, constant) == 0.0
    assert monitoring.psi(constant, constant - 1) == pytest.approx(2 * (1 - 1e-4) * np.log(1e4))


def test_psi_is_not_symmetric_in_its_bins_but_is_in_its_formula():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 3000), rng.normal(0.5, 1, 3000)
    # the same bins, swapped roles of p and q: the formula is symmetric
    p, q = np.array([0.2, 0.3, 0.5]), np.array([0.1, 0.4, 0.5])
    assert monitoring._psi_from_proportions(p, q, 1e-4) == pytest.approx(
        monitoring._psi_from_proportions(q, p, 1e-4))
    # but the bins come from the reference, so psi(a, b) and psi(b, a) differ slightly
    assert monitoring.psi(a, b) != monitoring.psi(b, a)


@pytest.mark.parametrize("bad, match", [([], "empty"), ([1.0, np.nan], "NaN")])
def test_psi_refuses_empty_or_missing_values(bad, match):
    with pytest.raises(ValueError, match=match):
        monitoring.psi([1.0, 2.0, 3.0], bad)
    with pytest.raises(ValueError, match=match):
        monitoring.psi(bad, [1.0, 2.0, 3.0])


def test_psi_refuses_fewer_than_two_bins():
    with pytest.raises(ValueError, match="n_bins"):
        monitoring.psi([1.0, 2.0], [1.0], n_bins=1)


def test_categorical_psi_with_an_unseen_category():
    reference = ["a"] * 50 + ["b"] * 50
    current = ["a"] * 40 + ["b"] * 40 + ["c"] * 20
    eps = 1e-4
    expected = 2 * (0.4 - 0.5) * np.log(0.4 / 0.5) + (0.2 - eps) * np.log(0.2 / eps)
    assert monitoring.categorical_psi(reference, current) == pytest.approx(expected)
    assert monitoring.categorical_psi(reference, reference) == 0.0


# --------------------------------------------------------------------------- KS
@pytest.mark.parametrize("seed", range(5))
def test_ks_statistic_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, int(rng.integers(5, 800)))
    b = rng.normal(rng.uniform(-1, 1), rng.uniform(0.3, 3), int(rng.integers(5, 800)))
    assert monitoring.ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic,
                                                          abs=1e-12)


def test_ks_statistic_with_ties_matches_scipy():
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 4, 500), rng.integers(0, 6, 300)
    assert monitoring.ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic,
                                                          abs=1e-12)


def test_ks_statistic_edge_cases():
    assert monitoring.ks_statistic([1.0, 1.0], [1.0]) == 0.0
    assert monitoring.ks_statistic([0.0, 0.0], [1.0, 2.0]) == 1.0
    assert monitoring.ks_statistic([3.0], [3.0, 4.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="empty"):
        monitoring.ks_statistic([1.0], [])


# --------------------------------------------------------------------------- chi²
def _scipy_chi2(reference, current):
    categories = sorted(set(map(str, reference)) | set(map(str, current)))
    table = np.array([[np.sum(np.asarray(reference, str) == c) for c in categories],
                      [np.sum(np.asarray(current, str) == c) for c in categories]])
    return stats.chi2_contingency(table, correction=False)


@pytest.mark.parametrize("case", ["plain", "unseen", "missing", "two"])
def test_chi2_matches_scipy(case):
    rng = np.random.default_rng(11)
    cats = np.array(["1", "2", "3"])
    reference = rng.choice(cats, 400, p=[0.6, 0.3, 0.1])
    current = rng.choice(cats, 250, p=[0.5, 0.3, 0.2])
    if case == "unseen":
        current = np.r_[current, ["4"] * 15]
    elif case == "missing":
        current = current[current != "3"]
    elif case == "two":
        reference, current = reference[reference != "3"], current[current != "3"]
    got = monitoring.chi2_test(reference, current)
    expected = _scipy_chi2(reference, current)
    assert got.statistic == pytest.approx(expected.statistic, rel=1e-10)
    assert got.dof == expected.dof
    assert got.pvalue == pytest.approx(expected.pvalue, rel=1e-8)


def test_chi2_of_one_category_has_no_degrees_of_freedom():
    got = monitoring.chi2_test(["a"] * 5, ["a"] * 3)
    assert got == (0.0, 0, 1.0)


def test_chi2_accepts_numbers_and_strings_alike():
    assert monitoring.chi2_test([1, 2, 2], [2, 1, 1]).statistic == pytest.approx(
        monitoring.chi2_test(["1", "2", "2"], ["2", "1", "1"]).statistic)


# --------------------------------------------------------------------------- drift table
def test_drift_table_has_one_row_per_feature():
    rng = np.random.default_rng(5)
    reference = pd.DataFrame({"x": rng.normal(size=300), "c": rng.choice(["a", "b"], 300)})
    current = pd.DataFrame({"x": rng.normal(1, 1, 200), "c": rng.choice(["a", "b", "z"], 200)})
    table = monitoring.drift_table(reference, current, ["x"], ["c"])
    assert table.index.tolist() == ["x", "c"]
    assert table.loc["x", "psi"] == pytest.approx(monitoring.psi(reference["x"], current["x"]))
    assert table.loc["x", "statistic"] == pytest.approx(
        stats.ks_2samp(reference["x"], current["x"]).statistic)
    assert table.loc["c", "statistic"] == pytest.approx(
        _scipy_chi2(reference["c"], current["c"]).statistic)
    assert np.isnan(table.loc["x", "pvalue"]) and 0 <= table.loc["c", "pvalue"] <= 1


# --------------------------------------------------------------------------- bootstrap
def test_paired_bootstrap_interval_agrees_with_the_normal_approximation():
    rng = np.random.default_rng(0)
    shared = rng.exponential(10, 2000)
    loss_a = shared + rng.normal(0, 1, 2000)
    loss_b = shared + rng.normal(0, 1, 2000) + 0.3
    low, high = monitoring.paired_bootstrap_interval(loss_a, loss_b, n_resamples=4000)
    d = loss_a - loss_b
    half = 1.96 * d.std() / np.sqrt(d.size)
    assert low < d.mean() < high
    assert (high - low) == pytest.approx(2 * half, rel=0.1)
    assert (low + high) / 2 == pytest.approx(d.mean(), abs=0.1 * half)
    assert high < 0  # model a is better by 0.3, far beyond the noise


def test_paired_bootstrap_interval_is_reproducible_and_chunked_alike():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=50), rng.normal(size=50)
    first = monitoring.paired_bootstrap_interval(a, b, random_state=3)
    assert first == monitoring.paired_bootstrap_interval(a, b, random_state=3)
    wide = rng.normal(size=5000)  # more than one chunk of resamples
    low, high = monitoring.paired_bootstrap_interval(wide, np.zeros(5000), n_resamples=1000)
    assert low < wide.mean() < high


def test_paired_bootstrap_interval_refuses_unpaired_input():
    with pytest.raises(ValueError, match="paired"):
        monitoring.paired_bootstrap_interval([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="confidence"):
        monitoring.paired_bootstrap_interval([1.0, 2.0], [1.0, 2.0], confidence=95)


# --------------------------------------------------------------------------- MLflow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # SQLAlchemy 2.1 on MLflow's mappers
def test_mlflow_store_tracks_runs_and_moves_an_alias(tmp_path):
    mlflow = pytest.importorskip("mlflow")
    from mlflow import MlflowClient

    uri = monitoring.mlflow_tracking_uri(tmp_path / "store", template_dir=tmp_path / "cache")
    assert (tmp_path / "cache" / monitoring._template_name()).exists()
    assert mlflow.__version__ in monitoring._template_name()
    assert uri.startswith("sqlite:///") and (tmp_path / "store" / "mlflow.db").exists()
    # a second store copies the template and starts empty
    other = monitoring.mlflow_tracking_uri(tmp_path / "other", template_dir=tmp_path / "cache")
    previous = mlflow.get_tracking_uri()
    try:
        mlflow.set_tracking_uri(uri)
        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        experiment = client.create_experiment(
            "test", artifact_location=(tmp_path / "artifacts").as_uri())
        versions = []
        for value in (2.0, 1.0):
            run = client.create_run(experiment)
            client.log_param(run.info.run_id, "alpha", value)
            client.log_metric(run.info.run_id, "mae", value)
            (tmp_path / "model.txt").write_text(str(value))
            client.log_artifact(run.info.run_id, str(tmp_path / "model.txt"), "model")
            client.set_terminated(run.info.run_id)
            if not versions:
                client.create_registered_model("m")
            versions.append(client.create_model_version(
                "m", source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id))
        client.set_registered_model_alias("m", "champion", versions[0].version)
        assert int(client.get_model_version_by_alias("m", "champion").version) == 1
        client.set_registered_model_alias("m", "champion", versions[1].version)
        assert int(client.get_model_version_by_alias("m", "champion").version) == 2
        runs = client.search_runs([experiment], order_by=["metrics.mae ASC"])
        assert [r.data.metrics["mae"] for r in runs] == [1.0, 2.0]
        default = MlflowClient(tracking_uri=other).search_experiments()[0]
        assert default.name == "Default"
        assert default.artifact_location == (tmp_path / "other" / "artifacts").resolve().as_uri()
        assert len(MlflowClient(tracking_uri=other).search_experiments()) == 1
    finally:
        mlflow.set_tracking_uri(previous)
