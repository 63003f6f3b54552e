# Đảng vụ — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres bench lint e2e clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON)) để cài đặt."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  bash scripts/debian-packages.sh $(notdir $(PYTHON))-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	@echo ""
	@echo "Đảng vụ đang chạy tại http://127.0.0.1:$(PORT)  (Ctrl+C để dừng)"
	@# Ctrl+C reaches gunicorn and the worker together (one process group) and each stops gracefully:
	@# the shell only waits for them (a second signal would make the worker abandon its task). A TERM
	@# to make reaches only this shell, which passes on to each the signal of its graceful stop. Either
	@# way it ends quietly. (`trap 'kill 0'` signalled the trapping shell too, whose trap ran again and
	@# again until it crashed: "Segmentation fault".)
	@trap 'wait; exit 0' INT; \
	  trap 'kill -TERM $$server 2>/dev/null; kill -INT $$worker 2>/dev/null; wait; exit 0' TERM; \
	  $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	  $(VENV)/bin/gunicorn dangvu.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - \
	  & server=$$!; \
	  wait $$server; status=$$?; kill $$worker 2>/dev/null; wait; exit $$status

test: $(STAMP)
	@bash scripts/test.sh

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles
