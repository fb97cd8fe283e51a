# Two commands do everything on a fresh machine with Python 3.11:
#   make run    set up, load reference and demo data, serve at http://127.0.0.1:$(PORT)
#   make test   set up, then run the whole test suite
#   make serve  run the site as in production (docs/deployment.md)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_CLUSTERS ?= 300

.PHONY: install install-runtime messages migrate data run serve test test-fast lint bench bench-seed bench-long-tail-databases bench-long-tail clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Production needs only the runtime requirements.
$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install-runtime: $(VENV)/.installed-runtime

# The translations (locale/*.po) compiled with Babel: no GNU gettext needed.
messages: install
	$(PY) manage.py compiletranslations

migrate: messages
	$(PY) manage.py migrate --noinput

# Reference data (portfolios, catalogues v1 and v2, their recommendation rules), the 35 clusters of
# the original listing, then synthetic demo data and the demo accounts. Safe to run again:
# each part is loaded only when missing, so edits made in the admin survive.
data: migrate
	$(PY) manage.py seed_demo --clusters $(DEMO_CLUSTERS)

# The task worker (mails, reports and their PDFs, the legacy import) runs beside the dev server
# and stops with it; TASK_BACKEND=immediate make run does without one (each task in its request).
# Every absolute link the site writes (e-mails, the printed verification link and its QR code)
# points at the port it serves: SITE_URL follows PORT, for the server and the worker.
run: data
	@$(PY) manage.py seed_demo --print-logins --site-url http://127.0.0.1:$(PORT)
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py db_worker --no-reload --interval 0.5 -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# As in production: DEBUG off (SECRET_KEY, ALLOWED_HOSTS, SITE_URL from the environment or .env),
# translations compiled, migrations applied, static files collected, gunicorn with its settings
# from gunicorn.conf.py.
# `make serve PORT=8001` binds 127.0.0.1:8001 instead of GUNICORN_BIND. The task worker
# (`manage.py db_worker`) runs beside gunicorn and stops with it (in production: its own unit).
serve: export DEBUG = False
serve: install-runtime
	$(PY) manage.py check --deploy
	$(PY) manage.py compiletranslations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py $(if $(filter command line,$(origin PORT)),--bind 127.0.0.1:$(PORT))

# The tests run on TEST_WORKERS processes (pytest-xdist), each with its own test database. Two, not
# `auto`: CI's machine has two cores, and the tests that start processes of their own (app servers,
# forks, writers, Chromium) already keep more than their worker's core busy. `make test
# TEST_WORKERS=auto` uses every core of a larger machine; PYTEST_ARGS="-n 0 path::test" runs one
# test in this one process, to debug it (README.md, "Tests").
TEST_WORKERS ?= 2

test: migrate
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The quick loop while working: no browser, no forks, seed_demo, property-based or concurrency
# tests (marked slow); CI runs them all.
test-fast: messages
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not slow" -x -q $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Timings on a 10,000-cluster database of its own; never part of the test suite.
# make bench [CLUSTERS=100000] [BENCH_URL=postgres://postgres@127.0.0.1:5432/ecei_bench]
# The database is made and filled by seed_demo on the first run (kept for the next runs).
CLUSTERS ?= 10000
BENCH_URL ?= sqlite:////tmp/ecei-bench-$(CLUSTERS).sqlite3
bench: install
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py seed_demo --clusters $(CLUSTERS)
	for script in benchmarks/bench_*.py; do DATABASE_URL=$(BENCH_URL) $(PY) $$script || exit 1; done

# seed_demo itself timed, phase by phase, with its peak memory, on a database made anew
# (deleted first: never point it at one you keep). make bench-seed [CLUSTERS=..] [SEED_URL=postgres://...]
SEED_URL ?= sqlite:////tmp/ecei-seed-$(CLUSTERS).sqlite3
bench-seed: messages
	$(PY) benchmarks/time_seed_demo.py --clusters $(CLUSTERS) --database-url $(SEED_URL)

# Issue 30's long tail at 10,000 and 100,000 clusters on PostgreSQL, each page against the admin's
# cluster changelist in the same run, the databases measured in turn (benchmarks/README.md).
# make bench-long-tail-databases first (about 5 + 30 minutes; it drops and makes both anew).
PG_BENCH ?= postgres://postgres@127.0.0.1:5432
bench-long-tail-databases: messages
	$(PY) benchmarks/time_seed_demo.py --clusters 10000 --database-url $(PG_BENCH)/ecei_bench_10k
	dropdb --if-exists -h 127.0.0.1 -U postgres ecei_bench_100k
	createdb -h 127.0.0.1 -U postgres -T ecei_bench_10k ecei_bench_100k
	$(PY) benchmarks/grow_database.py --times 10 --database-url $(PG_BENCH)/ecei_bench_100k

bench-long-tail: messages
	$(PY) benchmarks/bench_long_tail.py --rounds 3 \
		--database-url $(PG_BENCH)/ecei_bench_10k --database-url $(PG_BENCH)/ecei_bench_100k

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles screenshots media
