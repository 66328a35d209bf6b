"""`wirehouse export` round-trips (issue 14): lists as JSON arrays in CSV, Parquet keeps the
types, and a missing output folder is an error, not a folder made for you."""

from __future__ import annotations

import csv
import json

import duckdb
from click.testing import CliRunner

from flows.app.cli import cli


def _rows(warehouse, sql):
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_csv_writes_lists_as_quoted_json_arrays(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    out = tmp_path / "entities_dim.csv"
    result = CliRunner().invoke(cli, ["export", "entities_dim", "--warehouse", str(warehouse), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as f:
        exported = {row["entity_id"]: (json.loads(row["aliases"]), json.loads(row["merged_ids"])) for row in csv.DictReader(f)}
    expected = {
        eid: (aliases, merged)
        for eid, aliases, merged in _rows(warehouse, "select entity_id, aliases, merged_ids from entities_dim")
    }
    assert exported == expected
    # a list is one quoted field, never a bare [a, b] that a CSV reader splits
    text = out.read_text()
    assert "[Margaret" not in text and ",[" not in text
    # DuckDB reads it back: from_json restores the list type
    con = duckdb.connect()
    back = con.execute(
        f"select entity_id, from_json(aliases, '[\"VARCHAR\"]') from read_csv('{out}', all_varchar = true) order by 1"
    ).fetchall()
    assert back == sorted((eid, aliases) for eid, (aliases, _) in expected.items())


def test_parquet_keeps_every_column_type_and_value(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    for relation in ("stg_articles", "entities_dim", "stg_ner_spans", "run_history"):
        out = tmp_path / f"{relation}.parquet"
        result = CliRunner().invoke(
            cli, ["export", relation, "--format", "parquet", "--warehouse", str(warehouse), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        con = duckdb.connect()
        assert con.execute(f"describe select * from '{out}'").fetchall() == _rows(warehouse, f"describe {relation}")
        assert sorted(con.execute(f"select * from '{out}'").fetchall(), key=repr) == sorted(
            _rows(warehouse, f"select * from {relation}"), key=repr
        )


def test_a_missing_output_folder_is_one_line_and_nothing_is_created(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    target = tmp_path / "nonexistent" / "dir" / "out.csv"
    result = CliRunner().invoke(cli, ["export", "top_entities", "--warehouse", str(warehouse), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: output folder {target.parent} does not exist: create it first, or choose another --output\n"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_a_failed_export_leaves_no_partial_file(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    out = tmp_path / "nope.csv"
    result = CliRunner().invoke(cli, ["export", "no_such_table", "--warehouse", str(warehouse), "-o", str(out)])
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []
