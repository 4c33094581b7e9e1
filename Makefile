# Two entry points for newcomers: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
PYTHON ?=
export SPRO_DATA_DIR ?= $(abspath ../shared/data)
# No telemetry from Rasa (the network is closed anyway), quiet TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
MODEL := models/current.tar.gz
TRAINING_INPUTS := config.yml $(shell find domain data -name '*.yml' 2>/dev/null)
DIRECTORY_DB := var/directory.sqlite

.PHONY: install train directory run test test-e2e test-unit test-stories bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || { interp=$$(PYTHON="$(PYTHON)" scripts/find-python310) && "$$interp" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -e ".[dev]"
	$(PY) -m pip check
	touch $(STAMP)

install: $(STAMP)

# Retrains only when the training data, the domain or the pipeline changed.
$(MODEL): $(STAMP) $(TRAINING_INPUTS) | $(DIRECTORY_DB)
	@mkdir -p models
	$(RASA) train --domain domain --fixed-model-name current --out models
	@touch $(MODEL)

train: $(MODEL)

$(DIRECTORY_DB): | $(STAMP)
	@mkdir -p var
	$(PY) -m directory import

directory: $(DIRECTORY_DB)

run: $(MODEL) $(DIRECTORY_DB)
	scripts/run

test-unit: $(STAMP)
	$(PY) -m pytest -m "not e2e"

test-stories: $(MODEL) $(DIRECTORY_DB)
	$(RASA) data validate --domain domain
	scripts/test-stories

test: $(STAMP) $(DIRECTORY_DB)
	$(PY) -m pytest -m "not e2e"

# Real Rasa + action servers through the REST channel, and the conversation tests.
test-e2e: $(MODEL) $(DIRECTORY_DB)
	$(PY) -m pytest -m e2e
	$(RASA) data validate --domain domain
	scripts/test-stories

bench: $(MODEL) $(DIRECTORY_DB)
	$(PY) -m bench

clean:
	rm -rf models var .pytest_cache
