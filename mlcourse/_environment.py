"""What the course needs from the machine, checked the same way by ``setup()`` and ``doctor``."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

# The packages the notebooks import (distribution name -> import name).
REQUIRED = {
    "numpy": "numpy",
    "pandas": "pandas",
    "matplotlib": "matplotlib",
    "scikit-learn": "sklearn",
    "scipy": "scipy",
    "jupyterlab": "jupyterlab",
    "ipykernel": "ipykernel",
    "nbclient": "nbclient",
    "nbformat": "nbformat",
    "tqdm": "tqdm",
    "ipywidgets": "ipywidgets",
    "threadpoolctl": "threadpoolctl",
    "requests": "requests",
    "beautifulsoup4": "bs4",
    "pyarrow": "pyarrow",
    "mlflow-skinny": "mlflow",
    "sqlalchemy": "sqlalchemy",
    "alembic": "alembic",
    "skops": "skops",
    "pyspark": "pyspark",
    "fairlearn": "fairlearn",
    "jsonschema": "jsonschema",
    "hypothesis": "hypothesis",
    "pandera": "pandera",
    "nbstripout": "nbstripout",
    "nbdime": "nbdime",
}
MIN_PYTHON = (3, 11)
KERNEL_NAME = "mlcourse"
FIX_SETUP = "run `make setup` in the course folder, then restart the kernel"


def course_root() -> Path:
    """The repository the package was installed from (it holds constraints.txt)."""
    return Path(__file__).resolve().parents[1]


def pinned_versions() -> dict[str, str]:
    """``{normalised name: version}`` from constraints.txt, or ``{}`` when it is not there."""
    path = course_root() / "constraints.txt"
    if not path.is_file():
        return {}
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[_normalise(match.group(1))] = match.group(2)
    return pins


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def package_problems() -> list[tuple[str, str, str]]:
    """``(package, problem, fix)`` for each required package missing or not at its pin."""
    pins = pinned_versions()
    problems = []
    for dist in REQUIRED:
        try:
            installed = metadata.version(dist)
        except metadata.PackageNotFoundError:
            problems.append((dist, "not installed", FIX_SETUP))
            continue
        wanted = pins.get(_normalise(dist))
        if wanted and installed != wanted:
            problems.append(
                (dist, f"version {installed}, the course is tested with {wanted}", FIX_SETUP)
            )
    return problems


def python_problem() -> str | None:
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        return f"Python {found} is too old: the course needs Python 3.11 or newer."
    return None
