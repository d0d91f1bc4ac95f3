# Two commands: `make run` serves the dashboard, `make test` runs every test.
# Both install what they need first (uv from PyPI if it is missing, then the locked dependencies).
# `make lint` checks style, formatting, types and the import layers; CI runs it before the tests.

SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
DATABASE := data/hcp_outcomes.duckdb
STORE_INPUTS := $(wildcard data/catalogue/*.yaml) $(wildcard data/bundled/*/*.csv)

.PHONY: run test install seed browser lint bench bench-small bench-load fuzz

run: install $(DATABASE)
	$(UV) run kpi serve

# The store, page and method tests run in two processes side by side (each gets its own copies of the
# stores); the browser journeys then run in one process, as they share one served store and one Chromium.
test: install browser
	$(UV) run pytest -n 2 -m "not browser"
	$(UV) run pytest -m browser

install: .venv/.installed

# The installed packages and the dashboard's own modules are compiled to bytecode once, here, rather than by
# the dashboard's first start, or by every start where no .pyc can be written (a checkout the server may not
# write to, PYTHONDONTWRITEBYTECODE): compiling them was most of the time importing the dashboard took. (Not
# uv's compile-bytecode setting: `uv run` would then check all 8,600 files, about 2 s, before every command.)
.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	$(UV) run --no-sync python -m compileall -q app.py kpi.py metrics data dashboard
	@touch $@

# The embedded store is rebuilt when the catalogue or the bundled data change (and on first run).
$(DATABASE): $(STORE_INPUTS) | install
	$(UV) run kpi seed
	@touch $@

seed: install
	$(UV) run kpi seed

# Browser tests drive Debian's Chromium, which also draws the committee pack's charts; the pack's PDF needs
# Pango and the DejaVu fonts. Install what is missing when running as root.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
		fi; \
	fi

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
	$(UV) run lint-imports

# The national benchmark (bench/): builds an 8-million-row store for all of England, times every page, the
# start-up and an import, and writes bench/results.json and bench/RESULTS.md. BENCH_ARGS="--scale 0.1" for a
# quick run; "--database-url postgresql+psycopg://…" for PostgreSQL. bench-small times the bundled data.
BENCH_ARGS ?=
bench: install
	$(UV) run python -m bench $(BENCH_ARGS)

bench-small: install
	$(UV) run python scripts/benchmark.py

# The load test (bench/load.py): `kpi serve` on a store, simulated users opening scorecard and indicator pages
# as a browser does; writes bench/load_results.json. LOAD_URL names the store (default the bundled one);
# LOAD_ARGS e.g. "--users 20 --seconds 60 --workers 2 --redis-url redis://127.0.0.1:6379/0".
LOAD_URL ?= duckdb:///$(DATABASE)
LOAD_ARGS ?= --users 20 --seconds 60
bench-load: install $(DATABASE)
	$(UV) run python -m bench.load --database-url "$(LOAD_URL)" $(LOAD_ARGS)

# The fuzz tests run a few examples in `make test`; this runs them with many more (KPI_FUZZ_EXAMPLES each).
FUZZ_EXAMPLES ?= 5000
fuzz: install
	KPI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(UV) run pytest -p no:randomly tests/dashboard/test_callback_fuzz.py tests/data/test_import_fuzz.py
