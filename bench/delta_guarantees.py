"""Issue 17 groundwork: what delta-rs guarantees on a local file system, measured.

    python bench/delta_guarantees.py [--json out.json]

Runs in a temporary folder (no input needed) and prints one line per fact:
- concurrent appenders (4 processes × 10 commits): every commit kept?
- two processes replacing the same rows (`overwrite` with a predicate): is the conflict caught?
- kill -9 in the middle of `write_deltalake`: version and rows unchanged? what is left on disk,
  and which `vacuum` removes it?
- `deltalake` used in a process that then forks a worker using it (a worker pool's default)
- DuckDB's delta extension under the read-only connection's lock-down (`enable_external_access
  = false`, `allowed_paths` listing other files): does `delta_scan` read a table's log anyway?

Needs `deltalake` and `duckdb-extension-delta` (see bench/table_format.py: a scratch venv).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

for _mod, _pkg in {"deltalake": "deltalake==1.6.6", "duckdb_extension_delta": "duckdb-extension-delta==1.5.5"}.items():
    if importlib.util.find_spec(_mod) is None:
        sys.stderr.write(f"bench/delta_guarantees.py needs {_pkg}: install it in a scratch venv (see bench/table_format.py)\n")
        sys.exit(2)

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
from deltalake import DeltaTable, write_deltalake  # noqa: E402


def _one(value: int) -> pa.Table:
    return pa.table({"a": pa.array([value], pa.int64())})


def appender(root: str, i: int) -> None:
    for j in range(10):
        write_deltalake(root, _one(i * 100 + j), mode="append")


def overwriter(root: str, i: int) -> None:
    try:
        for _ in range(5):
            write_deltalake(root, _one(1000 + i), mode="overwrite", predicate="a >= 0")
    except Exception as exc:  # the loser of a conflict
        print(f"  overwriter {i}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}", flush=True)
        sys.exit(3)


def big_writer(root: str) -> None:
    write_deltalake(root, pa.table({"a": pa.array(range(30_000_000), pa.int64())}), mode="append")


def forked_use(root: str, queue) -> None:
    try:
        queue.put(DeltaTable(root).version())
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        queue.put(f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    facts: dict[str, object] = {}
    work = Path(tempfile.mkdtemp(prefix="delta_guarantees-"))
    spawn = mp.get_context("spawn")  # deltalake's runtime does not survive fork (measured below)
    try:
        root = str(work / "t")
        write_deltalake(root, _one(0))
        procs = [spawn.Process(target=appender, args=(root, i)) for i in range(4)]
        [p.start() for p in procs]
        [p.join() for p in procs]
        t = DeltaTable(root)
        facts["concurrent appends: exit codes, version, rows (expect 40, 41)"] = (
            [p.exitcode for p in procs],
            t.version(),
            t.count(),
        )

        procs = [spawn.Process(target=overwriter, args=(root, i)) for i in range(2)]
        [p.start() for p in procs]
        [p.join() for p in procs]
        t = DeltaTable(root)
        facts["racing overwrite(predicate): exit codes, rows left"] = (
            [p.exitcode for p in procs],
            sorted(t.to_pyarrow_table()["a"].to_pylist()),
        )

        before = (t.version(), t.count(), {f for f in os.listdir(root) if f.endswith(".parquet")})
        p = spawn.Process(target=big_writer, args=(root,))
        p.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not ({f for f in os.listdir(root) if f.endswith(".parquet")} - before[2]):
            time.sleep(0.01)  # killed as soon as its data file appears: mid-write, before the commit
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        t = DeltaTable(root)
        left = {f for f in os.listdir(root) if f.endswith(".parquet")} - before[2]
        facts["kill -9 mid-write: version and rows unchanged"] = (t.version(), t.count()) == before[:2]
        facts["kill -9 mid-write: new unlisted data files (name, bytes)"] = sorted(
            (f, os.path.getsize(Path(root) / f)) for f in left
        )
        tomb = set(t.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=True))
        full = set(t.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=True, full=True))
        facts["vacuum(0 h) would remove the killed writer's file"] = any(f.endswith(n) for n in left for f in tomb)
        facts["vacuum(0 h, full=True) would remove it"] = any(f.endswith(n) for n in left for f in full)
        facts["vacuum(default 168 h) would remove (files)"] = len(t.vacuum(dry_run=True))
        facts["checkpoint files after all these commits"] = sorted(
            f for f in os.listdir(Path(root) / "_delta_log") if "checkpoint" in f
        )

        queue = mp.get_context("fork").Queue()
        DeltaTable(root).version()  # this process's runtime exists now
        child = mp.get_context("fork").Process(target=forked_use, args=(root, queue))
        child.start()
        child.join(60)
        facts["deltalake in a forked child after the parent used it"] = (
            queue.get(timeout=5) if not queue.empty() else f"no answer, exit {child.exitcode}"
        )

        import duckdb_extension_delta

        ext = (
            Path(next(iter(duckdb_extension_delta.__path__))) / "extensions" / f"v{duckdb.__version__}" / "delta.duckdb_extension"
        )
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        con.execute(f"load '{ext}'")
        con.execute(f"set allowed_paths = ['{work}/elsewhere.parquet']")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        try:
            con.sql(f"select count(*) from delta_scan('{root}')").fetchall()
            facts["delta_scan outside allowed_paths"] = "read it all"
        except duckdb.Error as exc:
            msg = str(exc).splitlines()[0]
            named = any(n in msg for n in os.listdir(root) if n.endswith(".parquet"))
            facts["delta_scan outside allowed_paths"] = (
                "refused at a data file the log named: the log was read" if named else "refused"
            ) + f" ({msg[:160]})"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for key, value in facts.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(facts, indent=1, default=str))


if __name__ == "__main__":
    main()
