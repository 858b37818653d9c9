"""``mlcourse.setup()``: the first cell of every notebook."""

from __future__ import annotations

import random
import sys

import numpy as np

from mlcourse import __version__
from mlcourse._machinery.environment import KERNEL_DISPLAY_NAME, package_problems, python_problem


def setup(seed: int = 0, *, quiet: bool = False) -> None:
    """Seed the random generators, apply the plot style, check the environment.

    Parameters
    ----------
    seed : int
        Seed for NumPy's global generator and Python's ``random``, so every run of a
        notebook gives the same numbers. (Code in the package takes a ``random_state``.)
    quiet : bool
        Print nothing when everything is fine.
    """
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=4, suppress=True, linewidth=100)

    problems = []
    if (message := python_problem()) is not None:
        problems.append(message)
    for package, problem, fix in package_problems():
        problems.append(f"{package}: {problem} — {fix}.")

    try:
        import pandas as pd

        pd.set_option("display.max_columns", 30)
        pd.set_option("display.width", 120)
        from mlcourse import plotting

        plotting.use_style()
    except ImportError as error:
        problems.append(f"cannot import {error.name} — {_wrong_kernel_hint()}")

    if problems:
        print("mlcourse: this environment is not the one the course was tested with:")
        for problem in problems:
            print(f"  - {problem}")
        print(f"  Still stuck? Run `mlcourse doctor` in a terminal. {_wrong_kernel_hint()}")
    elif not quiet:
        py = ".".join(map(str, sys.version_info[:3]))
        print(f"mlcourse {__version__} ready: Python {py}, NumPy {np.__version__}, seed {seed}.")


def _wrong_kernel_hint() -> str:
    return (
        f"If you opened this notebook outside `make lab`, choose the kernel "
        f"'{KERNEL_DISPLAY_NAME}' (Kernel → Change Kernel)."
    )
