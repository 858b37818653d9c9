"""Checkers for notebook 17_monitoring_and_retraining.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference: ``mlcourse.monitoring`` for PSI, SciPy for the KS and chi-squared
statistics, a long paired bootstrap for the interval, the cost rule for the decision.
SciPy and ``mlcourse.monitoring`` are forbidden while the learner's function runs.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from mlcourse import monitoring
from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, expect_vectorised, forbidden_calls

_FORBIDDEN = ("scipy", "mlcourse.monitoring")


def _run(function, *args, why, what="your function"):
    """Call the answer with SciPy and the course's monitoring module forbidden, inputs watched."""
    with forbidden_calls(*_FORBIDDEN, why=why):
        return call_unmutated(function, *args, what=what)


def _scalar(value, what):
    array = as_array(value, what)
    expect(array.size == 1, f"{what} should be one number; got an array of shape {array.shape}.")
    return float(array.ravel()[0])


# --------------------------------------------------------------------------- 17.1 PSI
def _profile(reference, n_bins):
    reference = np.asarray(reference, dtype=float)
    edges = monitoring.quantile_edges(reference, n_bins)
    counts = np.bincount(np.searchsorted(edges, reference, side="right"),
                         minlength=edges.size + 1)
    return edges, counts / reference.size


def _profile_psi(edges, shares, current, side="right"):
    edges, current = np.asarray(edges, float), np.asarray(current, float)
    q = np.bincount(np.searchsorted(edges, current, side=side),
                    minlength=edges.size + 1) / current.size
    p = np.maximum(np.asarray(shares, float), monitoring.PSI_EPS)
    q = np.maximum(q, monitoring.PSI_EPS)
    return float(np.sum((q - p) * np.log(q / p)))


def _psi_cases(rng):
    """(name, edges, shares, current, reference or None)."""
    ref = rng.normal(10, 2, 3000)
    yield ("a shifted normal", *_profile(ref, 10), rng.normal(10.8, 2.3, 1500), ref, 10)
    yield ("five bins", *_profile(ref, 5), rng.normal(9.5, 2, 800), ref, 5)
    yield ("values above the last edge and below the first", *_profile(ref, 10),
           np.r_[rng.normal(30, 1, 300), rng.normal(-5, 1, 100)], ref, 10)
    discrete = rng.integers(0, 6, 2000).astype(float)
    discrete[:1200] = 2.0  # repeated quantiles, values sitting on the edges
    yield ("a feature with few distinct values", *_profile(discrete, 10),
           rng.integers(0, 7, 900).astype(float), discrete, 10)
    # a stored profile with a bin the reference never filled; edges and values as lists
    yield ("a profile with an empty bin, edges and values as lists", [0.0, 1.0, 2.0],
           np.array([0.3, 0.0, 0.3, 0.4]), list(rng.uniform(-1, 3, 300)), None, None)


@exercise("17.1", "PSI from a stored profile, without SciPy")
def check_psi_from_profile(psi_from_profile):
    rng = rng_for()
    hint = ("Hint: q = np.bincount(np.searchsorted(edges, current, side='right'), "
            "minlength=len(edges) + 1) / len(current); floor p and q with np.maximum(.., "
            "1e-4); then np.sum((q - p) * np.log(q / p)).")
    for name, edges, shares, current, _reference, _n_bins in _psi_cases(rng):
        edges_in = edges if isinstance(edges, list) else edges.copy()
        got = _run(psi_from_profile, edges_in, shares, current,
                   why="Count the bins and sum the terms with NumPy.")
        got = _scalar(got, f"The PSI for {name}")
        expected = _profile_psi(edges, shares, current)  # = monitoring.psi(reference, ...)
        expect(np.isfinite(got),
               f"For {name} your PSI is {got}: some bin is empty on one side. Floor both "
               "shares at 1e-4 before dividing and taking the log.")
        expect(got >= 0, f"For {name} your PSI is negative ({got:.4g}); PSI is a sum of "
               "(q - p) * ln(q / p), whose terms are never negative. Check the order of p "
               "and q in the two factors.")
        left = _profile_psi(edges, shares, current, side="left")
        if np.isclose(got, left, rtol=1e-6) and not np.isclose(left, expected, rtol=1e-6):
            raise ExerciseFailed(
                "A value equal to an edge must go to the bin above it: "
                "np.searchsorted(edges, x, side='right') (or np.digitize(x, edges)), "
                "not side='left'.")
        current_array = np.asarray(current, float)
        outside = (current_array < edges[0]) | (current_array > edges[-1])
        if outside.any() and not outside.all():
            inside_only = _profile_psi(edges, shares, current_array[~outside])
            expect(not (np.isclose(got, inside_only) and not np.isclose(inside_only, expected)),
                   f"For {name} you lost the values outside the edges. The first bin is "
                   "everything below edges[0] and the last everything from edges[-1] up "
                   "(np.histogram(current, bins=edges) drops them; put -inf and +inf "
                   "around the edges, or use np.searchsorted).")
        expect_close(got, expected, f"The PSI for {name}", hint)
    return ("Right: the PSI of five new samples against stored profiles (values beyond the "
            "edges, ties on the edges, an empty reference bin, lists), without SciPy and "
            "without changing the inputs.")


# --------------------------------------------------------------------------- 17.2 KS
def _gap_at(a, b, x):
    a, b = np.sort(np.asarray(a, float)), np.sort(np.asarray(b, float))
    return abs(np.searchsorted(a, x, side="right") / a.size
               - np.searchsorted(b, x, side="right") / b.size)


def _signed_max_gap(a, b):
    a, b = np.sort(np.asarray(a, float)), np.sort(np.asarray(b, float))
    points = np.concatenate([a, b])
    return float(np.max(np.searchsorted(a, points, side="right") / a.size
                        - np.searchsorted(b, points, side="right") / b.size))


def _ks_cases(rng):
    yield "two normals", rng.normal(0, 1, 700), rng.normal(0.4, 1.2, 300)
    yield "b to the left of a", rng.normal(2, 1, 250), rng.normal(0, 1, 400)
    yield "integers with many ties", rng.integers(0, 5, 600), rng.integers(0, 7, 350)
    a = rng.normal(0, 1, 500)  # the largest gap sits at a point of b, not of a
    yield "different spreads", a, rng.normal(0, 3, 200)
    yield "lists", list(rng.uniform(0, 1, 40)), list(rng.uniform(0.3, 1, 25))


@exercise("17.2", "The KS statistic, vectorised, and where it peaks")
def check_ks_with_location(ks_with_location):
    rng = rng_for()
    for name, a, b in _ks_cases(rng):
        got = _run(ks_with_location, a, b, why="Evaluate the two empirical CDFs with NumPy.")
        d, x = unpack(got, ("D", "x"))
        d = _scalar(d, f"D for {name}")
        x = _scalar(x, f"x for {name}")
        expected = stats.ks_2samp(a, b).statistic
        signed = [_signed_max_gap(a, b), _signed_max_gap(b, a)]
        expect(d >= 0 and not (np.isclose(signed, d).any() and not np.isclose(d, expected)),
               f"For {name} your D is {d:.4g}, the reference {expected:.4g}: take the "
               "absolute value of the gap, since either CDF can be the higher one.")
        expect_close(d, expected, f"D for {name}",
                     "Hint: evaluate both CDFs at every pooled value with "
                     "np.searchsorted(sorted_sample, points, side='right') / n; side='right' "
                     "counts the values equal to the point.")
        pooled = np.concatenate([np.asarray(a, float), np.asarray(b, float)])
        expect(np.isclose(pooled, x, rtol=0, atol=1e-12).any(),
               f"For {name} your x = {x:.6g} is not one of the pooled values.")
        expect(np.isclose(_gap_at(a, b, x), expected, rtol=1e-9, atol=1e-12),
               f"For {name} the gap at your x = {x:.6g} is {_gap_at(a, b, x):.4f}, not D = "
               f"{expected:.4f}: take x and D at the same position (the argmax of the gaps "
               "over the same array of points), and let F(x) count the values equal to x "
               "(side='right'; with side='left' the gap you found lies just below x).")
    big_a, big_b = rng.normal(0, 1, 100_000), rng.normal(0.01, 1, 100_000)
    expect_vectorised(lambda: ks_with_location(big_a, big_b),
                      lambda: monitoring.ks_statistic(big_a, big_b), factor=10,
                      what="Your function on 200,000 values",
                      hint="Sort once and use np.searchsorted on all the points at once, "
                           "instead of a loop over the points.")
    return ("Right: D equals SciPy's on five new pairs (ties, unequal sizes, either side "
            "higher), x is where the gap peaks, and it runs vectorised without SciPy.")


# --------------------------------------------------------------------------- 17.3 chi²
def _labels(rng, categories, probabilities, n):
    return rng.choice(np.asarray(categories), size=n, p=probabilities)


def _chi2_cases(rng):
    cats = ["clear", "mist", "rain"]
    yield "three categories", _labels(rng, cats, [0.6, 0.3, 0.1], 500), \
        _labels(rng, cats, [0.5, 0.3, 0.2], 300)
    yield "an unseen category in current", _labels(rng, cats, [0.6, 0.3, 0.1], 400), \
        _labels(rng, cats + ["storm"], [0.5, 0.25, 0.15, 0.1], 250)
    yield "a category missing from current", _labels(rng, cats + ["storm"], [0.4] * 2 +
                                                     [0.15, 0.05], 600), \
        _labels(rng, cats, [0.5, 0.3, 0.2], 200)
    yield "two categories", _labels(rng, ["yes", "no"], [0.3, 0.7], 150), \
        _labels(rng, ["yes", "no"], [0.45, 0.55], 90)
    yield "lists", list(_labels(rng, cats, [0.2, 0.3, 0.5], 60)), \
        list(_labels(rng, cats[:2], [0.5, 0.5], 40))


def _table(reference, current, categories):
    reference, current = np.asarray(reference, str), np.asarray(current, str)
    return np.array([[np.sum(reference == c) for c in categories],
                     [np.sum(current == c) for c in categories]])


@exercise("17.3", "Chi-squared with unseen categories")
def check_chi2_drift(chi2_drift):
    rng = rng_for()
    for name, reference, current in _chi2_cases(rng):
        got = _run(chi2_drift, reference, current,
                   why="Build the table and the statistic with NumPy or pandas.")
        got = _scalar(got, f"The statistic for {name}")
        categories = sorted(set(map(str, reference)) | set(map(str, current)))
        table = _table(reference, current, categories)
        expected = stats.chi2_contingency(table, correction=False).statistic
        seen = sorted(set(map(str, reference)))
        if len(seen) < len(categories):
            only_seen = _table(reference, current, seen)
            only_seen = only_seen[:, only_seen.sum(axis=0) > 0]
            if np.isclose(got, stats.chi2_contingency(only_seen, correction=False).statistic):
                raise ExerciseFailed(
                    f"For {name} you left out the categories the reference never had. Take "
                    "the columns over the categories of both samples: an unseen category is "
                    "exactly the drift to report.")
        if table.shape[1] == 2 and np.isclose(
                got, stats.chi2_contingency(table, correction=True).statistic):
            raise ExerciseFailed("With two categories your statistic has Yates' continuity "
                                 "correction; the task asks for Pearson's statistic without it.")
        expect(np.isfinite(got),
               f"For {name} your statistic is {got}: an expected count of zero? Compute "
               "E = row total * column total / n over the 2 x K table (both samples), not "
               "from the reference's shares alone.")
        expect_close(got, expected, f"The statistic for {name}",
                     "Hint: table of counts, 2 rows (reference, current) x K categories; "
                     "E = table.sum(1, keepdims=True) * table.sum(0) / table.sum(); "
                     "sum((table - E)**2 / E).")
    return ("Right: Pearson's statistic equals SciPy's chi2_contingency on five new pairs, "
            "unseen and missing categories included, without SciPy.")


# --------------------------------------------------------------------------- 17.4 bootstrap
def _paired_losses(rng, n, shift):
    hard = rng.exponential(20, n)                       # difficulty shared by both models
    loss_a = hard + rng.normal(0, 2, n)
    loss_b = hard + rng.normal(0, 2, n) + shift
    return loss_a, loss_b


def _reference_interval(loss_a, loss_b, rng, n_resamples=8000):
    d = np.asarray(loss_a, float) - np.asarray(loss_b, float)
    means = d[rng.integers(0, d.size, size=(n_resamples, d.size))].mean(axis=1)
    return np.quantile(means, [0.025, 0.975])


@exercise("17.4", "A paired bootstrap interval")
def check_paired_interval(paired_interval):
    rng = rng_for()
    why = "Write the resampling with NumPy."
    for n, shift in [(400, 1.0), (250, -0.5), (600, 0.0)]:
        loss_a, loss_b = _paired_losses(rng, n, shift)
        got = _run(paired_interval, loss_a, loss_b, 2000, 3, why=why)
        low, high = (_scalar(v, "low and high") for v in unpack(got, ("low", "high")))
        expect(low < high, f"Your interval ({low:.3f}, {high:.3f}) has low >= high.")
        ref_low, ref_high = _reference_interval(loss_a, loss_b, rng)
        width, centre = ref_high - ref_low, (ref_low + ref_high) / 2
        flipped = abs((low + high) / 2 + centre) < 0.1 * width
        expect(not (flipped and abs(centre) > 0.2 * width),
               f"Your interval is centred on {(low + high) / 2:.3f}, the reference on "
               f"{centre:.3f}: the difference is mean(loss_a) - mean(loss_b), in that order.")
        expect(high - low < 2.5 * width,
               f"Your interval is {(high - low) / width:.1f} times as wide as the paired "
               "bootstrap's: resample the rows once per resample and use the same rows for "
               "both models, i.e. resample d = loss_a - loss_b.")
        expect(0.88 < (high - low) / width < 1.12,
               f"Your interval's width is {high - low:.3f}, the 95 % paired bootstrap's is "
               f"about {width:.3f}. Take the 2.5 % and 97.5 % quantiles of the resampled "
               "mean differences, with as many resamples as n_resamples.")
        expect(abs((low + high) / 2 - centre) < 0.15 * width,
               f"Your interval ({low:.3f}, {high:.3f}) is not centred where the paired "
               f"bootstrap's is ({ref_low:.3f}, {ref_high:.3f}).")
    again = _run(paired_interval, list(loss_a), list(loss_b), 2000, 3, why=why)
    expect(np.allclose(np.asarray(again, float), np.asarray(got, float)),
           "The same seed should give the same interval, and lists should work: "
           "rng = np.random.default_rng(seed), then draw the row indices from rng.")
    return ("Right: a 95 % interval as wide and as centred as a long paired bootstrap's on "
            "three new pairs of losses, reproducible for a seed, without SciPy.")


# --------------------------------------------------------------------------- 17.5 decision
def _report(rng, *, mae, expected, psi_level, hours=720, months_ahead=3):
    features = ["temp", "atemp", "hum", "windspeed", "weathersit"]
    return {"psi": {f: float(psi_level * rng.uniform(0.5, 1.5)) for f in features},
            "mae": float(mae), "expected_mae": float(expected),
            "hours": int(hours), "months_ahead": int(months_ahead)}


def _worth(report, retrain_cost, cost_per_rental):
    excess = max(report["mae"] - report["expected_mae"], 0.0)
    return excess * report["hours"] * report["months_ahead"] * cost_per_rental > retrain_cost


@exercise("17.5", "Retrain or not? A decision with costs")
def check_should_retrain(should_retrain):
    rng = rng_for()
    cases = []
    # inputs drifted hard, error as expected: retraining buys nothing
    cases.append(("large PSI, error as validated",
                  _report(rng, mae=40.2, expected=40.0, psi_level=0.8), 5000.0, 0.05))
    # no input drift, error far above expectation, cheap enough: retrain
    cases.append(("no input drift, error doubled",
                  _report(rng, mae=80.0, expected=40.0, psi_level=0.02), 5000.0, 0.5))
    # error up, but retraining is expensive compared with what it saves
    cases.append(("error up, retraining expensive",
                  _report(rng, mae=50.0, expected=40.0, psi_level=0.3), 50_000.0, 0.5))
    # the model does better than validated: nothing to gain
    cases.append(("error below the validation error",
                  _report(rng, mae=30.0, expected=40.0, psi_level=0.5), 10.0, 1.0))
    # near the break-even point: hours and horizon both matter
    for factor in (1.25, 0.8):
        report = _report(rng, mae=55.0, expected=45.0, psi_level=0.1, hours=744,
                         months_ahead=2)
        saving = 10.0 * 744 * 2 * 0.4
        cases.append((f"saving {factor:g} x the cost", report, saving / factor, 0.4))
    report = _report(rng, mae=52.0, expected=45.0, psi_level=0.05, hours=696, months_ahead=6)
    cases.append(("a six-month horizon", report, 7.0 * 696 * 6 * 0.3 / 1.3, 0.3))
    for name, report, retrain_cost, cost_per_rental in cases:
        got = should_retrain(dict(report), retrain_cost, cost_per_rental)
        expect(isinstance(got, bool | np.bool_),
               f"Return True or False; got {type(got).__name__} ({got!r}).")
        wanted = _worth(report, retrain_cost, cost_per_rental)
        if bool(got) != wanted:
            hint = ("The saving is (mae - expected_mae) x hours x months_ahead x "
                    "cost_per_rental, and retraining pays when it exceeds retrain_cost.")
            if name.startswith("large PSI"):
                hint = ("Input drift alone costs nothing: the error is what the validation "
                        "promised, so there is nothing to win back. " + hint)
            elif name.startswith("error below"):
                hint = ("The current model already beats its validation error; a "
                        "negative saving never pays. " + hint)
            raise ExerciseFailed(
                f"Case '{name}' (mae {report['mae']}, expected {report['expected_mae']}, "
                f"{report['hours']} hours, {report['months_ahead']} months, retraining "
                f"{retrain_cost:.0f} EUR, {cost_per_rental} EUR per rental): you said "
                f"{bool(got)}, the costs say {wanted}. {hint}")
    return ("Right on seven reports: drift alone does not pay for retraining, a lasting "
            "excess error does when it outweighs the cost.")
