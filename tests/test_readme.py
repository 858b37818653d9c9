"""The README's promises: the course map matches the notebooks, the commands exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


COURSE_MAP_ROW = r"^\| (\d{2}) \| (\w+) \| .* \| (\d+) \| (available|planned) \|$"


def test_course_map_lists_all_23_notebooks_with_the_right_status():
    rows = re.findall(COURSE_MAP_ROW, README, re.M)
    assert [number for number, *_ in rows] == [f"{n:02d}" for n in range(23)]
    present = {p.stem for p in (ROOT / "solutions").glob("*.ipynb")}
    for number, name, _, status in rows:
        exists = f"{number}_{name}" in present
        assert exists == (status == "available"), f"{number}_{name} is marked {status}"


def test_course_map_states_each_notebooks_exercise_count():
    from mlcourse.exercises import exercises_for

    for number, name, stated, _ in re.findall(COURSE_MAP_ROW, README, re.M):
        solution = (ROOT / "solutions" / f"{number}_{name}.ipynb").read_text()
        in_notebook = len(set(re.findall(rf"check\(\\\"({number}\.\d+)\\\"", solution)))
        registered = len(exercises_for(number))
        assert int(stated) == registered == in_notebook, (
            f"{number}_{name}: the README says {stated} exercises, {registered} checkers are "
            f"registered and the notebook checks {in_notebook}")


def test_quick_start_commands_are_the_makefile_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "setup", "doctor", "benchmark"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text()
