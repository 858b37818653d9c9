"""The root conftest makes nbval fail a learner notebook whose check reports anything but
"not attempted" (make test runs the learner notebooks once, under nbval)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _notebook(answer: str) -> nbformat.NotebookNode:
    cells = ["import mlcourse; mlcourse.setup()\nfrom mlcourse.exercises import check",
             "def mean_absolute_error(y_true, y_pred):\n" + answer,
             'check("00.3", mean_absolute_error)']
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


@pytest.mark.notebooks
@pytest.mark.parametrize(("answer", "verdict"), [
    ("    raise NotImplementedError  # YOUR CODE HERE\n", "3 passed"),   # placeholder
    ("    return 0\n", "reports 'failed'"),                                # an answer
])
def test_nbval_fails_a_check_that_is_not_not_attempted(tmp_path, answer, verdict):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    nbformat.write(_notebook(answer), tmp_path / "nb.ipynb")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--nbval-lax", "nb.ipynb"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert verdict in run.stdout, run.stdout[-2000:]
