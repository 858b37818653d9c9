"""``mlcourse reset NN``: give a learner a fresh copy of a notebook, keeping theirs as a backup."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from mlcourse.authoring import dumps, learner_version, read


class ResetError(RuntimeError):
    """A reset that could not keep the learner's copy safe, so did nothing."""


def find_solution(root: Path, number: str) -> Path:
    """``solutions/NN_*.ipynb`` for notebook number ``number``."""
    if not number.isdigit():
        raise ValueError(f"Notebook numbers look like 00 or 7; got {number!r}.")
    number = f"{int(number):02d}"
    matches = sorted((root / "solutions").glob(f"{number}_*.ipynb"))
    if not matches:
        available = ", ".join(p.name[:2] for p in sorted((root / "solutions").glob("*.ipynb")))
        raise FileNotFoundError(f"There is no notebook {number}. Available: {available}.")
    return matches[0]


def backup_path(root: Path, notebook: Path, now: datetime | None = None) -> Path:
    """A new file in ``backups/`` for the learner's copy of ``notebook``, named after ``now``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = root / "backups" / f"{notebook.stem}-{stamp}.ipynb"
    counter = 1
    while candidate.exists():  # two resets in one second must not overwrite a backup
        candidate = root / "backups" / f"{notebook.stem}-{stamp}-{counter}.ipynb"
        counter += 1
    return candidate


def reset(root: Path, number: str) -> tuple[Path, Path | None]:
    """Restore ``notebooks/NN_*.ipynb`` to pristine; returns ``(notebook, backup or None)``."""
    solution = find_solution(root, number)
    target = root / "notebooks" / solution.name
    backup = None
    if target.exists():
        backup = backup_path(root, target)
        try:
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        except OSError as error:  # backups/ is a file, read-only, or the disk is full
            raise ResetError(
                f"Could not back up {target.relative_to(root)} into {backup.parent} "
                f"({error.strerror or error}). Your notebook was not touched. Make backups/ a "
                "writable folder (or move the file called backups away), then run reset again."
            ) from error
    pristine = dumps(learner_version(read(solution), name=solution.name))
    target.write_text(pristine, encoding="utf-8")
    return target, backup
