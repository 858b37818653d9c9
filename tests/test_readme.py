"""The README's promises: the course map matches the notebooks, the commands exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_course_map_lists_all_23_notebooks_with_the_right_status():
    rows = re.findall(r"^\| (\d{2}) \| (\w+) \| .* \| (available|planned) \|$", README, re.M)
    assert [number for number, _, _ in rows] == [f"{n:02d}" for n in range(23)]
    present = {p.stem for p in (ROOT / "solutions").glob("*.ipynb")}
    for number, name, status in rows:
        exists = f"{number}_{name}" in present
        assert exists == (status == "available"), f"{number}_{name} is marked {status}"


def test_quick_start_commands_are_the_makefile_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "setup", "doctor", "benchmark"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text()
