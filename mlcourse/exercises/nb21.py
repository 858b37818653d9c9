"""Checkers for notebook 21_engineering_practices.

A test is judged by what it catches: 21.1 runs the learner's property-based test against
correct and broken scalers; 21.2 and 21.4 call the learner's function on fresh data and
compare with a reference run here; 21.3 feeds the learner's data contract fresh valid rows and
fresh corrupted copies; 21.5 is a judgement, answered with a set of letters.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, rng_for
from mlcourse.exercises._guards import call_unmutated

# --- 21.1 a property-based test that catches broken scalers ---------------------------------


def _minmax_branch(x):
    lo, hi = x.min(), x.max()
    if hi == lo:
        return np.zeros_like(x, dtype=float)
    return (x - lo) / (hi - lo)


def _minmax_where(x):
    span = np.ptp(x)
    out = np.zeros(x.shape, dtype=float)
    return np.divide(x - x.min(), span, out=out, where=span > 0)


def _minmax_copying(x):
    y = np.array(x, dtype=float, copy=True)
    y -= y.min()
    top = y.max()
    if top > 0:
        y /= top
    return y


def _quiet(scaler):
    """The scaler without NumPy's warnings (a broken one divides by zero; any one may meet
    values outside the contract if the learner's test generates them)."""
    def scale(x):
        with np.errstate(all="ignore"):
            return scaler(x)

    scale.__name__ = scaler.__name__.lstrip("_")
    return scale


_CORRECT_SCALERS = tuple(map(_quiet, (_minmax_branch, _minmax_where, _minmax_copying)))


def _divides_by_max(x):
    hi = x.max()
    return (x - x.min()) / hi if hi != 0 else np.zeros_like(x, dtype=float)


def _no_constant_guard(x):
    return (x - x.min()) / (x.max() - x.min())


def _standardises(x):
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x, dtype=float)


def _sorts(x):
    return np.sort(_minmax_branch(x))


def _range_plus_one(x):
    return (x - x.min()) / (x.max() - x.min() + 1.0)


def _in_place(x):
    x -= x.min()
    top = x.max()
    if top > 0:
        x /= top
    return x


def _absolute_values(x):
    return _minmax_branch(np.abs(x))


# (broken scaler, what it does: said when the learner's test lets it through)
_BROKEN_SCALERS = tuple((_quiet(scaler), what) for scaler, what in (
    (_divides_by_max, "divides by the maximum instead of the range (max - min), so its largest "
                      "value is not 1 once the minimum is not 0"),
    (_no_constant_guard, "returns NaN for a constant array (0 / 0) instead of zeros"),
    (_standardises, "standardises (mean 0, standard deviation 1), so values fall outside "
                    "[0, 1]"),
    (_sorts, "returns the right values in sorted order, so element i no longer belongs to "
             "x[i]"),
    (_range_plus_one, "divides by (max - min + 1), so its largest value is below 1"),
    (_in_place, "overwrites the caller's array x instead of returning a new one"),
    (_absolute_values, "scales |x| instead of x, which is wrong as soon as x has negative "
                       "values"),
))


@exercise("21.1", "A property-based test that catches broken scalers")
def check_minmax_test(test_minmax):
    expect(callable(test_minmax), "Give the function test_minmax itself (no brackets).")
    for scaler in _CORRECT_SCALERS:
        try:
            test_minmax(scaler)
        except (ExerciseFailed, NotImplementedError):  # the unanswered placeholder
            raise
        except Exception as error:  # noqa: BLE001 - the learner's test failed a right scaler
            raise ExerciseFailed(
                "Your test failed a correct scaler, so it would block good code. It raised "
                f"{type(error).__name__}: {str(error)[:300]}. Hint: generate only arrays the "
                "contract allows (1-D, at least one finite value), and compare floats with "
                "a tolerance where the contract allows rounding.") from None
    missed = []
    for scaler, what in _BROKEN_SCALERS:
        try:
            test_minmax(scaler)
        except ExerciseFailed:
            raise
        except Exception:  # noqa: BLE001,S112 - failing a broken scaler is the test's job
            continue
        missed.append(what)
    if len(missed) == len(_BROKEN_SCALERS):
        raise ExerciseFailed(
            "Your test let every broken scaler pass, so it checks nothing yet. Hint: define "
            "the @given function inside test_minmax, then call it (`properties()`): a "
            "hypothesis test runs only when it is called.")
    expect(not missed,
           f"Your test let {len(missed)} of {len(_BROKEN_SCALERS)} broken scalers pass. One "
           f"{missed[0] if missed else ''}. Hint: state every promise of the contract as a "
           "property (bounds, min 0 and max 1, zeros for a constant array, each value in its "
           "place, the input left unchanged) and generate arrays that can break it (negative "
           "values, constant arrays, length 1).")
    return (f"Your test passed {len(_CORRECT_SCALERS)} correct scalers and failed all "
            f"{len(_BROKEN_SCALERS)} broken ones.")


# --- 21.3 a data contract for a weather feed --------------------------------------------------

def _weather_rows(rng, n=60):
    start = pd.Timestamp("2011-01-01") + pd.Timedelta(days=int(rng.integers(0, 700)))
    frame = pd.DataFrame({
        "date": pd.date_range(start, periods=n, freq="D").astype("datetime64[ns]"),
        "temp_c": rng.uniform(-20, 45, n),
        "humidity": rng.uniform(0, 100, n),
        "windspeed_kmh": rng.uniform(0, 100, n),
        "weathersit": rng.integers(1, 5, n).astype("int64"),
    })
    # the edges of every range are allowed
    frame.loc[0, ["temp_c", "humidity", "windspeed_kmh", "weathersit"]] = [-20.0, 0.0, 0.0, 1]
    frame.loc[1, ["temp_c", "humidity", "windspeed_kmh", "weathersit"]] = [45.0, 100.0, 100.0, 4]
    frame["weathersit"] = frame["weathersit"].astype("int64")
    return frame


def _corruptions(rng, good):
    n = len(good)
    i = int(rng.integers(2, n))

    def changed(column, value):
        bad = good.copy()
        if column == "temp_c" and isinstance(value, str):
            bad["temp_c"] = bad["temp_c"].round(1).astype(str) + " C"
            return bad
        bad[column] = bad[column].astype(object) if isinstance(value, str) else bad[column]
        bad.loc[i, column] = value
        return bad

    duplicated = good.copy()
    duplicated.loc[i, "date"] = duplicated.loc[i - 1, "date"]
    extra = good.copy()
    extra["station"] = "DC-01"
    return [
        ("a temperature in Fahrenheit (95.0)", changed("temp_c", 95.0)),
        ("a temperature of -40 °C", changed("temp_c", -40.0)),
        ("a humidity of 120 %", changed("humidity", 120.0)),
        ("a negative wind speed", changed("windspeed_kmh", -3.0)),
        ("a wind speed of 250 km/h", changed("windspeed_kmh", 250.0)),
        ("weathersit = 5", changed("weathersit", 5)),
        ("weathersit = 0", changed("weathersit", 0)),
        ("a missing humidity (NaN)", changed("humidity", np.nan)),
        ("a missing temperature (NaN)", changed("temp_c", np.nan)),
        ("the same date twice", duplicated),
        ("no windspeed_kmh column", good.drop(columns="windspeed_kmh")),
        ("an extra column 'station'", extra),
        ("temperatures written as text ('12.5 C')", changed("temp_c", "text")),
    ]


def _schema_errors():
    try:
        from pandera.errors import SchemaError, SchemaErrors
    except ImportError:  # pragma: no cover - pandera is a course dependency
        return ()
    return (SchemaError, SchemaErrors)


@exercise("21.3", "A data contract for a weather feed")
def check_weather_schema(weather_schema):
    expect(hasattr(weather_schema, "validate"),
           "Give a pandera DataFrameSchema (an object with a .validate method).")
    rejected = _schema_errors()
    rng = rng_for()
    for _ in range(3):
        good = _weather_rows(rng)
        try:
            call_unmutated(weather_schema.validate, good, what="your schema's validate")
        except ExerciseFailed:
            raise
        except rejected as error:
            raise ExerciseFailed(
                "Your schema rejected valid rows, so it would stop a healthy feed: "
                f"{str(error)[:400]}. Hint: the ranges include their ends (-20 and 45 °C, "
                "0 and 100 %, 0 and 100 km/h, weathersit 1 to 4).") from None
    let_through = []
    for what, bad in _corruptions(rng, _weather_rows(rng)):
        try:
            weather_schema.validate(bad)
        except rejected:
            continue
        except Exception as error:  # noqa: BLE001
            raise ExerciseFailed(
                f"On rows with {what}, your schema crashed with {type(error).__name__}: "
                f"{str(error)[:200]} instead of rejecting them with a SchemaError. Hint: "
                "pandera's built-in checks (pa.Check.in_range, isin, unique=True, "
                "strict=True) handle missing and odd values for you.") from None
        let_through.append(what)
    expect(not let_through,
           f"Your schema accepted {len(let_through)} kinds of corrupted rows: "
           + "; ".join(let_through) + ". Hint: Column(dtype, checks=..., nullable=False, "
           "unique=...) for each column, and strict=True for the frame.")
    return ("Your schema accepted three fresh sets of valid rows (range edges included) and "
            "rejected all 13 kinds of corruption with a SchemaError.")


# --- 21.2 an invariance test ------------------------------------------------------------------

def _reference_share(predict, X, column, value):
    before = np.asarray(predict(X), dtype=float)
    changed = X.copy()
    changed[column] = value
    after = np.asarray(predict(changed), dtype=float)
    return float(np.mean(np.abs(after - before) > 1e-9 * np.maximum(1.0, np.abs(before))))


@exercise("21.2", "An invariance test for any model")
def check_invariance(invariance_share):
    rng = rng_for()
    n = 400
    X = pd.DataFrame({
        "hr": rng.integers(0, 24, n),
        "temp": rng.uniform(-5, 35, n),
        "user_id": rng.integers(1000, 9999, n),
        "rain": rng.integers(0, 2, n),
    })

    def ignores_user(frame):
        return 50 + 4 * frame["temp"].to_numpy() - 30 * frame["rain"].to_numpy()

    def uses_user_when_raining(frame):
        return ignores_user(frame) + 7.5 * frame["rain"].to_numpy() * (
            frame["user_id"].to_numpy() % 2)

    def uses_temperature(frame):
        return ignores_user(frame)

    cases = [
        ("a model that ignores user_id", ignores_user, "user_id", 1234),
        ("a model that reads user_id on rainy hours", uses_user_when_raining, "user_id", 2000),
        ("a model that reads temp, temp set to 20", uses_temperature, "temp", 20.0),
        ("a model that reads rain, rain set to 0", ignores_user, "rain", 0),
    ]
    for what, predict, column, value in cases:
        expected = _reference_share(predict, X, column, value)
        got = call_unmutated(invariance_share, predict, X, column, value,
                             what="invariance_share")
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"invariance_share returned {got!r}; return one number, the "
                                 "share of rows whose prediction changed.") from None
        hint = "Hint: predict on X, predict on a copy with the column set to the value, then "
        hint += "the mean of |after - before| > tolerance."
        if np.isclose(got, expected * n) and expected > 0:
            hint = "You returned a count of rows; return the share (divide by the number of rows)."
        elif np.isclose(got, 1 - expected):
            hint = "You returned the share of rows that did not change; the task asks for " \
                   "the share that did."
        expect(np.isclose(got, expected, atol=1e-12),
               f"For {what}, {expected:.4f} of the rows change; you returned {got:.4f}. {hint}")
    return ("Right on four models (0 where the column is ignored, the exact share where it is "
            "read), without changing X.")


# --- 21.4 make a training run reproducible ----------------------------------------------------

def _reference_fit_and_score(X, y, seed):
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.metrics import r2_score

    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(y))
    cut = int(0.8 * len(y))
    train, test = idx[:cut], idx[cut:]
    model = RandomForestRegressor(n_estimators=20, random_state=seed).fit(X[train], y[train])
    return r2_score(y[test], model.predict(X[test]))


@exercise("21.4", "Make a training run reproducible")
def check_reproducible(fit_and_score):
    rng = rng_for()
    n = 300
    X = rng.normal(size=(n, 5))
    y = X[:, 0] * 3 + np.sin(2 * X[:, 1]) * 2 + rng.normal(scale=0.5, size=n)
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        scores = []
        for seed in range(4):
            np.random.seed(1000 + seed)  # other code used the global generators meanwhile
            random.seed(2000 + seed)
            before_np, before_py = np.random.get_state(), random.getstate()
            first = call_unmutated(fit_and_score, X, y, seed, what="fit_and_score")
            after_np, after_py = np.random.get_state(), random.getstate()
            touched = not (all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in
                               zip(before_np, after_np, strict=True)) and before_py == after_py)
            expect(not touched,
                   "fit_and_score used or reseeded the global random generator "
                   "(np.random.seed, np.random.permutation, random.shuffle, ...), which changes "
                   "the numbers of every other piece of code. Hint: make a local "
                   "np.random.default_rng(seed) and pass random_state=seed to the forest.")
            np.random.seed(3000 + seed)
            random.seed(4000 + seed)
            second = fit_and_score(X, y, seed)
            expect(float(first) == float(second),
                   f"With seed={seed}, two runs gave {float(first):.6f} and "
                   f"{float(second):.6f}. Hint: every source of randomness must come from the "
                   "seed: the split (np.random.default_rng(seed)) and the forest "
                   "(random_state=seed).")
            scores.append(float(first))
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    expect(len(set(scores)) > 1,
           "Seeds 0 to 3 all gave the same score: the seed must choose the split and the "
           "forest, so different seeds give (slightly) different scores.")
    reference = np.mean([_reference_fit_and_score(X, y, s) for s in range(4)])
    expect(abs(np.mean(scores) - reference) < 0.15,
           f"Your mean R² over seeds 0-3 is {np.mean(scores):.3f}; the task's recipe (an 80/20 "
           f"shuffled split, a forest of 20 trees) gives about {reference:.3f}. Keep the job "
           "the same, only make it reproducible.")
    return ("Same seed, same score whatever the global generators did before; different "
            "seeds, different scores; the global generators untouched; R² in line with the "
            "original recipe.")


# --- 21.5 which failing checks block a release (judgement) ------------------------------------

RELEASE_BLOCKERS = {"A", "C", "E", "G"}
_WHY = {
    "A": "A blocks: the training data break the data contract (negative rentals are "
         "impossible), so the model learnt from corrupted rows.",
    "B": "B does not block: above 32 °C demand really falls; the directional expectation was "
         "only meant for mild temperatures. Narrow the test, and write it down.",
    "C": "C blocks: a prediction that moves with the customer ID means the model reads an "
         "identifier, a leak that will not hold for new customers.",
    "D": "D does not block: the interval of the difference includes 0, so the challenger is "
         "not shown to be worse (nor better); it is a decision for the product owner, not a "
         "failure.",
    "E": "E blocks: the manifest promises inputs in °C, the service sends Fahrenheit; every "
         "prediction would be wrong without an error.",
    "F": "F does not block: a style warning in a notebook changes no number the model makes.",
    "G": "G blocks: the same commit, data and seed give different models, so no result can "
         "be audited or reproduced; find the unseeded randomness first.",
}


@exercise("21.5", "Which failing checks block the release?")
def check_blockers(blocking):
    try:
        chosen = {str(letter).strip().upper() for letter in blocking}
    except TypeError:
        raise ExerciseFailed("Give a set of letters, e.g. {'A', 'B'}.") from None
    unknown = chosen - set(_WHY)
    expect(not unknown, f"{sorted(unknown)} are not among the checks A to G.")
    wrong = sorted(chosen ^ RELEASE_BLOCKERS)
    expect(not wrong, f"{len(wrong)} of the seven decisions differ from the release policy. "
                      "For instance: " + _WHY[wrong[0]] if wrong else "")
    return "Right: " + " ".join(_WHY[k] for k in sorted(_WHY))
