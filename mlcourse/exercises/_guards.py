"""Guards that let a checker enforce how an exercise is solved, not only what it returns.

A check that compares results cannot tell "I wrote the metric" from "I called scikit-learn's".
These helpers watch the learner's function while it runs:

- :func:`forbidden_calls` records every call of a forbidden function or package;
- :func:`call_unmutated` fails when the function changed one of its arguments;
- :func:`expect_vectorised` compares its time with a vectorised reference on a large input;
- :func:`peak_memory` and :func:`expect_memory` measure what it allocates (tracemalloc sees
  NumPy's arrays), which tells a broadcast of shape (n, m, d) from a loop or a matrix product.

Each one fails with :class:`~mlcourse.exercises.ExerciseFailed` and a message that says what
was seen, so the learner knows what to change.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import os
import sys
import time
import tracemalloc
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mlcourse.exercises._core import ExerciseFailed

__all__ = [
    "call_unmutated",
    "expect_memory",
    "expect_vectorised",
    "forbidden_calls",
    "peak_memory",
]


# --------------------------------------------------------------------------- forbidden calls
def _resolve(target) -> object:
    """The module or callable a target names: ``"sklearn"``, ``"numpy.linalg.lstsq"``, or itself."""
    if not isinstance(target, str):
        return target
    try:
        return importlib.import_module(target)
    except ImportError:
        pass
    module_name, _, attribute = target.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise ValueError(f"forbidden_calls: cannot find {target!r}.") from error


def _code_objects(function) -> set[types.CodeType]:
    """Every code object that runs when ``function`` is called: through decorators, NumPy's
    dispatchers, bound methods and a class's ``__init__``/``__new__``/``__call__``."""
    found, pending, seen = set(), [function], set()
    while pending:
        obj = pending.pop()
        if id(obj) in seen or obj is None:
            continue
        seen.add(id(obj))
        code = getattr(obj, "__code__", None)
        if isinstance(code, types.CodeType):
            found.add(code)
        for name in ("__wrapped__", "_implementation", "__func__"):
            pending.append(getattr(obj, name, None))
        if isinstance(obj, type):
            for name in ("__init__", "__new__", "__call__", "fit"):
                pending.append(obj.__dict__.get(name))
    return found


def _display_name(obj) -> str:
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}.{name}" if module else name


class forbidden_calls:  # noqa: N801 (a context manager, used like a function)
    """Record calls of forbidden functions while the ``with`` block runs; fail at its end.

    Parameters
    ----------
    *targets : str or callable
        A package or module name (``"sklearn"``, ``"scipy.spatial"``: every function defined
        in it), a dotted name (``"scipy.special.expit"``) or the callable itself.
    why : str
        Said to the learner after the name of the forbidden call.

    Notes
    -----
    Python functions are seen through the interpreter's profiling hook, whatever name the
    learner imported them under. Callables without Python code (NumPy ufuncs, builtins) are
    replaced for the duration of the block by a recording wrapper, in their module and in the
    namespace of the notebook (``__main__``), which is where a learner's imports live.
    """

    def __init__(self, *targets, why: str = ""):
        self.why = why
        self._codes: dict[types.CodeType, str] = {}
        self._folders: dict[str, str] = {}
        self._natives: dict[int, tuple[object, str]] = {}
        self._homes: list[types.ModuleType] = []
        for target in targets:
            obj = _resolve(target)
            if isinstance(obj, types.ModuleType):
                folder = Path(obj.__file__).parent if obj.__file__ else None
                if folder is not None and Path(obj.__file__).name == "__init__.py":
                    self._folders[str(folder) + os.sep] = obj.__name__
                elif obj.__file__:
                    self._folders[obj.__file__] = obj.__name__
                continue
            codes = _code_objects(obj)
            label = target if isinstance(target, str) else _display_name(obj)
            for code in codes:
                self._codes[code] = label
            if not codes:
                self._natives[id(obj)] = (obj, label)
                if isinstance(target, str):  # the module it was named from holds it too
                    self._homes.append(importlib.import_module(target.rpartition(".")[0]))
        self.seen: list[str] = []
        self._patched: list[tuple[dict, str, object]] = []

    # The profiling hook: called on every Python call and every call of a builtin.
    def _profile(self, frame, event, arg):
        if event == "call":
            code = frame.f_code
            label = self._codes.get(code)
            if label is None and self._folders:
                filename = code.co_filename
                for folder, package in self._folders.items():
                    if filename.startswith(folder):
                        label = f"{package} ({code.co_name})"
                        break
            if label is not None:
                self.seen.append(label)
        elif event == "c_call" and id(arg) in self._natives:
            self.seen.append(self._natives[id(arg)][1])

    def _wrap_natives(self) -> None:
        if not self._natives:
            return
        namespaces = [sys.modules["__main__"].__dict__] + [m.__dict__ for m in self._homes]
        for obj, _ in self._natives.values():
            module = sys.modules.get(getattr(obj, "__module__", None) or "")
            if module is not None:
                namespaces.append(module.__dict__)
        done = set()
        for namespace in namespaces:
            if id(namespace) in done:
                continue
            done.add(id(namespace))
            for name, value in list(namespace.items()):
                entry = self._natives.get(id(value))
                if entry is not None and entry[0] is value:
                    namespace[name] = self._recorder(value, entry[1])
                    self._patched.append((namespace, name, value))

    def _recorder(self, function, label):
        def recording(*args, **kwargs):
            self.seen.append(label)
            return function(*args, **kwargs)

        return recording

    def __enter__(self):
        self.seen.clear()
        self._previous = sys.getprofile()
        self._wrap_natives()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, exc_type, exc, tb):
        sys.setprofile(self._previous)
        for namespace, name, value in reversed(self._patched):
            namespace[name] = value
        self._patched.clear()
        if self.seen:
            message = f"Your answer called {self.seen[0]}, which this exercise asks you not to use."
            raise ExerciseFailed(f"{message} {self.why}".strip()) from None
        return False


# --------------------------------------------------------------------------- mutation
def _same(before, after) -> bool:
    """Whether a value still equals its earlier deep copy (arrays and frames included)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency of the course
        pd = None
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and before.shape == after.shape
                and before.dtype == after.dtype
                and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")))
    if pd is not None and isinstance(before, pd.DataFrame | pd.Series | pd.Index):
        return type(after) is type(before) and before.equals(after) and (
            not isinstance(before, pd.DataFrame) or list(before.columns) == list(after.columns))
    if isinstance(before, list | tuple):
        return (type(after) is type(before) and len(before) == len(after)
                and all(_same(b, a) for b, a in zip(before, after, strict=True)))
    if isinstance(before, dict):
        return (isinstance(after, dict) and before.keys() == after.keys()
                and all(_same(before[k], after[k]) for k in before))
    try:
        return bool(before == after)
    except Exception:  # incomparable objects: nothing can be said, so nothing is claimed
        return True


def call_unmutated(function: Callable, *args, what: str = "your function", **kwargs):
    """Call ``function(*args, **kwargs)`` and fail if it changed any of its arguments.

    Returns what the function returned. The arguments are the caller's own objects, so an
    answer that edits them in place is caught however it does it.
    """
    before_args = [copy.deepcopy(a) for a in args]
    before_kwargs = {k: copy.deepcopy(v) for k, v in kwargs.items()}
    result = function(*args, **kwargs)
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    for position, (before, after) in enumerate(zip(before_args, args, strict=True)):
        if not _same(before, after):
            name = names[position] if position < len(names) else f"argument {position + 1}"
            raise ExerciseFailed(
                f"{what} changed its input `{name}` in place. Work on a copy "
                "(`X = X.copy()`, `df = df.copy()`) or build a new result, so the caller's "
                "data stay as they were.")
    for name, before in before_kwargs.items():
        if not _same(before, kwargs[name]):
            raise ExerciseFailed(f"{what} changed its input `{name}` in place. Work on a copy.")
    return result


# --------------------------------------------------------------------------- time and memory
def _best_time(call: Callable, repeats: int, give_up_after: float = float("inf")) -> float:
    """The least CPU time (seconds, all threads of this process) of ``repeats`` calls.

    CPU time, not wall time: on a busy machine a process waits for a core, and waiting would
    count against whichever call happened to be waiting. CPU time grows only while it runs.
    """
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
        if best > give_up_after:
            break
    return best


def expect_vectorised(answer_call: Callable, reference_call: Callable, *, factor: float = 20,
                      what: str = "your function", hint: str = "") -> None:
    """Fail when ``answer_call()`` takes over ``factor`` times ``reference_call()`` + 20 ms.

    Both are zero-argument callables on the same large input, timed in CPU time in the same
    check, so a slow laptop slows both alike. Each side counts its best run. An answer over
    the budget is timed again, up to three rounds, beside the reference: a busy moment can slow
    one round of a right answer, but a loop over rows is over the budget every time. Choose the
    input so a Python loop over its rows is hundreds of times slower than the reference.
    """
    reference = _best_time(reference_call, 3)
    answer = float("inf")
    for _ in range(3):
        answer = min(answer, _best_time(answer_call, 3, give_up_after=factor * reference + 0.02))
        # Time the reference again before judging: if the machine was busy during its first
        # runs, the budget was too generous and a loop could slip through.
        reference = min(reference, _best_time(reference_call, 3))
        if answer <= factor * reference + 0.02:
            return
    raise ExerciseFailed(
        f"{what} took {answer:.3g} s where the vectorised reference takes {reference:.3g} s "
        f"({answer / max(reference, 1e-9):.0f} times as long). {hint}".strip())


def peak_memory(call: Callable) -> int:
    """The peak of memory, in bytes, that ``call()`` allocates (NumPy arrays included)."""
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        call()
        return max(0, tracemalloc.get_traced_memory()[1] - baseline)
    finally:
        if not already:
            tracemalloc.stop()


def expect_memory(call: Callable, limit_bytes: float, *, what: str = "your function",
                  hint: str = "") -> None:
    """Fail when ``call()`` allocates more than ``limit_bytes`` at its peak."""
    used = peak_memory(call)
    if used > limit_bytes:
        raise ExerciseFailed(
            f"{what} needed {used / 2**20:.1f} MiB at its peak, where {limit_bytes / 2**20:.1f} "
            f"MiB is plenty for this input. {hint}".strip())
