"""`manifest.rewrite_parts`: the rows of changed and deleted files leave the files that held
them, each merged file rewritten into one file of its own, streamed a batch at a time."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from flows.plan import manifest
from flows.store import storage
from transforms import schemas

_DEFAULTS = {
    pa.string(): "x",
    pa.int32(): 0,
    pa.date32(): dt.date(2022, 1, 1),
    pa.timestamp("us", tz="UTC"): dt.datetime(2022, 1, 1, tzinfo=dt.UTC),
}


def _table(name: str, rows: list[dict]) -> pa.Table:
    """`rows` of table `name`, every column they do not give filled with a value of its type."""
    schema = schemas.TABLES[name]
    full = [{f.name: row.get(f.name, [] if pa.types.is_list(f.type) else _DEFAULTS.get(f.type)) for f in schema} for row in rows]
    return pa.Table.from_pylist(full, schema=schema)


def _articles(*pairs):
    return _table("articles", [{"article_id": a, "source_path": p, "body": f"body of {a}"} for a, p in pairs])


def _sentences(*ids, per=4):
    return _table("sentences", [{"article_id": a, "sentence_idx": i, "text": f"{a} {i}"} for a in ids for i in range(per)])


def _ids(store, rel, table="articles"):
    return sorted(store.read_table(rel).column("article_id").to_pylist()) if table else []


@pytest.fixture
def store_and_snapshot(tmp_path):
    """Three merged files per table (no group names them) and one part group's files."""
    store = storage.ParquetStore(str(tmp_path / "store"))
    parts = {"articles": [], "sentences": []}
    for name, pairs in {
        "m0": [("a0", "p0"), ("a1", "p1")],
        "m1": [("a2", "p2")],
        "m2": [("a3", "p3")],
        "part-g1": [("a4", "p4"), ("a5", "p5")],
    }.items():
        parts["articles"].append(store.write("articles", _articles(*pairs), name))
        parts["sentences"].append(store.write("sentences", _sentences(*(a for a, _ in pairs)), name))
    return store, storage.Snapshot(run_id="R0", parts=parts)


def test_each_merged_file_holding_dropped_rows_is_rewritten_into_a_file_of_its_own(store_and_snapshot, monkeypatch):
    store, snapshot = store_and_snapshot
    asked = []
    iter_batches = storage.ParquetStore.iter_batches

    def small_batches(self, rel, columns=None, batch_rows=4096):
        asked.append(rel)
        yield from iter_batches(self, rel, columns=columns, batch_rows=3)

    def whole_file(*_args, **_kwargs):
        raise AssertionError("a whole file was read into memory")

    monkeypatch.setattr(storage.ParquetStore, "iter_batches", small_batches)
    monkeypatch.setattr(storage.ParquetStore, "read_table", whole_file)
    parts, replaced = manifest.rewrite_parts(
        store,
        snapshot,
        groups={"part-g1"},
        dropped_paths={"p1", "p2", "p5"},
        new_group="part-R1-rewrite",
        known_groups={"part-g0", "part-g1"},
    )
    monkeypatch.undo()
    # m2 holds no dropped row: kept as it is; m1 held only dropped rows: replaced by no file.
    assert replaced == {f"{t}/{n}.parquet" for t in ("articles", "sentences") for n in ("m0", "m1", "part-g1")}
    assert parts == {
        t: [f"{t}/part-R1-rewrite-shared-00000.parquet", f"{t}/part-R1-rewrite.parquet"] for t in ("articles", "sentences")
    }
    assert {rel: _ids(store, rel) for rel in parts["articles"]} == {
        "articles/part-R1-rewrite-shared-00000.parquet": ["a0"],
        "articles/part-R1-rewrite.parquet": ["a4"],
    }
    # Sentences are found by the dropped articles' ids (a1, a2, a5), read 3 rows at a time.
    assert {rel: store.read_table(rel).select(["article_id", "sentence_idx"]).to_pylist() for rel in parts["sentences"]} == {
        "sentences/part-R1-rewrite-shared-00000.parquet": [{"article_id": "a0", "sentence_idx": i} for i in range(4)],
        "sentences/part-R1-rewrite.parquet": [{"article_id": "a4", "sentence_idx": i} for i in range(4)],
    }
    assert store.read_table(parts["sentences"][0]).schema == schemas.SENTENCES
    assert set(asked) >= {"articles/m0.parquet", "articles/m2.parquet", "sentences/m0.parquet", "sentences/m1.parquet"}


def test_a_part_groups_files_in_month_folders_are_rewritten_in_their_folders(tmp_path):
    """A store whose groups were merged by month (gcs://, memory://: flows/pipeline/compaction.py):
    the group's rows stay in their month folders, under the new group's name."""
    store = storage.ParquetStore(str(tmp_path / "store"))
    parts = {
        "articles": [
            store.write("articles", _articles(("a0", "p0"), ("a1", "p1")), "part-c0", partition="month=2022-01"),
            store.write("articles", _articles(("a2", "p2")), "part-c0", partition="month=2022-02"),
        ]
    }
    snapshot = storage.Snapshot(run_id="R0", parts=parts)
    new, replaced = manifest.rewrite_parts(store, snapshot, {"part-c0"}, {"p1"}, "part-R1-rewrite", {"part-c0"})
    assert replaced == set(parts["articles"])
    assert {rel: _ids(store, rel) for rel in new["articles"]} == {
        "articles/month=2022-01/part-R1-rewrite.parquet": ["a0"],
        "articles/month=2022-02/part-R1-rewrite.parquet": ["a2"],
    }
