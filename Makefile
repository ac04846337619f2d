# The README's contract: `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help install web browser train run shell validate lint test test-fast test-stories lock clean \
        stock-model eval bench cluster cluster-stop cluster-rollout nginx compose

VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/bluezone.tar.gz
WEB := bot/web
# Debian's Chromium, driven by Playwright in the browser tests.
CHROMIUM := /usr/bin/chromium
STOCK_MODEL := benchmarks/models/stock.tar.gz
# pip itself, upgraded in the venv before installing the lock (its own CVEs:
# docs/dependencies.md); deploy/Dockerfile uses the same version.
PIP_VERSION := 26.3

# Ports (Rasa's defaults) and the files the servers use; override on the
# command line or in the environment, e.g. `make run RASA_PORT=5006`.
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export ACTION_ENDPOINT_URL ?= http://localhost:$(ACTIONS_PORT)/webhook
export TRACKER_DB ?= var/tracker.db
# Quiet, offline, no telemetry.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# Rasa 3.6 needs Python 3.8-3.10: pyenv's newest 3.10, else python3.10 on PATH.
define find_python310
for py in "$${PYTHON310:-}" \
          $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1) \
          "$$(command -v python3.10 || true)"; do \
  if [ -n "$$py" ] && "$$py" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then \
    echo "$$py"; exit 0; fi; \
done; \
echo "No Python 3.10 found (Rasa 3.6 needs 3.8-3.10). Install one with pyenv, or set PYTHON310=/path/to/python3.10." >&2; exit 1
endef

# Debian packages; each target is a file the package installs, so this runs
# only when it is missing.
define apt_install
@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
  $$sudo apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(1)
endef

help:
	@echo "make run       set everything up, train if needed, start the bot"
	@echo "make test      set everything up and run the whole test suite"
	@echo "make test-fast the unit tests only (no model, no servers), for the edit-test loop"
	@echo "make lint      ruff (format and checks) and the import boundaries (.importlinter)"
	@echo "make install   create .venv (Python 3.10) with the locked dependencies"
	@echo "make web       install the chat widget (rasa-webchat) from npm into $(WEB)"
	@echo "make train     train a model into models/ if data or config changed"
	@echo "make shell     chat in the terminal (action server included)"
	@echo "make validate  check the training data and domain"
	@echo "make eval      NLU report, ours vs stock Rasa vs TF-IDF: benchmarks/eval.md"
	@echo "make bench     load and cost report, ours vs stock Rasa: benchmarks/bench.md"
	@echo "make cluster   production profile: Rasa servers + PostgreSQL + Redis behind nginx (make cluster-stop)"
	@echo "make cluster-rollout  retrain and move the cluster's servers onto the new model, one at a time"
	@echo "make lock      re-resolve requirements.in into requirements.lock"

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@py=$$($(find_python310)) || exit 1; \
	  echo "Cài đặt thư viện Python vào $(VENV) (lần đầu khoảng 5-10 phút), bằng $$py"; \
	  [ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q pip==$(PIP_VERSION)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.lock
	$(PY) -m pip check
	@touch $@

# The chat widget, served by the Rasa server itself (no CDN): exact
# versions from package-lock.json.
web: $(WEB)/node_modules/.installed

$(WEB)/node_modules/.installed: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Chromium from Debian for the browser tests; only installed when missing.
browser: $(CHROMIUM)

$(CHROMIUM):
	$(call apt_install,chromium)

# nginx from Debian, in front of the production profile's Rasa servers.
nginx: /usr/sbin/nginx

/usr/sbin/nginx:
	$(call apt_install,nginx)

# Debian's docker-compose, only to check deploy/docker-compose.yml in the tests
# (no Docker engine runs here).
compose: /usr/bin/docker-compose

/usr/bin/docker-compose:
	$(call apt_install,docker-compose)

# Rasa's fingerprinting skips training when data, config and lexicon are
# unchanged. The data is checked first: a mistake (an unlabelled
# export-missed block, a broken indent) stops here with its file and line.
# Plain steps on screen; Rasa's own output in var/logs/train.log.
train: install validate
	@$(PY) -m bot train

run: install web train
	$(PY) -m bot run

# Production profile: RASA_SERVERS Rasa servers (5011, 5012...) sharing
# PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), behind nginx on :8080.
cluster: install web nginx train
	$(PY) -m bot cluster start

cluster-stop:
	$(PY) -m bot cluster stop

# A new model with no downtime: train, then restart the servers one at a time.
cluster-rollout: install train
	$(PY) -m bot cluster rollout

shell: install train
	$(PY) -m bot shell

# `rasa data validate` and the settings file; unlike Rasa alone, it fails on
# a skipped example or an intent missing from the domain (bot/data_check.py).
validate: install
	$(PY) -m bot.data_check

test-stories: install train
	$(PY) -m bot.rasa_runtime test core --model $(MODEL) --stories tests/test_stories.yml --e2e \
	  --fail-on-prediction-errors --out results/stories

# Tests marked `stack` need the trained model and the servers (tests/conftest.py).
test-fast: install
	$(PY) -m pytest -q -m "not stack" tests

# ruff.toml and .importlinter: formatting, pyflakes/pycodestyle, and the
# boundaries of the developers' guide (the action server stays light...).
lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

test: install web browser nginx compose train validate lint test-stories
	$(PY) -m pytest tests

# The same bot with Rasa's default NLU pipeline, the baseline of eval and bench.
# Several hours on 2 otherwise idle cores (DIET, then the ResponseSelector,
# 100 epochs each): start it alone, well before `make eval` or `make bench`.
stock-model: install
	$(RASA) train -c benchmarks/configs/stock.yml --fixed-model-name stock --out $(dir $(STOCK_MODEL))

eval: install train stock-model
	$(PY) -m benchmarks.eval

bench: install train stock-model
	$(PY) -m benchmarks.bench

lock:
	@py=$$($(find_python310)) || exit 1; rm -rf /tmp/bluezone-lock && \
	  "$$py" -m venv /tmp/bluezone-lock && \
	  /tmp/bluezone-lock/bin/pip install --disable-pip-version-check -q pip==$(PIP_VERSION) && \
	  /tmp/bluezone-lock/bin/pip install --disable-pip-version-check -q -r requirements.in && \
	  /tmp/bluezone-lock/bin/pip check && \
	  { echo "# Generated by 'make lock' from requirements.in on Python 3.10: do not edit."; \
	    /tmp/bluezone-lock/bin/pip freeze; } > requirements.lock

clean:
	rm -rf results .rasa .pytest_cache
