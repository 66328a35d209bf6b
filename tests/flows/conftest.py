from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEEDS

WIREHOUSE = str(Path(sys.executable).parent / "wirehouse")
PREFECT = str(Path(sys.executable).parent / "prefect")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> Run:
    """`wirehouse ARGS` in a real child process, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PREFECT_API_URL", None) if env is None or "PREFECT_API_URL" not in env else None
    proc = subprocess.run(
        [WIREHOUSE, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_in_process(*args: str, env: dict | None = None) -> Run:
    """`wirehouse ARGS` in this process (Click's runner): the same command, exit code, stdout
    and stderr as `run_cli` (log lines a console handler prints, and an escaping exception's
    traceback, included), without a child's interpreter start and imports (about 5 CPU-s a
    run). For tests that are not about the process itself; signals, kill -9 and what a
    process leaves behind stay on `run_cli`. A PREFECT_API_URL in `env` is set as Prefect's
    setting (Prefect read the environment at import). `interrupt.install()` is left out: it
    sets this process's SIGTERM/SIGINT handlers and a watcher thread, which belong to a CLI
    process, not to pytest's (tests/flows/test_signals.py tests them in a real one)."""
    import traceback
    from unittest import mock

    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.app.cli import cli
    from flows.pipeline import interrupt

    env = dict(env or {})
    url = env.pop("PREFECT_API_URL", None)
    settings = temporary_settings({PREFECT_API_URL: url}) if url else contextlib.nullcontext()
    with settings, mock.patch.object(interrupt, "install", lambda: None):
        result = _ConsoleRunner().invoke(cli, list(args), env=env)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Run(result.exit_code, result.stdout, stderr)


class _ConsoleRunner(CliRunner):
    """Also sends what logging's console handlers print (Prefect's among them, bound to the
    stderr of the time logging was set up) to the invocation's stderr, as a child's would."""

    @contextlib.contextmanager
    def isolation(self, *args, **kwargs):
        with super().isolation(*args, **kwargs) as streams:
            handlers = {
                h
                for logger in [logging.root, *logging.Logger.manager.loggerDict.values()]
                for h in getattr(logger, "handlers", ())
                if isinstance(h, logging.StreamHandler)
                and not isinstance(h, logging.FileHandler)
                and not type(h).__module__.startswith("_pytest")
                and not isinstance(h.stream, io.StringIO)
            }
            streams_before = {h: h.stream for h in handlers}
            for h in handlers:
                h.setStream(sys.stderr)
            try:
                yield streams
            finally:
                for h, stream in streams_before.items():
                    h.setStream(stream)


@pytest.fixture(scope="session")
def mixed_input(tmp_path_factory) -> Path:
    """The two seeds plus files that must be rejected, a reference folder and a hidden file."""
    folder = tmp_path_factory.mktemp("input")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (folder / "headline-only.txt").write_text("Just a headline\n")
    (folder / "reference").mkdir()
    (folder / "reference" / "aliases.csv").write_text("alias,canonical_name,label\nKremlin,Kremlin,ORG\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    return folder


@pytest.fixture(scope="session")
def warehouse_runs(mixed_input, tmp_path_factory):
    """Two runs of `wirehouse run` over the same input into one warehouse."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    first = run_cli("run", "--input", str(mixed_input), "--warehouse", str(warehouse))
    assert first.returncode == 0, first.stderr
    first_rows = snapshot_rows(warehouse)
    second = run_cli("run", "--input", str(mixed_input), "--warehouse", str(warehouse))
    assert second.returncode == 0, second.stderr
    return warehouse, first, second, first_rows


def snapshot_rows(warehouse: Path, input_root: Path | None = None) -> dict[str, list[tuple]]:
    """Every row of every staging view, minus per-run columns, sorted; with `input_root`,
    paths are shown relative to it so that runs over two copies of a folder compare."""
    import duckdb

    from flows.warehouse.object_store import reach_store_of_views

    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        reach_store_of_views(con)  # a warehouse over an s3:// store: httpfs and its credentials
        out = {}
        views = (
            "stg_articles",
            "stg_sentences",
            "stg_entities",
            "stg_removed_lines",
            "stg_rejects",
            "stg_dates_mentioned",
            "stg_amounts",
            "stg_quotes",
            "stg_ner_spans",
        )
        # (Not stg_ner_units: the model's cache holds a paragraph once, from whichever run
        # read it first, so its rows depend on the warehouse's history.)
        # Which copy of a body ran the model (ner_from) depends on the order batches finish in.
        per_run = ("ingested_at", "run_id", "ner_from")
        for view in views:
            cols = [c for c in con.sql(f"select * from {view} limit 0").columns if c not in per_run]
            rows = con.execute(f"select {', '.join(cols)} from {view}").fetchall()
            if input_root is not None:
                prefix = str(input_root) + os.sep
                rows = [tuple(v.replace(prefix, "<input>/") if isinstance(v, str) else v for v in r) for r in rows]
            out[view] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_UI_ENABLED": "false",
        # Schedule runs within seconds rather than the default minute.
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
    }
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "w")
    proc = subprocess.Popen(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
    yield url
    stop(proc)
    log.close()


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not stop within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
