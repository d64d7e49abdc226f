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

.PHONY: setup run test lint typecheck pytest browser clean

FRONTEND := adapters/web/frontend
WIZER_DIR := sandbox_wasm/wizer
WIZER := $(WIZER_DIR)/node_modules/.installed
ASSETS := adapters/web/src/interview_web/static/dist/.built

# Install every workspace package into .venv, exactly as uv.lock pins them (uv itself comes from PyPI).
# Bytecode is compiled here, for the dependencies and for our own (editable) sources: machines that set
# PYTHONDONTWRITEBYTECODE would otherwise compile every module again on every `interview` command.
$(VENV)/.synced: uv.lock pyproject.toml */pyproject.toml */*/pyproject.toml Makefile
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user uv
	$(UV) sync --all-packages --locked --compile-bytecode --python $(PYTHON)
	$(BIN)/python -m compileall -q -j 0 -x '/content/' src adapters/*/src plugins/*/src sandbox_wasm/src
	@touch $@

# Bundle the browser code (CodeMirror, the ElevenLabs client) with esbuild: every asset is served by the app.
# The web kit goes to the adapter's static folder, each plugin's scripts (plugins/*/frontend) to its own.
$(ASSETS): $(FRONTEND)/package-lock.json $(FRONTEND)/build.mjs $(wildcard $(FRONTEND)/src/*.js) \
		$(wildcard plugins/*/frontend/*.js plugins/*/frontend/bundle.json)
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error && node build.mjs
	@touch $@

# Wizer (npm, pinned and integrity-checked by its lock file) snapshots the sandbox's initialised interpreter.
$(WIZER): $(WIZER_DIR)/package-lock.json
	cd $(WIZER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium for the end-to-end tests (Playwright drives it; it cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

setup: $(VENV)/.synced $(ASSETS) $(WIZER)
	$(BIN)/python -m interview_sandbox fetch
	$(BIN)/interview db upgrade

run: setup
	$(BIN)/interview serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.synced
	$(BIN)/mypy --strict src/interview_engine sandbox_wasm/src/interview_sandbox plugins/voice_screen/src/interview_voice_screen \
		plugins/live_coding/src/interview_live_coding plugins/debugging/src/interview_debugging \
		adapters/web/src/interview_web adapters/cli/src/interview_cli \
		examples/explain_plugin/explain_plugin examples/embed.py

pytest: setup browser
	$(BIN)/pytest -n 2 -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(FRONTEND)/node_modules $(WIZER_DIR)/node_modules $(dir $(ASSETS))
