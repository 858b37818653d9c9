"""The package's layers, read from its folder, and the one rule between them.

DESIGN: the estimators, metrics and model selection form a small library that imports nothing
of the course around it, so a learner could lift the library out. The folder shows the layers,
and this file derives them from it instead of keeping a list by hand:

- the library: each subpackage that mirrors a scikit-learn module (a learner can swap
  ``from mlcourse.NAME import X`` for ``from sklearn.NAME import X``: scikit-learn has a module
  of that name, and the subpackage exports a name it exports too), and ``utils``, the helpers
  the estimators share (``sklearn.utils``'s counterpart, which exports nothing to swap);
- the course, everything else: at the top, the modules the notebooks import
  (``datasets``, ``exercises``, ``plotting``, ...); in ``_machinery``, what no notebook imports.

A new top-level module therefore has to say where it belongs: mirror scikit-learn, be used by
a notebook, or live in ``_machinery``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlcourse"
MACHINERY = "_machinery"
LIBRARY_HELPERS = "utils"


def top_level_names() -> list[str]:
    """Every module and subpackage directly inside mlcourse/, the package's own dunders aside."""
    names = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")}
    names |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return sorted(names)


def exported_names(package: Path) -> set[str]:
    """The public names a subpackage's ``__init__.py`` exports (its ``__all__``, else its imports
    and definitions), read from the source without importing it."""
    tree = ast.parse((package / "__init__.py").read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return {name for name in names if not name.startswith("_")}


def mirrors_scikit_learn(name: str) -> bool:
    """Whether ``mlcourse.NAME`` can stand in for ``sklearn.NAME`` in a learner's import."""
    package = PACKAGE / name
    if not (package / "__init__.py").is_file():
        return False
    if importlib.util.find_spec(f"sklearn.{name}") is None:
        return False
    theirs = set(dir(importlib.import_module(f"sklearn.{name}")))
    return bool(exported_names(package) & theirs)


@cache
def library() -> frozenset[str]:
    return frozenset(name for name in top_level_names()
                     if mirrors_scikit_learn(name) or name == LIBRARY_HELPERS)


_ATTRIBUTE = re.compile(r"\bmlcourse\.([A-Za-z_]\w*)")
_FROM_PACKAGE = re.compile(r"\bfrom\s+mlcourse\s+import\s+\(?([\w\s,]+)\)?")


@cache
def notebook_imports() -> frozenset[str]:
    """The top-level names of mlcourse that the notebooks' code cells use."""
    found = set()
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            found.update(_ATTRIBUTE.findall(source))
            for group in _FROM_PACKAGE.findall(source):
                found.update(part.split()[0] for part in group.split(",") if part.strip())
    return frozenset(found)


def course_modules() -> list[str]:
    """The top-level modules of the course: the ones the notebooks use, the library's aside."""
    return sorted(n for n in top_level_names() if n in notebook_imports() and n not in library())


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name a file imports, with ``from m import n`` also giving ``m.n``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def library_files() -> list[Path]:
    return [path for name in sorted(library()) for path in sorted((PACKAGE / name).rglob("*.py"))]


# --- the layers, derived ---------------------------------------------------------------------


def test_the_derived_layers_are_the_ones_design_describes():
    """The derivation itself can go wrong (a scikit-learn release renaming a module); these are
    the packages DESIGN names on each side."""
    assert {"linear_model", "tree", "metrics", "model_selection", "utils"} <= library()
    assert {"datasets", "exercises", "plotting", "serving"} <= set(course_modules())
    assert len(library()) >= 12 and len(library_files()) >= 20


def test_every_top_level_module_belongs_to_a_layer():
    stray = [name for name in top_level_names()
             if name not in library() and name not in course_modules() and name != MACHINERY]
    assert stray == [], (
        f"mlcourse.{', mlcourse.'.join(stray)} is in neither layer. A module of the library "
        "mirrors a scikit-learn module (same name, a name in common); a module at the top of the "
        f"course is one a notebook uses; anything else belongs in mlcourse/{MACHINERY}/.")


def test_no_notebook_imports_the_machinery():
    assert MACHINERY not in notebook_imports()
    private = sorted(n for n in notebook_imports() if n.startswith("_") and not n.endswith("__"))
    assert private == [], f"notebooks use private modules {private}"


def test_the_machinery_is_one_subpackage_beside_the_layers_top():
    inside = {p.stem for p in (PACKAGE / MACHINERY).glob("*.py") if not p.stem.startswith("__")}
    assert inside, f"mlcourse/{MACHINERY}/ holds no module"
    twice = sorted(inside & set(top_level_names()))
    assert twice == [], f"{twice} both at the top of mlcourse and in {MACHINERY}"


# --- the rule between them -------------------------------------------------------------------


def course_imports(path: Path) -> list[str]:
    """The modules of the course, outside the library, that the file at ``path`` imports."""
    course = [f"mlcourse.{name}" for name in top_level_names() if name not in library()]
    return sorted(m for m in imported_modules(path)
                  if any(m == c or m.startswith(c + ".") for c in course))


@pytest.mark.parametrize("path", library_files(),
                         ids=[str(p.relative_to(PACKAGE)) for p in library_files()])
def test_library_module_imports_no_course_module(path):
    bad = course_imports(path)
    assert bad == [], f"{path.relative_to(PACKAGE)} imports {bad} from outside the library"


def test_the_rule_catches_an_import_of_the_course(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text("import numpy as np\nfrom mlcourse.utils import *\n"
                        "from mlcourse import plotting\nimport mlcourse._machinery.cli\n"
                        "from mlcourse.datasets.messy import make_messy_penguins\n")
    assert course_imports(offender) == [
        "mlcourse._machinery.cli", "mlcourse.datasets.messy",
        "mlcourse.datasets.messy.make_messy_penguins", "mlcourse.plotting"]
