# netassist — the two set-up commands are `make run` and `make test`; both create .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BENCH_VENV := .venv-bench

.PHONY: run test lint format bench dist screenshots clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: venv
	$(BIN)/netassist

lint: venv
	$(BIN)/ruff check netassist tests bench resources packaging
	$(BIN)/ruff format --check netassist tests bench resources packaging
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format netassist tests bench
	$(BIN)/ruff check --fix netassist tests bench

test: venv lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

$(BENCH_VENV)/.installed-stamp:
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet whatstk chat-miner vobject
	@touch $@

bench: venv $(BENCH_VENV)/.installed-stamp
	BENCH_PEER_PYTHON=$(abspath $(BENCH_VENV))/bin/python QT_QPA_PLATFORM=offscreen \
		$(BIN)/python bench/run_all.py

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m netassist.ui.screenshots screenshots

dist: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/make_icons.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@if [ ! -e dist/netassist/netassist-cli.exe ]; then \
		printf '#!/bin/sh\nexec "$$(dirname "$$(readlink -f "$$0")")/netassist" "$$@"\n' \
			> dist/netassist/netassist-cli && chmod +x dist/netassist/netassist-cli; fi
	@du -sh dist/netassist

clean:
	rm -rf build dist .pytest_cache .ruff_cache
