# archivegen — the two commands of the quick start: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo build test check install browser test-deps axe vnu sample format clean

## demo: install, build the bundled sample archive, serve it on http://127.0.0.1:$(PORT) and
## rebuild and reload the browser on every change (archivegen serve)
demo: $(VENV)/.installed
	$(BIN)/archivegen serve --port $(PORT)

## build: install and build the sample archive into public/
build: $(VENV)/.installed
	$(BIN)/archivegen build

## sample: regenerate the bundled content/ with the importer itself (seed + IndoSum)
sample: $(VENV)/.installed
	$(BIN)/python scripts/make_sample.py

## test: install what the tests need (Python extras, Debian chromium, sshd, rsync, git, Java, axe-core, vnu) and run every check
test: $(VENV)/.installed-test browser test-deps axe vnu check

## check: formatting, lint, types, layer contracts, then the test suite (warnings are errors)
check:
	$(BIN)/ruff format --check archivegen tests benchmarks scripts
	$(BIN)/ruff check archivegen tests benchmarks scripts
	$(BIN)/mypy archivegen
	$(BIN)/lint-imports
	$(BIN)/pytest -q

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

## browser: Debian's chromium for the browser tests (needs root; skipped when present)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium (browser tests will skip)"; fi; }

## test-deps: Debian's openssh-server, rsync, git (deploy tests), a Java runtime (the HTML checker), nginx (the redirect maps), iproute2's ss (the preview's listen backlog) and e2fsprogs' chattr (read-only folders as root); needs root, installs only the missing
DEPLOY_TOOLS := /usr/sbin/sshd:openssh-server /usr/bin/rsync:rsync /usr/bin/git:git /usr/bin/java:default-jre-headless /usr/sbin/nginx:nginx /usr/bin/ss:iproute2 /usr/bin/chattr:e2fsprogs
test-deps:
	@missing=""; for pair in $(DEPLOY_TOOLS); do \
	  [ -x "$${pair%%:*}" ] || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing (deploy tests that need them will skip)"; fi; fi

## axe: axe-core (npm) for the theme's accessibility tests, into .cache/npm
AXE := .cache/npm/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error axe-core@4

## vnu: the W3C Nu Html Checker (npm's vnu-jar; runs on Java) for the theme's HTML tests
VNU := .cache/npm/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU)
$(VNU):
	npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error vnu-jar@26

## format: rewrite code to the project's style
format: $(VENV)/.installed-test
	$(BIN)/ruff format archivegen tests benchmarks scripts
	$(BIN)/ruff check --fix archivegen tests benchmarks scripts

clean:
	rm -rf public .archivegen .pytest_cache .mypy_cache .ruff_cache
