"""The workshop kit: a quiet JupyterLab, the offline set-up, and the course as a website."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "lab-settings" / "overrides.json"


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- a quiet JupyterLab ---------------------------------------------------------------------

def test_the_course_environment_has_the_lab_settings():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file(), "run `make setup`: it installs lab-settings/overrides.json"
    assert json.loads(installed.read_text()) == json.loads(OVERRIDES.read_text())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.notebooks
def test_lab_serves_settings_without_news_or_update_check(tmp_path):
    """Start `mlcourse lab` for real, headless, and read the settings JupyterLab serves."""
    port = _free_port()
    env = {**os.environ, "JUPYTER_PORT": str(port), "JUPYTER_TOKEN": "course-test",
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           # a fresh user-settings folder: what a learner sees on the first start
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    env.pop("DISPLAY", None)
    server = subprocess.Popen([sys.executable, "-m", "mlcourse", "lab"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/lab/api/settings"

    def get(plugin: str) -> dict:
        with urllib.request.urlopen(f"{base}/{plugin}?token=course-test", timeout=5) as r:
            return json.load(r)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                notification = get("@jupyterlab/apputils-extension:notification")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not start within 60 s"
                time.sleep(0.5)
        # The overrides become the defaults of the plugin's schema, which the page then uses.
        defaults = {k: v.get("default") for k, v in notification["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false"  # no "Would you like to get notified..." pop-up
        assert defaults["checkForUpdates"] is False
        for plugin, wanted in json.loads(OVERRIDES.read_text()).items():
            schema = get(plugin)["schema"]["properties"]
            for key, value in wanted.items():
                assert schema[key]["default"] == value, (plugin, key)
        # and the course opens on notebook 00
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token=course-test",
                                    timeout=10) as r:
            assert r.geturl().split("?")[0].endswith("/lab/tree/notebooks/00_welcome.ipynb")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


# --- set-up without the internet ------------------------------------------------------------

def _dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout


def test_setup_installs_from_a_wheelhouse_when_there_is_one(tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    online = _dry_run("setup", f"WHEELHOUSE={wheelhouse}")
    assert "pip install" in online and "--no-index" not in online

    (wheelhouse / "numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    offline = _dry_run("setup", f"WHEELHOUSE={wheelhouse}")
    installs = [line for line in offline.splitlines() if "pip install" in line]
    assert len(installs) >= 2
    for line in installs:  # pip itself and the course: both from the folder, never the index
        assert f"--no-index --find-links {wheelhouse}" in line, line
    site = _dry_run(".venv/.mlcourse-site-installed", f"WHEELHOUSE={wheelhouse}")
    assert f"--no-index --find-links {wheelhouse}" in site


def test_wheelhouse_follows_pyproject_and_constraints():
    wheelhouse = _tool("wheelhouse")
    reqs = wheelhouse.course_requirements()
    names = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in reqs}
    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    listed = project["dependencies"] + [r for extra in project["optional-dependencies"].values()
                                        for r in extra]
    assert {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in listed} == names
    assert not any("extra ==" in r for r in reqs)
    assert "setuptools" in " ".join(wheelhouse.build_requirements())
    assert set(wheelhouse.PLATFORMS) == {"linux-x86_64", "linux-aarch64", "macos-x86_64",
                                         "macos-arm64", "windows-amd64"}


def test_makefile_has_the_workshop_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("wheelhouse", "site"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "wheelhouse/" in (ROOT / ".gitignore").read_text().splitlines()


# --- the course as a website ----------------------------------------------------------------

@pytest.mark.notebooks
def test_site_builds_with_every_notebook_and_no_broken_link(tmp_path):
    if importlib.util.find_spec("jupyter_book") is None:
        pytest.skip("the site extra is not installed (make test installs it; by hand: "
                    "pip install -c constraints.txt -e '.[site]')")
    build_site = _tool("build_site")
    # Run notebook 00 only: the build of the others is the same, and `make site` runs them all.
    html, problems = build_site.build(tmp_path / "site", execute=["00_welcome"])
    assert problems == []
    stems = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    index = (html / "index.html").read_text()
    for stem in stems:
        page = (html / f"{stem}.html").read_text()
        assert "BEGIN SOLUTION" not in page
        assert f'href="{stem}.html"' in index
    welcome = (html / "00_welcome.html").read_text()
    assert "not attempted" in welcome and "YOUR CODE HERE" in welcome
    # the table of contents follows the course map, and mentions became links
    assert "Part 2" in index
    assert 'href="04_data_splitting.html"' in (html / "08_decision_trees.html").read_text()


def test_site_link_checker_finds_broken_links(tmp_path):
    build_site = _tool("build_site")
    (tmp_path / "a.html").write_text('<a href="b.html#x">b</a> <a href="b.html#y">y</a>'
                                     '<a href="c.html">c</a> <a href="https://x.org">out</a>')
    (tmp_path / "b.html").write_text('<h1 id="x">B</h1><a href="a.html">a</a>')
    problems = build_site.broken_links(tmp_path)
    assert len(problems) == 2
    assert any("b.html#y (no such anchor)" in p for p in problems)
    assert any("c.html (no such file)" in p for p in problems)


# --- learners without make ------------------------------------------------------------------

def test_setup_doc_gives_the_makefile_commands_for_machines_without_make():
    """docs/setup.md spells out the set-up of `make setup`, command by command: when the
    Makefile changes, the plain commands must change with it."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("$(STAMP): ", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    doc = (ROOT / "docs" / "setup.md").read_text()
    wanted = []
    for line in recipe:
        line = line.strip().lstrip("@")
        if line.startswith(("touch", "echo", "test -x")):
            continue
        for noise in (" --quiet", " --disable-pip-version-check", " $(PIP_FROM)"):
            line = line.replace(noise, "")
        wanted.append(line.replace("$(BIN)/", ".venv/bin/"))
    assert len(wanted) >= 4
    for command in wanted:
        assert command in doc, f"docs/setup.md lacks: {command}"
        windows = command.replace(".venv/bin/", ".venv\\Scripts\\").replace(
            "lab-settings/", "lab-settings\\")
        assert windows in doc, f"docs/setup.md lacks the Windows form: {windows}"
