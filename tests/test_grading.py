"""The grader on notebooks made for the purpose: errors are reported, never crashed on."""

from __future__ import annotations

import nbformat
import pytest

from mlcourse._machinery.cli import main
from mlcourse._machinery.grading import grade, summary_table
from mlcourse.exercises import FAILED, NOT_RUN, PASSED


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, str(path))
    return path


RIGHT = (
    "def mae(a, b):\n"
    "    import numpy as np\n"
    "    return np.mean(np.abs(np.asarray(a) - np.asarray(b)))"
)


@pytest.mark.notebooks
def test_grade_collects_statuses_and_errors(tmp_path):
    path = write_notebook(
        tmp_path / "00_attempt.ipynb",
        "from mlcourse.exercises import check",
        RIGHT,
        'check("00.3", mae)',
        "1 / 0",
        'check("00.2", lambda rides: 0)',
    )
    report = grade(path)
    assert report.statuses["00.3"] == PASSED
    assert report.statuses["00.2"] == FAILED
    assert report.statuses["00.1"] == NOT_RUN  # never checked: counted, not passed
    assert report.total == 4 and report.passed == 1
    assert [e.name for e in report.errors] == ["ZeroDivisionError"]
    assert not report.ok
    assert "1/4 (25%)" in report.summary()
    assert "1/4" in summary_table([report])


def test_grade_reports_a_missing_or_unreadable_notebook(tmp_path):
    assert "no such notebook" in grade(tmp_path / "00_nothing.ipynb").crashed
    bad = tmp_path / "00_bad.ipynb"
    bad.write_text("not json")
    assert "cannot read" in grade(bad).crashed


@pytest.mark.notebooks
def test_cli_grade_exit_code_and_csv(tmp_path, capsys):
    good = write_notebook(tmp_path / "00_good.ipynb",
                          "from mlcourse.exercises import check", RIGHT, 'check("00.3", mae)')
    bad = write_notebook(tmp_path / "00_bad.ipynb", "raise ValueError('boom')")
    table = tmp_path / "grades.csv"
    assert main(["grade", str(good), "--csv", str(table)]) == 0
    assert "00.3,passed" in table.read_text()
    assert main(["grade", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "ValueError: boom" in out and "total" in out
