"""The Parquet store's tables are Delta Lake tables (issue 17 items 1-3): every run commits
its parts and a `table_versions` row per table; other engines (DuckDB's delta extension,
polars) read each table and get the warehouse's rows; `--as-of` reads an earlier run."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.settings import WirehouseError
from flows.store import delta_log, storage
from flows.warehouse.extensions import NO_DOWNLOADS, load_extensions
from tests.flows.conftest import run_in_process
from tests.flows.test_incremental import seeded_folder, settle
from transforms.schemas import TABLES


def _duckdb_delta() -> duckdb.DuckDBPyConnection:
    """DuckDB with its delta extension, loaded from the registry wheel (nothing downloaded)."""
    con = duckdb.connect(config=NO_DOWNLOADS)
    load_extensions(con, ("delta",))
    return con


def _sorted_rows(table: pa.Table) -> list:
    return sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)


def _one_row(name: str, i: int) -> pa.Table:
    """A table's empty schema with one row where every column has a value (nulls where a
    value cannot be made up)."""
    schema = TABLES[name]
    row = {}
    for f in schema:
        t = f.type
        if pa.types.is_string(t):
            row[f.name] = [f"{f.name}-{i}"]
        elif pa.types.is_list(t):
            row[f.name] = [[4_000_000_000, i] if pa.types.is_uint32(t.value_type) else []]
        elif pa.types.is_integer(t):
            row[f.name] = [i]
        elif pa.types.is_boolean(t):
            row[f.name] = [True]
        elif pa.types.is_timestamp(t):
            row[f.name] = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
        elif pa.types.is_date(t):
            row[f.name] = [dt.date(2026, 1, i + 1)]
        elif pa.types.is_floating(t):
            row[f.name] = [0.5]
        else:
            row[f.name] = [None]
    return pa.table(row, schema=schema)


def test_delta_schema_declares_unsigned_columns_one_size_up():
    widened = delta_log.delta_schema(TABLES["articles"])
    assert widened.field("minhash").type == pa.list_(pa.int64())
    assert [f.name for f in widened] == TABLES["articles"].names
    # Every other column is declared as it is stored.
    assert [f for f in widened if f.name != "minhash"] == [f for f in TABLES["articles"] if f.name != "minhash"]
    for name, schema in TABLES.items():
        assert not any(pa.types.is_unsigned_integer(f.type) for f in delta_log.delta_schema(schema)), name


def _commit(store, run_id, parts):
    checks = {rel: store.checks(rel) for paths in parts.values() for rel in paths}
    return delta_log.commit_run(store, run_id, parts, checks)


@pytest.fixture
def two_commits(tmp_path):
    """A store committed twice: run r1 with a part per table, then run r2 that replaces
    the articles part and adds a sentences part."""
    store = storage.ParquetStore(str(tmp_path / "parquet"))
    first = {name: [store.write(name, _one_row(name, 0), "part-r1")] for name in TABLES}
    v1 = _commit(store, "r1", first)
    second = {**first, "articles": [store.write("articles", _one_row("articles", 1), "part-r2", partition="month=2026-01")]}
    second["sentences"] = [*first["sentences"], store.write("sentences", _one_row("sentences", 2), "part-r2")]
    v2 = _commit(store, "r2", second)
    storage.forget_written(store)
    return store, first, second, v1, v2


def test_each_run_commits_the_snapshots_parts_and_its_versions(two_commits):
    from deltalake import DeltaTable

    store, first, second, v1, v2 = two_commits
    assert v1 == dict.fromkeys(TABLES, 0)
    # Only the tables whose parts changed got a new version.
    assert v2 == {**v1, "articles": 1, "sentences": 1}
    for name in TABLES:
        table = DeltaTable(delta_log.table_uri(store, name))
        assert sorted(f"{name}/{p}" for p in delta_log.listed_files(table)) == sorted(second[name])
        assert (
            sorted(f"{name}/{p}" for p in delta_log.listed_files(DeltaTable(delta_log.table_uri(store, name), version=0)))
            == first[name]
        )
    history = delta_log.published_runs(store)
    assert [(p.run_id, p.versions) for p in history] == [("r1", v1), ("r2", v2)]
    assert delta_log.last_committed_run(store) == "r2"
    # Each commit says which run made it.
    log = store.local_path("articles") / "_delta_log" / "00000000000000000001.json"
    infos = [json.loads(line)["commitInfo"] for line in log.read_text().splitlines() if "commitInfo" in line]
    assert [i.get("wirehouse_run") for i in infos] == ["r2"]
    # The data files of the log are never listed as parts, nor removed as garbage.
    assert all("_delta_log" not in rel for rel in store.table_files("articles"))


def test_a_commit_after_a_killed_one_mirrors_the_snapshot(two_commits):
    """A table committed by a run killed before its table_versions rows (here: every file of
    entities removed) is brought back to the next run's snapshot exactly."""
    from deltalake import DeltaTable, Schema
    from deltalake.transaction import RemoveAction

    store, first, second, v1, v2 = two_commits
    table = DeltaTable(delta_log.table_uri(store, "entities"))
    table.create_write_transaction(
        [RemoveAction(p, True, 0) for p in delta_log.listed_files(table)],
        mode="append",
        schema=Schema.from_arrow(delta_log.delta_schema(TABLES["entities"])),
    )
    v3 = _commit(store, "r3", second)
    entities = DeltaTable(delta_log.table_uri(store, "entities"))
    assert sorted(f"entities/{p}" for p in delta_log.listed_files(entities)) == second["entities"]
    assert v3 == {**v2, "entities": 2}
    assert [p.run_id for p in delta_log.published_runs(store)] == ["r1", "r2", "r3"]


def test_a_table_whose_columns_changed_takes_the_new_ones(two_commits, monkeypatch):
    """A warehouse of an older wirehouse (a column added since) is processed again: the
    Delta table declares the new columns, its earlier versions keep theirs."""
    from deltalake import DeltaTable

    store, first, second, v1, v2 = two_commits
    wider = TABLES["sentences"].append(pa.field("added", pa.string()))
    monkeypatch.setitem(TABLES, "sentences", wider)
    rows = _one_row("sentences", 5)
    rel = store.write("sentences", rows, "part-r3")
    v3 = _commit(store, "r3", {**second, "sentences": [second["sentences"][0], rel]})
    table = DeltaTable(delta_log.table_uri(store, "sentences"))
    assert table.version() == v3["sentences"] == v2["sentences"] + 2
    assert sorted(f"sentences/{p}" for p in delta_log.listed_files(table)) == sorted([second["sentences"][0], rel])
    assert table.to_pyarrow_table().column_names == wider.names
    old = DeltaTable(delta_log.table_uri(store, "sentences"), version=v2["sentences"]).to_pyarrow_table()
    assert old.column_names == [n for n in wider.names if n != "added"] and old.num_rows == 2


def test_run_table_versions_has_each_published_runs_versions_and_up_to_a_run(two_commits, tmp_path):
    """What the database's run_table_versions holds (issue 17 item 3): a row per published run
    and table with the version table_versions names; up to a run, that run's and earlier
    ones; a store without Delta tables (memory://, snapshot JSON), none."""
    from flows.warehouse.run_versions import write_run_versions

    store, first, second, v1, v2 = two_commits
    con = duckdb.connect(str(tmp_path / "db.duckdb"))
    query = "select run_id, table_name, version from run_table_versions order by finished_at, table_name"
    assert write_run_versions(con, store) == 2 * len(TABLES)
    assert con.execute(query).fetchall() == [("r1", t, v1[t]) for t in sorted(TABLES)] + [
        ("r2", t, v2[t]) for t in sorted(TABLES)
    ]
    assert v2["articles"] == v1["articles"] + 1 and v2["files"] == v1["files"]
    assert write_run_versions(con, store, up_to="r1") == len(TABLES)  # replaces the rows
    assert con.execute(query).fetchall() == [("r1", t, v1[t]) for t in sorted(TABLES)]
    assert write_run_versions(con, storage.ParquetStore("memory://wirehouse-no-delta")) == 0
    assert con.execute(query).fetchall() == []
    assert con.execute("describe run_table_versions").fetchall() == [
        ("run_id", "VARCHAR", "NO", None, None, None),
        ("table_name", "VARCHAR", "NO", None, None, None),
        ("version", "BIGINT", "NO", None, None, None),
        ("finished_at", "TIMESTAMP WITH TIME ZONE", "NO", None, None, None),
    ]
    con.close()


def test_second_engines_read_every_table_at_each_runs_version(two_commits):
    import polars as pl

    store, first, second, v1, v2 = two_commits
    con = _duckdb_delta()
    for parts, pointer in ((first, delta_log.read_pointer(store, "r1")), (second, delta_log.read_pointer(store, "r2"))):
        for name in TABLES:
            expected = _sorted_rows(pa.concat_tables(store.read_table(rel) for rel in parts[name]))
            uri = delta_log.table_uri(store, name)
            version = pointer.versions[name]
            got = con.execute(f"select * from delta_scan('{uri}', version := {version})").arrow()
            assert _sorted_rows(got.read_all() if hasattr(got, "read_all") else got) == expected, name
            frame = pl.read_delta(uri, version=version)
            assert sorted(frame.rows(), key=repr) == expected, name
    con.close()


def test_read_pointer_by_run_id_and_timestamp_and_bad_input(two_commits):
    store, first, second, v1, v2 = two_commits
    r1, r2 = delta_log.published_runs(store)
    assert delta_log.read_pointer(store, "r1") == r1
    assert delta_log.read_pointer(store, r2.finished_at) == r2
    assert delta_log.read_pointer(store, (r2.finished_at - dt.timedelta(microseconds=1)).isoformat()) == r1
    assert delta_log.read_pointer(store, r2.finished_at.replace(tzinfo=None).isoformat()) == r2  # naive: UTC
    assert delta_log.files_at(store, r1) == first
    with pytest.raises(WirehouseError, match="no such run and not a timestamp"):
        delta_log.read_pointer(store, "r9")
    with pytest.raises(WirehouseError, match="no run had finished by then"):
        delta_log.read_pointer(store, "2000-01-01")
    store.remove(first["articles"][0])
    with pytest.raises(WirehouseError, match="can no longer be read: 1 of its Parquet files"):
        delta_log.files_at(store, r1)
    with pytest.raises(WirehouseError, match="no run history"):
        delta_log.read_pointer(storage.ParquetStore(str(Path(store.url).parent / "empty")), "r1")


def test_garbage_collection_keeps_the_delta_logs(two_commits, tmp_path):
    store, *_ = two_commits
    from deltalake import DeltaTable

    for name in TABLES:  # checkpoints are Parquet files in the log
        DeltaTable(delta_log.table_uri(store, name)).create_checkpoint()
    logs = sorted(rel for rel in store.files() if storage.in_delta_log(rel))
    assert any(rel.endswith(".checkpoint.parquet") for rel in logs)
    storage.collect_garbage(tmp_path, store, grace_s=0)
    assert sorted(rel for rel in store.files() if storage.in_delta_log(rel)) == logs


def test_vacuum_keeps_the_previous_run_and_the_grace_period_and_removes_what_no_version_lists(two_commits):
    """Delta's vacuum is the store's garbage collection: r3 replaces the articles part
    again, so r1's articles part (removed by r2) and r2's (removed by r3) are tombstoned.
    Within the grace period both stay and every run reads; past it, r1's goes and r2, the
    run before the last, stays readable (`keep_versions`); a part no version lists (a
    killed run's) goes at once unless a published snapshot lists it."""
    store, first, second, v1, v2 = two_commits
    third = {**second, "articles": [store.write("articles", _one_row("articles", 3), "part-r3")]}
    _commit(store, "r3", third)
    storage.forget_written(store)
    orphan = store.write("entities", _one_row("entities", 7), "part-killed")
    listed = store.write("entities", _one_row("entities", 8), "part-listed-by-a-snapshot")
    logs = sorted(rel for rel in store.files() if storage.in_delta_log(rel))

    assert delta_log.vacuum(store, grace_s=3600, keep={listed}) == 1
    assert store.size(orphan) is None and store.size(listed) is not None
    r1, r2, r3 = delta_log.published_runs(store)
    assert [delta_log.files_at(store, p) for p in (r1, r2, r3)] == [first, second, third]

    assert delta_log.vacuum(store, grace_s=0, keep=set()) == 2  # r1's articles part, and `listed`
    assert store.size(first["articles"][0]) is None and store.size(second["articles"][0]) is not None
    assert [delta_log.files_at(store, p) for p in (r2, r3)] == [second, third]
    with pytest.raises(WirehouseError) as err:
        delta_log.files_at(store, r1)
    assert str(err.value) == (
        f"run r1 can no longer be read: 1 of its Parquet files (e.g. {first['articles'][0]}) were vacuumed. "
        "A warehouse keeps its last two runs and every run that was the newest within WIREHOUSE_GC_GRACE "
        f"({delta_log.retention_hours(storage_grace())} h) before the last run's cleanup; the oldest it can read is r2"
    )
    # The logs stay whole; vacuum's commits name the last run, so the no-op check still finds it.
    assert set(logs) <= {rel for rel in store.files() if storage.in_delta_log(rel)}
    assert delta_log.last_committed_run(store) == "r3"
    assert delta_log.vacuum(store, grace_s=0, keep=set()) == 0  # nothing left to remove: no commit either
    from deltalake import DeltaTable

    versions = {name: DeltaTable(delta_log.table_uri(store, name)).version() for name in TABLES}
    delta_log.vacuum(store, grace_s=0, keep=set())
    assert {name: DeltaTable(delta_log.table_uri(store, name)).version() for name in TABLES} == versions


def test_the_pointer_under_its_sixth_session_name_is_read_and_renamed_by_the_next_commit(two_commits):
    """`table_versions` was `run_history` (the name of a mart too); a store written then is
    read as it is, and its next commit moves the table to the new name, history and all."""
    store, first, second, v1, v2 = two_commits
    os.replace(store.local_path("table_versions"), store.local_path("run_history"))
    assert [p.run_id for p in delta_log.published_runs(store)] == ["r1", "r2"]
    assert delta_log.last_committed_run(store) == "r2"
    _commit(store, "r3", second)
    assert not store.local_path("run_history").exists()
    assert [p.run_id for p in delta_log.published_runs(store)] == ["r1", "r2", "r3"]
    assert delta_log.files_at(store, delta_log.read_pointer(store, "r1")) == first


def test_vacuum_retention_is_the_grace_period_in_whole_hours_rounded_up():
    assert [delta_log.retention_hours(s) for s in (0, 1, 3600, 3601, 7 * 24 * 3600)] == [0, 1, 1, 2, 168]


def storage_grace() -> float:
    from flows.settings import gc_grace_s

    return gc_grace_s()


# --- end to end: real runs ---------------------------------------------------------------


def _run(folder, wh, *extra, env=None):
    result = run_in_process(
        "run", "--input", str(folder), "--warehouse", str(wh), "--workers", "1", "--batch-size", "2", *extra, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _query(wh, sql, *extra):
    result = run_in_process("query", sql, "--warehouse", str(wh), "--format", "json", *extra)
    return result


@pytest.fixture(scope="module")
def two_runs(prefect_api, tmp_path_factory):
    """A warehouse after two runs: 2 seeds + 4 notes, then one note changed, one deleted
    and one added. Returns the warehouse, the input and the rows of each run."""
    base = tmp_path_factory.mktemp("delta")
    notes = {f"note{i}.txt": f"Note {i}\n\nA short article number {i} about Minsk and NATO.\n" for i in range(4)}
    folder, wh = seeded_folder(base / "in", notes, age_s=120), base / "wh"
    _run(folder, wh)
    first = {v: _rows(wh, v) for v in VIEWS}
    first_run = storage.load_snapshot(wh).run_id
    (folder / "note0.txt").write_text("Note 0, corrected\n\nKyiv and Warsaw said so.\n")
    (folder / "note1.txt").unlink()
    (folder / "note9.txt").write_text("Note 9\n\nA new article about Vilnius.\n")
    settle(folder, age_s=60)
    _run(folder, wh)
    second = {v: _rows(wh, v) for v in VIEWS}
    return wh, folder, first_run, first, second


VIEWS = ("stg_articles", "stg_sentences", "stg_entities", "top_entities", "run_history")


def _rows(wh, view, *extra):
    result = _query(wh, f"select * from {view}", *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    return sorted(json.dumps(r, sort_keys=True) for r in json.loads(result.stdout))


def test_as_of_the_previous_run_gives_its_rows_exactly(two_runs):
    wh, folder, first_run, first, second = two_runs
    assert first != second  # the second run changed the rows
    for view in VIEWS:
        if view == "run_history":  # as of the first run: its own row only
            continue
        assert _rows(wh, view, "--as-of", first_run) == first[view], view
    as_of_runs = [json.loads(r)["run_id"] for r in _rows(wh, "run_history", "--as-of", first_run)]
    assert as_of_runs == [first_run]
    # The last run, by id or by the time it finished, is the warehouse as published.
    history = delta_log.published_runs(storage.open_store(wh, storage.load_snapshot(wh)))
    assert [p.run_id for p in history][0] == first_run and len(history) == 2
    for as_of in (history[1].run_id, history[1].finished_at.isoformat()):
        assert _rows(wh, "stg_articles", "--as-of", as_of) == second["stg_articles"]
    assert _rows(wh, "stg_articles", "--as-of", history[0].finished_at.isoformat()) == first["stg_articles"]
    # Temporary databases go with their connections.
    import tempfile

    assert not list(Path(tempfile.gettempdir()).glob("wirehouse-as-of-*"))


def test_as_of_in_the_python_api_and_a_bad_as_of_is_one_line(two_runs):
    import flows

    wh, folder, first_run, first, second = two_runs
    frame = flows.query("select count(*) as n from stg_articles", wh, as_of=first_run)
    assert int(frame["n"][0]) == len(first["stg_articles"])
    with flows.connect(wh, as_of=first_run) as con:
        assert con.execute("select count(*) from stg_articles").fetchone()[0] == len(first["stg_articles"])
        with pytest.raises(WirehouseError):
            con.execute("copy stg_articles to 'x.csv'")
    bad = _query(wh, "select 1", "--as-of", "nonsense")
    assert bad.returncode != 0
    assert bad.stderr.strip().count("\n") == 0 and "no such run and not a timestamp" in bad.stderr, bad.stderr


def run_history_versions(wh, *as_of) -> dict[str, dict[str, int] | None]:
    """run_id -> the `table_versions` column of `run_history` (the published database, or
    `--as-of` a run)."""
    result = _query(wh, "select run_id, table_versions from run_history", *as_of)
    assert result.returncode == 0, result.stderr[-2000:]
    return {r["run_id"]: r["table_versions"] for r in json.loads(result.stdout)}


def assert_run_history_has_the_stores_versions(wh) -> list[delta_log.Pointer]:
    """Every run in `run_history` has the versions the store's table_versions names for it,
    and the last run those DeltaTable(...).version() says; returns the published runs."""
    from deltalake import DeltaTable

    store = storage.open_store(wh, storage.load_snapshot(wh))
    history = delta_log.published_runs(store)
    assert history and set(history[-1].versions) == set(TABLES)
    assert run_history_versions(wh) == {p.run_id: p.versions for p in history}
    current = {t: DeltaTable(delta_log.table_uri(store, t)).version() for t in TABLES}
    assert run_history_versions(wh)[history[-1].run_id] == current
    return history


def test_run_history_links_each_run_to_its_table_versions_and_as_of_to_those_up_to_it(two_runs):
    """Issue 17 item 3: the published database's run_history gives each run (the last one
    too, whose commit came after its database was tested) its table versions; `--as-of` the
    first run gives that run's alone."""
    wh, folder, first_run, first, second = two_runs
    history = assert_run_history_has_the_stores_versions(wh)
    assert [p.run_id for p in history][0] == first_run and len(history) == 2
    assert history[0].versions != history[1].versions  # the second run committed new versions
    assert history[1].versions["articles"] == history[0].versions["articles"] + 1
    assert run_history_versions(wh, "--as-of", first_run) == {first_run: history[0].versions}
    as_of = _query(wh, "select distinct run_id from run_table_versions", "--as-of", first_run)
    assert json.loads(as_of.stdout) == [{"run_id": first_run}]  # no later run's rows either
    # The first run's own database had its versions too (they were written before its swap).
    [first_row] = [json.loads(r) for r in first["run_history"]]
    assert first_row["table_versions"] == history[0].versions
    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        assert con.execute("select count(*), count(distinct run_id) from run_table_versions").fetchone() == (
            2 * len(TABLES),
            2,
        )


OLD_STORE = Path(__file__).resolve().parent.parent / "fixtures" / "store_4db4d34"


def test_runs_of_a_store_an_older_wirehouse_wrote_have_no_table_versions(prefect_api, tmp_path):
    """A store wirehouse 4db4d34 wrote (tests/fixtures/store_4db4d34: two runs, plain Parquet
    parts and snapshot JSON, no Delta log): the next run publishes it to Delta tables;
    run_history keeps the two older runs, with table_versions NULL (they published no
    versions), and gives the new run the versions the store's table_versions names."""
    import shutil

    import pyarrow.parquet as pq

    folder, wh = tmp_path / "in", tmp_path / "wh"
    shutil.copytree(OLD_STORE / "in", folder)
    shutil.copytree(OLD_STORE / "wh", wh)
    (wh / "_state" / "input.json").write_text(json.dumps({"input": str(folder)}))
    settle(folder, age_s=120)
    assert not list(wh.rglob("_delta_log")) and not (wh / "parquet" / "table_versions").exists()
    old_runs = sorted(r for p in (wh / "parquet" / "runs").glob("*.parquet") for r in pq.read_table(p)["run_id"].to_pylist())
    old_titles = sorted(t for p in (wh / "parquet" / "articles").glob("*.parquet") for t in pq.read_table(p)["title"].to_pylist())
    assert len(old_runs) == 2 and len(old_titles) == 3

    _run(folder, wh)
    [new] = delta_log.published_runs(storage.open_store(wh, storage.load_snapshot(wh)))
    assert new.run_id not in old_runs and set(new.versions) == set(TABLES)
    assert run_history_versions(wh) == {old_runs[0]: None, old_runs[1]: None, new.run_id: new.versions}
    from deltalake import DeltaTable

    store = storage.open_store(wh, storage.load_snapshot(wh))
    assert new.versions == {t: DeltaTable(delta_log.table_uri(store, t)).version() for t in TABLES}
    titles = json.loads(_query(wh, "select title from stg_articles order by title").stdout)
    assert [r["title"] for r in titles] == old_titles
    assert not (wh / "_state" / "current.json").exists()
    # --as-of an older run says why it cannot be read (not "no such run": it is in run_history).
    result = _query(wh, "select 1", "--as-of", old_runs[1])
    assert result.returncode != 0 and result.stderr.strip().count("\n") == 0, result.stderr
    assert "published no table versions (an older wirehouse made it" in result.stderr, result.stderr
    assert f"the first run --as-of can read is {new.run_id}" in result.stderr
    assert _rows(wh, "stg_articles", "--as-of", new.run_id) == _rows(wh, "stg_articles")


def test_a_second_engine_reads_every_table_as_the_warehouse_does(two_runs):
    """DuckDB's delta reader and polars, at the versions table_versions names for the last
    run, give exactly the rows of the Parquet files the published warehouse reads."""
    import polars as pl

    wh, *_ = two_runs
    snapshot = storage.load_snapshot(wh)
    store = snapshot.store(wh)
    pointer = delta_log.published_runs(store)[-1]
    assert pointer.run_id == snapshot.run_id
    con = _duckdb_delta()
    warehouse = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    for name in TABLES:
        files = ", ".join(f"'{store.uri(rel)}'" for rel in snapshot.parts[name])
        expected = sorted(
            warehouse.execute(f"select * from read_parquet([{files}], hive_partitioning = false)").fetchall(), key=repr
        )
        uri = delta_log.table_uri(store, name)
        got = con.execute(f"select * from delta_scan('{uri}', version := {pointer.versions[name]})").fetchall()
        assert sorted(got, key=repr) == expected, name
        frame = pl.read_delta(uri, version=pointer.versions[name]).to_arrow().cast(TABLES[name])
        stored = pa.concat_tables(store.read_table(p) for p in snapshot.parts[name]).cast(TABLES[name])
        assert len(frame) == len(expected) and _sorted_rows(frame) == _sorted_rows(stored), name
    # The articles the warehouse shows are the ones the Delta table holds.
    ids = sorted(r[0] for r in warehouse.execute("select article_id from stg_articles").fetchall())
    assert ids == sorted(pl.read_delta(delta_log.table_uri(store, "articles"))["article_id"].to_list())
    # The runs' table versions too: table_versions, read by both engines, holds what the
    # database's run_table_versions (run_history's table_versions) has, both runs.
    linked = sorted(warehouse.execute("select run_id, table_name, version from run_table_versions").fetchall())
    assert len(linked) == 2 * len(TABLES)
    uri = delta_log.table_uri(store, delta_log.VERSIONS)
    assert sorted(con.execute(f"select run_id, table_name, version from delta_scan('{uri}')").fetchall()) == linked
    assert sorted(pl.read_delta(uri).select("run_id", "table_name", "version").rows()) == linked
    warehouse.close()
    con.close()
    assert os.path.isdir(store.local_path("table_versions") / "_delta_log")


def test_a_run_over_an_unchanged_folder_restores_tables_a_killed_run_committed(two_runs, tmp_path):
    """A table committed by a run killed before its table_versions rows (here: every file
    of entities removed): the warehouse still reads the published run's files; the next run
    over the unchanged folder restores the table to them, without processing a file."""
    import shutil

    from deltalake import CommitProperties, DeltaTable, Schema
    from deltalake.transaction import RemoveAction

    wh0, folder, *_ = two_runs
    wh = tmp_path / "wh"
    shutil.copytree(wh0, wh)  # the same input folder: its files unchanged
    snapshot = storage.load_snapshot(wh)
    store = snapshot.store(wh)
    table = DeltaTable(delta_log.table_uri(store, "entities"))
    table.create_write_transaction(
        [RemoveAction(p, True, 0) for p in delta_log.listed_files(table)],
        mode="append",
        schema=Schema.from_arrow(delta_log.delta_schema(TABLES["entities"])),
        commit_properties=CommitProperties(custom_metadata={"wirehouse_run": "killed"}),
    )
    assert storage.load_snapshot(wh).parts == snapshot.parts  # readers go through table_versions
    assert delta_log.tables_ahead(store, snapshot.run_id, snapshot.versions, snapshot.parts) == {"entities": "killed"}
    result = _run(folder, wh)
    assert "repaired" in result.stdout and "entities" in result.stdout, result.stdout
    assert "0 new, 0 changed" in result.stdout, result.stdout
    after = storage.load_snapshot(wh)
    assert after.run_id != snapshot.run_id
    assert {t: after.parts[t] for t in ("articles", "sentences", "entities")} == {
        t: snapshot.parts[t] for t in ("articles", "sentences", "entities")
    }
    assert delta_log.tables_ahead(store, after.run_id, after.versions, after.parts) == {}
    assert (
        sorted(f"entities/{p}" for p in delta_log.listed_files(DeltaTable(delta_log.table_uri(store, "entities"))))
        == (snapshot.parts["entities"])
    )


def test_the_pointer_read_from_the_log_is_the_one_deltalake_reads(two_commits):
    """`last_pointer` reads the newest run commit of table_versions' log and its file
    (a run over an unchanged folder never imports deltalake); after the file is compacted
    away and vacuumed, it asks deltalake: the same answer both ways, files and all."""
    from deltalake import DeltaTable

    store, first, second, v1, v2 = two_commits
    fast = delta_log.last_pointer(store)
    slow = delta_log.published_runs(store)[-1]
    assert fast == slow and fast.run_id == "r2" and fast.versions == v2
    assert {t: sorted(f) for t, f in fast.files.items()} == {t: sorted(p) for t, p in second.items()}
    versions = DeltaTable(delta_log.table_uri(store, delta_log.VERSIONS))
    versions.optimize.compact()
    versions.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    assert delta_log.last_pointer(store) == slow
    assert delta_log.previous_pointer(store, slow).run_id == "r1"


def test_a_damaged_newest_table_versions_commit_is_named_and_dropped(two_commits):
    store, first, second, v1, v2 = two_commits
    log = store.local_path(delta_log.VERSIONS) / "_delta_log"
    newest = max(log.glob("*.json"))
    newest.write_bytes(b"\x00garbage")
    with pytest.raises(delta_log.PointerDamaged, match=newest.name):
        delta_log.last_pointer(store)
    assert delta_log.last_readable_pointer(store).run_id == "r1"
    assert delta_log.drop_unreadable_commits(store, delta_log.VERSIONS) == [newest.name]
    assert delta_log.last_pointer(store).run_id == "r1"
    _commit(store, "r3", second)
    assert [p.run_id for p in delta_log.published_runs(store)] == ["r1", "r3"]


def test_as_of_reaches_the_previous_run_always_and_older_ones_within_the_grace_period(two_runs, tmp_path):
    """After a third run (default grace, seven days) the first run still reads exactly; a
    fourth run whose cleanup has no grace (WIREHOUSE_GC_GRACE=0) keeps only itself and the
    run before it, and `--as-of` an older run is one line naming the oldest it can read."""
    import shutil

    wh0, folder0, first_run, first, second = two_runs
    folder, wh = tmp_path / "in", tmp_path / "wh"
    shutil.copytree(folder0, folder)
    shutil.copytree(wh0, wh)
    for i in (2, 3):
        (folder / "note2.txt").write_text(f"Note 2, version {i}\n\nRiga and Tallinn, report {i}.\n")
        settle(folder, age_s=60)
        _run(folder, wh, "--replace-input", env={"WIREHOUSE_GC_GRACE": "0"} if i == 3 else None)
        if i == 2:
            assert _rows(wh, "stg_articles", "--as-of", first_run) == first["stg_articles"]
    history = delta_log.published_runs(storage.open_store(wh, storage.load_snapshot(wh)))
    assert len(history) == 4
    third = history[2]
    assert _rows(wh, "stg_articles", "--as-of", third.run_id) != _rows(wh, "stg_articles")
    for gone in (first_run, history[1].run_id, history[1].finished_at.isoformat()):
        result = _query(wh, "select 1", "--as-of", gone)
        assert result.returncode != 0 and result.stderr.strip().count("\n") == 0, result.stderr
        assert "can no longer be read" in result.stderr and f"the oldest it can read is {third.run_id}" in result.stderr


def test_a_grace_longer_than_a_week_keeps_the_logs_removals_as_long(two_commits):
    """Delta's checkpoints forget removals older than `delta.deletedFileRetentionDuration`
    (a week by default); vacuum's full mode would then take such files for ones no version
    listed. A longer grace sets the property to match, in a commit of the last run."""
    from deltalake import DeltaTable

    store, *_ = two_commits
    prop = delta_log.TOMBSTONE_RETENTION
    delta_log.vacuum(store, grace_s=3600, keep=set())
    assert prop not in DeltaTable(delta_log.table_uri(store, "articles")).metadata().configuration
    delta_log.vacuum(store, grace_s=30 * 24 * 3600, keep=set())
    for name in [*TABLES, delta_log.VERSIONS]:
        assert DeltaTable(delta_log.table_uri(store, name)).metadata().configuration[prop] == "interval 720 hours", name
    assert delta_log.last_committed_run(store) == "r2"
    delta_log.vacuum(store, grace_s=0, keep=set())  # back to a week
    assert DeltaTable(delta_log.table_uri(store, "articles")).metadata().configuration[prop] == "interval 168 hours"


def _articles_dated(dates: list, i: int) -> pa.Table:
    rows = pa.concat_tables([_one_row("articles", i * 10 + k) for k in range(len(dates))])
    return rows.set_column(rows.schema.get_field_index("published_date"), "published_date", pa.array(dates, pa.date32()))


def test_a_parts_date_and_integer_ranges_are_in_the_log_and_other_engines_skip_files_by_them(tmp_path):
    """The tables have no partition columns (README): a run's parts are committed with each
    date and integer column's minimum, maximum and nulls from the Parquet footer, so that
    DuckDB's delta reader asking for a range of `published_date` reads only the files whose
    range meets it. Strings, timestamps and floats get none."""
    store = storage.ParquetStore(str(tmp_path / "parquet"))
    parts = {name: [store.write(name, _one_row(name, 0), "part-r1")] for name in TABLES}
    parts["articles"] = [
        store.write("articles", _articles_dated([dt.date(2022, 1, 5), None, dt.date(2021, 3, 1)], 1), "part-a"),
        store.write("articles", _articles_dated([dt.date(2023, 6, 1)], 2), "part-b"),
    ]
    _commit(store, "r1", parts)
    actions = pa.table(delta_log.open_table(store, "articles").get_add_actions(flatten=True))
    dates = ["path", "num_records", "null_count.published_date", "min.published_date", "max.published_date"]
    assert sorted(actions.select(dates).to_pylist(), key=lambda r: r["path"]) == [
        dict(zip(dates, ["part-a.parquet", 3, 1, dt.date(2021, 3, 1), dt.date(2022, 1, 5)], strict=True)),
        dict(zip(dates, ["part-b.parquet", 1, 0, dt.date(2023, 6, 1), dt.date(2023, 6, 1)], strict=True)),
    ]
    assert sorted(actions.column("min.word_count").to_pylist()) == [10, 20]
    for left_out in ("title", "ingested_at"):
        assert actions.column(f"min.{left_out}").null_count == len(actions), left_out
    con = _duckdb_delta()
    uri = delta_log.table_uri(store, "articles")
    query = f"select article_id from delta_scan('{uri}') where published_date >= date '2023-01-01'"
    assert con.execute(query).fetchall() == [("article_id-20",)]
    plan = "\n".join(row[1] for row in con.execute(f"explain analyze {query}").fetchall())
    assert "Scanning Files: 1/2" in plan, plan
    con.close()


def test_a_columns_statistics_are_its_own_when_a_nested_column_comes_before_it(tmp_path):
    """A list of structs is several Parquet columns (one per leaf): the statistics of the
    integer column after it are that column's, found by path, not the leaf at its place."""
    import pyarrow.parquet as pq

    store = storage.ParquetStore(str(tmp_path / "parquet"))
    spans = pa.list_(pa.struct([("char_start", pa.int32()), ("char_end", pa.int32())]))
    rows = pa.table(
        {
            "spans": pa.array([[{"char_start": 100, "char_end": 200}], []], spans),
            "word_count": pa.array([7, 9], pa.int32()),
            "published_date": pa.array([dt.date(2021, 3, 1), None], pa.date32()),
        }
    )
    path = store.local_path("nested/part-a.parquet")
    path.parent.mkdir(parents=True)
    pq.write_table(rows, path)
    assert delta_log.file_stats(store, "nested/part-a.parquet") == {
        "numRecords": 2,
        "minValues": {"word_count": 7, "published_date": "2021-03-01"},
        "maxValues": {"word_count": 9, "published_date": "2021-03-01"},
        "nullCount": {"word_count": 0, "published_date": 1},
    }
