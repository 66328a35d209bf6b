"""sql/ as the build reads it: declared tests and keys, dependencies and build order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.settings import SQL_DIR
from flows.warehouse.models import (
    BUILT_TABLES,
    DeclaredTest,
    ModelError,
    build_order,
    declared_test_sql,
    declared_tests,
    dependencies,
    load_all,
    load_models,
    parse_declarations,
    parse_docs,
    reads,
)
from transforms import clean


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_declarations_next_to_the_column_docs():
    sql = """-- materialized: table
-- What it holds.
-- @key date, entity_id
-- @column entity_id: the entity
-- @test entity_id: unique, not_null, references stg_entities.entity_id
-- @column rule: the rule,
--   continued
-- @test rule: accepted_values transforms.clean.RULES, not_blank
select 1
"""
    tests, key = parse_declarations("m", sql, "marts/m.sql")
    assert key == ("date", "entity_id")
    assert tests == (
        DeclaredTest("m", ("date", "entity_id"), "key"),
        DeclaredTest("m", ("entity_id",), "unique"),
        DeclaredTest("m", ("entity_id",), "not_null"),
        DeclaredTest("m", ("entity_id",), "references", "stg_entities.entity_id"),
        DeclaredTest("m", ("rule",), "accepted_values", "transforms.clean.RULES"),
        DeclaredTest("m", ("rule",), "not_blank"),
    )
    assert [t.name for t in tests] == [
        "m key (date, entity_id)",
        "m.entity_id unique",
        "m.entity_id not_null",
        "m.entity_id references stg_entities.entity_id",
        "m.rule accepted_values transforms.clean.RULES",
        "m.rule not_blank",
    ]
    # The declarations are not part of the docs that become COMMENT ON.
    assert parse_docs(sql) == ("What it holds.", {"entity_id": "the entity", "rule": "the rule, continued"})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("-- @test id: uniq", "sql marts/m.sql: unknown test 'uniq' on id; use unique, not_null, not_blank, references"),
        ("-- @test id: references stg_articles", "sql marts/m.sql: unknown test 'references stg_articles' on id"),
        ("-- @test id: accepted_values transforms.clean.NOPE", "sql marts/m.sql: accepted_values transforms.clean.NOPE: no"),
        ("-- @test id: accepted_values transforms.nowhere.RULES", "sql marts/m.sql: accepted_values transforms.nowhere.RULES:"),
        ("-- @test id: accepted_values transforms.clean.MAX_LINE", "sql marts/m.sql: accepted_values transforms.clean."),
        ("-- @tests id: unique", "sql marts/m.sql: cannot read '-- @tests id: unique'; write `-- @column name: text`"),
        ("-- @key", "sql marts/m.sql: cannot read '-- @key'"),
        ("-- @key a\n-- @key b", "sql marts/m.sql: @key is declared twice"),
    ],
)
def test_a_broken_declaration_is_an_error_naming_the_file(line, message):
    with pytest.raises(ModelError) as err:
        parse_declarations("m", f"-- doc\n{line}\nselect 1", "marts/m.sql")
    assert str(err.value).startswith(message)


def test_a_reference_to_no_model_is_an_error(tmp_path):
    sql = _write(tmp_path / "sql", {"marts/a.sql": "-- @test x: references nowhere.x\nselect 1 as x"})
    with pytest.raises(ModelError, match=r"^sql a.sql: a.x references nowhere.x: no model named nowhere$"):
        declared_tests(load_models(sql, "marts"))


def test_reads_takes_the_tables_from_duckdbs_parser_not_the_ctes():
    sql = """with mentions as (select * from entity_mentions where article_id not in (select article_id from stg_duplicates)),
    names as (select * from top_entities)
    select * from mentions inner join names using (entity_id) anti join read_parquet({{ parquet('x') }}) using (entity_id)
    -- from not_a_table
    where 'from also_not_a_table' <> ''"""
    assert reads(sql) == {"entity_mentions", "stg_duplicates", "top_entities"}


def test_the_build_order_follows_the_dependencies(tmp_path):
    sql = _write(
        tmp_path / "sql",
        {
            "marts/a_top.sql": "select * from b_dim",
            "marts/b_dim.sql": "with m as (select * from int_c) select * from m",
            "intermediate/int_c.sql": "select * from stg_d where id not in (select id from stg_e)",
            "staging/stg_d.sql": "select * from read_parquet({{ parquet('articles') }})",
            "staging/stg_e.sql": "select 1 as id",
        },
    )
    order = [m.name for m in load_all(sql)]
    assert order.index("stg_d") < order.index("int_c") < order.index("b_dim") < order.index("a_top")
    assert order.index("stg_e") < order.index("int_c")
    assert dependencies(load_models(sql, "marts") + load_models(sql, "intermediate") + load_models(sql, "staging")) == {
        "a_top": {"b_dim"},
        "b_dim": {"int_c"},
        "int_c": {"stg_d", "stg_e"},
        "stg_d": set(),
        "stg_e": set(),
    }


def test_the_real_build_order_puts_every_model_after_what_it_reads():
    models = load_all(SQL_DIR)
    graph = dependencies(models)
    seen: set[str] = set(BUILT_TABLES)  # written before the models
    for model in models:
        assert graph[model.name] <= seen, model.name
        seen.add(model.name)
    assert graph["run_history"] == {"stg_runs", "run_table_versions"}
    assert graph["entity_mentions"] == {"stg_entities", "stg_entity_identity", "int_original_articles"}
    assert graph["int_original_articles"] == {"stg_articles", "stg_duplicates"}


def test_a_cycle_is_an_error_naming_it(tmp_path):
    sql = _write(tmp_path / "sql", {"marts/a.sql": "select * from b", "marts/b.sql": "select * from a"})
    with pytest.raises(ModelError, match=r"^models read each other in a cycle: (a → b → a|b → a → b); "):
        build_order(load_models(sql, "marts"))


def test_a_read_of_no_model_is_an_error_naming_it(tmp_path):
    sql = _write(tmp_path / "sql", {"marts/a.sql": "select * from stg_articels"})
    with pytest.raises(ModelError, match=r"^model marts/a.sql reads stg_articels, which no file under sql/ defines$"):
        build_order(load_models(sql, "marts"))


def test_an_unparsable_model_is_an_error_naming_it(tmp_path):
    sql = _write(tmp_path / "sql", {"marts/a.sql": "selec * from b"})
    with pytest.raises(ModelError, match=r"^model marts/a.sql failed: cannot parse it: "):
        build_order(load_models(sql, "marts"))


def test_every_mart_declares_its_key_and_the_original_articles_filter_is_in_one_place():
    marts = load_models(SQL_DIR, "marts")
    assert [m.name for m in marts if not m.key] == []
    assert all(any(t.kind == "key" for t in m.tests) for m in marts)
    # Only the intermediate model filters out duplicates; the marts read it.
    filtering = [p.name for p in SQL_DIR.rglob("*.sql") if "not in (select article_id from stg_duplicates)" in p.read_text()]
    assert filtering == ["int_original_articles.sql"]
    graph = dependencies(load_all(SQL_DIR))
    assert {name for name, read in graph.items() if "int_original_articles" in read} == {
        "entity_mentions",
        "amounts_over_time",
        "boilerplate_sentences",
        "quotes",
    }


def test_the_removed_line_rules_come_from_the_cleaner():
    (stg,) = [m for m in load_models(SQL_DIR, "staging") if m.name == "stg_removed_lines"]
    assert DeclaredTest("stg_removed_lines", ("rule",), "accepted_values", "transforms.clean.RULES") in stg.tests
    sql = declared_test_sql(DeclaredTest("stg_removed_lines", ("rule",), "accepted_values", "transforms.clean.RULES"), {})
    for rule in clean.RULES:
        assert f"'{rule}'" in sql


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table a (id varchar, k varchar, rule varchar)")
    con.execute("insert into a values ('1', 'x', 'ocr_noise'), ('2', 'x', 'copyright'), ('3', 'y', null)")
    con.execute("create table b (id varchar, a_id varchar, text varchar)")
    con.execute("insert into b values ('1', '1', 'a'), ('2', null, ' '), ('3', '3', null)")
    return con


@pytest.mark.parametrize(
    ("test", "failing"),
    [
        (DeclaredTest("a", ("id",), "unique"), []),
        (DeclaredTest("a", ("k",), "unique"), [("x", 2)]),
        (DeclaredTest("a", ("k",), "key"), [("x", 2)]),
        (DeclaredTest("a", ("id", "k"), "key"), []),
        (DeclaredTest("a", ("rule",), "not_null"), [(None,)]),
        (DeclaredTest("b", ("text",), "not_blank"), [(" ",), (None,)]),
        (DeclaredTest("b", ("a_id",), "references", "a.id"), []),
        (DeclaredTest("a", ("id",), "references", "b.a_id"), [("2",)]),
        (DeclaredTest("a", ("rule",), "accepted_values", "transforms.clean.RULES"), []),
        (DeclaredTest("a", ("k",), "accepted_values", "transforms.clean.RULES"), [("x", 2), ("y", 1)]),
    ],
)
def test_each_declared_test_returns_exactly_the_rows_that_break_it(test, failing):
    assert sorted(_con().execute(declared_test_sql(test, {})).fetchall(), key=str) == sorted(failing, key=str)


def test_row_by_row_tests_share_one_scan_and_only_failures_run_their_own_query(tmp_path):
    from flows.warehouse.build import run_data_tests
    from flows.warehouse.models import one_scan

    sql = _write(
        tmp_path / "sql",
        {
            "marts/a.sql": "-- @key id\n-- @test k: not_null, not_blank\n-- @test rule: not_null, accepted_values transforms.clean.RULES\n"
            "select * from b",
            "staging/b.sql": "select 1 as id",
        },
    )
    models = load_all(sql)
    (a,) = [m for m in models if m.name == "a"]
    query, names = one_scan(a)
    assert names == ["a.k not_null", "a.k not_blank", "a.rule not_null", "a.rule accepted_values transforms.clean.RULES"]
    con = _con()  # table a: rule is null once, k is never null or blank
    assert con.execute(query).fetchone() == (0, 0, 1, 0)
    failures = run_data_tests(con, sql, [a])
    assert [str(f) for f in failures] == ["a.rule not_null: 1 failing row(s), e.g. [('3',)]"]
