"""The course's machinery that no notebook imports.

- :mod:`~mlcourse._machinery.cli`: the ``mlcourse`` command line (also ``python -m mlcourse``);
- :mod:`~mlcourse._machinery.grading`: ``mlcourse grade``, executing notebooks and scoring them;
- :mod:`~mlcourse._machinery.reset`: ``mlcourse reset``, a fresh copy of a learner notebook;
- :mod:`~mlcourse._machinery.lab`: ``mlcourse lab``, JupyterLab on the course;
- :mod:`~mlcourse._machinery.setup`: what ``mlcourse.setup()`` does in a notebook's first cell;
- :mod:`~mlcourse._machinery.environment`: what the course needs from the machine and where
  the course is, checked the same way by ``setup()``, ``mlcourse doctor`` and the grader.

What notebooks do import stays beside the library at the top of ``mlcourse``:
``mlcourse.doctor`` (notebooks 00 and 21 run its checks) and ``mlcourse.authoring``
(notebook 21 strips a notebook with it) among them. The leading underscore says that
nothing here is an interface for learners; ``tests/test_architecture.py`` holds the layout
to that.
"""
