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

import contextvars
import ctypes
import html
import importlib
import os
import signal
import sysconfig
import threading
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    time_limit: float | None = None

    @property
    def notebook(self) -> str:
        return self.id.split(".")[0]


_REGISTRY: dict[str, Exercise] = {}
_RESULTS: dict[str, str] = {}
# The answers checked in this session, so that the grader can run the checks again itself
# instead of believing what a cell displayed.
_ANSWERS: dict[str, object] = {}


def exercise(exercise_id: str, title: str, time_limit: float | None = None):
    """Register the decorated function as the checker of exercise ``exercise_id``.

    ``time_limit`` (seconds) replaces the default limit of one check, :func:`time_limit`.
    """
    _validate_id(exercise_id)

    def register(checker: Callable) -> Callable:
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker, time_limit)
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


# The id of the exercise whose checker is running, so that helpers need not be told it.
_RUNNING: contextvars.ContextVar[str | None] = contextvars.ContextVar("_RUNNING", default=None)


def rng_for(salt: int = 0) -> np.random.Generator:
    """A random generator for the running checker's fresh inputs.

    It is seeded from the exercise's id (and ``salt``, for a second independent stream), so
    it gives the same inputs on every run, but not the data the notebook itself used.
    """
    exercise_id = _RUNNING.get()
    if exercise_id is None:
        raise RuntimeError("rng_for() gives a checker its inputs: call it while a check runs.")
    return np.random.default_rng(zlib.crc32(f"{exercise_id}/{salt}".encode()))


_TUPLE_OF = {2: "a pair, the tuple", 3: "a tuple of three", 4: "a tuple of four",
             5: "a tuple of five"}


def unpack(result, names: tuple[str, ...] | list[str], what: str = "Your function's result"
           ) -> tuple:
    """The parts of a result that should be a tuple ``names``, or a failure that says so.

    A list of the right length is accepted too: the task asks for the parts, not the type.
    """
    names = tuple(names)
    kind = _TUPLE_OF.get(len(names), f"a tuple of {len(names)}")
    wanted = f"{kind} ({', '.join(names)})"
    if not isinstance(result, tuple | list):
        raise ExerciseFailed(f"{what} should be {wanted}; got {type(result).__name__}.")
    if len(result) != len(names):
        raise ExerciseFailed(f"{what} should be {wanted}; got {len(result)} values.")
    return tuple(result)


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


class CheckTimedOut(BaseException):  # noqa: N818
    """Raised inside a check that ran past its time limit (a BaseException, so that an
    ``except Exception`` in the learner's code cannot swallow it)."""


#: Seconds a check may run; ``MLCOURSE_CHECK_TIMEOUT`` overrides it (for a slow machine).
DEFAULT_TIME_LIMIT = 60.0


def time_limit() -> float:
    """The time limit of one check, in seconds."""
    raw = os.environ.get("MLCOURSE_CHECK_TIMEOUT", "")
    try:
        value = float(raw) if raw else DEFAULT_TIME_LIMIT
    except ValueError:
        value = DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT


class _Deadline:
    """Raise :class:`CheckTimedOut` in this thread after ``seconds``, unless finished first.

    In the main thread on Unix (a notebook's kernel, the grader) a real-time timer signal
    raises it between two bytecodes, the way Ctrl+C interrupts Python. Elsewhere a watchdog
    thread injects it at the next bytecode boundary. A long call inside NumPy is interrupted
    when it returns.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._done = False
        self._thread_id = threading.get_ident()
        self._use_signal = (hasattr(signal, "setitimer")
                            and threading.current_thread() is threading.main_thread())
        self._timer = None if self._use_signal else threading.Timer(seconds, self._fire)

    def _on_signal(self, signum, frame):
        self.fired = True
        raise CheckTimedOut

    def _fire(self) -> None:
        with self._lock:
            if not self._done:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._thread_id), ctypes.py_object(CheckTimedOut))

    def __enter__(self):
        if self._use_signal:
            self._previous = signal.signal(signal.SIGALRM, self._on_signal)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        else:
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc_info):
        if self._use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            return False
        with self._lock:
            self._done = True
            self._timer.cancel()
            if self.fired:  # the exception may still be pending: clear it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id), None)
        return False


def _library_folders() -> tuple[str, ...]:
    """Folders whose code is not the learner's: the standard library, installed packages and
    this package."""
    import mlcourse

    folders = {str(Path(mlcourse.__file__).resolve().parent)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            folders.add(str(Path(path).resolve()))
    return tuple(folder + os.sep for folder in folders)


def _learner_frames(error: BaseException, checker: Callable | None = None
                    ) -> list[traceback.FrameSummary]:
    """The frames of the traceback that run the learner's own code (a notebook cell, a file
    of theirs), innermost last: neither library code nor the checker itself."""
    library = _library_folders()
    code = getattr(checker, "__code__", None)
    frames = traceback.extract_tb(error.__traceback__)
    return [f for f in frames
            if not str(Path(f.filename).resolve() if os.path.isabs(f.filename) else f.filename)
            .startswith(library)
            and not (code and f.filename == code.co_filename and f.name == code.co_name)]


def _is_placeholder(error: NotImplementedError) -> bool:
    """A bare ``raise NotImplementedError`` in the learner's code: the unanswered placeholder,
    not an error raised by working code."""
    if error.args:
        return False
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and frames[-1] in _learner_frames(error)


def _run_checker(ex: Exercise, answer) -> tuple[str, str]:
    if answer is Ellipsis:
        return NOT_ATTEMPTED, "Replace the placeholder with your answer, then run this cell again."
    seconds = ex.time_limit or time_limit()
    running = _RUNNING.set(ex.id)
    try:
        with _Deadline(seconds):
            message = ex.checker(answer)
    except CheckTimedOut:
        return FAILED, (f"The check stopped after {seconds:.0f} s: your code did not finish. "
                        "Look for a loop that never ends, or for a loop over many rows where "
                        "an array expression would do.")
    except ExerciseFailed as failure:
        return FAILED, str(failure)
    except NotImplementedError as error:
        if _is_placeholder(error):
            return NOT_ATTEMPTED, "Write your code where it says YOUR CODE HERE, then run again."
        return FAILED, _describe(error, ex.checker)
    except SystemExit as error:
        return FAILED, (f"Your code called exit() (SystemExit: {error.code}). Return a value "
                        "instead: a check cannot grade a program that stops.")
    except KeyboardInterrupt:
        return FAILED, "The check was interrupted before it finished. Run the cell again."
    except Exception as error:  # never crash the notebook: report what happened
        return FAILED, _describe(error, ex.checker)
    finally:
        _RUNNING.reset(running)
    return PASSED, message or "Well done."


def _describe(error: BaseException, checker: Callable) -> str:
    """Say whether the learner's code raised, or returned something the check cannot use."""
    mine = _learner_frames(error, checker)
    what = f"{type(error).__name__}: {error}".rstrip(": ")
    if mine:
        where = mine[-1]
        line = f" (line {where.lineno}: `{where.line}`)" if where.line else ""
        return f"Running your answer raised {what}{line}."
    return (f"Your answer ran, but the check could not use what it gave back ({what}). Check "
            "that it returns the type and shape the exercise asks for.")


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
    _ANSWERS[ex.id] = answer
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


def _regrade(nonce: str) -> None:
    """Run every check of this session again and print the results as one JSON line.

    ``mlcourse grade`` calls this in the learner's kernel after the last cell, with a nonce
    made after the notebook ran, and counts only what it prints: a result that a cell merely
    displayed proves nothing.
    """
    import json

    results = {}
    for exercise_id, answer in _ANSWERS.items():
        ex = get_exercise(exercise_id)
        status, message = _run_checker(ex, answer)
        results[exercise_id] = {"status": status, "message": message, "title": ex.title}
    print(json.dumps({"nonce": nonce, "results": results}))
