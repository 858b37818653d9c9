"""The ``mlcourse`` command line (``python -m mlcourse`` runs it too).

    mlcourse lab                     JupyterLab on the course (what `make lab` runs)
    mlcourse doctor                  is this machine ready for the course?
    mlcourse grade NOTEBOOK...       execute notebooks and score their exercises
    mlcourse reset NN [NN...]        restore notebooks to pristine (your copy is backed up)
    mlcourse author [--check]        regenerate notebooks/ from solutions/ (authors)
    mlcourse author convert SCRIPT NOTEBOOK
    mlcourse serve [MODEL.skops] [--host H] [--port P]   serve a model over HTTP
    mlcourse predict MODEL.skops INPUT.csv OUTPUT.csv    score a CSV file in batches
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from mlcourse import __version__


def _lab(args: argparse.Namespace) -> int:
    from mlcourse._machinery.lab import main

    return main()


def _doctor(args: argparse.Namespace) -> int:
    from mlcourse.doctor import main

    return main()


def _grade(args: argparse.Namespace) -> int:
    from mlcourse._machinery.grading import grade, summary_table

    paths = _notebook_paths(args.notebooks)
    if not paths:
        print("No notebooks to grade.", file=sys.stderr)
        return 2
    if args.csv:
        problem = _unwritable(Path(args.csv))
        if problem:
            print(f"mlcourse grade: cannot write --csv {args.csv}: {problem}.", file=sys.stderr)
            return 2
    reports = []
    for path in paths:
        print(f"grading {path} ...", file=sys.stderr, flush=True)
        report = grade(path, timeout=args.timeout)
        reports.append(report)
        print(report.summary())
    if len(reports) > 1:
        print()
        print(summary_table(reports))
    if args.csv:
        _write_grade_csv(args.csv, reports)
        print(f"Wrote {args.csv}.")
    return 0 if all(r.ok for r in reports) else 1


def _notebook_paths(names: list[str]) -> list[Path]:
    """The notebooks named on the command line, a folder standing for its ``*.ipynb``."""
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        paths.extend(sorted(path.glob("*.ipynb")) if path.is_dir() else [path])
    return paths


def _write_grade_csv(filename: str, reports) -> None:
    """One row per graded exercise; a notebook with none still gets a row, with the reason."""
    with open(filename, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["notebook", "exercise", "status", "score", "errors", "seconds"])
        for r in reports:
            errors = len(r.errors) + (1 if r.crashed else 0)
            for exercise_id, status in r.statuses.items():
                writer.writerow([r.path, exercise_id, status, f"{r.score:.3f}",
                                 errors, f"{r.seconds:.1f}"])
            if not r.statuses:  # nothing graded: still a row, with the reason
                writer.writerow([r.path, "", r.crashed or "no exercises found",
                                 f"{r.score:.3f}", errors, f"{r.seconds:.1f}"])


def _unwritable(path: Path) -> str | None:
    """Why a file cannot be written at ``path``, or None when it can."""
    if path.is_dir():
        return "it is a folder"
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "permission denied"
    return None


def _positive_seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"{value} would remove the time limit; give a positive number of seconds")
    return value


def _reset(args: argparse.Namespace) -> int:
    from mlcourse._machinery.environment import find_course_root
    from mlcourse._machinery.reset import ResetError, find_solution, reset

    try:
        root = find_course_root(Path(args.course_dir) if args.course_dir else None)
        targets = [find_solution(root, number).name for number in args.numbers]
    except (FileNotFoundError, ValueError) as error:
        print(f"mlcourse reset: {error}", file=sys.stderr)
        return 2
    listed = ", ".join(f"notebooks/{name}" for name in targets)
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"mlcourse reset: would restore {listed}; add --yes to confirm.", file=sys.stderr)
            return 2
        answer = input(f"Restore {listed} to the original? Your current copy is kept in "
                       "backups/. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    for number in args.numbers:
        try:
            notebook, backup = reset(root, number)
        except ResetError as error:
            print(f"mlcourse reset: {error}", file=sys.stderr)
            return 1
        kept = f"; your previous copy is {backup.relative_to(root)}" if backup else ""
        print(f"Restored {notebook.relative_to(root)}{kept}.")
    return 0


def _author(args: argparse.Namespace) -> int:
    from mlcourse._machinery.environment import find_course_root
    from mlcourse.authoring import AuthoringError, build, dumps, from_percent_script

    if args.action == "convert":
        if len(args.paths) != 2:
            print("usage: mlcourse author convert SCRIPT.py NOTEBOOK.ipynb", file=sys.stderr)
            return 2
        script, notebook = map(Path, args.paths)
        Path(notebook).write_text(dumps(from_percent_script(script.read_text())), encoding="utf-8")
        print(f"Wrote {notebook}.")
        return 0
    try:
        root = find_course_root()
        notes = build(root, check_only=args.check)
    except (FileNotFoundError, AuthoringError) as error:
        print(f"mlcourse author: {error}", file=sys.stderr)
        return 2
    if args.check:
        if notes:
            print("notebooks/ and solutions/ have drifted apart:")
            print("\n".join(f"  {note}" for note in notes))
            print("Run `mlcourse author` to regenerate notebooks/ from solutions/.")
            return 1
        print("notebooks/ matches solutions/.")
        return 0
    print("\n".join(f"wrote {note}" for note in notes) or "Everything was up to date.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from mlcourse.serving import ArtefactError, bike_model_path, load_artefact
    from mlcourse.serving.app import create_app, default_log_path
    from mlcourse.serving.server import serve

    try:
        path = args.model if args.model else bike_model_path()
        artefact = load_artefact(path)
        app = create_app(artefact, log_path=args.prediction_log or default_log_path(artefact))
    except ArtefactError as error:
        print(f"mlcourse serve: refusing to start: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # e.g. a data file missing while building the default model
        print(f"mlcourse serve: cannot start: {error}".splitlines()[0], file=sys.stderr)
        return 2
    try:
        serve(app, args.host, args.port)
    except OSError as error:
        print(f"mlcourse serve: cannot listen on {args.host}:{args.port}: {error.strerror}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def _predict(args: argparse.Namespace) -> int:
    from mlcourse.serving import ArtefactError, BatchError, predict_csv

    try:
        rows = predict_csv(args.model, args.input, args.output, chunksize=args.chunksize)
    except (ArtefactError, BatchError) as error:
        print(f"mlcourse predict: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {rows} predictions to {args.output}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``mlcourse`` argument parser: each sub-command sets ``run``, the function to call."""
    parser = argparse.ArgumentParser(prog="mlcourse", description="The mlcourse command line.")
    parser.add_argument("--version", action="version", version=f"mlcourse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    lab = sub.add_parser("lab", help="start JupyterLab on the course (what `make lab` runs)")
    lab.set_defaults(run=_lab)

    doctor = sub.add_parser("doctor", help="check that this machine is ready for the course")
    doctor.set_defaults(run=_doctor)

    grade = sub.add_parser("grade", help="execute notebooks and score their exercises")
    grade.add_argument("notebooks", nargs="+", help="notebook files or folders of notebooks")
    grade.add_argument("--timeout", type=_positive_seconds, default=300,
                       help="seconds per cell, a positive number (default 300)")
    grade.add_argument("--csv", help="also write one row per exercise to this CSV file")
    grade.set_defaults(run=_grade)

    reset = sub.add_parser("reset", help="restore notebooks to pristine, backing up yours")
    reset.add_argument("numbers", nargs="+", metavar="NN", help="notebook numbers, e.g. 00 05")
    reset.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    reset.add_argument("--course-dir", help="the course folder (default: found from here)")
    reset.set_defaults(run=_reset)

    author = sub.add_parser("author", help="authors: regenerate notebooks/ from solutions/")
    author.add_argument("action", nargs="?", choices=["build", "convert"], default="build")
    author.add_argument("paths", nargs="*", help="with convert: SCRIPT.py NOTEBOOK.ipynb")
    author.add_argument("--check", action="store_true", help="fail if the folders have drifted")
    author.set_defaults(run=_author)

    serve = sub.add_parser("serve", help="serve a model artefact over HTTP (FastAPI)")
    serve.add_argument("model", nargs="?", help="MODEL.skops (default: the course's "
                       "bike-demand model, built on first use)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    serve.add_argument("--prediction-log", help="SQLite prediction log (default: course cache)")
    serve.set_defaults(run=_serve)

    predict = sub.add_parser("predict", help="score a CSV file with a model artefact")
    predict.add_argument("model", help="MODEL.skops (its manifest NAME.json beside it)")
    predict.add_argument("input", help="INPUT.csv with the model's input columns")
    predict.add_argument("output", help="OUTPUT.csv: the input plus a prediction column")
    predict.add_argument("--chunksize", type=int, default=2000, help="rows per chunk")
    predict.set_defaults(run=_predict)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` (default: the process's arguments); returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.run(args)
