"""Damage between runs, as an operator meets it (issue 18): a file of the warehouse is
overwritten, truncated, emptied, bit-flipped, cut to half its rows or deleted, then the
next real `wirehouse run` either repairs it — exactly the rows of a clean build, one line
saying what it repaired — or refuses in one line naming the file and the fix. Never a
traceback. `wirehouse check` finds each kind first.

One clean warehouse is built per module and restored (copytree keeps sizes and times)
before each case, rather than a cold run per case; the runs and checks after the damage are
the real `wirehouse` commands run in-process (what they print and return, not the process,
is under test), which spares each case a child's interpreter start and imports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows.plan.up_to_date import up_to_date
from flows.store import delta_log, integrity, storage
from tests.flows.conftest import run_cli, run_in_process, snapshot_rows
from tests.flows.test_incremental import seeded_folder, settle

DELTA_STORE = "Delta Lake tables, the published run in table_versions (other engines read them)"
NOTES = {f"note{i}.txt": f"Note {i}\n\nNATO and Belarus held talks in Minsk, report number {i} said.\n" for i in range(5)}


def _run(folder: Path, warehouse: Path, server: str, *args: str, cli=run_in_process):
    return cli(
        "run",
        "--input",
        str(folder),
        "--warehouse",
        str(warehouse),
        "--workers",
        "1",
        "--batch-size",
        "3",
        *args,
        env={"PREFECT_API_URL": server, "WIREHOUSE_GC_GRACE": "0"},
    )


@pytest.fixture(scope="module")
def built(prefect_server, tmp_path_factory):
    """(input folder, warehouse path, pristine copy, rows of the clean build). Two runs, so
    that there is a previous snapshot: the second adds note4.txt."""
    base = tmp_path_factory.mktemp("repair")
    folder = seeded_folder(base / "in", {**NOTES, "empty.txt": b""}, age_s=120)
    last = folder / "note4.txt"
    held = last.read_bytes()
    last.unlink()
    wh = base / "wh"
    # The clean build's runs are real child processes, as an operator's are.
    assert _run(folder, wh, prefect_server, cli=run_cli).returncode == 0
    last.write_bytes(held)
    settle(folder, {"note4.txt"})
    second = _run(folder, wh, prefect_server, cli=run_cli)
    assert second.returncode == 0, second.stderr[-2000:]
    assert len(delta_log.published_runs(storage.ParquetStore(str(wh / "parquet")))) == 2
    pristine = base / "pristine"
    shutil.copytree(wh, pristine)
    return folder, wh, pristine, snapshot_rows(wh)


def _restore(built) -> Path:
    _, wh, pristine, _ = built
    shutil.rmtree(wh)
    shutil.copytree(pristine, wh)  # copy2: the same sizes and modification times
    return wh


def _part(wh: Path, table: str) -> Path:
    """The first part of `table` that holds rows (a group with input files behind it)."""
    snap = storage.load_snapshot(wh)
    for rel in snap.parts[table]:
        if snap.checks[rel]["rows"] > 1:
            return wh / "parquet" / rel
    raise AssertionError(table)


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def bit_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))


def deleted(path: Path) -> None:
    path.unlink()


def half_rows(path: Path) -> None:
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows // 2), path, compression="zstd")


def empty_object(path: Path) -> None:
    path.write_text("{}")


CASES = [
    pytest.param("news.duckdb", garbage, id="database-garbage"),
    pytest.param("news.duckdb", truncated, id="database-truncated"),
    pytest.param("news.duckdb", zero_bytes, id="database-zero-bytes"),
    pytest.param("news.duckdb", bit_flip, id="database-bit-flip"),
    pytest.param("articles", garbage, id="articles-part-garbage"),
    pytest.param("entities", truncated, id="entities-part-truncated"),
    pytest.param("sentences", deleted, id="sentences-part-deleted"),
    pytest.param("entities", half_rows, id="entities-part-half-rows"),
    pytest.param("files", garbage, id="manifest-part-garbage"),
    pytest.param("files", deleted, id="manifest-part-deleted"),
    # The published run is the newest commit of table_versions' Delta log (what current.json was).
    pytest.param("table_versions-commit", garbage, id="table_versions-newest-commit-garbage"),
    pytest.param("table_versions-commit", truncated, id="table_versions-newest-commit-truncated"),
    pytest.param("table_versions-commit", empty_object, id="table_versions-newest-commit-empty-object"),
    pytest.param("_state/database.json", truncated, id="database.json-truncated"),
    pytest.param("_state/database.json", deleted, id="database.json-deleted"),
    pytest.param("_state/database.json", empty_object, id="database.json-empty-object"),
    pytest.param("_state/warehouse_id", garbage, id="warehouse_id-garbage"),
    pytest.param("parquet/_wirehouse.json", garbage, id="store-marker-garbage"),
]


def _newest_commit(wh: Path, table: str = "table_versions") -> Path:
    return max((wh / "parquet" / table / "_delta_log").glob("*.json"))


def _target(wh: Path, what: str) -> Path:
    if what in storage.TABLES:
        return _part(wh, what)
    if what == "table_versions-commit":
        return _newest_commit(wh)
    return wh / what


@pytest.mark.parametrize(("what", "damage"), CASES)
def test_the_next_run_repairs_damage(built, prefect_server, what, damage):
    folder, _, _, clean = built
    wh = _restore(built)
    target = _target(wh, what)
    damage(target)
    # `wirehouse check` finds it, naming the file.
    found = integrity.check(wh).findings
    assert len(found) >= 1 and any(target.name in f for f in found), found
    run = _run(folder, wh, prefect_server)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    repaired = [line for line in run.stdout.splitlines() if line.startswith("  repaired ")]
    assert len(repaired) == 1 and target.name in repaired[0], run.stdout
    assert "NOT repaired" not in run.stdout
    assert snapshot_rows(wh) == clean
    # Repaired for good: the next run has nothing to do, and `check` finds nothing.
    assert up_to_date(folder, wh) is not None
    assert integrity.check(wh).findings == []


def _as_of_articles(wh: Path, run_id: str) -> list[dict]:
    result = run_in_process("query", "select * from stg_articles", "--warehouse", str(wh), "--format", "json", "--as-of", run_id)
    assert result.returncode == 0, result.stderr[-2000:]
    return sorted(json.loads(result.stdout), key=lambda r: r["article_id"])


@pytest.mark.parametrize("damage", [garbage, truncated, empty_object, zero_bytes])
def test_a_damaged_older_table_versions_commit_is_reported_and_the_table_written_anew(built, prefect_server, damage):
    """A commit of table_versions' log that is not the newest (the first run's) damaged: no
    reader of the table gets past it (the next run with work failed with a traceback, after
    committing its tables, and `check` said nothing). `check` names it; the next run, over an
    unchanged folder, writes table_versions anew from its Parquet files, and --as-of still
    reads the runs it kept."""
    folder, _, _, clean = built
    wh = _restore(built)
    runs = [p.run_id for p in delta_log.published_runs(storage.ParquetStore(str(wh / "parquet")))]
    before = {runs[1]: _as_of_articles(wh, runs[1])}
    log = wh / "parquet" / "table_versions" / "_delta_log"
    first = log / f"{0:020d}.json"
    assert first != _newest_commit(wh)
    damage(first)
    found = integrity.check(wh).findings
    assert len(found) == 1 and first.name in found[0] and "an older commit of table_versions' log" in found[0], found
    assert up_to_date(folder, wh) is None  # the next run has work: the repair
    run = _run(folder, wh, prefect_server)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    repaired = [line for line in run.stdout.splitlines() if line.startswith("  repaired ")]
    assert len(repaired) == 1 and first.name in repaired[0] and "written anew" in repaired[0], run.stdout
    assert snapshot_rows(wh) == clean
    assert integrity.check(wh).findings == []
    assert up_to_date(folder, wh) is not None
    # The damaged log is kept aside; every run, the repairing one too, is in the new table.
    assert [p.name.split("-")[0] for p in (wh / "parquet" / "table_versions").glob("_delta_log.damaged-*")] == [
        "_delta_log.damaged"
    ]
    history = [p.run_id for p in delta_log.published_runs(storage.ParquetStore(str(wh / "parquet")))]
    assert history[:2] == runs and len(history) == 3
    # The run before the repairing one reads as it did (the first's files went: no grace period here).
    assert _as_of_articles(wh, runs[1]) == before[runs[1]]


@pytest.mark.crash
def test_a_run_killed_while_it_writes_table_versions_anew_leaves_a_warehouse_the_next_run_completes(built, prefect_server):
    """kill -9 between moving the damaged log aside and the new table's first commit: no
    published run is left in table_versions, the database is still the last one, and the
    next run processes every file again, to the clean rows, with a readable table_versions."""
    folder, _, _, clean = built
    wh = _restore(built)
    truncated(wh / "parquet" / "table_versions" / "_delta_log" / f"{0:020d}.json")
    env = {"PREFECT_API_URL": prefect_server, "WIREHOUSE_GC_GRACE": "0", "WIREHOUSE_CRASH_AT": "table_versions_log_moved_aside"}
    killed = run_cli("run", "--input", str(folder), "--warehouse", str(wh), "--workers", "1", env=env)
    assert killed.returncode == -9, killed.stdout + killed.stderr[-2000:]
    assert not (wh / "parquet" / "table_versions" / "_delta_log").exists()
    assert snapshot_rows(wh) == clean  # the published database is untouched
    run = _run(folder, wh, prefect_server)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    assert "(8 new, 0 changed, 0 unchanged, 0 deleted" in run.stdout, run.stdout
    repaired = [line for line in run.stdout.splitlines() if line.startswith("  repaired ")]
    assert len(repaired) == 1 and "a run was killed while it wrote table_versions anew" in repaired[0], run.stdout
    assert snapshot_rows(wh) == clean
    assert integrity.check(wh).findings == []
    assert up_to_date(folder, wh) is not None


def test_a_lost_table_versions_commit_leaves_the_tables_ahead_and_they_are_restored(built, prefect_server):
    """The last run's table_versions commit deleted (the log then ends at the run before: a
    deleted file shows in no parse): the tables hold that run's commits, which no pointer
    names; `check` names them, the next run restores them and does the last run's work again."""
    folder, _, pristine, clean = built
    wh = _restore(built)
    store = storage.ParquetStore(str(wh / "parquet"))
    runs = delta_log.published_runs(store)
    log = wh / "parquet" / "table_versions" / "_delta_log"
    last_write = max(
        v for v in range(len(list(log.glob("*.json")))) if '"operation":"WRITE"' in (log / f"{v:020d}.json").read_text()
    )
    for path in log.glob("*.json"):
        if int(path.stem) >= last_write:
            path.unlink()
    assert storage.load_snapshot(wh).run_id == runs[0].run_id
    found = integrity.check(wh).findings
    assert any("commits of run" in f and runs[1].run_id in f for f in found), found
    health = integrity.inspect(wh)
    assert len(health.repairs) == 1 and f"restored to run {runs[0].run_id}'s files" in health.repairs[0], health.repairs
    run = _run(folder, wh, prefect_server)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    assert "(1 new, 0 changed, 7 unchanged, 0 deleted" in run.stdout, run.stdout  # note4.txt again
    assert snapshot_rows(wh) == clean
    assert up_to_date(folder, wh) is not None
    assert integrity.check(wh).findings == []


def test_a_store_of_an_older_wirehouse_is_read_from_its_snapshot_json_once(built, prefect_server):
    """A local store that an older wirehouse wrote: its snapshot in `_state/current.json`
    (and previous.json), its tables not yet in table_versions. The next run reads it there,
    processes nothing again, publishes it to the Delta tables and removes the JSON files."""
    folder, _, pristine, clean = built
    wh = _restore(built)
    snapshot = storage.load_snapshot(wh)
    shutil.rmtree(wh / "parquet" / "table_versions")
    (wh / "_state" / "store.json").unlink()
    record = {"run_id": snapshot.run_id, "parts": snapshot.parts, "parquet_url": "", "checks": snapshot.checks}
    (wh / "_state" / "current.json").write_text(json.dumps(record))
    (wh / "_state" / "previous.json").write_text(json.dumps(record))
    assert storage.load_snapshot(wh).parts == snapshot.parts and not storage.load_snapshot(wh).versions
    assert up_to_date(folder, wh) is None  # published once, not skipped
    run = _run(folder, wh, prefect_server)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    assert "(0 new, 0 changed, 8 unchanged, 0 deleted" in run.stdout, run.stdout  # nothing processed again
    assert not (wh / "_state" / "current.json").exists() and not (wh / "_state" / "previous.json").exists()
    assert storage.load_snapshot(wh).versions
    assert [p.run_id for p in delta_log.published_runs(storage.ParquetStore(str(wh / "parquet")))][-1] != snapshot.run_id
    assert snapshot_rows(wh) == clean
    assert up_to_date(folder, wh) is not None
    assert integrity.check(wh).findings == []


def test_rows_whose_input_is_gone_too_are_named_and_the_rest_published(built, prefect_server, tmp_path):
    folder, _, _, clean = built
    wh = _restore(built)
    part = _part(wh, "articles")
    gone = sorted(pq.read_table(part)["source_path"].to_pylist())[0]
    garbage(part)
    moved = tmp_path / "gone"
    shutil.move(gone, moved)
    try:
        run = _run(folder, wh, prefect_server)
    finally:
        shutil.move(moved, gone)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout + run.stderr[-3000:]
    lines = [line for line in run.stdout.splitlines() if line.startswith("  NOT repaired ")]
    assert len(lines) == 1 and gone in lines[0], run.stdout
    rows = snapshot_rows(wh)
    assert rows["stg_articles"] == [r for r in clean["stg_articles"] if gone not in r]
    assert len(rows["stg_articles"]) == len(clean["stg_articles"]) - 1


def test_a_store_whose_damaged_marker_is_not_ours_is_refused_in_one_line(built, prefect_server, tmp_path):
    folder = built[0]
    theirs = tmp_path / "theirs"
    (theirs / "articles").mkdir(parents=True)
    (theirs / "articles" / "part-x.parquet").write_bytes(b"PAR1")
    (theirs / storage.STORE_MARKER).write_bytes(os.urandom(100))
    run = run_in_process(
        "run",
        "--input",
        str(folder),
        "--warehouse",
        str(tmp_path / "wh"),
        "--parquet-url",
        str(theirs),
        env={"PREFECT_API_URL": prefect_server},
    )
    assert run.returncode == 1
    assert re.fullmatch(
        rf"Error: the Parquet store's marker {theirs}/_wirehouse.json is damaged and this warehouse's snapshots "
        r"list none of the store's parts: if the store is this warehouse's, delete that file; else give another --parquet-url\n",
        run.stderr,
    ), run.stderr
    assert (theirs / "articles" / "part-x.parquet").read_bytes() == b"PAR1"


def test_check_deep_finds_silent_rot_that_sizes_miss(built):
    wh = _restore(built)
    part = _part(wh, "entities")
    data = bytearray(part.read_bytes())
    data[len(data) // 3] ^= 0x01  # same size, same footer: only the content hash tells
    part.write_bytes(bytes(data))
    rel = part.relative_to(wh / "parquet").as_posix()
    finding = f"  {rel}: content differs from what was written (sha256)"
    assert finding not in run_in_process("check", "--warehouse", str(wh)).stdout.splitlines()
    deep = run_in_process("check", "--warehouse", str(wh), "--deep")
    assert deep.returncode == 1 and finding in deep.stdout.splitlines(), deep.stdout


def test_check_repair_repairs_on_demand(built, prefect_server):
    folder, _, _, clean = built
    wh = _restore(built)
    garbage(wh / "news.duckdb")
    fixed = run_in_process(
        "check", "--warehouse", str(wh), "--repair", "--input", str(folder), env={"PREFECT_API_URL": prefect_server}
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr[-2000:]
    assert fixed.stdout.splitlines()[0] == "wirehouse check: 1 finding(s), repairing:"
    assert fixed.stdout.splitlines()[-2].endswith("nothing wrong")
    assert fixed.stdout.splitlines()[-1] == f"  store: {wh / 'parquet'}: {DELTA_STORE}"
    assert snapshot_rows(wh) == clean


def test_snapshots_record_each_part_as_written(built):
    """table_versions records each table's files at its version with the size, rows and
    content hash they were written with."""
    wh = _restore(built)
    snap = storage.load_snapshot(wh)
    assert snap.versions and not snap.legacy
    store = snap.store(wh)
    listed = sorted(p for paths in snap.parts.values() for p in paths)
    assert sorted(snap.checks) == listed
    for rel in listed:
        data = (wh / "parquet" / rel).read_bytes()
        assert snap.checks[rel] == storage.part_checks(data, store.num_rows(rel))
    state = json.loads((wh / "_state" / "database.json").read_text())
    st = (wh / "news.duckdb").stat()
    assert (state["bytes"], state["mtime_ns"]) == (st.st_size, st.st_mtime_ns)


def test_check_runs_the_data_tests_again_only_when_deep(built, monkeypatch):
    """At BBC scale the data tests were 4 of a check's 4.5 CPU-s (target: 2 s): a plain
    check trusts the build's run of them on the very file it verified; --deep runs them."""
    from flows.warehouse import build

    wh = _restore(built)
    runs = []
    real = build.run_data_tests
    monkeypatch.setattr(build, "run_data_tests", lambda *args, **kw: runs.append(1) or real(*args, **kw))
    plain = integrity.check(wh)
    assert (plain.findings, plain.data_tests_run, runs) == ([], False, [])
    deep = integrity.check(wh, deep=True)
    assert (deep.findings, deep.data_tests_run, runs) == ([], True, [1])
    assert deep.data_tests == len(build.data_tests(build.SQL_DIR)) > 20
    out = run_cli("check", "--warehouse", str(wh)).stdout
    assert out.endswith(
        "rows (sizes, row counts), the database (its data tests passed when it was built; --deep runs them again): nothing wrong\n"
        f"  store: {wh / 'parquet'}: {DELTA_STORE}\n"
    ), out
