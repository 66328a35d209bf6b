"""Full-text search over the articles: a BM25 index built with the warehouse, and the
query behind `wirehouse search`, `flows.search()` and the dashboard's search box.

The index is DuckDB's fts extension (loaded from its registry wheel, flows/warehouse/extensions.py):
`PRAGMA create_fts_index` over each original article's title and body (duplicates left
out, as in the marts) writes the schema `fts_main_article_search` (its word dictionary,
postings and the `match_bm25` macro) into the database being built, before its data
tests run and before the swap, so a published warehouse always has the index of its own
rows. The table it reads is dropped again: the index keeps only article ids, so the
bodies are not stored twice.

Matching sentences are not a second index: the sentences of the top articles are tokenized
and stemmed by the index's own `tokenize` macro and `stem`, so they match exactly the words
that ranked the article (bench/search_speed.py measures what a sentence index would cost).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import unicodedata

import duckdb

from flows.settings import WirehouseError
from flows.warehouse.extensions import load_extensions

INDEX_TABLE = "article_search"
INDEX_SCHEMA = f"fts_main_{INDEX_TABLE}"
# After lowercasing and stripping accents, every run of characters that is not a letter or a
# digit separates words (fts's default drops digits too: `G8`, `2005` would be unsearchable).
# `\pL`/`\pN` are RE2 classes: Cyrillic or Greek words are words too.
_IGNORE = r"[^\pL\pN]+"
STEMMER = "porter"
SENTENCES_PER_ARTICLE = 3
MARK = ("**", "**")


class SearchError(WirehouseError):
    """Bad input to a search: one line that says what to do."""


def build_search_index(con: duckdb.DuckDBPyConnection) -> float:
    """Create the BM25 index over the original articles' titles and bodies in the database
    `con` is building; the seconds it took."""
    started = time.perf_counter()
    load_extensions(con)
    con.execute(
        f"""
        create or replace table {INDEX_TABLE} as
        select o.article_id, coalesce(o.title, '') as title, a.body
        from int_original_articles as o
        inner join stg_articles as a using (article_id)
        """
    )
    con.execute(
        f"pragma create_fts_index('{INDEX_TABLE}', 'article_id', 'title', 'body', "
        f"stemmer = '{STEMMER}', stopwords = 'english', ignore = '{_IGNORE}', strip_accents = 1, lower = 1, overwrite = 1)"
    )
    con.execute(f"drop table {INDEX_TABLE}")
    return time.perf_counter() - started


# ------------------------------------------------------------------ searching

# The query's words as the index cuts them, stop words left out (the index has none). They,
# not the raw text, go to `match_bm25`: its all-words test counts every token of the text it
# is given, so a stop word in the query (`of`) would make it match nothing.
_WORDS = f"""
select distinct word
from (select unnest({INDEX_SCHEMA}.tokenize($query)) as word)
where word <> '' and word not in (select sw from {INDEX_SCHEMA}.stopwords)
order by word
"""

# The query's stems, as the index stems them.
_TERMS = f"""
select distinct stem(word, '{STEMMER}') as term from ({_WORDS})
"""

# BM25 exactly as fts's `match_bm25` macro computes it (its k = 1.2, b = 0.75 and idf; a test
# compares the two), but over the postings of the query's terms only: the macro is a scalar
# run once per article, measured 1.4-4.5x slower at 22k articles (bench/RESULTS.md, issue 17).
_RANKED = f"""
with terms as ({_TERMS}),
query_terms as (
    select dict.termid, dict.df
    from {INDEX_SCHEMA}.dict as dict
    inner join terms on dict.term = terms.term
),
postings as (
    select docid, termid, count(*) as tf
    from {INDEX_SCHEMA}.terms
    where termid in (select termid from query_terms)
    group by docid, termid
),
stats as (
    select num_docs, avgdl from {INDEX_SCHEMA}.stats
),
scores as (
    select
        postings.docid,
        count(*) as matched,
        sum(
            log(((stats.num_docs - query_terms.df + 0.5) / (query_terms.df + 0.5)) + 1)
            * ((postings.tf * (1.2 + 1)) / (postings.tf + 1.2 * ((1 - 0.75) + 0.75 * (docs.len / stats.avgdl))))
        ) as score
    from postings
    inner join query_terms using (termid)
    inner join {INDEX_SCHEMA}.docs as docs using (docid)
    cross join stats
    group by postings.docid
),
hits as (
    select docs.name as article_id, scores.score
    from scores
    inner join {INDEX_SCHEMA}.docs as docs using (docid)
    where not $all_words or scores.matched = (select count(*) from terms)
)
select hits.article_id, hits.score, a.published_date, a.source, a.title, count(*) over () as matching
from hits
inner join stg_articles as a using (article_id)
where ($since is null or a.published_date >= $since)
    and ($source is null or lower(a.source) = lower($source))
    and ($entity is null or hits.article_id in (
        select article_id from entity_mentions where lower(canonical_name) = lower($entity)
    ))
order by hits.score desc, hits.article_id
limit $limit
"""

# The sentences of the ranked articles that hold a query term, with the words that matched.
_SENTENCES = f"""
with terms as ({_TERMS}),
words as (
    select article_id, sentence_idx, text, unnest({INDEX_SCHEMA}.tokenize(text)) as word
    from stg_sentences
    where list_contains($ids, article_id)
)
select article_id, sentence_idx, any_value(text) as text, list(distinct word order by word) as words,
    count(distinct stem(word, '{STEMMER}')) as terms
from words
where stem(word, '{STEMMER}') in (select term from terms)
group by article_id, sentence_idx
order by article_id, terms desc, sentence_idx
"""

COLUMNS = ["rank", "score", "article_id", "published_date", "source", "title", "sentences"]


def search(
    text: str,
    warehouse: str | os.PathLike | None = None,
    *,
    since: str | dt.date | None = None,
    source: str | None = None,
    entity: str | None = None,
    limit: int = 10,
    all_words: bool = False,
    mark: tuple[str, str] = MARK,
):
    """The articles that best match `text` (BM25 over titles and bodies), best first, as a
    pandas DataFrame: rank, score, article_id, published_date, source, title, and
    `sentences`, up to three sentences of the article holding the words searched for
    (most of the query's words first), each word that matched wrapped in `mark`.

    An article needs one of the words searched for; those with more of them, and rarer ones,
    rank first. With `all_words` it must hold every one (in its title or body).
    `since` keeps articles published on or after a date; `source` those from one source or
    agency; `entity` those that mention an entity by its canonical name (as in
    `entity_mentions`). Matching ignores case, accents, word endings (Porter stemming) and
    English stop words; it is not a phrase search. Bad input is a SearchError (one line)."""
    import pandas as pd

    from flows.warehouse.read_only import connect

    text = (text or "").strip()
    if not text:
        raise SearchError('give the words to search for, e.g. wirehouse search "grain corridor"')
    since = _date(since)
    if not isinstance(limit, int) or limit < 1:
        raise SearchError(f"limit must be a whole number of articles of at least 1, not {limit!r}")
    con = connect(warehouse)
    try:
        _require_index(con)
        words = [w for (w,) in con.execute(_WORDS, {"query": text}).fetchall()]
        if not words:
            raise SearchError(f"{text!r} has no word to search for (stop words such as 'the' and punctuation are not indexed)")
        _require_known(con, source, entity)
        params = {
            "query": " ".join(words),
            "all_words": all_words,
            "since": since,
            "source": source,
            "entity": entity,
            "limit": limit,
        }
        ranked = con.execute(_RANKED, params).fetchall()
        ids = [row[0] for row in ranked]
        matching = ranked[0][-1] if ranked else 0
        matches: dict[str, list[str]] = {}
        if ids:
            for article_id, _idx, sentence, words, _n in con.execute(
                _SENTENCES, {"query": params["query"], "ids": ids}
            ).fetchall():
                found = matches.setdefault(article_id, [])
                if len(found) < SENTENCES_PER_ARTICLE:
                    found.append(highlight(sentence, set(words), mark))
    finally:
        con.close()
    rows = [
        (rank, score, article_id, published, src, title, matches.get(article_id, []))
        for rank, (article_id, score, published, src, title, _) in enumerate(ranked, start=1)
    ]
    found = pd.DataFrame(rows, columns=COLUMNS)
    found.attrs["matching"] = matching  # all the articles that matched, before `limit`
    return found


def render(found, query: str) -> str:
    """The results as `wirehouse search` prints them: per article its rank, title, date,
    source, score and id, then its matching sentences."""
    import pandas as pd  # `found` is a DataFrame already; not imported at module level (1 s)

    if found.empty:
        return f"no article matches {query!r}\n"
    lines = []
    for row in found.itertuples(index=False):
        # A null in a DataFrame column is NaN or NaT, which are truthy.
        when = "no date" if pd.isna(row.published_date) else row.published_date.isoformat()
        lines.append(f"{row.rank}. {'(no title)' if pd.isna(row.title) or not row.title else row.title}")
        lines.append(
            f"   {when} · {'no source' if pd.isna(row.source) else row.source} · score {row.score:.2f} · {row.article_id}"
        )
        lines += [f"   > {sentence}" for sentence in row.sentences]
        lines.append("")
    total = found.attrs.get("matching", len(found))
    more = f" of {total} matching; --limit N shows more" if total > len(found) else ""
    lines.append(f"({len(found)} article{'s' if len(found) != 1 else ''}{more})")
    return "\n".join(lines) + "\n"


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SearchError(f"since must be a date as YYYY-MM-DD, e.g. 2005-01-31, not {value!r}") from None


def _require_index(con) -> None:
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'docs'", [INDEX_SCHEMA]
    ).fetchone()[0]
    if not found:
        raise SearchError(
            "this warehouse has no search index (it was built before search existed): run `wirehouse run` to rebuild it"
        )


def _require_known(con, source: str | None, entity: str | None) -> None:
    """A source or entity the warehouse has never seen is a typo more often than an empty
    answer: say so, and where to look the names up."""
    if (
        source is not None
        and not con.execute("select count(*) from stg_articles where lower(source) = lower(?)", [source]).fetchone()[0]
    ):
        raise SearchError(
            f'no articles from source {source!r}; the sources are listed by `wirehouse query "select source from sources"`'
        )
    if (
        entity is not None
        and not con.execute("select count(*) from entity_mentions where lower(canonical_name) = lower(?)", [entity]).fetchone()[0]
    ):
        raise SearchError(
            f"no entity named {entity!r}; look its name up with "
            f"`wirehouse query \"select canonical_name from top_entities where canonical_name ilike '%{entity[:20]}%'\"`"
        )


# ------------------------------------------------------------------ highlighting

# A word as the index's tokenizer cuts it: a run of letters and digits (`_IGNORE`).
_WORD = re.compile(r"[^\W_]+")


def _fold(word: str) -> str:
    """A word as the index's tokenizer sees it: lowercase, accents stripped."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def highlight(text: str, words: set[str], mark: tuple[str, str] = MARK) -> str:
    """`text` with each word whose folded form is in `words` wrapped in `mark`; words
    separated only by spaces share one mark (`**grain corridor**`)."""
    spans: list[list[int]] = []
    for m in _WORD.finditer(text):
        if _fold(m.group()) not in words:
            continue
        if spans and text[spans[-1][1] : m.start()].isspace():
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], mark[0], text[start:end], mark[1]]
        at = end
    out.append(text[at:])
    return "".join(out)
