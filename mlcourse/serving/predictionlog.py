"""A prediction log in SQLite, written by a background thread.

A request must not wait for the disk: the service puts each batch of predictions on a queue
and returns; one writer thread takes batches off the queue and appends them to the table
``predictions`` in one transaction per handful of batches. Notebook 17 reads such a log to
watch for drift.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    logged_at REAL NOT NULL,
    model_version TEXT NOT NULL,
    features TEXT NOT NULL,
    prediction REAL NOT NULL
)
"""
_STOP = object()


class PredictionLog:
    """Append predictions to ``path`` (SQLite) from a background thread.

    ``log(version, columns, values, predictions)`` only puts one item on a queue; call
    ``flush()`` to wait until everything queued is on disk and ``close()`` at shutdown.
    """

    def __init__(self, path, *, max_queue: int = 10_000):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dropped = 0
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        with sqlite3.connect(self.path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
        self._thread = threading.Thread(target=self._write, name="prediction-log", daemon=True)
        self._thread.start()

    def log(self, model_version: str, columns: dict[str, list], predictions) -> None:
        """Queue one batch: ``columns`` maps each input column to its values."""
        item = (time.time(), model_version, columns, [float(p) for p in predictions])
        try:
            self._queue.put_nowait(item)
        except queue.Full:  # the disk cannot keep up: count the loss, never block a request
            self.dropped += len(item[3])

    def _write(self) -> None:
        connection = sqlite3.connect(self.path, check_same_thread=False)
        # WAL with synchronous=NORMAL: no fsync per transaction, and still never a corrupt
        # file (a power cut may lose the last few batches, which a log can afford).
        connection.execute("PRAGMA synchronous=NORMAL")
        try:
            while True:
                items = [self._queue.get()]
                while len(items) < 256:  # take whatever else is waiting: one transaction
                    try:
                        items.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = any(item is _STOP for item in items)
                records = []
                for item in items:
                    if item is _STOP:
                        continue
                    logged_at, version, columns, predictions = item
                    names = list(columns)
                    for i, prediction in enumerate(predictions):
                        row = {name: columns[name][i] for name in names}
                        records.append((logged_at, version, json.dumps(row), prediction))
                if records:
                    with connection:
                        connection.executemany(
                            "INSERT INTO predictions (logged_at, model_version, features, "
                            "prediction) VALUES (?, ?, ?, ?)", records)
                for _ in items:
                    self._queue.task_done()
                if stop:
                    return
        finally:
            connection.close()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) until every queued prediction is written."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        """Write what is queued, then stop the writer thread."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout=10)

    def count(self) -> int:
        """How many predictions are on disk now."""
        with sqlite3.connect(self.path) as connection:
            return connection.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
