"""Grade notebooks: execute each one and collect the result of every exercise check.

Used by ``mlcourse grade`` and by the tests. A notebook that raises is reported (which cell,
which error), never crashed on: the rest of the notebook still runs, so one mistake does not
hide the other exercises' results.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from mlcourse._machinery.environment import KERNEL_NAME, kernel_runs_this_python
from mlcourse.exercises import NOT_RUN, PASSED, exercises_for


@dataclass
class CellError:
    """An error a cell raised: its index in the notebook, the exception's name and message."""

    cell: int
    name: str
    value: str

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.name}: {self.value}"


@dataclass
class GradeReport:
    """What grading one notebook found."""

    path: Path
    statuses: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    seconds: float = 0.0
    crashed: str | None = None
    identified: str = ""

    @property
    def passed(self) -> int:
        """How many exercises passed."""
        return sum(status == PASSED for status in self.statuses.values())

    @property
    def total(self) -> int:
        """How many exercises the notebook has."""
        return len(self.statuses)

    @property
    def score(self) -> float:
        """The share of exercises passed; zero for a notebook that could not be graded."""
        if self.crashed and not self.passed:
            return 0.0
        return self.passed / self.total if self.total else (0.0 if self.crashed else 1.0)

    @property
    def ok(self) -> bool:
        """Executed to the end with no error."""
        return not self.errors and self.crashed is None

    def summary(self) -> str:
        """The report as `mlcourse grade` prints it: score, each exercise, each error."""
        head = (f"{self.path}: {self.passed}/{self.total} ({100 * self.score:.0f}%) "
                f"in {self.seconds:.1f} s")
        lines = [head]
        if self.identified:
            lines.append(f"  graded as {self.identified}")
        for exercise_id, status in self.statuses.items():
            lines.append(f"  {exercise_id}  {status:<13}  {self.titles.get(exercise_id, '')}")
        for error in self.errors:
            lines.append(f"  ERROR in {error}")
        if self.crashed:
            lines.append(f"  NOT FINISHED: {self.crashed}")
        return "\n".join(lines)


def kernel_name() -> str:
    """The course kernel when it runs this Python, else Jupyter's default ``python3``."""
    return KERNEL_NAME if kernel_runs_this_python() else "python3"


_NOTEBOOK_NUMBER = re.compile(r"^(\d{2})_")
_CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\d{2})\.\d+["']""")


def notebook_number(path: Path) -> str | None:
    """The notebook number in a file name ``NN_topic.ipynb``, if it has one."""
    match = _NOTEBOOK_NUMBER.match(Path(path).name)
    return match.group(1) if match else None


def identify(nb: nbformat.NotebookNode, path: Path) -> tuple[str | None, str]:
    """Which course notebook this is, and how that was decided.

    The notebook's own cells decide, not its file name, so that a renamed submission is graded
    like any other: first the number the course writes into the metadata, then the exercises
    its ``check("NN.k", ...)`` cells name, and only then the file name.
    """
    number = nb.metadata.get("mlcourse", {}).get("notebook")
    if isinstance(number, str) and re.fullmatch(r"\d{2}", number):
        return number, "its metadata"
    found = [m for cell in nb.cells if cell.cell_type == "code"
             for m in _CHECK_CALL.findall(cell.source)]
    if found:
        return Counter(found).most_common(1)[0][0], "the exercises its cells check"
    number = notebook_number(path)
    return number, ("its file name" if number else "nothing: no metadata, checks or NN_ name")


def grade(path: str | Path, *, timeout: int = 300) -> GradeReport:
    """Execute the notebook at ``path`` in a fresh kernel and grade its exercises.

    Parameters
    ----------
    path : path to a ``.ipynb`` file
    timeout : int
        Seconds any one cell may run; a cell that runs longer is interrupted and the rest of
        the notebook still runs.

    Notes
    -----
    After the last cell the grader runs every check again in the same kernel, with a fresh
    nonce, on the answers the notebook passed to ``check``; only those results count. An
    exercise whose check never ran is "not run".
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout}.")
    path = Path(path)
    report = GradeReport(path=path)
    nb = _read_notebook(path, report)
    if nb is None:
        return report
    number, how = identify(nb, path)
    report.identified = f"notebook {number}, from {how}" if number else f"unknown, from {how}"
    if number is not None:
        for ex in exercises_for(number):
            report.statuses[ex.id] = NOT_RUN
            report.titles[ex.id] = ex.title
    verified = _execute(nb, path, timeout, report)
    report.errors.extend(_cell_errors(nb))
    for exercise_id, result in (verified or {}).items():
        report.statuses[exercise_id] = result.get("status", NOT_RUN)
        report.titles.setdefault(exercise_id, result.get("title", ""))
    return report


def _read_notebook(path: Path, report: GradeReport) -> nbformat.NotebookNode | None:
    """The notebook at ``path``, or None with the reason in ``report.crashed``."""
    if not path.is_file():
        report.crashed = f"no such notebook: {path}"
        return None
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as error:  # not JSON, not a notebook: say so
        report.crashed = f"cannot read the notebook ({type(error).__name__}: {error})"
        return None


def _execute(nb: nbformat.NotebookNode, path: Path, timeout: int,
             report: GradeReport) -> dict | None:
    """Run every cell in a fresh kernel, then the checks again; their verified results.

    Sets ``report.seconds``; a kernel that dies or cannot start leaves None and the reason in
    ``report.crashed``.
    """
    client = NotebookClient(
        nb,
        timeout=timeout,
        interrupt_on_timeout=True,
        kernel_name=kernel_name(),
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    verified = None
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            verified = _verified_results(client, len(nb.cells), timeout)
    except DeadKernelError as error:
        report.crashed = f"the kernel died ({str(error).splitlines()[0]}); no result is verified"
    except Exception as error:  # the kernel could not start, or similar
        first_line = str(error).splitlines()[0] if str(error) else ""
        report.crashed = f"{type(error).__name__}: {first_line}"
    report.seconds = time.perf_counter() - start
    return verified


def _cell_errors(nb: nbformat.NotebookNode) -> list[CellError]:
    """Every error output of the executed notebook, with the index of its cell."""
    return [CellError(index, output.get("ename", ""), output.get("evalue", ""))
            for index, cell in enumerate(nb.cells)
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"]


def _verified_results(client: NotebookClient, index: int, timeout: int) -> dict | None:
    """Run every check again in the kernel; the results printed with a fresh nonce."""
    nonce = secrets.token_hex(16)
    cell = nbformat.v4.new_code_cell(
        f"import mlcourse.exercises._core as _mlcourse_core; _mlcourse_core._regrade({nonce!r})")
    client.nb.cells.append(cell)
    try:
        client.execute_cell(cell, index)
    finally:
        client.nb.cells.pop()
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream":
            continue
        for line in output.get("text", "").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("nonce") == nonce:
                results = record.get("results")
                return {k: v for k, v in results.items() if isinstance(v, dict)} \
                    if isinstance(results, dict) else None
    return None


def summary_table(reports: list[GradeReport]) -> str:
    """One line per notebook: score, errors, time; then the total."""
    width = max((len(str(r.path)) for r in reports), default=8)
    lines = [f"{'notebook':<{width}}  {'score':>13}  {'errors':>6}  {'seconds':>7}"]
    for r in reports:
        score = f"{r.passed}/{r.total} ({100 * r.score:.0f}%)"
        errors = len(r.errors) + (1 if r.crashed else 0)
        lines.append(f"{str(r.path):<{width}}  {score:>13}  {errors:>6}  {r.seconds:>7.1f}")
    passed = sum(r.passed for r in reports)
    total = sum(r.total for r in reports)
    if total:
        lines.append(f"{'total':<{width}}  {f'{passed}/{total} ({100 * passed / total:.0f}%)':>13}")
    return "\n".join(lines)
