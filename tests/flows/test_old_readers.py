"""The published warehouse opens in the DuckDB 1.x that BI drivers bundle and in the `duckdb`
CLI that pip installs (issue 14): it is written in storage format v1.0.0
(flows.warehouse.build.STORAGE_VERSION), not the installed DuckDB's newest.

A throwaway venv gets DuckDB 1.0.0 (the oldest 1.x) and duckdb-cli from the package registry
(about 60 MB, once per session)."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT

OLD_DUCKDB = "1.0.0"
CLI = "1.5.5"


@pytest.fixture(scope="session")
def old_duckdb_venv(tmp_path_factory):
    venv = tmp_path_factory.mktemp("old-duckdb") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"duckdb=={OLD_DUCKDB}",
            f"duckdb-cli=={CLI}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.fail(
            f"could not install duckdb=={OLD_DUCKDB} duckdb-cli=={CLI} from the package registry: {install.stderr[-500:]}"
        )
    return venv


def _counts(query) -> dict[str, int]:
    names = [r[0] for r in query("select table_name from information_schema.tables where table_schema = 'main' order by 1")]
    return {name: query(f'select count(*) from "{name}"')[0][0] for name in names}


def test_duckdb_1_0_reads_every_table_and_view(warehouse_runs, old_duckdb_venv):
    warehouse, *_ = warehouse_runs
    db = warehouse / "news.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select tags['storage_version'] from duckdb_databases() where path = ?", [str(db)]).fetchone() == (
        "v1.0.0+",
    )
    expected = _counts(lambda sql: con.execute(sql).fetchall())
    con.close()
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "q = lambda sql: con.execute(sql).fetchall()\n"
        "names = [r[0] for r in q(\"select table_name from information_schema.tables where table_schema = 'main' order by 1\")]\n"
        "print(json.dumps({'version': duckdb.__version__, 'counts': {n: q(f'select count(*) from \"{n}\"')[0][0] for n in names}}))\n"
    )
    done = subprocess.run(
        [str(old_duckdb_venv / "bin" / "python"), "-c", script, str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    import json

    answer = json.loads(done.stdout)
    assert answer["version"] == OLD_DUCKDB
    assert answer["counts"] == expected and len(expected) > 20


def test_the_readme_cli_example_works_as_written(warehouse_runs, old_duckdb_venv, tmp_path):
    warehouse, *_ = warehouse_runs
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^\$ (duckdb -readonly warehouse/news\.duckdb .+)$", readme, re.MULTILINE).group(1)
    (tmp_path / "warehouse").symlink_to(warehouse)  # the README runs from the project folder
    done = subprocess.run(
        command,
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{old_duckdb_venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "2022-01-18" in done.stdout and "2022-02-11" in done.stdout


def test_duckdb_1_0_reads_the_search_index(warehouse_runs, old_duckdb_venv):
    """The fts index is plain tables and macros in its own schema: a 1.x reader without the
    extension opens the file and reads them (only `match_bm25` itself needs fts loaded)."""
    warehouse, *_ = warehouse_runs
    db = warehouse / "news.duckdb"
    tables = "select table_name from duckdb_tables() where schema_name = 'fts_main_article_search' order by 1"
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True, config={'autoload_known_extensions': False})\n"
        f"names = [r[0] for r in con.execute({tables!r}).fetchall()]\n"
        "print(json.dumps({n: con.execute(f'select count(*) from fts_main_article_search.{n}').fetchone()[0] for n in names}))\n"
        # The search's own tables' values too (float weights, the packed sentences).
        "print(json.dumps(con.execute('select (select round(sum(weight), 3) from fts_main_article_search.postings), "
        "(select sum(octet_length(packed)) from fts_main_article_search.sentences), "
        "(select count(title) from fts_main_article_search.articles)').fetchone()))\n"
    )
    done = subprocess.run(
        [str(old_duckdb_venv / "bin" / "python"), "-c", script, str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    import json

    con = duckdb.connect(str(db), read_only=True)
    expected = {
        n: con.execute(f"select count(*) from fts_main_article_search.{n}").fetchone()[0]
        for (n,) in con.execute(tables).fetchall()
    }
    values = con.execute(
        "select (select round(sum(weight), 3) from fts_main_article_search.postings), "
        "(select sum(octet_length(packed)) from fts_main_article_search.sentences), "
        "(select count(title) from fts_main_article_search.articles)"
    ).fetchone()
    con.close()
    counts, old_values = done.stdout.splitlines()
    assert json.loads(counts) == expected
    assert json.loads(old_values) == list(values) and values[1] > 0
    assert (
        sorted(expected)
        == [
            "articles",
            "dict",
            "docs",
            "fields",
            "postings",
            "sentences",
            "stats",
            "stopwords",
            "terms",
        ]
        and expected["docs"] == 2
    )
