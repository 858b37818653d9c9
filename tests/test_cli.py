"""The command line: doctor, reset, author and lab."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mlcourse import doctor
from mlcourse._machinery.cli import main
from mlcourse._machinery.lab import command, environment
from mlcourse._machinery.reset import backup_path

ROOT = Path(__file__).resolve().parents[1]


# --- doctor ---------------------------------------------------------------------------------

def test_doctor_passes_on_the_course_environment(capsys):
    checks = doctor.run_checks()
    failed = [c for c in checks if c.status == doctor.FAIL]
    assert failed == [], doctor.format_checks(failed)
    names = {c.name for c in checks}
    assert {"Python", "numpy", "scikit-learn", "Jupyter kernel", "Java", "course folder"} <= names
    assert any(name.startswith("data: ") for name in names)
    assert main(["doctor"]) == 0
    assert "All checks passed" in capsys.readouterr().out


def test_doctor_fails_with_a_fix_when_a_package_is_off_its_pin(monkeypatch, capsys):
    problem = ("numpy", "version 0.1, the course is tested with 9.9", "run make setup")
    monkeypatch.setattr(doctor, "package_problems", lambda: [problem])
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  numpy" in out and "fix: run make setup" in out and "1 check(s) failed" in out


def test_doctor_fails_when_a_data_file_is_altered(tmp_path, monkeypatch):
    data = tmp_path / "datasets"
    (data / "seaborn").mkdir(parents=True)
    (data / "seaborn" / "titanic.csv").write_text("survived\n1\n")
    monkeypatch.setenv("MLCOURSE_DATA_DIR", str(data))
    by_name = {c.name: c for c in doctor.check_datasets()}
    assert by_name["data: titanic"].status == doctor.FAIL
    assert "altered" in by_name["data: titanic"].detail
    assert "missing" in by_name["data: penguins"].detail


# --- reset ----------------------------------------------------------------------------------

def test_reset_restores_and_keeps_the_learners_copy(course_copy, capsys):
    notebook = course_copy / "notebooks" / "00_welcome.ipynb"
    pristine = notebook.read_text()
    learner_work = pristine.replace("raise NotImplementedError  # YOUR CODE HERE", "return 42")
    notebook.write_text(learner_work)

    assert main(["reset", "00", "--yes", "--course-dir", str(course_copy)]) == 0
    assert notebook.read_text() == pristine
    backups = list((course_copy / "backups").glob("00_welcome-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == learner_work
    assert "previous copy is backups/" in capsys.readouterr().out

    # A second reset keeps the first backup too: nothing is ever overwritten.
    assert main(["reset", "0", "--yes", "--course-dir", str(course_copy)]) == 0
    assert len(list((course_copy / "backups").glob("00_welcome-*.ipynb"))) == 2


def test_reset_without_confirmation_changes_nothing(course_copy, monkeypatch, capsys):
    notebook = course_copy / "notebooks" / "00_welcome.ipynb"
    notebook.write_text("my work")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert main(["reset", "00", "--course-dir", str(course_copy)]) == 2
    assert notebook.read_text() == "my work"
    assert "--yes" in capsys.readouterr().err


def test_reset_asks_and_respects_no(course_copy, monkeypatch):
    notebook = course_copy / "notebooks" / "00_welcome.ipynb"
    notebook.write_text("my work")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["reset", "00", "--course-dir", str(course_copy)]) == 1
    assert notebook.read_text() == "my work"
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["reset", "00", "--course-dir", str(course_copy)]) == 0
    assert notebook.read_text() != "my work"


def test_reset_recreates_a_deleted_notebook(course_copy):
    notebook = course_copy / "notebooks" / "00_welcome.ipynb"
    notebook.unlink()
    assert main(["reset", "00", "--yes", "--course-dir", str(course_copy)]) == 0
    assert notebook.exists() and not (course_copy / "backups").exists()


def test_reset_unknown_notebook_lists_the_available_ones(course_copy, capsys):
    assert main(["reset", "42", "--yes", "--course-dir", str(course_copy)]) == 2
    assert "no notebook 42" in capsys.readouterr().err
    assert main(["reset", "ab", "--yes", "--course-dir", str(course_copy)]) == 2


def test_backup_names_never_collide(course_copy):
    notebook = course_copy / "notebooks" / "00_welcome.ipynb"
    first = backup_path(course_copy, notebook)
    first.parent.mkdir()
    first.write_text("x")
    assert backup_path(course_copy, notebook) != first


# --- author ---------------------------------------------------------------------------------

def test_author_check_passes_on_the_repository(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["author", "--check"]) == 0


def test_author_check_fails_on_drift(course_copy, monkeypatch, capsys):
    (course_copy / "notebooks" / "00_welcome.ipynb").write_text("{}")
    monkeypatch.chdir(course_copy / "notebooks")  # found from a subfolder too
    assert main(["author", "--check"]) == 1
    assert "drifted" in capsys.readouterr().out
    assert main(["author"]) == 0
    assert main(["author", "--check"]) == 0


# --- lab ------------------------------------------------------------------------------------

def test_lab_command_honours_the_port_and_display(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JUPYTER_PORT", "9123")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    argv = command()
    assert "--ServerApp.port=9123" in argv
    if sys.platform.startswith("linux"):
        assert "--ServerApp.open_browser=False" in argv
    assert ("--allow-root" in argv) == (os.geteuid() == 0)
    monkeypatch.setenv("JUPYTER_PORT", "http")
    with pytest.raises(ValueError, match="JUPYTER_PORT"):
        command()


def test_lab_puts_the_course_python_first_on_path():
    first = environment()["PATH"].split(os.pathsep)[0]
    assert Path(first) == Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.notebooks
def test_lab_serves_the_course_notebooks(tmp_path):
    """Start `mlcourse lab` for real, headless, and list notebooks/ through its API."""
    port = _free_port()
    env = {**os.environ, "JUPYTER_PORT": str(port), "JUPYTER_TOKEN": "course-test",
           "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    env.pop("DISPLAY", None)
    server = subprocess.Popen([sys.executable, "-m", "mlcourse", "lab"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/api/contents/notebooks?token=course-test"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    listing = json.load(response)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not start within 60 s"
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        assert "00_welcome.ipynb" in names
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
