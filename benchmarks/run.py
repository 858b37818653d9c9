"""Run every benchmark in this folder and print one table.

Usage::

    python benchmarks/run.py              # every bench_*.py
    python benchmarks/run.py tree svm     # only bench_tree.py and bench_svm.py

Times are wall-clock seconds of fit + predict, best of several runs after a warm-up,
ours and scikit-learn's in the same process on the same data.
"""

from __future__ import annotations

import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import format_table, run_case  # noqa: E402


def main(argv: list[str]) -> int:
    wanted = set(argv)
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if m.removeprefix("bench_") in wanted]
    cases, reports = [], []
    for name in modules:
        module = importlib.import_module(name)
        if hasattr(module, "report"):  # a benchmark that prints its own table
            print(f"running {name} ...", file=sys.stderr, flush=True)
            reports.append(module.report())
        for case in module.CASES:
            print(f"running {case.name} ...", file=sys.stderr, flush=True)
            run_case(case)
            cases.append(case)
    if cases:
        print(format_table(cases))
    for text in reports:
        print(f"\n{text}")
    missed = [c.name for c in cases if not (c.results["speed_ok"] and c.results["score_ok"])]
    if missed:
        print(f"\nTargets missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
