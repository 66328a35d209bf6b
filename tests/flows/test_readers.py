"""Readers are never cut off: parts leave the disk only a grace period after the last
snapshot that listed them stopped being current or previous (issue 18)."""

from __future__ import annotations

import json
import os
import time

import duckdb
import pytest

from flows.settings import WirehouseError, gc_grace_s
from flows.store import storage
from tests.flows.conftest import run_cli
from tests.flows.test_incremental import seeded_folder, settle


def _part(store: storage.ParquetStore, name: str) -> str:
    return store.write("runs", storage.TABLES["runs"].empty_table(), name)


def test_parts_wait_out_the_grace_period_after_they_leave_the_snapshots(tmp_path):
    wh = tmp_path / "wh"
    store = storage.ParquetStore(str(storage.default_parquet_dir(wh)))
    retired = wh / "_state" / "retired.json"

    def publish(run_id, part):
        storage.publish_snapshot(wh, storage.Snapshot(run_id=run_id, parts={"runs": [part]}))

    a, b = _part(store, "part-a"), _part(store, "part-b")
    publish("r1", a)
    publish("r2", b)  # a stays listed by the previous snapshot
    _part(store, "part-killed-run")  # written by a run that never published
    (store.local_path("runs") / ".part-x.abc.tmp").write_bytes(b"a killed writer's")
    # What no published snapshot ever listed goes at once.
    assert storage.collect_garbage(wh, store, grace_s=3600) == 2
    assert store.files() == sorted([a, b])
    c = _part(store, "part-c")
    publish("r3", c)  # a leaves both snapshots: its grace period starts
    left = json.loads(retired.read_text())
    assert list(left) == [a] and abs(left[a] - time.time()) < 60
    # Within the grace period nothing goes, whatever the number of collections.
    assert storage.collect_garbage(wh, store, grace_s=3600, now=left[a] + 3599) == 0
    assert storage.collect_garbage(wh, store, grace_s=3600, now=left[a] + 3599) == 0
    assert store.files() == sorted([a, b, c])
    assert storage.collect_garbage(wh, store, grace_s=3600, now=left[a] + 3600) == 1
    assert store.files() == sorted([b, c]) and json.loads(retired.read_text()) == {}
    # Unreadable clocks: every unlisted part starts one (keeps more, never less).
    publish("r4", c)  # b leaves
    retired.write_bytes(os.urandom(64))
    assert storage.collect_garbage(wh, store, grace_s=3600) == 0
    assert store.files() == sorted([b, c]) and list(json.loads(retired.read_text())) == [b]
    assert storage.collect_garbage(wh, store, grace_s=0) == 1
    assert store.files() == [c]


def test_the_grace_period_is_a_setting(monkeypatch):
    monkeypatch.delenv("WIREHOUSE_GC_GRACE", raising=False)
    assert gc_grace_s() == 7 * 24 * 3600
    monkeypatch.setenv("WIREHOUSE_GC_GRACE", "90")
    assert gc_grace_s() == 90
    for bad in ("an hour", "-1", "nan", "inf"):
        monkeypatch.setenv("WIREHOUSE_GC_GRACE", bad)
        with pytest.raises(WirehouseError, match=rf"^WIREHOUSE_GC_GRACE='{bad}' is not a number of seconds: give e.g. 604800"):
            gc_grace_s()


READS = [
    "select count(*), sum(length(title)) from stg_articles",
    "select count(*) from stg_sentences",
    "select count(*) from stg_entities",
    "select count(*) from stg_ner_spans",
    "select count(*) from stg_files",
    "select * from top_entities",
    "select * from run_history",
]


def _read_all(con) -> list:
    return [con.execute(sql).fetchall() for sql in READS]


def test_a_reader_keeps_working_across_three_publishing_runs(prefect_server, tmp_path):
    src = seeded_folder(tmp_path / "in", {"note.txt": "Note\n\nMinsk and NATO held talks.\n"})
    wh = tmp_path / "wh"
    env = {"PREFECT_API_URL": prefect_server}
    assert run_cli("run", "--input", str(src), "--warehouse", str(wh), "--workers", "1", env=env).returncode == 0
    reader = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    opened = _read_all(reader)
    errors = []
    for i in range(3):
        (src / "note.txt").write_text(f"Note {i}\n\nWarsaw and Kyiv, version {i}.\n")
        (src / f"new{i}.txt").write_text(f"New {i}\n\nRiga said so in report {i}.\n")
        settle(src, {"note.txt", f"new{i}.txt"})
        run = run_cli("run", "--input", str(src), "--warehouse", str(wh), "--workers", "1", env=env)
        assert run.returncode == 0 and run.stdout.startswith("wirehouse run "), run.stderr[-2000:]
        try:
            # The reader sees the warehouse it opened, unchanged, after every run.
            assert _read_all(reader) == opened
        except duckdb.Error as exc:
            errors.append(str(exc).splitlines()[0])
    reader.close()
    assert errors == []
    # A new connection sees the last run.
    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from stg_articles").fetchone() == (6,)
