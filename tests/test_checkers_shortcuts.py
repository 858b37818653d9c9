"""A refused shortcut leaves no trace: after a check has blocked a library call while the
learner's function ran, the library works again as usual. (Each notebook's own refusals are
tested in its tests/test_checkers_nbNN.py.)"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

from mlcourse.exercises import get_exercise
from mlcourse.exercises._core import _run_checker


@pytest.mark.parametrize("exercise_id", ["06.1", "07.1", "08.1", "11.4", "11.7"])
def test_the_guards_leave_no_trace(exercise_id):
    _run_checker(get_exercise(exercise_id), lambda *args: scipy.special.expit(np.zeros(2)))
    assert isinstance(scipy.special.expit, np.ufunc)
    assert np.allclose(scipy.special.expit(np.zeros(2)), 0.5)
