"""Prefect's temporary server: started while the caller does other work, stopped on every
way out (success, an error, Ctrl-C), never imported into the CLI's process."""

from __future__ import annotations

import subprocess
import sys

import psutil
import pytest

from flows.app import prefect_session


def _all_servers() -> list[psutil.Process]:
    return [
        p for p in psutil.Process().children(recursive=True) if "prefect.server.api.server:create_app" in " ".join(p.cmdline())
    ]


# The test session's shared server (the `prefect_api` fixture), if an earlier test started
# it, is not one of these tests' servers.
_SESSION_SERVERS: set[int] = set()


@pytest.fixture(autouse=True)
def _known_servers():
    _SESSION_SERVERS.update(p.pid for p in _all_servers())


@pytest.fixture
def no_api_url(monkeypatch):
    """No Prefect API configured, not even the session's shared server's."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        yield


def _servers() -> list[psutil.Process]:
    return [p for p in _all_servers() if p.pid not in _SESSION_SERVERS]


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class Boom(Exception):
    pass


@pytest.mark.parametrize("way_out", ["success", "error", "ctrl-c", "ctrl-c while it starts"])
def test_the_temporary_server_starts_meanwhile_and_stops_on_every_way_out(way_out, no_api_url):
    import urllib.request

    seen: dict = {}

    def meanwhile():
        # The server was launched before this ran, and had not answered yet or had just now.
        (server,) = _servers()
        seen["pid"] = server.pid
        if way_out == "ctrl-c while it starts":
            raise KeyboardInterrupt

    raised = {"success": None, "error": Boom, "ctrl-c": KeyboardInterrupt, "ctrl-c while it starts": KeyboardInterrupt}[way_out]
    try:
        with prefect_session.prefect_session(meanwhile=meanwhile) as url:
            with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
                assert response.status == 200
            assert url.started_here is True
            assert [p.pid for p in _servers()] == [seen["pid"]]
            if raised:
                raise raised()
    except (Boom, KeyboardInterrupt) as exc:
        assert type(exc) is raised
    else:
        assert raised is None
    assert _gone(seen["pid"]) and _servers() == []


def test_a_server_already_running_is_reused():
    import http.server
    import threading

    from prefect.settings import PREFECT_API_URL, temporary_settings

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"true")

        def log_message(self, *args):
            pass

    running = http.server.HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{running.server_address[1]}/api"
    calls = []
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            with prefect_session.prefect_session(meanwhile=lambda: calls.append(1)) as used:
                assert used == url and used.started_here is False and _servers() == [] and calls == [1]
    finally:
        running.shutdown()


def test_a_server_that_fails_to_start_is_said_at_once_with_its_reason(no_api_url, tmp_path):
    """uvicorn exits with code 3 for a failed start as for a port taken: the session must
    not start it again and again until the time-out (120 s), then blame the time."""
    import time

    from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL, temporary_settings

    from flows.settings import WirehouseError

    unopenable = f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'prefect.db'}"
    started = time.monotonic()
    with temporary_settings({PREFECT_API_DATABASE_CONNECTION_URL: unopenable}):
        with pytest.raises(WirehouseError) as raised:
            with prefect_session.prefect_session():
                pytest.fail("the session must not start")
    assert str(raised.value) == (
        "could not start Prefect's temporary local server: the server process exited with code 3: "
        "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) unable to open database file"
    )
    assert time.monotonic() - started < 60
    assert _servers() == []


def test_a_port_taken_meanwhile_means_another_port(no_api_url, monkeypatch):
    """The port was free when chosen and taken before uvicorn bound it: another port."""
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    free = iter([taken.getsockname()[1]])
    real_free_port = prefect_session._free_port
    monkeypatch.setattr(prefect_session, "_free_port", lambda ports: next(free, None) or real_free_port(ports))
    server = prefect_session._TemporaryServer()
    try:
        server.launch()
        server.wait_ready(120)
        assert server.launches == 2 and server.port != taken.getsockname()[1]
    finally:
        server.close()
        taken.close()
    assert _servers() == []


def test_the_cli_never_imports_prefects_server():
    code = (
        "import sys, flows.app.cli, flows.app.prefect_session, flows.pipeline.ingest;"
        "print(sorted(m for m in sys.modules if m.startswith('prefect.server')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_threads_and_processes_started_in_the_session_find_its_server(no_api_url):
    """The process pool's thread that forwards the batch workers' events and logs has no
    settings context of its own, and a batch worker is a process started during the session:
    both must find the session's server, not start a temporary server of their own."""
    import os
    import threading

    from prefect.settings import get_current_settings

    code = "from prefect.settings import get_current_settings; print(get_current_settings().api.url)"
    with prefect_session.prefect_session() as url:
        in_thread = []
        thread = threading.Thread(target=lambda: in_thread.append(get_current_settings().api.url))
        thread.start()
        thread.join()
        assert in_thread == [url]
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == url
    assert "PREFECT_API_URL" not in os.environ
    assert get_current_settings().api.url is None
