"""The dashboard's pictures: places on a map (coordinates from the gazetteer), trends, top
entities and the co-occurrence network, as Altair charts built from panel rows."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

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


# Equal Earth (Šavrič, Patterson, Jenny 2018), the chart's projection, as d3-geo computes it:
# enough to know where Vega will put each place, in pixels, before it draws.
_EE = (1.340264, -0.081106, 0.000893, 0.003796)


def _equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a1, a2, a3, a4 = _EE
    m = np.sqrt(3) / 2
    t = np.arcsin(m * np.sin(np.radians(lat)))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = np.radians(lon) * np.cos(t) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = t * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, -y  # screen y grows downwards


MAP_HEIGHT = 520
MAP_MIN_WIDTH = 640  # labels placed for the narrowest map: a wider one only spreads the places
LABEL_FONT = 12
LABEL_DX, LABEL_DY = 9, -6


def label_boxes(rows: pd.DataFrame, width: float = MAP_MIN_WIDTH, height: float = MAP_HEIGHT) -> np.ndarray:
    """Each place name's box on the map, in pixels (x0, y0, x1, y1), where Vega draws it:
    the projection fitted to `_fit_box(rows)` as `map_chart` fits it; text 0.62 em a
    character wide (a generous average for the sans-serif font), from ascender to descender."""
    box = np.array(_fit_box(rows)["geometry"]["coordinates"], dtype=float)
    bx, by = _equal_earth(box[:, 0], box[:, 1])
    scale = min(width / (bx.max() - bx.min()), height / (by.max() - by.min()))
    x, y = _equal_earth(rows["longitude"].to_numpy(float), rows["latitude"].to_numpy(float))
    x, y = x * scale + LABEL_DX, y * scale + LABEL_DY
    text_width = rows["canonical_name"].astype(str).str.len().to_numpy() * LABEL_FONT * 0.62
    return np.column_stack([x, y - LABEL_FONT * 0.8, x + text_width, y + LABEL_FONT * 0.25])


def labels_that_fit(rows: pd.DataFrame, width: float = MAP_MIN_WIDTH, height: float = MAP_HEIGHT) -> pd.Series:
    """Which places get their name drawn: the most mentioned first, then each place whose
    name's box does not overlap one already drawn (Vega-Lite has no label placement of its
    own: in dense areas every name was drawn over the others). Every place keeps its dot."""
    boxes = label_boxes(rows, width, height)
    order = np.argsort(-rows["mentions"].to_numpy(), kind="stable")
    kept: list[np.ndarray] = []
    show = np.zeros(len(rows), dtype=bool)
    pad = 1.0
    for i in order:
        b = boxes[i]
        if all(b[0] >= k[2] + pad or b[2] + pad <= k[0] or b[1] >= k[3] + pad or b[3] + pad <= k[1] for k in kept):
            kept.append(b)
            show[i] = True
    return pd.Series(show, index=rows.index, name="show_label")


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
    named = rows[labels_that_fit(rows)] if len(rows) else rows
    label = alt.Chart(named).encode(longitude="longitude:Q", latitude="latitude:Q", text="canonical_name:N")
    # A white halo under each name keeps labels legible over shapes and dots.
    text = {"align": "left", "dx": LABEL_DX, "dy": LABEL_DY, "fontSize": LABEL_FONT}
    layers.append(label.mark_text(**text, stroke="#ffffff", strokeWidth=3))
    layers.append(label.mark_text(**text, fill="#222222"))
    return alt.layer(*layers).project(**projection).properties(height=MAP_HEIGHT)


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
