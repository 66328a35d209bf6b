#!/usr/bin/env python3
"""Build articles/*.txt and gold.json of this development set from marked/*.txt (a copy of
bench/dev_persons_world/build.py), and identity.json: the alias groups (every non-NORP canonical
written more than one way or in more than one article) and the look-alike pairs of APART.

A marked file is the article as published, with its annotations inline:

- an entity mention: ``[text|L]``, ``[text|L|canonical]`` or ``[text|L|canonical|CC]``, where
  L is P (PERSON), O (ORG), G (GPE), L (LOC), N (NORP) or E (EVENT), an empty canonical is the
  text itself and CC is the country code of a GPE or LOC;
- a quote: ``⟦quoted words⟧{speaker|verb}`` around the words between the quotation marks (the
  marks stay outside); an empty speaker or verb is null. A trailing comma inside is dropped
  from the gold quote, as tests/gold/README.md says.

    .venv/bin/python bench/dev_identity/build.py && .venv/bin/python tests/gold/check_gold.py bench/dev_identity
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {"P": "PERSON", "O": "ORG", "G": "GPE", "L": "LOC", "N": "NORP", "E": "EVENT"}
TOKEN = re.compile(r"\[([^\[\]|]+)\|([POGLNE])(?:\|([^\]|]*))?(?:\|([A-Z]{2}))?\]|⟦|⟧\{([^}|]*)\|([^}]*)\}")
# Look-alikes that must stay apart (canonical names of gold.json): people sharing a surname in
# other articles, a person and a company or a given name, a city and its football club, two Congos.
APART = [
    ("Charles Kiprono Mutai", "Grace Mutai"),
    ("John Otieno", "Dennis Otieno"),
    ("Lim Wei Keat", "Lim Boon Hock"),
    ("Lee Jae-myung", "Lee Joon-seok"),
    ("Lee Jae-myung", "Lee Kinyanjui"),
    ("Lee Joon-seok", "Lee Kinyanjui"),
    ("Khalid Al Mansouri", "Saeed Al Mansouri"),
    ("Khalid Al Mansouri", "Al Mansouri Group"),
    ("Saeed Al Mansouri", "Al Mansouri Group"),
    ("Al Ain", "Al Ain FC"),
    ("Ulsan", "Ulsan HD FC"),
    ("Sharjah", "Sharjah FC"),
    ("Democratic Republic of the Congo", "Republic of the Congo"),
    ("Democratic Party of Korea", "South Korea"),
]
DATE_LINE = re.compile(
    r"^(?:Date: )?(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})$"
)


def build(marked: str) -> tuple[str, dict]:
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
        # Where the body starts, for tests/gold/check_gold.py (its date line is `Date: …` here).
        "body_start": " ".join(text[body_at:].split()[:6]),
        "published_date": published.isoformat(),
        "entities": [e for _, e in sorted(entities, key=lambda x: x[0])],
        "dates": [],
        "amounts": [],
        "quotes": gold_quotes,
    }


def main() -> None:
    gold = {}
    (HERE / "articles").mkdir(exist_ok=True)
    for path in sorted((HERE / "marked").glob("*.txt")):
        text, entry = build(path.read_text(encoding="utf-8"))
        (HERE / "articles" / path.name).write_text(text, encoding="utf-8")
        gold[path.name] = entry
    (HERE / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    identity = identity_of(gold)
    (HERE / "identity.json").write_text(json.dumps(identity, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(gold)} articles, {len(identity['groups'])} alias groups, {len(identity['apart'])} look-alike pairs")


def identity_of(gold: dict) -> dict:
    """tests/gold/unseen/identity.json's format: groups of the gold's canonical names, and
    pairs that must share no entity id (as tests/gold/evaluate.identity_from_gold derives
    them, plus APART)."""
    surfaces: dict[str, set] = {}
    seen_in: dict[str, set] = {}
    labels = {}
    for name, entry in gold.items():
        for e in entry["entities"]:
            surfaces.setdefault(e["canonical"], set()).add(e["text"])
            seen_in.setdefault(e["canonical"], set()).add(name)
            labels[e["canonical"]] = e["label"]
    for a, b in APART:
        assert a in labels and b in labels, (a, b)
    groups = [
        {"canonical": c, "label": labels[c], "aliases": sorted(surfaces[c])}
        for c in sorted(surfaces)
        if labels[c] != "NORP" and (len(surfaces[c]) > 1 or len(seen_in[c]) > 1)
    ]
    return {"groups": groups, "apart": [{"a": a, "b": b} for a, b in APART]}


if __name__ == "__main__":
    main()
