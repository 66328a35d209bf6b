"""The read-only query surface (issue 14): `wirehouse query`, `docs`, `export`, the dashboard
and `from flows import connect, query, engine` all open the warehouse through one factory
that runs read statements only and reads no file but the warehouse's own."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from flows.app.cli import cli


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _a_part(warehouse: Path) -> Path:
    return sorted((warehouse / "parquet" / "articles").rglob("*.parquet"))[0]


def _refused_statements(warehouse: Path) -> list[str]:
    db = warehouse / "news.duckdb"
    part = _a_part(warehouse)
    store = warehouse / "parquet"
    return [
        # the statements of the issue
        f"copy (select 'garbage') to '{db}' (format csv)",
        "copy (select 1) to 'out.csv'",
        "export database 'exported'",
        "attach 'rw.duckdb' as x (read_only false)",
        "attach 'rw.duckdb' as x (read_only false); create table x.t as select 1",
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "install httpfs",
        # and more
        f"copy (select 1 as a) to '{part}' (format parquet, use_tmp_file false)",
        f"copy (select 1 as a) to '{store}/new.parquet' (format parquet)",
        f"explain analyze copy (select 1 as a) to '{part}' (format parquet, use_tmp_file false)",
        "load httpfs",
        "pragma enable_profiling",
        "call pragma_version()",
        "checkpoint",
        "vacuum",
        "begin transaction",
        "set enable_external_access = true",
        "reset lock_configuration",
        "set threads = 1",
        "set variable x = 1",
        "create temp table t as select 1",
        "detach news",
        "use system",
        "select * from read_parquet('/etc/hostname')",
        "select * from read_csv('/etc/passwd', sep = ':')",
        "select * from read_blob('/etc/passwd')",
        f"select * from read_text('{store}/../../../../../../../etc/passwd')",
        f"select * from read_parquet('{part}/../../../../news.duckdb.wal')",
        f"select * from read_csv('{store}/../../../../../../etc/passwd')",
        f"select * from read_parquet(['{part}', '/etc/passwd'])",
        f"select * from read_parquet('{store}/**/*.parquet')",
        "select * from glob('/*')",
        f"select * from glob('{store}/*')",
        "select * from read_parquet('file:///etc/passwd')",
        "select * from 'https://example.com/data.parquet'",
        "select * from sniff_csv('/etc/passwd')",
        "select 1; select 2",
        "",
        "   ;  ",
        "-- only a comment",
        "/* only a comment */",
    ]


def test_every_write_or_escape_is_refused_in_one_line_and_the_warehouse_is_unchanged(warehouse_runs, tmp_path, monkeypatch):
    warehouse, *_ = warehouse_runs
    before = _files(warehouse)
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    for sql in _refused_statements(warehouse):
        result = runner.invoke(cli, ["query", "--warehouse", str(warehouse), "--", sql])
        assert result.exit_code == 1, (sql, result.output)
        assert result.stdout == "", sql
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (sql, result.stderr)
        assert "Traceback" not in result.output
    assert sorted(os.listdir(tmp_path)) == []  # out.csv, exported/, rw.duckdb: none written
    assert _files(warehouse) == before  # news.duckdb's sha256 and every Parquet part's
    again = runner.invoke(
        cli, ["query", "select count(*) as n from stg_articles", "--warehouse", str(warehouse), "--format", "csv"]
    )
    assert again.output == "n\n2\n"


def test_refusals_say_what_to_do(warehouse_runs):
    warehouse, *_ = warehouse_runs

    def error(sql):
        return CliRunner().invoke(cli, ["query", sql, "--warehouse", str(warehouse)]).stderr

    assert error("copy (select 1) to 'out.csv'") == (
        "Error: only read statements run here (select, with, from, describe, show, summarize, explain); "
        "copy is refused: to write a table to a file use `wirehouse export TABLE -o FILE`\n"
    )
    assert error("select * from read_csv('/etc/passwd')") == (
        'Error: Permission Error: Cannot access file "/etc/passwd": '
        "queries read only the warehouse's tables, views and own Parquet files\n"
    )
    assert error("select 1; select 2") == (
        "Error: give one statement at a time (got 2); run each one separately to see each result\n"
    )
    assert error("pivot top_entities on label using sum(mentions)") == (
        "Error: a pivot must list the values it pivots on, e.g. "
        "pivot top_entities on label in ('PERSON', 'ORG') using sum(mentions): "
        "without `in (…)` DuckDB runs it as several statements, which a read-only query refuses\n"
    )
    assert error("") == 'Error: the query is empty: give one SQL statement, e.g. "select * from top_entities limit 10"\n'


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) from stg_articles",
        "with a as (select * from top_entities) select count(*) from a",
        "from top_entities limit 1",
        "describe top_entities",
        "show tables",
        "summarize top_entities",
        "explain select * from top_entities",
        "select * from pragma_table_info('top_entities')",
        "select count(*) from duckdb_views()",
        "pivot top_entities on label in ('PERSON', 'ORG') using sum(mentions)",
        "unpivot (select 1 as x, 2 as y) on x, y",
    ],
)
def test_read_statements_run(warehouse_runs, sql):
    warehouse, *_ = warehouse_runs
    result = CliRunner().invoke(cli, ["query", sql, "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_the_warehouse_reads_its_own_parquet_files(warehouse_runs):
    warehouse, *_ = warehouse_runs
    part = _a_part(warehouse)
    result = CliRunner().invoke(
        cli, ["query", f"select count(*) as n from read_parquet('{part}')", "--warehouse", str(warehouse), "--format", "csv"]
    )
    assert result.output == "n\n2\n"


def test_the_python_recipe_is_the_same_connection(warehouse_runs):
    from flows import connect, engine, query
    from flows.settings import WirehouseError

    warehouse, *_ = warehouse_runs
    db_hash = _sha256(warehouse / "news.duckdb")
    assert query("select count(*) as n from stg_articles", warehouse).to_dict("records") == [{"n": 2}]
    with pytest.raises(WirehouseError, match="copy is refused"):
        query(f"copy (select 1) to '{warehouse / 'news.duckdb'}'", warehouse)
    store_before = _files(warehouse / "parquet")
    part = _a_part(warehouse)
    con = connect(warehouse)
    try:
        assert con.execute("select count(*) from stg_sentences").fetchone()[0] > 0
        for sql in (
            f"copy (select 2 as a, 'y' as b) to '{part}' (format parquet, use_tmp_file false)",
            f"copy (select 1) to '{warehouse / 'news.duckdb'}' (format csv, use_tmp_file false)",
            f"copy (select 1) to '{warehouse / 'news.duckdb'}'",
            "select * from read_csv('/etc/passwd')",
            "set enable_external_access = true",
            "attach 'x.duckdb' as x",
            "install httpfs",
            "create table t as select 1",
        ):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
    finally:
        con.close()
    second = connect(warehouse)  # a second connection in the same process shares the locked instance
    with pytest.raises(duckdb.Error):
        second.execute("select * from read_text('/etc/hostname')")
    second.close()

    import sqlalchemy

    pool = engine(warehouse)
    with pool.connect() as conn:
        assert conn.execute(sqlalchemy.text("select count(*) from stg_articles")).scalar() == 2
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="Permission Error"):
            conn.execute(sqlalchemy.text("select * from read_csv('/etc/passwd')"))
        for sql in (
            f"copy (select 2 as a, 'y' as b) to '{part}' (format parquet, use_tmp_file false)",
            f"copy (select 1) to '{warehouse / 'news.duckdb'}' (format csv, use_tmp_file false)",
        ):
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="copy is refused"):
                conn.execute(sqlalchemy.text(sql))
    pool.dispose()  # DuckDB keeps the locked instance while a pooled connection lives
    assert _sha256(warehouse / "news.duckdb") == db_hash
    assert _files(warehouse / "parquet") == store_before


def test_a_connect_connection_runs_reads_in_every_form_and_refuses_the_rest(warehouse_runs):
    import pandas as pd

    from flows import connect, engine
    from flows.settings import WirehouseError

    warehouse, *_ = warehouse_runs
    part = _a_part(warehouse)
    store_before = _files(warehouse / "parquet")
    with connect(warehouse) as con:
        n = con.execute("select count(*) as n from stg_articles").fetchall()
        assert n == [(2,)]
        assert con.execute("select count(*) as n from stg_articles").df().to_dict("records") == [{"n": 2}]
        assert con.sql("select count(*) as n from stg_articles").to_arrow_table().to_pylist() == [{"n": 2}]
        assert con.query("select count(*) as n from stg_articles").fetchone() == (2,)
        assert con.execute("select ? + 1 as n", [1]).fetchone() == (2,)
        assert con.cursor().execute("select 3").fetchone() == (3,)
        refused = f"copy (select 2 as a) to '{part}' (format parquet, use_tmp_file false)"
        for call in (con.execute, con.sql, con.query, con.cursor().execute, con.cursor().sql):
            with pytest.raises(WirehouseError, match="copy is refused"):
                call(refused)
        with pytest.raises(duckdb.PermissionException, match="copy is refused"):
            con.executemany(refused, [[]])
        rel = con.table("top_entities").filter("mentions > 0")
        assert rel.project("canonical_name").limit(1).df().shape == (1, 1)
        with pytest.raises(WirehouseError, match="copy is refused"):
            rel.query("t", refused)
        assert rel.query("t", "select count(*) > 0 from t").fetchone() == (True,)
        with pytest.raises(WirehouseError, match="to_parquet is refused"):
            con.sql("select 2 as a").to_parquet(str(part), use_tmp_file=False)
        with pytest.raises(WirehouseError, match="write_csv is refused"):
            rel.write_csv(str(warehouse / "news.duckdb"))
        with pytest.raises(duckdb.ParserException):
            con.execute("selec 1")
    pool = engine(warehouse)
    assert pd.read_sql("select count(*) as n from stg_articles", pool).to_dict("records") == [{"n": 2}]
    pool.dispose()
    assert _files(warehouse / "parquet") == store_before


def _open_at_once(path: Path, threads: int) -> tuple[list[str], list[int]]:
    """`threads` threads released together, each opening `path` read-only and reading it."""
    import threading

    from flows.warehouse import read_only

    start, errors, answers = threading.Barrier(threads), [], []

    def open_it():
        start.wait()
        try:
            con = read_only._connect_locked_down(path)  # its lock taken away, this test failed
            answers.append(con.execute("select answer from v").fetchone()[0])
            con.close()
        except Exception as exc:  # noqa: BLE001 - the test collects what each thread met
            errors.append(repr(exc))

    started = [threading.Thread(target=open_it) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return errors, answers


def test_threads_that_open_the_warehouse_at_once_all_get_a_locked_down_connection(tmp_path):
    """The dashboard's panels connect from several threads: the first to lock the shared
    database instance down must not make the others' lock-down fail ('the configuration
    has been locked'), as it did in a full test run."""
    for attempt in range(5):  # a fresh database file each time: the race is at the first lock-down
        path = tmp_path / f"news{attempt}.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute("create view v as select 42 as answer")
        assert _open_at_once(path, 8) == ([], [42] * 8)
