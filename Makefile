# Two entry points from a bare machine (Python 3.11, pip, make): `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(abspath $(VENV)/bin)
export PATH := $(BIN):$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 1

.PHONY: install demo test build lint bench lock

install: $(VENV)/.installed

## Installs exactly the versions of constraints.txt (what CI and the Gradescope zip use).
$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,serve,similarity]'
	touch $@

## Newest versions pyproject.toml allows, into constraints.txt (then: make install, build, test).
lock:
	rm -rf build/lock-venv && python3 -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install -q --upgrade pip
	build/lock-venv/bin/python -m pip install -q -e '.[dev,serve,similarity]'
	{ sed -n '1,2p' constraints.txt; build/lock-venv/bin/python -m pip freeze --exclude-editable; } > constraints.tmp
	mv constraints.tmp constraints.txt && rm -rf build/lock-venv && rm -f $(VENV)/.installed

## The main job: grade the bundled example class and print the table.
demo: install
	layerwise grade autograder/examples/cnn_keras --out demo-run --timeout 60 --cell-timeout 20 --force

## The test suite (what CI runs): one xdist worker per core, tests that share an expensive
## fixture kept on one worker (tests/conftest.py groups them).
TEST_WORKERS ?= 2
test: install
	pytest -q -n $(TEST_WORKERS) --dist loadgroup

build: install
	layerwise build

lint: install
	ruff check autograder tests
	mypy autograder/layerwise

## e.g. make bench BENCH_ARGS="--gradescope --scale 10,100"
BENCH_ARGS ?=
bench: install
	$(PY) autograder/bench/bench.py $(BENCH_ARGS)
