"""NER once per paragraph across batches and runs: a paragraph the model already read,
in an earlier batch of the run or an earlier run, reuses the spans stored for it; a body
whose every paragraph was read before skips the model."""

from __future__ import annotations

import duckdb

from flows.app.cli import _summary_text
from flows.pipeline.ingest import ingest
from tests.conftest import SEED_AFP, SEED_MARKER
from tests.flows.conftest import snapshot_rows
from tests.flows.test_incremental import seeded_folder, settle
from transforms import RawDocument, process_documents

AFP = SEED_AFP.read_bytes()
# The same story under another header: another date, so another size (another batch).
AFP_REDATED = AFP.replace(b"February 11, 2022", b"March 3, 2022")
NOTE = b"A note\n\nThe council in Minsk met on Monday to discuss the budget for the schools.\n"


def _query(warehouse, sql, params=()):
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _ids(warehouse) -> dict[str, str]:
    return dict(_query(warehouse, "select regexp_extract(file_path, '[^/]+$'), article_id from stg_articles"))


def _ner_from(warehouse) -> dict[str, str]:
    ids = {v: k for k, v in _ids(warehouse).items()}
    return {ids[a]: ids.get(origin, origin) for a, origin in _query(warehouse, "select article_id, ner_from from stg_ner_spans")}


def _derived(warehouse, article_id) -> dict[str, list[tuple]]:
    """The article's entity, date, amount and quote rows, without the article id."""
    views = ("stg_entities", "stg_dates_mentioned", "stg_amounts", "stg_quotes")
    sql = "select * exclude (article_id) from {} where article_id = ?"
    return {view: sorted(_query(warehouse, sql.format(view), [article_id]), key=repr) for view in views}


def _fresh(nlp, data: bytes, name: str) -> dict[str, list[tuple]]:
    """The same rows from the model run on the file alone."""
    tables = process_documents([RawDocument.from_bytes(data, name)], nlp, run_id="fresh")
    return {
        f"stg_{table}": sorted((tuple(r.values()) for r in tables[table].drop_columns(["article_id"]).to_pylist()), key=repr)
        for table in ("entities", "dates_mentioned", "amounts", "quotes")
    }


def test_a_copy_in_a_later_run_reuses_the_stored_spans(prefect_api, nlp, tmp_path):
    src = seeded_folder(tmp_path / "in", {})
    wh = tmp_path / "wh"
    first = ingest(src, wh, workers=1)
    assert first.ner_spared == 0
    # Later: the AFP story under another date, a byte copy of the other seed, a new story.
    (src / "c.txt").write_bytes(AFP_REDATED)
    (src / "d.txt").write_bytes(SEED_MARKER.read_bytes())
    (src / "e.txt").write_bytes(NOTE)
    settle(src, {"c.txt", "d.txt", "e.txt"})
    second = ingest(src, wh, workers=1)
    assert (second.files_new, second.processed_articles, second.ner_spared) == (3, 3, 2)
    assert "  NER spared   2  (articles whose every paragraph the model had already read)" in _summary_text(second).splitlines()
    assert _ner_from(wh) == {"a.txt": "a.txt", "b.txt": "b.txt", "c.txt": "a.txt", "d.txt": "b.txt", "e.txt": "e.txt"}
    ids = _ids(wh)
    # What the copies derive from the reused spans is what the model gives on them alone:
    # the redated copy's relative dates resolve against its own date.
    assert _derived(wh, ids["c.txt"]) == _fresh(nlp, AFP_REDATED, "c.txt")
    assert _derived(wh, ids["d.txt"]) == _fresh(nlp, SEED_MARKER.read_bytes(), "d.txt")
    thursdays = "select value from stg_dates_mentioned where article_id = ? and text = 'Thursday'"
    assert _query(wh, thursdays, [ids["a.txt"]]) == [("2022-02-10",)] * 2
    assert _query(wh, thursdays, [ids["c.txt"]]) == [("2022-03-03",)] * 2
    # The copy is still linked to its original and counted once.
    assert _query(wh, "select article_id, duplicate_of, kind from stg_duplicates where article_id = ?", [ids["c.txt"]]) == [
        (ids["c.txt"], ids["a.txt"], "exact")
    ]
    # A file touched (saved again unchanged) is processed again without the model.
    rows = snapshot_rows(wh)
    (src / "e.txt").write_bytes(NOTE)
    settle(src, {"e.txt"}, age_s=30)
    third = ingest(src, wh, workers=1)
    assert (third.files_changed, third.processed_articles, third.ner_spared) == (1, 1, 1)
    assert snapshot_rows(wh) == rows


def test_a_copy_in_a_later_batch_of_the_same_run_reuses_the_spans(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(AFP)
    (src / "c.txt").write_bytes(AFP_REDATED)
    settle(src)
    wh = tmp_path / "wh"
    # One file per batch, one worker: the bigger file (a.txt) goes first.
    summary = ingest(src, wh, batch_size=1, workers=1)
    assert (summary.processed_articles, summary.ner_spared) == (2, 1)
    assert _ner_from(wh) == {"a.txt": "a.txt", "c.txt": "a.txt"}


def test_spans_of_another_model_key_are_not_reused(prefect_api, tmp_path):
    src = seeded_folder(tmp_path / "in", {})
    wh = tmp_path / "wh"
    ingest(src, wh, workers=1)
    # A new acronym changes what the model reads (recasing keeps it in capitals).
    (src / "reference").mkdir()
    (src / "reference" / "aliases.csv").write_text("alias,canonical_name,label\nBSSR,Byelorussian SSR,GPE\n")
    (src / "c.txt").write_bytes(AFP_REDATED)
    settle(src, {"c.txt"})
    second = ingest(src, wh, workers=1)
    assert (second.files_new, second.ner_spared) == (1, 0)
    assert _ner_from(wh)["c.txt"] == "c.txt"
    keys = _query(wh, "select count(distinct ner_key) from stg_ner_spans")
    assert keys == [(2,)]


def test_a_stray_file_in_the_table_folder_is_not_read(prefect_api, tmp_path, caplog, monkeypatch):
    """Stored spans are read from the files the published run names (and this run's
    batches'), not from whatever the folder holds; an unreadable part is reported once
    (tests/flows/test_ner_cache.py)."""
    monkeypatch.setenv("WIREHOUSE_GC_GRACE", "0")  # unlisted parts go at once
    src = seeded_folder(tmp_path / "in", {})
    wh = tmp_path / "wh"
    ingest(src, wh, workers=1)
    # A file that is not Parquet (a disk error, a foreign file) in the table's folder.
    (wh / "parquet" / "ner_units" / "part-broken.parquet").write_bytes(b"not parquet at all")
    (src / "c.txt").write_bytes(AFP_REDATED)
    (src / "d.txt").write_bytes(NOTE)
    settle(src, {"c.txt", "d.txt"})
    second = ingest(src, wh, workers=1, batch_size=1)
    assert (second.files_new, second.processed_articles, second.ner_spared) == (2, 2, 1)
    assert _ner_from(wh)["c.txt"] == "a.txt"  # the published parts serve
    assert [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()] == []
    # The stray file is no published run's: garbage collection removed it (no grace period).
    assert not (wh / "parquet" / "ner_units" / "part-broken.parquet").exists()
