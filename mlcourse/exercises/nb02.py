"""Checkers for notebook 02_data_cleaning."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, expect_close, rng_for
from mlcourse.exercises._guards import call_unmutated

MARKERS = ["", "NA", "n/a", "?", "-", "-999"]


def _reference_to_number(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.replace(",", "", regex=False)
    text = text.mask(text.isin(MARKERS))
    return pd.to_numeric(text, errors="coerce").astype(float)


@exercise("02.1", "Text to numbers, missing markers to NaN")
def check_to_number(to_number):
    rng = rng_for()
    numbers = rng.integers(100, 99_999, 40)
    written = [f"{v:,}" if i % 3 == 0 else (f" {v} " if i % 3 == 1 else str(v))
               for i, v in enumerate(numbers)]
    written += ["12.5", "-3.25", "0"] + MARKERS + [None]
    series = pd.Series(written, dtype=object)
    got = to_number(series.copy())
    expect(isinstance(got, pd.Series), f"Return a pandas Series; got {type(got).__name__}.")
    expected = _reference_to_number(series)
    expect(len(got) == len(expected), "Return one value per input value, in the same order.")
    got = pd.to_numeric(got, errors="coerce").astype(float)
    wrongly_missing = np.isnan(got.to_numpy()) != np.isnan(expected.to_numpy())
    missing_wrong = series[wrongly_missing].tolist()
    expect(not missing_wrong,
           f"These inputs are handled wrongly as missing / not missing: {missing_wrong[:5]}. "
           f"Hint: {MARKERS} and None mean 'missing' (NaN); everything else is a number.")
    expect_close(got.to_numpy(), expected.to_numpy(), "The parsed numbers",
                 "Hint: strip spaces and remove the thousands separator ',' before converting.")
    return "Every spelling of a number and of 'missing' is handled."


def _reference_species(values: pd.Series) -> pd.Series:
    def fix(value):
        if not isinstance(value, str):
            return value
        plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
        plain = " ".join(plain.lower().replace("penguin", "").split())
        return plain.replace(" ", "").capitalize()

    return values.map(fix)


@exercise("02.2", "One spelling per species")
def check_normalise_species(normalise_species):
    rng = rng_for()
    spellings = ["Adelie", "adelie", "ADELIE", " Adelie", "Adélie", "Adelie penguin", "Chinstrap",
                 "chinstrap ", "CHINSTRAP", "Chin strap", "Gentoo", "GENTOO ", "gentoo penguin",
                 "ADÉLIE PENGUIN", "  chin  strap "]
    series = pd.Series(rng.choice(spellings, 60).tolist() + spellings + [None], dtype=object)
    got = normalise_species(series.copy())
    expect(isinstance(got, pd.Series), f"Return a pandas Series; got {type(got).__name__}.")
    expected = _reference_species(series)
    wrong = {s: g for s, g, e in zip(series, got, expected, strict=True)
             if not (g == e or (pd.isna(g) and pd.isna(e)))}
    examples = dict(list(wrong.items())[:4])
    expect(not wrong, f"Some spellings are not mapped to Adelie / Chinstrap / Gentoo: {examples}. "
           "Hint: strip, lower-case, remove accents (unicodedata.normalize('NFKD', ...)), drop the "
           "word 'penguin' and inner spaces, then capitalise. Missing stays missing.")
    for unknown in ("Emperor", "Adelie-ish", "gentoo?"):
        values = pd.Series(["Gentoo", unknown, None], dtype=object)
        try:
            normalise_species(values)
        except ValueError as error:
            expect(unknown in str(error),
                   f"Your ValueError for {unknown!r} should name the value; it says: {error}")
            continue
        raise ExerciseFailed(
            f"{unknown!r} is no spelling of the three species, but your function let it through "
            "without an error. Raise ValueError(f'unknown species {value!r}') for it.")
    return "All spellings collapse to the three species, and an unknown one is refused."


def _reference_iqr(x, k):
    x = np.asarray(x, dtype=float)
    q1, q3 = np.nanpercentile(x, [25, 75])
    spread = q3 - q1
    return (x < q1 - k * spread) | (x > q3 + k * spread)


@exercise("02.3", "Flag outliers with the IQR rule")
def check_iqr_outliers(iqr_outliers):
    rng = rng_for()
    for k in (1.5, 3.0):
        x = np.concatenate([rng.normal(50, 5, 200), [120.0, -40.0, 75.0], [np.nan] * 3])
        got = np.asarray(iqr_outliers(x.copy(), k=k))
        expected = _reference_iqr(x, k)
        expect(got.shape == x.shape and got.dtype == bool,
               f"Return a boolean mask with one entry per value (shape {x.shape}).")
        expect(np.array_equal(got, expected),
               f"With k={k} your mask flags {int(got.sum())} values, the rule flags "
               f"{int(expected.sum())}. Hint: q1, q3 = np.nanpercentile(x, [25, 75]); outliers are "
               "below q1 - k*(q3-q1) or above q3 + k*(q3-q1); NaN is not an outlier.")
    return "Your mask matches the IQR rule (and ignores NaN)."


def _reference_group_median(df, column, by):
    filled = df[column].fillna(df.groupby(by)[column].transform("median"))
    return filled.fillna(df[column].median())


@exercise("02.4", "Impute with the median of each group")
def check_impute_group_median(impute_group_median):
    rng = rng_for()
    n = 200
    frame = pd.DataFrame({
        "group": rng.choice(["a", "b", "c", "d"], n),
        "value": rng.normal(10, 3, n),
    })
    frame["value"] += frame["group"].map({"a": 0, "b": 20, "c": 40, "d": 60})
    frame.loc[rng.choice(n, 30, replace=False), "value"] = np.nan
    frame.loc[frame["group"] == "d", "value"] = np.nan  # a group with no value at all
    got = call_unmutated(impute_group_median, frame, "value", "group", what="Your function")
    expect(isinstance(got, pd.Series) and len(got) == n,
           "Return the filled column as a Series with one value per row.")
    expect(not got.isna().any(), "Some values are still missing. Hint: a group with no known "
           "value falls back to the median of the whole column.")
    expect_close(got.to_numpy(), _reference_group_median(frame, "value", "group").to_numpy(),
                 "The imputed column",
                 "Hint: df.groupby(by)[column].transform('median') gives each row its "
                 "group's median.")
    return ("Group medians fill the gaps, with a fallback for empty groups, and your input "
            "frame is left as it was.")


@exercise("02.5", "Validation rules that name every violation")
def check_validate(validate):
    rng = rng_for()
    n = 30
    good = pd.DataFrame({
        "record_id": np.arange(n),
        "species": rng.choice(["Adelie", "Chinstrap", "Gentoo"], n),
        "body_mass_g": rng.uniform(2700, 6300, n).round(),
    })
    problems = validate(good.copy())
    expect(isinstance(problems, list), f"Return a list of messages; got {type(problems).__name__}.")
    expect(problems == [], f"A valid table should give no problems, got {problems[:3]}.")
    cases = {
        "duplicate record_id": good.assign(record_id=[0] + list(range(n - 1))),
        "unknown species": good.assign(species=["Emperor"] + list(good["species"][1:])),
        "body mass out of range":
            good.assign(body_mass_g=[95_000.0] + list(good["body_mass_g"][1:])),
        "missing body mass": good.assign(body_mass_g=[np.nan] + list(good["body_mass_g"][1:])),
    }
    for fault, frame in cases.items():
        found = validate(frame)
        expect(isinstance(found, list) and len(found) >= 1,
               f"A table with a {fault} passed your rules. Check that rule.")
    everything = good.copy()
    everything.loc[0, "species"] = "Emperor"
    everything.loc[1, "body_mass_g"] = 95_000.0
    expect(len(validate(everything)) >= 2,
           "With two different faults, report both: collect every violation, "
           "don't stop at the first.")
    return "Your rules catch each kind of fault and report them all."
