"""mlcourse._machinery.environment: one home for what the course needs from the machine and
where the course is, and the places that used to keep their own copy."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement

from mlcourse import doctor
from mlcourse._machinery import environment, grading
from mlcourse._machinery.environment import (
    KERNEL_DISPLAY_NAME,
    KERNEL_NAME,
    REQUIRED,
    course_root,
    find_course_root,
    kernelspec,
    normalise,
)

ROOT = Path(__file__).resolve().parents[1]


def test_required_is_pyprojects_dependency_list_as_installed():
    """REQUIRED is read from the installed package's metadata; a stale install (pyproject.toml
    changed, `make setup` not run) shows up here."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    applicable = [Requirement(text) for text in listed]
    wanted = [r.name for r in applicable if r.marker is None or r.marker.evaluate({"extra": ""})]
    assert [normalise(name) for name in REQUIRED] == [normalise(name) for name in wanted]
    assert "scikit-learn" in REQUIRED and "pytest" not in REQUIRED  # extras are not required


def test_every_required_package_has_a_pin():
    pins = environment.pinned_versions()
    assert [name for name in REQUIRED if normalise(name) not in pins] == []


def test_a_missing_package_is_reported_with_the_fix(monkeypatch):
    monkeypatch.setattr(environment, "REQUIRED", ("numpy", "no-such-distribution-mlcourse"))
    problems = environment.package_problems()
    assert problems == [("no-such-distribution-mlcourse", "not installed", environment.FIX_SETUP)]


def test_an_uninstalled_course_says_so_instead_of_checking_nothing(monkeypatch):
    monkeypatch.setattr(environment, "REQUIRED", ())
    [(name, problem, fix)] = environment.package_problems()
    assert name == "mlcourse" and "not installed" in problem and "make setup" in fix


def test_the_course_root_is_the_repository():
    assert course_root() == ROOT
    assert find_course_root(ROOT / "mlcourse" / "_machinery") == ROOT


def test_find_course_root_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match="No course folder found at or above"):
        find_course_root(tmp_path)


def test_the_data_folder_is_found_from_the_course_root(monkeypatch):
    from mlcourse.datasets import data_dir

    monkeypatch.delenv("MLCOURSE_DATA_DIR", raising=False)
    assert data_dir() == course_root() / "datasets"


def test_the_kernel_name_has_one_spelling():
    """Python reads it from the environment module; the shell scripts that register the kernel
    cannot import it, so they are held to it here."""
    assert kernelspec()["name"] == KERNEL_NAME
    assert kernelspec()["display_name"] == KERNEL_DISPLAY_NAME
    registration = re.compile(r"ipykernel install .*--name (\S+) --display-name \"([^\"]+)\"")
    for script in ("Makefile", "postBuild"):
        found = registration.findall((ROOT / script).read_text())
        assert found == [(KERNEL_NAME, KERNEL_DISPLAY_NAME)], script


def test_kernel_check_tells_a_missing_kernel_from_another_python(monkeypatch, tmp_path):
    from jupyter_client import kernelspec as specs

    def missing(name):
        raise specs.NoSuchKernel(name)

    monkeypatch.setattr(specs, "get_kernel_spec", missing)
    assert not environment.kernel_runs_this_python()
    assert grading.kernel_name() == "python3"
    check = doctor.check_kernel()
    assert check.status == doctor.FAIL and "no kernel named 'mlcourse'" in check.detail

    other = tmp_path / "python"
    other.write_text("")

    class Spec:
        argv = [str(other), "-m", "ipykernel_launcher"]

    monkeypatch.setattr(specs, "get_kernel_spec", lambda name: Spec())
    assert not environment.kernel_runs_this_python()
    assert grading.kernel_name() == "python3"
    check = doctor.check_kernel()
    assert check.status == doctor.WARN and str(other) in check.detail

    Spec.argv = [sys.executable, "-m", "ipykernel_launcher"]
    assert environment.kernel_runs_this_python()
    assert grading.kernel_name() == KERNEL_NAME
    assert doctor.check_kernel().status == doctor.PASS


def test_a_file_has_one_sha256_function():
    import hashlib

    from mlcourse import serving
    from mlcourse.datasets import REGISTRY, bikeshare, dataset_path, file_sha256

    assert bikeshare.file_sha256 is file_sha256 and serving.sha256_of is file_sha256
    path = dataset_path("german_credit")
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_sha256(path) == REGISTRY["german_credit"].sha256
