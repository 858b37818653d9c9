"""``mlcourse doctor``: is this machine ready for the course? A table, with a fix per failure."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata

from mlcourse._machinery.environment import (
    KERNEL_DISPLAY_NAME,
    KERNEL_NAME,
    MIN_PYTHON,
    REQUIRED,
    course_root,
    kernel_python,
    kernel_runs_this_python,
    package_problems,
    pinned_versions,
    python_problem,
)

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"


@dataclass
class Check:
    """One line of the doctor's table: what was checked, PASS/FAIL/WARN, what was seen, the fix."""

    name: str
    status: str
    detail: str
    fix: str = ""


def check_python() -> Check:
    """This Python is recent enough."""
    problem = python_problem()
    version = ".".join(map(str, sys.version_info[:3]))
    if problem:
        wanted = ".".join(map(str, MIN_PYTHON))
        fix = f"install Python {wanted}+ and run `make setup` again"
        return Check("Python", FAIL, problem, fix)
    return Check("Python", PASS, f"{version} at {sys.executable}")


def check_packages() -> list[Check]:
    """Every package the course depends on is installed at the version it was tested with."""
    checks = []
    if not pinned_versions():
        checks.append(Check("version pins", WARN, "constraints.txt not found next to the package",
                            "install the course with `make setup` from its repository"))
    failing = {name: (problem, fix) for name, problem, fix in package_problems()}
    for dist in REQUIRED or failing:
        if dist in failing:
            problem, fix = failing[dist]
            checks.append(Check(dist, FAIL, problem, fix))
        else:
            checks.append(Check(dist, PASS, metadata.version(dist)))
    return checks


def check_kernel() -> Check:
    """The course's Jupyter kernel is registered and runs this Python."""
    fix = ("run `make setup` (it runs `python -m ipykernel install --sys-prefix "
           f"--name {KERNEL_NAME} --display-name '{KERNEL_DISPLAY_NAME}'`)")
    try:
        runs = kernel_python()
    except LookupError as error:
        return Check("Jupyter kernel", FAIL, str(error), fix)
    if not kernel_runs_this_python():
        return Check("Jupyter kernel", WARN,
                     f"kernel {KERNEL_NAME!r} runs {runs}, not this Python ({sys.executable})", fix)
    return Check("Jupyter kernel", PASS, f"{KERNEL_NAME!r} runs this Python")


def check_java() -> Check:
    """Spark 4 (notebook 18) needs Java 17+: the same check ``mlcourse.spark`` runs."""
    from mlcourse.spark import JAVA_FIX, java_problem, java_summary

    problem = java_problem()
    if problem is not None:
        return Check("Java", WARN, f"{problem}; needed only for notebook 18 (Spark)", JAVA_FIX)
    return Check("Java", PASS, java_summary())


def check_datasets() -> list[Check]:
    """Every registered data file is there and unaltered."""
    from mlcourse.datasets import REGISTRY, verify_all

    checks = []
    for name, problem in verify_all().items():
        if problem is None:
            checks.append(Check(f"data: {name}", PASS, REGISTRY[name].path))
        else:
            first, _, rest = problem.partition("\n")
            checks.append(Check(f"data: {name}", FAIL, first, rest.strip()))
    return checks


def check_writable() -> list[Check]:
    """The course folder and the cache folder can be written to."""
    checks = []
    from mlcourse.datasets import cache_dir

    places = {"course folder": course_root()}
    try:
        places["cache folder"] = cache_dir()
    except OSError as error:
        fix = "set MLCOURSE_CACHE_DIR to a writable folder"
        return [Check("cache folder", FAIL, str(error), fix)]
    for label, folder in places.items():
        try:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
                pass
            checks.append(Check(label, PASS, f"{folder} is writable"))
        except OSError as error:
            fix = ("clone the course into a folder you own" if label == "course folder"
                   else "set MLCOURSE_CACHE_DIR to a writable folder")
            checks.append(Check(label, FAIL, f"{folder} is not writable ({error.strerror})", fix))
    return checks


def run_checks() -> list[Check]:
    """Every check ``mlcourse doctor`` runs, in the order it prints them."""
    return [
        check_python(),
        *check_packages(),
        check_kernel(),
        check_java(),
        *check_datasets(),
        *check_writable(),
    ]


def format_checks(checks: list[Check], color: bool = False) -> str:
    """The checks as a table, each failure followed by its fix, then a one-line verdict."""
    paint = {PASS: "\033[32m", FAIL: "\033[31m", WARN: "\033[33m"} if color else {}
    reset = "\033[0m" if color else ""
    width = max(len(c.name) for c in checks)
    lines = []
    for c in checks:
        status = f"{paint.get(c.status, '')}{c.status}{reset}"
        lines.append(f"{status}  {c.name:<{width}}  {c.detail}")
        if c.fix and c.status != PASS:
            lines.append(f"{'':6}{'':<{width}}  fix: {c.fix}")
    failed = sum(c.status == FAIL for c in checks)
    warned = sum(c.status == WARN for c in checks)
    verdict = ("All checks passed." if not failed
               else f"{failed} check(s) failed: apply the fixes above.")
    if warned:
        verdict += f" {warned} warning(s): optional, see above."
    return "\n".join(lines + ["", verdict])


def main() -> int:
    """``mlcourse doctor``: print the table; exit status 1 when a check failed."""
    checks = run_checks()
    color = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None
    print(format_checks(checks, color=color))
    return 1 if any(c.status == FAIL for c in checks) else 0
