"""Running Prefect quietly and cleanly from the CLI, with or without a Prefect server.

Measured on Prefect 3.8.8 with no network (see tests/flows/test_ingest.py, which fails on
any traceback or ERROR line from a successful run):

- the temporary server's telemetry fails with no network (`Failed to send telemetry`, or a
  `database is locked` traceback): `PREFECT_SERVER_ANALYTICS_ENABLED=false`;
- its task-run recorder writes task runs one event at a time and is cancelled mid-write
  when the server stops (`Error flushing … events` tracebacks):
  `PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED=false` for the temporary server only
  (flow runs, logs and artifacts are still recorded);
- logs and events are drained before the server stops, as `prefect_test_harness` does;
- Prefect's own console lines (server start/stop, one per task run) would bury our
  summary: its console handler shows only CRITICAL unless `--verbose`; the run logs still
  reach the API and the UI;
- hashing task inputs for caching costs time and memory on big batches: no cache by default.

Logging is configured when prefect is imported, so `configure()` must run first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from flows.settings import WirehouseError

_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_TASKS_DEFAULT_NO_CACHE": "true",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}


def configure(verbose: bool = False) -> None:
    """Set Prefect's environment defaults (a user's own settings win). Call before importing prefect."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO"
    else:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _drain() -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    from flows import interrupt

    timeout = 1 if interrupt.received() else 10  # a stopped run must end within seconds
    APILogWorker.drain_all(timeout=timeout)
    EventsWorker.drain_all(timeout=timeout)


def check_api(url: str, timeout_s: float = 5.0) -> None:
    """One line, within seconds, when PREFECT_API_URL names a server that does not answer
    (Prefect's client would retry for minutes, then end in a traceback)."""
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/health", timeout=timeout_s).raise_for_status()
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WirehouseError(
            f"the Prefect API at {url} does not answer ({reason}): start that server (`prefect server start`), "
            "or unset PREFECT_API_URL to run with a temporary local one"
        ) from exc


@contextlib.contextmanager
def prefect_session(verbose: bool = False) -> Iterator[str]:
    """Wrap the flow calls of one CLI invocation. Yields the API URL in use: the server
    named by PREFECT_API_URL, or a temporary local one started (and stopped) here."""
    configure(verbose)
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    url = get_current_settings().api.url
    if url:
        check_api(str(url))
        try:
            yield str(url)
        finally:
            _drain()
        return

    os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
    from prefect.server.api.server import SubprocessASGIServer

    from flows import interrupt

    server = SubprocessASGIServer()
    try:
        server.start()
    except RuntimeError as exc:
        raise WirehouseError(f"could not start Prefect's temporary local server: {exc}") from exc
    except BaseException:  # stopped (SIGTERM, Ctrl-C) while it started: leave no orphan server
        server.stop()
        raise
    pid = server.server_process.pid
    interrupt.protect(pid)  # the run's crash is recorded through it before it stops
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            try:
                yield server.api_url
            finally:
                _drain()
    finally:
        server.stop()
        interrupt.unprotect(pid)
