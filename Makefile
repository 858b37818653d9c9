# Two commands do everything on a fresh machine that has python3:
#   make lab    set up, then open JupyterLab on the course
#   make test   set up, then run every test (what CI runs)
# For workshops: make wheelhouse (every package, for an offline set-up), make site (the website).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.mlcourse-installed
PYTEST_WORKERS ?= 2

.PHONY: setup lab test test-fast lint notebooks constraints benchmark doctor clean wheelhouse site

# --- Workshop kit: an offline set-up and the course as a website ---------------------------------
# With a wheelhouse/ folder (from `make wheelhouse`, e.g. copied from a USB stick), every install
# below takes its packages from there and never from the internet. WHEELHOUSE=path picks another.
WHEELHOUSE ?= wheelhouse
PIP_FROM   := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE))
SITE_STAMP := $(VENV)/.mlcourse-site-installed

# Every pinned package (constraints.txt) for Linux, macOS and Windows: see tools/wheelhouse.py.
wheelhouse: setup
	$(BIN)/python tools/wheelhouse.py $(WHEELHOUSE)

# The optional site tooling (Jupyter Book), not part of a learner's set-up; make test needs it.
$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_FROM) -c constraints.txt -e ".[dev,site]"
	@touch $(SITE_STAMP)

# The course as a static website, every learner notebook run: build/site/_build/html/index.html
site: $(SITE_STAMP)
	$(SINGLE_THREAD) $(BIN)/python tools/build_site.py
# ---------------------------------------------------------------------------------------------

# Set-up runs again only when the dependency files change, so a second `make` is fast.
$(STAMP): pyproject.toml constraints.txt lab-settings/overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_FROM) --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_FROM) -c constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name mlcourse --display-name "Python (mlcourse)"
	$(BIN)/python lab-settings/install.py
	@touch $(STAMP)
	@echo "Set-up done: the course's environment is in $(VENV)/."

setup: $(STAMP)

lab: setup
	$(BIN)/mlcourse lab

# One BLAS thread per process: the two test workers (and their notebook kernels) already use
# both cores, and oversubscribed BLAS threads make small matrix products hundreds of times slower.
SINGLE_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# Every test: the lint, the package, scikit-learn's estimator checks, the authoring drift check,
# the grader on every solution, and every learner notebook run by nbval (each exercise "not
# attempted": conftest.py).
test: lint $(SITE_STAMP)
	$(SINGLE_THREAD) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests notebooks --nbval-lax -p no:cacheprovider

# The package tests only (no notebook executed): for quick feedback while editing.
test-fast: setup
	$(SINGLE_THREAD) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests -m "not notebooks" -p no:cacheprovider

lint: setup
	$(BIN)/ruff check mlcourse tests benchmarks tools conftest.py

notebooks: setup
	$(BIN)/mlcourse author

doctor: setup
	$(BIN)/mlcourse doctor

benchmark: setup
	$(BIN)/python benchmarks/run.py

# Authors, after changing dependencies in pyproject.toml: record the versions that pass.
constraints:
	$(BIN)/python -m pip install --quiet -e ".[dev,site]"
	@{ echo "# The exact versions the course is tested with (make setup installs them; mlcourse doctor checks them)."; \
	   echo "# Regenerate after changing dependencies: make constraints"; \
	   $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e'; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache
