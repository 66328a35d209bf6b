"""Quotations: the quoted words, who said them and the verb that says so.

Quoted spans are found by their marks, paragraph by paragraph, in straight or curly
quotes; marks that do not pair the usual way are handled as writers and OCR produce them:
a doubled opener (`""dangerous moment"`), a double-quoted passage closed by a single mark
(`"psychological pressure'`), and a passage opened in one paragraph and never closed
(news style for a quote that runs on). Quoted names are not quotes (`“Allied Resolve”`).

The attribution is read from the quote's own sentence(s), outside any quote marks, in
this order:

1. right after the quote: `"…," Putin said`, `"…," said French Foreign Minister Jean-Yves
   Le Drian`, `"…," he said`;
2. a verb before the quote: `Lukashenko told reporters "…"`, `Kyiv denounced the war
   games as "…"`, `… and said Moscow had "no plans"`;
3. a colon introduction: `a plea from Secretary-General Antonio Guterres: "…"` (no verb);
4. a verb later in the sentence: `to avoid a "miscalculation" …, the Pentagon said`;
   `according to X` (no verb);
5. a quote that opens a sentence with no attribution of its own continues the quote
   before it in the paragraph: `"A," Lukashenko told reporters. "B."`

The speaker is the entity mention that is the verb's subject: the nearest person,
organization or place before the verb that is not inside a prepositional phrase (`EU
ministers meeting in Brussels said`) or an appositive (`Medvedev, now deputy head of
Russia's Security Council, mocked`); after the verb when the order is inverted; the last
person named before a pronoun (`he said`); the subject of the sentence's earlier verb for
a participle or a second verb (`Lavrov said, adding …`). A speaker that is no entity
(`a senior administration official`) is None, and so is the verb of `according to`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.entities import Mention
from transforms.reference import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES


@dataclass(frozen=True)
class Quote:
    char_start: int  # the quoted words, without their marks
    char_end: int
    text: str
    speaker_text: str | None  # as the attribution writes it: `Lukashenko`, `he`, `the Pentagon`
    speaker_entity_id: str | None
    speaker_name: str | None  # the speaker's canonical name
    verb: str | None  # as written: `said`, `told`, `adding`; None for `according to` or a colon


ATTRIBUTION_VERBS = frozenset(
    """
    said says say told tells added adds adding saying wrote writes tweeted posted called calls calling
    described describes describing dismissed dismissing denounced denouncing warned warns warning urged
    urges urging announced announces threatened mocked accused accuses accusing insisted insists
    stressed stresses noted notes asked asks replied declared condemned condemning argued argues claimed
    claims explained acknowledged admitted promised vowed pledged branded labelled labeled termed hailed
    praised criticised criticized slammed rejected denied confirmed recalled quoted conceded quipped
    cautioned remarked observed complained lamented boasted joked responded retorted countered predicted
    """.split()
)
_PARTICIPLES = frozenset(v for v in ATTRIBUTION_VERBS if v.endswith("ing"))
_VERB = re.compile(r"(?<![\w-])(" + "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True)) + r"|according to)\b")
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE"})
_PREPOSITIONS = frozenset(
    "in at from to for on of with by near into across over against about during after before between "
    "toward towards under through within without via".split()
)
_PRONOUNS = {"he": "m", "she": "f", "it": "it"}
_BETWEEN_SUBJECT_AND_VERB = re.compile(
    r"^(?:\s+(?:also|later|then|again|repeatedly|earlier|has|had|have|once|previously|separately|"
    r"statement|office|spokesman|spokeswoman|spokesperson|ministry|said|has since))*\s*$"
)
_PRONOUN_BEFORE = re.compile(r"\b(he|she|it|He|She|It)\s+(?:(?:also|later|then|again|has|had|have)\s+)*$")
_NP_END = re.compile(r"[,.;:!?\"“”]|\b(?:who|which|that|when|while|where|in|at|on|during|after|before|as|adding|and)\b")
_NAME_LIKE = re.compile(r"^(?:[A-Z][\w’'.-]*)(?:\s+(?:of|the|and|for|[A-Z][\w’'.-]*))*$")


@dataclass
class _Quoted:
    open_pos: int  # the opening mark
    close_pos: int  # the closing mark (== inner end when the quote runs to the paragraph's end)
    start: int  # the quoted words
    end: int


def extract_quotes(body: str, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[Quote]:
    """The quotes of one article. `sentences` are (start, end) spans over `body`;
    `mentions` its canonical entity mentions (transforms.entities.canonicalize)."""
    quoted = [q for q in find_quoted(body) if not _is_name(body, q, mentions)]
    mentions = sorted(mentions, key=lambda m: m.char_start)
    out: list[Quote] = []
    previous: tuple[_Quoted, Quote] | None = None
    for q in quoted:
        s0, s1 = _sentence_range(sentences, q, len(body))
        found = _attribute(body, q, quoted, s0, s1, mentions)
        if found is None and previous is not None:
            prev_q, prev_quote = previous
            same_paragraph = "\n" not in body[prev_q.close_pos : q.open_pos]
            opens_sentence = not body[s0 : q.open_pos].strip()
            if same_paragraph and opens_sentence and (prev_quote.speaker_name or prev_quote.verb):
                found = (prev_quote.speaker_text, _mention_by_id(mentions, prev_quote.speaker_entity_id), prev_quote.verb)
        speaker_text, mention, verb = found if found else (None, None, None)
        quote = Quote(
            char_start=q.start,
            char_end=q.end,
            text=body[q.start : q.end],
            speaker_text=speaker_text,
            speaker_entity_id=mention.entity_id if mention else None,
            speaker_name=mention.canonical_name if mention else None,
            verb=verb,
        )
        out.append(quote)
        previous = (q, quote)
    return out


# --- finding quoted spans ---------------------------------------------------------------


def find_quoted(body: str) -> list[_Quoted]:
    """Quoted spans of `body`, in order."""
    out: list[_Quoted] = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", body):
        out.extend(_quoted_in_paragraph(body, m.start(), m.end()))
    return out


def _mark_kind(text: str, i: int) -> str | None:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "“":
        return "open"
    if ch == "”":
        return "close"
    if ch == '"':
        if before.isspace() and after.isspace():
            return None  # a stray mark
        if before.isspace() or before in "([{—–-/\"“'‘":
            return "open"
        if after.isspace() or after in ".,;:!?)]}—–-\"”'’":
            return "close"
        return "either"
    if ch == "‘" and (before.isspace() or before in "([{—–-\"“"):
        return "single_open"
    if ch in "’'":
        if before.isspace() and after.isalpha():
            return "single_open"
        if not before.isspace() and not after.isalnum():
            return "single_close"
    return None


def _quoted_in_paragraph(text: str, start: int, end: int) -> list[_Quoted]:
    out: list[_Quoted] = []
    open_at: int | None = None
    single_open: int | None = None
    last_mark = -2
    for i in range(start, end):
        kind = _mark_kind(text, i)
        if kind is None:
            continue
        if kind == "either":
            kind = "close" if open_at is not None else "open"
        if kind == "open":
            if open_at is not None and i == last_mark + 1:
                open_at = i  # `""dangerous`: one opener typed twice
            else:
                if open_at is not None:
                    closer = _single_closer(text, open_at + 1, i)
                    if closer is not None:
                        out.append(_make(text, open_at, closer))
                open_at = i
            single_open = None
        elif kind == "close":
            if open_at is not None:
                if i > open_at + 1:
                    out.append(_make(text, open_at, i))
                open_at = None
            elif single_open is not None:
                out.append(_make(text, single_open, i))  # `'declined to attend."`
                single_open = None
        elif kind == "single_open" and open_at is None:
            single_open = i
        elif kind == "single_close" and open_at is None and single_open is not None:
            if i > single_open + 1:
                out.append(_make(text, single_open, i))
            single_open = None
        last_mark = i
    if open_at is not None:
        closer = _single_closer(text, open_at + 1, end)
        if closer is not None:
            out.append(_make(text, open_at, closer))
        elif end > open_at + 1 and re.match(r"\s*\n\s*\n\s*[\"“]", text[end : end + 8]):
            # a quote that runs on into the next paragraph, which reopens it
            q = _make(text, open_at, end)
            out.append(_Quoted(q.open_pos, end, q.start, q.end))
    return [q for q in out if q.end > q.start]


def _single_closer(text: str, start: int, end: int) -> int | None:
    """A single mark closing a double-quoted passage (`"psychological pressure'`)."""
    for i in range(start, end):
        if text[i] in "'’" and _mark_kind(text, i) == "single_close" and (i + 1 >= len(text) or not text[i + 1].isalpha()):
            if text[i - 1] == "s" and i + 1 < len(text) and text[i + 1] == " " and _looks_possessive(text, i):
                continue
            return i
    return None


def _looks_possessive(text: str, i: int) -> bool:
    """`the Baltic states' borders`: a plural possessive, not a closing mark."""
    nxt = re.match(r"\s+([a-z]+)", text[i + 1 : i + 30])
    return bool(nxt) and nxt.group(1) not in ("and", "while", "but", "or", "as", "he", "she", "it", "they", "said", "the", "a")


def _make(text: str, open_pos: int, close_pos: int) -> _Quoted:
    start, end = open_pos + 1, close_pos
    while start < end and (text[start].isspace() or text[start] in "\"“'‘"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return _Quoted(open_pos, close_pos, start, end)


def _is_name(body: str, q: _Quoted, mentions: list[Mention]) -> bool:
    """`“Allied Resolve”`: a quoted name, not a quotation."""
    inner = body[q.start : q.end]
    if any(m.char_start <= q.start and q.end <= m.char_end for m in mentions):
        return True
    words = inner.split()
    return 1 <= len(words) <= 4 and bool(_NAME_LIKE.match(inner)) and not re.search(r"[.!?]$", inner) and len(words) > 1


# --- attribution ----------------------------------------------------------------------


def _sentence_range(sentences: list[tuple[int, int]], q: _Quoted, length: int) -> tuple[int, int]:
    """From the start of the sentence that opens the quote to the end of the one that
    closes it; a quote running on into the next paragraph takes that paragraph's first
    sentence too (where its attribution usually is)."""
    s0 = next((s for s, e in reversed(sentences) if s <= q.open_pos), 0)
    s1 = next((e for s, e in sentences if s <= q.close_pos < e), None)
    if s1 is None:
        s1 = next((e for s, e in sentences if s > q.close_pos), length)
    return s0, min(length, max(s1, q.close_pos + 1))


def _masked(body: str, s0: int, s1: int, quoted: list[_Quoted]) -> str:
    """body[s0:s1] with every quoted passage blanked (verbs inside quotes are the
    speaker's words, not the attribution)."""
    chars = list(body[s0:s1])
    for q in quoted:
        for i in range(max(q.open_pos, s0), min(q.close_pos + 1, s0 + len(chars))):
            chars[i - s0] = " "
    return "".join(chars)


def _attribute(
    body: str, q: _Quoted, quoted: list[_Quoted], s0: int, s1: int, mentions: list[Mention]
) -> tuple[str | None, Mention | None, str | None] | None:
    frame = _masked(body, s0, s1, quoted)
    verbs = [(s0 + m.start(), s0 + m.end(), m.group(1)) for m in _VERB.finditer(frame)]
    after = [v for v in verbs if v[0] > q.close_pos]
    before = [v for v in verbs if v[1] <= q.open_pos]
    # 1. Right after the quote: `"…," Putin said`.
    if after:
        v = after[0]
        gap = frame[q.close_pos + 1 - s0 : v[0] - s0]
        ends_open = body[q.end : q.close_pos + 2].strip().startswith((",", "?", "!")) or body[q.end : q.end + 1] == ","
        if (ends_open or body[q.end - 1 : q.end] in "?!") and len(gap.split()) <= 8 and not re.search(r"[.;]", gap):
            return _speaker(body, v, verbs, q.close_pos + 1, mentions, s0, frame)
    # 2. A verb before the quote.
    if before:
        return _speaker(body, before[-1], verbs, _window_start(quoted, before[-1], s0), mentions, s0, frame)
    # 3. A colon introduction.
    lead = body[s0 : q.open_pos].rstrip()
    if lead.endswith(":"):
        colon = s0 + len(lead) - 1
        cands = [m for m in mentions if s0 <= m.char_start and m.char_end <= colon and m.label in _SPEAKER_LABELS]
        people = [m for m in cands if m.label == "PERSON"]
        chosen = (people or cands)[-1] if cands else None
        return (chosen.text if chosen else None, chosen, None) if chosen else None
    # 4. A verb later in the sentence.
    if after:
        return _speaker(body, after[0], verbs, q.close_pos + 1, mentions, s0, frame)
    return None


def _window_start(quoted: list[_Quoted], verb: tuple[int, int, str], s0: int) -> int:
    """Where a verb's subject may start: the sentence, or the end of a quote before it."""
    ends = [q.close_pos + 1 for q in quoted if q.close_pos < verb[0] and q.close_pos >= s0]
    return max(ends) if ends else s0


def _speaker(
    body: str,
    verb: tuple[int, int, str],
    verbs: list[tuple[int, int, str]],
    window_start: int,
    mentions: list[Mention],
    s0: int,
    frame: str,
) -> tuple[str | None, Mention | None, str | None]:
    vstart, vend, word = verb
    shown_verb = None if word == "according to" else word
    if word == "according to":
        m = _after_verb(body, vend, mentions)
        return (m.text if m else None, m, None)
    # A participle or a second verb: the subject of the verb before it (`said, adding`).
    earlier = [v for v in verbs if v[1] <= vstart]
    gap_before = body[earlier[-1][1] : vstart] if earlier else ""
    if word in _PARTICIPLES or (earlier and re.match(r"^[^.;]*\band\s*$", gap_before) and not _has_mention(mentions, earlier[-1][1], vstart)):
        if earlier:
            text, mention, _ = _speaker(body, earlier[-1], verbs, _start_of(earlier[-1], verbs, s0), mentions, s0, frame)
            return text, mention, shown_verb
        first = [m for m in mentions if s0 <= m.char_start < vstart and m.label in _SPEAKER_LABELS]
        if first and not _after_preposition(body, first[0].char_start, s0):
            return first[0].text, first[0], shown_verb
    # A pronoun right before the verb.
    lo = max(window_start, vstart - 30)
    if pm := _PRONOUN_BEFORE.search(body[lo:vstart]):
        return pm.group(1), _antecedent(mentions, lo + pm.start(1), pm.group(1).lower()), shown_verb
    m = _subject_before(body, vstart, window_start, mentions)
    if m is None and _BETWEEN_SUBJECT_AND_VERB.match(body[window_start:vstart]):
        m = _after_verb(body, vend, mentions)  # `"…," said X`
    return (m.text if m else None, m, shown_verb)


def _start_of(verb: tuple[int, int, str], verbs: list[tuple[int, int, str]], s0: int) -> int:
    earlier = [v for v in verbs if v[1] <= verb[0]]
    return earlier[-1][1] if earlier else s0


def _has_mention(mentions: list[Mention], start: int, end: int) -> bool:
    return any(start <= m.char_start and m.char_end <= end and m.label in _SPEAKER_LABELS for m in mentions)


def _subject_before(body: str, vstart: int, window_start: int, mentions: list[Mention]) -> Mention | None:
    """The mention that is the subject of the verb at `vstart`."""
    end = vstart
    text_before = body[window_start:end].rstrip()
    # An appositive between commas right before the verb: a name in it is the subject
    # (`…, Vladimir Chizhov, dismissed`), anything else is skipped (`Medvedev, now …, mocked`).
    if text_before.endswith(","):
        comma = window_start + len(text_before) - 1
        prev_comma = body.rfind(",", window_start, comma)
        if prev_comma != -1:
            inside = [m for m in mentions if prev_comma < m.char_start and m.char_end <= comma and m.label == "PERSON"]
            if inside:
                return inside[-1]
            end = prev_comma
    candidates = [
        m
        for m in mentions
        if window_start <= m.char_start
        and m.char_end <= end
        and m.label in _SPEAKER_LABELS
        and not _after_preposition(body, m.char_start, window_start)
    ]
    return candidates[-1] if candidates else None


def _after_preposition(body: str, start: int, limit: int) -> bool:
    words = re.findall(r"[A-Za-z]+", body[max(limit, start - 25) : start])
    while words and words[-1].lower() in ("the", "a", "an"):
        words.pop()
    return bool(words) and words[-1].lower() in _PREPOSITIONS


def _after_verb(body: str, vend: int, mentions: list[Mention]) -> Mention | None:
    """Inverted order: `said French Foreign Minister Jean-Yves Le Drian, who …`."""
    stop = _NP_END.search(body, vend + 1)
    np_end = stop.start() if stop else len(body)
    # `according to Ukrainian Foreign Ministry spokesman Oleg Nikolenko`: the head is last.
    inside = [m for m in mentions if vend <= m.char_start and m.char_end <= np_end and m.label in _SPEAKER_LABELS]
    people = [m for m in inside if m.label == "PERSON"]
    if people:
        return people[-1]
    if body[np_end : np_end + 1] == ",":
        # `said the manager, Henrik Aalto.`: the name in apposition
        named = [m for m in mentions if m.label == "PERSON" and np_end < m.char_start <= np_end + 2]
        if named and re.match(r"\s*(?:[,.;]|$)", body[named[0].char_end : named[0].char_end + 2]):
            return named[0]
    return inside[-1] if inside else None


def _antecedent(mentions: list[Mention], pos: int, pronoun: str) -> Mention | None:
    """The last entity named before a pronoun that the pronoun can stand for."""
    want = _PRONOUNS[pronoun]
    for m in reversed([m for m in mentions if m.char_end <= pos]):
        if want == "it":
            if m.label in ("ORG", "GPE"):
                return m
            continue
        if m.label != "PERSON":
            continue
        first = m.canonical_name.split()[0].lower() if m.canonical_name else ""
        if (want == "m" and first in FEMALE_FIRST_NAMES) or (want == "f" and first in MALE_FIRST_NAMES):
            continue
        return m
    return None


def _mention_by_id(mentions: list[Mention], entity_id: str | None) -> Mention | None:
    if entity_id is None:
        return None
    return next((m for m in mentions if m.entity_id == entity_id), None)
