"""mlcourse.setup(): seeds, style, and the environment check."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

import mlcourse
from mlcourse._machinery import setup as _setup
from mlcourse._machinery.environment import package_problems, pinned_versions


def test_setup_seeds_and_styles(capsys):
    mlcourse.setup(seed=3)
    first = np.random.rand(3)
    mlcourse.setup(seed=3)
    assert np.array_equal(first, np.random.rand(3))
    assert mpl.rcParams["axes.spines.top"] is False
    assert "ready" in capsys.readouterr().out


def test_the_environment_matches_the_pins():
    pins = pinned_versions()
    assert "numpy" in pins and "scikit-learn" in pins
    assert package_problems() == []


def test_setup_explains_a_wrong_environment(monkeypatch, capsys):
    monkeypatch.setattr(_setup, "package_problems",
                        lambda: [("pandas", "not installed", "run `make setup`")])
    mlcourse.setup()
    out = capsys.readouterr().out
    assert "pandas: not installed" in out and "make setup" in out
    assert "Python (mlcourse)" in out and "mlcourse doctor" in out
