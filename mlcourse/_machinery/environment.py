"""What the course needs from the machine, and where the course is: one home for each.

``mlcourse.setup()`` and ``mlcourse doctor`` check the machine with the same functions, the
grader asks :func:`kernel_runs_this_python` which kernel to start, and everything that needs a
file of the course repository (``constraints.txt``, ``datasets/``) starts from
:func:`course_root`.
"""

from __future__ import annotations

import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "mlcourse"
MIN_PYTHON = (3, 11)
KERNEL_NAME = "mlcourse"
KERNEL_DISPLAY_NAME = "Python (mlcourse)"
FIX_SETUP = "run `make setup` in the course folder, then restart the kernel"


# --- Where the course is ---------------------------------------------------------------------


def course_root() -> Path:
    """The repository the package was installed from: it holds constraints.txt and datasets/.

    ``make setup`` installs the package in editable mode, so this is the folder the learner
    cloned, wherever the command runs from.
    """
    return Path(__file__).resolve().parents[2]


def find_course_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` upwards, that holds both solutions/ and notebooks/.

    The command line works on the course folder it is run in (``start`` defaults to the
    working directory), so a second copy of the course is graded and reset in place.

    Raises
    ------
    FileNotFoundError
        When no folder at or above ``start`` is a course folder.
    """
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "solutions").is_dir() and (folder / "notebooks").is_dir():
            return folder
    raise FileNotFoundError(
        f"No course folder found at or above {start}: run this inside the course repository "
        "(the folder with notebooks/ and solutions/)."
    )


# --- The packages ----------------------------------------------------------------------------


def required_distributions() -> tuple[str, ...]:
    """The distributions the installed ``mlcourse`` depends on, on this platform.

    Read from the installed package's metadata, which pip wrote from pyproject.toml's
    ``[project.dependencies]``: the list is typed once, there. Optional extras (``dev``,
    ``site``) and dependencies whose environment marker excludes this machine are left out.
    Empty when ``mlcourse`` itself is not installed (:func:`package_problems` says so).
    """
    from packaging.requirements import Requirement

    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return ()
    names = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(requirement.name)
    return tuple(names)


REQUIRED: tuple[str, ...] = required_distributions()


def pinned_versions() -> dict[str, str]:
    """``{normalised name: version}`` from constraints.txt, or ``{}`` when it is not there."""
    path = course_root() / "constraints.txt"
    if not path.is_file():
        return {}
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def normalise(name: str) -> str:
    """A distribution name as pip compares it (PEP 503): lower case, runs of ``-_.`` as ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def package_problems() -> list[tuple[str, str, str]]:
    """``(package, problem, fix)`` for each required package missing or not at its pin."""
    if not REQUIRED:
        return [(DISTRIBUTION, "not installed, so its dependencies are unknown", FIX_SETUP)]
    pins = pinned_versions()
    problems = []
    for dist in REQUIRED:
        try:
            installed = metadata.version(dist)
        except metadata.PackageNotFoundError:
            problems.append((dist, "not installed", FIX_SETUP))
            continue
        wanted = pins.get(normalise(dist))
        if wanted and installed != wanted:
            problems.append(
                (dist, f"version {installed}, the course is tested with {wanted}", FIX_SETUP)
            )
    return problems


def python_problem() -> str | None:
    """Why this Python is too old for the course, or None when it is recent enough."""
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        wanted = ".".join(map(str, MIN_PYTHON))
        return f"Python {found} is too old: the course needs Python {wanted} or newer."
    return None


# --- The Jupyter kernel ----------------------------------------------------------------------


def kernelspec() -> dict[str, str]:
    """The ``kernelspec`` metadata every course notebook carries."""
    return {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}


def kernel_python() -> Path:
    """The Python interpreter that the course's Jupyter kernel runs.

    Raises
    ------
    LookupError
        When Jupyter's kernels cannot be listed, no kernel named :data:`KERNEL_NAME` is
        registered, or its specification cannot be read; the message says which.
    """
    try:
        from jupyter_client.kernelspec import NoSuchKernel, get_kernel_spec
    except ImportError as error:
        raise LookupError(f"cannot list Jupyter kernels ({error})") from error
    try:
        argv0 = get_kernel_spec(KERNEL_NAME).argv[0]
    except NoSuchKernel:
        raise LookupError(f"no kernel named {KERNEL_NAME!r}") from None
    except Exception as error:  # a kernel.json that is not JSON, has no argv, ...
        raise LookupError(f"kernel {KERNEL_NAME!r} is broken ({error})") from error
    return Path(shutil.which(argv0) or argv0)


def kernel_runs_this_python() -> bool:
    """Whether the course's kernel is registered and runs the Python running this code."""
    try:
        return kernel_python().resolve() == Path(sys.executable).resolve()
    except LookupError:
        return False
