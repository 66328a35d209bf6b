"""The CLI in-process (click's runner) for help, errors and output formats."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from flows.app.cli import cli, format_rows
from tests.conftest import ROOT


def _invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize(
    "command", [[], *[[c] for c in sorted(["check", "dashboard", "docs", "export", "query", "run", "search", "serve"])]]
)
def test_every_command_has_help(command):
    result = _invoke(*command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert _commands() == ["check", "dashboard", "docs", "export", "query", "run", "search", "serve"]
    rows = {line.split("`")[1].split()[1]: line for line in readme.splitlines() if line.startswith("| `wirehouse ")}
    assert sorted(rows) == _commands()  # one row per command in the Commands table
    for command in _commands():
        for param in cli.commands[command].params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in rows[command], f"{command} {opt} is missing from its row of the Commands table"


def test_run_with_a_missing_input_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["run", "--input", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 1
    assert result.output == f"Error: input folder {tmp_path / 'nope'} does not exist or is not a folder\n"


def test_query_without_a_warehouse_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["query", "select 1", "--warehouse", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: no warehouse at {tmp_path / 'news.duckdb'}: run `wirehouse run` first\n"


def test_query_formats(warehouse_runs):
    warehouse, *_ = warehouse_runs
    sql = "select canonical_name, mentions, first_date from top_entities where canonical_name in ('NATO', 'Kyiv') order by 1"
    table = CliRunner().invoke(cli, ["query", sql, "--warehouse", str(warehouse)])
    assert table.output == (
        "canonical_name  mentions  first_date\n"
        "--------------  --------  ----------\n"
        "Kyiv            2         2022-01-18\n"
        "NATO            7         2022-01-18\n"
        "(2 rows)\n"
    )
    csv = CliRunner().invoke(cli, ["query", sql, "--format", "csv", "--warehouse", str(warehouse)])
    assert csv.output == "canonical_name,mentions,first_date\nKyiv,2,2022-01-18\nNATO,7,2022-01-18\n"
    js = CliRunner().invoke(cli, ["query", sql, "--format", "json", "--warehouse", str(warehouse)])
    assert json.loads(js.output) == [
        {"canonical_name": "Kyiv", "mentions": 2, "first_date": "2022-01-18"},
        {"canonical_name": "NATO", "mentions": 7, "first_date": "2022-01-18"},
    ]


def test_query_errors_are_one_line(warehouse_runs):
    warehouse, *_ = warehouse_runs
    result = CliRunner().invoke(cli, ["query", "select * from nope", "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert result.output == "Error: Catalog Error: Table with name nope does not exist!\n"


def test_query_cannot_modify_the_warehouse(warehouse_runs):
    warehouse, *_ = warehouse_runs
    result = CliRunner().invoke(cli, ["query", "drop view stg_articles", "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert re.match(r"Error: .*read-only", result.output)
    again = CliRunner().invoke(
        cli, ["query", "select count(*) as n from stg_articles", "--warehouse", str(warehouse), "--format", "csv"]
    )
    assert again.output == "n\n2\n"


def test_format_rows_handles_lists_nulls_and_long_text():
    assert format_rows(["a", "b"], [(["x", "y"], None), ("z" * 70, 1)], "table") == (
        "a                                                             b\n"
        "------------------------------------------------------------  ----\n"
        '["x", "y"]                                                    NULL\n' + "z" * 59 + "…  1\n"
        "(2 rows)\n"
    )
    assert format_rows(["a", "b"], [(["x", "y"], None)], "csv") == 'a,b\n"[""x"", ""y""]",\n'


def test_the_seeds_reference_folder_extends_the_builtin_reference():
    from flows.settings import load_reference
    from tests.conftest import SEEDS
    from transforms.reference import alias_key

    ref = load_reference(SEEDS)
    assert ref.aliases[alias_key("Lukashenka")] == ("Alexander Lukashenko", "PERSON")
    assert ref.agency("Meduza") == "Meduza"
    assert ref.agency("AFP") == "AFP"  # built-ins kept


def test_a_bad_reference_csv_is_one_line(tmp_path):
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "aliases.csv").write_text("alias,name\nx,y\n")
    result = CliRunner().invoke(cli, ["run", "--input", str(tmp_path), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'reference'}: reference CSV needs columns alias, canonical_name, label; "
        "missing canonical_name, label\n"
    )


def test_format_rows_handles_uuid_interval_blob_and_nan():
    import datetime as dt
    import uuid

    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    columns = ["u", "i", "b", "f", "l"]
    rows = [(u, dt.timedelta(days=3), b"a\x00\\", float("nan"), [float("inf"), b"z"])]
    assert json.loads(format_rows(columns, rows, "json")) == [
        {"u": str(u), "i": "3 days, 0:00:00", "b": "a\\x00\\x5C", "f": None, "l": [None, "z"]}
    ]
    assert format_rows(columns, rows, "csv") == f'u,i,b,f,l\n{u},"3 days, 0:00:00",a\\x00\\x5C,nan,"[Infinity, ""z""]"\n'
    assert format_rows(columns, rows, "table").splitlines()[2] == f'{u}  3 days, 0:00:00  a\\x00\\x5C  nan  [Infinity, "z"]'


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_query_prints_uuid_interval_and_blob_values(warehouse_runs, fmt):
    warehouse, *_ = warehouse_runs
    sql = "select uuid() is not null as ok, gen_random_uuid() as u, interval 3 day as i, 'a'::blob as b, 'nan'::double as f"
    result = CliRunner().invoke(cli, ["query", sql, "--warehouse", str(warehouse), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if fmt == "json":
        [row] = json.loads(result.stdout)
        assert {k: v for k, v in row.items() if k != "u"} == {"ok": True, "i": "3 days, 0:00:00", "b": "a", "f": None}


def test_export_and_docs_refuse_an_output_inside_the_warehouse(warehouse_runs):
    warehouse, *_ = warehouse_runs
    db = warehouse / "news.duckdb"
    before = db.read_bytes()
    part = sorted((warehouse / "parquet").rglob("*.parquet"))[0]
    for args, target in (
        (["export", "top_entities", "-o", str(db)], db),
        (["export", "top_entities", "--format", "parquet", "-o", str(part)], part),
        (["export", "top_entities", "-o", str(warehouse / "parquet" / "top.csv")], warehouse / "parquet" / "top.csv"),
        (["docs", "-o", str(warehouse / "dictionary.md")], warehouse / "dictionary.md"),
    ):
        result = CliRunner().invoke(cli, [*args, "--warehouse", str(warehouse)])
        assert result.exit_code == 1, (args, result.output)
        assert result.stdout == ""
        assert result.stderr.startswith(f"Error: --output {target} is inside the warehouse") and result.stderr.count("\n") == 1, (
            result.stderr
        )
    assert db.read_bytes() == before
    assert not (warehouse / "parquet" / "top.csv").exists() and not (warehouse / "dictionary.md").exists()


def test_docs_to_a_missing_folder_is_one_line(warehouse_runs, tmp_path):
    warehouse, *_ = warehouse_runs
    result = CliRunner().invoke(cli, ["docs", "-o", str(tmp_path / "no" / "x.md"), "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: output folder {tmp_path / 'no'} does not exist: create it first, or choose another --output\n"
    )
