"""The archive-level identity step end to end: a small folder of articles of our own
(development data, not evidence) through the real flow, spaCy and DuckDB; the marts agree
on each entity, and a second run with one new file keeps the ids of untouched entities."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.pipeline.ingest import ingest
from flows.warehouse.identity import decide_identity
from tests.flows.test_incremental import settle

ARTICLES = {
    "putin-1.txt": (
        "Putin meets Macron in Moscow\n\nBy Reuters\n\nFebruary 7, 2022\n\n"
        "Russian President Vladimir Putin met French President Emmanuel Macron in Moscow on Monday. "
        "Vladimir Putin said the talks were useful. Emmanuel Macron flew to Kyiv afterwards.\n"
    ),
    "putin-2.txt": (
        "Kremlin rejects demands\n\nBy AFP\n\nFebruary 8, 2022\n\n"
        "Putin told reporters in Moscow that NATO must not expand. Putin said Russia wanted guarantees. "
        "Macron said Europe needed calm.\n"
    ),
    "zelensky-1.txt": (
        "Zelensky speaks in Kyiv\n\nBy AP\n\nFebruary 9, 2022\n\n"
        "Ukrainian President Volodymyr Zelensky spoke in Kyiv on Wednesday. "
        "Volodymyr Zelensky said Ukraine would not panic.\n"
    ),
    "zelensky-2.txt": (
        "Ukraine calls for calm\n\nBy Reuters\n\nFebruary 10, 2022\n\n"
        "Volodymyr Zelenskiy urged calm in Kyiv. Volodymyr Zelenskiy met Emmanuel Macron. "
        "Zelenskiy thanked the French leader.\n"
    ),
    "erdogan.txt": (
        "Turkey offers to mediate\n\nBy AFP\n\nFebruary 11, 2022\n\n"
        "Turkish President Recep Tayyip Erdoğan offered to host talks in Ankara. "
        "Recep Tayyip Erdogan spoke to Vladimir Putin by phone.\n"
    ),
}


def _query(warehouse, sql):
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def identity_runs(prefect_api, tmp_path_factory):
    folder = tmp_path_factory.mktemp("identity-in")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    settle(folder, age_s=120)
    warehouse = tmp_path_factory.mktemp("identity-wh")
    ingest(folder, warehouse, batch_size=2, workers=1)
    first = dict(_query(warehouse, "select entity_id, resolved_id from stg_entity_identity"))
    first_dim = _query(warehouse, "select entity_id, canonical_name, mentions from entities_dim order by entity_id")
    (folder / "biden.txt").write_text(
        "Biden warns Moscow\n\nBy AP\n\nFebruary 12, 2022\n\nPresident Joe Biden warned of sanctions. Biden spoke in Washington.\n"
    )
    settle(folder, age_s=120)
    ingest(folder, warehouse, batch_size=2, workers=1)
    return warehouse, first, first_dim, folder


def test_one_entity_per_person_across_the_archive(identity_runs):
    warehouse, *_ = identity_runs
    people = _query(
        warehouse,
        "select canonical_name, label, aliases, merge_rules from entities_dim "
        "where canonical_name in ('Vladimir Putin', 'Volodymyr Zelensky', 'Recep Tayyip Erdogan', 'Recep Tayyip Erdoğan') "
        "order by canonical_name",
    )
    names = [p[0] for p in people]
    assert names.count("Vladimir Putin") == 1 and names.count("Volodymyr Zelensky") == 1
    assert len([n for n in names if n.startswith("Recep")]) == 1
    putin = next(p for p in people if p[0] == "Vladimir Putin")
    assert putin[1] == "PERSON" and "Putin" in putin[2] and "short_form" in putin[3]
    # No second Putin, Zelenskiy or Erdoğan anywhere in the marts.
    assert (
        _query(
            warehouse,
            "select canonical_name from top_entities where canonical_name in "
            "('Putin', 'Macron', 'Zelenskiy', 'Volodymyr Zelenskiy', 'Tayyip Erdogan', 'Recep Tayyip Erdogan')",
        )
        == []
    )


def test_marts_agree_on_each_entity(identity_runs):
    warehouse, *_ = identity_runs
    assert _query(warehouse, "select * from (" + open("sql/tests/marts_agree_on_entity_counts.sql").read() + ")") == []
    top = _query(warehouse, "select entity_id, canonical_name, label, mentions, articles from top_entities order by 1")
    dim = _query(warehouse, "select entity_id, canonical_name, label, mentions, articles from entities_dim order by 1")
    assert top == dim and top


def test_a_second_run_keeps_the_ids_of_untouched_entities(identity_runs):
    warehouse, first, first_dim, _ = identity_runs
    second = dict(_query(warehouse, "select entity_id, resolved_id from stg_entity_identity"))
    assert {k: second[k] for k in first} == first
    dim = _query(warehouse, "select entity_id, canonical_name, mentions from entities_dim order by entity_id")
    assert [r for r in first_dim if r not in dim] == []  # every earlier entity with its name and counts
    runs = _query(warehouse, "select distinct run_id from stg_entity_identity where canonical_name = 'Vladimir Putin'")
    assert len(runs) == 1  # Putin's block was not decided again by the run that brought Biden


def test_the_users_never_merge_takes_effect_without_a_new_file(identity_runs):
    # Runs last: it changes the module's warehouse.
    warehouse, _, _, folder = identity_runs
    (folder / "reference").mkdir()
    (folder / "reference" / "aliases.csv").write_text("alias,canonical_name,label,rule\nPutin,Vladimir Putin,,never\n")
    summary = ingest(folder, warehouse, batch_size=2, workers=1)
    assert (summary.files_new, summary.files_changed, summary.up_to_date) == (0, 0, False)
    got = _query(
        warehouse,
        "select canonical_name, merge_rules, mentions from entities_dim where canonical_name in ('Putin', 'Vladimir Putin') order by 1",
    )
    assert got == [("Putin", [], 2), ("Vladimir Putin", [], 3)]


def _entities(rows):
    names = ["article_id", "sentence_idx", "text", "label", "entity_id", "canonical_name", "country_code", "entity_key"]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def test_the_step_redecides_only_touched_blocks_and_uses_evidence():
    from transforms.reference import DEFAULT_REFERENCE

    con = duckdb.connect()
    rows = [
        ("a1", 0, "Boris Johnson", "PERSON", "boris", "Boris Johnson", None, "PERSON:boris johnson"),
        ("a1", 0, "Downing Street", "ORG", "ds", "Downing Street", None, "ORG:downing street"),
        ("a2", 0, "Lyndon Johnson", "PERSON", "lyndon", "Lyndon Johnson", None, "PERSON:lyndon johnson"),
        ("a2", 0, "Texas", "GPE", "tx", "Texas", "US", "PLACE:texas"),
        ("a3", 0, "Johnson", "PERSON", "j", "Johnson", None, "PERSON:johnson"),
        ("a3", 0, "Downing Street", "ORG", "ds", "Downing Street", None, "ORG:downing street"),
        ("a4", 0, "Vladimir Putin", "PERSON", "vp", "Vladimir Putin", None, "PERSON:vladimir putin"),
        ("a5", 0, "Putin", "PERSON", "p", "Putin", None, "PERSON:putin"),
    ]
    con.register("ents", _entities(rows))
    articles = pa.table(
        {
            "article_id": ["a1", "a2", "a3", "a4", "a5"],
            "source": ["BBC", "AP", "BBC", "AFP", "AFP"],
            "published_date": pa.array([19000, 5000, 19001, 19000, 19002], pa.int32()).cast(pa.date32()),
        }
    )
    con.register("arts", articles)
    first = decide_identity(con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run1").read_all()
    resolved = dict(zip(first["entity_id"].to_pylist(), first["resolved_id"].to_pylist(), strict=False))
    # `Johnson` shares a source, a date and Downing Street with Boris, nothing with Lyndon.
    assert resolved == {"boris": "boris", "ds": "ds", "j": "boris", "lyndon": "lyndon", "tx": "tx", "vp": "vp", "p": "vp"}
    con.register("prev", first)
    rows.append(("a6", 0, "Putin", "PERSON", "p", "Putin", None, "PERSON:putin"))
    con.register("ents", _entities(rows))
    second = decide_identity(
        con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run2", "select * from prev", {"p"}
    ).read_all()
    decided = dict(zip(second["entity_id"].to_pylist(), second["run_id"].to_pylist(), strict=False))
    assert decided == {"boris": "run1", "ds": "run1", "j": "run1", "lyndon": "run1", "tx": "run1", "vp": "run2", "p": "run2"}
    assert dict(zip(second["entity_id"].to_pylist(), second["resolved_id"].to_pylist(), strict=False)) == resolved


def test_an_entitys_name_does_not_depend_on_the_order_its_mentions_arrive_in():
    """Two names (or countries) as frequent as each other: the same one wins whichever batch
    finished first, so two builds of one input name the entity alike."""
    from transforms.reference import DEFAULT_REFERENCE

    rows = [
        ("a1", 0, "CIA", "ORG", "cia", "CIA", None, "ORG:cia"),
        ("a2", 0, "Cia", "ORG", "cia", "Cia", None, "ORG:cia"),
        ("a1", 1, "Georgia", "GPE", "ga", "Georgia", "GE", "PLACE:georgia"),
        ("a2", 1, "Georgia", "GPE", "ga", "Georgia", "US", "PLACE:georgia"),
    ]
    articles = pa.table(
        {
            "article_id": ["a1", "a2"],
            "source": ["AP", "AP"],
            "published_date": pa.array([19000, 19001], pa.int32()).cast(pa.date32()),
        }
    )
    decided = []
    for order in (rows, rows[::-1]):
        con = duckdb.connect()
        con.register("ents", _entities(order))
        con.register("arts", articles)
        out = decide_identity(con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run1").read_all()
        decided.append(sorted(zip(out["entity_id"].to_pylist(), out["canonical_name"].to_pylist(), strict=True)))
    assert decided[0] == decided[1] == [("cia", "CIA"), ("ga", "Georgia")]


def test_entities_dim_takes_a_places_country_and_point_from_one_row():
    """A place resolved from per-article entities the gazetteer coded differently (Georgia the
    country twice, the US state once): entities_dim gives the most frequent row's country
    *and* that row's point, never the country of one and the latitude of another, and the
    same row whichever order the rows arrive in (the model's own SQL, over staging tables)."""
    from flows.warehouse.models import load_models

    model = next(m for m in load_models(Path(__file__).resolve().parents[2] / "sql", "marts") if m.name == "entities_dim")
    ge, us = ("GE", 42.0, 43.5), ("US", 32.75, -83.5)
    mentions = [("a1", "g_us", us), ("a2", "g_ge", ge), ("a3", "g_ge", ge)]
    got = []
    for order in (mentions, mentions[::-1]):
        con = duckdb.connect()
        con.execute("set threads = 1")  # rows arrive in insertion order: the US row first, then reversed
        con.execute(
            "create table stg_entities (article_id varchar, text varchar, label varchar, entity_id varchar, "
            "canonical_name varchar, country_code varchar, latitude double, longitude double)"
        )
        for article, eid, (country, lat, lon) in order:
            con.execute(
                "insert into stg_entities values (?, 'Georgia', 'GPE', ?, 'Georgia', ?, ?, ?)", [article, eid, country, lat, lon]
            )
        con.execute(
            "create table stg_entity_identity as select * from (values "
            "('g_us', 'g_ge', 'Georgia', 'GPE', 'transliteration'), ('g_ge', 'g_ge', 'Georgia', 'GPE', 'self')) "
            "as t(entity_id, resolved_id, canonical_name, label, rule)"
        )
        con.execute(
            "create table entity_mentions as select e.article_id, e.text, i.label, i.resolved_id as entity_id, "
            "i.canonical_name, date '2022-02-01' as published_date "
            "from stg_entities as e join stg_entity_identity as i using (entity_id)"
        )
        got.append(
            con.execute(f"select entity_id, country_code, latitude, longitude, mentions from (\n{model.sql}\n)").fetchall()
        )
    assert got[0] == got[1] == [("g_ge", "GE", 42.0, 43.5, 3)]


def test_the_evidence_for_a_pair_counts_a_bounded_sample_of_each_entitys_articles(monkeypatch):
    """Each entity of a (surname, full name) pair brings at most EVIDENCE_ARTICLES of its
    articles: a popular name's evidence does not grow with the archive (at 200k articles it
    ran the build out of memory)."""
    from flows.warehouse import identity

    monkeypatch.setattr(identity, "EVIDENCE_ARTICLES", 3)
    con = duckdb.connect()
    # `Johnson` alone in 5 BBC articles, Boris Johnson in 5 others, far apart in time.
    rows = [(f"s{i}", "j") for i in range(5)] + [(f"f{i}", "boris") for i in range(5)]
    con.execute(
        "create table id_mentions as select * from (values "
        + ", ".join(f"('{a}', '{e}')" for a, e in rows)
        + ") as t(article_id, entity_id)"
    )
    con.execute(
        "create table arts as select article_id, 'BBC' as source, date '2022-01-01' + (case when article_id like 's%' then 0 else 400 end)::integer as published_date from id_mentions"
    )
    con.execute("create table id_pairs as select 'jnsn' as block, 'j' as short_id, 'boris' as full_id")
    identity._evidence(con, "select * from arts")
    # Same source for every article: 5 of the surname's articles uncapped, 3 sampled.
    assert con.execute("select block, short_id, full_id, score from id_evidence").fetchall() == [("jnsn", "j", "boris", 3)]


def test_an_organizations_short_name_is_decided_with_the_one_it_may_be_and_again_when_that_changes():
    """`Vexel` (block of its own last word) is moved into `Vexel Semiconductor`'s block and
    joined to it; when a later run brings `Vexel Capital`, both blocks are decided again:
    `Vexel` is neither, and no entity has two rows."""
    from transforms.reference import DEFAULT_REFERENCE

    rows = [
        ("a1", 0, "Vexel Semiconductor Bhd", "ORG", "vsb", "Vexel Semiconductor Bhd", None, "ORG:vexel semiconductor bhd"),
        ("a1", 1, "Vexel", "ORG", "v", "Vexel", None, "ORG:vexel"),
        ("a2", 0, "Vexel Semiconductor", "ORG", "vs", "Vexel Semiconductor", None, "ORG:vexel semiconductor"),
        ("a3", 0, "Vexel", "ORG", "v", "Vexel", None, "ORG:vexel"),
        ("a3", 1, "Mutai", "ORG", "m", "Mutai", None, "ORG:mutai"),
        ("a4", 0, "Mutai Holdings", "ORG", "mh", "Mutai Holdings", None, "ORG:mutai holdings"),
        ("a4", 1, "Charles Mutai", "PERSON", "cm", "Charles Mutai", None, "PERSON:charles mutai"),
        ("a5", 0, "Vexel Semiconductor", "ORG", "vs", "Vexel Semiconductor", None, "ORG:vexel semiconductor"),
        ("a5", 1, "Charles Mutai", "PERSON", "cm", "Charles Mutai", None, "PERSON:charles mutai"),
    ]
    articles = pa.table(
        {
            "article_id": ["a1", "a2", "a3", "a4", "a5", "a6"],
            "source": ["SC"] * 6,
            "published_date": pa.array([19000, 19001, 19002, 19003, 19004, 19005], pa.int32()).cast(pa.date32()),
        }
    )
    con = duckdb.connect()
    con.register("ents", _entities(rows))
    con.register("arts", articles)
    first = decide_identity(con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run1").read_all()
    resolved = dict(zip(first["entity_id"].to_pylist(), first["resolved_id"].to_pylist(), strict=True))
    assert resolved == {"vsb": "vs", "vs": "vs", "v": "vs", "m": "cm", "mh": "mh", "cm": "cm"}
    assert (
        dict(zip(first["entity_id"].to_pylist(), first["canonical_name"].to_pylist(), strict=True))["v"] == "Vexel Semiconductor"
    )
    con.register("prev", first)
    rows.append(("a6", 0, "Vexel Capital", "ORG", "vc", "Vexel Capital", None, "ORG:vexel capital"))
    con.register("ents", _entities(rows))
    second = decide_identity(
        con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run2", "select * from prev", {"vc"}
    ).read_all()
    ids = second["entity_id"].to_pylist()
    assert sorted(ids) == sorted(set(ids))
    assert dict(zip(ids, second["resolved_id"].to_pylist(), strict=True)) == {
        "vsb": "vs",
        "vs": "vs",
        "v": "v",
        "vc": "vc",
        "m": "cm",
        "mh": "mh",
        "cm": "cm",
    }


def test_a_surname_with_its_particle_that_two_people_share_gets_evidence():
    """`Al-Mansouri` (two words once folded) is a short form two full names end with: its
    evidence is counted like a one-word surname's, and it joins the one it favours."""
    from transforms.reference import DEFAULT_REFERENCE

    rows = [
        ("a1", 0, "Khalid Al Mansouri", "PERSON", "k", "Khalid Al Mansouri", None, "PERSON:khalid al mansouri"),
        ("a1", 1, "UAE", "GPE", "uae", "United Arab Emirates", "AE", "PLACE:united arab emirates"),
        ("a1", 2, "Kinshasa", "GPE", "kin", "Kinshasa", "CD", "PLACE:kinshasa"),
        ("a2", 0, "Saeed Al Mansouri", "PERSON", "s", "Saeed Al Mansouri", None, "PERSON:saeed al mansouri"),
        ("a2", 1, "Al Ain", "GPE", "ain", "Al Ain", "AE", "PLACE:al ain"),
        ("a3", 0, "Al-Mansouri", "PERSON", "am", "Al-Mansouri", None, "PERSON:al mansouri"),
        ("a3", 1, "UAE", "GPE", "uae", "United Arab Emirates", "AE", "PLACE:united arab emirates"),
        ("a3", 2, "Kinshasa", "GPE", "kin", "Kinshasa", "CD", "PLACE:kinshasa"),
    ]
    articles = pa.table(
        {
            "article_id": ["a1", "a2", "a3"],
            "source": ["GL", "HR", "GL"],
            "published_date": pa.array([19000, 18000, 19003], pa.int32()).cast(pa.date32()),
        }
    )
    con = duckdb.connect()
    con.register("ents", _entities(rows))
    con.register("arts", articles)
    out = decide_identity(con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "run1").read_all()
    resolved = dict(zip(out["entity_id"].to_pylist(), out["resolved_id"].to_pylist(), strict=True))
    assert resolved["am"] == "k" and resolved["s"] == "s"
