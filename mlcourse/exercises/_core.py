"""How exercises are registered, checked and reported.

A checker is a function registered with :func:`exercise` under an id ``"NN.k"`` (notebook NN,
exercise k). It receives the learner's answer (usually a function) and raises
:class:`ExerciseFailed` with a hint when the answer is wrong. Checkers test behaviour: they call
the learner's function on fresh inputs and compare with a reference implementation.

``check("NN.k", answer)`` runs the checker and shows one of three results:

- *not attempted*: the answer is still the placeholder (``...``, or a function that raises
  ``NotImplementedError``), so "Run All" never stops on an unanswered exercise;
- *passed*;
- *failed*, with the hint.

Each result is also emitted under the MIME type :data:`MIME_TYPE`, which is how
``mlcourse grade`` reads the results of an executed notebook.
"""

from __future__ import annotations

import html
import importlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MIME_TYPE = "application/vnd.mlcourse.check+json"

PASSED = "passed"
FAILED = "failed"
NOT_ATTEMPTED = "not attempted"
NOT_RUN = "not run"


class ExerciseFailed(AssertionError):
    """Raised by a checker when the answer is wrong; the message is the learner's hint."""


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    checker: Callable

    @property
    def notebook(self) -> str:
        return self.id.split(".")[0]


_REGISTRY: dict[str, Exercise] = {}
_RESULTS: dict[str, str] = {}


def exercise(exercise_id: str, title: str):
    """Register the decorated function as the checker of exercise ``exercise_id``."""
    _validate_id(exercise_id)

    def register(checker: Callable) -> Callable:
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker)
        return checker

    return register


def _validate_id(exercise_id) -> None:
    parts = str(exercise_id).split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 2:
        raise ValueError(
            f"Exercise ids look like '05.2' (notebook 05, exercise 2); got {exercise_id!r}."
        )


def exercises_for(notebook: str) -> list[Exercise]:
    """The exercises of notebook ``"NN"``, in order (imports its checker module)."""
    notebook = f"{int(notebook):02d}"
    try:
        importlib.import_module(f"mlcourse.exercises.nb{notebook}")
    except ModuleNotFoundError as error:
        if error.name != f"mlcourse.exercises.nb{notebook}":
            raise
        return []
    found = [ex for ex in _REGISTRY.values() if ex.notebook == notebook]
    return sorted(found, key=lambda ex: int(ex.id.split(".")[1]))


def get_exercise(exercise_id: str) -> Exercise:
    _validate_id(exercise_id)
    known = exercises_for(exercise_id.split(".")[0])
    for ex in known:
        if ex.id == exercise_id:
            return ex
    listed = ", ".join(ex.id for ex in known) or "none"
    raise KeyError(
        f"There is no exercise {exercise_id!r}. Exercises of notebook "
        f"{exercise_id.split('.')[0]}: {listed}."
    )


def rng_for(exercise_id: str, salt: int = 0) -> np.random.Generator:
    """A random generator for a checker's fresh inputs: the same on every run, but not
    the data the notebook itself used."""
    return np.random.default_rng(zlib.crc32(f"{exercise_id}/{salt}".encode()))


def as_array(value, what: str, dtype=float) -> np.ndarray:
    """The learner's result as a NumPy array, or a failure naming what was returned instead.

    ``dtype=None`` keeps the result's own type (indices, labels).
    """
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ExerciseFailed(
            f"{what} should be a number or an array of numbers; got {type(value).__name__}."
        ) from error


def expect(condition: bool, hint: str) -> None:
    """Fail the exercise with ``hint`` unless ``condition`` holds."""
    if not condition:
        raise ExerciseFailed(hint)


def expect_close(got, expected, what: str, hint: str = "", rtol=1e-6, atol=1e-8) -> None:
    """Fail unless ``got`` matches ``expected`` elementwise (shape included)."""
    got_array = np.asarray(got, dtype=float)
    expected_array = np.asarray(expected, dtype=float)
    if got_array.shape != expected_array.shape:
        raise ExerciseFailed(
            f"{what} has shape {got_array.shape}, expected {expected_array.shape}. {hint}".strip()
        )
    if not np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
        shown = np.array2string(got_array.ravel()[:4], precision=4)
        wanted = np.array2string(expected_array.ravel()[:4], precision=4)
        raise ExerciseFailed(
            f"{what} is not right: got {shown}{'...' if got_array.size > 4 else ''}, "
            f"expected {wanted}{'...' if expected_array.size > 4 else ''}. {hint}".strip()
        )


def _run_checker(ex: Exercise, answer) -> tuple[str, str]:
    if answer is Ellipsis:
        return NOT_ATTEMPTED, "Replace the placeholder with your answer, then run this cell again."
    try:
        message = ex.checker(answer)
    except NotImplementedError:
        return NOT_ATTEMPTED, "Write your code where it says YOUR CODE HERE, then run again."
    except ExerciseFailed as failure:
        return FAILED, str(failure)
    except Exception as error:  # the learner's code raised: report it, never crash the notebook
        return FAILED, f"Running your answer raised {type(error).__name__}: {error}"
    return PASSED, message or "Well done."


_SYMBOL = {PASSED: "✔", FAILED: "✘", NOT_ATTEMPTED: "…", NOT_RUN: "·"}
_COLOR = {PASSED: "#1a7f37", FAILED: "#cf222e", NOT_ATTEMPTED: "#6e7781", NOT_RUN: "#6e7781"}


def _show(bundle: dict[str, object]) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        print(bundle["text/plain"])
        return
    if get_ipython() is None:
        print(bundle["text/plain"])
    else:
        display(bundle, raw=True)


def check(exercise_id: str, answer) -> None:
    """Check the answer to exercise ``exercise_id`` and show the result.

    Parameters
    ----------
    exercise_id : str
        ``"NN.k"``, as written in the exercise's title.
    answer : object
        What the exercise asks for, usually the function you wrote.
    """
    ex = get_exercise(exercise_id)
    status, message = _run_checker(ex, answer)
    _RESULTS[ex.id] = status
    text = f"{_SYMBOL[status]} Exercise {ex.id} ({ex.title}): {status}. {message}"
    color = _COLOR[status]
    markup = (
        f'<div style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">'
        f'<b style="color:{color}">{_SYMBOL[status]} Exercise {html.escape(ex.id)}: '
        f"{html.escape(status)}</b> <i>{html.escape(ex.title)}</i><br>{html.escape(message)}</div>"
    )
    _show({
        "text/plain": text,
        "text/html": markup,
        MIME_TYPE: {"id": ex.id, "title": ex.title, "status": status, "message": message},
    })


def results() -> dict[str, str]:
    """Status of every exercise checked in this session, by id."""
    return dict(_RESULTS)


def progress(notebook: str) -> None:
    """Print where you stand on the exercises of notebook ``"NN"`` in this session."""
    exercises = exercises_for(notebook)
    if not exercises:
        print(f"Notebook {notebook} has no exercises.")
        return
    statuses = [_RESULTS.get(ex.id, NOT_RUN) for ex in exercises]
    lines = [f"Exercises of notebook {int(notebook):02d}:"]
    for ex, status in zip(exercises, statuses, strict=True):
        lines.append(f"  {_SYMBOL[status]} {ex.id}  {status:<13}  {ex.title}")
    done = statuses.count(PASSED)
    lines.append(f"{done}/{len(exercises)} passed ({100 * done / len(exercises):.0f}%).")
    if done < len(exercises):
        lines.append("Unfinished exercises: answer them, re-run their check cells, then this one.")
    print("\n".join(lines))
