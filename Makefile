# Two commands for a fresh machine: `make run` and `make test`.
# Needs only python3, make and the package registries.

PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint typecheck pytest clean

# Install every workspace package into .venv, exactly as uv.lock pins them (uv itself comes from PyPI).
$(VENV)/.synced: uv.lock pyproject.toml */pyproject.toml */*/pyproject.toml
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv
	$(UV) sync --all-packages --locked --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced
	$(BIN)/python -m interview_sandbox fetch
	$(BIN)/interview db upgrade

run: setup
	$(BIN)/interview serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.synced
	$(BIN)/mypy src/interview_engine

pytest: setup
	$(BIN)/pytest -n 2 -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
