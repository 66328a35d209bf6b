"""`wirehouse dashboard`: a read-only Streamlit dashboard over the warehouse marts.

Every panel is one query (a `Panel`) against the published DuckDB file. The file is
opened read-only for that query and closed again: a run publishes a new warehouse by
renaming a new file over the old one, so holding a connection would keep showing the
old data; reconnecting per query picks up the new file and never blocks a run.

A panel whose mart this warehouse does not have yet answers with a `Missing` message
instead of failing, so the dashboard keeps working while marts are added.

The Streamlit page is `page.py`; this module holds its queries. `charts.py` and
`article_html.py` turn their rows into charts and HTML, so all of it tests without a browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from flows.settings import database_path


@dataclass(frozen=True)
class Panel:
    """One panel's query, the relations it reads, and what to say when one is missing."""

    name: str
    needs: tuple[str, ...]
    sql: str
    missing: str


@dataclass(frozen=True)
class Missing:
    """A panel that cannot be drawn from this warehouse, and why."""

    message: str


def database_version(warehouse: Path) -> tuple[int, int, int]:
    """Changes whenever a run publishes a new file: the cache key for query results."""
    st = os.stat(database_path(warehouse))
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    from flows.warehouse.read_only import connect  # the one read-only connection factory

    return connect(warehouse)


def load(warehouse: Path, panel: Panel, params: dict[str, Any] | None = None) -> pd.DataFrame | Missing:
    """Run one panel's query on a fresh read-only connection, or say which mart is missing."""
    con = _connect(warehouse)
    try:
        present = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
        if any(name not in present for name in panel.needs):
            return Missing(panel.missing)
        try:
            return con.execute(panel.sql, params or {}).df()
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            # The mart is there but not in the shape this panel reads: say so, keep the page up.
            return Missing(f"{panel.name} cannot be drawn from this warehouse: {str(exc).splitlines()[0]}")
    finally:
        con.close()


HEADLINE = Panel(
    name="headline",
    needs=("stg_articles", "stg_sentences", "stg_entities", "stg_removed_lines", "stg_rejects", "top_entities"),
    sql="""
        select
            (select count(*) from stg_articles) as articles,
            (select count(*) from stg_sentences) as sentences,
            (select count(*) from stg_entities) as mentions,
            (select count(*) from top_entities) as named_entities,
            (select count(*) from stg_removed_lines) as removed_lines,
            (select count(*) from stg_rejects) as rejects,
            (select min(published_date) from stg_articles) as first_date,
            (select max(published_date) from stg_articles) as last_date
    """,
    missing="no headline counts — this warehouse lacks the staging views",
)

ENTITY_OPTIONS = Panel(
    name="entity_options",
    needs=("top_entities",),
    sql="""
        select entity_id, canonical_name, label, mentions, articles
        from top_entities
        order by mentions desc, articles desc, canonical_name
    """,
    missing="no entities yet — this warehouse has no top_entities mart",
)

# Every picked entity gets a row for every publication date (0 when not mentioned that
# day), so a line drops to zero instead of silently joining two far-apart mentions.
ENTITY_TREND = Panel(
    name="entity_trend",
    needs=("daily_entity_mentions", "top_entities"),
    sql="""
        with picked as (
            select entity_id, canonical_name, label
            from top_entities
            where list_contains($entity_ids, entity_id)
        ),

        dates as (
            select distinct date from daily_entity_mentions
        ),

        counts as (
            select date, entity_id, mentions, articles from daily_entity_mentions
        ),

        final as (
            select
                dates.date,
                picked.entity_id,
                picked.canonical_name,
                picked.label,
                coalesce(counts.mentions, 0) as mentions,
                coalesce(counts.articles, 0) as articles
            from dates
            cross join picked
            left join counts
                on counts.date = dates.date and counts.entity_id = picked.entity_id
        )

        select * from final
        order by date, canonical_name
    """,
    missing="no trend yet — this warehouse has no daily_entity_mentions mart",
)

DATE_RANGE = Panel(
    name="date_range",
    needs=("daily_entity_mentions",),
    sql="select min(date) as first_date, max(date) as last_date from daily_entity_mentions",
    missing="no dated mentions yet — this warehouse has no daily_entity_mentions mart",
)

# An article has one publication date, so summing per-day article counts over a range
# counts each article once.
TOP_ENTITIES_BETWEEN = Panel(
    name="top_entities_between",
    needs=("daily_entity_mentions",),
    sql="""
        with days as (
            select * from daily_entity_mentions
            where date between $start and $end
                and ($labels is null or list_contains($labels, label))
        ),

        final as (
            select
                entity_id,
                canonical_name,
                label,
                sum(mentions)::bigint as mentions,
                sum(articles)::bigint as articles
            from days
            group by all
        )

        select * from final
        order by mentions desc, articles desc, canonical_name
        limit $top
    """,
    missing="no top entities yet — this warehouse has no daily_entity_mentions mart",
)

PLACES = Panel(
    name="places",
    needs=("places",),
    sql="""
        select entity_id, canonical_name, country_code, latitude, longitude, mentions, articles
        from places
        order by mentions desc, canonical_name
    """,
    missing="no places mart",
)

COOCCURRENCE = Panel(
    name="cooccurrence",
    needs=("entity_cooccurrence",),
    sql="""
        select entity_a, label_a, entity_b, label_b, sentences, articles
        from entity_cooccurrence
        where $focus is null or $focus in (entity_a, entity_b)
        order by sentences desc, articles desc, entity_a, entity_b
        limit $top
    """,
    missing="no network yet — this warehouse has no entity_cooccurrence mart",
)

# What a reader looks for first: who, what, when, where; ids last (they are for joins).
QUOTES = Panel(
    name="quotes",
    needs=("quotes",),
    sql="""
        select speaker, quote, published_date as date, title, source, verb, article_id
        from quotes
        limit 5000
    """,
    missing="no quotes yet — this warehouse has no quotes mart",
)

REJECTS = Panel(
    name="rejects",
    needs=("stg_rejects",),
    sql="""
        select file_path as file, reason, detail, file_record as record
        from stg_rejects
        order by reason, file_path, file_record
        limit 5000
    """,
    missing="no rejects view — this warehouse lacks the staging views",
)

ARTICLE_LIST = Panel(
    name="article_list",
    needs=("stg_articles",),
    sql="""
        select article_id, title, published_date, source
        from stg_articles
        order by published_date desc nulls last, title
    """,
    missing="no articles yet — this warehouse has no stg_articles view",
)

# The article, its mentions and its removed lines in one round trip, as lists of structs.
ARTICLE = Panel(
    name="article",
    needs=("stg_articles", "stg_entities", "stg_entity_identity", "stg_removed_lines"),
    sql="""
        with article as (
            select * from stg_articles where article_id = $article_id
        ),

        mentions as (
            -- named as the archive-level identity step resolved them, like every mart
            select list(
                {'char_start': e.char_start, 'char_end': e.char_end, 'text': e.text,
                 'label': coalesce(i.label, e.label), 'canonical_name': coalesce(i.canonical_name, e.canonical_name)}
                order by e.char_start
            ) as entities
            from stg_entities as e
            left join stg_entity_identity as i using (entity_id)
            where e.article_id = $article_id
        ),

        removed as (
            select list({'line_no': line_no, 'rule': rule, 'text': text} order by line_no) as removed_lines
            from stg_removed_lines
            where article_id = $article_id
        )

        select
            article.article_id,
            article.title,
            article.published_date,
            article.source,
            article.authors,
            article.file_path,
            article.body,
            coalesce(mentions.entities, []) as entities,
            coalesce(removed.removed_lines, []) as removed_lines
        from article, mentions, removed
    """,
    missing="no article view — this warehouse lacks the staging views",
)

RUNS = Panel(
    name="runs",
    needs=("stg_runs",),
    sql="""
        select run_id, started_at, files_seen, articles, rejects, duration_s
        from stg_runs
        order by started_at desc
        limit 20
    """,
    missing="no run history — this warehouse has no stg_runs view",
)
