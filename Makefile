# Two entry points: `make run` (demo on SQLite, no servers) and `make test` (the suite on
# PostgreSQL and Redis). Both create the virtualenv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`; each has its own test database and Redis database.
TEST_WORKERS ?= 2

.PHONY: run test lint schema-lint format migrate seed worker clean pdf-libs

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python pdf-libs
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python pdf-libs
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   (logins above; demo.patient is the patient"
	@echo "          with six weeks of history, named above; Ctrl-C stops web and worker)"
	@echo ""
	@$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
		--schedule=var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	@$(MAKE) --no-print-directory schema-lint
	@# An in-memory database: the check compares models with migration files, not a server.
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite://:memory: \
		$(BIN)/python manage.py makemigrations --check --dry-run
	@# Chromium for tests/browser, installed before pytest starts (or a loud warning).
	@sh tests/browser/ensure-chromium
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	@$(MAKE) --no-print-directory schema-lint

# WeasyPrint, which makes the superbills' PDFs, loads Pango and HarfBuzz from the system
# at run time: Debian's packages, installed (as nodejs below) when missing.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
		[ "$$(id -u)" -ne 0 ] || { echo "Installing Debian's $(PDF_LIBS) (apt-get)..."; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(PDF_LIBS) >/dev/null || \
		{ apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(PDF_LIBS) >/dev/null; }; }
	@command -v dpkg >/dev/null 2>&1 && ! dpkg -s $(PDF_LIBS) >/dev/null 2>&1 && \
		echo "WARNING: superbill PDFs need Pango and HarfBuzz ($(PDF_LIBS))." >&2 || true

# Redocly CLI (pinned in package-lock.json) for the schema lint, installed again when the
# lock file changes.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
		[ "$$(id -u)" -ne 0 ] || { echo "Installing Debian's nodejs and npm (apt-get)..."; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null || \
		{ apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; }; }
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
		echo "ERROR: node and npm are needed for the schema lint (Redocly CLI):" >&2; \
		echo "       install Node.js 20.19+ or 22.12+ with npm, then run make again." >&2; \
		exit 1; }
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)' || { \
		echo "ERROR: Node.js $$(node --version) is too old for Redocly CLI;" >&2; \
		echo "       install Node.js 20.19+ or 22.12+, then run make again." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# The schema the API serves, with drf-spectacular's own checks at zero warnings, then
# Redocly's recommended rules (redocly.yaml) at zero errors.
schema-lint: $(VENV)/.dev node_modules/.installed
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular \
		--validate --fail-on-warn --file var/openapi.yaml
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		node_modules/.bin/redocly lint --config redocly.yaml var/openapi.yaml

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles
