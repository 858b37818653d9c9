"""Every learner notebook runs top to bottom, every exercise reported "not attempted"."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcourse._machinery.grading import grade
from mlcourse.exercises import NOT_ATTEMPTED

ROOT = Path(__file__).resolve().parents[1]
LEARNER = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LEARNER, ids=[p.name for p in LEARNER])
def test_learner_notebook_runs_with_every_exercise_not_attempted(path):
    report = grade(path)
    assert report.ok, report.summary()
    assert report.total >= 3
    assert all(s == NOT_ATTEMPTED for s in report.statuses.values()), report.summary()
