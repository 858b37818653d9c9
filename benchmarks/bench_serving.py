"""The prediction service over loopback: latency and throughput against the course's targets.

    python benchmarks/bench_serving.py       (also run by benchmarks/run.py)

Starts ``mlcourse serve`` (the course's bike-demand model) on a free port on 127.0.0.1,
sends a bounded number of requests (about 1,300; at most a minute or so on a busy laptop),
prints one table, and stops the service. Targets: one client sending one row, median latency
at most 10 ms; 8 concurrent clients, at least 150 requests/s with no error; a 1,000-row
request answered within 0.5 s (median of 5).
"""

from __future__ import annotations

import sys
import time

import numpy as np

CASES: list = []  # no estimator comparison here: run.py calls report() instead


def measure() -> list[tuple[str, str, str, bool]]:
    from mlcourse.serving import Service, bike_data, bike_model_path, load_artefact
    from mlcourse.serving.loadtest import in_process, latencies, throughput

    path = bike_model_path()
    artefact = load_artefact(path)
    _, X_test, _, _ = bike_data()
    one = X_test.iloc[:1]
    thousand = X_test.iloc[:1000]
    rows_1 = one.to_dict(orient="records")
    rows_1000 = thousand.to_dict(orient="records")
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # as the service runs it
        local = in_process(artefact.model, one, n=200)
    with Service(path) as service:
        single = latencies(service.url, rows_1, n=300)
        concurrent = throughput(service.url, rows_1, clients=8, requests_per_client=100)
        big = latencies(service.url, rows_1000, n=5, warmup=1)
    ms = 1000
    return [
        ("in-process predict, 1 row (p50)", f"{np.median(local) * ms:.2f} ms", "reference",
         True),
        ("1 client, 1 row: p50 latency", f"{np.median(single) * ms:.2f} ms", "<= 10 ms",
         np.median(single) <= 0.010),
        ("1 client, 1 row: p95 latency", f"{np.percentile(single, 95) * ms:.2f} ms", "-", True),
        ("8 clients, 1 row: throughput",
         f"{concurrent['requests_per_s']:.0f} req/s, {concurrent['errors']} errors",
         ">= 150 req/s, 0 errors",
         concurrent["requests_per_s"] >= 150 and concurrent["errors"] == 0),
        ("8 clients: p95 latency",
         f"{np.percentile(concurrent['latencies'], 95) * ms:.1f} ms", "-", True),
        ("1,000 rows in one request (median of 5)", f"{np.median(big) * ms:.0f} ms", "<= 500 ms",
         np.median(big) <= 0.5),
    ]


def report() -> str:
    start = time.perf_counter()
    rows = measure()
    width = max(len(r[0]) for r in rows)
    lines = [f"{'serving (loopback)':<{width}}  {'measured':<26}  {'target':<24}  ok",
             "-" * (width + 58)]
    lines += [f"{name:<{width}}  {got:<26}  {target:<24}  {'yes' if ok else 'NO'}"
              for name, got, target, ok in rows]
    lines.append(f"({time.perf_counter() - start:.0f} s in all)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
    sys.exit(0)
