# Two entry points from a bare machine (Python 3.11, pip, make): `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(abspath $(VENV)/bin)
export PATH := $(BIN):$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 1

.PHONY: install demo test build lint bench lock serve bench-serve docs

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

## The service on localhost with the example course (both lessons, a demo roster): open a printed
## sign-in link as a student, or /login as teacher@example.edu (password demo-teacher).
SERVE_DATA ?= serve-data
SERVE_PORT ?= 8000
serve: install
	layerwise serve-admin demo --data $(SERVE_DATA) --base-url http://127.0.0.1:$(SERVE_PORT)
	layerwise serve --data $(SERVE_DATA) --port $(SERVE_PORT) --workers 2

## e.g. make bench-serve BENCH_SERVE_ARGS="--rush 300 --window 60 --steady 60" (on an idle machine)
BENCH_SERVE_ARGS ?=
bench-serve: install
	$(PY) autograder/bench/bench_serve.py $(BENCH_SERVE_ARGS)

## The documentation site into site/ (tests/test_docs.py builds it with --strict too).
docs: install
	mkdocs build --strict
