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
    "check",
    "exercise",
    "exercises_for",
    "expect",
    "expect_close",
    "get_exercise",
    "progress",
    "results",
    "rng_for",
]
