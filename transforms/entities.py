"""NER mentions → trimmed spans → canonical entities.

A mention's `entity_id` is a hash of its canonical key (entity kind + alias key of the
canonical name), so the same entity gets the same id in every batch, every run and every
process without any shared state:

- the reference aliases map spellings to one name (`Nato`, `North Atlantic Treaty
  Organization` → `NATO`; `US`, `U.S.` → `United States`);
- within an article, a surname alone resolves to the full name used there (`Milley` →
  `Mark Milley`), and `Full Name (ACRONYM)` pairs resolve to one another;
- case, dots and spacing never split an entity (`Nato` and `NATO` share a key);
- places known to the gazetteer are GPE whatever the model said (`Minsk` as ORG).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from transforms.places import lookup as lookup_place
from transforms.reference import DEFAULT_REFERENCE, Reference, alias_key

# Which labels can name the same thing (an id never joins a person and a country).
_KIND = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|sir|dame|gen|general|president|prime minister|minister|"
    r"secretary|senator|sen|rep|gov|governor|chancellor|king|queen|pope|lt|col|maj|capt)\.?\s+)+",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s|(?<=s)['’])$|[\s,;:'’\"“”()\-–—]+$")
_LEADING_PUNCT = re.compile(r"^[\s,.;:'’\"“”()\-–—]+")


@dataclass(frozen=True)
class Mention:
    sentence_idx: int
    text: str
    label: str
    char_start: int
    char_end: int
    entity_id: str
    canonical_name: str


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) of `text` to the name: no leading determiner (`the Soviet
    Union` → `Soviet Union`), no possessive (`Union's` → `Union`), no stray punctuation."""
    while True:
        span = text[start:end]
        if m := _LEADING.match(span):
            start += m.end()
        elif m := _LEADING_PUNCT.match(span):
            start += m.end()
        elif m := _TRAILING.search(span):
            if m.start() == 0:
                break
            end = start + m.start()
        else:
            break
    return start, end


def entity_id(kind: str, canonical_name: str) -> str:
    return hashlib.sha1(f"{kind}:{alias_key(canonical_name)}".encode()).hexdigest()[:16]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper()).upper()


def canonicalize(
    raw: list[tuple[int, int, str]],
    body: str,
    sentence_starts: list[int],
    reference: Reference = DEFAULT_REFERENCE,
) -> list[Mention]:
    """Mentions of one article from the model's (start, end, label) spans over `body`."""
    import bisect

    spans: list[tuple[int, int, str]] = []
    for start, end, label in raw:
        start, end = trim_span(body, start, end)
        if end - start < 1 or "\n" in body[start:end]:
            continue
        spans.append((start, end, label))

    names: list[tuple[str, str]] = []  # (canonical name, label) per span
    for start, end, label in spans:
        text = " ".join(body[start:end].split())
        if alias := reference.aliases.get(alias_key(text)):
            names.append(alias)
            continue
        place = lookup_place(text)
        if place and label in ("ORG", "GPE", "LOC"):
            names.append((place.name, "GPE"))
            continue
        if label == "PERSON":
            text = _TITLES.sub("", text) or text
        names.append((text, label))

    # Within the article: a lone surname takes the full name it shortens.
    full_names = [name for name, label in names if label == "PERSON" and len(name.split()) >= 2]
    for i, (name, label) in enumerate(names):
        if label == "PERSON" and len(name.split()) == 1:
            matches = [full for full in full_names if full.split()[-1] == name]
            if matches:
                names[i] = (matches[0], label)
    # `Full Name (ACRONYM)` / `ACRONYM (Full Name)`: the two are one entity.
    for i in range(len(spans) - 1):
        (s1, e1, _), (s2, e2, _) = spans[i], spans[i + 1]
        between = body[e1:s2]
        if between.strip() == "(" and body[e2 : e2 + 1] == ")":
            a, b = names[i][0], names[i + 1][0]
            if _initials(a) == alias_key(b).upper().replace(" ", ""):
                names[i] = names[i + 1]
            elif _initials(b) == alias_key(a).upper().replace(" ", ""):
                names[i + 1] = names[i]

    mentions = []
    for (start, end, _), (canonical, label) in zip(spans, names):
        kind = _KIND.get(label, label)
        mentions.append(
            Mention(
                sentence_idx=max(0, bisect.bisect_right(sentence_starts, start) - 1),
                text=body[start:end],
                label=label,
                char_start=start,
                char_end=end,
                entity_id=entity_id(kind, canonical),
                canonical_name=canonical,
            )
        )
    return mentions
