"""Shared fixtures of the test suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A throw-away course folder holding a copy of solutions/ and notebooks/ for notebook 00."""
    for folder in ("solutions", "notebooks"):
        (tmp_path / folder).mkdir()
        shutil.copy2(ROOT / folder / "00_welcome.ipynb", tmp_path / folder / "00_welcome.ipynb")
    return tmp_path
