"""Dependencies point one way: the estimator library never imports the course machinery.

(DESIGN: a learner could lift the library out of the course.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mlcourse"
LIBRARY = ["linear_model", "neighbors", "naive_bayes", "tree", "svm", "neural_network",
           "ensemble", "cluster", "decomposition", "preprocessing", "metrics", "model_selection",
           "utils"]
MACHINERY = ("mlcourse.exercises", "mlcourse.plotting", "mlcourse.datasets", "mlcourse.serving",
             "mlcourse.cli", "mlcourse.grading", "mlcourse.authoring", "mlcourse.doctor",
             "mlcourse.reset", "mlcourse.lab", "mlcourse._setup", "mlcourse._environment",
             "mlcourse.spark")
FILES = [p for name in LIBRARY if (PACKAGE / name).exists() for p in (PACKAGE / name).rglob("*.py")]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_library_is_there():
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PACKAGE)) for p in FILES])
def test_library_module_imports_no_course_machinery(path):
    bad = sorted(m for m in imported_modules(path) if m.startswith(MACHINERY))
    assert bad == [], f"{path.name} imports {bad}"
