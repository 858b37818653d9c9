"""Shared fixtures of the test suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from mlcourse.datasets import load_penguins

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A throw-away course folder holding a copy of solutions/ and notebooks/ for notebook 00."""
    for folder in ("solutions", "notebooks"):
        (tmp_path / folder).mkdir()
        shutil.copy2(ROOT / folder / "00_welcome.ipynb", tmp_path / folder / "00_welcome.ipynb")
    return tmp_path


@pytest.fixture(scope="session")
def digits_pixels():
    """The 1,797 8x8 digit images as rows of 64 pixel values (0-16)."""
    return load_digits().data


@pytest.fixture(scope="session")
def penguin_measurements():
    """The four penguin measurements, complete rows only, standardised."""
    columns = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    frame = load_penguins().dropna(subset=columns)
    return StandardScaler().fit_transform(frame[columns].to_numpy())
