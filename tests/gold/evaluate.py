"""Score extraction against the gold set: bare spaCy and wirehouse, per type.

Used by bench/entity_gold_eval.py (the table, timings, JSON) and by
tests/transforms/test_gold.py (minimum precision and recall).

The article bodies come from the pipeline itself (`transforms.article.prepare`), so the
offsets scored are the ones the warehouse stores; gold items, which have no offsets, are
found in the body as check_gold.py finds them (left to right, at word boundaries), with
whitespace runs and quote-mark styles not counting (the cleaner joins hard-wrapped lines
and repairs quote marks).

Matching:

- entities (per label): same span and same label;
- linking: same span and same canonical name, where a predicted mention's name is its
  entity's name across the corpus (the most frequent canonical_name of its entity_id,
  as entities_dim would show it); plus B-cubed over the mentions both sides found, which
  scores merging and splitting alone;
- country: a GPE/LOC gold mention with a country, found with the same span and code;
- dates: same span, value and resolution;
- amounts: overlapping spans, same value and qualifier, same head noun of the unit (its
  last word: `council members` counts as `members`);
- quotes: the same quoted words; quotes-with-speaker also the speaker's name.

wirehouse runs as a run does: `transforms.annotation.annotate` over the gold bodies (the
model over each body by `transforms.nlp.model_spans`, then entities, dates, amounts and
quotes).

Bare spaCy is the model alone, as GDELT-style extraction would use it: its own spans
and labels, the surface text as the entity, DATE values from dateparser relative to the
publication date, numbers with the word after them as unit, and quotes as text between
double marks attributed to the nearest PERSON in the sentence.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.amounts import extract_amounts  # noqa: E402
from transforms.annotation import annotate  # noqa: E402
from transforms.article import Prepared, RawDocument  # noqa: E402
from transforms.entities import corpus_merges  # noqa: E402
from transforms.parse import Header  # noqa: E402
from transforms.sentences import split_sentences  # noqa: E402

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT")
_QUOTE_CHARS = str.maketrans({c: '"' for c in "“”‘’'"})


@dataclass
class GoldArticle:
    name: str
    body: str
    published: dt.date | None
    sentences: list[tuple[int, int]]
    entities: list[dict] = field(default_factory=list)  # gold items + "start", "end"
    dates: list[dict] = field(default_factory=list)
    amounts: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    body_source: str = "pipeline"
    pipeline_published: dt.date | None = None  # the date the pipeline read (file name, header…)
    date_source: str | None = None
    dateline_place: str | None = None  # the place of the dateline the pipeline cut from the body


def _normalized(body: str) -> tuple[str, list[int]]:
    """Whitespace runs → one space, quote marks → `"`; and each kept char's offset."""
    out, offsets = [], []
    prev_space = True
    for i, ch in enumerate(body):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                offsets.append(i)
            prev_space = True
            continue
        out.append(ch.translate(_QUOTE_CHARS))
        offsets.append(i)
        prev_space = False
    return "".join(out), offsets


def _pattern(text: str) -> re.Pattern:
    left = r"(?<!\w)" if re.match(r"\w", text) else ""
    right = r"(?!\w)" if re.search(r"\w$", text) else ""
    return re.compile(left + re.escape(text) + right)


_UNLOCATED = [0]


def _locate(items: list[dict], key: str, norm: str, offsets: list[int], where: str, strict: bool = True) -> list[dict]:
    """Each gold item's offsets in the body. Not strict (held-out sets, whose bodies the
    pipeline may cut wrongly): an item not found gets offsets no prediction has, so it
    counts as missed."""
    located, pos = [], 0
    for item in items:
        text = " ".join(item[key].split()).translate(_QUOTE_CHARS)
        m = _pattern(text).search(norm, pos)
        if m is None:
            if strict:
                raise ValueError(f"{where}: gold text {item[key]!r} not found in the body")
            _UNLOCATED[0] -= 2
            located.append({**item, "start": _UNLOCATED[0], "end": _UNLOCATED[0] + 1, "unlocated": True})
            continue
        located.append({**item, "start": offsets[m.start()], "end": offsets[m.end() - 1] + 1})
        pos = m.end()
    return located


def _body(path: Path, entry: dict | None = None) -> tuple[str, dt.date | None, str, str | None, str | None]:
    """(body, published date, where the body came from, date source, dateline place) of one
    gold article."""
    try:
        from transforms.article import RawDocument, prepare

        ok, _ = prepare(RawDocument.from_bytes(path.read_bytes(), path.name))
        if ok:
            return ok[0].body, ok[0].header.published_date, "pipeline", ok[0].header.date_source, ok[0].dateline_place
    except Exception:  # noqa: BLE001 — the parser is being rewritten elsewhere; fall back
        pass
    sys.path.insert(0, str(HERE))
    from check_gold import split_article

    entry = entry or {}
    body, published = split_article(path.name, path.read_text(encoding="utf-8"), entry.get("body_start"), entry.get("body_end"))
    return body, None, "gold", None, None


def load_gold(folder: Path = HERE, *, strict: bool = True) -> list[GoldArticle]:
    """The gold articles of `folder` (tests/gold, tests/gold/heldout or tests/gold/unseen),
    located in their pipeline bodies (`strict=False`: a gold text the pipeline's body
    lacks counts as missed instead of raising)."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    articles = []
    for name in sorted(gold):
        entry = gold[name]
        body, pipeline_published, source, date_source, dateline_place = _body(folder / "articles" / name, entry)
        articles.append(located(name, entry, body, strict=strict))
        articles[-1].body_source = source
        articles[-1].pipeline_published = pipeline_published
        articles[-1].date_source = date_source
        articles[-1].dateline_place = dateline_place
    return articles


def located(name: str, entry: dict, body: str, *, strict: bool = True) -> GoldArticle:
    """One gold entry's items found in `body` (the pipeline's or the warehouse's)."""
    norm, offsets = _normalized(body)
    return GoldArticle(
        name=name,
        body=body,
        published=dt.date.fromisoformat(entry["published_date"]),
        sentences=split_sentences(body),
        entities=_locate(entry["entities"], "text", norm, offsets, f"{name} entities", strict),
        dates=_locate(entry["dates"], "text", norm, offsets, f"{name} dates", strict),
        amounts=_locate(entry["amounts"], "text", norm, offsets, f"{name} amounts", strict),
        quotes=_locate(entry["quotes"], "quote", norm, offsets, f"{name} quotes", strict),
    )


# --- running the two systems ------------------------------------------------------------


@dataclass
class Predictions:
    """What one system found in one article, in the gold's terms."""

    entities: list[dict]  # start, end, label, entity_id, canonical, country
    dates: list[dict]  # start, end, value, resolution
    amounts: list[dict]  # start, end, value, unit, qualifier
    quotes: list[dict]  # start, end, speaker_id, speaker, verb


def bare_pipeline(model: str | None = None):
    """The model alone: NER (and what it listens to), no gazetteer ruler."""
    import spacy

    from transforms.nlp import DEFAULT_MODEL, _upstreams

    nlp = spacy.load(model or DEFAULT_MODEL)
    keep = {"ner"} | _upstreams(nlp, "ner")
    for name in nlp.component_names:
        if name not in keep and name not in nlp.disabled:
            nlp.disable_pipe(name)
    return nlp


def run_bare(articles: list[GoldArticle], nlp) -> dict[str, Predictions]:
    import dateparser

    out = {}
    for article, doc in zip(articles, nlp.pipe(a.body for a in articles), strict=False):
        ents = [
            {
                "start": e.start_char,
                "end": e.end_char,
                "label": e.label_,
                "entity_id": f"{e.label_}:{e.text}",
                "canonical": e.text,
                "country": None,
            }
            for e in doc.ents
        ]
        dates = []
        for e in doc.ents:
            if e.label_ != "DATE":
                continue
            settings = {"RELATIVE_BASE": dt.datetime.combine(article.published, dt.time())} if article.published else {}
            parsed = dateparser.parse(e.text, settings=settings, languages=["en"])
            if parsed:
                dates.append({"start": e.start_char, "end": e.end_char, "value": parsed.date().isoformat(), "resolution": "day"})
        amounts = []
        for e in doc.ents:
            if e.label_ not in ("CARDINAL", "MONEY", "QUANTITY"):
                continue
            found = extract_amounts(article.body, [(e.start_char, e.end_char, e.label_)])
            value = found[0].value if found else None
            nxt = doc[e.end].text if e.end < len(doc) else ""
            amounts.append({"start": e.start_char, "end": e.end_char, "value": value, "unit": nxt, "qualifier": None})
        quotes = []
        for m in re.finditer(r"[\"“]([^\"“”]+)[\"”]", article.body):
            sent = next(((s, t) for s, t in article.sentences if s <= m.start() < t), (0, len(article.body)))
            people = [
                e
                for e in doc.ents
                if e.label_ == "PERSON" and sent[0] <= e.start_char < sent[1] and not (m.start() <= e.start_char < m.end())
            ]
            near = min(people, key=lambda e: abs(e.start_char - m.start()), default=None)
            start, end = m.start(1), m.end(1)
            while end > start and article.body[end - 1] in " ,":
                end -= 1
            quotes.append(
                {
                    "start": start,
                    "end": end,
                    "speaker": near.text if near else None,
                    "speaker_id": f"PERSON:{near.text}" if near else None,
                    "verb": None,
                }
            )
        out[article.name] = Predictions(ents, dates, amounts, quotes)
    return out


def ner_all(articles: list[GoldArticle], nlp) -> dict[str, list[tuple[int, int, str]]]:
    """The model's spans over each gold body, as a run gets them (`transforms.nlp.model_spans`)."""
    from transforms.nlp import model_spans

    found = model_spans(nlp, [(a.body, a.sentences) for a in articles])
    return dict(zip((a.name for a in articles), found, strict=True))


def as_prepared(article: GoldArticle, published: dt.date | None) -> Prepared:
    """A gold article as a prepared article of a run, dated `published`. The language is
    left undetected (the gold set is English), so NER runs on every article."""
    return Prepared(
        article_id=article.name,
        doc=RawDocument.from_bytes(b"", article.name),
        record=None,
        source_format="text",
        encoding="utf-8",
        header=Header(published_date=published),
        dateline_place=article.dateline_place,
        dateline_source=None,
        body=article.body,
        raw_offsets=list(range(len(article.body))),
        removed=[],
        sentences=article.sentences,
    )


def run_wirehouse(articles: list[GoldArticle], nlp, *, published: str = "gold") -> dict[str, Predictions]:
    """wirehouse in process, by the path a run takes: `transforms.annotation.annotate` (the
    model over each body, then entities, dates, amounts and quotes) over the gold bodies.
    `published`: resolve dates against the gold's publication date ("gold": scores the
    resolver alone) or the one the pipeline read ("pipeline": what the warehouse would hold)."""
    prepared = [as_prepared(a, a.published if published == "gold" else a.pipeline_published) for a in articles]
    annotated, failed = annotate(prepared, nlp)
    if failed:
        raise RuntimeError(f"extraction failed on gold articles: {[(r.source_path, r.detail) for r in failed]}")
    return {p.article_id: predictions(p) for p in annotated}


def predictions(p: Prepared) -> Predictions:
    """What the pipeline found in one annotated article, in the gold's terms."""
    return Predictions(
        [
            {
                "start": m.char_start,
                "end": m.char_end,
                "label": m.label,
                "entity_id": m.entity_id,
                "canonical": m.canonical_name,
                "country": m.country_code,
                "key": m.entity_key,
            }
            for m in p.mentions
        ],
        [{"start": d.char_start, "end": d.char_end, "value": d.value, "resolution": d.resolution} for d in p.dates],
        [
            {
                "start": a.char_start,
                "end": a.char_end,
                "value": a.value,
                "unit": a.unit,
                "qualifier": a.qualifier,
                "value_low": a.value_low,
                "value_high": a.value_high,
            }
            for a in p.amounts
        ],
        [
            {
                "start": q.char_start,
                "end": q.char_end,
                "speaker_id": q.speaker_entity_id,
                "speaker": q.speaker_name,
                "verb": q.verb,
            }
            for q in p.quotes
        ],
    )


# --- scoring --------------------------------------------------------------------------


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def merged_ids(preds: dict[str, Predictions]) -> dict[str, str]:
    """entity_id → the id entities_dim counts it as (transforms.entities.corpus_merges:
    `Putin` alone in one article is the Vladimir Putin of the others)."""
    pairs = {(e["entity_id"], e["key"]) for p in preds.values() for e in p.entities if e.get("key")}
    return corpus_merges(pairs)


def dim_names(preds: dict[str, Predictions]) -> dict[str, str]:
    """entity_id → its entity's most frequent canonical name in the corpus, after the
    corpus merges (what entities_dim shows)."""
    merges = merged_ids(preds)
    names: dict[str, Counter] = defaultdict(Counter)
    for p in preds.values():
        for e in p.entities:
            names[merges.get(e["entity_id"], e["entity_id"])][e["canonical"]] += 1
    chosen = {eid: counts.most_common(1)[0][0] for eid, counts in names.items()}
    return {eid: chosen[merges.get(eid, eid)] for p in preds.values() for eid in (e["entity_id"] for e in p.entities)}


def score(articles: list[GoldArticle], preds: dict[str, Predictions]) -> dict[str, dict]:
    names = dim_names(preds)
    result: dict[str, dict] = {}
    # Entities per label.
    gold_ents = {(a.name, e["start"], e["end"], e["label"]) for a in articles for e in a.entities}
    pred_ents = {(a.name, e["start"], e["end"], e["label"]) for a in articles for e in preds[a.name].entities}
    for label in ENTITY_LABELS:
        g = {x for x in gold_ents if x[3] == label}
        p = {x for x in pred_ents if x[3] == label}
        result[label] = prf(len(g & p), len(p), len(g))
    g5 = {x for x in gold_ents}
    p5 = {x for x in pred_ents if x[3] in ENTITY_LABELS}
    result["entities (all labels)"] = prf(len(g5 & p5), len(p5), len(g5))
    # Linking: span + canonical name.
    gold_link = {(a.name, e["start"], e["end"], e["canonical"]) for a in articles for e in a.entities}
    pred_link = {
        (a.name, e["start"], e["end"], names[e["entity_id"]])
        for a in articles
        for e in preds[a.name].entities
        if e["label"] in ENTITY_LABELS
    }
    result["linking (span + canonical)"] = prf(len(gold_link & pred_link), len(pred_link), len(gold_link))
    result["linking B-cubed (found spans)"] = _b_cubed(articles, preds)
    # Country codes of places.
    gold_cc = {(a.name, e["start"], e["end"], e["country"]) for a in articles for e in a.entities if e["country"]}
    pred_cc = {(a.name, e["start"], e["end"], e["country"]) for a in articles for e in preds[a.name].entities if e["country"]}
    result["place country codes"] = prf(len(gold_cc & pred_cc), len(pred_cc), len(gold_cc))
    # Dates.
    gold_dates = {(a.name, d["start"], d["end"], d["value"], d["resolution"]) for a in articles for d in a.dates}
    pred_dates = {(a.name, d["start"], d["end"], d["value"], d["resolution"]) for a in articles for d in preds[a.name].dates}
    result["dates (span + value)"] = prf(len(gold_dates & pred_dates), len(pred_dates), len(gold_dates))
    # Amounts.
    tp = n_pred = n_gold = tp_value = 0
    for a in articles:
        pred = preds[a.name].amounts
        n_pred += len(pred)
        n_gold += len(a.amounts)
        tp += _match_amounts(a.amounts, pred, strict=True)
        tp_value += _match_amounts(a.amounts, pred, strict=False)
    result["amounts (value + unit + qualifier)"] = prf(tp, n_pred, n_gold)
    result["amounts (value only)"] = prf(tp_value, n_pred, n_gold)
    # Quotes.
    tp_text = tp_speaker = n_pred = n_gold = 0
    for a in articles:
        pred = {(q["start"], q["end"]): q for q in preds[a.name].quotes}
        n_pred += len(pred)
        n_gold += len(a.quotes)
        for q in a.quotes:
            hit = pred.get((q["start"], q["end"]))
            if hit is None:
                continue
            tp_text += 1
            speaker = names.get(hit["speaker_id"], hit["speaker"]) if hit["speaker_id"] else hit["speaker"]
            tp_speaker += speaker == q["speaker"]
    result["quotes (text)"] = prf(tp_text, n_pred, n_gold)
    result["quotes with speaker"] = prf(tp_speaker, n_pred, n_gold)
    return result


def _match_amounts(gold: list[dict], pred: list[dict], *, strict: bool) -> int:
    used: set[int] = set()
    tp = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i in used or not (p["start"] < g["end"] and g["start"] < p["end"]):
                continue
            if p["value"] is None or abs(p["value"] - g["value"]) > 1e-6 * max(1, abs(g["value"])):
                continue
            if strict and (gold_qualifier(p["qualifier"]) != g["qualifier"] or _head(p["unit"]) != _head(g["unit"])):
                continue
            used.add(i)
            tp += 1
            break
    return tp


# The gold format has three qualifiers, a lower bound, an approximation and an upper bound
# (tests/gold/README.md; `at least` is `more than` since bench/dev_amounts_dates2); wirehouse
# keeps two more, which are those bounds.
_GOLD_QUALIFIERS = {"at least": "more than", "less than": "up to"}


def gold_qualifier(qualifier: str | None) -> str | None:
    """The gold format's qualifier for a wirehouse one (`at least` → `more than`, `less than`
    → `up to`)."""
    return _GOLD_QUALIFIERS.get(qualifier, qualifier) if qualifier else qualifier


def _head(unit: str | None) -> str:
    return (unit or "").split()[-1].lower() if unit and unit.split() else ""


def _b_cubed(articles: list[GoldArticle], preds: dict[str, Predictions]) -> dict:
    """B-cubed precision/recall of the entity clusters, over mentions found by both
    (same span), across the corpus."""
    pairs = []
    merges = merged_ids(preds)
    for a in articles:
        pred = {(e["start"], e["end"]): merges.get(e["entity_id"], e["entity_id"]) for e in preds[a.name].entities}
        for e in a.entities:
            if (e["start"], e["end"]) in pred:
                pairs.append((e["canonical"], pred[(e["start"], e["end"])]))
    gold_size = Counter(g for g, _ in pairs)
    pred_size = Counter(p for _, p in pairs)
    both = Counter(pairs)
    if not pairs:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "mentions": 0}
    precision = sum(both[(g, p)] / pred_size[p] for g, p in pairs) / len(pairs)
    recall = sum(both[(g, p)] / gold_size[g] for g, p in pairs) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "mentions": len(pairs)}


def errors(articles: list[GoldArticle], preds: dict[str, Predictions]) -> list[str]:  # noqa: C901
    """Every miss and false hit, readable: for finding what to fix."""
    names = dim_names(preds)
    lines = []
    for a in articles:
        p = preds[a.name]
        gold = {(e["start"], e["end"]): e for e in a.entities}
        pred = {(e["start"], e["end"]): e for e in p.entities if e["label"] in ENTITY_LABELS}
        for span, e in gold.items():
            hit = pred.get(span)
            if hit is None:
                lines.append(f"{a.name} entity missed  {e['text']!r} {e['label']}")
            elif hit["label"] != e["label"]:
                lines.append(f"{a.name} entity label   {e['text']!r} gold {e['label']} got {hit['label']}")
            elif names[hit["entity_id"]] != e["canonical"]:
                lines.append(f"{a.name} entity name    {e['text']!r} gold {e['canonical']!r} got {names[hit['entity_id']]!r}")
            elif (e["country"] or None) != (hit["country"] or None):
                lines.append(f"{a.name} entity country {e['text']!r} gold {e['country']} got {hit['country']}")
        for span, e in pred.items():
            if span not in gold:
                lines.append(f"{a.name} entity extra   {a.body[span[0] : span[1]]!r} {e['label']}")
        gd = {(d["start"], d["end"]): d for d in a.dates}
        pdm = {(d["start"], d["end"]): d for d in p.dates}
        for span, d in gd.items():
            hit = pdm.get(span)
            if hit is None:
                lines.append(f"{a.name} date missed    {d['text']!r} {d['value']}")
            elif (hit["value"], hit["resolution"]) != (d["value"], d["resolution"]):
                lines.append(f"{a.name} date value     {d['text']!r} gold {d['value']} got {hit['value']}")
        for span, d in pdm.items():
            if span not in gd:
                lines.append(f"{a.name} date extra     {a.body[span[0] : span[1]]!r} {d['value']}")
        for g in a.amounts:
            if not any(_amount_hit(g, x) for x in p.amounts):
                near = [x for x in p.amounts if x["start"] < g["end"] and g["start"] < x["end"]]
                got = (
                    f"{a.body[near[0]['start'] : near[0]['end']]!r} {near[0]['value']} {near[0]['unit']!r} {near[0]['qualifier']}"
                    if near
                    else "nothing"
                )
                lines.append(f"{a.name} amount         {g['text']!r} gold {g['value']} {g['unit']!r} {g['qualifier']} got {got}")
        for x in p.amounts:
            if not any(x["start"] < g["end"] and g["start"] < x["end"] for g in a.amounts):
                lines.append(f"{a.name} amount extra   {a.body[x['start'] : x['end']]!r} {x['value']} {x['unit']!r}")
        pq = {(q["start"], q["end"]): q for q in p.quotes}
        for q in a.quotes:
            hit = pq.get((q["start"], q["end"]))
            if hit is None:
                lines.append(f"{a.name} quote missed   {q['quote'][:50]!r}")
                continue
            speaker = names.get(hit["speaker_id"], hit["speaker"]) if hit["speaker_id"] else hit["speaker"]
            if speaker != q["speaker"] or hit["verb"] != q["verb"]:
                lines.append(
                    f"{a.name} quote speaker  {q['quote'][:40]!r} gold {q['speaker']}/{q['verb']} got {speaker}/{hit['verb']}"
                )
        gq = {(q["start"], q["end"]) for q in a.quotes}
        for span in pq:
            if span not in gq:
                lines.append(f"{a.name} quote extra    {a.body[span[0] : span[1]][:50]!r}")
    return lines


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# --- issue 12: held-out measures (person/org/place F1, speakers, day dates, amounts with
# ranges, quotes, cross-article identity, publication dates) ------------------------------

PLACE_LABELS = ("GPE", "LOC")


def fold(name: str | None) -> str:
    """A name without case, diacritics and spacing differences, for comparing speakers."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def warehouse_predictions(gold_dir: Path, warehouse: Path) -> tuple[list[GoldArticle], dict[str, Predictions], dict]:
    """The gold articles located in the bodies the warehouse stores, and what the warehouse
    holds for them: mentions (with the entity id `entity_mentions` gives them, the mart
    every other mart is built on), quotes, dates, amounts (with value_low/value_high where
    the table has them). Also each mention's id after `entities_dim`'s merges, and each
    article's publication date and its source."""
    import duckdb

    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        rows = con.execute("select article_id, file_path, body, published_date, date_source from stg_articles").fetchall()
        by_name = {Path(path).name: (aid, body, pub, src) for aid, path, body, pub, src in rows}

        def table(sql: str) -> dict[str, list[dict]]:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            out: dict[str, list[dict]] = defaultdict(list)
            for row in cur.fetchall():
                rec = dict(zip(cols, row, strict=False))
                out[rec["article_id"]].append(rec)
            return out

        mart_ids = {
            (r[0], r[1], r[2]): r[3]
            for r in con.execute("select article_id, char_start, char_end, entity_id from entity_mentions").fetchall()
        }
        dim_merge = {orig: eid for eid, orig in con.execute("select entity_id, unnest(merged_ids) from entities_dim").fetchall()}
        ents = table("select * from stg_entities")
        # Each quote's speaker as the `quotes` mart gives it: the entity the archive-level
        # identity resolved the speaker to, under that entity's one name. The mentions above
        # carry resolved ids (entity_mentions), so a speaker's per-article id (stg_quotes)
        # could never equal them once the identity step had merged it (`Biden said` in an
        # article that names no Joe Biden). Staging and the mart's join, not the mart itself:
        # the mart leaves out quotes of duplicate articles, and every gold article is scored.
        quotes = table(
            "select q.article_id, q.char_start, q.char_end, q.verb,"
            " coalesce(i.resolved_id, q.speaker_entity_id) as speaker_entity_id,"
            " coalesce(i.canonical_name, q.speaker_name) as speaker_name"
            " from stg_quotes as q left join stg_entity_identity as i on i.entity_id = q.speaker_entity_id"
        )
        dates = table("select * from stg_dates_mentioned")
        amounts = table("select * from stg_amounts")
    finally:
        con.close()

    articles, preds = [], {}
    meta = {"dim_merge": dim_merge, "published": {}, "missing": []}
    for name in sorted(gold):
        if name not in by_name:
            meta["missing"].append(name)
            article = located(name, gold[name], "", strict=False)
            articles.append(article)
            preds[name] = Predictions([], [], [], [])
            continue
        aid, body, pub, src = by_name[name]
        article = located(name, gold[name], body, strict=False)
        article.body_source = "warehouse"
        article.pipeline_published, article.date_source = pub, src
        articles.append(article)
        meta["published"][name] = (pub.isoformat() if pub else None, src)
        preds[name] = Predictions(
            [
                {
                    "start": e["char_start"],
                    "end": e["char_end"],
                    "label": e["label"],
                    "entity_id": mart_ids.get((aid, e["char_start"], e["char_end"]), e["entity_id"]),
                    "canonical": e["canonical_name"],
                    "country": e["country_code"],
                    "key": e.get("entity_key"),
                }
                for e in ents[aid]
            ],
            [
                {"start": d["char_start"], "end": d["char_end"], "value": d["value"], "resolution": d["resolution"]}
                for d in dates[aid]
            ],
            [
                {
                    "start": a["char_start"],
                    "end": a["char_end"],
                    "value": a["value"],
                    "unit": a["unit"],
                    "qualifier": a["qualifier"],
                    "value_low": a.get("value_low"),
                    "value_high": a.get("value_high"),
                }
                for a in amounts[aid]
            ],
            [
                {
                    "start": q["char_start"],
                    "end": q["char_end"],
                    "speaker_id": q["speaker_entity_id"],
                    "speaker": q["speaker_name"],
                    "verb": q["verb"],
                }
                for q in quotes[aid]
            ],
        )
    return articles, preds, meta


def _amount_hit(g: dict, p: dict) -> bool:
    """Overlapping spans, same unit head and qualifier; a range needs both ends (a single
    value, as wirehouse gave before issue 12, does not match a range)."""
    if not (p["start"] < g["end"] and g["start"] < p["end"]):
        return False
    if gold_qualifier(p["qualifier"]) != g["qualifier"] or _head(p["unit"]) != _head(g["unit"]):
        return False

    def same(x, y) -> bool:
        return x is not None and y is not None and abs(x - y) <= 1e-6 * max(1, abs(y))

    if "value_low" in g:
        return same(p.get("value_low"), g["value_low"]) and same(p.get("value_high"), g["value_high"])
    if p.get("value_low") is not None and not same(p.get("value_low"), p.get("value_high")):
        return False  # a range found where the text gives one number
    return same(p["value"], g["value"])


def issue12_scores(  # noqa: C901
    articles: list[GoldArticle],
    preds: dict[str, Predictions],
    identity: dict | None = None,
    id_of: dict[str, str] | None = None,
) -> dict:
    """The measures issue 12 sets targets on. `id_of` maps a predicted entity_id to the id
    it counts as (entities_dim's merges, or corpus_merges in process); default: itself."""
    id_of = id_of or {}

    def ident(eid):
        return id_of.get(eid, eid) if eid else None

    out: dict = {}
    gold_ents = {(a.name, e["start"], e["end"], e["label"]) for a in articles for e in a.entities}
    pred_ents = {(a.name, e["start"], e["end"], e["label"]) for a in articles for e in preds[a.name].entities}
    for title, labels in (
        ("PERSON mentions", ("PERSON",)),
        ("ORG mentions", ("ORG",)),
        ("place (GPE+LOC) mentions", PLACE_LABELS),
    ):
        g = {x[:3] for x in gold_ents if x[3] in labels}
        p = {x[:3] for x in pred_ents if x[3] in labels}
        out[title] = prf(len(g & p), len(p), len(g))

    # Quotes, and their speakers over the gold quotes found (same quoted words).
    tp = n_pred = n_gold = right = 0
    wrong: list[str] = []
    for a in articles:
        pred = {(q["start"], q["end"]): q for q in preds[a.name].quotes}
        n_pred += len(pred)
        n_gold += len(a.quotes)
        found = {(e["start"], e["end"]): ident(e["entity_id"]) for e in preds[a.name].entities}
        for q in a.quotes:
            hit = pred.get((q["start"], q["end"]))
            if hit is None:
                continue
            tp += 1
            if q["speaker"] is None:
                ok = hit["speaker_id"] is None and not hit["speaker"]
            else:
                gold_ids = {found.get((e["start"], e["end"])) for e in a.entities if e["canonical"] == q["speaker"]} - {None}
                ok = fold(hit["speaker"]) == fold(q["speaker"]) or (
                    hit["speaker_id"] is not None and ident(hit["speaker_id"]) in gold_ids
                )
            right += ok
            if not ok:
                wrong.append(f"{a.name} {q['quote'][:40]!r} gold {q['speaker']} got {hit['speaker']}")
    out["quotes (text)"] = prf(tp, n_pred, n_gold)
    out["speaker accuracy (gold quotes found)"] = {"correct": right, "of": tp, "accuracy": round(right / tp, 4) if tp else 0.0}

    # Day mentions: gold dates resolved to a day, same span and value.
    g = {(a.name, d["start"], d["end"], d["value"]) for a in articles for d in a.dates if d["resolution"] == "day"}
    p = {(a.name, d["start"], d["end"], d["value"]) for a in articles for d in preds[a.name].dates if d["resolution"] == "day"}
    out["day-mention dates (span + value)"] = prf(len(g & p), len(p), len(g))
    g = {(a.name, d["start"], d["end"], d["value"], d["resolution"]) for a in articles for d in a.dates}
    p = {(a.name, d["start"], d["end"], d["value"], d["resolution"]) for a in articles for d in preds[a.name].dates}
    out["all dates (span + value)"] = prf(len(g & p), len(p), len(g))

    # Amounts, ranges with both ends.
    tp = n_pred = n_gold = 0
    for a in articles:
        pred = preds[a.name].amounts
        n_pred += len(pred)
        n_gold += len(a.amounts)
        used: set[int] = set()
        for gitem in a.amounts:
            i = next((i for i, x in enumerate(pred) if i not in used and _amount_hit(gitem, x)), None)
            if i is not None:
                used.add(i)
                tp += 1
    out["amounts (ranges as low/high)"] = prf(tp, n_pred, n_gold)

    # Publication dates the pipeline read.
    pub_ok = sum(a.pipeline_published == a.published for a in articles)
    out["publication dates"] = {
        "correct": pub_ok,
        "of": len(articles),
        "accuracy": round(pub_ok / len(articles), 4) if articles else 0.0,
    }

    if identity is not None:
        out["identity"] = identity_scores(articles, preds, identity, ident)
    out["_speaker_errors"] = wrong
    return out


def identity_scores(articles, preds, identity: dict, ident) -> dict:
    """Alias groups whose found gold mentions all carry one entity id, and look-alike
    pairs whose mentions share none."""
    ids: dict[str, set] = defaultdict(set)
    found_mentions: Counter = Counter()
    for a in articles:
        pred = {(e["start"], e["end"]): ident(e["entity_id"]) for e in preds[a.name].entities}
        for e in a.entities:
            eid = pred.get((e["start"], e["end"]))
            if eid is not None:
                ids[e["canonical"]].add(eid)
                found_mentions[e["canonical"]] += 1
    merged, scored, split = 0, 0, []
    for group in identity["groups"]:
        c = group["canonical"]
        if found_mentions[c] < 2:
            continue
        scored += 1
        if len(ids[c]) == 1:
            merged += 1
        else:
            split.append(f"{c}: {len(ids[c])} ids")
    apart, joined = 0, []
    for pair in identity["apart"]:
        if ids[pair["a"]] & ids[pair["b"]]:
            joined.append(f"{pair['a']} / {pair['b']}")
        else:
            apart += 1
    return {
        "groups one entity": merged,
        "groups scored": scored,
        "groups": len(identity["groups"]),
        "pairs apart": apart,
        "pairs": len(identity["apart"]),
        "split": split,
        "joined": joined,
    }


def identity_from_gold(folder: Path) -> dict:
    """A gold folder's identity.json, or groups derived from its gold.json where it has
    none: every non-NORP canonical written more than one way or in more than one article
    (no look-alike pairs)."""
    path = folder / "identity.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    surfaces: dict[str, set] = defaultdict(set)
    seen_in: dict[str, set] = defaultdict(set)
    labels = {}
    for name, entry in gold.items():
        for e in entry["entities"]:
            surfaces[e["canonical"]].add(e["text"])
            seen_in[e["canonical"]].add(name)
            labels[e["canonical"]] = e["label"]
    groups = [
        {"canonical": c, "label": labels[c], "aliases": sorted(surfaces[c])}
        for c in sorted(surfaces)
        if labels[c] != "NORP" and (len(surfaces[c]) > 1 or len(seen_in[c]) > 1)
    ]
    return {"groups": groups, "apart": [], "derived": True}
