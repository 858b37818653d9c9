"""``mlcourse lab`` (what ``make lab`` runs): JupyterLab on the course folder.

Works on a laptop (opens the browser) and headless (prints the URL with its token): the
browser is opened only where there is a display. Honours ``JUPYTER_PORT`` (default 8888) and
``JUPYTER_IP`` (default 127.0.0.1; use 0.0.0.0 inside a container).
"""

from __future__ import annotations

import os
import sys

from mlcourse._machinery.environment import find_course_root


def has_display() -> bool:
    """Whether a browser window can open here (macOS, Windows, or an X11/Wayland display)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def command(open_browser: bool | None = None) -> list[str]:
    """The JupyterLab command line for the course folder this runs in.

    ``open_browser`` defaults to whether there is a display (:func:`has_display`).
    """
    root = find_course_root()
    port = os.environ.get("JUPYTER_PORT", "8888")
    if not port.isdigit():
        raise ValueError(f"JUPYTER_PORT must be a port number, got {port!r}.")
    argv = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        f"--ServerApp.ip={os.environ.get('JUPYTER_IP', '127.0.0.1')}",
        "--ServerApp.open_browser=" + str(has_display() if open_browser is None else open_browser),
        "--LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and CI machines run as root
    return argv


def environment() -> dict[str, str]:
    """The server's environment: this Python's ``bin/`` first on ``PATH``, so that the
    terminals and ``!commands`` inside JupyterLab find ``mlcourse``, ``python`` and ``pip`` of
    the course's environment without activating it."""
    env = dict(os.environ)
    scripts = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    return env


def main() -> int:
    """Replace this process with JupyterLab on the course (so it never returns)."""
    argv = command()
    print("Starting JupyterLab on the course; stop it with Ctrl+C.", flush=True)
    os.execve(argv[0], argv, environment())
    return 0  # not reached
