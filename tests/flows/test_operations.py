"""Operational guarantees: one run at a time, retries of transient read errors, the
progress bar, and the README's Python example."""

from __future__ import annotations

import errno
import os
import pty
import re
import subprocess
import sys
import time

import pytest

from flows import storage
from flows.lock import WarehouseBusy, run_lock
from tests.conftest import ROOT, SEEDS
from tests.flows.conftest import WIREHOUSE


def test_a_second_run_is_refused_while_the_first_holds_the_warehouse(tmp_path):
    with run_lock(tmp_path):
        with pytest.raises(WarehouseBusy) as err:
            with run_lock(tmp_path, wait=0.3):
                pass
    assert re.fullmatch(
        rf"another wirehouse run is writing {tmp_path} \(pid {os.getpid()}, started \S+\); wait for it or pass --wait SECONDS",
        str(err.value),
    )
    with run_lock(tmp_path):  # released on exit
        pass


def test_the_lock_dies_with_its_holder(tmp_path):
    code = f"from flows.lock import run_lock; import pathlib, time\nwith run_lock(pathlib.Path({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(WarehouseBusy):
        with run_lock(tmp_path):
            pass
    holder.kill()
    holder.wait()
    with run_lock(tmp_path, wait=5):  # no stale lock after a kill -9
        pass


def test_cli_reports_a_busy_warehouse_in_one_line(tmp_path):
    with run_lock(tmp_path / "wh"):
        proc = subprocess.run(
            [WIREHOUSE, "run", "--input", str(SEEDS), "--warehouse", str(tmp_path / "wh")],
            capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert re.fullmatch(r"Error: another wirehouse run is writing .*; wait for it or pass --wait SECONDS\n", proc.stderr)


def test_transient_read_errors_are_retried_then_given_up(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\n\nBody.\n")
    t = time.time() - 60
    os.utime(path, (t, t))
    entry = storage.InputFile(str(path), "a.txt", path.stat().st_size, path.stat().st_mtime_ns)
    real_open = open
    failures = {"left": 2}

    def flaky_open(file, *args, **kwargs):  # the file system answers "busy" twice
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", flaky_open)
    data, sha = storage.read_file(entry, backoff_s=0.01)
    assert data == b"Title\n\nBody.\n" and failures["left"] == 0
    failures["left"] = 10
    with pytest.raises(OSError) as err:
        storage.read_file(entry, retries=3, backoff_s=0.01)
    assert err.value.errno == errno.EBUSY and failures["left"] == 6  # 1 try + 3 retries


def test_progress_bar_on_a_terminal(prefect_server, tmp_path):
    """On a terminal, `wirehouse run` draws a progress bar on stderr (and only there)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [WIREHOUSE, "run", "--input", str(SEEDS), "--warehouse", str(tmp_path / "wh"), "--workers", "1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        env={**os.environ, "PREFECT_API_URL": prefect_server, "COLUMNS": "100"},
    )
    os.close(slave)
    out, _ = proc.communicate(timeout=300)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    assert proc.returncode == 0
    assert b"ingesting" in terminal and b"2/2" in terminal
    assert out.decode().startswith("wirehouse run ")


def test_the_readme_python_example_runs():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if not line.startswith("#")]
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec("\n".join(lines[:-2]), namespace)  # up to the two display lines
    finally:
        os.chdir(cwd)
    title = namespace["tables"]["articles"].to_pylist()[0]["title"]
    assert f'# "{title}"' in block
    assert {"text", "label", "canonical_name"} <= set(namespace["tables"]["entities"].column_names)
