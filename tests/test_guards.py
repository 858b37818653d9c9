"""The guards checkers use to enforce a method, and how a check reports what an answer did."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
import scipy.special
from sklearn.metrics import accuracy_score

import mlcourse.tree
from mlcourse.exercises import (
    FAILED,
    NOT_ATTEMPTED,
    PASSED,
    ExerciseFailed,
    call_unmutated,
    expect_memory,
    expect_vectorised,
    forbidden_calls,
    peak_memory,
)
from mlcourse.exercises._core import Exercise, _run_checker

# ----------------------------------------------------------------------------- forbidden_calls


def test_a_package_is_forbidden_under_any_imported_name():
    with pytest.raises(ExerciseFailed, match=r"sklearn.*not to use.*yourself"):
        with forbidden_calls("sklearn", why="Write it yourself."):
            accuracy_score([0, 1], [0, 1])


def test_a_forbidden_python_function_by_object_and_by_dotted_name():
    counts = np.array([[3.0, 1.0]])
    with pytest.raises(ExerciseFailed, match="gini"):
        with forbidden_calls(mlcourse.tree.gini):
            mlcourse.tree.gini(counts)
    with pytest.raises(ExerciseFailed, match="numpy.linalg.lstsq"):
        with forbidden_calls("numpy.linalg.lstsq"):
            np.linalg.lstsq(np.eye(2), np.ones(2), rcond=None)


def test_a_forbidden_ufunc_is_caught_in_its_module():
    with pytest.raises(ExerciseFailed, match="expit"):
        with forbidden_calls("scipy.special.expit"):
            scipy.special.expit(np.zeros(3))


def test_allowed_code_passes_and_the_profiler_is_restored():
    import sys

    before = sys.getprofile()
    with forbidden_calls("sklearn", "scipy.special.expit"):
        result = 1 / (1 + np.exp(-np.zeros(3)))
    assert np.allclose(result, 0.5)
    assert sys.getprofile() is before
    assert scipy.special.expit.__class__ is np.ufunc  # the wrapper is gone


def test_a_forbidden_call_is_reported_even_when_the_code_then_raises():
    with pytest.raises(ExerciseFailed, match="sklearn"):
        with forbidden_calls("sklearn"):
            accuracy_score([0, 1], [0, 1])
            raise ValueError("later")


def test_an_unknown_target_is_an_authoring_error():
    with pytest.raises(ValueError, match="cannot find"):
        forbidden_calls("numpy.no_such_function")


# ----------------------------------------------------------------------------- call_unmutated


def test_an_in_place_edit_of_an_array_or_frame_is_caught_and_named():
    def scale_in_place(X):
        X -= X.mean(axis=0)
        return X

    with pytest.raises(ExerciseFailed, match="`X` in place"):
        call_unmutated(scale_in_place, np.arange(6.0).reshape(3, 2))

    def fill(df):
        df.fillna(0, inplace=True)
        return df

    with pytest.raises(ExerciseFailed, match="`df` in place"):
        call_unmutated(fill, pd.DataFrame({"a": [1.0, np.nan]}))


def test_a_copy_passes_and_returns_the_result():
    def centre(X):
        return X - X.mean(axis=0)

    X = np.arange(6.0).reshape(3, 2)
    assert np.allclose(call_unmutated(centre, X).mean(axis=0), 0)
    frame = pd.DataFrame({"a": [1.0, np.nan]})
    assert call_unmutated(lambda df: df.fillna(0), frame)["a"].tolist() == [1.0, 0.0]


# ----------------------------------------------------------------------------- time and memory


def test_a_loop_over_rows_is_slower_than_the_budget():
    X = np.random.default_rng(0).normal(size=(20_000, 3))

    def row_norms_loop(X):
        return np.array([np.sqrt(sum(v * v for v in row)) for row in X])

    with pytest.raises(ExerciseFailed, match="times as long"):
        expect_vectorised(lambda: row_norms_loop(X), lambda: np.sqrt((X**2).sum(axis=1)))
    expect_vectorised(lambda: np.linalg.norm(X, axis=1), lambda: np.sqrt((X**2).sum(axis=1)))


def test_memory_of_a_broadcast_against_a_matrix_product():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(300, 50)), rng.normal(size=(200, 50))
    broadcast = peak_memory(lambda: ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1))
    product = peak_memory(lambda: (A**2).sum(1)[:, None] - 2 * A @ B.T + (B**2).sum(1))
    assert broadcast > 300 * 200 * 50 * 8 * 0.9
    assert product < broadcast / 10
    with pytest.raises(ExerciseFailed, match="MiB"):
        expect_memory(lambda: ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1), 10 * product)


# ----------------------------------------------------------------------------- how a check reports


def _exercise(checker, time_limit=None):
    return Exercise("99.1", "test", checker, time_limit)


def call_it(answer):
    answer()
    return "ok"


def test_a_looping_answer_is_stopped_by_the_time_limit():
    def loops_forever():
        while True:
            pass

    start = time.perf_counter()
    status, message = _run_checker(_exercise(call_it, time_limit=0.5), loops_forever)
    assert status == FAILED and "did not finish" in message
    assert time.perf_counter() - start < 5


def test_an_answer_that_swallows_exceptions_is_still_stopped():
    def stubborn():
        while True:
            try:
                time.sleep(0.01)
            except Exception:
                pass

    status, message = _run_checker(_exercise(call_it, time_limit=0.3), stubborn)
    assert status == FAILED and "did not finish" in message


def test_a_check_that_finishes_in_time_is_not_interrupted_afterwards():
    status, _ = _run_checker(_exercise(call_it, time_limit=0.2), lambda: None)
    assert status == PASSED
    time.sleep(0.4)  # a late timer must not raise here


@pytest.mark.parametrize("error", [SystemExit(3), KeyboardInterrupt()])
def test_exit_and_interrupt_from_an_answer_are_reported(error):
    def raises():
        raise error

    status, message = _run_checker(_exercise(call_it), raises)
    assert status == FAILED and message


def test_only_the_bare_placeholder_counts_as_not_attempted():
    def placeholder():
        raise NotImplementedError  # YOUR CODE HERE

    def working_code_that_raises():
        raise NotImplementedError("this case is not handled")

    assert _run_checker(_exercise(call_it), placeholder)[0] == NOT_ATTEMPTED
    status, message = _run_checker(_exercise(call_it), working_code_that_raises)
    assert status == FAILED and "not handled" in message


def test_the_learners_error_and_the_checkers_error_are_told_apart():
    def uses_shape(answer):
        return answer().shape  # the checker's own code, on what the answer returned

    def bad_index():
        return [1, 2][5]

    status, message = _run_checker(_exercise(uses_shape), bad_index)
    assert status == FAILED and "raised IndexError" in message and "line" in message
    status, message = _run_checker(_exercise(uses_shape), lambda: None)
    assert status == FAILED and "could not use what it gave back" in message
