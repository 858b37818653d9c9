"""The checks of notebook 02 pass right answers written in different ways, and fail the wrong
answers a learner is likely to write, with a hint that helps."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from checker_helpers import fails, passes

MISSING = ["", "NA", "n/a", "?", "-"]

# ------------------------------------------------------------------------------------ 02.1


def vectorised_grams(values):
    text = values.astype("string").str.strip().str.lower().str.replace(",", "", regex=False)
    parts = text.str.extract(r"^([\d.]+)\s*(kg|g)?$")
    number = pd.to_numeric(parts[0], errors="coerce").astype(float)
    return number.where(parts[1].fillna("") != "kg", number * 1000)


def one_at_a_time(values):
    def parse(value):
        if value is None or value.strip() in MISSING:
            return np.nan
        text = value.strip().lower().replace(",", "")
        if text.endswith("kg"):
            return float(text[:-2]) * 1000
        return float(text.removesuffix("g"))
    return values.map(parse)


def test_02_1_accepts_a_vectorised_and_a_plain_python_parser():
    passes("02.1", vectorised_grams)
    passes("02.1", one_at_a_time)


def test_02_1_refuses_kilograms_left_as_they_are_and_an_in_place_edit():
    def no_kilos(values):
        text = values.astype("string").str.strip().str.lower().str.replace(",", "", regex=False)
        return pd.to_numeric(text.str.replace(r"\s*k?g$", "", regex=True), errors="coerce")

    def in_place(values):
        values[:] = vectorised_grams(values)
        return values

    fails("02.1", no_kilos, "multiply them by 1,000")
    fails("02.1", in_place, "in place")


def test_02_1_refuses_a_parser_that_forgets_the_thousands_separator():
    def keeps_commas(values):
        text = values.astype("string").str.strip().str.lower()
        parts = text.str.extract(r"^([\d.]+)\s*(kg|g)?$")
        number = pd.to_numeric(parts[0], errors="coerce").astype(float)
        return number.where(parts[1].fillna("") != "kg", number * 1000)

    fails("02.1", keeps_commas, "missing / not missing")


# ------------------------------------------------------------------------------------ 02.2


def plain(value):
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def normalised_key(members):
    key = members["name"].map(plain) + "|" + members["email"].str.strip().str.lower()
    return key.duplicated()


def with_a_set(members):
    seen, repeats = set(), []
    for name, email in zip(members["name"], members["email"], strict=True):
        key = (plain(name), email.strip().lower())
        repeats.append(key in seen)
        seen.add(key)
    return repeats


def test_02_2_accepts_a_key_column_and_a_loop_with_a_set():
    passes("02.2", normalised_key)
    passes("02.2", with_a_set)


def test_02_2_refuses_exact_duplicates_the_first_occurrence_and_the_name_alone():
    def flags_the_first_too(members):
        key = members["name"].map(plain) + "|" + members["email"].str.strip().str.lower()
        return key.duplicated(keep=False)

    def name_only(members):
        return members["name"].map(plain).duplicated()

    def in_place(members):
        members["name"] = members["name"].map(plain)
        members["email"] = members["email"].str.strip().str.lower()
        return members.duplicated()

    fails("02.2", lambda members: members.duplicated(), "Only exact repeats")
    fails("02.2", flags_the_first_too, "first occurrence")
    fails("02.2", name_only, "same name but different e-mails")
    fails("02.2", in_place, "in place")


# ------------------------------------------------------------------------------------ 02.3


def test_02_3_accepts_a_pandas_quantile_and_refuses_the_nan_breaking_percentile():
    def with_pandas(x, k=1.5):
        s = pd.Series(x, dtype=float)
        q1, q3 = s.quantile(0.25), s.quantile(0.75)
        return ((s < q1 - k * (q3 - q1)) | (s > q3 + k * (q3 - q1))).to_numpy()

    def plain_percentile(x, k=1.5):
        x = np.asarray(x, dtype=float)
        q1, q3 = np.percentile(x, [25, 75])
        return (x < q1 - k * (q3 - q1)) | (x > q3 + k * (q3 - q1))

    passes("02.3", with_pandas)
    fails("02.3", plain_percentile, "NaN is not an outlier")


# ------------------------------------------------------------------------------------ 02.4


def measured(df, column, by, seed=0, share=0.2):
    known = df[column].notna().to_numpy()
    hide = known & (np.random.default_rng(seed).random(len(df)) < share)
    visible = df[column].where(~hide)
    guesses = {
        "mean": visible.mean(),
        "median": visible.median(),
        "group median": visible.groupby(df[by]).transform("median").fillna(visible.median()),
    }
    errors = {name: (df[column] - guess)[hide].abs().mean() for name, guess in guesses.items()}
    return min(errors, key=errors.get)


def test_02_4_accepts_other_hiding_schemes():
    passes("02.4", measured)
    passes("02.4", lambda df, column, by: measured(df, column, by, seed=42, share=0.3))


def k_fold_measure(df, column, by):
    """Hide every known value once, in five folds."""
    known = np.flatnonzero(df[column].notna().to_numpy())
    totals = dict.fromkeys(["mean", "median", "group median"], 0.0)
    for fold in np.array_split(known, 5):
        visible = df[column].copy()
        visible.iloc[fold] = np.nan
        truth = df[column].iloc[fold]
        group = visible.groupby(df[by]).transform("median").fillna(visible.median())
        totals["mean"] += (truth - visible.mean()).abs().sum()
        totals["median"] += (truth - visible.median()).abs().sum()
        totals["group median"] += (truth - group.iloc[fold]).abs().sum()
    return min(totals, key=totals.get)


def test_02_4_accepts_a_cross_validated_measurement():
    passes("02.4", k_fold_measure)


def test_02_4_refuses_a_fixed_answer_and_an_in_place_edit():
    fails("02.4", lambda df, column, by: "group median", "overall median errs least")
    fails("02.4", lambda df, column, by: "median", "group median errs far less")
    fails("02.4", lambda df, column, by: "mean")

    def in_place(df, column, by):
        answer = measured(df, column, by)
        df[column] = df[column].fillna(df[column].median())
        return answer

    fails("02.4", in_place, "in place")


def test_02_4_refuses_a_name_outside_the_three():
    fails("02.4", lambda df, column, by: "knn", "Return one of")


# ------------------------------------------------------------------------------------ 02.5


def rules_in_a_list(table):
    problems = []
    if table.duplicated(["dteday", "hr"]).any():
        problems.append("duplicate hour")
    if not table["hr"].between(0, 23).all() or (table["hr"] % 1 != 0).any():
        problems.append("hour out of range")
    if not table["weathersit"].isin([1, 2, 3, 4]).all():
        problems.append("unknown weather situation")
    if (table[["casual", "registered", "cnt"]] < 0).any().any():
        problems.append("negative count")
    if (table["cnt"] != table["casual"] + table["registered"]).any():
        problems.append("cnt is not casual + registered")
    return problems


def test_02_5_accepts_two_ways_of_writing_the_rules():
    passes("02.5", rules_in_a_list)

    def from_a_dict(table):
        rules = {
            "unique hour": lambda t: t.set_index(["dteday", "hr"]).index.is_unique,
            "hr": lambda t: set(t["hr"]) <= set(range(24)),
            "weathersit": lambda t: set(t["weathersit"]) <= {1, 2, 3, 4},
            "counts >= 0": lambda t: t[["casual", "registered", "cnt"]].min().min() >= 0,
            "sum": lambda t: t["cnt"].equals(t["casual"] + t["registered"]),
        }
        return [name for name, rule in rules.items() if not rule(table)]

    passes("02.5", from_a_dict)


def test_02_5_refuses_stopping_at_the_first_violation_and_a_missing_rule():
    def first_only(table):
        return rules_in_a_list(table)[:1]

    def no_sum_rule(table):
        return [p for p in rules_in_a_list(table) if not p.startswith("cnt")]

    def raises_instead(table):
        problems = rules_in_a_list(table)
        if problems:
            raise ValueError(problems[0])
        return []

    fails("02.5", first_only, "don't stop at the first")
    fails("02.5", no_sum_rule, "cnt that differs from casual + registered")
    fails("02.5", raises_instead, "ValueError")


def test_02_5_refuses_a_key_of_the_hour_alone():
    def hour_is_the_key(table):
        problems = rules_in_a_list(table.drop_duplicates(["dteday", "hr"]))
        if not table["hr"].is_unique:
            problems.append("an hour appears twice")
        return problems

    message = fails("02.5", hour_is_the_key, "valid table should give no problems")
    assert re.search(r"an hour appears twice", message)
