# Dateline: `make demo`, `make test`, `make bench`, `make fuzz`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.duckdb
# pytest-xdist processes for `make test` (0: one process)
TEST_WORKERS ?= 2

.PHONY: install system-deps browser-deps pg-deps demo lint test bench fuzz clean

$(STAMP): pyproject.toml constraints.txt web/package-lock.json | system-deps
	[ -x $(PY) ] || $$(command -v $(PYTHON) || command -v python3) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	$(PY) -m dateline.web.build
	touch $(STAMP)

install: $(STAMP)

# Debian packages the install needs when missing: the venv module, and Node.js/npm to fetch
# the map's JavaScript packages (world-atlas borders, leaflet) for the offline page.
system-deps:
	@missing=""; \
	  $$(command -v $(PYTHON) || command -v python3) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi

# Headless Chromium + chromedriver for the browser tests and the page benchmark.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "installing Debian packages: chromium chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# The PostgreSQL server binaries (Debian's postgresql package) for the tests and the bench:
# tests/pg_server.py starts a throw-away server on a free local port and stops it afterwards.
pg-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  echo "installing Debian packages: postgresql"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(VENV)/bin/dateline ingest --db $(DEMO_DB) examples/
	$(VENV)/bin/dateline articles --db $(DEMO_DB)
	$(VENV)/bin/dateline events --db $(DEMO_DB) --limit 50

# ruff (config in pyproject.toml) and mypy (src/; exceptions in pyproject.toml and
# docs/development.md) must pass before the tests run.
lint: install
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/mypy

# a throw-away PostgreSQL server (tests/pg_server.py) runs for the length of the suite
test: lint browser-deps pg-deps
	$(PY) tests/pg_server.py run -- $(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install browser-deps pg-deps
	$(PY) tests/pg_server.py run -- $(PY) -m bench.run $(BENCH_ARGS)

fuzz: install
	$(PY) -m tests.fuzz.run $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) *.duckdb *.duckdb.wal .pytest_cache
