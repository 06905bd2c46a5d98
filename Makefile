# The two commands: `make run` serves the demo portal, `make test` runs the suite.
PY := .venv/bin/python
PYTEST := .venv/bin/pytest --ckan-ini=config/test.ini

.PHONY: run test lint compat bench

run:
	bash deploy/setup.sh run

test:
	bash deploy/setup.sh test
	.venv/bin/ruff check .
	$(PYTEST) tests --durations=25

lint:
	.venv/bin/ruff check .

# CKAN's and the extensions' own search tests, run from the installed packages on the embedded engine.
compat:
	bash deploy/setup.sh test
	$(PY) tests/compat/run.py

bench:
	$(PY) bench/search.py --datasets 1000
