# Datenwerkstatt. Two commands for a fresh machine: `make lab` (learn/teach) and `make test` (everything CI runs).
# The venv is built from Debian's python3 on purpose: the sandboxed grader and the workshop hub run code as other
# unix users, who cannot read a pyenv interpreter inside root's home.
PYTHON_BASE ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || command -v python3)
VENV        ?= .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed

.PHONY: lab lernen test demo data bench lock validate clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON_BASE) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	# Lab defaults shipped with the project (no news/update pop-ups), as binder/postBuild does on Binder
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/lab-settings/overrides.json $(VENV)/share/jupyter/lab/settings/
	touch $(STAMP)

lab: $(STAMP) lernen
	$(VENV)/bin/jupyter lab --notebook-dir=. --LabApp.default_url=/lab/tree/START.ipynb

# self-study copies of the modules (no solutions in sight, hints and loesung() work): what START.ipynb links to
lernen: $(STAMP)
	$(VENV)/bin/datenwerkstatt lernen

# deploy/system-deps.sh installs what only the deployment tests need (chromium, postgresql, node's proxy) if missing
test: $(STAMP)
	bash deploy/system-deps.sh
	$(PY) -m pytest -q -p no:cacheprovider

demo: $(STAMP)
	$(VENV)/bin/datenwerkstatt demo

data: $(STAMP)
	$(VENV)/bin/datenwerkstatt data

bench: $(STAMP)
	$(PY) bench/grading.py

validate: $(STAMP)
	$(VENV)/bin/datenwerkstatt validate

# Re-resolve the pinned set from pyproject.toml into requirements.txt, then derive the conda environment files.
lock:
	rm -rf build/lockvenv && $(PYTHON_BASE) -m venv build/lockvenv
	build/lockvenv/bin/pip install --quiet --disable-pip-version-check -e '.[test,hub]'
	{ sed -n '1,2p' requirements.txt; build/lockvenv/bin/pip freeze --exclude-editable | sort -f; } > requirements.txt.new
	mv requirements.txt.new requirements.txt
	$(PY) -m datenwerkstatt.envfiles --write

clean:
	rm -rf build kurs .pytest_cache
