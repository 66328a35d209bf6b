"""Full-text search (issue 17 items 4-5): DuckDB's fts extension loaded from its wheel, the BM25
index built with the warehouse, `wirehouse search`, `flows.search()` and read-only access."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from click.testing import CliRunner

import flows
from flows.app.cli import cli
from flows.settings import SQL_DIR
from flows.warehouse import search as s
from flows.warehouse.extensions import NO_DOWNLOADS, extension_file, load_extensions

# ---------------------------------------------------------------- without a warehouse


def test_highlight_marks_whole_words_folded_and_joins_neighbours():
    text = "The grain corridor, a Grain deal: grainy Éric’s news."
    assert s.highlight(text, {"grain", "corridor", "eric"}) == (
        "The **grain corridor**, a **Grain** deal: grainy **Éric**’s news."
    )
    assert s.highlight(text, set()) == text
    assert s.highlight("a b", {"a", "b"}, ("<", ">")) == "<a b>"


ORIGINAL_ARTICLES = (SQL_DIR / "intermediate" / "int_original_articles.sql").read_text()


def _articles(con, rows, duplicates=()):
    con.execute(
        "create table stg_articles (article_id varchar, title varchar, body varchar,"
        " published_date date, source varchar, word_count int)"
    )
    con.executemany("insert into stg_articles (article_id, title, body) values (?, ?, ?)", rows)
    con.execute("create table stg_duplicates (article_id varchar)")
    for d in duplicates:
        con.execute("insert into stg_duplicates values (?)", [d])
    con.execute(f"create view int_original_articles as {ORIGINAL_ARTICLES}")  # the warehouse's own model


def test_the_index_holds_each_original_article_and_leaves_no_table_behind():
    con = duckdb.connect(config=NO_DOWNLOADS)
    _articles(
        con,
        [
            ["a", "Grain corridor reopens", "Ships carrying wheat left Odesa through the grain corridor."],
            ["b", "Football", "The match ended 2-1 after extra time in the G8 cup."],
            ["c", "Grain corridor reopens", "Ships carrying wheat left Odesa through the grain corridor."],
            ["d", None, "Москва and Kyiv talk grain."],
        ],
        duplicates=["c"],
    )
    con.execute("create table stg_sentences as select article_id, 0 as sentence_idx, body as text from stg_articles")
    assert s.build_search_index(con) > 0
    assert con.execute(f"select name from {s.INDEX_SCHEMA}.docs order by name").fetchall() == [("a",), ("b",), ("d",)]
    assert con.execute("select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall() == [
        ("stg_articles",),
        ("stg_duplicates",),
        ("stg_sentences",),
    ]
    # What a query reads instead of fts's one-row-per-word table and the Parquet store.
    assert con.execute(f"select docid, article_id, title from {s.INDEX_SCHEMA}.articles").fetchall() == [
        (0, "a", "Grain corridor reopens"),
        (1, "b", "Football"),
        (2, "d", None),
    ]
    assert [
        (docid, s.unpack(packed)) for docid, packed in con.execute(f"select * from {s.INDEX_SCHEMA}.sentences").fetchall()
    ] == [
        (0, ["Ships carrying wheat left Odesa through the grain corridor."]),
        (1, ["The match ended 2-1 after extra time in the G8 cup."]),
        (2, ["Москва and Kyiv talk grain."]),
    ]
    postings = con.execute(
        f"select d.term, p.docid, p.title from {s.INDEX_SCHEMA}.postings as p join {s.INDEX_SCHEMA}.dict as d using (termid) "
        "where d.term in ('grain', 'corridor') order by 1, 2"
    ).fetchall()
    assert postings == [
        ("corridor", 0, True),
        ("grain", 0, True),
        ("grain", 2, False),
    ]
    scores = dict(
        con.execute(f"select name, {s.INDEX_SCHEMA}.match_bm25(name, 'corridors of grain') from {s.INDEX_SCHEMA}.docs").fetchall()
    )
    assert scores["a"] > scores["d"] > 0 and scores["b"] is None
    terms = {t for (t,) in con.execute(f"select term from {s.INDEX_SCHEMA}.dict").fetchall()}
    assert {"g8", "2", "1", "москва", "corridor"} <= terms  # digits and other scripts are words too
    assert "the" not in terms  # stop words are not


def test_the_sentences_are_packed_per_article_in_order_across_statements(monkeypatch):
    """Each article's sentences, zlib-packed, unpack to stg_sentences' texts in their order,
    also when the articles are packed a few per statement (the last statement a short one)."""
    monkeypatch.setattr(s, "PACK_ARTICLES", 2)
    con = duckdb.connect(config=NO_DOWNLOADS)
    bodies = {
        "a": ["Grain ships left Odesa.", "“Quotes”, accents: é, ß and 東京.", 'Third; with a \\ backslash and "quotes".'],
        "b": ["Only one sentence here."],
        "c": ["Wheat.", "Barley.", "Oats.", "Rye."],
        "d": ["The last article, alone in its statement."],
        "e": ["A duplicate of b."],
    }
    _articles(con, [[a, a.upper(), " ".join(texts)] for a, texts in bodies.items()], duplicates=["e"])
    con.execute("create table stg_sentences (article_id varchar, sentence_idx int, text varchar)")
    for a, texts in bodies.items():
        # Inserted out of order: the packing orders by sentence_idx.
        for i in reversed(range(len(texts))):
            con.execute("insert into stg_sentences values (?, ?, ?)", [a, i, texts[i]])
    s.build_search_index(con)
    packed = con.execute(
        f"select d.name, p.packed from {s.INDEX_SCHEMA}.sentences as p join {s.INDEX_SCHEMA}.docs as d using (docid) order by p.docid"
    ).fetchall()
    assert [(name, s.unpack(blob)) for name, blob in packed] == [(a, bodies[a]) for a in "abcd"]
    assert con.execute("select count(*) from duckdb_tables() where table_name = 'index_sentences'").fetchone() == (0,)


def _warehouse(tmp_path, rows, duplicates=(), entities=(), index=True):
    """A news.duckdb with the tables search reads (the real build is tested end to end below)."""
    con = duckdb.connect(str(tmp_path / "news.duckdb"), config=NO_DOWNLOADS)
    _articles(con, [[a, t, b] for a, t, b, *_ in rows], duplicates)
    for a, _t, _b, date, source in rows:
        con.execute("update stg_articles set published_date = ?, source = ? where article_id = ?", [date, source, a])
    con.execute("create table stg_sentences (article_id varchar, sentence_idx int, text varchar)")
    for a, _t, body, *_ in rows:
        for i, sentence in enumerate(body.split(". ")):
            con.execute("insert into stg_sentences values (?, ?, ?)", [a, i, sentence])
    con.execute("create table entity_mentions (article_id varchar, canonical_name varchar)")
    for article_id, name in entities:
        con.execute("insert into entity_mentions values (?, ?)", [article_id, name])
    if index:
        s.build_search_index(con)
    con.close()
    return tmp_path


ROWS = [
    (
        "a",
        "Grain corridor reopens",
        "Ships left Odesa. The grain corridor opened again. Wheat prices fell",
        dt.date(2022, 8, 1),
        "AFP",
    ),
    ("b", "Wheat harvest", "Farmers harvested wheat. Grain stores are full", dt.date(2022, 6, 1), "Reuters"),
    ("c", "Football", "The match ended late. Nobody scored", dt.date(2022, 8, 2), "AFP"),
]


def test_search_ranks_filters_and_marks_the_sentences(tmp_path):
    wh = _warehouse(tmp_path, ROWS, entities=[("a", "Odesa"), ("b", "Kyiv")])
    found = flows.search("grain corridors", wh)
    assert list(found.columns) == s.COLUMNS
    assert found[["rank", "article_id", "title", "source"]].values.tolist() == [
        [1, "a", "Grain corridor reopens", "AFP"],
        [2, "b", "Wheat harvest", "Reuters"],
    ]
    assert found.sentences.tolist() == [["The **grain corridor** opened again"], ["**Grain** stores are full"]]
    assert found.attrs["matching"] == 2
    assert flows.search("grain", wh, since="2022-07-01").article_id.tolist() == ["a"]
    assert flows.search("grain", wh, source="reuters").article_id.tolist() == ["b"]
    assert flows.search("grain", wh, entity="kyiv").article_id.tolist() == ["b"]
    assert flows.search("grain", wh, limit=1).attrs["matching"] == 2
    assert flows.search("zebra", wh).empty


def test_the_ranking_scores_as_fts_match_bm25_does(tmp_path):
    """The postings' precomputed BM25 (the macro is slower) gives the macro's scores."""
    wh = _warehouse(tmp_path, ROWS)
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    load_extensions(con)
    for query, all_words in [("grain corridor wheat", False), ("grain wheat", True), ("football", False)]:
        (stems,) = con.execute(f"select list_transform($w, x -> stem(x, '{s.STEMMER}'))", {"w": query.split()}).fetchone()
        known = con.execute(s._TERMS, {"terms": stems}).fetchall()
        assert len(known) == len(stems)
        params = {
            "termids": [k[0] for k in known],
            "idf": [k[2] for k in known],
            "title_weight": 0.0,
            "all_words": all_words,
            "since": None,
            "source": None,
            "entity": None,
            "limit": 10,
        }
        sql = s._RANKED.format(termids=", ".join(str(k[0]) for k in known))
        ours = [(row[0], row[1]) for row in con.execute(sql, params).fetchall()]
        theirs = con.execute(
            f"select name, {s.INDEX_SCHEMA}.match_bm25(name, $q, conjunctive := $all) as score "
            f"from {s.INDEX_SCHEMA}.docs where score is not null order by score desc, name",
            {"q": query, "all": all_words},
        ).fetchall()
        assert [a for a, _ in ours] == [a for a, _ in theirs] and ours
        assert [score for _, score in ours] == pytest.approx([score for _, score in theirs], rel=1e-6)  # 4-byte floats
    con.close()


def test_all_words_keeps_only_articles_with_every_word_stop_words_aside(tmp_path):
    wh = _warehouse(tmp_path, ROWS)
    assert flows.search("corridor wheat", wh).article_id.tolist() == ["a", "b"]
    assert flows.search("corridor wheat", wh, all_words=True).article_id.tolist() == ["a"]
    # `of` is a stop word, in no article's index: it must not make every article fail the test.
    assert flows.search("corridor of wheat", wh, all_words=True).article_id.tolist() == ["a"]
    result = CliRunner().invoke(cli, ["search", "corridor of wheat", "--all", "--format", "csv", "--warehouse", str(wh)])
    assert [line.split(",")[2] for line in result.output.splitlines()[1:]] == ["a"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"text": "  "}, 'give the words to search for, e.g. wirehouse search "grain corridor"'),
        (
            {"text": "the of, and"},
            "'the of, and' has no word to search for (stop words such as 'the' and punctuation are not indexed)",
        ),
        ({"text": "grain", "since": "last week"}, "since must be a date as YYYY-MM-DD, e.g. 2005-01-31, not 'last week'"),
        ({"text": "grain", "limit": 0}, "limit must be a whole number of articles of at least 1, not 0"),
        (
            {"text": "grain", "source": "BBC"},
            "no articles from source 'BBC'; the sources are listed by `wirehouse query \"select source from sources\"`",
        ),
        (
            {"text": "grain", "entity": "Nobody"},
            "no entity named 'Nobody'; look its name up with "
            "`wirehouse query \"select canonical_name from top_entities where canonical_name ilike '%Nobody%'\"`",
        ),
    ],
)
def test_bad_input_is_one_line_that_says_what_to_do(tmp_path, kwargs, message):
    wh = _warehouse(tmp_path, ROWS)
    with pytest.raises(s.SearchError) as err:
        flows.search(warehouse=wh, **kwargs)
    assert str(err.value) == message


def test_a_warehouse_built_before_search_says_to_rebuild(tmp_path):
    wh = _warehouse(tmp_path, ROWS, index=False)
    result = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: this warehouse has no search index (it was built before search existed): run `wirehouse run` to rebuild it\n"
    )


def test_the_command_prints_ranked_articles_and_formats(tmp_path):
    wh = _warehouse(tmp_path, ROWS)
    result = CliRunner().invoke(cli, ["search", "grain corridor", "--warehouse", str(wh), "--limit", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "1. Grain corridor reopens"
    assert lines[1].startswith("   2022-08-01 · AFP · score ") and lines[1].endswith(" · a")
    assert lines[2:] == ["   > The **grain corridor** opened again", "", "(1 article of 2 matching; --limit N shows more)"]
    as_json = CliRunner().invoke(cli, ["search", "wheat", "--warehouse", str(wh), "--format", "json"])
    records = json.loads(as_json.output)
    assert [(r["rank"], r["article_id"], r["sentences"]) for r in records] == [
        (1, "b", ["Farmers harvested **wheat**"]),
        (2, "a", ["**Wheat** prices fell"]),
    ]
    as_csv = CliRunner().invoke(cli, ["search", "football", "--warehouse", str(wh), "--format", "csv"])
    assert as_csv.output.splitlines()[0] == "rank,score,article_id,published_date,source,title,sentences"
    bad = CliRunner().invoke(cli, ["search", "grain", "--since", "2022-13-01", "--warehouse", str(wh)])
    assert (bad.exit_code, bad.output) == (1, "Error: since must be a date as YYYY-MM-DD, e.g. 2005-01-31, not '2022-13-01'\n")
    none = CliRunner().invoke(cli, ["search", "zebra", "--warehouse", str(wh)])
    assert (none.exit_code, none.output) == (0, "no article matches 'zebra'\n")


def test_an_article_without_title_date_or_source_says_so(tmp_path):
    wh = _warehouse(tmp_path, [("d", None, "The grain corridor opened again", None, None)])
    result = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["1. (no title)", result.output.splitlines()[1]]
    assert result.output.splitlines()[1].startswith("   no date · no source · score ")
    as_json = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh), "--format", "json"])
    (record,) = json.loads(as_json.output)
    assert (record["title"], record["published_date"], record["source"]) == (None, None, None)


def test_an_article_without_title_or_source_beside_one_with_them_prints_empty_not_nan(tmp_path):
    """pandas 3 makes a string column's missing values NaN once another row has a string: csv
    printed `nan`, the table `nan` too."""
    rows = [
        ("a", "Grain deal", "The grain corridor opened", dt.date(2022, 8, 1), "AFP"),
        ("d", None, "Grain stores full", None, None),
    ]
    wh = _warehouse(tmp_path, rows)
    as_csv = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh), "--format", "csv"])
    assert as_csv.output.splitlines()[1:] == [
        f'1,{float(flows.search("grain", wh).score[0])!r},a,2022-08-01,AFP,Grain deal,"[""The **grain** corridor opened""]"',
        f'2,{float(flows.search("grain", wh).score[1])!r},d,,,,"[""**Grain** stores full""]"',
    ]
    as_json = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh), "--format", "json"])
    assert [(r["title"], r["source"], r["published_date"]) for r in json.loads(as_json.output)] == [
        ("Grain deal", "AFP", "2022-08-01"),
        (None, None, None),
    ]
    table = CliRunner().invoke(cli, ["search", "grain", "--warehouse", str(wh)]).output.splitlines()
    assert table[4:6] == ["2. (no title)", table[5]] and table[5].startswith("   no date · no source · score ")


def test_a_plural_finds_the_singular_and_the_singular_the_plural(tmp_path):
    """English (Porter2) stemming: the original Porter stemmer cut `virus` to `viru` but
    `viruses` to `virus`, so neither found the other."""
    wh = _warehouse(
        tmp_path,
        [
            ("a", "Virus alert", "A virus spread by e-mail", None, None),
            ("b", "Alerts", "Two new viruses found", None, None),
            ("c", "Football", "The match ended late", None, None),
        ],
    )
    assert sorted(flows.search("viruses", wh).article_id) == ["a", "b"]
    assert sorted(flows.search("virus", wh).article_id) == ["a", "b"]
    assert flows.search("viruses", wh).sentences.tolist() == [["A **virus** spread by e-mail"], ["Two new **viruses** found"]]


def test_the_words_as_a_phrase_rank_above_the_same_words_apart(tmp_path):
    # Same words, same lengths, so the same BM25; `a` would come first on the tie.
    rows = [
        ("a", "Talks", "The European officials met today. The commission talked", None, None),
        ("z", "Talks", "The European Commission met today. The officials talked", None, None),
    ]
    wh = _warehouse(tmp_path, rows)
    found = flows.search("European Commission", wh)
    assert found.article_id.tolist() == ["z", "a"]
    assert found.score[0] > found.score[1]
    # Stop words between the words count as next to each other, as in the query.
    assert s.phrase_score(
        [s.Sentence("Bank of England", ["bank", "england"], {"bank", "england"}, {"bank", "england"})], {("bank", "england"): 2.0}
    ) == pytest.approx(1.0)
    assert (
        s.phrase_score([s.Sentence("England bank", ["england", "bank"], set(), {"bank", "england"})], {("bank", "england"): 2.0})
        == 0
    )


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(tmp_path):
    rows = [
        ("a", "Harvest", "grain stores", None, None),  # the same words and lengths as `z`, `grain` in the body
        ("z", "Grain", "harvest stores", None, None),
    ]
    wh = _warehouse(tmp_path, rows)
    assert flows.search("grain", wh).article_id.tolist() == ["z", "a"]


def test_the_connection_is_kept_and_reopened_when_a_run_publishes_a_new_file(tmp_path):
    import os

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    wh = _warehouse(tmp_path / "one", ROWS)
    path = str(wh / "news.duckdb")
    flows.search("grain", wh)
    held = s._OPEN[path]
    flows.search("wheat", wh, limit=1)
    assert s._OPEN[path] is held  # the same connection, not a new one per search
    # Another connection to the file, with other settings (the run's integrity check opens
    # it so), still opens while the search holds its own.
    other = duckdb.connect(path, read_only=True)
    assert other.execute("select count(*) from stg_articles").fetchone() == (3,)
    other.close()
    # A run publishes by renaming a new file over the old one.
    new = _warehouse(tmp_path / "two", [("n", "Grain news", "New grain", dt.date(2023, 1, 1), "AFP")])
    os.replace(new / "news.duckdb", path)
    assert flows.search("grain", wh).article_id.tolist() == ["n"]
    assert s._OPEN[path] is not held
    s.close_connections()
    assert not s._OPEN


def test_an_index_an_older_wirehouse_built_says_to_rebuild(tmp_path):
    wh = _warehouse(tmp_path, ROWS)
    con = duckdb.connect(str(wh / "news.duckdb"))
    con.execute(f"drop table {s.INDEX_SCHEMA}.postings")
    con.close()
    with pytest.raises(s.SearchError, match=r"search index is older than this wirehouse: run `wirehouse run` to rebuild it"):
        flows.search("grain", wh)
    s.close_connections()
    # Index version 2 stored the sentences plain.
    (tmp_path / "two").mkdir()
    wh = _warehouse(tmp_path / "two", ROWS)
    con = duckdb.connect(str(wh / "news.duckdb"))
    con.execute(f"drop table {s.INDEX_SCHEMA}.sentences")
    con.execute(f"create table {s.INDEX_SCHEMA}.sentences (docid bigint, sentence_idx int, text varchar)")
    con.close()
    with pytest.raises(s.SearchError, match=r"search index is older than this wirehouse: run `wirehouse run` to rebuild it"):
        flows.search("grain", wh)


# ---------------------------------------------------------------- the real warehouse


def test_the_built_warehouse_is_searchable_through_the_read_only_connection(warehouse_runs):
    warehouse, *_ = warehouse_runs
    found = flows.search("Milley Gulevich telephone", warehouse)
    assert found.title.tolist()[0] == "U.S., Belarus Army Chiefs Speak to Avoid Drill 'Miscalculation' — Pentagon"
    assert any("**Milley**" in sentence for sentence in found.sentences[0])
    # `match_bm25` in plain SQL through connect()/query(): the read-only connection loads fts
    # before it turns off external access, and its statement check lets the select through.
    sql = (
        f"select a.title from {s.INDEX_SCHEMA}.docs as d inner join stg_articles as a on a.article_id = d.name "
        f"where {s.INDEX_SCHEMA}.match_bm25(d.name, 'Lukashenko') is not null"
    )
    assert flows.query(sql, warehouse).title.tolist() == [
        "As fears of a Ukrainian invasion grow, Russia and Belarus will hold joint military exercises."
    ]
    with flows.connect(warehouse) as con:
        assert con.execute("select current_setting('enable_external_access')").fetchone() == (False,)
        for refused in ("install fts", f"load '{extension_file('fts')}'"):
            with pytest.raises(duckdb.PermissionException, match="only read statements run here"):
                con.execute(refused)
