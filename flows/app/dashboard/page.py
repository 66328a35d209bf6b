"""The Streamlit page of `wirehouse dashboard` (run by `serve_dashboard`, not imported).

Layout only: every number comes from a `Panel` query in `flows.app.dashboard.queries`, cached per
published warehouse file, so a new run shows up on the next interaction or reload.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from flows import settings
from flows.app.dashboard import article_html, charts, queries, search_results


def _warehouse() -> Path:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, default=None)
    ns, _ = parser.parse_known_args(sys.argv[1:])
    return settings.warehouse_dir(ns.warehouse)


WAREHOUSE = _warehouse()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(warehouse: str, version: tuple, panel: queries.Panel, params: dict | None):
    # `version` is only part of the key: a newly published file gets fresh results.
    return queries.load(Path(warehouse), panel, params)


def data(panel: queries.Panel, **params):
    """A panel's rows (a DataFrame) or a `Missing` message, from a short-lived read-only connection."""
    return _cached(str(WAREHOUSE), queries.database_version(WAREHOUSE), panel, params or None)


def missing(result) -> bool:
    """Show a 'not yet' note for a panel that this warehouse cannot draw; True if shown."""
    if isinstance(result, queries.Missing):
        st.info(result.message[:1].upper() + result.message[1:] + ".", icon="ℹ️")
        return True
    return False


def _entity_label(options: pd.DataFrame):
    names = {row.entity_id: f"{row.canonical_name} · {row.label} · {row.mentions}" for row in options.itertuples()}
    return lambda entity_id: names.get(entity_id, entity_id)


# ---------------------------------------------------------------- panels


def headline() -> None:
    counts = data(queries.HEADLINE)
    if missing(counts):
        return
    row = counts.iloc[0]
    cells = st.columns(6)
    for cell, (label, value) in zip(
        cells,
        [
            ("Articles", row.articles),
            ("Sentences", row.sentences),
            ("Entity mentions", row.mentions),
            ("Named entities", row.named_entities),
            ("Removed lines", row.removed_lines),
            ("Rejects", row.rejects),
        ],
        strict=False,
    ):
        cell.metric(label, f"{int(value):,}")
    st.caption(f"Articles published {_date_span(row.first_date, row.last_date)}.")


def _date_span(first, last) -> str:
    if pd.isna(first):
        return "on no known date"
    return f"on {first:%Y-%m-%d}" if first == last else f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}"


def entity_trend(options: pd.DataFrame) -> None:
    st.subheader("Entity trend")
    picked = st.multiselect(
        "Entities",
        options=list(options.entity_id),
        default=list(options.entity_id[:3]),
        format_func=_entity_label(options),
        key="trend_entities",
        help="Canonical named entities, most mentioned first (name · label · mentions).",
    )
    if not picked:
        st.caption("Pick one or more entities to see their mentions per publication date.")
        return
    rows = data(queries.ENTITY_TREND, entity_ids=picked)
    if missing(rows):
        return
    # Keyed containers give the page stable hooks (class st-key-…) for the browser tests.
    st.container(key="trend_chart").altair_chart(charts.trend_chart(rows), width="stretch")


def top_entities() -> None:
    st.subheader("Top entities")
    span = data(queries.DATE_RANGE)
    if missing(span):
        return
    if pd.isna(span.first_date[0]):
        st.caption("No dated mentions.")
        return
    first, last = span.first_date[0].date(), span.last_date[0].date()
    left, mid, right = st.columns([2, 3, 1])
    chosen = left.date_input("Published between", value=(first, last), min_value=first, max_value=last, key="top_range")
    labels = mid.multiselect(
        "Labels", options=list(charts.LABEL_COLORS), default=[], key="top_labels", placeholder="all named labels"
    )
    top = right.number_input("Show", min_value=5, max_value=100, value=15, step=5, key="top_n")
    start, end = (chosen[0], chosen[-1]) if chosen else (first, last)
    rows = data(queries.TOP_ENTITIES_BETWEEN, start=start, end=end, labels=labels or None, top=int(top))
    if missing(rows):
        return
    if rows.empty:
        st.caption(f"No mentions between {start} and {end}.")
        return
    st.container(key="top_chart").altair_chart(charts.top_entities_chart(rows), width="stretch")


def places_map() -> None:
    st.subheader("Places")
    rows = data(queries.PLACES)
    if missing(rows):
        return
    placed = rows.dropna(subset=["latitude", "longitude"])
    if placed.empty:
        st.caption("No places with coordinates.")
        return
    st.container(key="map_chart").altair_chart(charts.map_chart(placed, charts.world_outline()), width="stretch")
    unplaced = sorted(set(rows.canonical_name) - set(placed.canonical_name))
    if unplaced:
        st.caption("Not on the map (no coordinates): " + ", ".join(unplaced))


def network(options: pd.DataFrame) -> None:
    st.subheader("Co-occurrence network")
    left, right = st.columns([3, 1])
    names = ["(all entities)", *options.canonical_name]
    focus = left.selectbox("Entities mentioned in the same sentence as", names, key="network_focus")
    top = right.number_input("Pairs", min_value=5, max_value=200, value=40, step=5, key="network_top")
    focus = None if focus == names[0] else focus
    rows = data(queries.COOCCURRENCE, focus=focus, top=int(top))
    if missing(rows):
        return
    if rows.empty:
        st.caption(f"{focus} shares no sentence with another named entity.")
        return
    with_focus = f" with {focus}" if focus else ""
    st.caption(f"{len(rows)} pair(s) sharing a sentence{with_focus}, most frequent first.")
    nodes, edges = charts.network_layout(rows, focus)
    st.container(key="network_chart").altair_chart(charts.network_chart(nodes, edges), width="stretch")
    with st.expander("Pairs as a table"):
        st.dataframe(rows, hide_index=True, width="stretch")


QUOTES_PER_PAGE = 50


def quotes() -> None:
    st.subheader("Quotes")
    rows = data(queries.QUOTES)
    if missing(rows):
        return
    speaker_col = next((c for c in ("speaker", "canonical_name", "speaker_name") if c in rows.columns), None)
    if speaker_col:
        speakers = ["(all speakers)", *sorted(rows[speaker_col].dropna().unique())]
        who = st.selectbox("Speaker", speakers, key="quote_speaker")
        rows = rows if who == speakers[0] else rows[rows[speaker_col] == who]
    with st.container(key="quotes_table"):
        st.caption(f"{len(rows)} quotes")
        pages = max(1, -(-len(rows) // QUOTES_PER_PAGE))
        page_no = 1
        if pages > 1:
            page_no = st.number_input(f"Page (of {pages})", 1, pages, 1, key=f"quotes_page_{who if speaker_col else ''}")
        shown = rows.iloc[(page_no - 1) * QUOTES_PER_PAGE : page_no * QUOTES_PER_PAGE]
        shown = shown[[c for c in ("speaker", "quote", "date", "title", "source") if c in shown.columns]]
        if "date" in shown.columns:
            shown = shown.assign(date=pd.to_datetime(shown["date"]).dt.strftime("%Y-%m-%d"))
        shown = shown.fillna("")
        # A static table wraps its cells, so a long title or quote is read whole; the
        # interactive grid (st.dataframe) cut every cell to one line.
        st.table(shown, hide_index=True)


def rejects() -> None:
    st.subheader("Rejects")
    rows = data(queries.REJECTS)
    if missing(rows):
        return
    if rows.empty:
        st.caption("Every file became an article: no rejects.")
        return
    reasons = ["(all reasons)", *sorted(rows["reason"].dropna().unique())]
    why = st.selectbox("Reason", reasons, key="reject_reason")
    rows = rows if why == reasons[0] else rows[rows["reason"] == why]
    with st.container(key="rejects_table"):
        st.caption(f"{len(rows)} rejects")
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                "file": st.column_config.TextColumn("file", width="large"),
                "reason": st.column_config.TextColumn("reason", width="small"),
                "detail": st.column_config.TextColumn("detail", width="large"),
            },
        )


def article_view() -> None:
    st.subheader("Article")
    articles = data(queries.ARTICLE_LIST)
    if missing(articles):
        return
    titles = {row.article_id: f"{_day(row.published_date)} — {row.title or '(untitled)'}" for row in articles.itertuples()}
    article_id = st.selectbox("Article", list(titles), format_func=titles.get, key="article_pick")
    rows = data(queries.ARTICLE, article_id=article_id)
    if missing(rows) or rows.empty:
        return
    article = rows.iloc[0]
    text, removed = st.columns([3, 2], gap="large")
    with text:
        st.markdown(f"**{article.title or '(untitled)'}**")
        st.caption(_byline(article))
        st.html(article_html.label_legend_html())
        st.html(article_html.highlight_entities(article.body, list(article.entities)))
    with removed:
        st.markdown(f"**Removed lines** ({len(article.removed_lines)})")
        st.html(article_html.removed_lines_html(list(article.removed_lines)))


def _byline(article) -> str:
    parts = [_day(article.published_date)]
    if article.source:
        parts.append(f"source {article.source}")
    if article.authors is not None and len(article.authors):
        parts.append("by " + ", ".join(article.authors))
    parts.append(f"`{article.file_path}`")
    return " · ".join(parts)


def _day(value) -> str:
    return "undated" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"


@st.cache_data(show_spinner=False, max_entries=64)
def _search(warehouse: str, version: tuple, words: str, since, entity: str, limit: int):
    # `version` is only part of the key: a newly published file gets fresh results.
    from flows.warehouse.search import SearchError, search

    try:
        found = search(words, Path(warehouse), since=since, entity=entity or None, limit=limit, mark=search_results.MARK)
    except SearchError as exc:
        return str(exc), 0
    return found, found.attrs["matching"]


def search_box() -> None:
    st.subheader("Search")
    words_col, entity_col, since_col, limit_col = st.columns([4, 2, 2, 1])
    words = words_col.text_input(
        "Words",
        key="search_words",
        placeholder="e.g. troops border",
        help="Articles ranked by BM25 over titles and bodies; case, accents, word endings and stop words are ignored.",
    )
    entity = entity_col.text_input("Mentioning the entity", key="search_entity", placeholder="any entity")
    since = since_col.date_input("Published since", value=None, key="search_since")
    limit = limit_col.number_input("Show", min_value=5, max_value=100, value=10, step=5, key="search_limit")
    if not words.strip():
        st.caption("Type words to find the articles that use them, and the sentences where they do.")
        return
    found, matching = _search(str(WAREHOUSE), queries.database_version(WAREHOUSE), words, since, entity.strip(), int(limit))
    if isinstance(found, str):
        st.warning(found)
        return
    with st.container(key="search_results"):
        st.caption(f"{len(found)} of {matching} matching articles, best first.")
        st.html(search_results.search_results_html(found))


def runs() -> None:
    st.subheader("Runs")
    rows = data(queries.RUNS)
    if not missing(rows):
        st.dataframe(rows, hide_index=True, width="stretch")


# ---------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="wirehouse dashboard", page_icon="📰", layout="wide")
    st.title("wirehouse")
    try:
        version = queries.database_version(WAREHOUSE)
    except FileNotFoundError:
        st.error(f"No warehouse at {settings.database_path(WAREHOUSE)}: run `wirehouse run` first.")
        st.stop()
    published = dt.datetime.fromtimestamp(version[1] / 1e9).strftime("%Y-%m-%d %H:%M:%S")
    st.caption(f"Read-only view of `{settings.database_path(WAREHOUSE)}`, published {published}.")
    headline()
    options = data(queries.ENTITY_OPTIONS)
    tabs = st.tabs(["Entities", "Map", "Network", "Quotes", "Articles", "Rejects", "Runs", "Search"])
    with tabs[0]:
        if not missing(options):
            entity_trend(options)
        top_entities()
    with tabs[1]:
        places_map()
    with tabs[2]:
        if not missing(options):
            network(options)
    with tabs[3]:
        quotes()
    with tabs[4]:
        article_view()
    with tabs[5]:
        rejects()
    with tabs[6]:
        runs()
    with tabs[7]:
        search_box()


main()
