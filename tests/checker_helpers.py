"""Holding a checker to an answer, for the tests of the checkers: ``passes`` for a right
answer, ``fails`` for a wrong one and the hint it should get."""

from __future__ import annotations

from mlcourse.exercises import FAILED, PASSED, get_exercise
from mlcourse.exercises._core import _run_checker


def run(exercise_id, answer):
    """The ``(status, message)`` that ``check(exercise_id, answer)`` would show."""
    return _run_checker(get_exercise(exercise_id), answer)


def passes(exercise_id, answer):
    status, message = run(exercise_id, answer)
    assert status == PASSED, message


def fails(exercise_id, answer, *fragments):
    """Assert the check fails ``answer`` with a hint containing every fragment; return it."""
    status, message = run(exercise_id, answer)
    assert status == FAILED, f"{exercise_id} accepted a wrong answer: {message}"
    for fragment in fragments:
        assert fragment in message, message
    return message


def fails_any_case(exercise_id, answer, *words):
    """Like :func:`fails`, with each word looked for in the hint whatever its case."""
    status, message = run(exercise_id, answer)
    assert status == FAILED, f"{exercise_id} accepted a wrong answer: {message}"
    for word in words:
        assert word.lower() in message.lower(), f"hint lacks {word!r}: {message}"
    return message
