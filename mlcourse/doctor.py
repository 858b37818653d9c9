"""``mlcourse doctor``: is this machine ready for the course? A table, with a fix per failure."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlcourse._environment import (
    FIX_SETUP,
    KERNEL_NAME,
    course_root,
    package_problems,
    pinned_versions,
    python_problem,
)

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"


@dataclass
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def check_python() -> Check:
    problem = python_problem()
    version = ".".join(map(str, sys.version_info[:3]))
    if problem:
        return Check("Python", FAIL, problem, "install Python 3.11+ and run `make setup` again")
    return Check("Python", PASS, f"{version} at {sys.executable}")


def check_packages() -> list[Check]:
    checks = []
    if not pinned_versions():
        checks.append(Check("version pins", WARN, "constraints.txt not found next to the package",
                            "install the course with `make setup` from its repository"))
    failing = {name: (problem, fix) for name, problem, fix in package_problems()}
    from importlib import metadata

    from mlcourse._environment import REQUIRED

    for dist in REQUIRED:
        if dist in failing:
            problem, fix = failing[dist]
            checks.append(Check(dist, FAIL, problem, fix))
        else:
            checks.append(Check(dist, PASS, metadata.version(dist)))
    return checks


def check_kernel() -> Check:
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
    except Exception as error:  # jupyter_client missing or broken
        return Check("Jupyter kernel", FAIL, f"cannot list kernels ({error})", FIX_SETUP)
    fix = ("run `make setup` (it runs "
           f"`python -m ipykernel install --sys-prefix --name {KERNEL_NAME}`)")
    if KERNEL_NAME not in specs:
        return Check("Jupyter kernel", FAIL, f"no kernel named {KERNEL_NAME!r}", fix)
    try:
        from jupyter_client.kernelspec import get_kernel_spec

        argv0 = get_kernel_spec(KERNEL_NAME).argv[0]
    except Exception as error:
        return Check("Jupyter kernel", FAIL, f"kernel {KERNEL_NAME!r} is broken ({error})", fix)
    runs = Path(shutil.which(argv0) or argv0)
    if runs.resolve() != Path(sys.executable).resolve():
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
    return [
        check_python(),
        *check_packages(),
        check_kernel(),
        check_java(),
        *check_datasets(),
        *check_writable(),
    ]


def format_checks(checks: list[Check], color: bool = False) -> str:
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
    checks = run_checks()
    color = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None
    print(format_checks(checks, color=color))
    return 1 if any(c.status == FAIL for c in checks) else 0
