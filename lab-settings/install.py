"""Install the course's JupyterLab settings into the running Python's environment.

    python lab-settings/install.py      (`make setup` runs it with the course's Python)

Copies overrides.json, beside this file, to ``<environment>/share/jupyter/lab/settings/``,
where JupyterLab reads the defaults that a learner's own settings can still change:
no "official Jupyter news" pop-up and no update check (both would reach the internet), no
extension manager (it searches the internet too, and a workshop needs no extensions), and a
notebook's kernel is shut down when its tab is closed, so a day of notebooks does not fill a
laptop's memory with idle kernels.
"""

import shutil
import sys
from pathlib import Path

source = Path(__file__).resolve().with_name("overrides.json")
target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
target.parent.mkdir(parents=True, exist_ok=True)
shutil.copyfile(source, target)
print(f"JupyterLab settings installed: {target}")
