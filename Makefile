# rdec — the two commands first: `make demo` runs the demo, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
WORKERS ?= 2

.PHONY: demo test setup lint format messages openapi bench screenshots clean

demo: setup
	$(BIN)/rdec demo --port $(PORT)

# two workers (the CI machine has 2 cores): the browser tests in two groups, one per worker, each with its
# own demo server; the 25 slowest tests listed at the end (to rebalance the groups or find a slow test)
test: setup lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --durations=25

setup: $(BIN)/rdec rdec/core/static/vendor/htmx.min.js

$(BIN)/rdec: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/rdec

rdec/core/static/vendor/htmx.min.js: package.json package-lock.json scripts/vendor.sh
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_translations.py

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: setup
	cd rdec && ../$(BIN)/rdec makemessages -l zh_Hant -l en --no-obsolete
	$(BIN)/python scripts/check_translations.py || true
	@echo "Translate the new zh_Hant entries in rdec/locale/zh_Hant/LC_MESSAGES/django.po, then: cd rdec && ../$(BIN)/rdec compilemessages"

openapi: setup
	$(BIN)/rdec spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

bench: setup
	$(BIN)/python bench/run.py

# docs/screenshots/: the main pages per role at 1366 px and 390 px, on a fresh standard demo
screenshots: setup
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules rdec/core/static/vendor test-artifacts build dist
