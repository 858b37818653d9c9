"""The checkers of notebook 17 pass right answers (more than one method) and fail the wrong
answers a learner is likely to write, each with a useful hint."""

from __future__ import annotations

import numpy as np
import pandas as pd
from checker_helpers import fails_any_case as fails
from checker_helpers import passes
from scipy import stats

from mlcourse import monitoring

# --------------------------------------------------------------------------- 17.1 PSI


def _psi(edges, shares, current, side="right", eps=1e-4, log=np.log, sign=1, pad=True,
         divide_by=None):
    edges = np.asarray(edges, dtype=float)
    p = np.asarray(shares, dtype=float)
    current = np.asarray(current, dtype=float)
    if pad:
        index = np.searchsorted(edges, current, side=side)
    else:  # only the values between the first and the last edge
        inside = (current >= edges[0]) & (current <= edges[-1])
        index = np.searchsorted(edges, current[inside], side=side)
    n = index.size if divide_by is None else divide_by(current)
    q = np.bincount(index, minlength=edges.size + 1) / n
    if eps:
        p, q = np.maximum(p, eps), np.maximum(q, eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(sign * (q - p) * log(q / p)))


def test_17_1_the_profile_matches_the_reference_data():
    from mlcourse.exercises.nb17 import _profile_psi, _psi_cases

    for _, edges, shares, current, reference, n_bins in _psi_cases(np.random.default_rng(17)):
        if reference is not None:
            assert np.isclose(_profile_psi(edges, shares, current),
                              monitoring.psi(reference, current, n_bins))


def test_17_1_reference_and_other_right_methods_pass():
    passes("17.1", _psi)

    def with_digitize(edges, shares, current):
        edges, current = np.asarray(edges, float), np.asarray(current, float)
        q = np.bincount(np.digitize(current, edges), minlength=len(edges) + 1) / len(current)
        p, q = np.clip(np.asarray(shares, float), 1e-4, None), np.clip(q, 1e-4, None)
        return np.sum((q - p) * np.log(q) - (q - p) * np.log(p))

    passes("17.1", with_digitize)

    def with_padded_histogram(edges, shares, current):
        bounds = np.r_[-np.inf, np.asarray(edges, float), np.inf]
        q = np.histogram(np.asarray(current, float), bins=bounds)[0] / len(current)
        p, q = np.maximum(np.asarray(shares, float), 1e-4), np.maximum(q, 1e-4)
        return float(np.sum((q - p) * np.log(q / p)))

    passes("17.1", with_padded_histogram)


def test_17_1_wrong_answers_fail_with_hints():
    fails("17.1", lambda e, s, c: _psi(e, s, c, eps=0), "floor")
    fails("17.1", lambda e, s, c: _psi(e, s, c, side="left"), "side='right'")
    fails("17.1", lambda e, s, c: _psi(e, s, c, sign=-1), "negative")
    fails("17.1", lambda e, s, c: _psi(e, s, c, log=np.log10), "hint")
    fails("17.1", lambda e, s, c: _psi(e, s, c, pad=False), "outside the edges")

    def histogram_on_the_edges(edges, shares, current):  # B - 2 bins: shapes do not match
        q = np.histogram(current, bins=np.asarray(edges, float))[0] / len(current)
        p = np.maximum(np.asarray(shares, float), 1e-4)
        return float(np.sum((q - p) * np.log(np.maximum(q, 1e-4) / p)))

    fails("17.1", histogram_on_the_edges)


def test_17_1_refuses_scipy_the_course_module_and_in_place_edits():
    def with_scipy(edges, shares, current):
        stats.scoreatpercentile(current, 50)
        return _psi(edges, shares, current)

    fails("17.1", with_scipy, "scipy")

    def with_the_course_module(edges, shares, current):
        monitoring.quantile_edges(current)
        return _psi(edges, shares, current)

    fails("17.1", with_the_course_module, "mlcourse.monitoring")

    def floors_in_place(edges, shares, current):
        if isinstance(shares, np.ndarray):
            np.maximum(shares, 1e-4, out=shares)
        return _psi(edges, shares, current)

    fails("17.1", floors_in_place, "in place")


# --------------------------------------------------------------------------- 17.2 KS
def _ks(a, b, side="right", points_of=None, signed=False, unsorted_location=False):
    a0, b0 = np.asarray(a, float), np.asarray(b, float)
    a, b = np.sort(a0), np.sort(b0)
    points = np.concatenate([a, b]) if points_of is None else np.sort(points_of(a0, b0))
    gap = (np.searchsorted(a, points, side=side) / a.size
           - np.searchsorted(b, points, side=side) / b.size)
    if not signed:
        gap = np.abs(gap)
    i = int(np.argmax(gap))
    where = np.concatenate([a0, b0])[i] if unsorted_location else points[i]
    return float(gap[i]), float(where)


def test_17_2_reference_and_another_method_pass():
    passes("17.2", _ks)

    def via_unique(a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        points = np.unique(np.concatenate([a, b]))
        cdf_a = np.searchsorted(np.sort(a), points, side="right") / a.size
        cdf_b = np.searchsorted(np.sort(b), points, side="right") / b.size
        gaps = np.abs(cdf_a - cdf_b)
        return gaps.max(), points[gaps.argmax()]

    passes("17.2", via_unique)


def test_17_2_wrong_answers_fail_with_hints():
    fails("17.2", lambda a, b: _ks(a, b, side="left"), "side='right'")
    fails("17.2", lambda a, b: _ks(a, b, signed=True), "absolute")
    fails("17.2", lambda a, b: _ks(a, b, points_of=lambda a, b: a))
    fails("17.2", lambda a, b: _ks(a, b, unsorted_location=True), "same position")
    fails("17.2", lambda a, b: _ks(a, b)[0], "pair")


def test_17_2_refuses_scipy_and_a_loop():
    fails("17.2", lambda a, b: (stats.ks_2samp(a, b).statistic, float(np.asarray(a)[0])),
          "scipy")

    def loop(a, b):
        a, b = np.sort(np.asarray(a, float)), np.sort(np.asarray(b, float))
        best, where = 0.0, a[0]
        for x in np.concatenate([a, b]):
            gap = abs(np.searchsorted(a, x, "right") / a.size
                      - np.searchsorted(b, x, "right") / b.size)
            if gap > best:
                best, where = gap, x
        return best, where

    fails("17.2", loop, "loop")


# --------------------------------------------------------------------------- 17.3 chi²
def _chi2(reference, current, only_reference=False, yates=False):
    reference = np.asarray(reference, dtype=str)
    current = np.asarray(current, dtype=str)
    categories = np.unique(reference if only_reference else np.r_[reference, current])
    table = np.array([[np.sum(reference == c) for c in categories],
                      [np.sum(current == c) for c in categories]], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
    diff = np.abs(table - expected)
    if yates and table.shape[1] == 2:
        diff = np.maximum(diff - 0.5, 0)
    return float((diff**2 / expected).sum())


def test_17_3_reference_and_the_pandas_answer_pass():
    passes("17.3", _chi2)

    def with_crosstab(reference, current):
        table = pd.crosstab(
            np.r_[np.zeros(len(reference)), np.ones(len(current))],
            np.r_[np.asarray(reference, dtype=str), np.asarray(current, dtype=str)],
        ).to_numpy(dtype=float)
        expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
        return float(((table - expected) ** 2 / expected).sum())

    passes("17.3", with_crosstab)


def test_17_3_wrong_answers_fail_with_hints():
    fails("17.3", lambda r, c: _chi2(r, c, only_reference=True), "never had")
    fails("17.3", lambda r, c: _chi2(r, c, yates=True), "yates")

    def goodness_of_fit(reference, current):  # expected counts from the reference alone
        reference, current = np.asarray(reference, str), np.asarray(current, str)
        categories = np.unique(np.r_[reference, current])
        p = np.array([np.mean(reference == c) for c in categories])
        observed = np.array([np.sum(current == c) for c in categories])
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum((observed - p * len(current)) ** 2 / (p * len(current))))

    fails("17.3", goodness_of_fit, "expected")


def test_17_3_refuses_scipy():
    def with_scipy(reference, current):
        reference, current = np.asarray(reference, str), np.asarray(current, str)
        categories = np.unique(np.r_[reference, current])
        table = [[np.sum(reference == c) for c in categories],
                 [np.sum(current == c) for c in categories]]
        return stats.chi2_contingency(table, correction=False).statistic

    fails("17.3", with_scipy, "scipy")


# --------------------------------------------------------------------------- 17.4 bootstrap
def _interval(loss_a, loss_b, n_resamples=2000, seed=0, paired=True, sign=1,
              quantiles=(0.025, 0.975)):
    a, b = np.asarray(loss_a, float), np.asarray(loss_b, float)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, a.size, size=(n_resamples, a.size))
    other = rows if paired else rng.integers(0, a.size, size=(n_resamples, a.size))
    means = sign * (a[rows].mean(axis=1) - b[other].mean(axis=1))
    low, high = np.quantile(means, quantiles)
    return float(low), float(high)


def test_17_4_reference_and_a_loop_pass():
    passes("17.4", _interval)

    def loop(loss_a, loss_b, n_resamples=2000, seed=0):
        d = np.asarray(loss_a, float) - np.asarray(loss_b, float)
        rng = np.random.default_rng(seed)
        means = [d[rng.integers(0, d.size, d.size)].mean() for _ in range(n_resamples)]
        return tuple(np.percentile(means, [2.5, 97.5]))

    passes("17.4", loop)


def test_17_4_wrong_answers_fail_with_hints():
    fails("17.4", lambda a, b, n=2000, seed=0: _interval(a, b, n, seed, paired=False),
          "same rows")
    fails("17.4", lambda a, b, n=2000, seed=0: _interval(a, b, n, seed, sign=-1),
          "mean(loss_a) - mean(loss_b)")
    fails("17.4", lambda a, b, n=2000, seed=0: _interval(a, b, n, seed, quantiles=(0.05, 0.95)),
          "2.5 %")
    fails("17.4", lambda a, b, n=2000, seed=0: _interval(a, b, n, None), "same seed")
    fails("17.4", lambda a, b, n=2000, seed=0: _interval(a, b, n, seed)[::-1], "low >= high")


def test_17_4_refuses_the_course_module():
    fails("17.4", lambda a, b, n=2000, seed=0: monitoring.paired_bootstrap_interval(
        a, b, n, random_state=seed), "mlcourse.monitoring")


# --------------------------------------------------------------------------- 17.5 decision
def _decide(report, retrain_cost, cost_per_rental):
    excess = report["mae"] - report["expected_mae"]
    saving = excess * report["hours"] * report["months_ahead"] * cost_per_rental
    return saving > retrain_cost


def test_17_5_reference_passes():
    passes("17.5", _decide)
    passes("17.5", lambda r, c, k: bool(_decide(r, c, k)))


def test_17_5_wrong_judgements_fail_with_hints():
    fails("17.5", lambda r, c, k: max(r["psi"].values()) > 0.25, "drift alone")
    fails("17.5", lambda r, c, k: r["mae"] > 1.5 * r["expected_mae"])
    fails("17.5", lambda r, c, k: (r["mae"] - r["expected_mae"]) * r["hours"] * k > c,
          "months_ahead")
    fails("17.5", lambda r, c, k: (r["mae"] - r["expected_mae"]) * r["months_ahead"] * k > c)
    fails("17.5", lambda r, c, k: abs(r["mae"] - r["expected_mae"]) * r["hours"]
          * r["months_ahead"] * k > c, "negative saving")
    fails("17.5", lambda r, c, k: "yes", "True or False")
