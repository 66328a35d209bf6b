"""`--parquet-url`: the Parquet parts on any fsspec file system, the DuckDB file local."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import fsspec
import pyarrow as pa
import pytest

from flows.pipeline.ingest import ingest
from flows.plan.up_to_date import up_to_date
from flows.settings import WirehouseError
from flows.store import storage
from tests.flows.conftest import run_in_process, snapshot_rows
from tests.flows.test_incremental import seeded_folder, settle


@pytest.fixture
def folder(tmp_path):
    return seeded_folder(tmp_path / "in", {"note.txt": "Note\n\nA short article about Minsk and NATO.\n", "empty.txt": b""})


def _memory_parts(root: str) -> list[str]:
    fs = fsspec.filesystem("memory")
    return sorted(p.removeprefix(f"/{root}/") for p in fs.find(f"/{root}"))


def test_a_memory_store_gives_the_rows_of_a_local_one(prefect_api, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("WIREHOUSE_GC_GRACE", "0")  # unlisted parts go at once
    url = f"memory://wh-{tmp_path.name}/parquet"
    local = ingest(folder, tmp_path / "local", workers=1)
    remote = ingest(folder, tmp_path / "remote", workers=1, parquet_url=url)
    assert (
        (remote.articles, remote.rejects, remote.entities)
        == (local.articles, local.rejects, local.entities)
        == (3, 1, local.entities)
    )
    assert snapshot_rows(tmp_path / "remote") == snapshot_rows(tmp_path / "local")
    # The parts are in the store, none in the warehouse folder; the snapshot names the store.
    assert not (tmp_path / "remote" / "parquet").exists()
    snapshot = storage.load_snapshot(tmp_path / "remote")
    assert snapshot.parquet_url == url
    parts = _memory_parts(f"wh-{tmp_path.name}/parquet")
    assert parts == sorted(["_wirehouse.json", *(p for paths in snapshot.parts.values() for p in paths)])
    # The database opens in another process, which knows nothing of the memory file system:
    # the staging models were materialized.
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True);"
            "print(con.execute('select count(*) from stg_articles').fetchone()[0], con.execute('select count(*) from top_entities').fetchone()[0] > 0)",
            str(tmp_path / "remote" / "news.duckdb"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["3", "True"]
    # No Delta versions in such a store: run_history's table_versions is NULL (issue 17 item 3).
    with duckdb.connect(str(tmp_path / "remote" / "news.duckdb"), read_only=True) as con:
        assert con.execute("select run_id, table_versions from run_history").fetchall() == [(snapshot.run_id, None)]
        assert con.execute("select count(*) from run_table_versions").fetchone() == (0,)
    # `wirehouse check` says what such a store is kept as: snapshot JSON, not Delta tables.
    checked = run_in_process("check", "--warehouse", str(tmp_path / "remote"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == (
        f"  store: {url}: Parquet files listed by _state/current.json (snapshot JSON): a memory:// store is not kept "
        "as Delta tables (only local and s3:// stores are), so no other engine reads it as tables and --as-of cannot read it"
    )

    # Incremental runs against the store: a no-op, then a changed file whose old parts are
    # collected from the store once no snapshot refers to them (no grace period here).
    assert up_to_date(folder, tmp_path / "remote", url).up_to_date
    (folder / "note.txt").write_text("Note, rewritten\n\nThe rewritten note mentions Kyiv.\n")
    settle(folder, {"note.txt"}, age_s=30)
    again = ingest(folder, tmp_path / "remote", workers=1)  # the snapshot's store, no URL given
    assert (again.files_changed, again.files_unchanged, again.articles) == (1, 3, 3)
    current, previous = (storage.load_snapshot(tmp_path / "remote", n) for n in ("current.json", "previous.json"))
    kept = {p for snap in (current, previous) for paths in snap.parts.values() for p in paths}
    assert set(_memory_parts(f"wh-{tmp_path.name}/parquet")) == kept | {"_wirehouse.json"}


def test_a_warehouse_keeps_its_store(prefect_api, folder, tmp_path):
    ingest(folder, tmp_path / "wh", workers=1)
    with pytest.raises(WirehouseError, match=r"keeps its Parquet files at .*/wh/parquet, not memory://elsewhere"):
        ingest(folder, tmp_path / "wh", workers=1, parquet_url="memory://elsewhere")
    # The same place, spelled as a file:// URL, is the same store.
    again = ingest(folder, tmp_path / "wh", workers=1, parquet_url=f"file://{tmp_path / 'wh' / 'parquet'}")
    assert again.up_to_date


def test_a_store_belongs_to_one_warehouse(prefect_api, folder, tmp_path):
    """Garbage collection deletes the parts a warehouse's snapshots do not list, so a store
    that is another warehouse's, or that holds someone else's tables, is refused."""
    shared = tmp_path / "shared"
    ingest(folder, tmp_path / "a", workers=1, parquet_url=str(shared))
    owned = sorted(p.relative_to(shared) for p in shared.rglob("*") if p.is_file())
    with pytest.raises(WirehouseError, match=rf"^the Parquet store {shared} belongs to another warehouse \({tmp_path / 'a'}\)"):
        ingest(folder, tmp_path / "b", workers=1, parquet_url=str(shared))
    theirs = tmp_path / "theirs"
    (theirs / "articles").mkdir(parents=True)
    (theirs / "articles" / "data.parquet").write_bytes(b"PAR1")
    with pytest.raises(WirehouseError, match=r"already holds Parquet tables that are not this warehouse's"):
        ingest(folder, tmp_path / "c", workers=1, parquet_url=f"file:{theirs}")
    # Nothing of either was touched.
    assert sorted(p.relative_to(shared) for p in shared.rglob("*") if p.is_file()) == owned
    assert [p.name for p in theirs.rglob("*") if p.is_file()] == ["data.parquet"]


def test_a_shared_folder_url_with_worker_processes(prefect_api, folder, tmp_path):
    shared = tmp_path / "shared"
    two = ingest(folder, tmp_path / "wh", workers=2, batch_size=2, parquet_url=f"file://{shared}")
    assert (two.workers, two.articles, two.rejects) == (2, 3, 1)
    ingest(folder, tmp_path / "one", workers=1)
    assert snapshot_rows(tmp_path / "wh") == snapshot_rows(tmp_path / "one")
    assert not (tmp_path / "wh" / "parquet").exists()
    snapshot = storage.load_snapshot(tmp_path / "wh")
    listed = sorted(p for paths in snapshot.parts.values() for p in paths)
    # Beside the parts: the Delta tables' logs and the table_versions table (flows/store/delta_log.py).
    found = (p.relative_to(shared).as_posix() for p in shared.rglob("*.parquet"))
    assert sorted(p for p in found if not p.startswith("table_versions/") and not storage.in_delta_log(p)) == listed
    assert len(snapshot.parts["articles"]) == 2  # one part per batch, each written by its worker
    assert snapshot.parquet_url == str(shared)


def test_store_errors_and_round_trip(tmp_path):
    with pytest.raises(WirehouseError, match="Parquet URL 'nosuchprotocol://x'"):
        storage.ParquetStore("nosuchprotocol://x").files()
    store = storage.ParquetStore(f"memory://rt-{tmp_path.name}")
    table = pa.table(
        {
            "source_path": ["a"],
            "source_record": pa.array([None], pa.int32()),
            "source_sha256": [""],
            "reason": ["empty"],
            "detail": ["d"],
            "run_id": ["r"],
        }
    )
    rel = store.write("rejects", table, "part-x", partition="month=2022-01")
    assert rel == "rejects/month=2022-01/part-x.parquet"
    assert store.read_table(rel).to_pylist() == table.cast(store_schema := store.schema(rel)).to_pylist()
    assert (store.num_rows(rel), store.files(), store.uri(rel)) == (1, [rel], f"memory:///rt-{tmp_path.name}/{rel}")
    assert store_schema.remove_metadata() == storage.TABLES["rejects"]
    store.remove(rel)
    assert store.files() == []
    # Pickled for a worker, it carries only its URL.
    import pickle

    assert pickle.loads(pickle.dumps(store)) == store
