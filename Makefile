# eRaati: `make run` to try it, `make test` to test it. Needs only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# The address the demo log-ins and the links in e-mails (printed to the terminal) point at.
SITE_URL = http://$(HOST):$(PORT)/
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-browser browser lint format install install-dev translations lemmas messages db-upgrade seed clean bench wrk

run: install translations lemmas db-upgrade seed ## set up everything and serve on http://127.0.0.1:5000
	@echo ""
	@echo "eRaati is running at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "The demo log-ins are listed above."
	ERAATI_ENV=development ERAATI_PUBLIC_URL=$(SITE_URL) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations lemmas browser ## the whole test suite (SQLite unless ERAATI_TEST_DATABASE_URL is set)
	ERAATI_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-browser: install-dev translations lemmas browser ## only the real-browser tests (tests/browser)
	ERAATI_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n 2 tests/browser $(PYTEST_ARGS)

# Debian's Chromium for tests/browser (Playwright drives it; it downloads no browser).
# Installed with apt-get when missing and we may (root, or sudo without a password);
# otherwise we say how, and the browser tests skip (under CI they fail).
browser:
	@if [ -x "$(CHROMIUM)" ]; then \
	  echo "Chromium for the browser tests: $(CHROMIUM)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "No $(CHROMIUM) and no apt-get: install Chromium, then make test CHROMIUM=/path/to/it"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else SUDO=none; fi; \
	  if [ "$$SUDO" = none ]; then \
	    echo "Chromium is missing: run  sudo apt-get install -y chromium  (then make test)"; \
	  else \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || \
	    echo "Could not install Chromium: the browser tests will skip (and fail under CI)"; \
	  fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install ## compile the .po catalogs
	$(BIN)/python -m eraati.core.catalogs compile

# Finnish, Swedish and English lemma dictionaries for search, themes and campaigns
# (eraati/analysis/text.py): built once into instance/lemmas, about 10 s the first time.
lemmas: install
	$(BIN)/python -m eraati.analysis.text build

messages: install ## extract new strings into the fi/sv catalogs
	$(BIN)/python -m eraati.core.catalogs update

db-upgrade: install
	ERAATI_ENV=development $(FLASK) db upgrade

seed: install
	ERAATI_ENV=development ERAATI_PUBLIC_URL=$(SITE_URL) $(FLASK) eraati seed-demo --if-empty --planted-groups

clean:
	rm -rf $(VENV) instance .pytest_cache

# Benchmarks (benchmarks/README.md): never part of `make test`. BENCH_ARGS=--quick for a short run.
wrk:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || { echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; }

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: install translations lemmas wrk $(VENV)/.installed-bench ## benchmarks on SQLite and PostgreSQL (< 15 min)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)
