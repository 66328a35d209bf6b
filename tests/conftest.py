from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from flows import prefect_env

# Prefect reads its logging settings at import: quiet defaults before anything imports it.
prefect_env.configure()

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_AFP = SEEDS / "000_aa6bcd202f01a6ed.txt"
SEED_MARKER = SEEDS / "002_fb94ac4cff3d6708.txt"


@pytest.fixture(scope="session")
def nlp():
    from transforms.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_tables(nlp):
    """Both seeds through the transforms, as Python rows keyed by table."""
    from transforms import RawDocument, process_documents

    docs = [RawDocument.from_bytes(p.read_bytes(), p.name) for p in (SEED_AFP, SEED_MARKER)]
    tables = process_documents(docs, nlp, run_id="test")
    return {name: table.to_pylist() for name, table in tables.items()}


@pytest.fixture(scope="session")
def prefect_api():
    """One Prefect temporary server for the in-process flow tests of the session."""
    with prefect_env.prefect_session() as url:
        yield url


def pytest_sessionfinish(session, exitstatus):
    session.config._wirehouse_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """End the process right after pytest's summary. At interpreter shutdown DuckDB's
    nanobind bindings print 'leaked instances' reports (harmless, but they would follow
    and bury pytest's closing line, which CI reads)."""
    status = getattr(config, "_wirehouse_exitstatus", None)
    if status is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
