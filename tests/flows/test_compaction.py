"""Many small batches are compacted by Delta's own `optimize`, with the same rows; a changed,
deleted or damaged input file whose rows sit in a merged file still gets exactly the rows of
a warehouse built from scratch."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from flows.pipeline.ingest import ingest
from flows.plan import manifest
from flows.store import delta_log, storage
from tests.conftest import SEED_AFP, SEED_MARKER
from tests.flows.conftest import snapshot_rows
from tests.flows.test_incremental import settle

ROW_TABLES = manifest.ROW_TABLES_BY_PATH + manifest.ROW_TABLES_BY_ARTICLE


def _folder(src):
    src.mkdir()
    for i in range(9):
        shutil.copy(SEED_AFP, src / f"afp{i}.txt")
        shutil.copy(SEED_MARKER, src / f"marker{i}.txt")
    (src / "undated.txt").write_text("Undated note\n\nNATO met in Minsk.\n")
    (src / "empty.txt").write_bytes(b"")
    settle(src)


def _operations(store, table, since):
    """The Delta operations of `table`'s commits after version `since`."""
    log = store.local_path(f"{table}/_delta_log")
    found = []
    for path in sorted(log.glob("*.json")):
        if int(path.stem) > since:
            found += [
                json.loads(line)["commitInfo"]["operation"] for line in path.read_text().splitlines() if "commitInfo" in line
            ]
    return found


def _fresh_rows(src, tmp_path, name):
    """The rows of a warehouse built from `src` in one batch, from scratch."""
    ingest(src, tmp_path / name, workers=1)
    return snapshot_rows(tmp_path / name, src)


@pytest.fixture
def compacted(prefect_api, tmp_path):
    src = tmp_path / "in"
    _folder(src)
    one_batch = ingest(src, tmp_path / "one", workers=1)
    many = ingest(src, tmp_path / "many", workers=1, batch_size=1)  # 20 groups > 16: compacted
    assert (many.articles, many.rejects) == (one_batch.articles, one_batch.rejects) == (19, 1)
    assert snapshot_rows(tmp_path / "many", src) == snapshot_rows(tmp_path / "one", src)
    return src, tmp_path / "many"


def test_small_groups_are_compacted_by_deltas_optimize(compacted, tmp_path):
    src, warehouse = compacted
    snap = storage.load_snapshot(warehouse)
    store = snap.store(warehouse)
    groups = {s.part for s in manifest.load_manifest(warehouse, snap).values()}
    assert len(groups) == 20  # the manifest keeps each input file's group
    assert snap.parts["rejects"] == ["rejects/part-" + min(groups)[5:] + ".parquet"]  # one file: nothing to merge
    for table in [t for t in ROW_TABLES if t != "rejects"]:
        # One merged file per row table, which no group names, written by Delta's optimize in
        # the run's own commits, and the version the run's table_versions row names.
        assert len(snap.parts[table]) == 1, table
        assert manifest.part_group(snap.parts[table][0]) not in groups, table
        assert _operations(store, table, -1)[-1] == "OPTIMIZE", table
        delta = delta_log.open_table(store, table)
        assert delta.version() == snap.versions[table]
        assert [f"{table}/{p}" for p in delta_log.listed_files(delta)] == snap.parts[table]
    # Optimize writes minhash as Delta declares it (bigint[]): the view gives one type.
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    assert con.execute("select distinct typeof(minhash) from stg_articles").fetchall() == [("UINTEGER[]",)]
    con.close()

    # A no-op run changes nothing; a second run over the same folder compacts nothing again.
    again = ingest(src, warehouse, workers=1, batch_size=1)
    assert again.up_to_date
    assert storage.load_snapshot(warehouse).parts == snap.parts


def test_changed_and_deleted_files_in_a_merged_file_get_their_rows_replaced(compacted, tmp_path):
    src, warehouse = compacted
    before = storage.load_snapshot(warehouse)
    (src / "afp3.txt").write_text("Rewritten\n\nKyiv said nothing.\n")
    (src / "marker5.txt").unlink()
    settle(src, {"afp3.txt"})
    again = ingest(src, warehouse, workers=1, batch_size=1)
    assert (again.files_changed, again.files_deleted, again.articles) == (1, 1, 18)
    assert snapshot_rows(warehouse, src) == _fresh_rows(src, tmp_path, "fresh")
    # The merged files holding their rows were replaced: the other rows by key into a file no
    # group names (so that a later change finds them by key again), the new rows in the run's group.
    snap = storage.load_snapshot(warehouse)
    for table in ("articles", "sentences", "entities"):
        assert not set(before.parts[table]) & set(snap.parts[table]), table
        assert [p for p in snap.parts[table] if "-rewrite-shared-" in p] == [
            f"{table}/part-{again.run_id}-rewrite-shared-{i:05d}.parquet" for i in range(len(before.parts[table]))
        ], table
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    assert con.execute("select count(*) from stg_articles where title = 'Rewritten'").fetchone() == (1,)
    assert con.execute("select count(*) from stg_entities e anti join stg_articles a using (article_id)").fetchone() == (0,)
    con.close()

    # And again, on a file whose rows were moved by key the first time.
    (src / "afp7.txt").write_text("Rewritten again\n\nMinsk said nothing.\n")
    settle(src, {"afp7.txt"})
    third = ingest(src, warehouse, workers=1, batch_size=1)
    assert (third.files_changed, third.articles) == (1, 18)
    assert snapshot_rows(warehouse, src) == _fresh_rows(src, tmp_path, "fresh2")


@pytest.mark.parametrize("table", ["articles", "sentences"])
def test_a_damaged_merged_file_is_derived_again(compacted, tmp_path, table):
    src, warehouse = compacted
    snap = storage.load_snapshot(warehouse)
    merged = snap.store(warehouse).local_path(snap.parts[table][0])
    merged.write_bytes(merged.read_bytes()[:100])  # truncated
    again = ingest(src, warehouse, workers=1)
    assert any("damaged part" in line for line in again.repaired), again.repaired
    assert snapshot_rows(warehouse, src) == snapshot_rows(tmp_path / "one", src)


def test_a_store_without_delta_tables_merges_small_groups_by_month(prefect_api, tmp_path):
    """A memory:// store (snapshot JSON, no Delta tables) keeps the month-partitioned merge."""
    src = tmp_path / "in"
    _folder(src)
    url = f"memory://compaction-{tmp_path.name}/parquet"
    ingest(src, tmp_path / "one", workers=1)
    ingest(src, tmp_path / "many", workers=1, batch_size=1, parquet_url=url)
    assert snapshot_rows(tmp_path / "many", src) == snapshot_rows(tmp_path / "one", src)
    snap = storage.load_snapshot(tmp_path / "many")
    assert not snap.versions
    assert sorted(p.split("/")[1] for p in snap.parts["articles"]) == ["month=2022-01", "month=2022-02", "month=unknown"]
