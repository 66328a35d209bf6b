"""The warehouse as BI tools use it: SQLAlchemy via duckdb-engine, read-only, while a run
rebuilds it; and documentation stored in the database."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from flows.app.cli import cli
from flows.pipeline.ingest import ingest
from flows.settings import SQL_DIR
from flows.warehouse.models import load_all
from tests.conftest import SEED_AFP, SEED_MARKER
from tests.flows.test_incremental import settle


def test_sqlalchemy_url_with_duckdb_engine_reads_a_mart(warehouse_runs):
    import sqlalchemy

    warehouse, *_ = warehouse_runs
    engine = sqlalchemy.create_engine(f"duckdb:///{warehouse / 'news.duckdb'}?access_mode=read_only")
    with engine.connect() as conn:
        rows = conn.execute(
            sqlalchemy.text("select canonical_name, mentions from top_entities where label = 'PERSON' order by 2 desc, 1 limit 2")
        ).fetchall()
        assert [tuple(r) for r in rows] == [("Mark Milley", 2), ("Alexander Lukashenko", 1)]
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            conn.execute(sqlalchemy.text("create table x as select 1"))
    engine.dispose()


def test_a_reader_keeps_the_old_warehouse_while_a_run_rebuilds_it(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED_AFP, src / "a.txt")
    settle(src)
    wh = tmp_path / "wh"
    ingest(src, wh, workers=1)
    dashboard = duckdb.connect(str(wh / "news.duckdb"), read_only=True)  # held open, as a BI tool does
    assert dashboard.execute("select count(*) from stg_articles").fetchone() == (1,)

    shutil.copy(SEED_MARKER, src / "b.txt")
    settle(src, {"b.txt"})
    ingest(src, wh, workers=1)

    # The open connection still answers, from the warehouse it opened; a new one sees the run.
    assert dashboard.execute("select count(*) from stg_articles").fetchone() == (1,)
    assert dashboard.execute("select count(*) from top_entities where canonical_name = 'NATO'").fetchone() == (1,)
    dashboard.close()
    fresh = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert fresh.execute("select count(*) from stg_articles").fetchone() == (2,)
    fresh.close()


def test_every_view_table_and_column_is_documented(warehouse_runs):
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    undocumented_relations = con.execute(
        """
        select view_name from duckdb_views() where not internal and schema_name = 'main' and coalesce(comment, '') = ''
        union all
        select table_name from duckdb_tables() where not internal and schema_name = 'main' and coalesce(comment, '') = ''
        """
    ).fetchall()
    assert undocumented_relations == []
    undocumented_columns = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where not internal and schema_name = 'main' and coalesce(comment, '') = '' order by 1, 2"
    ).fetchall()
    assert undocumented_columns == []


def test_column_docs_name_real_columns(warehouse_runs):
    """A documented column that a model no longer has is a stale doc: fail on it."""
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    for model in load_all(SQL_DIR):
        actual = set(con.sql(f"select * from {model.name} limit 0").columns)
        assert set(model.column_docs) <= actual, (model.name, set(model.column_docs) - actual)


def test_docs_command_writes_the_data_dictionary(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    out = tmp_path / "dictionary.md"
    result = CliRunner().invoke(cli, ["docs", "--warehouse", str(warehouse), "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# wirehouse data dictionary\n")
    assert "### `top_entities` (table)" in text
    assert text.index("## Intermediate models") < text.index("### `int_original_articles` (view)") < text.index("## Marts")
    assert "| `canonical_name` | VARCHAR |" in text
    assert "_(none)_" not in text and "_(no description)_" not in text


def test_export_csv_and_parquet(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    csv_out = tmp_path / "top.csv"
    result = CliRunner().invoke(cli, ["export", "top_entities", "--warehouse", str(warehouse), "-o", str(csv_out)])
    assert result.exit_code == 0
    con = duckdb.connect()
    from_csv = con.execute(f"select canonical_name, mentions from read_csv('{csv_out}') order by 2 desc, 1 limit 3").fetchall()
    pq_out = tmp_path / "top.parquet"
    result = CliRunner().invoke(
        cli, ["export", "top_entities", "--format", "parquet", "--warehouse", str(warehouse), "-o", str(pq_out)]
    )
    assert result.output == f"wrote 33 rows of top_entities to {pq_out}\n"
    from_parquet = con.execute(f"select canonical_name, mentions from '{pq_out}' order by 2 desc, 1 limit 3").fetchall()
    assert from_csv == from_parquet == [("Russia", 14), ("Ukraine", 10), ("Belarus", 7)]
    bad = CliRunner().invoke(cli, ["export", "nope", "--warehouse", str(warehouse)])
    assert bad.exit_code == 1 and bad.output.startswith("Error: no table or view named 'nope'; choose one of: ")
