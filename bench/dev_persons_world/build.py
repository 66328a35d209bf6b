#!/usr/bin/env python3
"""Build articles/*.txt and gold.json of this development set from marked/*.txt.

A marked file is the article as published, with its annotations inline:

- an entity mention: ``[text|L]``, ``[text|L|canonical]`` or ``[text|L|canonical|CC]``, where
  L is P (PERSON), O (ORG), G (GPE), L (LOC), N (NORP) or E (EVENT), an empty canonical is the
  text itself and CC is the country code of a GPE or LOC;
- a quote: ``⟦quoted words⟧{speaker|verb}`` around the words between the quotation marks (the
  marks stay outside); an empty speaker or verb is null. A trailing comma inside is dropped
  from the gold quote, as tests/gold/README.md says.

    .venv/bin/python bench/dev_persons_world/build.py && .venv/bin/python tests/gold/check_gold.py bench/dev_persons_world
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {"P": "PERSON", "O": "ORG", "G": "GPE", "L": "LOC", "N": "NORP", "E": "EVENT"}
TOKEN = re.compile(r"\[([^\[\]|]+)\|([POGLNE])(?:\|([^\]|]*))?(?:\|([A-Z]{2}))?\]|⟦|⟧\{([^}|]*)\|([^}]*)\}")
DATE_LINE = re.compile(
    r"^(?:Date: )?(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})$"
)


def build(marked: str, *, body_start: bool = False) -> tuple[str, dict]:
    """The article's text and gold entry of one marked file; with `body_start`, the entry says
    where the body starts (for tests/gold/check_gold.py, when the date line reads `Date: …`)."""
    out: list[str] = []
    length = 0
    entities, quotes, open_at = [], [], []
    pos = 0
    for m in TOKEN.finditer(marked):
        piece = marked[pos : m.start()]
        out.append(piece)
        length += len(piece)
        pos = m.end()
        if m.group(1) is not None:
            text, label, canonical, country = m.group(1), LABELS[m.group(2)], m.group(3) or m.group(1), m.group(4)
            entities.append((length, {"text": text, "label": label, "canonical": canonical, "country": country}))
            out.append(text)
            length += len(text)
        elif m.group(0) == "⟦":
            open_at.append(length)
        else:
            start = open_at.pop()
            quotes.append((start, length, m.group(5) or None, m.group(6) or None))
    out.append(marked[pos:])
    text = "".join(out)
    assert not open_at, "unclosed ⟦"
    body_at = 0
    published = None
    for line in text.splitlines()[:6]:
        if DATE_LINE.match(line.strip()):
            published = dt.datetime.strptime(line.strip().removeprefix("Date: "), "%B %d, %Y").date()
            body_at = text.index(line) + len(line)
            break
    assert published, "no date line"
    gold_quotes = []
    for start, end, speaker, verb in sorted(quotes):
        assert start >= body_at
        words = text[start:end].strip()
        words = words[:-1].rstrip() if words.endswith(",") else words
        gold_quotes.append({"quote": " ".join(words.split()), "speaker": speaker, "verb": verb})
    assert all(at >= body_at for at, _ in entities), "entity before the body"
    return text, {
        **({"body_start": " ".join(text[body_at:].split()[:6])} if body_start else {}),
        "published_date": published.isoformat(),
        "entities": [e for _, e in sorted(entities, key=lambda x: x[0])],
        "dates": [],
        "amounts": [],
        "quotes": gold_quotes,
    }


def main(here: Path = HERE, *, body_start: bool = False) -> dict:
    """Build the set in `here` (this folder, or another set written in the same marked format:
    bench/dev_persons_world2, bench/dev_identity) and return its gold."""
    gold = {}
    (here / "articles").mkdir(exist_ok=True)
    for path in sorted((here / "marked").glob("*.txt")):
        text, entry = build(path.read_text(encoding="utf-8"), body_start=body_start)
        (here / "articles" / path.name).write_text(text, encoding="utf-8")
        gold[path.name] = entry
    (here / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(gold)} articles")
    return gold


if __name__ == "__main__":
    main()
