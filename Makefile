# Wayfinder: `make run` for the demo, `make test` for the whole suite, `make check` for lint,
# migrations and types.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1 WAYFINDER_REQUIRE_MFA=0 WAYFINDER_SECURE=0
# pytest-xdist workers for `make test`: "auto" is one per CPU; TEST_WORKERS=0 runs in one process.
# Without pytest-xdist installed the suite runs in one process as before. loadgroup: the browser
# tests share one worker (one Chromium), the rest are dealt out one by one.
TEST_WORKERS ?= auto
XDIST = $$($(BIN)/python -c "import xdist" 2>/dev/null && [ "$(TEST_WORKERS)" != 0 ] && echo "-n $(TEST_WORKERS) --dist loadgroup")

PORT ?= 8000

.PHONY: install run migrate demo demo-reset test test-fast lint check migrations-check types types-baseline format bench messages fonts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput --database keystore
	$(DEV_ENV) $(BIN)/python manage.py createcachetable

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py demo --if-empty

# Start again from a fresh demo (SQLite in var/ only); the virtual environment is kept.
demo-reset: install
	@if [ -n "$$DATABASE_URL" ]; then echo "demo-reset only resets the SQLite demo in var/ (unset DATABASE_URL)"; exit 1; fi
	cd "$${WAYFINDER_VAR_DIR:-var}" 2>/dev/null && rm -f *.sqlite3 *.sqlite3-wal *.sqlite3-shm *.sqlite3-journal; true
	$(MAKE) demo

run: demo  # make run PORT=8001
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Everything CI checks besides the tests: lint, no missing migration, no new type error.
check: lint migrations-check types

# A model change without its migration fails here (on SQLite, whatever DATABASE_URL says).
migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings_test DATABASE_URL=sqlite://:memory: \
		$(BIN)/python manage.py makemigrations --check --dry-run

# mypy with django-stubs against mypy-baseline.txt: any error not in the baseline fails, and so
# does a baseline entry that no longer occurs (the baseline may only shrink: run `make types-baseline`).
types: install
	$(BIN)/mypy | $(BIN)/mypy-baseline filter || { \
		echo "mypy: new errors above fail; if you fixed some, run 'make types-baseline' and commit mypy-baseline.txt"; \
		exit 1; }

types-baseline: install
	$(BIN)/mypy | $(BIN)/mypy-baseline sync

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Compile translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: install
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

# Regenerate static/fonts/ (Noto subsets for the interface languages' scripts) after changing a
# catalogue or an instrument's translations. Needs the system's Noto fonts:
# apt-get install fonts-noto-core fonts-noto-cjk (docs/languages.md).
fonts: install
	$(DEV_ENV) $(BIN)/python manage.py fonts

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var staticfiles
