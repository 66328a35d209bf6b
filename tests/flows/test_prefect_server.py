"""The same flow against a real `prefect server start` on loopback, via PREFECT_API_URL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.flows.conftest import run_cli

PREFECT = str(Path(sys.executable).parent / "prefect")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
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
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _post(url: str, body: dict) -> list[dict]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_run_against_a_real_prefect_server(prefect_server, mixed_input, tmp_path):
    result = run_cli(
        "run", "--input", str(mixed_input), "--warehouse", str(tmp_path / "wh"), env={"PREFECT_API_URL": prefect_server}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    run_id = result.stdout.splitlines()[0].split()[-1]
    flow_runs = _post(f"{prefect_server}/flow_runs/filter", {"limit": 10})
    assert [(r["state_type"], r["parameters"]["batch_size"]) for r in flow_runs] == [("COMPLETED", 200)]
    artifacts = _post(f"{prefect_server}/artifacts/filter", {"limit": 10})
    assert [(a["key"], a["flow_run_id"]) for a in artifacts] == [("wirehouse-run-summary", flow_runs[0]["id"])]
    assert f"# wirehouse run {run_id}" in artifacts[0]["data"]
    assert "| articles | 2 |" in artifacts[0]["data"]


def test_served_deployment_triggers_runs(prefect_server, mixed_input, tmp_path):
    """`wirehouse serve --interval` against the real server: its scheduled runs happen."""
    warehouse = tmp_path / "served"
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "wirehouse"), "serve", "--interval", "10", "--name", "test-serve",
         "--input", str(mixed_input), "--warehouse", str(warehouse), "--workers", "1"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 150
        completed, states = [], []
        while time.monotonic() < deadline and not completed:
            time.sleep(2)
            deployments = _post(f"{prefect_server}/deployments/filter", {"deployments": {"name": {"any_": ["test-serve"]}}})
            if deployments:
                runs = _post(
                    f"{prefect_server}/flow_runs/filter",
                    {"flow_runs": {"deployment_id": {"any_": [deployments[0]["id"]]}}},
                )
                completed = [r for r in runs if r["state_type"] == "COMPLETED"]
                states = [r["state_type"] for r in runs]
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
        assert completed, (states, (tmp_path / "serve.log").read_text()[-3000:])
        assert deployments[0]["schedules"][0]["schedule"]["timezone"] == "UTC"
        assert (warehouse / "news.duckdb").exists()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
