"""mlcourse: the helper package of the course.

The folder shows its two layers:

- the library: the estimators, metrics and model selection, in subpackages named as in
  scikit-learn (``mlcourse.linear_model``, ``mlcourse.tree``, ..., and ``mlcourse.utils``
  for what they share). It imports nothing of the course around it;
- the course: what the notebooks import, beside the library (``datasets``, ``exercises``,
  ``plotting``, ``serving``, ...), and ``mlcourse._machinery``, which no notebook imports:
  the ``mlcourse`` command line, the grader and the environment checks.

Every notebook starts with::

    import mlcourse; mlcourse.setup()
"""

__version__ = "0.1.0"


def setup(seed: int = 0, *, quiet: bool = False) -> None:
    """Prepare a notebook: seeds, plot style and a quick environment check.

    See :func:`mlcourse._machinery.setup.setup`.
    """
    from mlcourse._machinery.setup import setup as _setup

    return _setup(seed=seed, quiet=quiet)
