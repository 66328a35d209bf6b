"""Many small batches are compacted into month-partitioned part groups, with the same rows."""

from __future__ import annotations

import shutil

import duckdb

from flows.pipeline.ingest import ingest
from flows.store import storage
from tests.conftest import SEED_AFP, SEED_MARKER
from tests.flows.conftest import snapshot_rows
from tests.flows.test_incremental import settle


def test_small_groups_are_compacted_by_month(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(9):
        shutil.copy(SEED_AFP, src / f"afp{i}.txt")
        shutil.copy(SEED_MARKER, src / f"marker{i}.txt")
    (src / "undated.txt").write_text("Undated note\n\nNATO met in Minsk.\n")
    (src / "empty.txt").write_bytes(b"")
    settle(src)

    one_batch = ingest(src, tmp_path / "one", workers=1)
    many = ingest(src, tmp_path / "many", workers=1, batch_size=1)  # 20 groups > 16: compacted
    assert (many.articles, many.rejects) == (one_batch.articles, one_batch.rejects) == (19, 1)
    assert snapshot_rows(tmp_path / "many", src) == snapshot_rows(tmp_path / "one", src)

    snap = storage.load_snapshot(tmp_path / "many")
    assert sorted(p.split("/", 1)[1].split("/")[0] for p in snap.parts["articles"]) == [
        "month=2022-01",
        "month=2022-02",
        "month=unknown",
    ]
    assert sorted(p.split("/")[1] for p in snap.parts["entities"]) == ["month=2022-01", "month=2022-02", "month=unknown"]
    assert len(snap.parts["rejects"]) == 1
    # Only the snapshot's files remain on disk (the first run's are collected on the next).
    con = duckdb.connect(str(tmp_path / "many" / "news.duckdb"), read_only=True)
    assert con.execute("select count(distinct part) from stg_files").fetchone() == (1,)
    con.close()

    # A changed file inside a compacted group still replaces its rows.
    (src / "afp3.txt").write_text("Rewritten\n\nKyiv said nothing.\n")
    settle(src, {"afp3.txt"})
    again = ingest(src, tmp_path / "many", workers=1, batch_size=1)
    assert (again.files_changed, again.articles) == (1, 19)
    con = duckdb.connect(str(tmp_path / "many" / "news.duckdb"), read_only=True)
    assert con.execute("select count(*) from stg_articles where title = 'Rewritten'").fetchone() == (1,)
    assert con.execute("select count(*) from stg_entities e anti join stg_articles a using (article_id)").fetchone() == (0,)
    con.close()
