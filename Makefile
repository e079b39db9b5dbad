# eRaati: `make run` to try it, `make test` to test it. Needs only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format install install-dev translations messages db-upgrade seed clean bench

run: install translations db-upgrade seed ## set up everything and serve on http://127.0.0.1:5000
	@echo ""
	@echo "eRaati is running at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "The demo log-ins are listed above."
	ERAATI_ENV=development $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations ## the whole test suite (SQLite unless ERAATI_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

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

messages: install ## extract new strings into the fi/sv catalogs
	$(BIN)/python -m eraati.core.catalogs update

db-upgrade: install
	ERAATI_ENV=development $(FLASK) db upgrade

seed: install
	ERAATI_ENV=development $(FLASK) eraati seed-demo --if-empty --url http://$(HOST):$(PORT)/

clean:
	rm -rf $(VENV) instance .pytest_cache
