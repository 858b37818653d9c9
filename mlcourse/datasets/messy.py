"""Deterministic messy data: real records with the faults real records have.

``make_messy_penguins`` takes the Palmer penguins (the *truth*) and damages a copy the way data
entry, exports and merges damage data at work. Because the truth is known, a learner can
measure how well their cleaning restored it (notebook 02).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlcourse.datasets.loaders import load_penguins

MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]

# How each category may be mistyped; the first spelling is the clean one.
SPECIES_VARIANTS = {
    "Adelie": ["Adelie", "adelie", "ADELIE", " Adelie", "Adélie", "Adelie penguin"],
    "Chinstrap": ["Chinstrap", "chinstrap", "Chinstrap ", "CHINSTRAP", "Chin strap"],
    "Gentoo": ["Gentoo", "gentoo", "GENTOO ", "Gentoo penguin"],
}
SEX_VARIANTS = {
    "MALE": ["MALE", "male", "M", "m", "Male "],
    "FEMALE": ["FEMALE", "female", "F", "f"],
}
MISSING_MARKERS = ["", "NA", "n/a", "?", "-"]


def make_messy_penguins(random_state: int = 0) -> pd.DataFrame:
    """The Palmer penguins with realistic faults injected, always the same for one seed.

    Every row has a ``record_id`` (its row in :func:`load_penguins`, the truth). The faults:

    - **duplicates**: 12 records entered twice, 4 of them with a changed spelling or spacing;
    - **missing values of different kinds**: NaN, empty strings, ``"NA"``, ``"n/a"``, ``"?"``,
      ``"-"`` and the sentinel ``-999``;
    - **types**: every measurement column is text; some values use a thousands separator
      (``"3,750"``) or carry spaces;
    - **units**: 15 body masses in kilograms instead of grams, 10 flipper lengths in
      centimetres instead of millimetres;
    - **outliers**: 6 typing errors (an extra digit: a value multiplied by 10);
    - **inconsistent categories**: species and sex written in many spellings and cases.

    Returns
    -------
    DataFrame
        Columns ``record_id``, ``species``, ``island``, ``bill_length_mm``, ``bill_depth_mm``,
        ``flipper_length_mm``, ``body_mass_g``, ``sex`` — all text but ``record_id``.
    """
    rng = np.random.default_rng(random_state)
    truth = load_penguins()
    n = len(truth)
    values = truth[MEASUREMENTS].astype(object).copy()

    # Units: kilograms and centimetres slipped in from another team's spreadsheet.
    present = truth["body_mass_g"].notna().to_numpy()
    kg_rows = rng.choice(np.flatnonzero(present), 15, replace=False)
    values.loc[kg_rows, "body_mass_g"] = truth.loc[kg_rows, "body_mass_g"] / 1000
    cm_rows = rng.choice(np.flatnonzero(truth["flipper_length_mm"].notna()), 10, replace=False)
    values.loc[cm_rows, "flipper_length_mm"] = truth.loc[cm_rows, "flipper_length_mm"] / 10

    # Outliers: a digit typed twice multiplies a value by ten.
    taken = set(kg_rows) | set(cm_rows)
    for column in ("bill_length_mm", "flipper_length_mm", "bill_depth_mm"):
        candidates = [i for i in np.flatnonzero(truth[column].notna()) if i not in taken]
        rows = rng.choice(candidates, 2, replace=False)
        values.loc[rows, column] = truth.loc[rows, column] * 10
        taken |= set(rows)

    # Missing values: extra holes, written in whatever the source system used.
    for column in MEASUREMENTS:
        candidates = [i for i in range(n) if i not in taken]
        rows = rng.choice(candidates, 6, replace=False)
        markers = rng.choice(MISSING_MARKERS + ["-999", None], len(rows))
        for row, marker in zip(rows, markers, strict=True):
            values.loc[row, column] = marker
        taken |= set(rows)

    # Types: everything becomes text, some with separators and spaces.
    text = values.map(_as_text)
    big = np.flatnonzero(values["body_mass_g"].map(lambda v: isinstance(v, float) and v >= 1000))
    for row in rng.choice(big, 40, replace=False):
        text.loc[row, "body_mass_g"] = f"{values.loc[row, 'body_mass_g']:,.0f}"
    for row in rng.choice(n, 25, replace=False):
        column = MEASUREMENTS[int(rng.integers(len(MEASUREMENTS)))]
        if text.loc[row, column] not in (None, ""):
            text.loc[row, column] = f" {text.loc[row, column]} "

    messy = pd.DataFrame({
        "record_id": np.arange(n),
        "species": [_variant(SPECIES_VARIANTS, s, rng, 0.3) for s in truth["species"]],
        "island": truth["island"].to_numpy(),
        **{column: text[column].to_numpy() for column in MEASUREMENTS},
        "sex": [_variant(SEX_VARIANTS, s, rng, 0.35) if isinstance(s, str)
                else rng.choice(["", "NA", None]) for s in truth["sex"]],
    })

    # Duplicates: records entered twice, some with a changed spelling.
    dup_rows = rng.choice(n, 12, replace=False)
    copies = messy.loc[dup_rows].copy()
    for i in copies.index[:4]:
        copies.loc[i, "species"] = _variant(SPECIES_VARIANTS, truth.loc[i, "species"], rng, 1.0)
    messy = pd.concat([messy, copies])
    order = rng.permutation(len(messy))
    return messy.iloc[order].reset_index(drop=True)


def _as_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    return f"{value:g}"


def _variant(variants: dict[str, list[str]], clean: str, rng, rate: float) -> str:
    if rng.random() >= rate:
        return clean
    spellings = variants[clean]
    return spellings[int(rng.integers(1, len(spellings)))]
