# The interface: make demo, make test, make lint, make fmt, make bench.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8080
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: install web web-deps browser demo serve test test-python test-postgres test-web test-e2e lint audit fmt bench bench-vs-labelstudio openapi mutation clean

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

# bandit warns "nosec encountered (B608), but no failed test" for storage/tasks.py: a bandit
# bug with f-strings (PyCQA/bandit#1204); the finding itself is suppressed with its reason.
lint: install
	$(BIN)/ruff check src tests bench mutation
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -c pyproject.toml -r src -q

# Known vulnerabilities of every locked package, from the advisories PyPI serves per release.
# --strict: a package that could not be looked up fails the audit, so it never passes unchecked.
# Not part of lint yet: this workplace's index does not serve PyPI's per-release JSON, where
# the advisories are, so here every package is "not found" (see docs/security.md).
audit: install
	@$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r requirements.lock \
	  || { echo "make audit: FAILED: a locked package has a known vulnerability (listed above)," \
	       "or its advisories could not be read; the lock is not audited." >&2; exit 1; }

fmt: install
	$(BIN)/ruff format src tests bench mutation
	$(BIN)/ruff check --fix src tests bench mutation

test-python: install
	$(BIN)/python -m pytest -q -m "not e2e" --db sqlite

test-postgres: install
	$(BIN)/python -m pytest -q -m "not e2e" --db postgres

test-web: web-deps
	cd web && npm run typecheck && npm test

test-e2e: install web browser
	$(BIN)/python -m pytest -q -m e2e tests/e2e

# The two databases' suites run side by side (one process each, on two cores); each suite's
# output is printed whole when it ends (-O).
test: lint
	$(MAKE) --no-print-directory -j2 -O test-python test-postgres test-web test-e2e

# Postil and Label Studio 1.23.2 doing the same work in one run (bench/vs_labelstudio.py);
# installs Label Studio into its own environment under bench/out/. Not part of make test.
bench-vs-labelstudio: install
	$(BIN)/python bench/vs_labelstudio.py --tasks 10000 --rounds 300 --runs 3

openapi: install
	$(BIN)/python -m postil.api.openapi > openapi.json

bench: install web browser
	$(BIN)/python bench/run.py --db sqlite
	$(BIN)/python bench/run.py --db postgres
	$(BIN)/python bench/web_bench.py --tasks 1000000
	$(BIN)/python bench/login_flood.py --db sqlite --rounds 1000
	$(BIN)/python bench/login_flood.py --db postgres --rounds 1000

# Mutation testing, out of make test (docs/mutation.md): mutmut on the Python modules that guard
# data and access, Stryker on the web editor's store, at low priority. MODULE=geometry (a group of
# mutation/modules.toml) runs one. mutmut lives in its own venv, which reads .venv's packages.
MUT_VENV := .venv-mutation
MODULE ?=

$(MUT_VENV)/.installed: $(VENV)/.installed mutation/requirements.lock
	$(BIN)/python -m venv $(MUT_VENV)
	$(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))' > \
	  "$$($(MUT_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/postil-venv.pth"
	$(MUT_VENV)/bin/pip --disable-pip-version-check -q install -c requirements.lock -r mutation/requirements.lock
	touch $@

mutation: $(MUT_VENV)/.installed web-deps
	nice -n 15 $(MUT_VENV)/bin/python mutation/run.py $(MODULE)

clean:
	rm -rf $(VENV) $(MUT_VENV) .mutation web/node_modules web/dist src/postil/api/static .postil .postil-demo
