"""Authoring: placeholders, stripping, regeneration and the drift check."""

from __future__ import annotations

import json

import nbformat
import pytest

from mlcourse.authoring import (
    AuthoringError,
    build,
    clean,
    from_percent_script,
    learner_version,
    strip_solutions,
)

INDENTED = '''def f(x):
    """Doc."""
    ### BEGIN SOLUTION
    y = x + 1
    return y
    ### END SOLUTION
'''

TOP_LEVEL = """### BEGIN SOLUTION
best_k, scores = 5, [1, 2]
def helper():
    return 1
### END SOLUTION
print("kept")"""


def test_indented_solution_becomes_not_implemented():
    out = strip_solutions(INDENTED)
    assert "y = x + 1" not in out
    assert "    raise NotImplementedError  # YOUR CODE HERE" in out
    assert '"""Doc."""' in out
    compile(out, "cell", "exec")


def test_top_level_solution_keeps_every_name_as_a_placeholder():
    out = strip_solutions(TOP_LEVEL)
    assert "best_k = ...  # YOUR CODE HERE" in out
    assert "scores = ...  # YOUR CODE HERE" in out
    assert "helper = ...  # YOUR CODE HERE" in out
    assert 'print("kept")' in out and "[1, 2]" not in out
    namespace: dict = {}
    exec(compile(out, "cell", "exec"), namespace)
    assert namespace["best_k"] is Ellipsis


def test_markdown_solution_is_replaced():
    out = strip_solutions("Q?\n### BEGIN SOLUTION\nThe answer.\n### END SOLUTION", markdown=True)
    assert "The answer." not in out and "Your answer here" in out


@pytest.mark.parametrize(
    "source, message",
    [
        ("### BEGIN SOLUTION\nx = 1", "never closed"),
        ("x = 1\n### END SOLUTION", "without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
        ("### BEGIN SOLUTION\nx = (\n### END SOLUTION", "not valid Python"),
    ],
)
def test_broken_markers_are_reported(source, message):
    with pytest.raises(AuthoringError, match=message):
        strip_solutions(source)


def _notebook_with_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(INDENTED)
    cell.outputs = [nbformat.v4.new_output("stream", text="hi")]
    cell.execution_count = 3
    nb.cells = [cell]
    return nb


def test_learner_version_has_no_outputs_or_answers():
    learner = learner_version(_notebook_with_outputs())
    cell = learner.cells[0]
    assert cell.outputs == [] and cell.execution_count is None
    assert "y = x + 1" not in cell.source
    assert learner.metadata.kernelspec.name == "mlcourse"


def test_clean_keeps_answers():
    cleaned = clean(_notebook_with_outputs())
    assert "y = x + 1" in cleaned.cells[0].source and cleaned.cells[0].outputs == []


def test_build_regenerates_and_check_detects_drift(course_copy):
    assert build(course_copy, check_only=True) == []
    learner = course_copy / "notebooks" / "00_welcome.ipynb"
    data = json.loads(learner.read_text())
    data["cells"][0]["source"] = "edited by hand"
    learner.write_text(json.dumps(data))
    drift = build(course_copy, check_only=True)
    assert drift == ["notebooks/00_welcome.ipynb is out of date"]
    assert build(course_copy) == ["notebooks/00_welcome.ipynb"]
    assert build(course_copy, check_only=True) == []


def test_check_reports_stray_and_missing_notebooks(course_copy):
    (course_copy / "notebooks" / "99_extra.ipynb").write_text("{}")
    (course_copy / "notebooks" / "00_welcome.ipynb").unlink()
    drift = build(course_copy, check_only=True)
    assert "notebooks/00_welcome.ipynb is missing" in drift
    assert "notebooks/99_extra.ipynb has no solutions/99_extra.ipynb" in drift


def test_percent_script_conversion():
    script = "# %% [markdown]\n# # Title\n# text\n\n# %%\nx = 1\n\n\n# %%\nprint(x)\n"
    nb = from_percent_script(script)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[0].source == "# Title\ntext"
    assert nb.cells[1].source == "x = 1"
    nbformat.validate(nb)
