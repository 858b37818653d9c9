"""The notebooks as a whole: hygiene, skeleton, drift and exercises.

Grading of every solution runs in test_grade_solutions.py; nbval executes every learner notebook
(`pytest --nbval-lax notebooks`), and the root conftest.py makes it fail a check cell that does
not report "not attempted".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlcourse.authoring import build
from mlcourse.exercises import exercises_for

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
LEARNER = sorted((ROOT / "notebooks").glob("*.ipynb"))
ALL = SOLUTIONS + LEARNER
SETUP_CELL = "import mlcourse; mlcourse.setup()"
SECTIONS = ("Learning objectives", "Prerequisites", "Exercise", "Summary", "Further reading")


def ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def test_there_are_notebooks():
    assert SOLUTIONS, "solutions/ holds no notebook"
    assert [p.name for p in SOLUTIONS] == [p.name for p in LEARNER]


def test_notebooks_match_solutions():
    drift = build(ROOT, check_only=True)
    assert drift == [], "run `mlcourse author`: " + "; ".join(drift)


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_committed_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert dirty == [], f"cells {dirty} carry outputs: run `mlcourse author`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solution_follows_the_skeleton(path):
    nb = json.loads(path.read_text())
    assert re.match(r"^\d{2}_[a-z_]+\.ipynb$", path.name)
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert code[0].strip() == SETUP_CELL, "the first code cell must be the set-up cell"
    assert text.lstrip().startswith(f"# {path.name[:2]}"), "the title starts with the number"
    for section in SECTIONS:
        assert section in text, f"missing section: {section}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_every_registered_exercise_is_checked_in_its_notebook(path):
    number = path.name[:2]
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
    checked = re.findall(r'check\("(\d{2}\.\d+)"', source)
    registered = [ex.id for ex in exercises_for(number)]
    assert sorted(checked) == sorted(registered)
    assert len(registered) >= (3 if number == "00" else 4)
