"""Authoring: ``solutions/`` is the source of truth, ``notebooks/`` is generated from it.

In a solution notebook, every answer sits between two marker lines::

    ### BEGIN SOLUTION
    ...the answer...
    ### END SOLUTION

The learner's copy replaces each block with a placeholder that keeps "Run All" working:

- inside a function (the block is indented): ``raise NotImplementedError  # YOUR CODE HERE``,
  which ``check`` reports as "not attempted";
- at the top level of a cell: ``name = ...  # YOUR CODE HERE`` for each name the answer
  defines (``check`` reports ``...`` as "not attempted");
- in a markdown cell: *Your answer here.*

Every notebook in both folders is written without outputs or execution counts.
``mlcourse author`` regenerates ``notebooks/``; ``mlcourse author --check`` fails when the two
folders have drifted apart; ``mlcourse author convert SCRIPT.py NOTEBOOK.ipynb`` turns a
percent-format script (``# %%`` cells) into a notebook.
"""

from __future__ import annotations

import ast
import copy
import re
import textwrap
from pathlib import Path

import nbformat

from mlcourse._machinery.environment import find_course_root, kernelspec

__all__ = [
    "AuthoringError",
    "build",
    "clean",
    "dumps",
    "find_course_root",
    "from_percent_script",
    "learner_version",
    "looks_like_marker",
    "read",
    "strip_solutions",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"

LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}


class AuthoringError(ValueError):
    """A solution notebook breaks the authoring rules (e.g. unbalanced markers)."""


def _defined_names(block: str) -> list[str]:
    """Names a top-level answer binds, in order of appearance."""
    try:
        tree = ast.parse(textwrap.dedent(block))
    except SyntaxError as error:
        raise AuthoringError(f"the solution block is not valid Python: {error}") from error
    names: list[str] = []

    def add(name: str) -> None:
        if name not in names:
            names.append(name)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        add(sub.id)
    return names


def _placeholder(block_lines: list[str], indent: str) -> list[str]:
    if indent:
        return [f"{indent}raise NotImplementedError  {PLACEHOLDER}"]
    names = _defined_names("\n".join(block_lines))
    if not names:
        return [PLACEHOLDER]
    return [f"{name} = ...  {PLACEHOLDER}" for name in names]


# Anything a person could mean as a marker: other case, other number of #, missing space.
_MARKER_LIKE = re.compile(r"^\s*#+\s*(begin|end)[\s_-]*solutions?\b", re.IGNORECASE)


def looks_like_marker(line: str) -> bool:
    """Whether ``line`` reads like a solution marker (exact or misspelled)."""
    return bool(_MARKER_LIKE.match(line))


def strip_solutions(source: str, *, markdown: bool = False, where: str = "") -> str:
    """Replace every ``BEGIN/END SOLUTION`` block of one cell's source by its placeholder.

    A line that looks like a marker but is not exactly one is refused: a misspelled marker
    would otherwise publish the answer in the learner's copy.
    """
    lines = source.split("\n")
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped not in (BEGIN, END) and looks_like_marker(line):
            raise AuthoringError(
                f"{where}line {number}: {stripped!r} looks like a solution marker but is not "
                f"one; write exactly {BEGIN!r} or {END!r}")
        if stripped == BEGIN:
            if block is not None:
                raise AuthoringError(f"{where}line {number}: {BEGIN} inside another solution")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise AuthoringError(f"{where}line {number}: {END} without {BEGIN}")
            out.extend(["*Your answer here.*"] if markdown else _placeholder(block, indent))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise AuthoringError(f"{where}{BEGIN} is never closed by {END}")
    return "\n".join(out)


def clean(nb: nbformat.NotebookNode, number: str | None = None) -> nbformat.NotebookNode:
    """A copy without outputs, execution counts or per-run metadata, with the course kernel.

    ``number`` ("NN") is written into the metadata: the grader identifies a notebook by it,
    whatever the file is called.
    """
    nb = copy.deepcopy(nb)
    metadata = {"kernelspec": kernelspec(), "language_info": LANGUAGE_INFO}
    if number is not None:
        metadata["mlcourse"] = {"notebook": number}
    nb.metadata = nbformat.from_dict(metadata)
    for index, cell in enumerate(nb.cells):
        cell.setdefault("id", f"cell-{index}")
        kept = {k: v for k, v in cell.get("metadata", {}).items() if k in ("tags",)}
        cell.metadata = nbformat.from_dict(kept)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def learner_version(nb: nbformat.NotebookNode, name: str = "") -> nbformat.NotebookNode:
    """The learner's copy of a solution notebook: answers replaced, outputs stripped."""
    nb = clean(nb, _number(name))
    for index, cell in enumerate(nb.cells):
        if BEGIN in cell.source or END in cell.source:
            where = f"{name} cell {index}, " if name else f"cell {index}, "
            cell.source = strip_solutions(
                cell.source, markdown=cell.cell_type == "markdown", where=where
            )
    return nb


def _number(name: str) -> str | None:
    match = re.match(r"(\d{2})_", name)
    return match.group(1) if match else None


def dumps(nb: nbformat.NotebookNode) -> str:
    """The notebook as the course stores it: validated JSON ending in a newline."""
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook, or raise :class:`AuthoringError` naming the file and what is wrong."""
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as error:  # invalid JSON or not a notebook
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AuthoringError(f"{path}: not a readable notebook ({detail})") from error


def build(root: Path, *, check_only: bool = False) -> list[str]:
    """Regenerate notebooks/ from solutions/ (and strip solutions/), or report drift.

    Returns the list of problems (drifted or stray files) when ``check_only``; otherwise the
    list of files written.
    """
    solutions = sorted((root / "solutions").glob("*.ipynb"))
    notes: list[str] = []
    for solution in solutions:
        nb = read(solution)
        clean_solution = dumps(clean(nb, _number(solution.name)))
        learner = dumps(learner_version(nb, name=solution.name))
        target = root / "notebooks" / solution.name
        for path, text in ((solution, clean_solution), (target, learner)):
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                if check_only:
                    why = "is missing" if current is None else "is out of date"
                    notes.append(f"{path.relative_to(root)} {why}")
                else:
                    path.write_text(text, encoding="utf-8")
                    notes.append(str(path.relative_to(root)))
    names = {s.name for s in solutions}
    for learner in sorted((root / "notebooks").glob("*.ipynb")):
        if learner.name not in names:
            notes.append(f"notebooks/{learner.name} has no solutions/{learner.name}")
        text = learner.read_text(encoding="utf-8")
        if any(looks_like_marker(line) for line in _sources(text)):
            notes.append(f"notebooks/{learner.name} contains a solution block")
    return notes


def _sources(text: str) -> list[str]:
    """Every source line of a notebook's JSON text (unreadable text yields its raw lines)."""
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception:
        return text.splitlines()
    return [line for cell in nb.cells for line in cell.source.splitlines()]


_CELL_MARK = re.compile(r"^# %%(?P<kind> \[markdown\])?\s*$")


def from_percent_script(text: str) -> nbformat.NotebookNode:
    """A notebook from a percent-format script.

    ``# %%`` starts a code cell; ``# %% [markdown]`` starts a markdown cell whose lines are
    comments (``# `` is removed). Text before the first marker is ignored.
    """
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        mark = _CELL_MARK.match(line)
        if mark:
            cells.append(("markdown" if mark.group("kind") else "code", []))
        elif cells:
            cells[-1][1].append(line)
    nb = nbformat.v4.new_notebook()
    for index, (kind, lines) in enumerate(cells):
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", line) for line in lines)
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(lines))
        cell["id"] = f"cell-{index}"
        nb.cells.append(cell)
    return clean(nb)
