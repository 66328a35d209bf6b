"""Development scores for issue 12's speaker, date and amount rules, on bench/dev_issue12.

    .venv/bin/python bench/issue12_dev.py        # the table
    .venv/bin/python bench/issue12_dev.py -v     # and every miss
    .venv/bin/python bench/issue12_dev.py --dev bench/dev_speakers -v   # the speakers-only set

These 15 short articles were written by the developer of those rules, while writing
them: they are development data, NOT evidence of accuracy (the held-out gold set is
scored separately). Each file goes through the real pipeline (`prepare` with its path
relative to the folder as key, as `wirehouse run` passes it, then `annotate` with the
default spaCy model).

bench/dev_speakers (12 articles, 37 quotes, seventh session) holds speakers only: its
entries carry `"scope": "speakers"` and are scored on speakers alone.

Scores:
- publication date: the article's date and its `date_source`;
- speaker accuracy: gold quotes whose predicted quote (overlapping text) has the gold
  speaker as its mart speaker (`mart_speaker`: `speaker_name`, else `speaker_text` unless a pronoun or `the …`), over all gold quotes;
- day dates: day-resolution mentions with the gold value whose text contains (or is
  contained in) the gold text; precision, recall, F1;
- amounts: overlapping text, same value, low and high ends, same head noun of the unit
  (before issue 12 there were no ends: a single number's ends are its value, a range's
  are unknown); precision, recall, F1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.annotation import annotate  # noqa: E402
from transforms.article import RawDocument, prepare  # noqa: E402
from transforms.nlp import DEFAULT_MODEL, load_pipeline  # noqa: E402

DEV = ROOT / "bench" / "dev_issue12"


def _norm(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split()).strip(' ,."').lower()


def _name(text: str | None) -> str:
    text = (text or "").strip()
    return text[4:].lower() if text.lower().startswith("the ") else text.lower()


def mart_speaker(quote) -> str | None:
    """A quote's speaker as the `quotes` mart gives it (sql/marts/quotes.sql): the entity's
    name, else the text as written unless a pronoun or a `the …` role it could not resolve."""
    if quote.speaker_name:
        return quote.speaker_name
    text = quote.speaker_text
    if text and text.lower() not in ("he", "she", "it", "they", "him", "her", "them") and not text.lower().startswith("the "):
        return text
    return None


def _prf(tp: int, pred: int, gold: int) -> str:
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.2f}  R {r:.2f}  F1 {f:.2f}  ({tp}/{pred} predicted, {tp}/{gold} gold)"


def main(argv: list[str]) -> int:  # noqa: C901
    verbose = "-v" in argv
    dev = Path(argv[argv.index("--dev") + 1]) if "--dev" in argv else DEV
    gold = json.loads((dev / "gold.json").read_text(encoding="utf-8"))
    prepared = []
    for key in sorted(gold):
        data = (dev / "articles" / key).read_bytes()
        ok, bad = prepare(RawDocument(path=key, key=key, data=data, sha256=""), today=dt.date(2026, 1, 1))
        assert ok, (key, bad)
        prepared.append(ok[0])
    prepared, failed = annotate(prepared, load_pipeline(DEFAULT_MODEL))
    assert not failed, failed
    misses: list[str] = []
    pub_ok = src_ok = 0
    q_ok = q_gold = 0
    d_tp = d_pred = d_gold = 0
    a_tp = a_pred = a_gold = 0
    speakers_only = 0
    for p in prepared:
        g = gold[p.doc.key]
        if g.get("scope") == "speakers":
            speakers_only += 1
            g = {**g, "date_source": p.header.date_source, "dates": [], "amounts": [], "skip": True}
        got = p.header.published_date.isoformat() if p.header.published_date else None
        pub_ok += got == g["published_date"]
        src_ok += got == g["published_date"] and p.header.date_source == g["date_source"]
        if got != g["published_date"] or p.header.date_source != g["date_source"]:
            misses.append(
                f"{p.doc.key}: published {got} ({p.header.date_source}), gold {g['published_date']} ({g['date_source']})"
            )
        # Speakers.
        for gq in g["quotes"]:
            q_gold += 1
            want = gq["speaker"] if isinstance(gq["speaker"], list) else [gq["speaker"]]
            hits = [q for q in p.quotes if _norm(gq["quote"]) in _norm(q.text) or _norm(q.text) in _norm(gq["quote"])]
            speaker = mart_speaker(hits[0]) if hits else None
            if hits and _name(speaker) in {_name(w) for w in want}:
                q_ok += 1
            else:
                misses.append(
                    f"{p.doc.key}: quote {gq['quote'][:40]!r} speaker {speaker!r}, gold {want[0]!r}"
                    + ("" if hits else " (quote not found)")
                )
        if g.get("skip"):
            continue
        # Day dates.
        days = [d for d in p.dates if d.resolution == "day"]
        d_pred += len(days)
        d_gold += len(g["dates"])
        used: set[int] = set()
        for gd in g["dates"]:
            match = next(
                (
                    i
                    for i, d in enumerate(days)
                    if i not in used
                    and d.value == gd["value"]
                    and (gd["text"].lower() in d.text.lower() or d.text.lower() in gd["text"].lower())
                ),
                None,
            )
            if match is None:
                near = [
                    f"{d.text}={d.value}"
                    for d in days
                    if gd["text"].lower() in d.text.lower() or d.text.lower() in gd["text"].lower()
                ]
                misses.append(f"{p.doc.key}: date {gd['text']!r} gold {gd['value']}, got {near}")
            else:
                used.add(match)
                d_tp += 1
        for i, d in enumerate(days):
            if i not in used:
                misses.append(f"{p.doc.key}: extra day date {d.text!r}={d.value}")
        # Amounts.
        amounts = list(p.amounts)
        a_pred += len(amounts)
        a_gold += len(g["amounts"])
        used = set()
        body = p.body
        for ga in g["amounts"]:
            start = body.find(ga["text"])
            end = start + len(ga["text"])
            found = None
            for i, a in enumerate(amounts):
                if i in used or not (a.char_start < end and start < a.char_end):
                    continue
                low = getattr(a, "value_low", a.value if a.qualifier != "up to" else None)
                high = getattr(a, "value_high", a.value if a.qualifier != "up to" else None)
                same = (
                    abs(a.value - ga["value"]) < 1e-6 * max(1, ga["value"])
                    and low is not None
                    and high is not None
                    and abs(low - ga["value_low"]) < 1e-6 * max(1, ga["value_low"])
                    and abs(high - ga["value_high"]) < 1e-6 * max(1, ga["value_high"])
                    and a.unit.split()[-1].lower() == ga["unit"].split()[-1].lower()
                )
                if same:
                    found = i
                    break
            if found is None:
                near = [
                    (a.text, a.value, getattr(a, "value_low", None), getattr(a, "value_high", None), a.unit)
                    for a in amounts
                    if a.char_start < end and start < a.char_end
                ]
                misses.append(f"{p.doc.key}: amount {ga['text']!r} got {near}")
            else:
                used.add(found)
                a_tp += 1
        for i, a in enumerate(amounts):
            if i not in used:
                misses.append(f"{p.doc.key}: extra amount {a.text!r}={a.value} {a.unit}")
    n = len(prepared)
    print(f"development set ({dev}, written with the rules: not evidence)")
    if speakers_only:
        print(f"({speakers_only} of {n} articles scored on speakers and publication dates only)")
    print(f"publication date      {pub_ok}/{n} right, {src_ok}/{n} with the right date_source")
    print(f"speaker accuracy      {q_ok}/{q_gold} = {q_ok / q_gold:.2f}")
    print(f"day dates             {_prf(d_tp, d_pred, d_gold)}")
    print(f"amounts               {_prf(a_tp, a_pred, a_gold)}")
    if verbose:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
