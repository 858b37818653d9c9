"""The group fairness metrics of mlcourse.metrics give fairlearn's numbers, edge cases included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as fl

from mlcourse import metrics

NAMES = ["demographic_parity_difference", "demographic_parity_ratio",
         "equalized_odds_difference", "equalized_odds_ratio"]
METHODS = ["between_groups", "to_overall"]


def same(got, expected):
    """Equal to the last rounding error (sums are taken in another order), NaN matching NaN."""
    assert isinstance(got, float)
    if np.isnan(expected):
        assert np.isnan(got), (got, expected)
    else:
        assert got == pytest.approx(float(expected), rel=1e-12, abs=1e-15)


def both(name, y_true, y_pred, groups, **kwargs):
    ours = getattr(metrics, name)(y_true, y_pred, sensitive_features=groups, **kwargs)
    theirs = getattr(fl, name)(y_true, y_pred, sensitive_features=groups, **kwargs)
    same(ours, theirs)
    return ours


def random_case(seed, n_groups, n=400, labels=(0, 1), strings=False, weighted=False):
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, n_groups, n)
    # the groups differ in base rate and in how often they are selected
    y_true = (rng.random(n) < 0.2 + 0.6 * groups / max(n_groups - 1, 1)).astype(int)
    y_pred = np.where(rng.random(n) < 0.7, y_true, (rng.random(n) < 0.3 + 0.1 * groups))
    y_true, y_pred = np.asarray(labels)[y_true], np.asarray(labels)[y_pred.astype(int)]
    if strings:
        groups = np.array(["north", "south", "east", "west", "centre"])[groups]
    weight = rng.uniform(0.1, 3.0, n) if weighted else None
    return y_true, y_pred, groups, weight


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_random_cases_match_fairlearn(name, method, seed):
    for n_groups in (2, 3, 5):
        y_true, y_pred, groups, _ = random_case(seed, n_groups)
        both(name, y_true, y_pred, groups, method=method)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", METHODS)
def test_string_groups_weights_and_minus_one_labels(name, method):
    y_true, y_pred, groups, weight = random_case(10, 5, strings=True, weighted=True)
    both(name, y_true, y_pred, groups, method=method, sample_weight=weight)
    y_true, y_pred, groups, _ = random_case(11, 3, labels=(-1, 1), strings=True)
    both(name, y_true, y_pred, pd.Series(groups), method=method)
    both(name, list(y_true), list(y_pred), list(groups), method=method)


@pytest.mark.parametrize("name", ["equalized_odds_difference", "equalized_odds_ratio"])
@pytest.mark.parametrize("method", METHODS)
def test_mean_aggregation(name, method):
    y_true, y_pred, groups, weight = random_case(12, 4, weighted=True)
    both(name, y_true, y_pred, groups, method=method, agg="mean", sample_weight=weight)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", METHODS)
def test_two_sensitive_columns_make_intersecting_groups(name, method):
    rng = np.random.default_rng(5)
    y_true, y_pred, groups, _ = random_case(13, 3, n=600)
    frame = pd.DataFrame({"a": groups, "b": np.array(["x", "y"])[rng.integers(0, 2, 600)]})
    both(name, y_true, y_pred, frame, method=method)


EDGE_CASES = {
    # group "b" has no positive row: its TPR counts as 0 in fairlearn
    "a group without positives": ([1, 0, 1, 1, 0, 0, 0, 0], [1, 0, 0, 1, 1, 0, 1, 0],
                                  ["a", "a", "a", "a", "b", "b", "b", "b"]),
    # group "b" has no negative row
    "a group without negatives": ([1, 0, 1, 0, 1, 1, 1], [1, 1, 0, 0, 1, 0, 1],
                                  ["a", "a", "a", "a", "b", "b", "b"]),
    "nobody selected": ([1, 0, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0], [1, 1, 2, 2, 3, 3]),
    "everybody selected": ([1, 0, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1], [1, 1, 2, 2, 3, 3]),
    "one group only": ([1, 0, 1, 1], [1, 0, 0, 1], ["z", "z", "z", "z"]),
    "a one-row group": ([1, 0, 1, 1, 0], [1, 0, 0, 1, 1], ["a", "a", "a", "a", "b"]),
    "no positive at all": ([0, 0, 0, 0], [1, 0, 0, 1], ["a", "a", "b", "b"]),
    "perfect predictions": ([1, 0, 1, 0], [1, 0, 1, 0], ["a", "a", "b", "b"]),
}


@pytest.mark.parametrize("case", EDGE_CASES)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", METHODS)
def test_edge_cases_match_fairlearn(case, name, method):
    y_true, y_pred, groups = EDGE_CASES[case]
    both(name, np.array(y_true), np.array(y_pred), np.array(groups), method=method)


def test_values_that_can_be_worked_out_by_hand():
    y_true = np.array([1, 1, 0, 0, 1, 1, 0, 0])
    y_pred = np.array([1, 1, 1, 0, 1, 0, 0, 0])
    groups = np.array(["a"] * 4 + ["b"] * 4)
    # selection rates 3/4 and 1/4; TPR 1 and 1/2; FPR 1/2 and 0
    kw = {"sensitive_features": groups}
    assert metrics.demographic_parity_difference(y_true, y_pred, **kw) == 0.5
    assert metrics.demographic_parity_ratio(y_true, y_pred, **kw) == pytest.approx(1 / 3)
    assert metrics.equalized_odds_difference(y_true, y_pred, **kw) == 0.5
    assert metrics.equalized_odds_ratio(y_true, y_pred, **kw) == 0.0
    assert metrics.demographic_parity_difference(y_true, y_pred, method="to_overall",
                                                 **kw) == 0.25


def test_clear_errors():
    y, groups = np.array([0, 1, 1, 0]), np.array(["a", "a", "b", "b"])
    with pytest.raises(ValueError, match="method"):
        metrics.demographic_parity_difference(y, y, sensitive_features=groups, method="max")
    with pytest.raises(ValueError, match="agg"):
        metrics.equalized_odds_difference(y, y, sensitive_features=groups, agg="median")
    with pytest.raises(ValueError, match="one row per sample"):
        metrics.demographic_parity_ratio(y, y, sensitive_features=groups[:3])
    with pytest.raises(ValueError, match="binary labels"):
        metrics.equalized_odds_difference(np.array([0, 1, 2, 0]), y, sensitive_features=groups)
    with pytest.raises(ValueError):
        metrics.demographic_parity_difference(y, y[:3], sensitive_features=groups)
