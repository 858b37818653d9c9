"""Grade notebooks: execute each one and collect the result of every exercise check.

Used by ``mlcourse grade`` and by the tests. A notebook that raises is reported (which cell,
which error), never crashed on: the rest of the notebook still runs, so one mistake does not
hide the other exercises' results.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from mlcourse.exercises import MIME_TYPE, NOT_RUN, PASSED, exercises_for


@dataclass
class CellError:
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

    @property
    def passed(self) -> int:
        return sum(status == PASSED for status in self.statuses.values())

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def score(self) -> float:
        return self.passed / self.total if self.total else 1.0

    @property
    def ok(self) -> bool:
        """Executed to the end with no error."""
        return not self.errors and self.crashed is None

    def summary(self) -> str:
        head = (f"{self.path}: {self.passed}/{self.total} ({100 * self.score:.0f}%) "
                f"in {self.seconds:.1f} s")
        lines = [head]
        for exercise_id, status in self.statuses.items():
            lines.append(f"  {exercise_id}  {status:<13}  {self.titles.get(exercise_id, '')}")
        for error in self.errors:
            lines.append(f"  ERROR in {error}")
        if self.crashed:
            lines.append(f"  NOT FINISHED: {self.crashed}")
        return "\n".join(lines)


def kernel_name() -> str:
    """The course kernel when it is registered for this Python, else the default ``python3``."""
    import sys

    from jupyter_client.kernelspec import NoSuchKernel, get_kernel_spec

    from mlcourse._environment import KERNEL_NAME

    try:
        argv0 = get_kernel_spec(KERNEL_NAME).argv[0]
    except NoSuchKernel:
        return "python3"
    same = Path(argv0).resolve() == Path(sys.executable).resolve()
    return KERNEL_NAME if same else "python3"


_NOTEBOOK_NUMBER = re.compile(r"^(\d{2})_")


def notebook_number(path: Path) -> str | None:
    match = _NOTEBOOK_NUMBER.match(Path(path).name)
    return match.group(1) if match else None


def grade(path: str | Path, *, timeout: int = 300) -> GradeReport:
    """Execute the notebook at ``path`` in a fresh kernel and collect its check results.

    Parameters
    ----------
    path : path to a ``.ipynb`` file named ``NN_topic.ipynb``
    timeout : int
        Seconds any one cell may run before the notebook is stopped.
    """
    path = Path(path)
    report = GradeReport(path=path)
    if not path.is_file():
        report.crashed = f"no such notebook: {path}"
        return report
    number = notebook_number(path)
    if number is not None:
        for ex in exercises_for(number):
            report.statuses[ex.id] = NOT_RUN
            report.titles[ex.id] = ex.title
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as error:  # not JSON, not a notebook: say so
        report.crashed = f"cannot read the notebook ({type(error).__name__}: {error})"
        return report
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name(),
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as error:
        report.crashed = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    except Exception as error:  # the kernel could not start, or similar
        report.crashed = f"{type(error).__name__}: {error}"
    report.seconds = time.perf_counter() - start
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                error = CellError(index, output.get("ename", ""), output.get("evalue", ""))
                report.errors.append(error)
            data = output.get("data", {})
            if MIME_TYPE in data:
                result = data[MIME_TYPE]
                report.statuses[result["id"]] = result["status"]
                report.titles.setdefault(result["id"], result.get("title", ""))
    return report


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
