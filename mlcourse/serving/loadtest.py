"""Small, bounded load tests of a running service over loopback (notebook 16, benchmarks).

Each function sends a fixed number of requests, so it ends in bounded time whatever the
service does; a request that fails or takes longer than ``timeout`` is counted as an error.
"""

from __future__ import annotations

import threading
import time

import numpy as np


def latencies(url: str, rows: list[dict], n: int = 200, *, warmup: int = 10,
              timeout: float = 10.0) -> np.ndarray:
    """Seconds per ``POST /predict`` of ``rows``, one client, ``n`` requests in a row."""
    import httpx

    body = {"rows": rows}
    times = []
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for i in range(warmup + n):
            start = time.perf_counter()
            response = client.post("/predict", json=body)
            elapsed = time.perf_counter() - start
            response.raise_for_status()
            if i >= warmup:
                times.append(elapsed)
    return np.array(times)


def throughput(url: str, rows: list[dict], *, clients: int = 8, requests_per_client: int = 100,
               timeout: float = 10.0) -> dict:
    """``clients`` threads, each with its own connection, each sending a fixed number of
    requests. Returns requests per second over the whole run, the error count and latencies."""
    import httpx

    body = {"rows": rows}
    errors = [0] * clients
    times: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def client_loop(k: int) -> None:
        with httpx.Client(base_url=url, timeout=timeout) as client:
            client.get("/health")  # connect before the clock starts
            barrier.wait()
            for _ in range(requests_per_client):
                start = time.perf_counter()
                try:
                    ok = client.post("/predict", json=body).status_code == 200
                except httpx.HTTPError:
                    ok = False
                times[k].append(time.perf_counter() - start)
                errors[k] += not ok

    threads = [threading.Thread(target=client_loop, args=(k,), daemon=True)
               for k in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    total = clients * requests_per_client
    return {"requests": total, "seconds": elapsed, "requests_per_s": total / elapsed,
            "errors": sum(errors), "latencies": np.concatenate([np.array(t) for t in times])}


def in_process(model, X, n: int = 200, *, warmup: int = 10) -> np.ndarray:
    """Seconds per ``model.predict(X)`` in this process: the floor under any service."""
    times = []
    for i in range(warmup + n):
        start = time.perf_counter()
        model.predict(X)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return np.array(times)
