# Sahel Desk. `make help` lists the targets; variables below can be overridden:
#   make serve PORT=8080    make publish SITEURL=https://example.org/news
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
SITEURL ?=
# No command leaves the committed output/ changed: it is make publish's site
# without SITEURL (make serve's). A build for a public address, and the deploy
# targets' copy, go to PUBLICDIR; make devserver's preview to PREVIEWDIR; both
# are ignored by git.
PUBLICDIR ?= public
PREVIEWDIR ?= preview
OUTPUTDIR ?= $(if $(SITEURL),$(PUBLICDIR),output)
# output/ and output name one folder; publish builds beside it, in OUTPUTDIR.new.*.
override OUTPUTDIR := $(patsubst %/,%,$(patsubst %/,%,$(OUTPUTDIR)))
SSH_HOST ?= example.org
SSH_PORT ?= 22
SSH_USER ?= deploy
# The folder on the server; empty: SERVER_DIR in pelicanconf.py.
SSH_TARGET_DIR ?=
GITHUB_PAGES_BRANCH ?= gh-pages
PYTEST_ARGS ?=
# e.g. make bench BENCH_ARGS="--articles 1000 5000 --rounds 3"
BENCH_ARGS ?=

BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PELICAN_OPTS := --fatal warnings
# Exported so that the settings files see them; an empty SITEURL means "not set".
export SITEURL SSH_TARGET_DIR

.DEFAULT_GOAL := help
.PHONY: help setup lock browser chromium servers html publish serve devserver lint test reference bench clean rsync_upload github

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z_]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Two locked sets (requirements/): the build, and the build plus the test tools.
# Every pin carries its hash; `make lock` compiles both again from their .in files.
PIP_INSTALL = $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps
$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.build: requirements/build.txt | $(BIN)/pip
	$(PIP_INSTALL) -r requirements/build.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt | $(BIN)/pip
	$(PIP_INSTALL) -r requirements/dev.txt
	touch $@ $(VENV)/.build

setup: $(VENV)/.build ## create .venv with the build's locked requirements (no test tools)

lock: $(VENV)/.dev ## compile requirements/*.txt anew from requirements/*.in, with hashes
	cd requirements && for set in build dev; do \
	  ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url $$set.in -o $$set.txt; done

# The validators the tests run (Nu HTML Checker, axe-core), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# $(call debian,commands,packages): install Debian packages when a command is
# missing (as root; otherwise say what to install). Nothing is downloaded from elsewhere.
debian = @PATH="$$PATH:/usr/sbin"; for name in $(1); do command -v $$name >/dev/null || missing=1; done; [ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
	  else echo "make $@ needs Debian's $(2): sudo apt-get install $(2)" >&2; exit 1; fi; }

# The tests drive Chromium's headless shell, its engine without the browser
# around it, for much less CPU (bench/RESULTS.md); the benches the whole browser.
browser:
	$(call debian,chromium-headless-shell,chromium-headless-shell)
chromium:
	$(call debian,chromium,chromium)

# The tests serve the site on Debian's nginx and Apache, each run from a private configuration.
servers:
	$(call debian,nginx apache2,nginx apache2)

html: setup ## build a local copy of the site into OUTPUTDIR
	$(PELICAN) content -o $(OUTPUTDIR) -s pelicanconf.py $(PELICAN_OPTS)

# Build into a temporary folder next to OUTPUTDIR, then swap the two folders
# in one step (renameat2 with RENAME_EXCHANGE, which Linux does atomically):
# at every moment, even under SIGKILL, OUTPUTDIR holds the old site or the new
# one, whole. The old site is removed afterwards; what a kill leaves behind
# (OUTPUTDIR.new.*) the next publish removes. A lock on OUTPUTDIR's parent
# folder lets one publish run at a time: a second one stops and says why.
# sh runs no EXIT trap on a signal, hence the traps that exit.
EXCHANGE := import ctypes, os, sys; libc = ctypes.CDLL(None, use_errno=True); \
	libc.renameat2(-100, os.fsencode(sys.argv[1]), -100, os.fsencode(sys.argv[2]), 2) == 0 \
	or sys.exit(f"make publish: cannot swap {sys.argv[1]} and {sys.argv[2]}: {os.strerror(ctypes.get_errno())}")

publish: setup ## build the site for publication into OUTPUTDIR, atomically
	@set -e; exec 9<"$$(dirname "$(OUTPUTDIR)")"; \
	flock -n 9 || { echo "make publish: another publish into $(OUTPUTDIR) is running; wait for it to end, then run this one again" >&2; exit 1; }; \
	rm -rf "$(OUTPUTDIR)".new.*; \
	tmp=$$(mktemp -d "$(OUTPUTDIR).new.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(PELICAN) content -o "$$tmp" -s publishconf.py $(PELICAN_OPTS); \
	chmod 755 "$$tmp"; \
	if [ -d "$(OUTPUTDIR)" ]; then $(BIN)/python -c '$(EXCHANGE)' "$$tmp" "$(OUTPUTDIR)"; else mv -T "$$tmp" "$(OUTPUTDIR)"; fi

serve: publish ## build, then serve OUTPUTDIR at http://localhost:PORT
	@echo "Serving $(OUTPUTDIR) at http://localhost:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind $(HOST) --directory $(OUTPUTDIR) $(PORT)

devserver: setup ## serve PREVIEWDIR at http://localhost:PORT and rebuild on every change (devserverconf.py)
	$(PELICAN) content -o $(PREVIEWDIR) -s devserverconf.py --autoreload --listen --port $(PORT) --bind $(HOST)

reference: setup ## write docs/front-matter.md anew from content/schema/
	PYTHONPATH=plugins $(BIN)/python -m content_checks docs/front-matter.md

lint: $(VENV)/.dev ## check the Python code with ruff (settings in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.dev node_modules/.installed browser servers lint ## set up, lint, then run every test (builds its own copy of the site)
	$(BIN)/pytest $(PYTEST_ARGS)

# Figures, not tests: builds, memory, page weight and devserver against stock
# Pelican (bench/run.py), then Lighthouse (bench/lighthouse). At 1,000, 5,000 and
# 20,000 articles (the default) with --rounds 1, about half an hour on two quiet
# cores before Lighthouse; --workdir DIR keeps the generated sites for the next run.
bench: $(VENV)/.dev chromium ## compare with stock Pelican (time, memory, page weight, Lighthouse) into bench/RESULTS.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/lighthouse

clean: ## remove the virtual environment, caches and the ignored builds (output/ is committed)
	rm -rf $(VENV) .pytest_cache __pycache__ cache $(OUTPUTDIR).new.* $(PUBLICDIR) $(PREVIEWDIR)

# The deploy targets publish into PUBLICDIR, whatever SITEURL says.
rsync_upload github: OUTPUTDIR = $(PUBLICDIR)

rsync_upload: publish ## publish into PUBLICDIR, then copy it to SSH_HOST:SSH_TARGET_DIR (default: SERVER_DIR)
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --include tags --cvs-exclude --delete "$(OUTPUTDIR)/" \
	  "$(SSH_USER)@$(SSH_HOST):$$($(BIN)/python -c 'from publishconf import SERVER_DIR; print(SERVER_DIR)')"

github: publish ## publish into PUBLICDIR, then push it to the GITHUB_PAGES_BRANCH branch
	$(BIN)/ghp-import -m "Publish the site" -b $(GITHUB_PAGES_BRANCH) --no-jekyll "$(OUTPUTDIR)"
	git push origin $(GITHUB_PAGES_BRANCH)
