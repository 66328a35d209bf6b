"""Incremental runs: only new and changed files are processed, changed files replace
their rows, deleted files leave the warehouse, and nothing is ever duplicated."""

from __future__ import annotations

import json
import os
import shutil
import time

import duckdb
import pytest

from flows.pipeline.ingest import ingest
from flows.store import storage
from flows.warehouse import search
from tests.conftest import SEED_AFP, SEED_MARKER
from tests.flows.conftest import snapshot_rows


def settle(folder, names=None, age_s=60):
    """Date files (all, or `names`) a minute back: finished being written."""
    t = time.time() - age_s
    for path in folder.iterdir():
        if names is None or path.name in names:
            os.utime(path, (t, t))


def _titles(warehouse):
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return sorted(con.execute("select title from stg_articles").fetchall())
    finally:
        con.close()


def _counts(summary):
    return (
        summary.files_new,
        summary.files_changed,
        summary.files_unchanged,
        summary.files_deleted,
        summary.articles,
        summary.rejects,
    )


def seeded_folder(src, extra: dict[str, str | bytes], age_s=60):
    """`src` holding the two seeds (a.txt, b.txt) and the `extra` files, settled."""
    src.mkdir()
    shutil.copy(SEED_AFP, src / "a.txt")
    shutil.copy(SEED_MARKER, src / "b.txt")
    for name, content in extra.items():
        (src / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    settle(src, age_s=age_s)
    return src


@pytest.fixture
def folder(tmp_path):
    notes = {f"note{i}.txt": f"Note {i}\n\nA short article number {i} about Minsk and NATO.\n" for i in range(3)}
    return seeded_folder(tmp_path / "in", notes, age_s=120)


def test_incremental_runs_and_two_workers_give_the_rows_of_one(prefect_api, folder, tmp_path):
    wh = tmp_path / "wh"
    first = ingest(folder, wh, batch_size=2, workers=1)
    assert _counts(first) == (5, 0, 0, 0, 5, 0)
    rows_after_first = snapshot_rows(wh)

    # Two workers give the same rows as one (the one-worker run is the first run above).
    two = ingest(folder, tmp_path / "two", batch_size=2, workers=2)
    assert (first.workers, two.workers) == (1, 2)
    assert snapshot_rows(tmp_path / "two") == rows_after_first

    published = (wh / "news.duckdb").stat()
    state = sorted((p.name, p.stat().st_mtime_ns) for p in wh.rglob("*") if p.is_file() and p.name != ".wirehouse.lock")
    again = ingest(folder, wh, batch_size=2, workers=1)
    assert _counts(again) == (0, 0, 5, 0, 5, 0)
    assert (again.up_to_date, again.run_id, again.sentences, again.entities) == (
        True,
        first.run_id,
        first.sentences,
        first.entities,
    )
    # Nothing changed, so nothing was written: not a part, not a snapshot, not the database.
    assert sorted((p.name, p.stat().st_mtime_ns) for p in wh.rglob("*") if p.is_file() and p.name != ".wirehouse.lock") == state
    assert (wh / "news.duckdb").stat().st_ino == published.st_ino
    assert snapshot_rows(wh) == rows_after_first

    # Change one file (same batch as an unchanged one), delete another, add a new one.
    (folder / "note0.txt").write_text("Note zero, rewritten\n\nThe rewritten article mentions Kyiv.\n")
    (folder / "note2.txt").unlink()
    (folder / "new.txt").write_bytes(b"")
    settle(folder, {"note0.txt", "new.txt"})
    third = ingest(folder, wh, batch_size=2, workers=1)
    assert _counts(third) == (1, 1, 3, 1, 4, 1)
    assert _titles(wh) == sorted(
        [
            ("As fears of a Ukrainian invasion grow, Russia and Belarus will hold joint military exercises.",),
            ("Note 1",),
            ("Note zero, rewritten",),
            ("U.S., Belarus Army Chiefs Speak to Avoid Drill 'Miscalculation' — Pentagon",),
        ]
    )
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    # The rewritten note's old entities are gone and its new ones are there, once.
    note0 = con.execute(
        "select e.text from stg_entities e join stg_articles a using (article_id) where a.title like 'Note zero%'"
    ).fetchall()
    assert note0 == [("Kyiv",)]
    assert con.execute("select count(*) from stg_entities e anti join stg_articles a using (article_id)").fetchone() == (0,)
    assert con.execute("select file_key, status from stg_files order by 1").fetchall() == [
        ("a.txt", "article"),
        ("b.txt", "article"),
        ("new.txt", "reject"),
        ("note0.txt", "article"),
        ("note1.txt", "article"),
    ]
    assert con.execute(
        "select files_new, files_changed, files_unchanged, files_deleted from stg_runs order by started_at"
    ).fetchall() == [(5, 0, 0, 0), (1, 1, 3, 1)]  # the no-op run changed nothing: no row
    con.close()
    # Going back to the original folder gives back the original rows.
    (folder / "new.txt").unlink()
    (folder / "note0.txt").write_text("Note 0\n\nA short article number 0 about Minsk and NATO.\n")
    (folder / "note2.txt").write_text("Note 2\n\nA short article number 2 about Minsk and NATO.\n")
    settle(folder, {"note0.txt", "note2.txt"})
    ingest(folder, wh, batch_size=2, workers=1)
    assert snapshot_rows(wh) == rows_after_first


def test_duplicates_are_linked_and_counted_once(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED_AFP, src / "afp.txt")
    shutil.copy(SEED_AFP, src / "afp-copy.txt")  # the same wire story in a second file
    edited = SEED_AFP.read_text().replace("130,000", "135,000").replace("Related article", "Related story")
    (src / "afp-edited.txt").write_text(edited)
    shutil.copy(SEED_MARKER, src / "marker.txt")
    settle(src)
    ingest(src, tmp_path / "wh", workers=1)
    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)
    by_path = dict(con.execute("select article_id, file_path from stg_articles").fetchall())
    links = sorted(
        (by_path[a].rsplit("/", 1)[1], by_path[o].rsplit("/", 1)[1])
        for a, o in con.execute("select article_id, duplicate_of from stg_duplicates").fetchall()
    )
    # The three copies of the AFP story form one group: two link to the third.
    afp = {"afp.txt", "afp-copy.txt", "afp-edited.txt"}
    assert len(links) == 2 and {a for a, _ in links} | {o for _, o in links} == afp
    assert len({o for _, o in links}) == 1 and {o for _, o in links}.isdisjoint({a for a, _ in links})
    # The story counts once: Milley has 2 mentions in one article, as with a single copy.
    assert con.execute("select mentions, articles from top_entities where canonical_name = 'Mark Milley'").fetchone() == (2, 1)


def test_a_warehouse_from_an_older_version_is_rebuilt(prefect_api, folder, tmp_path):
    import pyarrow.parquet as pq

    wh = tmp_path / "wh"
    ingest(folder, wh, workers=1)
    rows = snapshot_rows(wh)
    # An older wirehouse wrote articles without a column added since (and recorded no
    # sizes or hashes of its parts: a part rewritten under a record is damage instead).
    for part in (wh / "parquet" / "articles").glob("*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(["minhash"]), part)
    # Its snapshot was JSON (`_state/current.json`), its tables not yet Delta tables.
    snapshot = storage.load_snapshot(wh)
    shutil.rmtree(wh / "parquet" / "table_versions")
    (wh / "_state" / "store.json").unlink()
    (wh / "_state" / "current.json").write_text(json.dumps({"run_id": snapshot.run_id, "parts": snapshot.parts}))
    again = ingest(folder, wh, workers=1)
    assert (again.files_new, again.files_unchanged) == (5, 0)
    assert snapshot_rows(wh) == rows


def test_boilerplate_sentences_of_a_source_are_flagged(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    stories = ["Wheat prices rose in Chicago.", "Copper fell in London trading.", "Oil was flat in New York."]
    for i, story in enumerate(stories):
        (src / f"r{i}.txt").write_text(
            f"Markets {i}\n\nBy Reuters\n\n{story} Traders cited weather and demand.\n\n"
            "Reporting by Jane Doe; editing by John Roe.\n"
        )
    (src / "other.txt").write_text("Other\n\nBy AFP\n\nReporting by Jane Doe; editing by John Roe.\n")
    settle(src)
    ingest(src, tmp_path / "wh", workers=1)
    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)
    rows = con.execute("select source, text, articles from boilerplate_sentences").fetchall()
    assert rows == [
        ("Reuters", "Reporting by Jane Doe; editing by John Roe.", 3),
        ("Reuters", "Traders cited weather and demand.", 3),
    ]


def test_a_no_op_needs_the_database_of_the_current_snapshot_and_sql(prefect_api, folder, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    import flows.app.prefect_session
    from flows.app.cli import cli
    from flows.plan.up_to_date import up_to_date

    wh = tmp_path / "wh"
    first = ingest(folder, wh, workers=1)
    noop = up_to_date(folder, wh)
    assert (noop.up_to_date, noop.run_id, noop.files_unchanged, noop.articles) == (True, first.run_id, 5, 5)

    # `wirehouse run` answers a no-op without starting Prefect; --force-flow starts it.
    def no_prefect(*args, **kwargs):
        raise AssertionError("Prefect was started")

    monkeypatch.setattr(flows.app.prefect_session, "prefect_session", no_prefect)
    args = ["run", "--input", str(folder), "--warehouse", str(wh)]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.output.splitlines()[0]) == (
        0,
        f"wirehouse: nothing new, changed or deleted; the warehouse of run {first.run_id} is up to date",
    )
    forced = CliRunner().invoke(cli, [*args, "--force-flow"])
    assert isinstance(forced.exception, AssertionError)
    monkeypatch.undo()

    # A database built with other sql/ (an upgrade) is rebuilt, though no file changed.
    state_file = wh / "_state" / "database.json"
    state = json.loads(state_file.read_text())
    st = (wh / "news.duckdb").stat()
    assert state == {
        "run_id": first.run_id,
        "sql": state["sql"],
        "parquet": str((wh / "parquet").resolve()),
        "bytes": st.st_size,  # the file as built: another size or time later is damage
        "mtime_ns": st.st_mtime_ns,
        "sha256": state["sha256"],
        "search_index": search.INDEX_VERSION,
    }
    assert len(state["sql"]) == 64
    # So is one whose search index an older wirehouse built (issue 17).
    state_file.write_text(json.dumps({k: v for k, v in state.items() if k != "search_index"}))
    assert up_to_date(folder, wh) is None
    state_file.write_text(json.dumps({**state, "sql": "0" * 64}))
    assert up_to_date(folder, wh) is None
    inode = (wh / "news.duckdb").stat().st_ino
    rebuilt = ingest(folder, wh, workers=1)
    assert (rebuilt.up_to_date, rebuilt.files_unchanged, rebuilt.files_new) == (False, 5, 0)
    assert (wh / "news.duckdb").stat().st_ino != inode
    assert up_to_date(folder, wh).run_id == rebuilt.run_id

    # A moved warehouse folder is rebuilt: its views named the old folder's part files.
    moved = tmp_path / "moved"
    wh.rename(moved)
    assert up_to_date(folder, moved) is None
    again = ingest(folder, moved, workers=1)
    assert (again.up_to_date, again.files_unchanged, again.articles) == (False, 5, 5)
    con = duckdb.connect(str(moved / "news.duckdb"), read_only=True)
    assert con.execute("select count(*) from stg_articles").fetchone() == (5,)
    con.close()
    moved.rename(wh)
    ingest(folder, wh, workers=1)

    # A touched file, or a missing database, is work.
    settle(folder, {"a.txt"}, age_s=30)
    assert up_to_date(folder, wh) is None
    ingest(folder, wh, workers=1)
    assert up_to_date(folder, wh) is not None
    (wh / "news.duckdb").unlink()
    assert up_to_date(folder, wh) is None
