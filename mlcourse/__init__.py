"""mlcourse: the helper package of the course.

The estimators live in modules named as in scikit-learn (``mlcourse.linear_model``,
``mlcourse.tree``, ...). The course machinery (``datasets``, ``plotting``, ``exercises``,
the command line) sits beside them. Every notebook starts with::

    import mlcourse; mlcourse.setup()
"""

__version__ = "0.1.0"


def setup(seed: int = 0, *, quiet: bool = False):
    """Prepare a notebook: seeds, plot style and a quick environment check.

    See :func:`mlcourse._setup.setup`.
    """
    from mlcourse._setup import setup as _setup

    return _setup(seed=seed, quiet=quiet)
