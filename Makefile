# Everything installs itself: a virtualenv in .venv, pinned by constraints.txt.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint unit bench lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## run the service on embedded defaults and push demonstration jobs through it
	$(BIN)/airecruiter demo

lint: install  ## ruff, mypy on src/, and the layer rule (import-linter)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint  ## lint, then the whole pytest suite
	$(BIN)/pytest

unit: install
	$(BIN)/pytest tests/unit -q

bench: install  ## queue, documents, Workday sync and pipeline benchmarks, each prints JSON
	$(BIN)/python benchmarks/queue.py
	$(BIN)/python benchmarks/documents.py
	$(BIN)/python benchmarks/workday_sync.py
	$(BIN)/python benchmarks/pipeline.py

lock:  ## re-pin every dependency to what is installed now
	$(BIN)/pip freeze --exclude-editable | grep -v '^airecruiter' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
