"""The warehouse build: models from sql/, data tests, publish by rename."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.settings import SQL_DIR
from flows.store import storage
from flows.warehouse.build import WarehouseBuildError, build_warehouse, data_tests
from flows.warehouse.models import load_models
from transforms import schemas


def _copy_sql(tmp_path):
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    return sql


def test_a_failing_data_test_keeps_the_previous_warehouse(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    before = (warehouse / "news.duckdb").read_bytes()
    sql = _copy_sql(tmp_path)
    (sql / "tests" / "no_articles_about_belarus.sql").write_text(
        "select article_id from stg_articles where body like '%Belarus%'\n"
    )
    with pytest.raises(WarehouseBuildError) as err:
        build_warehouse(warehouse, storage.load_snapshot(warehouse), sql)
    assert str(err.value).startswith(
        "data tests failed, the previous warehouse stays published: no_articles_about_belarus: 2 failing row(s)"
    )
    assert (warehouse / "news.duckdb").read_bytes() == before
    assert [p.name for p in warehouse.iterdir() if "building" in p.name] == []


def test_a_broken_model_names_its_file(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    sql = _copy_sql(tmp_path)
    (sql / "marts" / "broken.sql").write_text("select count(*) from stg_articles group by nope")
    with pytest.raises(WarehouseBuildError, match=r"^model broken.sql failed: Binder Error"):
        build_warehouse(warehouse, storage.load_snapshot(warehouse), sql)


def test_the_build_runs_under_a_memory_cap(warehouse_runs, monkeypatch):
    """DuckDB's memory during the build is capped ($WIREHOUSE_BUILD_MEMORY), not 80% of RAM:
    a cap too small for the seeds' marts fails the build, which keeps the old database."""
    warehouse, *_ = warehouse_runs
    before = (warehouse / "news.duckdb").read_bytes()
    monkeypatch.setenv("WIREHOUSE_BUILD_MEMORY", "1MB")
    with pytest.raises(WarehouseBuildError, match=r"^model \w+\.sql failed: Out of Memory Error"):
        build_warehouse(warehouse, storage.load_snapshot(warehouse))
    assert (warehouse / "news.duckdb").read_bytes() == before


def test_every_data_test_passes_on_the_seeds(warehouse_runs):
    """The declared tests and those in sql/tests, re-run on the published database."""
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    tests = data_tests(SQL_DIR)
    keyed = {name.split(" key (")[0] for name, _ in tests if " key (" in name}
    assert keyed >= {m.name for m in load_models(SQL_DIR, "marts")}
    for name, sql in tests:
        assert con.execute(sql).fetchall() == [], name


# The only renames in staging: the input file's columns, because `source` in the warehouse
# means the agency (the Parquet keeps the schema's names).
FILE_COLUMNS = {
    "source_path": "file_path",
    "source_record": "file_record",
    "source_sha256": "file_sha256",
    "source_format": "file_format",
    "source_key": "file_key",
}


def test_staging_views_expose_exactly_the_schema_columns(warehouse_runs):
    warehouse, *_ = warehouse_runs
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    for table, schema in schemas.TABLES.items():
        columns = con.sql(f"select * from stg_{table} limit 0").columns
        assert columns == [FILE_COLUMNS.get(name, name) for name in schema.names], table
    # `source` is the agency: no column of the warehouse names anything else with it.
    named_source = con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'main' and column_name like '%source%'"
        " and column_name not in ('source', 'article_source', 'dateline_source', 'date_source')"
    ).fetchall()
    assert named_source == []


def test_a_failing_declared_test_fails_the_build_naming_model_column_and_test(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    before = (warehouse / "news.duckdb").read_bytes()
    sql = _copy_sql(tmp_path)
    model = sql / "marts" / "top_entities.sql"
    model.write_text(model.read_text().replace("-- @key entity_id\n", "-- @key label\n"))
    with pytest.raises(WarehouseBuildError) as err:
        build_warehouse(warehouse, storage.load_snapshot(warehouse), sql)
    assert str(err.value).startswith("data tests failed, the previous warehouse stays published: top_entities key (label): ")
    assert "\n" not in str(err.value)
    assert (warehouse / "news.duckdb").read_bytes() == before


def test_a_declared_test_on_a_column_the_model_lacks_fails_the_build(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    sql = _copy_sql(tmp_path)
    model = sql / "marts" / "places.sql"
    model.write_text(model.read_text().replace("-- @key entity_id\n", "-- @key entity_id\n-- @test mention_count: not_null\n"))
    with pytest.raises(
        WarehouseBuildError, match=r"^model places.sql documents or tests mention_count, which it has no column of$"
    ):
        build_warehouse(warehouse, storage.load_snapshot(warehouse), sql)


def test_a_cycle_fails_the_build_before_it_starts(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    sql = _copy_sql(tmp_path)
    model = sql / "marts" / "entities_dim.sql"
    model.write_text(
        model.read_text().replace(
            "left join places as p using (entity_id)",
            "left join places as p using (entity_id)\n    left join top_entities using (entity_id)",
        )
    )
    with pytest.raises(WarehouseBuildError, match=r"^models read each other in a cycle: "):
        build_warehouse(warehouse, storage.load_snapshot(warehouse), sql)


def test_models_declare_how_they_are_materialized():
    kinds = {m.name: m.kind for m in load_models(SQL_DIR, "marts") + load_models(SQL_DIR, "intermediate")}
    # Big per-mention relations stay views; aggregates a dashboard reads often are tables.
    assert {name for name, kind in kinds.items() if kind == "view"} == {
        "entity_mentions",
        "int_original_articles",
        "network_edges",
        "network_nodes",
        "run_history",
    }
    assert {m.kind for m in load_models(SQL_DIR, "staging")} == {"view"}


def test_quotes_show_names_never_a_bare_pronoun_or_role():
    """The mart's speaker: the canonical name, else the words as written, but no `he` or `the spokesman`."""
    con = duckdb.connect()
    con.execute("create table int_original_articles (article_id varchar, title varchar, source varchar, published_date date)")
    con.execute("insert into int_original_articles values ('a', 'T', 'AFP', date '2022-02-10')")
    # The archive-level identity (issue 12): the speaker is counted as its resolved entity.
    con.execute("create table stg_entity_identity (entity_id varchar, resolved_id varchar, canonical_name varchar)")
    con.execute("insert into stg_entity_identity values ('p1', 'p0', 'Joe Biden')")
    con.execute(
        "create table stg_quotes (article_id varchar, char_start integer, text varchar, speaker_text varchar, "
        "speaker_entity_id varchar, speaker_name varchar, verb varchar)"
    )
    con.execute(
        """insert into stg_quotes values
        ('a', 1, 'q1', 'he', 'p1', 'Joe Biden', 'said'),
        ('a', 2, 'q2', 'He', null, null, 'said'),
        ('a', 3, 'q3', 'the president', null, null, 'said'),
        ('a', 4, 'q4', null, null, null, null),
        ('a', 5, 'q5', 'they', null, null, 'said'),
        ('a', 6, 'q6', 'the spokesman', null, null, 'said'),
        ('a', 7, 'q7', 'Lukashenko', null, null, 'said')"""
    )
    mart = (SQL_DIR / "marts" / "quotes.sql").read_text()
    assert con.sql(mart).select("quote, speaker").fetchall() == [
        ("q1", "Joe Biden"),
        ("q7", "Lukashenko"),  # no entity found: as written
        ("q2", None),
        ("q3", None),
        ("q4", None),
        ("q5", None),
        ("q6", None),
    ]
    assert con.sql(mart).select("quote, speaker_entity_id").fetchall()[0] == ("q1", "p0")
