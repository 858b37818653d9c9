"""Time a from-scratch estimator against its scikit-learn twin, in one process.

Each ``bench_*.py`` file in this folder defines ``CASES``, a list of :class:`Case`.
``python benchmarks/run.py`` runs them all and prints one table: fit+predict seconds
(best of several runs after a warm-up), the ratio ours/scikit-learn, each score, and
whether the speed target and the score target (within 0.02) are met.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    """One comparison: the same data, two estimators, one score.

    Parameters
    ----------
    name : str
        Row label, e.g. ``"KNeighborsClassifier (k=5)"``.
    ours, theirs : callable
        Zero-argument factories returning an unfitted estimator.
    data : callable
        Returns ``X_train, X_test, y_train, y_test`` (``y_*`` may be ``None`` for
        unsupervised models).
    score : callable
        ``score(fitted_estimator, X_test, y_test) -> float``; higher is better.
    target : float
        Speed target: the largest acceptable ratio ours / scikit-learn.
    note : str
        Why a missed target is missed, printed under the table.
    """

    name: str
    ours: Callable
    theirs: Callable
    data: Callable
    score: Callable
    target: float
    repeats: int = 3
    note: str = ""
    results: dict = field(default_factory=dict)


def _fit_predict_seconds(factory, X_train, X_test, y_train, repeats):
    """Best-of-``repeats`` wall time of fit + predict (or transform), after a warm-up."""
    best = np.inf
    model = None
    for _ in range(repeats + 1):  # the first run warms caches and BLAS threads
        model = factory()
        start = time.perf_counter()
        model.fit(X_train, y_train) if y_train is not None else model.fit(X_train)
        if hasattr(model, "predict"):
            model.predict(X_test)
        else:
            model.transform(X_test)
        best = min(best, time.perf_counter() - start)
    return best, model


def run_case(case: Case) -> dict:
    X_train, X_test, y_train, y_test = case.data()
    ours_s, ours_model = _fit_predict_seconds(case.ours, X_train, X_test, y_train, case.repeats)
    theirs_s, theirs_model = _fit_predict_seconds(
        case.theirs, X_train, X_test, y_train, case.repeats
    )
    ours_score = float(case.score(ours_model, X_test, y_test))
    theirs_score = float(case.score(theirs_model, X_test, y_test))
    ratio = ours_s / theirs_s
    case.results = dict(
        ours_s=ours_s,
        theirs_s=theirs_s,
        ratio=ratio,
        ours_score=ours_score,
        theirs_score=theirs_score,
        speed_ok=ratio <= case.target,
        score_ok=ours_score >= theirs_score - 0.02,
        shape=(X_train.shape, X_test.shape[0]),
    )
    return case.results


def _score(value: float) -> str:
    """Four decimals for the usual scores, significant digits for large ones."""
    return f"{value:>9.4f}" if abs(value) < 1e4 else f"{value:>9.4g}"


def format_table(cases: list[Case]) -> str:
    header = (
        f"| {'estimator':<44} | {'n_train x d':>12} | {'ours s':>8} | {'sklearn s':>9} "
        f"| {'ratio':>6} | {'target':>6} | {'our score':>9} | {'sk score':>8} | ok |"
    )
    rule = "|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|"
    lines = [header, rule]
    for case in cases:
        r = case.results
        (n, d), _ = r["shape"]
        ok = "yes" if r["speed_ok"] and r["score_ok"] else (
            "SLOW" if r["score_ok"] else ("SCORE" if r["speed_ok"] else "SLOW+SCORE")
        )
        lines.append(
            f"| {case.name:<44} | {f'{n} x {d}':>12} | {r['ours_s']:>8.4f} | {r['theirs_s']:>9.4f} "
            f"| {r['ratio']:>6.2f} | {case.target:>5.0f}x | {_score(r['ours_score'])} "
            f"| {_score(r['theirs_score']):>8} | {ok:<2} |"
        )
    notes = [f"- {c.name}: {c.note}" for c in cases if c.note]
    if notes:
        lines += ["", "Notes:"] + notes
    return "\n".join(lines)
