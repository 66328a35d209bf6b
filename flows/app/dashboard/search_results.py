"""The dashboard's search box: `flows.search()` results as HTML, the words searched for marked."""

from __future__ import annotations

import html

import pandas as pd

# The marks the search puts around matched words: control characters no article text holds
# (cleaning drops them), swapped for <mark> after the text is escaped.
MARK = ("\x02", "\x03")


def search_results_html(found: pd.DataFrame) -> str:
    """One block per article (rank, title, date, source, score) with its matching sentences."""
    if found.empty:
        return "<p class='search-none'>No article matches these words.</p>"
    hits = []
    for row in found.itertuples(index=False):
        # A missing value is NaN in a string column when another row has one (pandas 3), and NaN is truthy.
        when = "undated" if pd.isna(row.published_date) else f"{row.published_date:%Y-%m-%d}"
        source = "no source" if pd.isna(row.source) or not row.source else row.source
        title = "(untitled)" if pd.isna(row.title) or not row.title else row.title
        byline = " · ".join([when, html.escape(source), f"score {row.score:.2f}", html.escape(row.article_id)])
        sentences = "".join(f"<li>{_marked(sentence)}</li>" for sentence in row.sentences)
        hits.append(
            f"<div class='search-hit' style='margin-bottom:0.9rem'>"
            f"<div class='search-title'><b>{row.rank}. {html.escape(title)}</b></div>"
            f"<div style='color:#666;font-size:0.85rem'>{byline}</div>"
            f"<ul style='margin:0.3rem 0 0'>{sentences}</ul></div>"
        )
    return "<div class='search-results'>" + "".join(hits) + "</div>"


def _marked(sentence: str) -> str:
    return (
        html.escape(sentence)
        .replace(MARK[0], "<mark class='search-term' style='background:#ffe08a;padding:0 1px'>")
        .replace(MARK[1], "</mark>")
    )
