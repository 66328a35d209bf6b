"""NER mentions → trimmed spans → canonical entities.

A mention's `entity_id` is a hash of its canonical key (entity kind + the key of the
canonical name), so the same entity gets the same id in every batch, every run and every
process without any shared state:

- the reference aliases map spellings to one name (`Nato`, `North Atlantic Treaty
  Organization` → `NATO`; `US`, `U.S.` → `United States`);
- a person's key folds transliteration variants (`Aleksandr`/`Alexander`,
  `Sergei`/`Sergey`, `Zelenskiy`/`Zelenskyy`/`Zelensky`), and the name shown uses the
  common English spelling, so every variant gets the same id *and* the same name;
- within an article, a short form resolves to the full name used there (`Milley`,
  `General Milley` → `Mark Milley`); when two people share the surname, a gendered
  honorific decides (`Ms Johnson`), else the first one named;
- a one-word mention the model mislabelled takes the entity whose short form it is
  (`Stoltenberg` as ORG → the person; `Eunice` → `Storm Eunice`);
- names as English-language papers outside the US/UK/EU write them: honorifics stay out of
  the span (`Datuk Seri`, `Tan Sri`, `Alhaji`, `Mallam`, `Chief`); a person's span takes the
  rest of the name the model left out (`binti Salleh`, `Al Maktoum`, `-Bissessar`, a nickname
  in quotes); a given name alone is the person named in full (`Anwar`, `Zahid`, `Sheikh
  Mohammed`), a nickname alone too (`Bato`); a name after a title or role noun, set off by
  one, or after a country's possessive is a person's (`Justice Mansoor`, `spokesman Bayo
  Onanuga`, `China's Shi Yu Qi`); a party named by its nation is one organization
  (`Scottish Labour`);
- `Full Name (ACRONYM)` pairs and an acronym of an organization named in full in the
  same article resolve to one another;
- a country word in front of a government body is a mention of its own, and owns the body
  when the body's name alone does not say whose it is (`Ukrainian Foreign Ministry` →
  `Ukrainian` + `Foreign Ministry` named `Ukrainian Foreign Ministry`; `Russia's Security
  Council` → `Russian Security Council`, kept apart from the UN's);
- case, dots and spacing never split an entity (`Nato` and `NATO` share a key), and names
  printed in capitals are shown in ordinary case;
- places known to the gazetteer are GPE whatever the model said (`Minsk` as ORG), carry
  their ISO country code and coordinates, and take the gazetteer's name (`Odessa` → Odesa).

Numbers and dates (CARDINAL, MONEY, DATE, …) are not entities: see transforms.amounts and
transforms.dates_mentioned.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from transforms.casing import display_case, is_all_caps, recase_caps
from transforms.english import english_words
from transforms.given_names import given_name_table, is_given_name, name_frequency
from transforms.literals import any_word, find_literals
from transforms.places import (
    AMBIGUOUS_PLACE_NAMES,
    DEMONYMS,
    Place,
    by_other_spelling,
    country_words,
    demonym,
    demonym_country,
    geocode,
    is_prominent,
    us_state_name,
)
from transforms.places import lookup as lookup_place
from transforms.places import lookup_folded as lookup_place_any_case
from transforms.reference import (
    DEFAULT_REFERENCE,
    FEMALE_FIRST_NAMES,
    FIRST_NAME_VARIANTS,
    MALE_FIRST_NAMES,
    NOT_ENTITIES,
    TITLE_WORDS,
    Reference,
    alias_key,
)

# Labels that name things; the others (numbers, dates, times) have tables of their own.
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
# Which labels can name the same thing (an id never joins a person and a country).
_KIND = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_PLACE_LABELS = frozenset(_KIND)

# Honorifics of the rest of the English-speaking world, never part of the name (Malaysian
# `Datuk Seri`, `Tan Sri`, `Tun`, `Datin`; `Haji`, `Alhaji`, `Mallam`, `Maulana`; Nigerian
# `Chief`, `Engr`; `His Highness`); with `Mr`, `Dr` …, a span of nothing else is no name.
_WORLD_HONORIFICS = (
    r"tun|tan sri|toh puan|puan sri|datuk seri|dato['’]? seri|datuk|dato['’]?|datin seri|datin|dato['’]? sri|"
    r"haji|hajjah|hj|alhaji|alhaja|hajia|mallam|malam|maulana|mufti|imam|ustaz|ustazah|pastor|chief|engr|"
    r"his highness|her highness|his excellency|her excellency|hon|sheikha|shaikh|sheikh|sultan|"
    r"mr|mrs|ms|dr|prof|sir|dame|madam|ma['’]am"
)
_WORLD_TITLES = re.compile(r"^(?:(?:" + _WORLD_HONORIFICS + r")\.?\s+)+", re.IGNORECASE)
_ONLY_HONORIFICS = re.compile(r"^(?:(?:" + _WORLD_HONORIFICS + r")\.?(?:\s+|$))+$", re.IGNORECASE)
_MALE_TITLES = r"mr|sir|lord|king|prince|monsieur|herr"
_FEMALE_TITLES = r"mrs|ms|miss|madam|madame|dame|lady|queen|princess|frau"
_TITLES = re.compile(
    r"^(?:(?:" + _MALE_TITLES + "|" + _FEMALE_TITLES + r"|dr|prof|professor|gen|general|lieutenant general|"
    r"major general|brigadier general|lt|col|colonel|maj|major|capt|captain|adm|admiral|sgt|sergeant|"
    r"president|vice president|prime minister|deputy prime minister|foreign minister|defen[cs]e minister|"
    r"minister|foreign secretary|defen[cs]e secretary|home secretary|secretary of state|secretary general|"
    r"secretary-general|secretary|senator|sen|rep|representative|gov|governor|chancellor|ambassador|envoy|"
    r"spokesman|spokeswoman|spokesperson|pope|cardinal|archbishop|bishop|rev|reverend|father|sheikh|"
    r"emir|ayatollah|judge|justice|mayor|speaker|premier|leader|councillor|cllr|councilor|councilman|councilwoman|"
    r"alderman|mp|lawmaker|deputy|chief executive|ceo|chairman|chairwoman|chair|" + _WORLD_HONORIFICS + r")\.?\s+)+",
    re.IGNORECASE,
)
_GENDER_OF_TITLE = re.compile(r"^(?:(" + _MALE_TITLES + r")|(" + _FEMALE_TITLES + r"))\.?\s", re.IGNORECASE)
_ORG_TRAILING_TITLE = re.compile(
    r"(?:\s+(?:major|lieutenant|brigadier)?\s*(?:general|secretary|president|minister|chief|spokesman|"
    r"spokeswoman|ambassador|envoy|chairman|director))+$",
    re.IGNORECASE,
)
_TITLED_NAME = re.compile(
    r"^(?:councillor|councilor|mayor|senator|governor|minister|president|mr|mrs|ms|dr|prof|judge)\.?"
    r"(?:\s+[A-Z][a-z’'-]+){2,3}$",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s|(?<=s)['’])$|[\s,;:'’\"“”()\-–—]+$")
_LEADING_PUNCT = re.compile(r"^[\s,.;:'’\"“”()\-–—]+")
# `ex-Soviet`, `pro-Russian`, `anti-NATO`: the prefix is not part of the name.
_PREFIX = re.compile(r"^(?:ex|pro|anti|non|post|pre|neo|pan|trans|former)-(?=[A-Z])")
_PAIR = re.compile(r"^([A-Z][\w.]+)[-–]([A-Z][\w.]+)$")

# Events by their first or last words; an organization or work the model found that is
# followed by one of _EVENT_NOUNS is the name of an event (`"Allied Resolve" drills`).
_EVENT_FIRST = re.compile(r"^(?:storm|hurricane|typhoon|cyclone|tropical storm|operation)\s", re.IGNORECASE)
_EVENT_WORDS = re.compile(r"\b(?:olympics|olympic games|paralympics|world cup|winter games|summer games)$", re.I)
_EVENT_NOUNS = re.compile(r"^[\s\"”’']*(?:joint\s+)?(?:military\s+)?(?:drills?|exercises?|war games)\b")

# Government bodies: a country word in front of one is its own mention (`U.S. Joint
# Chiefs of Staff` → `U.S.` + `Joint Chiefs of Staff`)…
_GOVERNMENT = re.compile(
    r"^(?:(?:[A-Z][a-z]+ )?ministry(?: of [\w ]+)?|(?:[A-Z][a-z]+ )?department|department of [\w ]+|"
    r"(?:[A-Z][a-z]+ )?office|security council|parliament|government|cabinet|armed forces|general staff|"
    r"(?:joint )?chiefs of staff|army|navy|air force|military|embassy|border guard(?: service)?|coast guard|"
    r"police|central bank|supreme court|constitutional court|congress|senate|treasury|"
    r"(?:[A-Z][a-z]+ )?intelligence(?: service| agency)?|national guard|defen[cs]e forces|duma|"
    r"investigative committee|prosecutor general's office)$",
    re.IGNORECASE,
)
# …and it owns those that do not say whose they are (`Ukrainian` + `Foreign Ministry`).
_NEEDS_OWNER = re.compile(
    r"^(?:(?:[A-Z][a-z]+ )?ministry(?: of [\w ]+)?|security council|parliament|government|cabinet|"
    r"armed forces|general staff|army|navy|air force|military|embassy|border guard(?: service)?|"
    r"coast guard|police|central bank|supreme court|constitutional court|defen[cs]e forces|"
    r"(?:[A-Z][a-z]+ )?intelligence(?: service| agency)?|investigative committee)$",
    re.IGNORECASE,
)

# Person keys: what a transliteration may change at the end of a surname.
_SURNAME_KEY = re.compile(r"(?<=[sc]k)(?:yy|iy|ii|yi|i)$")
_SURNAME_SHOWN = re.compile(r"(?<=[sc]k)(?:yy|iy|ii|yi)$")
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|yich)$")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True)
class Mention:
    sentence_idx: int
    text: str
    label: str
    char_start: int
    char_end: int
    entity_id: str
    canonical_name: str
    # Places only: ISO 3166 alpha-2 (SU for the Soviet Union) and a point for a map.
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    # What entity_id hashes (`PERSON:sergey lavrov`): lets SQL merge across articles.
    entity_key: str = ""


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) of `text` to the name: no leading determiner (`the Soviet
    Union` → `Soviet Union`), no possessive (`Union's` → `Union`), no stray punctuation,
    no `ex-` in front (`ex-Soviet` → `Soviet`)."""
    while True:
        span = text[start:end]
        if m := _LEADING.match(span):
            start += m.end()
        elif m := _LEADING_PUNCT.match(span):
            start += m.end()
        elif m := _PREFIX.match(span):
            start += m.end()
        elif m := _TRAILING.search(span):
            if m.start() == 0:
                break
            end = start + m.start()
        else:
            break
    return start, end


# --- fragments ---------------------------------------------------------------------------

# Lower-case words that belong to a name (`Charles de Gaulle`, `Ursula von der Leyen`).
_PARTICLES = frozenset("de da di do dos das du del della der den van von ter la le al el bin ibn ben bint".split())
_DASH_CREDIT = re.compile(r"\s+[-–—]\s+")
_INNER_POSSESSIVE = re.compile(r"['’]s?\s+(?=\S)")
_AND = re.compile(r"\s+(?:and|&)\s+")
_OPENERS, _CLOSERS = "([{", ")]}"
# Words an organization's name ends in before its number (`Channel 4`, `Radio 1`, `Formula 1`).
_NUMBERED_NAMES = frozenset("Channel Radio Formula TV Studio Canal Kanal Group League Division Section".split())
# Labels whose names hold no figure as a word of their own, but for an organization's or a
# building's number at the end (`Nord Stream 2`, `Terminal 5`); products and events may
# (`Windows 95`, `Euro 96`).
_FIGURE_FREE = frozenset({"PERSON", "ORG", "FAC", "GPE", "LOC", "NORP"})
# A figure standing as a word: a score, a count, a tally (`63`, `4-37`, `108-3`, `1/2`, `15,000`).
_FIGURE = re.compile(r"\d[\d.,:/-]*\d?")


def fragment_parts(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:  # noqa: C901
    """The names inside a span the model cut badly, trimmed (see trim_span); none when it is
    only a fragment. A name never has an unbalanced bracket (`Putin (Kremlin` → `Putin`,
    `Reuters) Biden` → `Biden`), a possessive tail (`Putin’s European` → `Putin`), a leading
    lower-case word (`kick Putin` → `Putin`; `de Gaulle` keeps its particle) or a trailing
    one (`Xinhua news agency` → `Xinhua`), a dash credit
    (`Joe Biden - Reuters` → `Joe Biden`); two people joined by `and` are two names
    (`Putin and Biden`), as are two places (`Kyiv and Kharkiv`) unless the whole is one
    place (`Bosnia and Herzegovina`)."""
    start, end = trim_span(text, start, end)
    span = text[start:end]
    # Brackets: cut at the first unbalanced one, keeping the side that holds a capital.
    depth, cut = 0, None
    for i, ch in enumerate(span):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            if depth == 0:
                cut = ("after", i)
                break
            depth -= 1
    if cut is None and depth > 0:
        opens = [i for i, ch in enumerate(span) if ch in _OPENERS]
        cut = ("before", opens[-depth])
    if cut is not None:
        side, i = cut
        if side == "before":
            return fragment_parts(text, start, start + i, label) if i else []
        return fragment_parts(text, start + i + 1, end, label) if i + 1 < len(span) else []
    if m := _DASH_CREDIT.search(span):
        return fragment_parts(text, start, start + m.start(), label) if m.start() else []
    if parts := _around_figures(text, start, end, label):
        return [p for a, b in parts for p in fragment_parts(text, a, b, label)]
    if label in ("PERSON", "GPE", "NORP") and (m := _INNER_POSSESSIVE.search(span)):
        head = span[: m.start()]
        # A place's own possessive stays (`Donetsk People's Republic`); a place's tail goes
        # only after a place (`Ukraine's Donbas` → `Ukraine`).
        if label == "PERSON" or (lookup_place(head) is not None or demonym_country(head)) and lookup_place(span) is None:
            return fragment_parts(text, start, start + m.start(), label) if m.start() else []
    words = list(re.finditer(r"\S+", span))
    lead = 0
    while lead < len(words) - 1:
        w = words[lead].group()
        if not (w.isalpha() and w.islower()) or w in _PARTICLES:
            break
        lead += 1
    if lead:
        return fragment_parts(text, start + words[lead].start(), end, label)
    tail = len(words)
    while tail > 1 and (w := words[tail - 1].group()).isalpha() and w.islower():
        tail -= 1
    if tail < len(words):
        return fragment_parts(text, start, start + words[tail - 1].end(), label)
    if label in ("PERSON", "GPE", "LOC") and (m := _AND.search(span)):
        left, right = span[: m.start()], span[m.end() :]
        joined_place = label != "PERSON" and lookup_place(" ".join(span.split())) is not None
        if not joined_place and left[:1].isupper() and right[:1].isupper():
            return fragment_parts(text, start, start + m.start(), label) + fragment_parts(text, start + m.end(), end, label)
    if not any(c.isupper() for c in span):
        return []
    return [(start, end)]


def _around_figures(text: str, start: int, end: int, label: str) -> list[tuple[int, int]] | None:
    """The names in a span that runs over the figures of a results line or a scorecard
    (`Pohang 3 Ulsan 2` → `Pohang`, `Ulsan`; `J. Ratcliffe 63` → `J. Ratcliffe`), or None
    when no figure is in the way. Two figures or more split the span at each; one figure at
    the end goes, but not an organization's or a building's own number (`Nord Stream 2`,
    `Terminal 5`). Products and events keep theirs (`Windows 95`, `Euro 96`)."""
    if label not in _FIGURE_FREE:
        return None  # `Windows 95`, `Euro 96`, `Boeing 747`
    words = list(re.finditer(r"\S+", text[start:end]))
    figures = [i for i, w in enumerate(words) if _FIGURE.fullmatch(w.group())]
    if not figures or len(figures) == len(words):
        return None
    if len(figures) >= 2:
        parts: list[tuple[int, int]] = []
        run: list[re.Match[str]] = []
        for i, w in enumerate(words):
            if i in figures:
                if run:
                    parts.append((start + run[0].start(), start + run[-1].end()))
                run = []
            else:
                run.append(w)
        if run:
            parts.append((start + run[0].start(), start + run[-1].end()))
        return parts
    last = words[-1].group()
    # An organization may end in its number (`Nord Stream 2`, `Terminal 5`); a score (`2-1`),
    # a tally of hundreds or a number ending a table's line is not one.
    ends_line = text[end : end + 1] in ("", "\n")
    numbered = (
        label in ("ORG", "FAC")
        and "-" not in last
        and (words[-2].group() in _NUMBERED_NAMES or not (ends_line or len(last) >= 3))
    )
    if figures == [len(words) - 1] and not numbered:
        return [(start, start + words[-2].end())]
    return None


def _strip_title(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """A person's span without the titles in front (`Ms Johnson` → `Johnson`), and the
    gender the honorific says ("m", "f" or None)."""
    span = text[start:end]
    m = _TITLES.match(span)
    if not m or m.end() >= len(span):
        return start, end, None
    g = _GENDER_OF_TITLE.match(span)
    gender = None if g is None else ("m" if g.group(1) else "f")
    return start + m.end(), end, gender


def _after_a_role_word(body: str, start: int, end: int) -> int:
    """Where a person's span starts without the capitalized common words the model took in
    front of the name (`Composer A. R. Rahman`, `Prop Eroni Mawi`, `Crown Prince Mohammed bin
    Salman`, a sentence's first word): each a frequent English word and no given name, with a
    name of two words or more after it (name-shaped words, initials, joiners; a given name,
    an initial or a title first, or a last word that is no frequent English word). Titles go
    next (_strip_title)."""
    while True:
        words = list(_WORD_AT.finditer(body, start, end))
        if len(words) < 3:
            return start
        first, rest = words[0].group(), [w.group() for w in words[1:]]
        low = first.lower()
        if not first[:1].isupper() or english_words()[low] < 1000 or low in _FIRST_NAMES or low in given_name_table():
            return start
        if not all(_name_shaped(w) or _INITIAL.fullmatch(w) or w in _JOINERS for w in rest):
            return start
        named = is_given_name(rest[0]) or _INITIAL.fullmatch(rest[0]) or _TITLES.match(rest[0] + " ")
        if not named and english_words()[rest[-1].lower()] >= 1000:
            return start
        start = words[1].start()


_WORD_AT = re.compile(r"\S+")


# --- keys and names -------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def person_key_tokens(name: str) -> tuple[str, ...]:
    """The parts of a person's name that identify them: lower-cased, dots and hyphens
    folded, initials, `Jr.` and patronymics dropped, transliteration variants folded."""
    tokens = alias_key(name).split()
    if not tokens:
        return ()
    kept = []
    for i, tok in enumerate(tokens):
        if len(tok) == 1 and len(tokens) > 1 or tok in _NAME_SUFFIXES and i:
            continue
        if 0 < i < len(tokens) - 1 and _PATRONYMIC.search(tok):
            continue
        tok = FIRST_NAME_VARIANTS.get(tok, tok).lower() if i < len(tokens) - 1 or len(tokens) == 1 else tok
        kept.append(_SURNAME_KEY.sub("y", tok))
    return tuple(kept) or tuple(tokens)


def person_key(name: str) -> str:
    return " ".join(person_key_tokens(name))


def person_display_name(name: str) -> str:
    """The spelling shown for a person: the common English form of a transliterated first
    name and surname ending (`Aleksandr` → `Alexander`, `Zelenskyy` → `Zelensky`)."""
    words = name.split()
    if len(words) >= 2 and words[0].lower() in FIRST_NAME_VARIANTS:
        words[0] = FIRST_NAME_VARIANTS[words[0].lower()]
    words[-1] = _SURNAME_SHOWN.sub("y", words[-1])
    return " ".join(words)


def entity_key(kind: str, canonical_name: str) -> str:
    """What two mentions must share to be one entity (before hashing)."""
    if kind == "PERSON":
        return f"{kind}:{person_key(canonical_name)}"
    return f"{kind}:{alias_key(canonical_name)}"


def entity_id(kind: str, canonical_name: str) -> str:
    return hashlib.sha1(entity_key(kind, canonical_name).encode()).hexdigest()[:16]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper()).upper()


def _norp_name(text: str) -> str:
    """A nationality as its singular adjective: `Belarusians` → `Belarusian`."""
    if demonym_country(text) and text not in DEMONYMS:
        return text[:-1]
    if text.endswith("ans") or text.endswith("ians"):
        return text[:-1]
    return text


# --- the pass over one article ----------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    label: str
    name: str = ""  # canonical name
    gender: str | None = None  # from an honorific: "m", "f"
    fixed: bool = False  # name and label come from the reference: no rule changes them
    place: Place | None = None
    team: bool = False  # a side named by its town or region (`_teams_of_results_lines`, `_teams_in_the_article`)
    model_label: str | None = None  # the model's, while a place found by another spelling awaits its country
    firm: bool = False  # the model's person the article shows to be a firm (_people_by_their_given_names)


def _owner_of(text: str, reference: Reference) -> tuple[str, str] | None:
    """(label, canonical name) when `text` is a country or nationality word."""
    if alias := reference.aliases.get(alias_key(text)):
        return (alias[1], alias[0]) if alias[1] in ("GPE", "NORP") else None
    if demonym_country(text):
        return "NORP", _norp_name(text)
    place = lookup_place(text)
    if place is not None and place.kind in ("country", "historical"):
        return "GPE", place.name
    return None


def _owned_name(owner_label: str, owner_name: str, body_name: str) -> str:
    """`Ukrainian Foreign Ministry`, `Russian Security Council`, `United Nations Security
    Council`: the owner's adjective (or name) before the body's."""
    if owner_label == "GPE":
        place = lookup_place(owner_name)
        adjective = demonym(place.country_code) if place and place.country_code else None
        return f"{adjective or owner_name} {body_name}"
    return f"{owner_name} {body_name}"


def _split_modifier(body: str, span: _Span, reference: Reference) -> list[_Span]:
    """`U.S. Joint Chiefs of Staff` → [`U.S.` GPE, `Joint Chiefs of Staff` ORG]."""
    words = list(re.finditer(r"\S+", body[span.start : span.end]))
    for n in (1, 2, 3):
        if len(words) <= n:
            break
        head_end = span.start + words[n - 1].end()
        rest_start = span.start + words[n].start()
        owner = _owner_of(body[span.start : head_end], reference)
        rest = " ".join(body[rest_start : span.end].split())
        if owner and _GOVERNMENT.match(rest):
            modifier = _Span(span.start, head_end, owner[0], owner[1])
            org = _Span(rest_start, span.end, "ORG", rest)
            if _NEEDS_OWNER.match(rest):
                org.name, org.fixed = _owned_name(owner[0], owner[1], rest), True
            return [modifier, org]
    return [span]


def _resolve_names(body: str, spans: list[_Span], reference: Reference) -> None:
    """Labels and canonical names of every span of one article, in place, by five rules
    in order: each later rule sees what the earlier ones decided."""
    for s in spans:
        _name_on_its_own(body, s, reference)
    _owners_of_government_bodies(body, spans, reference)
    _people_by_their_full_names(body, spans)
    _events_by_their_last_word(spans)
    _acronyms_of_names_in_full(body, spans)


def _name_on_its_own(body: str, s: _Span, reference: Reference) -> None:
    """Rule 1, a name on its own: the reference's alias (which fixes it), an event by its
    words, a place by the gazetteer, else the spelling a person's or nationality's name
    is shown in. A government body waits for its owner (rule 2)."""
    if s.fixed:
        return
    text = " ".join(body[s.start : s.end].split())
    if _NEEDS_OWNER.match(text) and s.label == "ORG":
        s.name = text
        return
    if alias := reference.aliases.get(alias_key(text)):
        s.name, s.label, s.fixed = alias[0], alias[1], True
        return
    if _names_an_event(body, s, text):
        s.label = "EVENT"
    after_preposition = _after_place_preposition(body, s.start)
    if s.label != "EVENT" and (place := _place_for(text, s.label, after_preposition)):
        if place.kind == "city" and not after_preposition and not is_prominent(text) and by_other_spelling(text):
            s.model_label = s.label  # (`in Seville` says it is a place)
        _take_place(s, place)
        return
    s.name = _shown_name(text, s.label, reference.acronyms)


def _names_an_event(body: str, s: _Span, text: str) -> bool:
    """`Storm Eunice`, `the Winter Olympics`; an organization or work followed by
    `drills` (`"Allied Resolve" drills`)."""
    if s.label in ("ORG", "WORK_OF_ART", "PRODUCT", "PERSON", "FAC") and (_EVENT_FIRST.match(text) or _EVENT_WORDS.search(text)):
        return True
    return s.label in ("ORG", "WORK_OF_ART", "PRODUCT") and bool(_EVENT_NOUNS.match(body[s.end : s.end + 40]))


def _take_place(s: _Span, place: Place) -> None:
    """The gazetteer's place, name and label: a continent is a LOC (so is a region the
    model called a FAC); any other place is a GPE, a region keeping a place label."""
    s.place, s.name = place, place.name
    if place.kind == "continent" or (place.kind == "region" and s.label == "FAC"):
        s.label = "LOC"
    elif place.kind != "region" or s.label not in _PLACE_LABELS:
        s.label = "GPE"


def _shown_name(text: str, label: str, acronyms: frozenset[str]) -> str:
    if label == "PERSON":
        # `Francis "Chiz" Escudero` is Francis Escudero (the nickname alone: _people_by_their_nicknames)
        return person_display_name(display_case(_QUOTED_NICKNAME.sub("", text)))
    if label == "NORP":
        return _norp_name(display_case(text))
    return display_case(text, acronyms)


def _owners_of_government_bodies(body: str, spans: list[_Span], reference: Reference) -> None:
    """Rule 2, government bodies: owned by the mention in front (`Russia's Security
    Council`), else by the owner the article gave the same body before, else the
    reference's name."""
    owned: dict[str, str] = {}
    for s in spans:
        text = " ".join(body[s.start : s.end].split())
        if s.label != "ORG" or not _NEEDS_OWNER.match(text):
            continue
        if s.fixed:  # split from its owner already (`Ukrainian Foreign Ministry`)
            owned[alias_key(text)] = s.name
            continue
        if owner := _preceding_owner(body, s, spans, reference):
            s.name = _owned_name(owner.label, owner.name, text)
            owned[alias_key(text)] = s.name
        elif alias_key(text) in owned:
            s.name = owned[alias_key(text)]
        elif alias := reference.aliases.get(alias_key(text)):
            s.name, s.label = alias
        s.fixed = True


def _people_by_their_full_names(body: str, spans: list[_Span]) -> None:
    """Rule 3, people: a short form takes the full name used in the article (`Milley` →
    `Mark Milley`); a one-word mention of another label that is a person's surname here
    is that person (`Stoltenberg` as ORG). A country or region is never a short form."""
    # one span per name, the first (what the candidates below keep): an article of thousands
    # of mentions of a few people asks about a few names, not thousands of spans
    people: list[_Span] = []
    seen: set[str] = set()
    for s in spans:
        if s.label == "PERSON" and s.name not in seen and len(s.name.split()) >= 2:  # `A. R. Rahman` too
            seen.add(s.name)
            people.append(s)
    nicknames = {m.group(2): p.name for p in people if (m := _NICKNAMED.fullmatch(body[p.start : p.end]))}
    index = _PeopleIndex(people)
    for s in spans:
        if not _may_be_a_short_form(body, s):
            continue
        if (nick := body[s.start : s.end]) in nicknames:  # `Bato` after `Ronald "Bato" dela Rosa`
            was, (s.label, s.name, s.place) = s.name, ("PERSON", nicknames[nick], None)
            index.renamed(s, was)
            continue
        key = person_key_tokens(s.name if s.label == "PERSON" else " ".join(body[s.start : s.end].split()))
        if not key:
            continue
        was = s.name
        if candidates := index.ending_in(key):
            s.label, s.name, s.place = "PERSON", _choose_person(s, candidates).name, None
        elif s.label != "PERSON" and (same := index.named(key)):
            s.label, s.name, s.place = "PERSON", same[0].name, None
        elif given := index.with_given_name(body, s, key):
            s.label, s.name, s.place = "PERSON", _choose_person(s, given).name, None
        index.renamed(s, was)


def _may_be_a_short_form(body: str, s: _Span) -> bool:
    """Whether rule 3 may make `s` a person's short form: no reference name, event, or place
    other than a city; no nationality or group (one NORP word that is none is a surname the
    model misread: `Timmermans` after `Frans Timmermans`)."""
    if s.fixed or s.label == "EVENT" or (s.place is not None and s.place.kind != "city"):
        return False
    text = body[s.start : s.end]
    return s.label != "NORP" or (" " not in text.strip() and not demonym_country(text))


_FIRST_NAMES = MALE_FIRST_NAMES | FEMALE_FIRST_NAMES


class _PeopleIndex:
    """The article's people (one span per name) by the words of their keys, for rule 3: a
    look-up per span instead of a pass over every person for every span (a 400 KB page of
    many stories names thousands of people: 1.6 of its 2.2 CPU-s of entities went there;
    bench/long_article.py). The people come in the order the article names them; the
    lists are built again when one of the people is renamed."""

    def __init__(self, people: list[_Span]) -> None:
        self.people = people
        self.ids = {id(p) for p in people}
        self.built = False

    def renamed(self, s: _Span, was: str) -> None:
        if s.name != was and id(s) in self.ids:
            self.built = False

    def _build(self) -> None:
        self.ending: dict[tuple[str, ...], list[_Span]] = {}
        self.by_key: dict[tuple[str, ...], list[_Span]] = {}
        self.first: dict[str, list[_Span]] = {}
        self.inner: dict[str, list[_Span]] = {}
        names: set[str] = set()
        for full in self.people:
            if full.name in names:
                continue  # a later span renamed to an earlier one's name: the same answers, the first kept
            names.add(full.name)
            words = person_key_tokens(full.name)
            self.by_key.setdefault(words, []).append(full)
            for k in range(1, len(words)):
                if words[-k - 1] not in _PATRONYMIC_JOINERS:
                    self.ending.setdefault(words[-k:], []).append(full)
            shown = full.name.split()
            if len(words) < 2 or "," in full.name or lookup_place(shown[-1]) is not None:
                continue
            if len(shown) >= 3 and shown[1].lower() in _FIRST_NAMES:
                continue
            self.first.setdefault(words[0], []).append(full)
            inner = {w for i, w in enumerate(words[1:-1], 1) if w != words[0] and words[i - 1] not in _PATRONYMIC_JOINERS}
            for w in inner:
                self.inner.setdefault(w, []).append(full)
        self.built = True

    def ending_in(self, key: tuple[str, ...]) -> list[_Span]:
        """The people named with more words than `key` whose name ends with it, one per name,
        in the order the article names them; not where `key` follows `bin`, `ibn` …: that is
        the father's name (`Mohammed bin Rashid Al Maktoum` is not `Hamdan bin Mohammed bin
        Rashid Al Maktoum`)."""
        if not self.built:
            self._build()
        return list(self.ending.get(key, ()))

    def named(self, key: tuple[str, ...]) -> list[_Span]:
        """The people whose key is `key` (the first of each name)."""
        if not self.built:
            self._build()
        return list(self.by_key.get(key, ()))

    def with_given_name(self, body: str, s: _Span, key: tuple[str, ...]) -> list[_Span]:
        """The people one word names by a given name, where the article calls them so (Malay,
        Arabic, Pakistani, Nigerian names: `Anwar` after `Anwar Ibrahim`, `Zahid` after `Ahmad
        Zahid Hamidi`, `Atiku` after `Atiku Abubakar`; `Elvis`, `Lleyton`): those whose first
        word it is, else those with it as a word before the last, not after `bin`; one per
        name, in the order the article names them. A word the model did not call a person must
        be a name word (see _name_word: not `Windows`, `Crown`), and the person's surname too
        (the model's `Xbox Live`, `Mac Format` are no people); a person's word must be no place;
        not the model's `Kay, King`, `Premiership Fulham`, `Springboks John Smit`; `Prince
        Charles` is not Charles Kennedy, `Prince Faisal` is Faisal bin Farhan."""
        text = body[s.start : s.end]
        if len(key) != 1 or not text.istitle() or lookup_place(text) is not None:
            return []
        if s.label != "PERSON" and (s.place is not None or not _name_word(text)):
            return []
        if not self.built:
            self._build()
        royal = _ROYAL_BEFORE.search(body[max(0, s.start - 12) : s.start])

        def fits(full: _Span) -> bool:
            if s.label != "PERSON" and not _name_word(full.name.split()[-1]):
                return False
            return not royal or bool(set(person_key_tokens(full.name)) & _PATRONYMIC_JOINERS)

        return [f for f in self.first.get(key[0], ()) if fits(f)] or [f for f in self.inner.get(key[0], ()) if fits(f)]


_ROYAL_BEFORE = re.compile(r"\b(?:prince|princess|king|queen|emperor|empress|pope|crown prince)\s+$", re.IGNORECASE)
_PATRONYMIC_JOINERS = frozenset("bin binti binte bte ibn bint".split())  # not `ben`: Ben Thatcher


def _events_by_their_last_word(spans: list[_Span]) -> None:
    """Rule 4, events: `Eunice` after `Storm Eunice`."""
    events = [s for s in spans if s.label == "EVENT" and len(s.name.split()) >= 2]
    for s in spans:
        if s.fixed or s.label == "EVENT" or len(s.name.split()) != 1:
            continue
        if event := next((e for e in events if e.name.split()[-1] == s.name), None):
            s.label, s.name, s.place = "EVENT", event.name, None


def _acronyms_of_names_in_full(body: str, spans: list[_Span]) -> None:
    """Rule 5, acronyms: `Full Name (ACRONYM)` pairs take one name, then an acronym of an
    organization the article names in full takes the full name."""
    for a, b in zip(spans, spans[1:], strict=False):
        if body[a.end : b.start].strip() == "(" and body[b.end : b.end + 1] == ")":
            if _initials(a.name) == alias_key(b.name).upper().replace(" ", ""):
                a.name, a.label = b.name, b.label
            elif _initials(b.name) == alias_key(a.name).upper().replace(" ", ""):
                b.name, b.label = a.name, a.label
    full_orgs = {_initials(s.name): s.name for s in spans if s.label == "ORG" and len(s.name.split()) >= 2}
    for s in spans:
        if not s.fixed and s.label == "ORG" and re.fullmatch(r"[A-Z]{2,6}", s.name) and s.name in full_orgs:
            s.name = full_orgs[s.name]


def _place_for(text: str, label: str, after_preposition: bool = False) -> Place | None:
    """The gazetteer's place for a span, if the model's label allows it: any place for a
    place label or after `in`/`at`/`near` (`cuts at Scunthorpe`); a country, region or
    city of 100,000 for an ORG (`Minsk` confirmed…); for a PERSON, a prominent place
    (`Kiev`) or one word naming a city of 100,000 that is no first name (`Okinawa`) —
    step 3 still gives a person's surname back to the person (`Austin`); never a NORP.
    Under another label than a place's the name must be the place's own (or a prominent
    place's), not one of the gazetteer's other spellings."""
    place = lookup_place(text) or (lookup_place_any_case(text) if is_all_caps(text) else None)
    if place is None or label == "NORP":
        return None
    if label in _PLACE_LABELS:
        return place
    prominent = is_prominent(text) or is_prominent(place.name)
    # Another label wants the place's own name or a prominent place: GeoNames' other
    # spellings of a mid-sized city include names of other things (`Hamas` is one for
    # Hamm, Germany).
    own_name = prominent or place.name.casefold() == text.casefold()
    if after_preposition:
        return place if own_name else None
    big = place.kind != "city" or place.population >= 100_000
    if label == "PERSON":
        if prominent:
            return place
        one_word = " " not in text and text.lower() not in MALE_FIRST_NAMES | FEMALE_FIRST_NAMES
        return place if one_word and big and own_name and text not in AMBIGUOUS_PLACE_NAMES else None
    if label in ("ORG", "PRODUCT", "WORK_OF_ART"):
        return place if big and own_name else None
    return None


def _after_place_preposition(body: str, start: int) -> bool:
    return bool(re.search(r"\b(?:in|at|near|outside|from)\s+$", body[max(0, start - 8) : start]))


def _preceding_owner(body: str, s: _Span, spans: list[_Span], reference: Reference) -> _Span | None:
    """The country, nationality or organization right in front of a government body:
    `Russia's Security Council`, `Russian Defense Ministry`, `the UN's Security Council`."""
    i = spans.index(s)
    if i == 0:
        return None
    prev = spans[i - 1]
    between = body[prev.end : s.start]
    if not re.fullmatch(r"(?:['’]s)?\s+", between):
        return None
    text = " ".join(body[prev.start : prev.end].split())
    owner = _owner_of(text, reference)
    if owner:
        return _Span(prev.start, prev.end, owner[0], owner[1])
    if alias := reference.aliases.get(alias_key(text)):
        if alias[1] == "ORG":
            return _Span(prev.start, prev.end, "ORG", alias[0])
    return None


def _choose_person(short: _Span, candidates: list[_Span]) -> _Span:
    """Which of several people sharing a surname a short form means: the one a gendered
    honorific allows, else the one named first."""
    if short.gender and len(candidates) > 1:
        wanted, other = (MALE_FIRST_NAMES, FEMALE_FIRST_NAMES) if short.gender == "m" else (FEMALE_FIRST_NAMES, MALE_FIRST_NAMES)
        fitting = [c for c in candidates if c.name.split()[0].lower() in wanted or c.gender == short.gender]
        if not fitting:
            fitting = [c for c in candidates if c.name.split()[0].lower() not in other and c.gender != _other(short.gender)]
        if fitting:
            return fitting[0]
    return candidates[0]


def _other(gender: str) -> str:
    return "f" if gender == "m" else "m"


def _spans_of(raw: list[tuple[int, int, str]], body: str, reference: Reference) -> list[_Span]:
    """The model's name spans, trimmed, split and cleaned of junk."""
    spans: list[_Span] = []
    recased: str | None = None
    for start, end, label in sorted(raw):
        if label not in NAME_LABELS:
            continue
        if is_all_caps(body[start:end]):
            # A shouted common word the model took for a name (`EASTERN FLANK` → `flank` GPE).
            recased = recased if recased is not None else recase_caps(body, reference.acronyms)
            if not any(c.isupper() for c in recased[start:end]):
                continue
        for part_start, part_end in fragment_parts(body, start, end, label):
            spans.extend(_span_of(body, part_start, part_end, label, reference))
    # Overlaps (a ruler's span inside the model's): keep the first, longest.
    kept: list[_Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


# A title inside a person's span, after a word that is not one (`Sengkang MP He Ting Ru`).
_INNER_TITLE = re.compile(r"(?<=[a-z])\s+(?:MP|MEP|MSP|MLA|MNA|MPP|Senator|Sen\.|Governor|Mayor|Councillor|Cllr)\s+(?=[A-Z])")


def _label_of_titled(text: str, label: str) -> str:
    """PERSON for a name after a title that the model labelled otherwise: `Councillor Amelia
    Hart`, `Tan Sri Azam Baki`, `Mallam Nasir El-Rufai` as ORG."""
    if label in ("ORG", "NORP", "GPE") and _TITLED_NAME.match(text):
        return "PERSON"
    if label in ("ORG", "NORP", "GPE", "FAC") and (m := _WORLD_TITLES.match(text)) and not m.group().strip().isupper():
        # a name after it, not a building or body named after someone (`Imam Khomeini
        # International Airport`): one word, or a last word that is no frequent English word
        words = text[m.end() :].split()
        if words and words[0][:1].isupper() and (len(words) == 1 or english_words()[words[-1].lower()] < 1000):
            return "PERSON"
    return label


def _span_of(body: str, start: int, end: int, label: str, reference: Reference) -> list[_Span]:
    """One trimmed span of the model's: titles off, an owner split from its body, junk dropped."""
    gender = None
    label = _label_of_titled(body[start:end], label)
    if label == "PERSON":
        if _ONLY_HONORIFICS.match(body[start:end]):
            return []  # `Datuk Seri` alone
        if inner := _INNER_TITLE.search(body, start, end):
            # `Sengkang MP He Ting Ru`: a constituency or place, then the person
            before = _span_of(body, start, inner.start(), "GPE", reference) if lookup_place(body[start : inner.start()]) else []
            return before + _span_of(body, inner.end(), end, "PERSON", reference)
        start = _after_a_role_word(body, start, end)
        start, end, gender = _strip_title(body, start, end)
    if label == "ORG" and (m := _ORG_TRAILING_TITLE.search(body[start:end])) and m.start() > 0:
        end = start + m.start()
        start, end = trim_span(body, start, end)
    text = body[start:end]
    if end - start < 1 or "\n" in text or not any(c.isupper() for c in text):
        return []
    folded = alias_key(text)
    if folded in NOT_ENTITIES or (label == "ORG" and folded in TITLE_WORDS):
        return []
    # `Baltic` + `states`: the region's name runs on.
    if label == "LOC" and (m := re.match(r"\s+(states|countries|nations)\b", body[end : end + 12])):
        end += m.end()
    if m := _PAIR.match(text):
        a, b = m.group(1), m.group(2)
        if _owner_of(a, reference) and _owner_of(b, reference):
            return [_Span(start, start + len(a), label), _Span(end - len(b), end, label)]
    span = _Span(start, end, label, gender=gender)
    return _split_modifier(body, span, reference) if label == "ORG" else [span]


# --- people's names the model cut short ----------------------------------------------------

# Words that join the parts of a name (`Mohd Faizal bin Osman`, `Ronald dela Rosa`,
# `Mohammed bin Rashid Al Maktoum`, `Ursula von der Leyen`), lower-case or capitalized.
_JOINERS = frozenset("bin binti binte bte ibn bint al el de da dela del della van von der den ter la le du dos das di".split())
_CAPITAL_JOINERS = frozenset("Al El Bin Ibn De Da Dela Del Van Von Le La Di Du".split())
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
# (an apostrophe inside: `O'Neill`, and the Pacific's glottal stop: `Mata'afa`, `Tu'ifua`;
# not a possessive `'s`)
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:['’](?:[A-Z][a-z]+|[a-z]{2,}))?(?:-[A-Z]?[a-z]+)*")
# The word right after a span, or a hyphen's second half (`Kamla Persad` + `-Bissessar`),
# ending where a word ends (a possessive may follow).
_WORD_AFTER = re.compile(r" ([\w'’-]+?)(?=['’]s\b|[^\w'’-]|$)|-([A-Z][a-z]+)(?=['’]s\b|[^\w'’-]|$)")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“‘]))([A-Z][\w'’-]*) $")
# `Francis "Chiz" Escudero`, `Ronald “Bato” dela Rosa`: one name with a nickname inside.
_NICKNAMED = re.compile(
    r"\b([A-Z][a-z][\w'’-]*) [\"“‘']([A-Z][\w'’-]*)[\"”’'] ((?:(?:[a-z]{2,4}|[A-Z][a-z]) )?[A-Z][\w'’-]+(?: (?:Jr|Sr)\.)?)"
)
_QUOTED_NICKNAME = re.compile(r" [\"“‘'][A-Z][\w'’-]*[\"”’'](?= )")


def _name_word(word: str) -> bool:
    """A word that can only be part of a person's name here: in title case, no frequent
    English word (unless a first name), no month or weekday, title, place or nationality."""
    if not _NAME_WORD.fullmatch(word):
        return False
    low = word.lower()
    if low in _CALENDAR or low in TITLE_WORDS or _WORLD_TITLES.match(word + " ") or _TITLES.match(word + " "):
        return False
    if english_words()[low] >= 1000 and low not in MALE_FIRST_NAMES | FEMALE_FIRST_NAMES:
        return False
    return lookup_place(word) is None and not demonym_country(word)


def _free(a: int, b: int, spans: list[_Span], s: _Span) -> bool:
    return not any(o is not s and o.start < b and a < o.end for o in spans)


_ROLES = (
    r"coach|spokesman|spokeswoman|spokesperson|captain|skipper|striker|defender|midfielder|winger|goalkeeper|"
    r"batsman|batter|bowler|all-rounder|co-leader|leader|minister|secretary|chairman|chairwoman|director|lawyer|"
    r"analyst|economist|governor|senator|mayor|judge|prosecutor|"
    # (session 11: the arts, business and more of sport)
    r"actor|actress|singer|composer|songwriter|rapper|novelist|author|poet|comedian|presenter|founder|tycoon|"
    r"footballer|manager|keeper|prop|fly-half|scrum-half|full-back"
)
# A title or a role noun right before a name (`Justice Mansoor`, `PM Shehbaz`, `head coach
# Aaqib Javed`, `presidential spokesman Bayo Onanuga`): titles as capitalized before a name,
# role nouns in lower case.
_BEFORE_A_NAME = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Datuk Seri|Datuk|Dato['’]? Seri|Dato['’]? Sri|Dato['’]|Datin Seri|Datin|Tan Sri|"
    r"Puan Sri|Tun|Haji|Hajjah|Alhaji|Mallam|Maulana|Sheikh|Sheikha|Justice|Judge|Senator|Sen\.|Governor|Gov\.|"
    r"Mayor|PM|CM|Chief Minister|Chief Justice|President|Prime Minister|Minister|Chairman)\.?\s+"
    r"|\b(?:" + _ROLES + r"|" + _ROLES.title() + r"),?\s+)(?=[A-Z])"
)
# ... or after it, set off: `Robin Propper, the Dutch defender`.
_ROLE_AFTER = re.compile(r",\s+(?:the|a|an|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:" + _ROLES + r")\b")


# A party named by its nation and its movement (`Scottish Labour`, `Welsh Conservatives`,
# `Scottish Greens`): one organization, not a nationality and a group.
_PARTY_AFTER_NATION = re.compile(
    r" (?:Labour|Conservatives|Tories|Greens|Liberal Democrats|Lib Dems|Liberals|Socialists|Unionists)(?![\w-])"
)


def _parties_of_nations(body: str, spans: list[_Span]) -> list[_Span]:
    """`Scottish` (NORP) + `Labour` or `Greens` (NORP or nothing): one ORG, `Scottish Labour`."""
    out = list(spans)
    for s in spans:
        if s.label != "NORP" or s.fixed or not demonym_country(body[s.start : s.end]):
            continue
        if m := _PARTY_AFTER_NATION.match(body, s.end):
            inside = [o for o in out if o is not s and o.start < m.end() and s.end < o.end]
            if all(o.end <= m.end() and o.label in ("NORP", "ORG") and not o.fixed for o in inside):
                out = [o for o in out if o is not s and o not in inside]
                out.append(_Span(s.start, m.end(), "ORG"))
    return sorted(out, key=lambda s: s.start)


def _people_of_countries(body: str, spans: list[_Span]) -> list[_Span]:
    """`China's Shi Yu Qi`, `Japan's Takuma Inoue`: two name words or more after a country's
    possessive are a person, where the model found nothing there, or, in a sports story, an
    ORG of name words only (elsewhere `Russia's Gazprom Neft` is a firm)."""
    out = list(spans)
    overlaps = _Overlaps(sorted(spans, key=lambda s: s.start))
    sport: bool | None = None
    for s in spans:
        if s.label != "GPE" or not (m := re.match(r"['’]s\s+(?=[A-Z])", body[s.end : s.end + 4])):
            continue
        start = s.end + m.end()
        first = _WORD.match(body, start)
        if first is None or not _name_word(first.group()):
            continue
        end = first.end()
        while more := _name_runs_on(body, end, set()):
            end = more
        if len(body[start:end].split()) < 2:
            continue
        inside = [o for o in overlaps(start, end) if o in out]
        if not inside:
            out.append(_Span(start, end, "PERSON"))
        elif (
            len(inside) == 1
            and inside[0].label == "ORG"
            and not inside[0].fixed
            and (inside[0].start, inside[0].end) == (start, end)
        ):
            sport = _sports_story(body, spans) if sport is None else sport
            if sport:
                out.remove(inside[0])
                out.append(_Span(start, end, "PERSON"))
    return sorted(out, key=lambda s: s.start)


class _Overlaps:
    """Which spans (sorted by start) overlap [a, b): a bisect and a running maximum of their
    ends, not a pass over every span for every question (an article of thousands of names
    asks once per title: 128 KB of them took seconds)."""

    def __init__(self, spans: list[_Span]) -> None:
        self.spans = spans
        self.starts = [s.start for s in spans]
        self.max_end = list(itertools.accumulate((s.end for s in spans), max))

    def __call__(self, a: int, b: int) -> list[_Span]:
        j = bisect.bisect_left(self.starts, b) - 1
        found = []
        while j >= 0 and self.max_end[j] > a:
            if self.spans[j].end > a:
                found.append(self.spans[j])
            j -= 1
        return found[::-1]


_WORD = re.compile(r"[\w'’-]+")


def _titled_people(body: str, spans: list[_Span]) -> list[_Span]:
    """A name after a title or a role noun is a person's: found where the model found
    nothing (`Justice Mansoor asked`, `head coach Aaqib Javed`), relabelled where it took
    the title and the name, or the name alone, for something else (`PM Shehbaz` as a work
    of art, `spokesman Bayo Onanuga` as ORG). The name is name words only (_name_word)."""
    overlaps = _Overlaps(sorted(spans, key=lambda s: s.start))
    dropped: set[int] = set()
    added: list[_Span] = []
    for m in _BEFORE_A_NAME.finditer(body):
        first = _WORD.match(body, m.end())
        if first is None or (added and added[-1].end > m.end()):
            continue
        inside = [s for s in overlaps(m.end(), first.end()) if id(s) not in dropped]
        if len(inside) == 1 and inside[0].start == m.end() and inside[0].label != "PERSON" and not inside[0].fixed:
            # the model's span of the name alone: its words need only be no frequent English
            # words (a first name may be a town's: `Herve Gaymard`)
            if _only_name_words(body[inside[0].start : inside[0].end]):
                dropped.add(id(inside[0]))
                added.append(_Span(inside[0].start, inside[0].end, "PERSON"))
            continue
        if not _name_word(first.group()):
            continue
        end = first.end()
        while more := _name_runs_on(body, end, set()):
            end = more
        inside = [s for s in overlaps(m.end(), end) if id(s) not in dropped]
        if any(s.label == "PERSON" or s.fixed or s.start < m.start() or s.end > end for s in inside):
            continue
        dropped.update(id(s) for s in inside)
        added.append(_Span(m.end(), end, "PERSON"))
    out = sorted([s for s in spans if id(s) not in dropped] + added, key=lambda s: s.start)
    for i, s in enumerate(out):
        if s.label == "ORG" and not s.fixed and _ROLE_AFTER.match(body, s.end) and _set_off_name(body[s.start : s.end]):
            out[i] = _Span(s.start, s.end, "PERSON")
    return out


def _set_off_name(text: str) -> bool:
    """A name a role noun sets off: two words or more in title case, none a place, the last
    no frequent English word (`Robin Propper`, not `Arsenal`)."""
    words = text.split()
    return (
        len(words) >= 2
        and all(_NAME_WORD.fullmatch(w) and lookup_place(w) is None for w in words)
        and english_words()[words[-1].lower()] < 1000
    )


def _only_name_words(text: str) -> bool:
    """Words that can be a person's name: title case, no frequent English word (a first name
    may be a town's: `Herve Gaymard`)."""
    words = text.split()
    return bool(words) and all(_NAME_WORD.fullmatch(w) and english_words()[w.lower()] < 1000 for w in words)


def _name_runs_on(body: str, at: int, surnames: set[str]) -> int | None:
    """Where a name ending at `at` ends if it takes the next word (a name word, or a joiner
    and the name word after it, or a hyphen's second half that is no other person's
    surname: not `Ferguson-Wenger`), or None."""
    m = _WORD_AFTER.match(body, at)
    if m is None:
        return None
    if m.group(2):
        return m.end() if _name_word(m.group(2)) and m.group(2) not in surnames else None
    word = m.group(1)
    if word.lower() in _JOINERS:
        return _name_runs_on(body, m.end(), surnames)
    return m.end() if _name_word(word) else None


def _whole_people(body: str, spans: list[_Span]) -> list[_Span]:
    """A person's span runs on over the rest of the name the model left out: a name with a
    nickname in quotes inside is one mention; two people's spans with one space between
    are one person (`Syed Murad` + `Ali Shah`); a span takes the name words after it, with
    their joiners (`Rozilah` + `binti Salleh`, `Kamla Persad` + `-Bissessar`, `Muhyiddin`
    + `Yassin`), and one name word before it (`Abdulla` + `Al Basti`). A name word is
    one nothing else claims (see _name_word)."""
    for m in _NICKNAMED.finditer(body):
        inside = [s for s in spans if s.start < m.end() and m.start() < s.end]
        if any(s.label == "PERSON" for s in inside):
            spans = [s for s in spans if s not in inside]
            spans.append(_Span(m.start(), m.end(), "PERSON"))
    spans.sort(key=lambda s: s.start)
    merged: list[_Span] = []
    for s in spans:
        prev = merged[-1] if merged else None
        if prev and prev.label == s.label == "PERSON" and body[prev.end : s.start] == " " and not _titles_before(body, prev.end):
            prev.end = s.end
            continue
        merged.append(s)
    taken: set[int] = set()
    surnames = {body[s.start : s.end].split()[-1] for s in merged if s.label == "PERSON"}
    for s in merged:
        if s.label != "PERSON" or s.fixed or id(s) in taken or lookup_place(body[s.start : s.end]) is not None:
            continue
        while not _titles_before(body, s.end) and (end := _name_runs_on(body, s.end, surnames)):
            others = [o for o in merged if o is not s and o.start < end and s.end < o.end]
            if any(o.label != "PERSON" or o.fixed for o in others):
                break
            taken.update(id(o) for o in others)  # `Nur Aisyah` + `binti` + `Abdullah`
            s.end = max([end] + [o.end for o in others])
        if (
            body[s.start : s.end].split()[0] in _CAPITAL_JOINERS
            and (before := _WORD_BEFORE.search(body, 0, s.start))
            and _name_word(before.group(1))
            and not _titles_before(body, s.start)
            and _free(before.start(1), s.start, merged, s)
        ):
            s.start = before.start(1)
    return [s for s in merged if id(s) not in taken]


# --- players in a sports story's line-ups ---------------------------------------------------

# `Arsenal: Raya; White, Saliba, Gabriel, …`, `Subs Not Used: Weaver, Onuoha.`: a heading
# then names separated by commas or semicolons, to the end of the sentence or line. A name
# may carry a minute and a substitute in brackets (`Barton (Macken 68)`, `Rooney 68`).
_LIST_HEAD = re.compile(r"(?:^|(?<=[\n.]) ?|(?<=\. ))((?:[A-Z][\w.'’&-]*\s){0,3}[A-Z][\w.'’&-]*):\s+", re.MULTILINE)
_LIST_BODY = re.compile(r"[^\n:]*?(?=\.(?:\s|$)|\n|$)")
_PLAYER = re.compile(r"\s*((?:[A-Z]\.?\s)?[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*){0,2}?)(?:\s+\d{1,3}(?:\s*(?:og|pen))?)?\s*$")
_SIDE_LISTS = re.compile(r"subs(?: not used)?|substitutes|booked|sent off|goals?|scorers?|replacements", re.IGNORECASE)
_LINE_UP_PLAYERS = 7


def _list_players(body: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The names of a list between start and end (commas, semicolons, bracketed substitutes),
    or None when one item is no name."""
    found: list[tuple[int, int]] = []
    for item in re.finditer(r"[^,;()]+", body[start:end]):
        text = item.group()
        if not text.strip():
            continue
        m = _PLAYER.fullmatch(text)
        if m is None or not all(_name_shaped(w) or _INITIAL.fullmatch(w) or len(w) == 1 for w in m.group(1).split()):
            return None
        found.append((start + item.start() + m.start(1), start + item.start() + m.end(1)))
    return found


def _players_of_line_ups(body: str, spans: list[_Span]) -> list[_Span]:
    """In a sports story (a score, or two sports words), the names of a line-up (seven or more after a heading: a side's
    name or nothing) and of the lists after one (`Subs:`, `Booked:`, `Goals:`) are players:
    PERSON whatever the model made of a surname (`Martinelli`, `Caicedo` as GPE), found where
    it found nothing. The model's spans of those names go; a reference name stays."""
    if ":" not in body:
        return spans
    players: list[tuple[int, int]] = []
    last_line_up: int | None = None
    for head in _LIST_HEAD.finditer(body):
        rest = _LIST_BODY.match(body, head.end())
        if rest is None:
            continue
        names = _list_players(body, head.end(), rest.end())
        if not names:
            continue
        side_list = _SIDE_LISTS.fullmatch(head.group(1)) is not None
        if len(names) >= _LINE_UP_PLAYERS and not side_list:
            last_line_up = rest.end()
        elif not (side_list and last_line_up is not None and 0 <= head.start() - last_line_up < 200):
            continue
        else:
            last_line_up = rest.end()
        players.extend(names)
    if not players or not (_DASH_SCORE.search(body) or _sports_story(body, spans)):
        return spans
    overlaps = _Overlaps(sorted(spans, key=lambda s: s.start))
    dropped: set[int] = set()
    added = []
    for a, b in players:
        inside = overlaps(a, b)
        if any(s.fixed or s.start < a or s.end > b for s in inside):
            continue
        dropped.update(id(s) for s in inside)
        added.append(_Span(a, b, "PERSON"))
    return sorted([s for s in spans if id(s) not in dropped] + added, key=lambda s: s.start)


# --- who is a person: the first name, unless the article treats the name as a firm's -------

# Words a firm's name is followed by (`Morgan Stanley shares`, `Schwab chief Rick Wurster`),
# preceded by (`shares in`, `analysts at`), or set off by (`Edward Jones and Raymond James,
# the brokerages`): evidence in the article that a name is an organization's.
_ORG_AFTER = re.compile(
    r"(?:['’]s?)?\s+(?:shares|share price|stock|chief executive|chief operating officer|chief financial officer|"
    r"chief|boss|chairman|chairwoman|CEO|executives?|shareholders|investors|subsidiary|stores|brand|marque)\b"
)
_ORG_BEFORE = re.compile(
    r"\b(?:shares (?:of|in)|stakes? in|analysts? at|economists? at|strategists? at|owners? of|takeover of|bid for|"
    r"merger with|acquisition of|subsidiary of|customers of|parent (?:company |group )?of|marques?|carmakers?)\s+$",
    re.IGNORECASE,
)
_AT_BEFORE = re.compile(r"\b[Aa]t\s+$")
_ROLE_SET_OFF = re.compile(r",\s+(?:its\s+|the\s+)?(?:chairman|chairwoman|chief executive|chief|boss|CEO|managing director)\b")
_ORG_NOUNS = (
    r"company|firm|group|bank|lender|insurer|brokerage|retailer|chain|carmaker|maker|manufacturer|label|brand|"
    r"airline|conglomerate|giant|publisher|broadcaster|supermarket|operator|investment bank|fund|fashion house"
)
_ORG_SET_OFF = re.compile(
    r"(?: (?:and|&) (?:[A-Z][\w'’.&-]*\s?){1,4})?,\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}(?:" + _ORG_NOUNS + r")s?[,.;)]"
)


# A work named after someone: `drama Vera Drake`, `the film Ray` (not `play`: `will play
# Roger Federer`; not a name in brackets after a person's: an actor's film, a player's club).
_WORK_BEFORE = re.compile(
    r"\b(?:film|movie|drama|comedy|thriller|biopic|documentary|musical|opera|novel|book|memoir|album|single|"
    r"song|sitcom|series|role in|starring in|stars in|starred in)\s+$",
    re.IGNORECASE,
)


# A name before these is no person the model missed (`the Harry Potter series`, `a Heath Robinson device`).
_WORK_AFTER = re.compile(r"\s+(?:series|films?|movies?|books?|novels?|franchise|trilogy|musical|device)\b")


def _named_as_works(body: str, spans: list[_Span]) -> set[str]:
    """The surface names the article gives a work's (film, book, album) somewhere: after the
    kind of work. (Not before it: `Nicolas Cage movie National Treasure`, `the latest Eminem
    album` name a person's work.)"""
    works: set[str] = set()
    for s in spans:
        if _WORK_BEFORE.search(body[max(0, s.start - 30) : s.start]):
            works.add(" ".join(body[s.start : s.end].split()))
    return works


def _owned_by_people(body: str, spans: list[_Span]) -> set[str]:
    """One-word names the model called people right after a person's possessive that name no
    one the article names in full (`Pablo Larraín's Maria`, `Sofia Coppola's Priscilla`): a
    person's work. (A surname or given name of someone the article names in full stays a
    person: `Rodgers' McGregor` after `Callum McGregor`.)"""
    people = [s for s in spans if s.label == "PERSON"]
    ends = {s.end for s in people}
    named = {w for s in people for w in body[s.start : s.end].split() if " " in body[s.start : s.end].strip()}
    owned: set[str] = set()
    for s in people:
        text = body[s.start : s.end]
        if " " in text or text in named:
            continue
        before = body[max(0, s.start - 3) : s.start]
        if (before[1:] in ("' ", "’ ") and s.start - 2 in ends) or (before in ("'s ", "’s ") and s.start - 3 in ends):
            owned.add(text)
    return owned


def _named_as_firms(body: str, spans: list[_Span]) -> set[str]:
    """The surface names (and, for a one-word one, that word) that the article treats as an
    organization's somewhere: shares, executives, analysts at, `, the retailer`."""
    return {" ".join(body[s.start : s.end].split()) for s in spans if _in_a_firms_context(body, s.start, s.end)}


def _in_a_firms_context(body: str, start: int, end: int) -> bool:
    before = body[max(0, start - 40) : start]
    return bool(
        _ORG_AFTER.match(body, end)
        or _ORG_BEFORE.search(before)
        or _ORG_SET_OFF.match(body, end)
        or (_AT_BEFORE.search(before) and _ROLE_SET_OFF.match(body, end))
    )


# Two capitalized words, the first perhaps a given name, not inside a longer run of them.
_TWO_NAMES = re.compile(r"(?<![\w'’.-])([A-Z][^\W\d_]+) ([A-Z][^\W\d_]*(?:[-'’][A-Z]?[^\W\d_]+)?)(?![\w'’-]| [A-Z])")
_CAPITALIZED_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s$")


def _missed_given_and_family_names(body: str, spans: list[_Span]) -> list[_Span]:
    """A given name and a family name the model found nothing in (`Melina Travlou`, `Alba
    Rohrwacher`), or only the family name of, as anything (`Penélope` + `Cruz`, `Pierfrancesco`
    + `Favino` as GPE): a person, with the tests of _given_and_family_name, where the article
    does not treat the name as a firm's."""
    overlaps = _Overlaps(sorted(spans, key=lambda s: s.start))
    dropped: set[int] = set()
    added = []
    for m in _TWO_NAMES.finditer(body):
        if not is_given_name(m.group(1)) or _CAPITALIZED_BEFORE.search(body, max(0, m.start() - 30), m.start()):
            continue
        inside = overlaps(m.start(), m.end())
        if inside and not (
            len(inside) == 1 and inside[0].start == m.start(2) and inside[0].end == m.end() and not inside[0].fixed
        ):
            continue
        text = m.group()
        if not _given_and_family_name(text) or _in_a_firms_context(body, m.start(), m.end()):
            continue
        if _WORK_AFTER.match(body, m.end()):  # `the Harry Potter series`, `a Heath Robinson device`
            continue
        dropped.update(id(s) for s in inside)
        added.append(_Span(m.start(), m.end(), "PERSON"))
    if not added:
        return spans
    return sorted([s for s in spans if id(s) not in dropped] + added, key=lambda s: s.start)


def _looks_like_a_firm(text: str, firms: set[str]) -> bool:
    return text in firms or text.split()[-1] in firms or "&" in text or bool(_CORPORATE_SUFFIX.search(text))


def _name_shaped(word: str) -> bool:
    """A capitalized word of letters (any script's: `Pogačar`, `Ødegaard`), with inner
    apostrophes or hyphens (`O'Neill`, `Fils-Aimé`), not in capitals alone."""
    return (
        len(word) >= 2 and word[0].isupper() and any(c.islower() for c in word) and all(c.isalpha() or c in "'’-" for c in word)
    )


def _given_and_family_name(text: str) -> bool:
    """Two to four words: a given name (transforms.given_names), then name-shaped words or
    joiners (`de`, `van der`), the last no frequent English word (`Jordan Valley`, `Grace
    Church` are not people) nor a nationality, the whole no place (`Victoria Falls`)."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not _name_shaped(words[0]) or not is_given_name(words[0]):
        return False
    if words[0] in _CAPITAL_JOINERS:  # `El Alto`, `La Paz`
        return False
    if not all(_name_shaped(w) or w in _JOINERS for w in words[1:]) or words[-1] in _JOINERS:
        return False
    last = words[-1]
    if english_words()[last.lower()] >= 1000 or demonym_country(last) or last.lower() in TITLE_WORDS:
        return False
    # a rare given name needs a family name that is no English word at all (not `Llyn Peninsula`,
    # `Sutherland Highlanders`), one that is also a place a common one (not `Sheffield Hallam`;
    # `Milan Baros`, `Carolina Kluft` are people), a country none (`France Unbowed`)
    frequency, first = name_frequency(words[0]), lookup_place(words[0])
    if frequency < 2 and english_words()[last.lower()] >= 100:
        return False
    if first is not None and (first.kind == "country" or frequency < 3):
        return False
    return lookup_place(text) is None


def _people_by_their_given_names(body: str, spans: list[_Span]) -> list[_Span]:
    """A name the model labelled ORG, GPE, NORP, FAC, LOC or PRODUCT that is a given name and
    a family name is a person (`Novak Djokovic`, `Shane Lowry`, `Leo Varadkar` as ORG,
    `Lars Klingbeil` as GPE, `Frans Timmermans` as NORP), unless the article treats that name
    as a firm's (`analysts at Morgan Stanley`, `Ralph Lauren shares`); and a name the model
    called a person that the article treats as a firm's is an organization (`At John Lewis,
    chairman Jason Tarry`, `Schwab chief Rick Wurster` for `Charles Schwab`)."""
    firms = _named_as_firms(body, spans)
    works = _named_as_works(body, spans) | _owned_by_people(body, spans)
    for s in spans:
        if s.fixed:
            continue
        text = " ".join(body[s.start : s.end].split())
        if s.label in ("ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"):
            if _given_and_family_name(text) and not _looks_like_a_firm(text, firms) and text not in works:
                s.label, s.place = "PERSON", None
            elif text in firms and s.label in ("GPE", "FAC", "LOC", "PRODUCT") and lookup_place(text) is None:
                s.label, s.place = "ORG", None  # (`Shares in Wimpey` as GPE)
        elif s.label == "PERSON" and s.gender is None and not _ROLE_BEFORE.search(body[max(0, s.start - 40) : s.start]):
            if text in works:
                s.label = "WORK_OF_ART"
            elif firms and _looks_like_a_firm(text, firms):
                s.label, s.firm = "ORG", True
    return spans


_ROLE_BEFORE = re.compile(r"\b(?:" + _ROLES + r"|chief executive|chief|boss|chairwoman|founder|president)\s+$", re.IGNORECASE)


def _titles_before(body: str, at: int) -> bool:
    """Whether the one to three words before `at` are titles (`Datuk Seri`, `Tan Sri`)."""
    words = body[max(0, at - 40) : at].split()
    return any(_TITLES.fullmatch(" ".join(words[-n:]) + " ") for n in (1, 2, 3) if len(words) >= n)


def _common_word(body: str, s: _Span, sentence_starts: list[int]) -> bool:
    """A capitalized common word opening a sentence that the model took for a name
    (`Operators said …`, `Library hours …`, `Keepers said …`): one word, in title case,
    resolved to nothing, and a plural of a frequent English word or one itself."""
    text = body[s.start : s.end]
    if s.fixed or s.place is not None or s.label not in _JUNK_PRONE or s.name != text:
        return False
    if " " in text or "-" in text or not text.istitle():
        return False
    i = bisect.bisect_right(sentence_starts, s.start) - 1
    opens_sentence = i >= 0 and not body[sentence_starts[i] : s.start].strip(" \"“‘'(")
    if not opens_sentence:
        return False
    word, words = text.lower(), english_words()
    # a plural of a frequent word (`Operators`, `Farmers`), not any name ending in s (`Hamas`, `Reuters`)
    plural = word.endswith("s") and not word.endswith("ss") and words[word[:-1]] >= 1000
    return plural or words[word] >= 1000


_JUNK_PRONE = frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "FAC"})


# Around a surname found again (`find_literals`: the article's surnames, no pattern of them per article).
_SURNAME_BEFORE = re.compile(r"(?<![\w’'-])")
_SURNAME_AFTER = re.compile(r"(?![\w-])")


def _with_missed_surnames(body: str, spans: list[_Span]) -> list[_Span]:
    """A person's surname the model missed somewhere in the article that names them in
    full (`Scholz himself is expected …` after `Olaf Scholz`) is a mention too."""
    surnames: dict[str, str] = {}
    for s in spans:
        if s.label == "PERSON" and len(s.name.split()) >= 2:
            last = body[s.start : s.end].split()[-1]
            if (len(last) >= 4 or _name_word(last)) and last[:1].isupper() and not last.isupper():
                surnames.setdefault(last, s.name)
    given = _given_names_and_nicknames(body, spans, surnames)
    surnames.update(given)
    if not surnames:
        return spans
    found = []
    taken = _Overlaps(sorted(spans, key=lambda s: s.start))
    for m in find_literals(body, list(surnames), _SURNAME_BEFORE, _SURNAME_AFTER):
        if "\n" in body[m.start : m.end] or taken(m.start, m.end):
            continue
        if m.word in given and re.match(r"\s[A-Z]", body[m.end : m.end + 2]):
            continue  # a given name that starts another name (`Rio Tinto` after `Rio Ferdinand`)
        found.append(_Span(m.start, m.end, "PERSON", surnames[m.word]))
    return sorted(spans + found, key=lambda s: s.start) if found else spans


def _given_names_and_nicknames(body: str, spans: list[_Span], surnames: dict[str, str]) -> dict[str, str]:
    """Words that name one person of the article alone, besides surnames: a nickname given
    in quotes (`Bato` after `Ronald "Bato" dela Rosa`), and a given name that is a name word
    (see _name_word: `Shehbaz` after `Shehbaz Sharif`, not `John`), of one person only and
    no one's surname."""
    found: dict[str, str] = {}
    given: dict[str, set[str]] = {}
    for s in spans:
        if s.label != "PERSON" or len(s.name.split()) < 2:
            continue
        text = body[s.start : s.end]
        if m := _NICKNAMED.fullmatch(text):
            found.setdefault(m.group(2), s.name)
        words = text.split()
        if _name_word(words[0]) and len(words[0]) >= 3 and lookup_place(words[-1]) is None and "," not in text:
            given.setdefault(words[0], set()).add(s.name)
    for first, names in given.items():
        if len(names) == 1 and first not in surnames:
            found.setdefault(first, next(iter(names)))
    return found


# Words that end a company's name without naming it: `Korvex Industries Inc` is Korvex.
_CORPORATE_SUFFIX = re.compile(
    r"(?:\s+(?:&\s+)?(?:Inc|Incorporated|Corp|Corporation|Co|Cos|Company|Ltd|Limited|LLC|LLP|Plc|PLC|plc|SA|S\.A|SpA|S\.p\.A|"
    r"AG|AB|ASA|NV|N\.V|BV|GmbH|KK|Bhd|Pty|Group|Holdings?|International|Industries)\.?)+$"
)


def _short_forms(name: str) -> list[str]:
    """The shorter names a company goes by: its name without the legal suffix (`Arden
    Chemical Co` → `Arden Chemical`) and, for a longer name, its first word (`Korvex
    Industries Inc` → `Korvex`) when that is no common English word, first name or place
    (`Boston Harbour Co` is not `Boston`)."""
    forms = []
    bare = _CORPORATE_SUFFIX.sub("", name).strip()
    if bare != name and len(bare) >= 3:
        forms.append(bare)
    first = name.split()[0]
    if (
        len(name.split()) >= 2
        and re.fullmatch(r"[A-Z][A-Za-z'’&.-]*[a-z]", first)
        and len(first) >= 3
        and english_words()[first.lower()] < 1000
        and first.lower() not in MALE_FIRST_NAMES | FEMALE_FIRST_NAMES
        and lookup_place(first) is None
        and not demonym_country(first)
    ):
        forms.append(first)
    return [f for f in dict.fromkeys(forms) if f != name]


# Around a short name found again (`find_literals`), a legal suffix after it part of the mention.
_SHORT_NAME_BEFORE = re.compile(r"(?<![\w&'’.-])")
_SHORT_NAME_AFTER = re.compile(r"(" + _CORPORATE_SUFFIX.pattern.rstrip("$") + r")?(?![\w&-])")


def _organizations_by_their_short_names(body: str, spans: list[_Span]) -> list[_Span]:
    """An organization the article names in full is meant by its short name elsewhere in
    it (`Korvex Industries Inc` … `Korvex shares rose`): the model's person there becomes
    the organization, and a short name it missed (not part of a longer name) is a mention
    of it; so is a company's name in full (with its legal suffix) that the model missed
    elsewhere. A short name that is a person's surname or first name in the article
    stays theirs."""
    shorts: dict[str, str] = {}
    for s in spans:
        if s.label == "ORG" and len(s.name.split()) >= 2:
            shown = " ".join(body[s.start : s.end].split())
            # the name in full again only when its legal suffix says it is a company
            for form in [shown, *_short_forms(shown)] if _CORPORATE_SUFFIX.search(shown) else _short_forms(shown):
                shorts.setdefault(form, s.name)
            if s.firm and _name_shaped(last := shown.split()[-1]):
                # a firm named like a person (`George Wimpey`, `James Hardie`, `Manchester United`
                # the model called a person) goes by its last word, as a person by a surname
                shorts.setdefault(last, s.name)
    people = {w for s in spans if s.label == "PERSON" and len(s.name.split()) >= 2 for w in s.name.split()}
    shorts = {k: v for k, v in shorts.items() if k not in people and k.split()[0] not in people}
    if not shorts:
        return spans
    found = [
        _Span(m.start, m.end, "ORG", shorts[m.word])
        for m in find_literals(body, sorted(shorts, key=len, reverse=True), _SHORT_NAME_BEFORE, _SHORT_NAME_AFTER)
        if _short_name_missed(body, m.start, m.end, spans, shorts[m.word])
    ]
    return sorted(spans + found, key=lambda s: s.start) if found else spans


def _short_name_missed(body: str, start: int, end: int, spans: list[_Span], name: str) -> bool:
    """Whether a short name found in the body at [start, end) is a mention the model
    missed; a person the model found exactly there becomes the organization `name`, and an
    organization named by that short name alone takes the full name where it was the model's
    person (`Korvex shares rose` made it a firm already: _people_by_their_given_names)."""
    if "\n" in body[start:end] or re.match(r"\s+[A-Z]", body[end : end + 2]):
        return False  # part of a longer name (`Korvex Tower`)
    covering = [s for s in spans if s.start < end and start < s.end]
    if len(covering) == 1 and (c := covering[0]).start == start and c.end == end:
        if not c.fixed and (c.label == "PERSON" or c.firm):
            c.label, c.name = "ORG", name
    return not covering


# What a results line or a standings row holds besides its names: figures (`3`, `2-1`,
# `1/2`, `.737`: no prices or rates, `2,345.67`), dashes, `and`, `v`; brackets go first.
_RESULTS_WORD = re.compile(r"[,.;:/–—-]+|(?:\d+(?:[-/]\d+)?|\.\d{3})[,.;:]?|and|v|vs")
_DATE_FIGURE = re.compile(r"\b\d{4}-\d\d-\d\d\b|\b\d\d?/\d\d?/\d{2,4}\b")  # a dateline's, not a score
_BRACKETED = re.compile(r"\([^()\n]*\)|\[[^\[\]\n]*\]")


# Places whose sides are reported by the place's name: countries, and nations such as Scotland.
_SIDE_KINDS = ("country", "historical", "continent", "region")
# A capitalized run of words on a results line that the model missed; a figure must
# follow it (`Harbourton 3`, `MILWAUKEE 64 71`): a score or a tally, not a name in a list.
_MISSED_NAME = re.compile(r"[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*(?= +\d)")
# The words of a results table that are no team (a small list; frequent words are none either).
_TABLE_WORDS = frozenset(
    "halftime half-time attendance attendence extras total scorer scorers points pts pct gb "
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august september "
    "october november december".split()
)
_INITIAL = re.compile(r"[A-Z]\.")


def _results_line_rest(body: str, line_start: int, line_end: int, members: list[_Span]) -> str | None:
    """A results line's text with its names and bracketed parts blanked out, or None when
    the line is no results line (no figure, a dateline's date, other words than figures,
    `and`, `v` and capitalized names)."""
    chars = list(body[line_start:line_end])
    for s in members:
        chars[s.start - line_start : s.end - line_start] = " " * (s.end - s.start)
    rest = _BRACKETED.sub(lambda m: " " * len(m.group(0)), "".join(chars))
    if not any(c.isdigit() for c in rest) or _DATE_FIGURE.search(rest):
        return None
    plain = _MISSED_NAME.sub(lambda m: " " * len(m.group(0)), rest)
    table_word = _TABLE_WORDS | {"at"}  # `At Harbourton: ...`, `Dunmore 22 points`
    return rest if all(_RESULTS_WORD.fullmatch(w) or w.lower().strip(",.;:") in table_word for w in plain.split()) else None


def _town_taken_for_a_person(body: str, s: _Span, people: set[str]) -> bool:
    """A one-word person of the model's that is a town's or region's name, and no word of
    a person the article names in full (`Harbourton 214` on a results line, `beat
    Millbrook`): the side, where the line or the result says so."""
    text = body[s.start : s.end]
    if s.label != "PERSON" or s.fixed or " " in text or text in people:
        return False
    if text.endswith("shire") and len(text) > 7:
        return True  # a county (`Wexshire`), gazetteer or not
    place = lookup_place(text)
    return place is not None and place.kind not in _SIDE_KINDS


def _missed_results_name(body: str, start: int, end: int) -> _Span | None:
    """A name the model missed on a results line: a person when it reads as one (`J.
    Harlow`, `Peter Ames`), a national side by its country, else a team (ORG). A frequent
    English word or a table's word is none (`Halftime 1-0`, `Attendance 2,000`)."""
    text = body[start:end]
    words = text.split()
    if len(words) == 1 and (text.lower().rstrip(".") in _TABLE_WORDS or english_words()[text.lower()] >= 1000):
        return None
    first_name = _INITIAL.fullmatch(words[0]) or words[0].lower() in MALE_FIRST_NAMES | FEMALE_FIRST_NAMES
    if len(words) >= 2 and (first_name or body[end:].lstrip(" ").startswith("(")):
        return _Span(start, end, "PERSON", " ".join(words))  # `Jane Doe (Kenya) 12.92`
    place = lookup_place(text) or (lookup_place_any_case(text) if is_all_caps(text) else None)
    if place is not None and place.kind in _SIDE_KINDS:
        span = _Span(start, end, "GPE")
        _take_place(span, place)
        return span
    return _Span(start, end, "ORG", display_case(text) if is_all_caps(text) else text, team=True)


# A score with a dash (`3-1`, `halftime 1-0`, `167-6`): a sign of sport beside its words
# (a year, `1996-08-30`, is none).
_DASH_SCORE = re.compile(r"(?<![\d-])\d{1,3}-\d{1,3}(?![\d-])")
# The words of the other tables with names and small integers: weather (`London 12
# Manchester 9`), elections (`Sunderland Lab 52 Con 11`) and markets (`Barclays 512`).
_NOT_SPORT_WORDS = any_word(
    r"temperatures?|weather|forecast(?:s|ers)?|celsius|fahrenheit|rainfall|sunshine|degrees|Met Office|"
    r"elections?|by-election|votes?|voters|turnout|seats|wards?|councill?ors?|constituency|candidates?|ballots?|"
    r"shares|pence|index|stocks|prices|FTSE|Dow Jones|Nasdaq|traders",
    re.IGNORECASE,
)


def _results_context(body: str) -> bool:
    """Whether the article's lines of names and figures can be results: a sports story
    (two of its words, or one and a score with a dash) that says more of sport than of the
    weather, an election or a market. `London 12 Manchester 9` in a weather report are
    temperatures; the same shape in a football report is a score."""
    sport = _sport_words(body) + (1 if _DASH_SCORE.search(body) else 0)
    other = len({w.lower() for w in _NOT_SPORT_WORDS.findall(body)})
    return sport >= 2 and sport > other


def _teams_of_results_lines(body: str, spans: list[_Span]) -> list[_Span]:
    """A town or region named in a results line or a standings row is the team playing
    for it (`Pohang 3 Ulsan 2`, `MIAMI 14 5 .737 -`, `Somerset 83 and 174`): an
    organization, in place. The line holds names and figures only, none but integers,
    scores and averages (a table of prices is not results, a dateline's date is not a
    score); a country stays a place (a national side is reported as its country), and so
    do the names in brackets. A name the model missed there (followed by a score) is
    added (`_missed_results_name`). Called only in a sports story (`_results_context`):
    a weather report's table of towns and temperatures is no results."""
    by_line: dict[int, list[_Span]] = {}
    for s in spans:
        by_line.setdefault(body.rfind("\n", 0, s.start) + 1, []).append(s)
    found: list[_Span] = []
    people = {w for s in spans if s.label == "PERSON" and len(s.name.split()) >= 2 for w in s.name.split()}
    line_start = 0
    while line_start <= len(body):
        line_end = body.find("\n", line_start)
        line_end = len(body) if line_end < 0 else line_end
        members = by_line.get(line_start, [])
        rest = _results_line_rest(body, line_start, line_end, members)
        if rest is not None:
            for m in _MISSED_NAME.finditer(rest):
                if (missed := _missed_results_name(body, line_start + m.start(), line_start + m.end())) is not None:
                    found.append(missed)
            bracketed = [(m.start() + line_start, m.end() + line_start) for m in _BRACKETED.finditer(body[line_start:line_end])]
            for s in members:
                if _town_taken_for_a_person(body, s, people) and re.match(r" +\d", body[s.end :]):
                    s.label, s.team = "ORG", True  # `Harbourton 214 and 95-4`
                if s.fixed or s.label not in ("GPE", "LOC", "FAC") or any(a <= s.start < b for a, b in bracketed):
                    continue
                if (s.place is not None and s.place.kind in _SIDE_KINDS) or body[s.end : s.end + 1] == ":":
                    continue  # a national side, or the ground the line is from (`Harbourton: ...`)
                s.label, s.place, s.team = "ORG", None, True
        line_start = line_end + 1
    return sorted(spans + found, key=lambda s: s.start) if found else spans


# What says a town's or region's name means its side: a sports role or a result right
# after it (`Harbourton captain`, `Millbrook striker`, `Harbourton beat`), a result before
# it (`beat Harbourton`, `v Harbourton`).
_TEAM_ROLE = re.compile(
    r"\s+(?:captain|coach|manager|skipper|striker|midfielder|defender|goalkeeper|batsman|bowler|all-rounder|"
    r"seamer|spinner|pitcher|quarterback|winger|fullback|playmaker|team[ -]?mates?)\b"
)
_TEAM_AFTER = re.compile(r"\s+(?:beat|defeated|thrashed|drew with|lost to|v|vs\.?)\s")
_TEAM_BEFORE = re.compile(r"\b(?:beat|defeated|thrashed|drew with|lost to|v|vs\.?)\s+$")
# A result says sides only in a sports story (a band that beat a singer to an award is
# none): a results line in the article, or two of these words.
_SPORT_WORDS = any_word(
    r"innings|wickets?|goals?|halftime|half-time|league|championship|tournament|season|match|cup|"
    r"coach|striker|captain|title|final|points|game",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8)
def _sport_words(body: str) -> int:
    """How many different sports words the article holds: three rules ask, per article (a
    search of the whole body each time was 0.22 of entities' 1.1 CPU-s over 556 BBC files)."""
    return len({w.lower() for w in _SPORT_WORDS.findall(body)})


def _sports_story(body: str, spans: list[_Span]) -> bool:
    """A results line in the article (a span made a team there), or two sports words."""
    return any(s.team for s in spans) or _sport_words(body) >= 2


def _teams_in_the_article(body: str, spans: list[_Span]) -> list[_Span]:
    """A town or region an article uses as a side's name (a results line's team, or a
    place with a sports role or a result next to it: `Harbourton captain`, `Millbrook beat
    Dunmore`) is that side wherever else the article names it: the model's place or
    one-word person there becomes the team, and a mention it missed is added. A country or
    nation stays a place (a national side is reported as its country)."""
    teams: dict[str, str] = {}
    sport = _sports_story(body, spans)
    people = {w for s in spans if s.label == "PERSON" and len(s.name.split()) >= 2 for w in s.name.split()}
    for s in spans:
        text = body[s.start : s.end]
        if s.place is not None and s.place.kind in _SIDE_KINDS:
            continue
        result = sport and body[s.end : s.end + 1] != "-"  # `defeated Moscow-backed ...` is no result
        result = result and bool(_TEAM_AFTER.match(body, s.end) or _TEAM_BEFORE.search(body, max(0, s.start - 12), s.start))
        # A role, too, only in a sports story: `a Leeds manager at the bank`, `a London coach` (a bus).
        role = sport and bool(_TEAM_ROLE.match(body, s.end))
        # a person beats another in a singles game: only a role makes a person's word a side
        if s.team or (s.label in ("GPE", "LOC", "FAC", "ORG") and (result or role)):
            teams.setdefault(text, s.name if s.label == "ORG" else text)
        elif result and _town_taken_for_a_person(body, s, people):
            teams.setdefault(text, text)  # `beat Millbrook` (a person's name would be no town's)
        elif s.label == "PERSON" and " " not in text and role:
            teams.setdefault(text, text)
    teams = {t: n for t, n in teams.items() if english_words()[t.lower()] < 1000 and t not in people}
    if not teams:
        return spans
    for s in spans:
        text = body[s.start : s.end]
        if (
            text in teams
            and not s.fixed
            and s.label in ("GPE", "LOC", "FAC", "PERSON", "ORG")
            and not _the_place_itself(body, s.start, s.end)
        ):
            if not (s.place is not None and s.place.kind in _SIDE_KINDS):
                s.label, s.name, s.place = "ORG", teams[text], None
    taken = [(s.start, s.end) for s in spans]
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(teams, key=len, reverse=True))) + r")(?![\w-])")
    found = [
        _Span(m.start(), m.end(), "ORG", teams[m.group(1)])
        for m in pattern.finditer(body)
        if not any(a < m.end() and m.start() < b for a, b in taken)
        and not re.match(r"\s+[A-Z]", body[m.end() : m.end() + 2])
        and not _the_place_itself(body, m.start(), m.end())
    ]
    return sorted(spans + found, key=lambda s: s.start) if found else spans


# A holder's country in brackets right after a name (`Jane Doe (Kenya)`), as results and
# line-ups give athletes.
_COUNTRY_AFTER = re.compile(r" ?\(([A-Z][\w.' -]*)\)")
# What follows the brackets in a results line: a time, score or points, or a result.
_RESULT_AFTER = re.compile(r"[ \t]*(?:\d|(?:beat|bt|defeated|v|vs)\b)")


def _people_by_their_countries(body: str, spans: list[_Span], reference: Reference) -> None:
    """Names of two words or more that an article gives with a country in brackets after
    them (`Jane Doe (Kenya) 15:08.79`) are people when the model read one such name as a
    person: the organizations and the unknown places it made of the others become people
    (a list of athletes).
    A name with a company's suffix stays, and so does a list where the model found no
    person (`Norsk Telekom (Norway), Suomi Tele (Finland)`)."""

    sport = _sports_story(body, spans)

    def country_after(s: _Span) -> bool:
        if (m := _COUNTRY_AFTER.match(body, s.end)) is None:
            return False
        place = lookup_place(m.group(1))
        return (place is not None and place.kind in _SIDE_KINDS) or _owner_of(m.group(1), reference) is not None

    def a_result(s: _Span) -> bool:
        """A result or a sports story: `Jane Doe (Kenya) 15:08.79`, `... (China) beat ...`; not
        `Delegates included Jane Doe (Kenya), the World Bank (US) and ...`."""
        m = _COUNTRY_AFTER.match(body, s.end)
        return sport or (m is not None and _RESULT_AFTER.match(body, m.end()) is not None)

    listed = [s for s in spans if len(body[s.start : s.end].split()) >= 2 and country_after(s)]
    if not any(s.label == "PERSON" for s in listed):
        return
    for s in listed:
        if not a_result(s):
            continue
        text = body[s.start : s.end]
        unknown_place = s.label in ("GPE", "LOC") and s.place is None and lookup_place(text) is None
        if (s.label == "ORG" or unknown_place) and not s.fixed and not s.team and not _CORPORATE_SUFFIX.search(text):
            s.place = None
            s.label, s.name = "PERSON", display_case(text) if is_all_caps(text) else " ".join(text.split())


def _the_place_itself(body: str, start: int, end: int) -> bool:
    """A side's town named as the place: after `in`, `at`, `near`… (`a home game in
    Harbourton`, `DUNMORE AT HARBOURTON`), as the ground a line opens with (`Harbourton:
    ...`) or in a dateline (`HARBOURTON 1996-08-30`)."""
    before = body[max(0, start - 8) : start]
    dateline = re.match(r"(?:,[^\n]{0,30})?\s+\d{4}-\d\d-\d\d", body[end : end + 50])
    return bool(re.search(r"\b(?:in|at|near|outside|from)\s+$", before, re.IGNORECASE) or body[end : end + 1] == ":" or dateline)


def _with_missed_acronyms(body: str, spans: list[_Span]) -> list[_Span]:
    """An organization's acronym that the article gives in brackets after its full name
    (`Central Narcotics Bureau (CNB)`) is a mention of it wherever the model missed it,
    the brackets included."""
    acronyms: dict[str, str] = {}
    for s in spans:
        if s.label == "ORG" and len(s.name.split()) >= 2:
            m = re.match(r"\s*\(([A-Z]{2,6})\)", body[s.end : s.end + 12])
            if m and m.group(1) == _initials(s.name):
                acronyms.setdefault(m.group(1), s.name)
    if not acronyms:
        return spans
    taken = [(s.start, s.end) for s in spans]
    found = []
    for m in re.finditer(r"(?<![\w.&-])(" + "|".join(acronyms) + r")(?![\w&-])", body):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            found.append(_Span(m.start(), m.end(), "ORG", acronyms[m.group(1)]))
    return sorted(spans + found, key=lambda s: s.start) if found else spans


# What says a country's name is the US state's (`Atlanta, Georgia`, `Georgia Gov. Brian Kemp`,
# `R-Ga.`) or the country's (`Tbilisi`, `Georgian`, `South Ossetia`).
_US_STATE_SIGNS = re.compile(
    r"\b(?:[RD]-Ga\b|Ga\.|state of Georgia|Atlanta|Savannah|Peach State|Georgia (?:Gov\.|Governor|governor|Republicans?|"
    r"Democrats?|voters|Senate|House|[Ll]egislature|Supreme Court|Tech|Bulldogs|secretary of state)|University of Georgia)"
)
_COUNTRY_SIGNS = re.compile(
    r"\b(?:Tbilisi|Batumi|Georgians?|Caucasus|Abkhazia|South Ossetia|Republic of Georgia|Soviet|Kremlin|Moscow)\b"
)


def _other_spellings_in_their_country(body: str, spans: list[_Span], reference: Reference) -> None:
    """A city the gazetteer finds only by another spelling of its name, not a prominent one
    (GeoNames lists foreign forms too: `Hamas` is one of Hamm's), is that city only when the
    article names its country otherwise: the country, its people or another of its places
    (`Zaporozhye` in a story about Ukraine). Else the name stays what the model called it
    (`Hamas` in a story about Gaza), as a name the gazetteer does not know would."""
    for s in spans:
        if s.model_label is None or s.place is None:
            continue
        code = s.place.country_code
        if any(o.place is not None and o.place.country_code == code and o.name != s.name for o in spans):
            continue
        if code and re.search(r"\b(?:" + "|".join(map(re.escape, country_words(code))) + r")\b", body):
            continue
        text = " ".join(body[s.start : s.end].split())
        s.place, s.label = None, s.model_label
        s.name = _shown_name(text, s.label, reference.acronyms)


def _us_state_or_country(body: str, spans: list[_Span]) -> None:
    """A place the gazetteer gives a country that a US state shares the name of (Georgia)
    is the state when the article says so more than it says the country: other US states,
    a US city before it (`Macon, Georgia`) and phrases (`Atlanta`, `R-Ga.`, `Georgia
    voters`; a US city elsewhere is no evidence: the country's rugby team plays in Los
    Angeles), against the country's (`Tbilisi`, `Georgian`, `South Ossetia`). The state then has its own name and code (`Georgia (US state)`, US),
    so that the archive never counts the two as one."""
    shared = [s for s in spans if s.place is not None and s.place.kind == "country" and lookup_place(us_state_name(s.name))]
    if not shared:
        return
    us = len(_US_STATE_SIGNS.findall(body)) + sum(
        1 for s in spans if s.place is not None and s.place.country_code == "US" and s.place.kind == "state"
    )
    # a US city before the name (`Macon, Georgia`)
    us += sum(
        1
        for city, s in zip(spans, spans[1:], strict=False)
        if city.place is not None
        and city.place.country_code == "US"
        and city.place.kind == "city"
        and s in shared
        and re.fullmatch(r",\s*", body[city.end : s.start]) is not None
    )
    for s in shared:
        code = s.place.country_code if s.place is not None else None
        country = len(_COUNTRY_SIGNS.findall(body)) + sum(
            1 for o in spans if o.place is not None and o.place.country_code == code and o is not s and o.name != s.name
        )
        state = lookup_place(us_state_name(s.name))
        if us > country and state is not None:
            s.place, s.name = state, state.name


def canonicalize(
    raw: list[tuple[int, int, str]],
    body: str,
    sentence_starts: list[int],
    reference: Reference = DEFAULT_REFERENCE,
) -> list[Mention]:
    """Mentions of one article from the model's (start, end, label) spans over `body`.
    Spans of labels that name nothing (DATE, CARDINAL, MONEY, …) are ignored."""
    spans = _spans_of(raw, body, reference)
    spans = _people_by_their_given_names(body, _players_of_line_ups(body, spans))
    spans = _missed_given_and_family_names(body, spans)
    spans = _whole_people(body, _people_of_countries(body, _titled_people(body, _parties_of_nations(body, spans))))
    _resolve_names(body, spans, reference)
    _other_spellings_in_their_country(body, spans, reference)
    spans = [s for s in spans if not _common_word(body, s, sentence_starts)]
    _us_state_or_country(body, spans)
    spans = _with_missed_surnames(body, spans)
    spans = _with_missed_acronyms(body, spans)
    spans = _organizations_by_their_short_names(body, spans)
    _people_by_their_countries(body, spans, reference)
    spans = _teams_of_results_lines(body, spans) if _results_context(body) else spans
    spans = _teams_in_the_article(body, spans)
    mentions = []
    for s in spans:
        kind = _KIND.get(s.label, s.label)
        # (a name that lost the city it spells otherwise is no place by its spelling either)
        geo = geocode(s.name, s.label) if s.label in _PLACE_LABELS and not (s.model_label and s.place is None) else None
        mentions.append(
            Mention(
                sentence_idx=max(0, bisect.bisect_right(sentence_starts, s.start) - 1),
                text=body[s.start : s.end],
                label=s.label,
                char_start=s.start,
                char_end=s.end,
                entity_id=entity_id(kind, s.name),
                canonical_name=s.name,
                entity_key=entity_key(kind, s.name),
                country_code=geo[0] if geo else None,
                latitude=geo[1] if geo else None,
                longitude=geo[2] if geo else None,
            )
        )
    return mentions


def corpus_merges(entities: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Across the corpus: entity_id → the entity_id to count it as, for people known in
    some article by surname only (`Putin` where the article never names him in full).
    `entities` are (entity_id, entity_key) pairs, e.g. from entities_dim. A one-word key
    merges into the one person whose key ends with it; when two people share the surname
    (Boris and Karen Johnson) it merges into neither.

    The same rule in SQL, over a mentions table with entity_id and entity_key:

        with people as (
            select distinct entity_id, entity_key, string_split(entity_key, ' ') as words
            from mentions where entity_key like 'PERSON:%'
        ),
        candidates as (
            select s.entity_id, f.entity_id as full_id
            from people s join people f
              on len(s.words) = 1 and len(f.words) > 1
             and 'PERSON:' || f.words[-1] = s.entity_key
        )
        select entity_id, any_value(full_id) as merged_into
        from candidates group by entity_id having count(distinct full_id) = 1
    """
    people: dict[str, str] = {}
    for eid, key in entities:
        if key.startswith("PERSON:"):
            people[eid] = key[len("PERSON:") :]
    by_surname: dict[str, set[str]] = {}
    for eid, key in people.items():
        words = key.split()
        if len(words) > 1:
            by_surname.setdefault(words[-1], set()).add(eid)
    merges = {}
    for eid, key in people.items():
        if len(key.split()) == 1 and len(by_surname.get(key, ())) == 1:
            merges[eid] = next(iter(by_surname[key]))
    return merges


def with_places(mention: Mention) -> Mention:
    """The mention with its place columns filled from the gazetteer (for mentions made
    before places were coded)."""
    geo = geocode(mention.canonical_name, mention.label)
    if geo is None:
        return mention
    return replace(mention, country_code=geo[0], latitude=geo[1], longitude=geo[2])
