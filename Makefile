# Two entry points for a newcomer: `make demo` and `make test`. Each builds its own virtualenv.
PYTHON ?= python3
VENV_RUN := .venv-run
VENV_DEV := .venv

.PHONY: demo test lint typecheck install-run install-dev clean

$(VENV_RUN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_RUN)
	$(VENV_RUN)/bin/pip install --quiet --upgrade pip
	$(VENV_RUN)/bin/pip install --quiet -e .
	$(VENV_RUN)/bin/python -m vigie.analysis.classifiers.warm
	touch $@

$(VENV_DEV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_DEV)
	$(VENV_DEV)/bin/pip install --quiet --upgrade pip
	$(VENV_DEV)/bin/pip install --quiet -e ".[dev]"
	$(VENV_DEV)/bin/python -m vigie.analysis.classifiers.warm
	touch $@

install-run: $(VENV_RUN)/.installed
install-dev: $(VENV_DEV)/.installed

demo: install-run
	$(VENV_RUN)/bin/vigie demo --serve

lint: install-dev
	$(VENV_DEV)/bin/ruff check src tests benchmarks
	$(VENV_DEV)/bin/ruff format --check src tests benchmarks

typecheck: install-dev
	$(VENV_DEV)/bin/mypy

test: install-dev
	$(VENV_DEV)/bin/ruff check src tests benchmarks
	$(VENV_DEV)/bin/mypy
	$(VENV_DEV)/bin/pytest

clean:
	rm -rf $(VENV_RUN) $(VENV_DEV) .pytest_cache .mypy_cache .ruff_cache
