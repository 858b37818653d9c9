"""Checkers for notebook 02_data_cleaning.

Each checker makes a fresh, differently damaged table here, runs the learner's function on it,
and compares the result with a reference written with pandas in the most direct way.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from mlcourse.exercises._core import ExerciseFailed, exercise, expect, rng_for
from mlcourse.exercises._guards import call_unmutated

MARKERS = ["", "NA", "n/a", "?", "-"]


# -- 02.1 --------------------------------------------------------------------------------------


def _written_masses(rng: np.random.Generator) -> tuple[list, list]:
    """Masses as a person might type them, and their value in grams (NaN for missing)."""
    grams = rng.integers(2700, 6300, 30)
    typed, truth = [], []
    for i, g in enumerate(grams):
        style = i % 6
        if style == 0:
            typed.append(f"{g:,}")
        elif style == 1:
            typed.append(f" {g} g ")
        elif style == 2:
            typed.append(f"{g / 1000:.3f} kg")
        elif style == 3:
            typed.append(f"{g / 1000:.2f}KG")
        elif style == 4:
            typed.append(f"{g}g")
        else:
            typed.append(str(g))
        truth.append(float(typed[-1].lower().replace(",", "").replace("kg", "").replace("g", ""))
                     * (1000 if "kg" in typed[-1].lower() else 1))
    typed += ["4,150 g", "3.9 Kg", "0.5kg"] + MARKERS + [None]
    truth += [4150.0, 3900.0, 500.0] + [np.nan] * (len(MARKERS) + 1)
    return typed, truth


@exercise("02.1", "Masses typed with their units")
def check_to_grams(to_grams):
    typed, truth = _written_masses(rng_for())
    series = pd.Series(typed, dtype=object)
    got = call_unmutated(to_grams, series, what="Your function")
    expect(isinstance(got, pd.Series), f"Return a pandas Series; got {type(got).__name__}.")
    expect(len(got) == len(series), "Return one value per input value, in the same order.")
    got = pd.to_numeric(got, errors="coerce").astype(float).to_numpy()
    truth = np.asarray(truth)
    wrongly_missing = np.isnan(got) != np.isnan(truth)
    expect(not wrongly_missing.any(),
           f"These inputs are handled wrongly as missing / not missing: "
           f"{series[wrongly_missing].tolist()[:5]}. Hint: {MARKERS} and None are missing; "
           "every other value is a number, perhaps with a unit and a thousands separator.")
    kilos = np.array(["kg" in str(value).lower() for value in typed])
    close = np.isclose(got, truth, equal_nan=True)
    if (~close[kilos]).any() and np.allclose(got[kilos] * 1000, truth[kilos]):
        raise ExerciseFailed("The values in kg were kept as they are: multiply them by 1,000.")
    expect(close.all(),
           f"Some values are wrong, e.g. {series[~close].tolist()[:3]} became "
           f"{got[~close][:3].tolist()} instead of {truth[~close][:3].tolist()}. Hint: lower-case, "
           "strip, remove ',', take the number and the unit apart "
           "(.str.extract(r'([\\d.]+)\\s*(kg|g)?')).")
    return "Grams from every way of typing a mass, missing markers as NaN, input untouched."


# -- 02.2 --------------------------------------------------------------------------------------


def _plain(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().split())


def _fresh_members(rng: np.random.Generator) -> pd.DataFrame:
    first = ["Zoë", "Malik", "Inés", "Tomasz", "Priya", "Ólafur", "Wen", "Amara", "Jonas", "Léa"]
    last = ["Brandt", "Okafor", "Nuñez", "Kowalski", "Rao", "Jónsson", "Li", "Diallo", "Berg"]
    people = sorted({(f, l) for f, l in zip(rng.choice(first, 14), rng.choice(last, 14),
                                                      strict=True)})
    rows = [{"name": f"{f} {l}", "email": f"{_plain(f)[0]}.{_plain(l)}@example.net"}
            for f, l in people]
    variants = []
    for row in rng.choice(rows, 6, replace=False):
        name = _plain(row["name"]) if rng.random() < 0.5 else f"  {row['name'].upper()} "
        email = f" {row['email'].upper()}" if rng.random() < 0.5 else row["email"]
        variants.append({"name": name.replace(" ", "  ", 1), "email": email})
    exact = [dict(rows[0])]
    homonym = [{"name": rows[1]["name"], "email": "someone.else@example.net"}]
    frame = pd.DataFrame(rows + variants + exact + homonym)
    return frame.sample(frac=1.0, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)


def _reference_duplicates(members: pd.DataFrame) -> pd.Series:
    key = pd.DataFrame({"name": members["name"].map(_plain),
                        "email": members["email"].str.strip().str.lower()})
    return key.duplicated(keep="first")


@exercise("02.2", "Members registered twice")
def check_duplicate_members(duplicate_members):
    rng = rng_for()
    for _ in range(2):
        members = _fresh_members(rng)
        expected = _reference_duplicates(members).to_numpy()
        got = call_unmutated(duplicate_members, members, what="Your function")
        expect(isinstance(got, (pd.Series, np.ndarray, list)) and len(got) == len(members),
               f"Return a boolean Series with one entry per row ({len(members)}).")
        got = np.asarray(got, dtype=bool)
        if np.array_equal(got, members.duplicated().to_numpy()):
            raise ExerciseFailed("Only exact repeats are found: normalise the name (case, "
                                 "accents, spaces) and the e-mail (case, spaces) first.")
        both = _reference_duplicates(members)
        first_too = both | members.index.isin(
            members.index[pd.DataFrame({"n": members["name"].map(_plain),
                                        "e": members["email"].str.strip().str.lower()})
                          .duplicated(keep=False)])
        if np.array_equal(got, first_too.to_numpy()) and not np.array_equal(got, expected):
            raise ExerciseFailed("The first occurrence is flagged too: only the later copies "
                                 "are repeats (duplicated(keep='first')).")
        expect(np.array_equal(got, expected),
               f"Your function flags {int(got.sum())} rows, {int(expected.sum())} are repeats. "
               f"First disagreement: {members.iloc[int(np.argmax(got != expected))].tolist()}. "
               "Hint: two people with the same name but different e-mails are two members; "
               "accents (unicodedata.normalize('NFKD', ...)) and inner spaces do not count.")
    return "Repeats found through spelling differences, first occurrences kept, input untouched."


# -- 02.3 --------------------------------------------------------------------------------------


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


# -- 02.4 --------------------------------------------------------------------------------------


def _imputation_case(rng: np.random.Generator, kind: str) -> tuple[pd.DataFrame, str]:
    """A table in which one strategy is clearly the best, and its name."""
    n = 600
    if kind == "group median":      # four groups far apart: the group tells the value
        group = rng.choice(["a", "b", "c", "d"], n)
        offset = pd.Series(group).map({"a": 0.0, "b": 30.0, "c": 60.0, "d": 90.0}).to_numpy()
        value = offset + rng.normal(0, 3, n)
    else:                           # skewed values, tiny groups that say nothing
        group = rng.permutation(np.repeat(np.arange(n // 2), 2))
        value = rng.lognormal(3.0, 1.0, n)
    frame = pd.DataFrame({"site": group, "value": value, "other": rng.normal(0, 1, n)})
    frame.loc[rng.random(n) < 0.1, "value"] = np.nan
    return frame, kind


@exercise("02.4", "Choose the imputation by measuring it")
def check_choose_imputation(choose_imputation):
    rng = rng_for()
    choices = {"mean", "median", "group median"}
    for kind in ("group median", "median", "group median", "median"):
        frame, best = _imputation_case(rng, kind)
        answer = call_unmutated(choose_imputation, frame, "value", "site", what="Your function")
        expect(answer in choices, f"Return one of {sorted(choices)}; got {answer!r}.")
        if answer != best and best == "group median":
            raise ExerciseFailed(
                f"On a table whose groups differ a lot your function chose {answer!r}; the "
                "group median errs far less there. Hint: hide known values, fill them with "
                "each strategy, and compare the mean absolute errors on the hidden ones.")
        expect(answer == best,
               f"On a table of skewed values whose groups have two rows each, your function "
               f"chose {answer!r}; the overall median errs least there (a group of one visible "
               "value guesses wildly, and the mean is pulled by the long tail). Hint: measure, "
               "do not assume: the same comparison must give different answers on different "
               "tables.")
    return ("Your measurement picks the group median where groups matter and the overall "
            "median where they do not, and leaves the table unchanged.")


# -- 02.5 --------------------------------------------------------------------------------------


def _fresh_hours(rng: np.random.Generator, n_days: int = 4) -> pd.DataFrame:
    stamps = pd.date_range("2013-04-01", periods=24 * n_days, freq="h")
    frame = pd.DataFrame({"dteday": stamps.normalize(), "hr": stamps.hour,
                          "weathersit": rng.choice([1, 1, 2, 3, 4], len(stamps)),
                          "casual": rng.poisson(5, len(stamps)),
                          "registered": rng.poisson(60, len(stamps))})
    frame["cnt"] = frame["casual"] + frame["registered"]
    return frame


def _faults(good: pd.DataFrame) -> dict[str, pd.DataFrame]:
    def changed(**columns):
        frame = good.copy()
        for column, value in columns.items():
            frame.loc[frame.index[5], column] = value
        return frame

    repeated = pd.concat([good, good.iloc[[7]]], ignore_index=True)
    return {
        "an hour that appears twice": repeated,
        "hr = 24": changed(hr=24),
        "weathersit = 5": changed(weathersit=5),
        "a negative casual count (and cnt to match)":
            changed(casual=-3, cnt=good["registered"].iloc[5] - 3),
        "cnt that differs from casual + registered": changed(cnt=good["cnt"].iloc[5] + 1),
    }


@exercise("02.5", "Rules for the bike-share table")
def check_validate_hours(validate_hours):
    rng = rng_for()
    good = _fresh_hours(rng)
    problems = call_unmutated(validate_hours, good, what="Your function")
    expect(isinstance(problems, list), f"Return a list of messages; got {type(problems).__name__}.")
    expect(problems == [], f"A valid table should give no problems, got {problems[:3]}.")
    faults = _faults(good)
    for fault, frame in faults.items():
        found = validate_hours(frame)
        expect(isinstance(found, list) and len(found) >= 1,
               f"A table with {fault} passed your rules. Check that rule.")
    everything = good.copy()
    everything.loc[1, "hr"] = 25
    everything.loc[2, "weathersit"] = 0
    everything.loc[3, "cnt"] = -1
    everything.loc[4, "cnt"] = everything.loc[4, "cnt"] + 10
    everything = pd.concat([everything, everything.iloc[[9]]], ignore_index=True)
    found = validate_hours(everything)
    expect(isinstance(found, list) and len(found) >= 5,
           f"A table that breaks all five rules got "
           f"{len(found) if isinstance(found, list) else found} message(s): check every rule and "
           "collect every violation, don't stop at the first.")
    return "Your rules catch each of the five faults and report them all at once."
