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

import atexit
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flows.quick_exit import SERVER_MAIN
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

    from flows.pipeline import interrupt

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


class _TemporaryServer:
    """Prefect's temporary API server, launched as Prefect 3.8.8's `SubprocessASGIServer`
    launches it (uvicorn running `prefect.server.api.server:create_app` on a free loopback
    port, its UI off) but without importing `prefect.server` here: that import cost the CLI
    3.5 CPU-s it never used (the server runs in its own process). `launch` returns at once;
    `wait_ready` waits for its health endpoint, so that the caller's own start-up (imports,
    the plan) runs while the server starts.

    Its console output goes to a temporary file, read only when it fails to start: uvicorn
    exits with code 3 both when the port was taken meanwhile (another port is tried) and
    when the app's start-up failed (a database that cannot be opened, a bad setting), and a
    failed start must be said at once with its reason, not retried until the time-out."""

    PORTS = range(8000, 9000)
    LAUNCHES = 5  # a port taken between the check and uvicorn's bind: rare, never five times in a row

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.launches = 0
        self._output = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        import prefect
        from prefect.settings import get_current_settings

        from flows.pipeline import interrupt

        self.port = _free_port(self.PORTS)
        self.launches += 1
        if self._output is None:
            self._output = tempfile.TemporaryFile()
        self._output.seek(0)
        self._output.truncate()
        env = {
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            **get_current_settings().to_environment_variables(exclude_unset=True),
            # Its errors, into the file that explains a failed start (never on the user's terminal).
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "ERROR",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER_MAIN,  # `-m uvicorn`, ending without the interpreter's last collections
                "--app-dir",
                str(Path(prefect.__file__).parent.parent),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env=env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        interrupt.protect(self.process.pid)  # the run's crash is recorded through it before it stops

    def wait_ready(self, timeout: float) -> None:
        """Until the API answers (a blocking GET every 0.1 s, no busy loop). A port taken
        meanwhile means another port, as in Prefect; any other exit is a failed start,
        raised at once with the last error line the server printed."""
        import urllib.error
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == 3 and self.launches < self.LAUNCHES and _port_taken(self.port):
                self.stop()
                self.launch()
            elif code is not None:
                raise RuntimeError(self._failure(code))
            try:
                with opener.open(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"it did not answer within {timeout:.0f} s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS on a slow machine)"
        )

    def _failure(self, code: int) -> str:
        """Why the server exited: the last line of its output that names an error."""
        self._output.seek(0)
        lines = [line.strip() for line in self._output.read().decode("utf-8", "replace").splitlines() if line.strip()]
        # Its traceback ends with the exception; uvicorn then logs "Application startup failed. Exiting."
        errors = [line for line in lines if "Error" in line.split(":", 1)[0] or "Exception" in line.split(":", 1)[0]]
        reason = errors[-1] if errors else (lines[-1] if lines else "no output")
        return f"the server process exited with code {code}: {reason}"

    def stop(self) -> None:
        from flows.pipeline import interrupt

        if self.process is None:
            return
        process, self.process = self.process, None
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        interrupt.unprotect(process.pid)

    def close(self) -> None:
        self.stop()
        if self._output is not None:
            self._output.close()
            self._output = None


@contextlib.contextmanager
def _api_url_everywhere(url: str) -> Iterator[None]:
    """The temporary server's URL for the block in this process's environment and in
    Prefect's process-wide settings, not only in the settings context of this thread.
    Threads do not inherit that context: the process pool's thread that forwards the batch
    workers' events and logs found no API URL and started a second temporary server of its
    own (measured on 318 BBC files with 2 workers: a second uvicorn process, child of the
    CLI, 5.82 CPU-s). Processes started meanwhile (the batch workers) inherit the
    environment. Both are put back as they were after the block."""
    from prefect.context import SettingsContext, _temporary_global_settings_context

    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        # The settings this thread runs with (the URL included), for threads without their own.
        with _temporary_global_settings_context(SettingsContext.get()):
            yield
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before


def _port_taken(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _free_port(ports: range) -> int:
    for _ in range(20):
        port = random.choice(ports)
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise WirehouseError("could not start Prefect's temporary local server: no free port between 8000 and 8999")


class ApiUrl(str):
    """The URL of the Prefect API a session uses, and whether the session started that server."""

    started_here: bool

    def __new__(cls, url: str, started_here: bool) -> ApiUrl:
        self = super().__new__(cls, url)
        self.started_here = started_here
        return self


@contextlib.contextmanager
def prefect_session(verbose: bool = False, meanwhile: Callable[[], None] | None = None) -> Iterator[ApiUrl]:
    """Wrap the flow calls of one CLI invocation. Yields the API URL in use: the server
    named by PREFECT_API_URL (reused, not started), or a temporary local one started (and
    stopped, on every way out) here (`ApiUrl.started_here`). `meanwhile` runs while that
    server starts: work that does not need it (imports, checks) is not made to wait for it."""
    configure(verbose)
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    url = get_current_settings().api.url
    if url:
        check_api(str(url))
        try:
            if meanwhile:
                meanwhile()
            yield ApiUrl(str(url), started_here=False)
        finally:
            _drain()
        return

    os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
    server = _TemporaryServer()
    try:
        server.launch()
        atexit.register(server.stop)  # a path nobody foresaw still leaves no orphan server
        if meanwhile:
            meanwhile()
        try:
            server.wait_ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
        except RuntimeError as exc:
            raise WirehouseError(f"could not start Prefect's temporary local server: {exc}") from exc
        with temporary_settings({PREFECT_API_URL: server.api_url}), _api_url_everywhere(server.api_url):
            try:
                yield ApiUrl(server.api_url, started_here=True)
            finally:
                _drain()
    finally:
        server.close()
        atexit.unregister(server.stop)
