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

from flows.pipeline.lock import WarehouseBusy, run_lock
from flows.store import storage
from tests.conftest import ROOT, SEEDS
from tests.flows.conftest import WIREHOUSE


def test_a_second_run_is_refused_while_the_first_holds_the_warehouse(tmp_path):
    code = (
        "from flows.pipeline.lock import WarehouseBusy, run_lock; import pathlib\n"
        f"try:\n    with run_lock(pathlib.Path({str(tmp_path)!r}), wait=0.3): pass\n"
        "except WarehouseBusy as exc:\n    print(exc)"
    )
    with run_lock(tmp_path):
        refused = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert re.fullmatch(
        rf"another wirehouse run is writing {tmp_path} \(pid {os.getpid()}, started \S+\); wait for it or pass --wait SECONDS\n",
        refused,
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == ""  # released on exit


def test_the_lock_dies_with_its_holder(tmp_path):
    code = f"from flows.pipeline.lock import run_lock; import pathlib, time\nwith run_lock(pathlib.Path({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(60)"
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
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert re.fullmatch(r"Error: another wirehouse run is writing .*; wait for it or pass --wait SECONDS\n", proc.stderr)


def test_the_lock_is_reentrant_in_its_holder_only(tmp_path):
    """The CLI holds the lock and the flow takes it again in the same process (a flow
    started by `serve` or a worker takes it on its own); any other process is refused."""
    code = f"from flows.pipeline.lock import run_lock; import pathlib\nwith run_lock(pathlib.Path({str(tmp_path)!r})): pass"
    with run_lock(tmp_path):
        with run_lock(tmp_path):
            pass
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert other.returncode == 1 and "WarehouseBusy: another wirehouse run is writing" in other.stderr
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0  # released by the outer block only


def test_a_second_run_is_refused_at_once_even_on_an_up_to_date_warehouse(warehouse_runs, mixed_input):
    """The loser of the race says so and exits non-zero, before any slow start-up; it
    never reports "nothing new" on a warehouse another run is writing (issue 18)."""
    warehouse = warehouse_runs[0]
    with run_lock(warehouse):
        started = time.monotonic()
        proc = subprocess.run(
            [WIREHOUSE, "run", "--input", str(mixed_input), "--warehouse", str(warehouse)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    assert (proc.returncode, proc.stdout) == (1, "")
    assert re.fullmatch(
        rf"Error: another wirehouse run is writing {warehouse} \(pid {os.getpid()}, started \d{{4}}-\d\d-\d\dT\S+\); "
        r"wait for it or pass --wait SECONDS\n",
        proc.stderr,
    )
    # Under a second on a quiet machine (0.3-0.5 s); on a loaded one, Python's own start-up
    # grows too: what the refusal adds to `wirehouse --version` must stay small.
    started = time.monotonic()
    subprocess.run([WIREHOUSE, "--version"], capture_output=True, timeout=60)
    startup = time.monotonic() - started
    assert elapsed < 1.0 or elapsed - startup < 0.5, f"refused after {elapsed:.2f}s (start-up {startup:.2f}s)"


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
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
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
