# Sitmap: set up, run and test. Every target installs what it needs first.
#   make run    start the dashboard on the bundled seed
#   make test   run the whole test suite (browser tests included)

PYTHON ?= python
NPM ?= npm
CHROMIUM ?= /usr/bin/chromium

# npm ci wipes node_modules, so this stamp is there only after a complete install
NPM_STAMP := node_modules/.sitmap-npm-ci

.PHONY: setup run test test-deps test-services

setup: $(NPM_STAMP)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements.txt
	$(PYTHON) scripts/vendor_assets.py
	$(PYTHON) -m geo.gazetteer.build

# reinstall the npm packages only when node_modules is missing or the lock changed
$(NPM_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

run: setup
	$(PYTHON) -m streamlit run dashboard/app.py

# Debian's chromium for the Playwright browser tests (CI runs as root)
test-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation; \
	fi

# PostgreSQL + PostGIS from Debian for the store tests; the server itself is a
# throwaway cluster on loopback, started around pytest and removed after it
test-services:
	@bash scripts/pg_test_server.sh install

test: setup test-deps test-services
	bash scripts/pg_test_server.sh run -- $(PYTHON) -m pytest -q
