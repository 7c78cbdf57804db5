# Two commands on a fresh machine: `make run` and `make test` (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
REDIS_PORT ?= 6379
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils

.PHONY: setup system-deps redis bench-deps translations migrate demo run serve test test-sqlite test-postgres lint bench bench-quick mutate clean

setup: $(STAMP) translations

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

# Debian packages the PDFs (CJK fonts) and the browser tests (chromium) need; installed only when missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# A local Redis for the shared rate-limit counters (make serve, the scale-out test): Debian's
# redis-server, installed when missing, started without persistence when nothing answers on REDIS_PORT.
redis:
	@command -v redis-server >/dev/null || { \
	  echo "installing: redis-server"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; }
	@redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1 || { \
	  echo "starting redis-server on 127.0.0.1:$(REDIS_PORT)"; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port $(REDIS_PORT) --save '' --appendonly no; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.5; done; }

translations: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

migrate: setup
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load
	$(FLASK) demo publish

run: system-deps demo
	SUPERVISION_SCHEDULER=on SESSION_COOKIE_SECURE=0 $(FLASK) run --host $(HOST) --port $(PORT)

# The production shape on this machine: gunicorn (WORKERS processes) and the scheduler as its own
# process, rate limits counted in Redis, on DATABASE_URL (PostgreSQL) when set, else instance/ SQLite.
# Ctrl-C stops both. Without TLS here, so the session cookie is allowed over plain HTTP.
serve: system-deps migrate redis
	@export RATELIMIT_STORAGE_URI="$${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:$(REDIS_PORT)/0}" \
	  SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE:-0}"; \
	echo "database: $${DATABASE_URL:-instance/supervision.db (SQLite)}; rate limits: $$RATELIMIT_STORAGE_URI"; \
	$(FLASK) scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: setup system-deps lint test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ] || [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL leg skipped (set TEST_DATABASE_URL or CI=true to run it)"; fi

test-sqlite: setup
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: setup redis
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect('$(subst +psycopg,,$(or $(TEST_DATABASE_URL),$(PG_TEST_URL)))').close()" \
	  || { echo "PostgreSQL is not reachable at $(or $(TEST_DATABASE_URL),$(PG_TEST_URL))"; exit 1; }
	TEST_DATABASE_URL=$(or $(TEST_DATABASE_URL),$(PG_TEST_URL)) $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

# The load generator of the HTTP intake case (benchmarks/http_load.py falls back to Python threads without it).
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null \
	  || echo "wrk not installed: the HTTP case uses Python threads"; }

# Full benchmarks (1,000,000 complaints; see BENCHMARKS.md). Ratios only, never pass/fail.
bench: setup translations bench-deps
	$(BIN)/python -m benchmarks.run

# Small data, short rounds; the last line is the one summary line of ratios (CI prints it).
bench-quick: setup translations bench-deps
	$(BIN)/python -m benchmarks.run --quick

# Mutation testing of the domain rules (slow; not in CI): `make mutate` or `make mutate MODULE=path.py`;
# QUICK=1 stops after the first pass (README, "Mutation testing").
# system-deps: the PDF tests in its runs need the CJK font.
mutate: system-deps setup
	$(BIN)/python tools/mutate.py $(if $(QUICK),--quick) $(MODULE)

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache test-artifacts mutants
