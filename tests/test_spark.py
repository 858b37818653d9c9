"""mlcourse.spark without a JVM: which Java Spark will use, its version, and the fix when it
will not do (also what notebook 18's set-up cell shows, and what `mlcourse doctor` says).

The session itself is started in tests/test_checkers_nb18.py (one JVM per test module)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mlcourse import doctor, spark

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fake java is a shell script")


def fake_java(folder: Path, version_line: str) -> Path:
    """A `java` that prints `version_line` to stderr, as `java -version` does."""
    folder.mkdir(parents=True, exist_ok=True)
    java = folder / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return java


@pytest.fixture
def java_home(tmp_path, monkeypatch):
    """Point JAVA_HOME at a folder the test fills with a fake java."""
    home = tmp_path / "jdk"
    monkeypatch.setenv("JAVA_HOME", str(home))
    return home


@pytest.mark.parametrize(("line", "major"), [
    ('openjdk version "17.0.15" 2025-04-15', 17),
    ('openjdk version "21" 2023-09-19', 21),
    ('java version "1.8.0_392"', 8),
    ('openjdk version "11.0.22" 2024-01-16', 11),
])
def test_java_major_version_reads_both_numbering_schemes(tmp_path, line, major):
    assert spark.java_major_version(str(fake_java(tmp_path, line))) == major


def test_java_home_wins_over_the_path(java_home):
    java = fake_java(java_home / "bin", 'openjdk version "21.0.1" 2023-10-17')
    assert spark.find_java() == str(java)
    assert spark.java_problem() is None
    assert "Java 21" in spark.java_summary()


def test_the_path_is_used_without_java_home(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    java = fake_java(tmp_path / "bin", 'openjdk version "17.0.2" 2022-01-18')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert spark.find_java() == str(java)
    assert spark.java_problem() is None


def test_old_java_is_named_with_the_version_spark_needs(java_home):
    fake_java(java_home / "bin", 'openjdk version "11.0.22" 2024-01-16')
    problem = spark.java_problem()
    assert "Java 11" in problem and "17" in problem


def test_unreadable_version_is_a_problem(java_home):
    fake_java(java_home / "bin", "something else entirely")
    assert "could not run" in spark.java_problem()


def test_java_home_without_java_says_so(java_home):
    java_home.mkdir()
    assert "JAVA_HOME" in spark.java_problem()


def test_no_java_at_all(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert spark.find_java() is None
    assert "no Java found" in spark.java_problem()


def test_start_session_without_java_names_the_fix_for_every_system(java_home):
    java_home.mkdir()
    with pytest.raises(spark.SparkUnavailable) as caught:
        spark.start_session()
    message = str(caught.value)
    for fix in ("apt install openjdk-17", "brew install", "winget install", "conda install",
                "docs/java.md", "restart the kernel"):
        assert fix in message
    shown = caught.value._render_traceback_()
    assert len(shown) == 1 and shown[0].startswith("Spark is not available")


def test_the_java_docs_exist_and_cover_three_systems():
    text = (Path(__file__).resolve().parents[1] / spark.JAVA_DOCS).read_text()
    for heading in ("## Linux", "## macOS", "## Windows"):
        assert heading in text


def test_doctor_warns_about_old_java_with_the_fix(java_home):
    fake_java(java_home / "bin", 'java version "1.8.0_392"')
    check = doctor.check_java()
    assert check.status == doctor.WARN
    assert "Java 8" in check.detail and "notebook 18" in check.detail
    assert check.fix == spark.JAVA_FIX


def test_doctor_passes_java_17(java_home):
    fake_java(java_home / "bin", 'openjdk version "17.0.15" 2025-04-15')
    check = doctor.check_java()
    assert check.status == doctor.PASS and "Java 17" in check.detail


def test_a_java_that_cannot_run_spark_is_reported_with_its_own_words(java_home, tmp_path,
                                                                     monkeypatch):
    from pyspark import SparkContext

    if SparkContext._gateway is not None:
        pytest.skip("a JVM runs in this process already: no new one would be launched")
    java = java_home / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\n"
                    "case \"$1\" in -version)\n"
                    "  echo 'openjdk version \"17.0.1\"' >&2; exit 0;;\n"
                    "esac\n"
                    "echo 'Error: this Java is broken on purpose' >&2; exit 1\n")
    java.chmod(0o755)
    monkeypatch.setenv("MLCOURSE_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(spark.SparkUnavailable) as caught:
        spark.start_session()
    message = str(caught.value)
    assert "Spark did not start" in message and "mlcourse doctor" in message
    assert "broken on purpose" in message
    assert str(tmp_path / "cache") in message


@pytest.mark.notebooks
def test_notebook_cell_without_java_shows_the_fix_not_a_traceback(java_home):
    java_home.mkdir()  # the kernel inherits JAVA_HOME: Spark would run no java from it
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from mlcourse.spark import start_session"),
        nbformat.v4.new_code_cell("spark = start_session()"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="mlcourse", allow_errors=True).execute()
    error = nb.cells[1].outputs[0]
    assert error.output_type == "error" and error.ename == "SparkUnavailable"
    shown = "\n".join(error.traceback)
    assert shown.startswith("Spark is not available: JAVA_HOME")
    assert "Fix: install a Java runtime 17 or newer" in shown
    assert "Traceback" not in shown and 'File "' not in shown
