from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

import pytest

from flows.app import prefect_session

# Prefect reads its logging settings at import: quiet defaults before anything imports it.
prefect_session.configure()

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


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory):
    """The workers' ready-made state goes to a cache of the test session's own (child
    processes inherit it), not to the user's ~/.cache/wirehouse."""
    os.environ["WIREHOUSE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def prefect_api():
    """One Prefect temporary server for the in-process flow tests of the session."""
    with prefect_session.prefect_session() as url:
        yield url


# The slow lanes that `make test-fast` leaves out. A test's lane follows from what it uses,
# so a new test lands in the right lane without remembering a marker:
#   crash    kill -9 fault injection (minutes);
#   browser  headless Chromium against a served dashboard;
#   e2e      a real flow run: Prefect's server, the CLI in a child process, a built warehouse.
CRASH_MODULES = {"test_crash_safety.py"}
BROWSER_FIXTURES = {"chromium", "page", "server"}
E2E_FIXTURES = {"prefect_api", "prefect_server", "warehouse_runs"}
# In a test's source: the CLI in a child process or in-process, the `run` command in-process,
# the flow, Prefect's temporary server.
E2E_CALLS = ("run_cli(", "run_in_process(", "WIREHOUSE", '["run"', "ingest(", "_flow(", "prefect_session(")


def lane(item: pytest.Item) -> str | None:
    fixtures = set(getattr(item, "fixturenames", ()))
    if item.path.name in CRASH_MODULES:
        return "crash"
    if fixtures & BROWSER_FIXTURES:
        return "browser"
    if fixtures & E2E_FIXTURES:
        return "e2e"
    function = getattr(item, "function", None)
    try:
        source = inspect.getsource(function) if function is not None else ""
    except (OSError, TypeError):
        source = ""
    return "e2e" if any(call in source for call in E2E_CALLS) else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (name := lane(item)) is not None:
            item.add_marker(getattr(pytest.mark, name))


def pytest_sessionfinish(session, exitstatus):
    session.config._wirehouse_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """End the process right after pytest's summary. At interpreter shutdown DuckDB's
    nanobind bindings print 'leaked instances' reports (harmless, but they would follow
    and bury pytest's closing line, which CI reads)."""
    status = getattr(config, "_wirehouse_exitstatus", None)
    # An xdist worker (it has `workerinput`) reports to the controller through execnet
    # after this hook: only the controller, which prints the summary, ends early.
    if status is not None and not hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
