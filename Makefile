# Lodestar: `make run` serves the demo, `make test` runs lint and every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Python 3.12: on PATH, or from pyenv (see .python-version).
PYTHON312 := $(shell command -v python3.12 2>/dev/null || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -1)

.PHONY: run test lint check-migrations messages install lock browser proxies xmlsec clean bench load

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is required (install it with pyenv: pyenv install 3.12)"; exit 1; }
	test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

messages: install
	$(MANAGE) compilemessages --ignore=.venv -v0

run: install messages
	@mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_demo --if-empty
	@$(MANAGE) setup_link
	@echo "Lodestar runs at http://127.0.0.1:8000 with its background worker (Ctrl+C stops both)."
	@echo "E-mails (notifications, reminders, digests) are written to var/mail/ instead of being sent."
	@$(MANAGE) worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache  # the floors of docs/architecture.md

check-migrations: install
	$(MANAGE) makemigrations --check --dry-run -v1

browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx and Caddy for tests/security/test_proxy_logs.py, their services neither started
# (policy-rc.d, Debian's hook) nor enabled.
proxies:
	@missing=$$(for tool in nginx caddy; do PATH=$$PATH:/usr/sbin command -v $$tool >/dev/null || echo $$tool; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian's" $$missing "for the proxy log tests"; \
		policy=/usr/sbin/policy-rc.d; placed=; \
		[ -e $$policy ] || { printf '#!/bin/sh\nexit 101\n' >$$policy && chmod 755 $$policy && placed=1; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; status=$$?; \
		[ -z "$$placed" ] || rm -f $$policy; systemctl disable $$missing >/dev/null 2>&1; exit $$status; fi

# xmlsec1 signs the answers of the tests' SAML identity provider (pysaml2, tests/sso/saml_idp.py).
xmlsec:
	@command -v xmlsec1 >/dev/null || { echo "Installing Debian's xmlsec1 for the SAML tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null; }

test: lint check-migrations messages browser proxies xmlsec
	scripts/test-all-databases

lock:
	$(PYTHON312) -m venv var/lockvenv && var/lockvenv/bin/pip install --quiet pip-tools
	var/lockvenv/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras -q -o requirements.txt requirements.in

clean:
	rm -rf $(VENV) var test-artifacts

# Benchmarks (not part of `make test`; PAGES="objective search" measures only those pages of bench/run.py):
# PostgreSQL, a generated 10,000-person organization,
# Lodestar under granian as in production, measured with wrk beside a trivial view; then the
# server time of the demo organization's map and presentation on the embedded SQLite default;
# then the REST API's objectives listing beside trivial endpoints (bench/api.py); then a 10,000-row
# people import previewed and applied (bench/people_import.py, its own database).
bench: install
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian) for the benchmarks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@if [ -n "$(PAGES)" ]; then $(PY) bench/run.py --pages "$(PAGES)"; exit $$?; fi; \
	$(PY) bench/demo_pages.py; demo=$$?; $(PY) bench/run.py; large=$$?; $(PY) bench/api.py; api=$$?; \
		$(PY) bench/people_import.py; people=$$?; exit $$(( demo || large || api || people ))

# A bounded load test (not part of `make test`): 200 people for 5 minutes against 127.0.0.1.
load: install
	$(PY) bench/load.py
