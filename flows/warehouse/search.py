"""Full-text search over the articles: a BM25 index built with the warehouse, and the
query behind `wirehouse search`, `flows.search()` and the dashboard's search box.

The index is DuckDB's fts extension (loaded from its registry wheel, flows/warehouse/extensions.py):
`PRAGMA create_fts_index` over each original article's title and body (duplicates left
out, as in the marts) writes the schema `fts_main_article_search` (its word dictionary,
postings and the `match_bm25` macro) into the database being built, before its data
tests run and before the swap, so a published warehouse always has the index of its own
rows. The build adds three tables to that schema so that a query touches neither fts's
one-row-per-word table nor the Parquet store: each term's BM25 weight per article, the
articles' dates/sources/titles, and the original articles' sentences.

Matching sentences are not a second index: the sentences of the top articles are cut into
words in Python as the index cuts them and stemmed by DuckDB's `stem`, so they match exactly
the words that ranked the article; the same pass finds the query's neighbouring words next
to each other (a phrase), which lifts an article in the ranking.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import threading
import time
import unicodedata
import zlib
from typing import NamedTuple

import duckdb
import pyarrow as pa

from flows.settings import WirehouseError
from flows.warehouse.extensions import NO_DOWNLOADS, load_extensions
from flows.warehouse.sql_text import sql_list, sql_string

INDEX_TABLE = "article_search"
INDEX_SCHEMA = f"fts_main_{INDEX_TABLE}"
# After lowercasing and stripping accents, every run of characters that is not a letter or a
# digit separates words (fts's default drops digits too: `G8`, `2005` would be unsearchable).
# `\pL`/`\pN` are RE2 classes: Cyrillic or Greek words are words too.
_IGNORE = r"[^\pL\pN]+"
# Snowball's English stemmer ("Porter2"): the original Porter stemmer cuts `virus` to `viru`
# but `viruses` to `virus`, so a plural missed its singular (bench/RESULTS.md, issue 17).
STEMMER = "english"
SENTENCES_PER_ARTICLE = 3
MARK = ("**", "**")

# The ranking (tuned on the 40 queries of bench/search_speed.py's first two sets only; the
# third set is the held-out check, bench/RESULTS.md "Issue 17: search, second pass"):
# BM25 over title and body, as fts's `match_bm25` computes it, plus
# - TITLE_WEIGHT x the idf of each query word the title holds (a title names the subject),
# - PHRASE_WEIGHT x, for each pair of neighbouring words in the query, their mean idf times
#   c / (c + 1), c the times the article has them next to each other in that order (stop
#   words between them skipped, as in the query): `European Commission` as a phrase
#   outranks an article with `European` in one place and `commission` in another.
# The phrase pass reads the sentences of the best RERANK (or `limit`, if more) articles by
# the first two parts only: the same pass finds the sentences to show.
# Part of the built database's recorded state (flows/warehouse/build.py): a warehouse whose
# index an older wirehouse built is rebuilt by the next run, even when nothing else changed.
INDEX_VERSION = "3"
TITLE_WEIGHT = 0.5
PHRASE_WEIGHT = 0.5
RERANK = 50


class SearchError(WirehouseError):
    """Bad input to a search: one line that says what to do."""


def build_search_index(con: duckdb.DuckDBPyConnection) -> float:
    """Create the BM25 index over the original articles' titles and bodies in the database
    `con` is building; the seconds it took.

    Besides fts's own tables (dict, docs, terms, stats, its macros), three made here so that
    a query reads neither fts's one-row-per-word `terms` nor the Parquet store (reading the
    sentences of 10 articles from it cost ~30 ms CPU at 22k articles, whatever the number):
    `postings` (termid, docid, weight = the term's BM25 part in the article, title = the
    title holds it), sorted by termid so that a query's few terms read a few row groups,
    `articles` (docid, article_id, published_date, source, title) and `sentences` (docid,
    packed: the article's sentences zlib-compressed, `unpack` reads them), sorted by docid."""
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
    # The bodies' blocks are free once checkpointed: the tables below reuse them (written
    # after them, they left 45 MiB of free blocks inside the file at 22k articles).
    con.execute("checkpoint")
    # BM25 as fts's `match_bm25` macro computes it (k = 1.2, b = 0.75, its idf; a test
    # compares the two), per term and article, once at build instead of at every query; kept
    # as a 4-byte float (a double made this table larger than fts's own).
    con.execute(
        f"""
        create table {INDEX_SCHEMA}.postings as
        with tf as (
            select termid, docid, count(*) as tf, bool_or(fieldid = (
                select fieldid from {INDEX_SCHEMA}.fields where field = 'title'
            )) as title
            from {INDEX_SCHEMA}.terms
            group by termid, docid
        )
        select tf.termid, tf.docid,
            log(((stats.num_docs - dict.df + 0.5) / (dict.df + 0.5)) + 1)
            * ((tf.tf * (1.2 + 1)) / (tf.tf + 1.2 * ((1 - 0.75) + 0.75 * (docs.len / stats.avgdl))))::float as weight,
            tf.title
        from tf
        inner join {INDEX_SCHEMA}.dict as dict using (termid)
        inner join {INDEX_SCHEMA}.docs as docs using (docid)
        cross join {INDEX_SCHEMA}.stats as stats
        order by tf.termid, tf.docid
        """
    )
    con.execute(
        f"""
        create table {INDEX_SCHEMA}.articles as
        select docs.docid, docs.name as article_id, a.published_date, a.source, a.title
        from {INDEX_SCHEMA}.docs as docs
        inner join stg_articles as a on a.article_id = docs.name
        order by docs.docid
        """
    )
    _pack_sentences(con)
    return time.perf_counter() - started


# Articles packed per statement while the sentences table is written (a few MiB of text).
PACK_ARTICLES = 2_000


def _pack_sentences(con: duckdb.DuckDBPyConnection) -> None:
    """The `sentences` table: one row per indexed article, its sentences in order as a JSON
    list compressed by zlib (`packed`). At 22k articles it is half the bytes of the sentences
    stored plain, and reading the 50 articles a query reranks takes a third of the CPU: DuckDB
    reads 50 short blobs instead of ~1,000 strings (FSST-compressed strings cost more still,
    decompressed a vector at a time; bench/RESULTS.md, bench/search_sentences.py)."""
    con.execute(
        f"""
        create temp table index_sentences as
        select docs.docid, s.sentence_idx, s.text
        from {INDEX_SCHEMA}.docs as docs
        inner join stg_sentences as s on s.article_id = docs.name
        order by docs.docid, s.sentence_idx
        """
    )
    con.execute(f"create table {INDEX_SCHEMA}.sentences (docid bigint, packed blob)")
    (last,) = con.execute("select max(docid) from index_sentences").fetchone()
    for low in range(0, (last if last is not None else -1) + 1, PACK_ARTICLES):
        articles = con.execute(
            "select docid, list(text order by sentence_idx) from index_sentences"
            " where docid >= $low and docid < $high group by docid order by docid",
            {"low": low, "high": low + PACK_ARTICLES},
        ).fetchall()
        packed = pa.table(
            {
                "docid": pa.array([docid for docid, _ in articles], pa.int64()),
                "packed": pa.array([pack(texts) for _, texts in articles], pa.binary()),
            }
        )
        con.register("packed_sentences", packed)
        try:
            con.execute(f"insert into {INDEX_SCHEMA}.sentences select docid, packed from packed_sentences")
        finally:
            con.unregister("packed_sentences")
    con.execute("drop table index_sentences")


def pack(texts: list[str]) -> bytes:
    """An article's sentences as `sentences.packed` stores them."""
    return zlib.compress(json.dumps(texts, ensure_ascii=False).encode(), 6)


def unpack(packed: bytes) -> list[str]:
    """`pack`'s sentences back."""
    return json.loads(zlib.decompress(packed))


# ------------------------------------------------------------------ searching

# The query's words as the index cuts them, in order, with their stems; stop words are taken
# out in Python (the index has none).
_QUERY = f"""
select list_transform(words, w -> [w, stem(w, '{STEMMER}')])
from (select {INDEX_SCHEMA}.tokenize($query) as words)
"""

# The query's terms the index knows: id, stem, idf (match_bm25's).
_TERMS = f"""
select dict.termid, dict.term, log(((stats.num_docs - dict.df + 0.5) / (dict.df + 0.5)) + 1) as idf
from {INDEX_SCHEMA}.dict as dict
cross join {INDEX_SCHEMA}.stats as stats
where list_contains($terms, dict.term)
"""

# BM25 and the title bonus from the postings of the query's terms ({termids} is a list of
# integers from _TERMS, written into the statement so that the scan skips row groups).
_RANKED = f"""
with scores as (
    select postings.docid, count(*) as matched, sum(postings.weight) as bm25,
        sum(case when postings.title then list_extract($idf, list_position($termids, postings.termid)) else 0 end)
            as title_idf
    from {INDEX_SCHEMA}.postings as postings
    where postings.termid in ({{termids}})
    group by postings.docid
)
select a.article_id, scores.bm25, scores.bm25 + $title_weight * scores.title_idf as score,
    a.published_date, a.source, a.title, a.docid, count(*) over () as matching
from scores
inner join {INDEX_SCHEMA}.articles as a using (docid)
where (not $all_words or scores.matched = len($termids))
    and ($since is null or a.published_date >= $since)
    and ($source is null or lower(a.source) = lower($source))
    and ($entity is null or a.article_id in (
        select article_id from entity_mentions where lower(canonical_name) = lower($entity)
    ))
order by score desc, a.article_id
limit $limit
"""

# The packed sentences of the given articles ({docids}: integers from _RANKED, written into the
# statement so that the scan reads only their row groups).
_SENTENCES = f"""
select docid, packed from {INDEX_SCHEMA}.sentences where docid in ({{docids}}) order by docid
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
    """The articles that best match `text`, best first, as a pandas DataFrame: rank, score,
    article_id, published_date, source, title, and `sentences`, up to three sentences of
    the article holding the words searched for (most of the query's words first), each word
    that matched wrapped in `mark`.

    An article needs one of the words searched for; those with more of them, rarer ones,
    ones in the title, and the query's neighbouring words next to each other (a phrase)
    rank first. With `all_words` it must hold every one (in its title or body).
    `since` keeps articles published on or after a date; `source` those from one source or
    agency; `entity` those that mention an entity by its canonical name (as in
    `entity_mentions`). Matching ignores case, accents, word endings (English stemming) and
    English stop words. Bad input is a SearchError (one line).

    The warehouse's connection stays open between calls (it is reopened when a run
    publishes a new file): `close_connections()` closes it."""
    import pandas as pd

    text = (text or "").strip()
    if not text:
        raise SearchError('give the words to search for, e.g. wirehouse search "grain corridor"')
    since = _date(since)
    if not isinstance(limit, int) or limit < 1:
        raise SearchError(f"limit must be a whole number of articles of at least 1, not {limit!r}")
    with _connection(warehouse) as (con, held):
        words = [(w, stem) for w, stem in con.execute(_QUERY, {"query": text}).fetchone()[0] if w and w not in held]
        if not words:
            raise SearchError(f"{text!r} has no word to search for (stop words such as 'the' and punctuation are not indexed)")
        _require_known(con, source, entity)
        stems = list(dict.fromkeys(stem for _, stem in words))
        known = con.execute(_TERMS, {"terms": stems}).fetchall()
        if not known or (all_words and len(known) < len(stems)):
            ranked, matching, sentences = [], 0, {}
        else:
            idf = {term: value for _, term, value in known}
            termids = [termid for termid, _, _ in known]
            ranked = con.execute(
                _RANKED.format(termids=", ".join(str(int(t)) for t in termids)),
                {
                    "termids": termids,
                    "idf": [value for _, _, value in known],
                    "title_weight": TITLE_WEIGHT,
                    "all_words": all_words,
                    "since": since,
                    "source": source,
                    "entity": entity,
                    "limit": max(limit, RERANK),
                },
            ).fetchall()
            matching = ranked[0][-1] if ranked else 0
            terms = set(stems)
            sentences = _sentences(con, ranked, held, terms) if ranked else {}
            pairs = _pairs([stem for _, stem in words], idf)
            scored = [(row[2] + PHRASE_WEIGHT * phrase_score(sentences.get(row[0], []), pairs), row) for row in ranked]
            scored.sort(key=lambda item: (-item[0], item[1][0]))
            ranked = [(row[0], score, *row[3:6]) for score, row in scored[:limit]]
    rows = [
        (rank, score, article_id, published, src, title, best_sentences(sentences.get(article_id, []), mark))
        for rank, (article_id, score, published, src, title) in enumerate(ranked, start=1)
    ]
    found = pd.DataFrame(rows, columns=COLUMNS)
    found.attrs["matching"] = matching  # all the articles that matched, before `limit`
    return found


class Sentence(NamedTuple):
    """A sentence that holds a query term: its text, the stems of its words (stop words left
    out, in order), the words that matched (as cut, for marking) and the terms it holds."""

    text: str
    stems: list[str]
    matched: set[str]
    terms: set[str]


def _pairs(stems: list[str], idf: dict[str, float]) -> dict[tuple[str, str], float]:
    """The query's neighbouring (stop words aside) pairs of indexed terms, each with its weight
    (the mean idf of its two terms)."""
    return {(a, b): (idf[a] + idf[b]) / 2 for a, b in zip(stems, stems[1:], strict=False) if a in idf and b in idf and a != b}


def phrase_score(sentences: list[Sentence], pairs: dict[tuple[str, str], float]) -> float:
    """Sum over the query's word pairs of weight x c / (c + 1), c the times the article's
    sentences have the pair's two words next to each other, in order (stop words skipped)."""
    if not pairs:
        return 0.0
    counts = dict.fromkeys(pairs, 0)
    for sentence in sentences:
        if len(sentence.terms) > 1:
            for pair in zip(sentence.stems, sentence.stems[1:], strict=False):
                if pair in counts:
                    counts[pair] += 1
    return sum(weight * counts[pair] / (counts[pair] + 1) for pair, weight in pairs.items())


def best_sentences(sentences: list[Sentence], mark: tuple[str, str] = MARK) -> list[str]:
    """Up to SENTENCES_PER_ARTICLE sentences holding the most of the query's terms, in the
    article's order among equals, their matching words marked."""
    best = sorted(range(len(sentences)), key=lambda i: (-len(sentences[i].terms), i))[:SENTENCES_PER_ARTICLE]
    return [highlight(sentences[i].text, sentences[i].matched, mark) for i in best]


def _sentences(con, ranked: list[tuple], held: _Held, terms: set[str]) -> dict[str, list[Sentence]]:
    """article_id -> its sentences that hold one of `terms` (stems), in order, words cut and
    stemmed as the index cuts and stems them."""
    docids = {row[6]: row[0] for row in ranked}
    cut = [
        (docids[docid], text, words_of(text))
        for docid, packed in con.execute(_SENTENCES.format(docids=", ".join(str(int(d)) for d in docids))).fetchall()
        for text in unpack(packed)
    ]
    seen = {w for _, _, words in cut for w in words}
    stems = held.stems(con, seen)
    hits = {w for w in seen if stems[w] in terms}
    out: dict[str, list[Sentence]] = {}
    for article_id, text, words in cut:
        if hits.isdisjoint(words):
            continue
        out.setdefault(article_id, []).append(
            Sentence(
                text,
                [stems[w] for w in words if w not in held.stopwords],
                {w for w in words if w in hits},
                {stems[w] for w in words if w in hits},
            )
        )
    return out


def words_of(text: str) -> list[str]:
    """`text`'s words as the index's tokenizer cuts them (lowercase, accents stripped, any
    run of characters that is not a letter or digit between words), in Python: 1,000
    sentences through the index's `tokenize` macro and `stem` cost ~80 ms CPU (bench/RESULTS.md)."""
    return _WORD.findall(_fold(text))


# ------------------------------------------------------------------ the connection

# One read-only connection per warehouse, kept open between searches: opening one (the file,
# the fts extension, the lock-down) cost ~0.1 CPU-s of each 0.3 CPU-s call (bench/RESULTS.md).
# It is an in-memory database with the warehouse ATTACHed read-only, not duckdb.connect(file):
# DuckDB hands every connect() of a file to the instance already open in the process, so a
# connection held on the file would make the dashboard's other connections read the old file
# after a run publishes a new one, and a connect() with other settings fail (the run's own
# integrity check). A search reopens it when the file changed (inode, mtime, size).
_OPEN: dict[str, _Held] = {}
_LOCK = threading.Lock()
_KEEP = 4  # warehouses kept open at most (tests open many)


class _Held:
    """One warehouse's open connection, the file version it opened, the index's stop words,
    and the stems of the words its sentences have shown so far."""

    MAX_STEMS = 200_000

    def __init__(self, version: tuple, con: duckdb.DuckDBPyConnection, stopwords: set[str]):
        self.version, self.con, self.stopwords = version, con, stopwords
        self._stems: dict[str, str] = {}

    def __contains__(self, word) -> bool:  # `word in held`: a stop word
        return word in self.stopwords

    def stems(self, con, words: set[str]) -> dict[str, str]:
        """word -> its stem, as the index stems it (DuckDB's `stem`, new words only)."""
        new = sorted(w for w in words if w not in self._stems)
        if new:
            if len(self._stems) + len(new) > self.MAX_STEMS:
                self._stems.clear()
            (stems,) = con.execute(f"select list_transform($w, x -> stem(x, '{STEMMER}'))", {"w": new}).fetchone()
            self._stems.update(zip(new, stems, strict=False))
        return self._stems


@contextlib.contextmanager
def _connection(warehouse):
    """(connection, _Held) for `warehouse`, held for the caller alone."""
    from flows import settings
    from flows.warehouse.read_only import damaged

    path = settings.database_path(settings.warehouse_dir(warehouse))
    if not path.is_file():
        raise WirehouseError(f"no warehouse at {path}: run `wirehouse run` first")
    st = path.stat()
    version = (st.st_ino, st.st_mtime_ns, st.st_size)
    key = str(path)
    with _LOCK:
        held = _OPEN.pop(key, None)
        if held is not None and held.version != version:
            held.con.close()
            held = None
        if held is None:
            try:
                con = _open(path)
            except duckdb.Error as exc:
                raise WirehouseError(damaged(path, exc)) from exc
            try:
                _require_index(con)
                stopwords = {w for (w,) in con.execute(f"select sw from {INDEX_SCHEMA}.stopwords").fetchall()}
            except BaseException:
                con.close()
                raise
            held = _Held(version, con, stopwords)
        _OPEN[key] = held  # most recently used last
        while len(_OPEN) > _KEEP:
            _OPEN.pop(next(iter(_OPEN))).con.close()
        yield held.con, held


def _open(path) -> duckdb.DuckDBPyConnection:
    """The warehouse attached read-only, locked down as flows.connect() locks its connections
    (no other file, no network, no extension installing, no setting changed)."""
    from flows.warehouse.object_store import reach_store_of_views
    from flows.warehouse.read_only import _store_paths

    con = duckdb.connect(":memory:", config=NO_DOWNLOADS)
    try:
        load_extensions(con)
        con.execute(f"attach {sql_string(str(path))} as warehouse (read_only)")
        con.execute("use warehouse")
        reach_store_of_views(con)  # an s3:// store: httpfs and its credentials
        con.execute("set allowed_paths = " + sql_list(_store_paths(con)))
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def close_connections() -> None:
    """Close the connections searches keep open."""
    with _LOCK:
        while _OPEN:
            _OPEN.popitem()[1].con.close()


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
    found = con.execute("select list(table_name) from duckdb_tables() where schema_name = ?", [INDEX_SCHEMA]).fetchone()[0] or []
    # Index version 2 stored the sentences plain (docid, sentence_idx, text): no `packed` column.
    packed = con.execute(
        "select count(*) from duckdb_columns() where schema_name = ? and table_name = 'sentences' and column_name = 'packed'",
        [INDEX_SCHEMA],
    ).fetchone()[0]
    if found and (not {"postings", "articles", "sentences"} <= set(found) or not packed):
        raise SearchError("this warehouse's search index is older than this wirehouse: run `wirehouse run` to rebuild it")
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


# The combining marks NFKD splits accents into (the Unicode blocks of combining diacritics).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(word: str) -> str:
    """A word (or a text) as the index's tokenizer sees it: lowercase, accents stripped."""
    if word.isascii():
        return word.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", word.lower()))


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
