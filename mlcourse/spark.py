"""Apache Spark for notebook 18: one quiet local session, or a clear message saying what to install.

Spark runs on the Java virtual machine: PySpark starts a JVM in the background and talks to it.
Spark 4 needs Java 17 or newer. :func:`start_session` checks that first, so a machine without
Java gets one paragraph naming the fix (shown by Jupyter without a traceback) instead of
a page of Java errors. ``mlcourse doctor`` runs the same check.

The session is set up for a laptop: the master is ``local[2]`` (Spark's driver and executors
in one JVM, two worker threads), the web UI is off, there are a few shuffle partitions instead
of Spark's default 200, the logs show warnings only and go to a file (:func:`log_path`), not
under the notebook's cells, and everything binds to 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

MIN_JAVA = 17
JAVA_DOCS = "docs/java.md"
JAVA_FIX = (
    "install a Java runtime 17 or newer, then restart the kernel. "
    "Linux (Debian, Ubuntu): `sudo apt install openjdk-17-jre-headless`; "
    "Fedora: `sudo dnf install java-17-openjdk-headless`; "
    "macOS: `brew install --cask temurin@17`; "
    "Windows: `winget install EclipseAdoptium.Temurin.17.JRE`; "
    "conda: `conda install -c conda-forge openjdk=17`. "
    f"Details in {JAVA_DOCS}"
)

# The message PySpark prints on every pandas conversion while pandas 3 is newer than the
# versions it was released against. The course's tests run every conversion notebook 18
# uses (createDataFrame, toPandas, applyInPandas) on the course's pandas.
_PANDAS_WARNING = r"PySpark does not yet fully support pandas"


class SparkUnavailable(RuntimeError):
    """Spark cannot start on this machine; the message says why and how to fix it."""

    def _render_traceback_(self):
        # IPython shows these lines in place of a traceback: the learner needs the fix,
        # not the call stack of the course's helper.
        return [f"Spark is not available: {self}"]


def find_java() -> str | None:
    """The ``java`` executable Spark will run: ``$JAVA_HOME/bin/java`` if set, else the PATH's."""
    home = os.environ.get("JAVA_HOME")
    if home:
        name = "java.exe" if sys.platform == "win32" else "java"
        candidate = Path(home) / "bin" / name
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def java_major_version(java: str) -> int | None:
    """Major version of a ``java`` executable (``1.8.0_392`` -> 8, ``17.0.15`` -> 17)."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1:  # the old scheme: 1.8 is Java 8
        major = int(match.group(2) or 0)
    return major


def java_problem() -> str | None:
    """Why Spark's Java will not do (without the fix), or ``None`` when it is fine."""
    java = find_java()
    if java is None:
        if os.environ.get("JAVA_HOME"):
            return (f"JAVA_HOME is {os.environ['JAVA_HOME']!r}, but there is no bin/java in it "
                    "(correct or unset JAVA_HOME)")
        return "no Java found (no `java` on the PATH and JAVA_HOME is not set)"
    major = java_major_version(java)
    if major is None:
        return f"could not run `{java} -version` to read its version"
    if major < MIN_JAVA:
        return f"{java} is Java {major}; Spark 4 needs Java {MIN_JAVA} or newer"
    return None


def java_summary() -> str:
    """One line for ``mlcourse doctor`` when Java is fine: which one, which version."""
    java = find_java()
    return f"Java {java_major_version(java)} at {java}" if java else "no Java"


def _log4j_config(folder: Path) -> Path:
    """A log4j2 file that keeps the JVM's start-up chatter out of the notebook."""
    path = folder / "log4j2.properties"
    text = "\n".join([
        "rootLogger.level = warn",
        "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.target = SYSTEM_ERR",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex",
        # noise that says nothing about the learner's code
        "logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader",
        "logger.hadoop.level = error",
        "logger.blas.name = dev.ludovic.netlib",
        "logger.blas.level = error",
        "logger.mlinfo.name = org.apache.spark.ml.util.Instrumentation",
        "logger.mlinfo.level = error",
        "",
    ])
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


def start_session(app_name: str = "mlcourse", *, master: str = "local[2]",
                  shuffle_partitions: int = 4, log_level: str = "WARN", **conf):
    """Start (or return the running) local Spark session, quietly.

    Parameters
    ----------
    app_name : str
        The application's name (what a cluster's UI would list).
    master : str
        Where to run: ``"local[2]"`` is one JVM with two worker threads; on a cluster this is
        ``"spark://host:7077"``, ``"yarn"`` or ``"k8s://..."`` (notebook 18, section 7).
    shuffle_partitions : int
        ``spark.sql.shuffle.partitions``: the partitions after a shuffle. Spark's default, 200,
        suits a cluster; on a laptop each empty partition is pure overhead.
    log_level : str
        The JVM's log level for the session.
    **conf
        More Spark settings, with dots written as ``__`` (``spark__driver__memory="2g"``).

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    SparkUnavailable
        No Java 17+, or PySpark is not installed; the message names the fix.
    """
    problem = java_problem()
    if problem is not None:
        raise SparkUnavailable(f"{problem}. Fix: {JAVA_FIX}")
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(
            f"PySpark is not installed ({error}). Fix: run `make setup` in the course folder, "
            "then restart the kernel"
        ) from error

    warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
    # Spark's Python workers must run this Python (the course's venv), not the first
    # `python3` on the PATH, or they will not find pandas and pyarrow.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    local = master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

    work = log_path().parent
    work.mkdir(parents=True, exist_ok=True)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.warehouse.dir": str(work / "warehouse"),
        "spark.sql.debug.maxToStringFields": "200",
        "spark.driver.extraJavaOptions": f"-Dlog4j.configurationFile={_log4j_config(work)}",
    }
    if local:
        settings["spark.driver.host"] = "127.0.0.1"
        settings["spark.driver.bindAddress"] = "127.0.0.1"
        # A short session on a laptop: the quick (C1) JIT compiler only and the serial
        # garbage collector take about half the CPU time of the JVM's defaults, which suit
        # long jobs on big machines.
        settings["spark.driver.extraJavaOptions"] += " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    settings.update({key.replace("__", "."): str(value) for key, value in conf.items()})

    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = _get_or_create_logging_to(builder, log_path())
    spark.sparkContext.setLogLevel(log_level)
    return spark


def log_path() -> Path:
    """The file that receives the Spark JVM's own output (its log, native-library notices)."""
    from mlcourse.datasets import cache_dir

    return cache_dir() / "spark" / "spark.log"


def _get_or_create_logging_to(builder, path: Path):
    """``builder.getOrCreate()``, with a newly launched JVM writing its output to ``path``.

    The JVM inherits the standard error of the Python process that starts it. In Jupyter
    that stream is shown under the cell, so a Java warning about a native library would
    appear in the notebook. While the JVM is launched, file descriptor 2 points at the log
    file; the JVM (and the Python workers it starts) keep writing there, and this process gets
    its own standard error back at once.
    """
    from pyspark import SparkContext

    if SparkContext._gateway is not None:  # the JVM is running already
        return builder.getOrCreate()
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    start = path.stat().st_size if path.is_file() else 0
    try:
        with open(path, "ab") as log:
            os.dup2(log.fileno(), 2)
            return builder.getOrCreate()
    except Exception as error:  # the JVM did not start: its own words are in the log
        with open(path, "rb") as log:
            log.seek(start)
            said = log.read().decode(errors="replace").strip().splitlines()[-5:]
        raise SparkUnavailable(
            f"Spark did not start ({type(error).__name__}: {error}). The JVM's last words, "
            f"from {path}: " + (" | ".join(said) or "(nothing)")
            + f". Check the Java installation with `mlcourse doctor`; see {JAVA_DOCS}"
        ) from error
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def active_session():
    """The running Spark session, or a new local one (for checks run outside notebook 18)."""
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    return spark if spark is not None else start_session(master="local[1]")
