# HireLadder: `make run` to try it, `make test` to check it.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test test-fast fuzz lint bench bench-scale bench-load venv system-check browser db-upgrade demo clean help

help:
	@echo "make run    set up (venv, install, migrate, demo data), serve on 127.0.0.1:$(PORT) with a mail worker"
	@echo "make test   set up and run the whole test suite (unit, web, migrations, browser)"
	@echo "make fuzz   the API against its OpenAPI document, with many generated requests"
	@echo "make lint   ruff, and mypy --strict on ladder/ and pipelines/"
	@echo "make bench  performance figures"
	@echo "make bench-scale  every list at 10k and 100k applications on PostgreSQL (SIZES=...)"
	@echo "make bench-load   a scaled-out deployment under load, with failures midway"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "HireLadder needs Python 3.11 or newer (python3.11 not found)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-check: venv
	@sh scripts/ensure_debian_packages.sh $(SYSTEM_PACKAGES)
	@$(BIN)/python scripts/check_system.py

db-upgrade: system-check
	$(BIN)/flask db upgrade

# Links in the demo's messages point at the server `make run` starts.
demo run: export HIRELADDER_BASE_URL ?= http://127.0.0.1:$(PORT)

demo: db-upgrade
	$(BIN)/flask demo load

# The web server and a mail worker, side by side (scripts/Procfile.dev); honcho gives the
# first process PORT and stops both on Ctrl-C or when either stops.
run: demo
	@echo ""
	@echo "HireLadder is starting on http://127.0.0.1:$(PORT)/ with a mail worker (Ctrl-C stops both)."
	@$(BIN)/flask demo first-steps --url http://127.0.0.1:$(PORT)/
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --procfile scripts/Procfile.dev --app-root . start --port $(PORT)

browser:
	@sh scripts/ensure_chromium.sh

# In parallel, one worker per core (pytest-xdist); each worker has a database of its own.
test: system-check browser
	$(BIN)/python -m pytest -n auto

# Everything but the browser tests.
test-fast: system-check
	$(BIN)/python -m pytest -n auto -m "not e2e"

# The suite's fuzzing test with many more examples per operation (FUZZ_EXAMPLES), on the
# database TEST_DATABASE_URL names (SQLite when unset).
FUZZ_EXAMPLES ?= 300
fuzz: system-check
	HIRELADDER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n 1 -p no:cacheprovider tests/web/test_api_fuzz.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy --strict ladder pipelines

# Every bench/*.py but the two that need PostgreSQL and take longer (bench-scale, bench-load).
bench: system-check
	@sh scripts/ensure_debian_packages.sh wrk
	@for script in bench/*.py; do \
		case $$script in bench/scale.py|bench/load.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Every list and page at 10k and 100k applications on PostgreSQL (SIZES=10000,100000,1000000
# adds a million; the databases are generated once and kept). BENCH_SERVER names the server.
SIZES ?= 10000,100000
BENCH_SERVER ?= postgresql://postgres@127.0.0.1:5432/postgres
bench-scale: system-check
	$(BIN)/python bench/scale.py --sizes $(SIZES) --server $(BENCH_SERVER) --explain

# Several gunicorn processes and a worker on one PostgreSQL under a mixed load, with a
# process killed and the database connections dropped midway; counts lost writes.
bench-load: system-check
	$(BIN)/python bench/load.py --server $(BENCH_SERVER)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
