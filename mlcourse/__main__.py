"""``python -m mlcourse ...``: the ``mlcourse`` command line, for when its script is not on PATH."""

from mlcourse._machinery.cli import main

raise SystemExit(main())
