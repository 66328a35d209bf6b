"""An article as the pipeline left it: the clean text with its entities marked, and the lines
cleaning removed with the rule that removed each."""

from __future__ import annotations

import html

from flows.app.dashboard.charts import LABEL_COLORS, OTHER_COLOR


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
