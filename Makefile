# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format sysdeps install migrate seed clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || sh scripts/check_python.sh $(PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# pdf.js (npm pdfjs-dist) reads our PDFs in the tests; installed again only when package-lock.json changes.
install: sysdeps $(STAMP)
	@if ! command -v npm >/dev/null 2>&1; then echo "npm not found: the pdf.js text-layer checks will be SKIPPED"; \
	elif [ ! node_modules/.package-lock.json -nt package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi

sysdeps:
	@PYTHON=$(PYTHON) sh scripts/sysdeps.sh

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo "Serving http://$(HOST):$(PORT)/ (demo accounts above). Stop with Ctrl+C."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@command -v "$${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 \
		|| echo "Chromium not found: the browser tests (tests/browser) will be SKIPPED. Install it with: make sysdeps WITH_BROWSER=1"
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
