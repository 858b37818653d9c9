"""Every registered checker must be able to fail: a checker that accepts anything is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcourse.exercises import FAILED, NOT_ATTEMPTED, exercises_for
from mlcourse.exercises._core import _run_checker

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = sorted({p.name[:2] for p in (ROOT / "solutions").glob("*.ipynb")})
EXERCISES = [ex for number in NUMBERS for ex in exercises_for(number)]


def returns_none(*args, **kwargs):
    return None


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex.id for ex in EXERCISES])
def test_checker_rejects_junk_answers(ex):
    for junk in (returns_none, 0, "answer"):
        status, message = _run_checker(ex, junk)
        assert status == FAILED, f"{ex.id} accepted {junk!r}"
        assert message


@pytest.mark.parametrize("ex", EXERCISES, ids=[ex.id for ex in EXERCISES])
def test_checker_reports_the_placeholder_value_as_not_attempted(ex):
    # (Placeholder *functions* are covered by nbval's run of every learner notebook: the root
    # conftest.py fails a check cell there that does not come out "not attempted".)
    assert _run_checker(ex, ...)[0] == NOT_ATTEMPTED
