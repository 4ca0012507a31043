# The interface: make demo, make test, make lint, make fmt, make bench.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8080
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: install web web-deps browser demo serve test test-python test-postgres test-web test-e2e lint fmt bench openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web-deps: web/node_modules/.installed

web: web-deps
	cd web && npm run build

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

demo: install web
	$(BIN)/postil demo --host $(HOST) --port $(PORT)

serve: install web
	$(BIN)/postil serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test-python: install
	$(BIN)/python -m pytest -q -m "not e2e" --db sqlite

test-postgres: install
	$(BIN)/python -m pytest -q -m "not e2e" --db postgres

test-web: web-deps
	cd web && npm run typecheck && npm test

test-e2e: install web browser
	$(BIN)/python -m pytest -q -m e2e tests/e2e

test: lint test-python test-postgres test-web test-e2e

openapi: install
	$(BIN)/python -m postil.api.openapi > openapi.json

bench: install web browser
	$(BIN)/python bench/run.py --db sqlite
	$(BIN)/python bench/run.py --db postgres
	$(BIN)/python bench/web_bench.py --tasks 1000000

clean:
	rm -rf $(VENV) web/node_modules web/dist src/postil/api/static .postil .postil-demo
