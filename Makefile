# The kit's single entry point. `make serve` and `make test` each create the local virtual
# environment (.venv) on first use and reuse it after; it is rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.installed
PORT ?= 8866
# Serving (kit/serve.py): one kernel waits per app for one coach; TEAM=1 serves a team (more kernels
# per app, docs/deployment.md); POOL=n keeps n waiting for every app instead (POOL=0: none).
TEAM ?=
POOL ?=

# Python keeps compiled modules in __pycache__ (ignored by git) for every command here, even where the
# machine's environment says not to: each test worker, kernel and served app would otherwise compile
# the kit and the tests again (half of a test worker's start-up).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: serve test lab notebooks generated benchmark clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(READY)

## Serve every stage notebook as a no-code Voila app (bound to 127.0.0.1; settings in voila.json).
serve: $(READY)
	@echo "Starting the apps: open the address printed below in your browser once it appears (Ctrl+C stops them)."
	$(BIN)/python -m kit.serve --port=$(PORT) $(if $(TEAM),--team) $(if $(POOL),--pool=$(POOL))

## Run every test: unit, widget, notebooks (nbval) and browser tests; PostgreSQL store tests when it is installed.
test: $(READY)
	KIT_TEST_POSTGRES_URL="$$(scripts/test-postgres)" $(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg tests notebooks

## Open the guided notebooks in JupyterLab.
lab: $(READY)
	$(BIN)/jupyter lab notebooks --ServerApp.ip=127.0.0.1

## Re-run the notebooks to refresh their stored outputs (after changing what a notebook shows).
notebooks: $(READY)
	$(BIN)/python scripts/run_notebooks.py

## Rewrite everything generated from the schema and the seeded generator.
generated: $(READY)
	$(BIN)/python -m kit.templates
	$(BIN)/python -m kit.sample data/sample

## Print speed and memory figures.
benchmark: $(READY)
	$(BIN)/python benchmarks/generator.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
