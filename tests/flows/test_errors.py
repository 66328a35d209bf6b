"""Every failure is one line on stderr that says what to do, and comes fast (issue 14)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.app.cli import cli
from tests.conftest import SEED_AFP
from tests.flows.conftest import run_cli


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "address, expected",
    [
        ("notanaddress", "Error: --dask-address 'notanaddress' is not an address of a Dask scheduler: give tcp://HOST:PORT"),
        ("tcp://127.0.0.1:notaport", "Error: --dask-address 'tcp://127.0.0.1:notaport' is not an address of a Dask scheduler"),
        ("http://127.0.0.1:8786", "Error: --dask-address 'http://127.0.0.1:8786' is not an address of a Dask scheduler"),
        (
            "tcp://127.0.0.1:{port}",
            "Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} (Connection refused): "
            "start it (`dask scheduler`) or fix --dask-address",
        ),
    ],
)
def test_a_bad_dask_address_is_one_line_within_seconds(tmp_path, address, expected):
    port = _free_port()
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["run", "--input", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--dask-address", address.format(port=port)]
    )
    assert time.monotonic() - started < 5
    assert _one_line_error(result).startswith(expected.format(port=port))
    assert not (tmp_path / "wh").exists()  # refused before anything was started or written


def test_a_listener_that_is_not_a_dask_scheduler_is_refused(tmp_path):
    with socket.socket() as silent:  # accepts connections and says nothing, as a proxy or another service might
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        result = CliRunner().invoke(
            cli, ["run", "--input", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--dask-address", address]
        )
    assert time.monotonic() - started < 5
    assert _one_line_error(result) == (
        f"Error: cannot reach the Dask scheduler at {address} (timed out): start it (`dask scheduler`) or fix --dask-address\n"
    )


@contextlib.contextmanager
def _as_nobody():
    """Root reads every folder whatever its mode: drop the effective uid for the check."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


def test_an_unreadable_input_folder_is_one_line():
    base = Path(tempfile.mkdtemp(prefix="wirehouse-unreadable-"))
    try:
        base.chmod(0o755)
        folder = base / "in"
        folder.mkdir(mode=0o000)
        folder.chmod(0o000)
        with _as_nobody():
            result = CliRunner().invoke(cli, ["run", "--input", str(folder), "--warehouse", str(base / "wh")])
        assert _one_line_error(result) == (
            f"Error: input folder {folder} cannot be read (Permission denied): "
            "give the user running wirehouse read access to it, or choose another --input\n"
        )
    finally:
        (base / "in").chmod(0o755)
        shutil.rmtree(base)


def test_a_prefect_api_that_does_not_answer_is_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_AFP, folder / "a.txt")
    os.utime(folder / "a.txt", (time.time() - 60, time.time() - 60))
    url = f"http://127.0.0.1:{_free_port()}/api"
    started = time.monotonic()
    run = run_cli("run", "--input", str(folder), "--warehouse", str(tmp_path / "wh"), env={"PREFECT_API_URL": url})
    assert time.monotonic() - started < 60  # a child process importing Prefect on a loaded machine; was minutes
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == (
        f"Error: the Prefect API at {url} does not answer ([Errno 111] Connection refused): start that server "
        "(`prefect server start`), or unset PREFECT_API_URL to run with a temporary local one\n"
    )


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated"])
def test_a_damaged_database_names_the_file_and_the_command_that_rebuilds_it(warehouse_runs, tmp_path, damage):
    warehouse, *_ = warehouse_runs
    broken = tmp_path / "wh"
    broken.mkdir()
    db = broken / "news.duckdb"
    if damage == "garbage":  # what `copy … to 'news.duckdb'` did before queries were read-only
        db.write_text("garbage\n")
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.write_bytes((warehouse / "news.duckdb").read_bytes()[:8192])
    for command in (
        ["query", "select count(*) from top_entities"],
        ["docs"],
        ["export", "top_entities", "-o", str(tmp_path / "t.csv")],
    ):
        line = _one_line_error(CliRunner().invoke(cli, [*command, "--warehouse", str(broken)]))
        assert line.startswith(f"Error: {db} is damaged or not a DuckDB database (")
        assert line.endswith("); `wirehouse run` rebuilds it from the Parquet store\n")


def test_an_empty_query_is_one_line(warehouse_runs):
    warehouse, *_ = warehouse_runs
    for sql in ("", "  ", ";"):
        assert _one_line_error(CliRunner().invoke(cli, ["query", sql, "--warehouse", str(warehouse)])) == (
            'Error: the query is empty: give one SQL statement, e.g. "select * from top_entities limit 10"\n'
        )


# ---------------------------------------------------------------- honest output


def test_command_prefix_is_what_works_from_where_the_user_stands(tmp_path):
    from flows.app.cli import command_prefix

    venv_bin = tmp_path / "project" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    program = venv_bin / "wirehouse"
    program.write_text("#!/bin/sh\n")
    # after `make run`: not on PATH, run from the project folder
    assert command_prefix(".venv/bin/wirehouse", None, tmp_path / "project") == ".venv/bin/wirehouse"
    assert command_prefix(str(program), None, tmp_path / "project") == ".venv/bin/wirehouse"
    assert command_prefix(str(program), None, tmp_path) == "project/.venv/bin/wirehouse"
    # from outside the folder that holds it: the absolute path
    assert command_prefix(str(program), None, tmp_path / "elsewhere") == str(program)
    # on PATH (an activated venv, pipx): the bare name
    assert command_prefix(str(program), str(program), tmp_path) == "wirehouse"
    # another wirehouse on PATH is not this one
    other = tmp_path / "other" / "wirehouse"
    other.parent.mkdir()
    other.write_text("")
    assert command_prefix(str(program), str(other), tmp_path / "project") == ".venv/bin/wirehouse"
    assert command_prefix("/x/flows/cli.py", None, tmp_path, python="/usr/bin/python3") == "/usr/bin/python3 -m flows.app.cli"


def test_the_run_summary_gives_wall_time_and_a_hint_that_runs_as_printed(warehouse_runs):
    import re
    import subprocess

    warehouse, first, second, _ = warehouse_runs
    for run in (first, second):
        time_line = next(line for line in run.stdout.splitlines() if line.startswith("  time "))
        m = re.fullmatch(
            r"  time         (\d+\.\d)s  \((flow|change check) (\d+\.\d)s, (start-up and Prefect's server|start-up) the rest\)",
            time_line,
        )
        assert m, time_line
        assert float(m.group(1)) >= float(m.group(3))
        hint = run.stdout.rstrip("\n").splitlines()[-1].strip()
        assert hint.endswith(f" --warehouse {warehouse}")  # not the default warehouse: say which
        # run_cli runs from the test's working folder with the test's PATH: the hint as printed works there
        done = subprocess.run(hint, shell=True, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (hint, done.stderr)
        assert done.stdout.startswith("canonical_name  label  mentions  articles\n")
