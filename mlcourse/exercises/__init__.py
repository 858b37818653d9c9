"""Exercises: ``check("NN.k", answer)`` in a notebook, ``progress("NN")`` at its end.

The checkers of notebook NN live in ``mlcourse/exercises/nbNN.py``.
"""

from mlcourse.exercises._core import (
    FAILED,
    MIME_TYPE,
    NOT_ATTEMPTED,
    NOT_RUN,
    PASSED,
    Exercise,
    ExerciseFailed,
    as_array,
    check,
    exercise,
    exercises_for,
    expect,
    expect_close,
    get_exercise,
    progress,
    results,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import (
    call_unmutated,
    expect_memory,
    expect_vectorised,
    forbidden_calls,
    peak_memory,
)

__all__ = [
    "FAILED",
    "MIME_TYPE",
    "NOT_ATTEMPTED",
    "NOT_RUN",
    "PASSED",
    "Exercise",
    "ExerciseFailed",
    "as_array",
    "call_unmutated",
    "check",
    "exercise",
    "exercises_for",
    "forbidden_calls",
    "expect",
    "expect_close",
    "expect_memory",
    "expect_vectorised",
    "get_exercise",
    "peak_memory",
    "progress",
    "results",
    "rng_for",
    "unpack",
]
