"""ALL-CAPS text → ordinary case, without moving a character.

The NER model learned from ordinary news text: on `NATO DEFENCE MINISTERS WEIGH EASTERN
FLANK BOOST` it finds organizations and people in every other word. Runs of capitalized
words are given back the case the rest of the article uses for the same word (`RUSSIA` →
`Russia` when the body says Russia), known acronyms keep their capitals (`NATO`), and
everything else is lower-cased. The result has exactly the length of the input, so every
offset the model reports is an offset into the original body.
"""

from __future__ import annotations

import re
from collections import Counter

from transforms.places import is_prominent, lookup_any_case

# Upper-case words (letters, digits, dots, hyphens, apostrophes) with at least 2 letters.
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z0-9.'’&-]*[A-Z0-9]\b\.?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")
# Short words that are words, not acronyms, when a headline shouts them.
_SHORT_WORDS = frozenset(
    """
    a an as at be by do go he if in is it me my no of on or so to up we and are but can for
    had has her him his how its may new not now off one our out say see she the two was who
    why yes yet you all any get got let man put set ten too top use war way win won
    """.split()
)
MIN_RUN = 3  # words in a row; one or two capitalized words are acronyms or emphasis


def caps_runs(text: str) -> list[tuple[int, int]]:
    """Spans of `MIN_RUN` or more consecutive ALL-CAPS words on one line."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    count = 0
    for m in _CAPS_WORD.finditer(text):
        gap = text[end : m.start()] if start is not None else ""
        if start is not None and (gap.strip(" ,:;—–-'\"“”‘’()") or "\n" in gap):
            if count >= MIN_RUN:
                runs.append((start, end))
            start, count = None, 0
        if start is None:
            start = m.start()
        end = m.end()
        count += 1
    if start is not None and count >= MIN_RUN:
        runs.append((start, end))
    return runs


def _case_map(text: str, runs: list[tuple[int, int]]) -> dict[str, str]:
    """Upper-cased word → how the text outside the runs writes it most often."""
    outside = []
    pos = 0
    for s, e in runs:
        outside.append(text[pos:s])
        pos = e
    outside.append(text[pos:])
    forms: dict[str, Counter] = {}
    for chunk in outside:
        for w in _WORD.findall(chunk):
            forms.setdefault(w.upper(), Counter())[w] += 1
    return {upper: counts.most_common(1)[0][0] for upper, counts in forms.items()}


def recase_word(word: str, known: dict[str, str] | None = None, acronyms: frozenset[str] = frozenset()) -> str:
    """One ALL-CAPS word in the case a sentence would write it (same length)."""
    if known and word in known and len(known[word]) == len(word):
        return known[word]
    bare = word.strip(".'’")
    if bare in acronyms or (len(bare) <= 4 and bare.lower() not in _SHORT_WORDS and "." in word):
        return word
    # Only well-known places: GeoNames also has places called `Flank` or `Reading`.
    place = lookup_any_case(bare)
    if place is not None and place.name.casefold() == bare.casefold() and is_prominent(place.name):
        return word.replace(bare, place.name)
    lower = word.lower()
    return lower if len(lower) == len(word) else word


# One or two ALL-CAPS words opening a line before a comma, a figure or the line's end: a
# dateline's or a table row's place (`BEIJING 1996-08-30`, `NEW YORK, Aug 30`, `MIAMI 14 5`).
_LINE_OPENING = re.compile(r"(?m)^([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)?)(?=\s*(?:,|\d|$))")


def _opening_places(text: str, acronyms: frozenset[str]) -> list[tuple[int, int, str]]:
    """Line-opening capitals (`_LINE_OPENING`) that name a prominent place, too short for a
    run of their own, with the place's own spelling."""
    found: list[tuple[int, int, str]] = []
    for m in _LINE_OPENING.finditer(text):
        name = m.group(1)
        if name in acronyms or any(w in acronyms for w in name.split()):
            continue
        place = lookup_any_case(name)
        if place is not None and place.name.casefold() == name.casefold() and is_prominent(place.name):
            found.append((m.start(1), m.end(1), place.name))
    return found


def recase_caps(text: str, acronyms: frozenset[str] = frozenset()) -> str:
    """`text` with its ALL-CAPS runs in ordinary case, character for character the same
    length. `acronyms` are words kept in capitals (`NATO`, `US`). A prominent place opening
    a line on its own (`BEIJING 1996-08-30`) is recased too."""
    runs = caps_runs(text)
    for s, e, name in _opening_places(text, acronyms):
        if not any(a < e and s < b for a, b in runs) and len(name) == e - s:
            text = text[:s] + name + text[e:]
    if not runs:
        return text
    known = _case_map(text, runs)
    out = []
    pos = 0
    for s, e in runs:
        out.append(text[pos:s])
        out.append(_CAPS_WORD.sub(lambda m: recase_word(m.group(0), known, acronyms), text[s:e]))
        pos = e
    out.append(text[pos:])
    result = "".join(out)
    return result if len(result) == len(text) else text


def is_all_caps(text: str) -> bool:
    """At least two letters, all capitals (`NATO`, `KYIV`, `U.S.`)."""
    return text.isupper() and sum(c.isalpha() for c in text) >= 2


def display_case(name: str, acronyms: frozenset[str] = frozenset()) -> str:
    """How to show a name found in ALL CAPS: `VLADIMIR PUTIN` → `Vladimir Putin`,
    `NATO` stays; names already in mixed case are returned as they are."""
    if not is_all_caps(name) or (len(name) <= 5 and " " not in name) or name.strip(".") in acronyms:
        return name
    words = []
    for word in name.split(" "):
        bare = word.strip(".")
        if bare in acronyms or "." in bare:
            words.append(word)
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)
