"""Faults an instructor or a learner can hit: the grader, authoring, reset and the cache folder
must each say what is wrong, keep going where they can, and never lose or leak anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from mlcourse._machinery.cli import main
from mlcourse._machinery.grading import grade
from mlcourse.authoring import AuthoringError, build, strip_solutions
from mlcourse.exercises import FAILED, NOT_RUN, PASSED

ROOT = Path(__file__).resolve().parents[1]

RIGHT_MAE = (
    "def mae(a, b):\n"
    "    import numpy as np\n"
    "    return np.mean(np.abs(np.asarray(a) - np.asarray(b)))"
)
FORGED = (
    "from IPython.display import display\n"
    "for k in range(1, 5):\n"
    "    display({'application/vnd.mlcourse.check+json': {'id': f'00.{k}', 'status': 'passed'},"
    " 'text/plain': 'passed'}, raw=True)"
)


def write_notebook(path, *sources, metadata=None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    if metadata:
        nb.metadata.update(metadata)
    nbformat.write(nb, str(path))
    return path


# ----------------------------------------------------------------------------- the grader


@pytest.mark.notebooks
def test_forged_and_malformed_bundles_prove_nothing(tmp_path):
    path = write_notebook(
        tmp_path / "00_forged.ipynb",
        FORGED,
        "from IPython.display import display\n"
        "display({'application/vnd.mlcourse.check+json': {'id': '00.1'}}, raw=True)",
        "from mlcourse.exercises import check",
        RIGHT_MAE,
        'check("00.3", mae)',
    )
    report = grade(path)
    assert report.statuses["00.3"] == PASSED  # checked for real
    assert report.statuses["00.1"] == NOT_RUN  # only displayed
    assert report.passed == 1 and report.total == 4


@pytest.mark.notebooks
def test_the_same_notebook_gets_the_same_grade_whatever_its_name(tmp_path):
    cells = ("from mlcourse.exercises import check", RIGHT_MAE, 'check("00.3", mae)')
    named = grade(write_notebook(tmp_path / "00_ok.ipynb", *cells))
    renamed = grade(write_notebook(tmp_path / "welcome_submission.ipynb", *cells))
    assert (named.passed, named.total) == (renamed.passed, renamed.total) == (1, 4)
    assert "from the exercises its cells check" in renamed.summary()
    by_metadata = grade(write_notebook(tmp_path / "mine.ipynb", "1 + 1",
                                       metadata={"mlcourse": {"notebook": "00"}}))
    assert by_metadata.total == 4 and by_metadata.passed == 0
    assert "from its metadata" in by_metadata.summary()


@pytest.mark.notebooks
def test_a_looping_answer_fails_its_check_and_grading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCOURSE_CHECK_TIMEOUT", "2")
    path = write_notebook(
        tmp_path / "00_loop.ipynb",
        "from mlcourse.exercises import check",
        "def mae(a, b):\n    while True:\n        pass",
        'check("00.3", mae)',
        RIGHT_MAE.replace("mae", "mae2"),
        "assert True",
    )
    report = grade(path, timeout=60)
    assert report.statuses["00.3"] == FAILED
    assert report.ok and report.crashed is None


def test_a_missing_notebook_scores_zero_with_a_reason_in_the_csv(tmp_path, capsys):
    table = tmp_path / "grades.csv"
    assert main(["grade", str(tmp_path / "00_gone.ipynb"), "--csv", str(table)]) == 1
    rows = table.read_text().splitlines()
    assert len(rows) == 2 and "no such notebook" in rows[1] and ",0.000," in rows[1]
    assert "0/0 (0%)" in capsys.readouterr().out


@pytest.mark.parametrize("timeout", ["0", "-1", "soon"])
def test_a_timeout_that_removes_the_limit_is_refused(tmp_path, timeout, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["grade", str(tmp_path), "--timeout", timeout])
    assert stop.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_an_unwritable_csv_path_is_refused_before_grading(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "00_x.ipynb", "1")
    code = main(["grade", str(notebook), "--csv", str(tmp_path / "no" / "such" / "g.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "grading" not in err


# ----------------------------------------------------------------------------- authoring


@pytest.mark.parametrize("marker", ["### Begin Solution", "## BEGIN SOLUTION", "###BEGIN SOLUTION",
                                    "### END solution", "# begin_solution"])
def test_a_misspelled_marker_is_refused(marker):
    with pytest.raises(AuthoringError, match="looks like a solution marker"):
        strip_solutions(f"def f():\n    {marker}\n    return 42\n    ### END SOLUTION")


def _course_copy(tmp_path) -> Path:
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "solutions" / "00_welcome.ipynb", root / "solutions")
    shutil.copy(ROOT / "notebooks" / "00_welcome.ipynb", root / "notebooks")
    return root


def test_the_drift_check_catches_a_learner_notebook_holding_a_solution(tmp_path):
    root = _course_copy(tmp_path)
    learner = root / "notebooks" / "00_welcome.ipynb"
    nb = nbformat.read(str(learner), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"))
    nbformat.write(nb, str(learner))
    assert any("contains a solution block" in note for note in build(root, check_only=True))


def test_an_unreadable_solution_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    root = _course_copy(tmp_path)
    (root / "solutions" / "00_welcome.ipynb").write_text("{ not json")
    monkeypatch.chdir(root)
    assert main(["author", "--check"]) == 2
    err = capsys.readouterr().err
    assert "00_welcome.ipynb" in err and "not a readable notebook" in err
    assert len(err.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- reset and the cache


@pytest.mark.parametrize("fault", ["file", "permission"])
def test_reset_says_what_to_do_when_backups_cannot_be_written(tmp_path, capsys, fault,
                                                              monkeypatch):
    root = _course_copy(tmp_path)
    mine = root / "notebooks" / "00_welcome.ipynb"
    mine.write_text(mine.read_text().replace("Welcome", "My own notes"))
    before = mine.read_text()
    if fault == "file":
        (root / "backups").write_text("in the way")
    else:  # as a learner without root meets it (root can write into a read-only folder)
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(shutil, "copy2", refuse)
    assert main(["reset", "00", "--yes", "--course-dir", str(root)]) == 1
    assert "Your notebook was not touched" in capsys.readouterr().err
    assert mine.read_text() == before


def test_a_cache_folder_that_is_a_file_is_explained(tmp_path, monkeypatch):
    from mlcourse.datasets._registry import cache_dir

    blocker = tmp_path / "cache"
    blocker.write_text("")
    monkeypatch.setenv("MLCOURSE_CACHE_DIR", str(blocker))
    with pytest.raises(NotADirectoryError, match="MLCOURSE_CACHE_DIR"):
        cache_dir()


def test_regrade_output_is_one_json_line(capsys):
    from mlcourse.exercises import _core

    _core._ANSWERS.clear()
    _core._regrade("abc")
    assert json.loads(capsys.readouterr().out) == {"nonce": "abc", "results": {}}
