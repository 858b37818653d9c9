"""Run the service: in this process (``mlcourse serve``) or as a child process (notebooks,
tests and the benchmark), always on a port the operating system confirms is free."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; port 0 lets the operating system pick a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # sockets that say they are TCP. Without it each response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(app, host: str = "127.0.0.1", port: int = 8000, *, announce=print) -> None:
    """Serve ``app`` with uvicorn until interrupted; announce the URL once listening."""
    import uvicorn
    from threadpoolctl import threadpool_limits

    # One thread per prediction: a request of a few rows gains nothing from OpenMP or BLAS
    # threads, and their idle spinning costs a lot on a busy machine.
    threadpool_limits(1)
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    announce(f"Serving on http://{shown}:{actual}  (Ctrl+C to stop)")
    sys.stdout.flush()
    server.run(sockets=[sock])


class Service:
    """``mlcourse serve`` in a child process; ``url`` once it answers, ``stop()`` to end it.

    Use as a context manager, or call :meth:`stop` (also called when Python exits).

    Parameters
    ----------
    model_path : path, optional
        The ``.skops`` file; by default the course's bike-demand model.
    log_path : path, optional
        The SQLite prediction log (default: in the course cache).
    timeout : float
        Seconds to wait for the service to answer ``/health``.
    """

    def __init__(self, model_path=None, *, host: str = "127.0.0.1", log_path=None,
                 timeout: float = 60.0):
        command = [sys.executable, "-m", "mlcourse", "serve", "--host", host, "--port", "0"]
        if model_path is not None:
            command.insert(4, str(model_path))
        if log_path is not None:
            command += ["--prediction-log", str(log_path)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=env)
        self.url = self._wait_for_url(timeout)
        self._drain = threading.Thread(target=self._read_rest, daemon=True)
        self._drain.start()
        self._wait_healthy(timeout)

    def _wait_for_url(self, timeout: float) -> str:
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(timeout)
        line = found[0] if found else ""
        if "http://" not in line:
            self.process.kill()
            error = self.process.stderr.read().strip().splitlines()
            raise RuntimeError("the service did not start: "
                               + (error[-1] if error else line.strip() or "no output"))
        return "http://" + line.split("http://", 1)[1].split()[0]

    def _read_rest(self) -> None:
        for _ in self.process.stdout:
            pass

    def _wait_healthy(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the service at {self.url} did not answer /health in {timeout} s")

    def stop(self) -> int:
        """Stop the service (SIGTERM, then SIGKILL after 10 s); returns its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self):
        state = "running" if self.process.poll() is None else "stopped"
        return f"Service({self.url}, {state}, pid {self.process.pid})"


def default_model_path() -> Path:
    from mlcourse.serving.bike import bike_model_path

    return bike_model_path()
