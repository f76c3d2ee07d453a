# Everything installs itself: a virtualenv in .venv, pinned by constraints.txt.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install demo test lint fmt unit integration fast bench bench-long soak lock clean browser-deps pdf-deps fonts

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## run the service on embedded defaults and push demonstration jobs through it
	$(BIN)/airecruiter demo

lint: install  ## ruff (lint and format check), mypy on src/, and the layer rule (import-linter)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install  ## format the code (ruff format) and apply ruff's safe fixes
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here) and
# check pages with axe-core from the npm registry, pinned by package-lock.json.
CHROMIUM ?= /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

browser-deps: $(AXE)  ## Chromium and axe-core for tests/browser, installed when missing
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || \
	      { DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install -y chromium', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The accessibility checks need npm to install axe-core: run 'apt-get install -y npm', then make test again." >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $(AXE)

# The real-résumé test compares our PDF text with poppler's pdftotext (Debian's poppler-utils).
PDFTOTEXT ?= /usr/bin/pdftotext

pdf-deps:  ## poppler's pdftotext for the real-résumé test, installed when missing
	@if [ ! -x "$(PDFTOTEXT)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's poppler-utils for the real-résumé test"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils || \
	      { DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils; }; \
	  else \
	    echo "The real-résumé test needs pdftotext at $(PDFTOTEXT): run 'sudo apt-get install -y poppler-utils', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# Candidate reports typeset names and words in any script: Debian's Noto fonts cover Latin, Greek,
# Cyrillic, Arabic, Hebrew and Devanagari (fonts-noto-core) and Chinese, Japanese and Korean
# (fonts-noto-cjk). The report renderer finds them in the standard font directories.
FONT_PACKAGES ?= fonts-noto-core fonts-noto-cjk
FONT_CHECK ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
FONT_CHECK_CORE ?= /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf

fonts:  ## Noto fonts for the candidate report (every script), installed when missing
	@if [ ! -f "$(FONT_CHECK)" ] || [ ! -f "$(FONT_CHECK_CORE)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's Noto fonts for the candidate report"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(FONT_PACKAGES) || \
	      { DEBIAN_FRONTEND=noninteractive apt-get update && \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(FONT_PACKAGES); }; \
	  else \
	    echo "Candidate reports need Noto fonts: run 'sudo apt-get install -y $(FONT_PACKAGES)', then make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# The suite runs in parallel (pytest-xdist): most tests wait on PostgreSQL, subprocesses and
# sockets rather than on the CPU, so more workers than cores pay off. Each worker migrates a
# database of its own; tests that must share a worker form a group
# (see tests/conftest.py), which `--dist loadgroup` keeps together on one worker.
TEST_WORKERS ?= 4
PARALLEL := -n $(TEST_WORKERS) --dist loadgroup

test: lint browser-deps pdf-deps fonts  ## lint, then the whole pytest suite (TEST_WORKERS=4 in parallel)
	$(BIN)/pytest $(PARALLEL) --durations=30

unit: install  ## the unit tests only (no I/O, seconds; CPU-bound, so in one process)
	$(BIN)/pytest tests/unit -q

integration: install  ## the integration tests (real PostgreSQL and peers on loopback)
	$(BIN)/pytest tests/integration -q $(PARALLEL)

fast: install  ## everything not marked slow (no process-spawning tests, no browser)
	$(BIN)/pytest -q -m "not slow" --ignore=tests/browser $(PARALLEL)

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

bench: install  ## queue, crash recovery, documents, redaction, Workday sync and pacing, pipeline and web page benchmarks, each prints JSON
	$(BIN)/python benchmarks/queue.py
	$(BIN)/python benchmarks/worker_recovery.py
	$(BIN)/python benchmarks/documents.py
	$(BIN)/python benchmarks/redaction.py
	$(BIN)/python benchmarks/workday_sync.py
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/web_pages.py
	$(BIN)/python benchmarks/workday_sync.py --sync --applications 300 --latency-ms 300 --limits 2:0.2,16:0.02
	$(BIN)/python benchmarks/workday_pacing.py

bench-long: install  ## the 10,000-application sync (peak RSS flat from 1,000 at zero latency); never in CI
	$(BIN)/python benchmarks/workday_sync.py --sync --applications 1000,10000 --latency-ms 0 --limits 16:0

lock:  ## re-pin every dependency to what is installed now
	$(BIN)/pip freeze --exclude-editable | grep -v '^airecruiter' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

soak: install  ## chaos soak: real processes, worker SIGKILLs, database restarts, Workday and LLM faults; prints JSON
	$(BIN)/python benchmarks/soak.py
