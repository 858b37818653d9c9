"""The messy-data generator: deterministic, and every advertised fault is really there."""

from __future__ import annotations

import pandas as pd

from mlcourse.datasets import load_penguins
from mlcourse.datasets.messy import MEASUREMENTS, make_messy_penguins


def test_same_seed_same_mess_other_seed_other_mess():
    assert make_messy_penguins(0).equals(make_messy_penguins(0))
    assert not make_messy_penguins(0).equals(make_messy_penguins(1))


def test_every_fault_is_present():
    messy = make_messy_penguins(0)
    truth = load_penguins()
    assert len(messy) - messy["record_id"].nunique() == 12  # records entered twice
    assert set(messy["record_id"]) == set(range(len(truth)))
    text = messy[MEASUREMENTS].astype("string")
    assert text.isin(["-999"]).to_numpy().sum() > 0  # a sentinel
    assert text.isin(["", "NA", "n/a", "?", "-"]).to_numpy().sum() > 0  # spelled-out missing
    assert text.apply(lambda c: c.str.contains(",", regex=False).fillna(False)).to_numpy().sum() > 0
    mass = pd.to_numeric(messy["body_mass_g"].str.replace(",", ""), errors="coerce")
    assert (mass < 10).sum() >= 15  # kilograms
    assert messy["species"].nunique() > 3 and messy["sex"].nunique() > 2
    assert not (messy["species"].isin(["Adelie", "Chinstrap", "Gentoo"])).all()


def test_the_truth_is_not_modified():
    make_messy_penguins(0)
    assert load_penguins()["body_mass_g"].min() == 2700
