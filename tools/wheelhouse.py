"""Download every package the course installs, for every common platform, into one folder.

    python tools/wheelhouse.py [FOLDER]          (what `make wheelhouse` runs; FOLDER: wheelhouse/)

Run it once on a machine with the internet, in the course's environment (after `make setup`).
The folder then installs the course with no network at all: `make setup` and `make lab` use it
by themselves when it is there (`pip install --no-index --find-links wheelhouse`); by hand:

    python -m pip install --no-index --find-links wheelhouse -c constraints.txt -e ".[dev]"

What goes in: the course package's requirements (pyproject.toml: dependencies and every
extra), at the versions pinned in constraints.txt, with everything they need on each platform,
plus pip and the build backend that installs the course package itself. Nothing is listed here
by hand: a dependency added to pyproject.toml and pinned in constraints.txt is taken next time.

Platforms: Linux x86_64 and aarch64 (glibc 2.28 or newer: most distributions since 2019),
macOS x86_64 and arm64 (12 or newer), Windows amd64, each for the Python versions in
WHEELHOUSE_PYTHONS (default "3.11 3.12 3.13": the pinned NumPy and pandas need 3.11 or newer).
WHEELHOUSE_PLATFORMS narrows the list, e.g. WHEELHOUSE_PLATFORMS="linux-x86_64 windows-amd64".

Packages published only as source are first built into wheels here (pip wheel), so that a
pure-Python one serves every platform.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from importlib.metadata import requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each platform with the wheel tags pip may take for it: pip expands "manylinux2014" to the
# older manylinux tags (glibc 2.17 and before) and a macOS version to every older one; wheels
# for glibc 2.28 (most Linux distributions since 2019) are asked for by name.
PLATFORMS = {
    "linux-x86_64": ["manylinux_2_28_x86_64", "manylinux2014_x86_64"],
    "linux-aarch64": ["manylinux_2_28_aarch64", "manylinux2014_aarch64"],
    "macos-x86_64": ["macosx_12_0_x86_64"],
    "macos-arm64": ["macosx_12_0_arm64"],
    "windows-amd64": ["win_amd64"],
}
PYTHONS = os.environ.get("WHEELHOUSE_PYTHONS", "3.11 3.12 3.13").split()


def full_version(version: str) -> str:
    """pip takes "3.11" for 3.11.0, and some pinned packages need a later 3.11 (soupsieve:
    3.11.5 or newer); a wheelhouse is for the current release of each version."""
    return version if version.count(".") >= 2 else f"{version}.99"


def pinned_in(folder: Path, name: str, fallback: str) -> str:
    """``name==version`` of the newest wheel of ``name`` in ``folder``: pip and the build
    backend are not in constraints.txt, and an unpinned package makes pip try every one of its
    versions before it reports a real problem."""
    versions = [p.name.split("-")[1] for p in folder.glob(f"{name}-*.whl")]
    if not versions:
        return fallback
    newest = max(versions, key=lambda v: tuple(int(x) if x.isdigit() else 0
                                               for x in v.split(".")))
    return f"{name}=={newest}"


def course_requirements() -> list[str]:
    """The course package's requirements, every extra included, without their markers
    (``pytest>=8; extra == "dev"`` becomes ``pytest>=8``; platform markers are kept)."""
    reqs = []
    for line in requires("mlcourse") or []:
        req, _, marker = line.partition(";")
        marker = re.sub(r'\s*(and\s+)?extra\s*==\s*"[^"]*"(\s+and)?\s*', " ", marker).strip()
        reqs.append(f"{req.strip()}; {marker}" if marker else req.strip())
    return sorted(set(reqs))


def build_requirements() -> list[str]:
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["build-system"]["requires"])


def pip(*args: str) -> int:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.call(cmd, cwd=ROOT)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "wheelhouse").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    constraints = str(ROOT / "constraints.txt")
    reqs = course_requirements() + build_requirements() + ["pip>=24"]
    wanted = os.environ.get("WHEELHOUSE_PLATFORMS", " ".join(PLATFORMS)).split()
    start = time.perf_counter()

    # 1. This machine's platform, building a wheel of anything published only as source.
    print(f"wheelhouse: {len(reqs)} requirements, pinned by constraints.txt, into {folder}")
    failed = []
    if pip("wheel", "--quiet", "-c", constraints, "-w", str(folder), *reqs) != 0:
        failed.append("this machine")

    # 2. Every other platform and Python: wheels only, the ones built above included.
    reqs = [pinned_in(folder, "pip", r) if r.startswith("pip") else
            pinned_in(folder, "setuptools", r) if r.startswith("setuptools") else r
            for r in reqs]
    for name in wanted:
        for version in PYTHONS:
            print(f"wheelhouse: {name}, Python {version}", flush=True)
            tags = [arg for tag in PLATFORMS[name] for arg in ("--platform", tag)]
            code = pip("download", "--quiet", "--only-binary=:all:", *tags,
                       "--python-version", full_version(version), "--implementation", "cp",
                       "--find-links", str(folder), "-c", constraints, "-d", str(folder), *reqs)
            if code != 0:
                failed.append(f"{name} Python {version}")

    wheels = list(folder.glob("*.whl")) + list(folder.glob("*.tar.gz"))
    size = sum(p.stat().st_size for p in wheels) / 2**20
    seconds = time.perf_counter() - start
    print(f"wheelhouse: {len(wheels)} files, {size:.0f} MiB, in {seconds:.0f} s")
    if failed:
        print("wheelhouse: INCOMPLETE for " + ", ".join(failed) + " (pip's message is above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
