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
# Browser files of the widget (socket.io-client, axe-core), from widget/package-lock.json.
WIDGET_VENDOR := bot/web/static/vendor/socket.io.min.js

.PHONY: install train directory widget run test test-e2e test-unit test-stories bench counsellor staff clean

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

# Rebuilt (migrated, then imported) when the schema, the importer, the curated
# files or the rules change, so that a pulled change never meets an old directory.
DIRECTORY_SOURCES := $(wildcard directory/migrations/versions/*.py directory/importing/*.py \
	directory/curated/* directory/rules/*.yml directory/rules/regions/*.yml)

$(DIRECTORY_DB): $(DIRECTORY_SOURCES) | $(STAMP)
	@mkdir -p var
	$(PY) -m directory import
	@touch $@

directory: $(DIRECTORY_DB)

$(WIDGET_VENDOR): widget/package-lock.json scripts/build-widget
	scripts/build-widget
	@touch $(WIDGET_VENDOR)

widget: $(WIDGET_VENDOR)

run: $(MODEL) $(DIRECTORY_DB) $(WIDGET_VENDOR)
	scripts/run

# Counsellor account for the console (http://localhost:8080/conseil/): make counsellor LOGIN=prenom.nom
counsellor: $(STAMP)
	@test -n "$(LOGIN)" || { echo "Indiquez l'identifiant : make counsellor LOGIN=prenom.nom" >&2; exit 2; }
	$(PY) -m bot.handoff add-counsellor "$(LOGIN)"

# Any staff account: make staff LOGIN=prenom.nom ROLE=admin (counsellor, reviewer, admin)
staff: $(STAMP)
	@test -n "$(LOGIN)" || { echo "Indiquez l'identifiant : make staff LOGIN=prenom.nom ROLE=admin" >&2; exit 2; }
	$(PY) -m bot.handoff add-counsellor "$(LOGIN)" --role "$(or $(ROLE),counsellor)"

# Everything, as CI runs it: trains if needed, then the unit tests, the end-to-end
# tests (real Rasa + action servers, headless Chromium), `rasa data validate` and
# the conversation tests.
test: $(STAMP) $(DIRECTORY_DB) $(MODEL) $(WIDGET_VENDOR)
	$(PY) -m pytest
	$(RASA) data validate --domain domain
	scripts/test-stories

# Quick loop while coding: no model, no servers.
test-unit: $(STAMP) $(DIRECTORY_DB)
	$(PY) -m pytest -m "not e2e"

test-e2e: $(MODEL) $(DIRECTORY_DB) $(WIDGET_VENDOR)
	$(PY) -m pytest -m e2e

test-stories: $(MODEL) $(DIRECTORY_DB)
	$(RASA) data validate --domain domain
	scripts/test-stories

bench: $(MODEL) $(DIRECTORY_DB)
	$(PY) -m bench
	# The fuzz properties of make test (NLU components, REST and socket.io on the real
	# servers), with 5,000 random inputs each instead of 150.
	HYPOTHESIS_PROFILE=long $(PY) -m pytest -q -m fuzz tests

clean:
	rm -rf models var .pytest_cache widget/node_modules bot/web/static/vendor
