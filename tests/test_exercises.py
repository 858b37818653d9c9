"""check(), the registry and the notebook-00 checkers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlcourse.exercises import (
    FAILED,
    MIME_TYPE,
    NOT_ATTEMPTED,
    PASSED,
    ExerciseFailed,
    check,
    exercises_for,
    expect_close,
    get_exercise,
    progress,
    results,
)
from mlcourse.exercises._core import _run_checker


def status_of(exercise_id, answer):
    return _run_checker(get_exercise(exercise_id), answer)


def test_placeholder_value_is_not_attempted():
    assert status_of("00.3", ...)[0] == NOT_ATTEMPTED


def test_function_raising_not_implemented_is_not_attempted():
    def placeholder(y_true, y_pred):
        raise NotImplementedError

    assert status_of("00.3", placeholder)[0] == NOT_ATTEMPTED


def test_right_answer_passes():
    def mae(y_true, y_pred):
        return np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred)))

    assert status_of("00.3", mae)[0] == PASSED


def test_wrong_answer_fails_with_a_hint():
    def squared(y_true, y_pred):
        return np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2)

    status, message = status_of("00.3", squared)
    assert status == FAILED
    assert "Hint" in message


def test_an_answer_that_crashes_is_reported_not_raised():
    def broken(y_true, y_pred):
        return y_true.nonexistent

    status, message = status_of("00.3", broken)
    assert status == FAILED
    assert "AttributeError" in message


def test_answer_that_only_works_on_arrays_fails_on_lists():
    def arrays_only(y_true, y_pred):
        return (abs(y_true - y_pred)).mean()

    status, message = status_of("00.3", arrays_only)
    assert status == FAILED


def test_rentals_per_day_checks_the_values():
    assert status_of("00.2", lambda r: r.groupby("dteday")["cnt"].sum())[0] == PASSED
    assert status_of("00.2", lambda r: r.groupby("dteday")["cnt"].mean())[0] == FAILED
    assert status_of("00.2", lambda r: r["cnt"].sum())[0] == FAILED


def test_check_records_results_and_emits_the_grading_mime_type(capsys):
    check("00.3", ...)
    assert results()["00.3"] == NOT_ATTEMPTED
    out = capsys.readouterr().out  # outside a kernel check() prints its text
    assert "Exercise 00.3" in out and NOT_ATTEMPTED in out
    assert MIME_TYPE.startswith("application/vnd.mlcourse")


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="00.1"):
        check("00.99", ...)
    with pytest.raises(ValueError, match="look like"):
        check("welcome-1", ...)


def test_progress_lists_every_exercise(capsys):
    progress("00")
    out = capsys.readouterr().out
    for ex in exercises_for("00"):
        assert ex.id in out
    assert "/4 passed" in out


def test_expect_close_reports_shape_and_values():
    with pytest.raises(ExerciseFailed, match="shape"):
        expect_close(np.zeros(3), np.zeros(4), "x")
    with pytest.raises(ExerciseFailed, match="not right"):
        expect_close([1.0, 2.0], [1.0, 2.5], "x")
    expect_close(pd.Series([1.0, 2.0]), [1.0, 2.0], "x")


def test_unpack_names_the_parts_and_accepts_a_list():
    from mlcourse.exercises import ExerciseFailed, unpack

    assert unpack([1, 2], ("w", "b")) == (1, 2)
    with pytest.raises(ExerciseFailed, match=r"a pair, the tuple \(w, b\); got ndarray"):
        unpack(np.zeros(2), ("w", "b"))
    with pytest.raises(ExerciseFailed, match="tuple of three .* got 2 values"):
        unpack((1, 2), ("J", "grad_w", "grad_b"))


def test_rng_for_follows_the_running_check_and_refuses_outside_one():
    from mlcourse.exercises import _core

    with pytest.raises(RuntimeError, match="while a check runs"):
        _core.rng_for()
    seen = {}

    @_core.exercise("99.1", "draws twice")
    def draw(answer):
        seen[answer] = (_core.rng_for().random(), _core.rng_for(1).random())

    try:
        _core._run_checker(_core._REGISTRY["99.1"], "first")
        _core._run_checker(_core._REGISTRY["99.1"], "second")
    finally:
        del _core._REGISTRY["99.1"]
    assert seen["first"] == seen["second"]          # the same inputs on every run
    assert seen["first"][0] != seen["first"][1]      # salt gives another stream
    with pytest.raises(RuntimeError):
        _core.rng_for()                              # and the id is forgotten afterwards
