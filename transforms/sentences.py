"""Sentence boundaries of a clean body, as character spans.

Rule-based rather than spaCy's or pySBD's: the `senter` of en_core_web_sm merged most of
the first seed's sentences into four (measured: 4 sentences instead of 10), the
dependency parser that splits well doubles the model's cost per article, and pySBD gets
the public "Golden Rules" right but is ~30x slower than this module on the BBC corpus
(bench/sentence_speed.py). News prose needs terminal punctuation, closing quotes,
paragraph breaks, and a few rules for what follows a period:

- after an ordinary word, a period ends a sentence when the next token starts with a
  capital, a digit, a currency sign or an opening quote/bracket;
- after an abbreviation (`Mr.`, `Co.`, `Jan.`, `a.m.`), a dotted acronym (`U.S.`) or an
  initial (`J.`) it ends one only when the next token plainly starts a sentence: a
  pronoun, determiner, conjunction or question word (`They`, `The`, `But`, `How`), a quote
  opening on a capital, or, after `a.m.`/`p.m.` and company/time abbreviations, a title
  and name (`P.M. Mr. Smith`). So `U.S. officials`, `U.S. Gen. Milley`, `Mr. Smith`,
  `J. R. R. Tolkien` and `p.m. Eastern` stay whole, while `the U.S. How about you?` and
  `Jane and co. They should know.` split;
- `No.`, `p.`, `Fig.`, `N°.` are abbreviations only before a number (`No. 10`, but
  `he said no. Then`);
- numbered and lettered lists (`1.) … 2.) …`, `a. … b. …`, `• 9. …`) split before each
  item and never inside its marker;
- ellipses: `that.... She` and ` . . . . Next` end a sentence, a spaced ` . . . ` before a
  capital does not, and `word. . . . The` ends it after the first period;
- glued sentences (`the floor.The politician`) split;
- closing quotes and brackets stay with the sentence they close.

Each rule is linear in the text (no backtracking over more than a token), so a
500,000-character line costs what its length costs.
"""

from __future__ import annotations

import re

# Abbreviations, compared lower-cased without their final period. Each kind decides
# differently what may follow it (see `_after_abbreviation`). Words that are also common
# sentence-final English words are left out (`sun`, `sat`, `wed`, `mass`, `ill`, `miss`):
# after them a capital ends the sentence as after any word.
# Titles before a name: a sentence ends after them only before a pronoun or determiner.
TITLES = frozenset(
    """
    mr mrs ms mx messrs mme mlle dr prof sr jr gen gens lt col maj capt cmdr cdr sgt cpl pvt adm
    brig gov sen sens rep reps pres supt insp det rev revd fr hon amb sec atty gov supt
    st mt ft
    """.split()
)
# Abbreviations that end a name, company or date: a sentence may end after them before a
# pronoun/determiner, a quote or a title and name (`Inc. Mr. Smith said`).
TRAILING = frozenset(
    """
    inc corp ltd co cos plc llc llp cie bros assn dept univ govt
    vs al cf ca approx est min max avg
    jan feb mar apr jun jul aug sep sept oct nov dec tues thurs
    ave blvd rd hwy
    lb lbs oz sq
    ala ariz ark calif colo conn fla ga kan ky md mich minn mont neb nev okla tenn tex vt wis wyo
    """.split()
)
# Abbreviations only before a number (`No. 10`, `p. 55`, `N°. 1026`); otherwise a word.
BEFORE_NUMBER = frozenset("no nos n° nº p pp fig figs vol vols art ch rs para".split())
# Times: like TRAILING, except when the time opens the sentence (`At 5 a.m. Mr. Smith went`).
TIMES = frozenset("a.m p.m".split())
# Dotted abbreviations that are not acronyms of names (`e.g.`, `i.e.`).
DOTTED_OTHER = frozenset("e.g i.e a.k.a".split())

# Words that start a sentence and rarely follow an abbreviation inside one.
STARTERS = frozenset(
    """
    I I'm I've I'd I'll He She It We They You His Her Its Our Their My Your
    The A An This That These Those There Here
    But And Or So Yet However Meanwhile Also Still Now Then Instead Indeed Thus Therefore
    Nevertheless Nonetheless Moreover Furthermore Otherwise Besides Overall Finally
    In On At For With After Before During Under Over Among Despite Since Because Although
    Though While When Whether If As Once Until Unlike According
    What Who Whom Whose How Why Where Which
    Did Do Does Is Are Was Were Has Have Had Can Could Would Should Must Might Shall
    Some Many Most All Both Each Every Several Few No Not None Neither Either Other Another
    Such Only Even Just Let Let's Today Yesterday Tomorrow Last Earlier Later
    """.split()
)
# After a title (`Dr.`, `St.`) only these start a sentence: `Dr. Who`, `St. Andrews`.
STRONG_STARTERS = frozenset(
    """
    I He She It We They You His Her Its Our Their My Your The This That These Those There
    But However Meanwhile
    """.split()
)
# Title words that, with a name, may open the sentence after `p.m.` or `Inc.`.
TITLE_WORDS = TITLES | frozenset("president sir lord lady dame king queen prince princess pope judge".split())

_ABBREVIATIONS = TITLES | TRAILING | BEFORE_NUMBER

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_QUOTES = "\"'“‘«"

# A candidate boundary: terminal punctuation (with spaced periods of an ellipsis), any
# closing quotes/brackets, then whitespace.
# Possessive quantifiers: `complex. . . .”` at a paragraph's end is not retried as `complex. . .`.
_CANDIDATE = re.compile(r"[.!?…]++(?: \.(?=[\s" + re.escape(_CLOSERS) + r"]))*+[" + re.escape(_CLOSERS) + r"]*+(?=\s|$)")
# Glued sentences: a lower-case word, terminal punctuation, a capitalized word.
_GLUED = re.compile(r"(?<=[a-z][a-z])[.!?][" + re.escape(_CLOSERS) + r"]*(?=[“‘]?[A-Z][a-z])")
# The token before a period (`U.S`, `p.m`, `N°`, `100.00`, `Calif` in `D-Calif`).
_WORD_BEFORE = re.compile(r"[\w.°º]+$")
# The next token: a word with its apostrophe part, or a single character.
_NEXT_WORD = re.compile(r"[\w]+(?:['’][\w]+)?\.?")
# A list item's marker: `1.)`, `2)`, `1.`, `a.`, `• 9.`, `⁃10.`, at a paragraph start or
# after whitespace, followed by whitespace.
_MARKER = re.compile(r"(?:(?<=\s)|^)([•⁃▪‣◦]\s?)?(\d{1,2}|[a-z])(\.\)|\)|\.)(?=\s)", re.MULTILINE)
_SPACE = re.compile(r"\s*")


def split_sentences(text: str) -> list[tuple[int, int]]:  # noqa: C901
    """(start, end) spans of the sentences of `text`; `text[start:end]` is the sentence
    with surrounding whitespace excluded. Blank lines always end a sentence."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text):
        cuts, skip = _list_cuts(text, para_start, para_end)
        start = para_start
        for match in _CANDIDATE.finditer(text, para_start, para_end):
            if match.start() in skip:
                continue
            cut = _boundary(text, match.start(), match.end(), para_start, para_end, start)
            if cut is not None:
                cuts.append(cut)
                start = _skip_space(text, cut, para_end)
        for match in _GLUED.finditer(text, para_start, para_end):
            if not _glued_is_abbreviation(text, match.start(), match.end()):
                cuts.append(match.end())
        if len(cuts) > 1:
            cuts.sort()
        start = para_start
        for cut in cuts:
            end = _trim_end(text, start, cut)
            if end > start:
                spans.append((start, end))
            start = max(start, _skip_space(text, cut, para_end))
        if start < para_end:
            spans.append((start, para_end))
    return spans


# Two line breaks with only whitespace between them: a blank line, which ends a paragraph.
_BLANK_LINE = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    r"""The text's runs between blank lines, without their surrounding whitespace; a run of
    one character is joined to the next run. (What the regex
    `\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)` found, the second rule included; its lookahead at
    every character cost as much as splitting all the sentences.)"""
    spans = []
    single: int | None = None
    start = 0
    for cut in [*(m.span() for m in _BLANK_LINE.finditer(text)), (len(text), len(text))]:
        piece = text[start : cut[0]]
        stripped = piece.lstrip()
        if stripped:
            begin = start + len(piece) - len(stripped)
            end = begin + len(stripped.rstrip())
            if single is not None:
                spans.append((single, end))
                single = None
            elif end - begin == 1:
                single = begin
            else:
                spans.append((begin, end))
        start = cut[1]
    if single is not None:
        spans.append((single, single + 1))
    return spans


def _skip_space(text: str, i: int, limit: int) -> int:
    while i < limit and text[i].isspace():
        i += 1
    return i


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _list_cuts(text: str, para_start: int, para_end: int) -> tuple[list[int], set[int]]:
    """Cuts before the items of numbered or lettered lists in a paragraph, and the
    positions of the items' marker periods (never a boundary). A list is a run of at
    least two markers counting up by one in the same style, starting at 1 or `a` unless
    bulleted; a lone marker opening the paragraph is an item too (`1. The first point`)."""
    if not (_maybe_list(text, para_start, para_end)):
        return [], set()
    markers = []
    for m in _MARKER.finditer(text, para_start, para_end):
        value = int(m.group(2)) if m.group(2).isdigit() else ord(m.group(2)) - ord("a") + 1
        style = (m.group(2).isdigit(), m.group(3))
        markers.append((m.start(), m.start(3), value, style, bool(m.group(1))))
    cuts: list[int] = []
    skip: set[int] = set()
    for style in {m[3] for m in markers}:
        same = [m for m in markers if m[3] == style]
        i = 0
        while i < len(same):
            j = i + 1
            while j < len(same) and same[j][2] == same[j - 1][2] + 1:
                j += 1
            run = same[i:j]
            first = run[0]
            is_list = len(run) >= 2 and (first[2] == 1 or first[4])
            lone_opener = len(run) == 1 and first[0] == para_start and style[0]  # `1. The first point`
            if is_list or lone_opener:
                for start, punct, *_ in run:
                    skip.add(punct)
                    if start > para_start:
                        cuts.append(start)
            i = j
    return cuts, skip


def _maybe_list(text: str, start: int, end: int) -> bool:
    """Cheap pre-check for `_list_cuts`: a paragraph opening with a marker, or holding
    `1.`/`1)`/`a.`/a bullet after a space."""
    head = text[start : start + 4]
    if head[:1].isdigit() or head[:1] in "•⁃▪‣◦" or head[1:2] in ".)":
        return True
    return (
        text.find(" 1.", start, end) >= 0
        or text.find(" 1)", start, end) >= 0
        or text.find(" a. ", start, end) >= 0
        or text.find("•", start, end) >= 0
        or text.find("⁃", start, end) >= 0
    )


def _next_token(text: str, i: int, limit: int) -> tuple[str, int]:
    m = _NEXT_WORD.match(text, i, limit)
    return (m.group(), m.end()) if m else (text[i], i + 1)


def _boundary(text: str, punct_start: int, end: int, para_start: int, para_end: int, sent_start: int) -> int | None:  # noqa: C901
    """Where the sentence ends if the candidate at text[punct_start:end] ends one (the
    position after its punctuation and closing quotes), else None."""
    nxt = _skip_space(text, end, para_end)
    if nxt >= para_end:
        return None  # the paragraph's end closes the sentence anyway
    following = text[nxt]
    if following.islower():
        return None
    punct = text[punct_start:end].rstrip(_CLOSERS)
    attached = punct_start > para_start and not text[punct_start - 1].isspace()
    if "…" in punct or punct.count(".") >= 2:
        return _after_ellipsis(text, punct_start, end, punct, attached, following)
    opens = following.isupper() or following.isdigit() or following in _OPENERS or following in "$£€¥"
    if punct[0] != ".":
        return end if opens else None
    if not opens:
        return None
    if not attached:
        return end
    m = _WORD_BEFORE.search(text, max(para_start, punct_start - 24), punct_start)
    if m is None or text[m.start() - 1 : m.start()] in ("'", "’"):
        return end  # `isn't.`, `Blunkett's.`: a word, not an initial
    token = m.group().lower()
    if token in TITLES:
        return end if _starts_sentence(text, nxt, para_end, STRONG_STARTERS) else None
    if token in BEFORE_NUMBER:
        return None if following.isdigit() else end
    if token in TRAILING:
        return end if _starts_sentence(text, nxt, para_end, STARTERS, titles=True) else None
    if token in TIMES:
        if _time_opens_sentence(text, sent_start, m.start()):
            return None
        return end if _starts_sentence(text, nxt, para_end, STARTERS, titles=True) else None
    if "." in token:
        parts = token.split(".")
        if all(p.isalpha() and len(p) <= 2 for p in parts) or token in DOTTED_OTHER:
            return end if _starts_sentence(text, nxt, para_end, STARTERS) else None
        return end  # a number, a domain, a file name
    if len(token) == 1 and token.isalpha():
        return end if _starts_sentence(text, nxt, para_end, STARTERS) else None
    return end


def _starts_sentence(text: str, i: int, limit: int, starters: frozenset[str], titles: bool = False) -> bool:
    """Whether the token at text[i] plainly opens a sentence: one of `starters` (not an
    initial such as `A.`), a quote or bracket before a capital, or (with `titles`) a title
    and a capitalized name."""
    ch = text[i]
    if ch in _QUOTES:
        return i + 1 < limit and text[i + 1].isupper()
    word, after = _next_token(text, i, limit)
    if word.endswith("."):
        stem = word[:-1]
        if titles and stem.lower() in TITLE_WORDS:
            return _capitalized_after(text, after, limit)
        return False
    if word in starters:
        return True
    for apostrophe in "'’":
        if apostrophe in word:
            return word.split(apostrophe)[0] in starters  # `It's`, `I’m`, `There's`
    if titles and word.lower() in TITLE_WORDS and word[0].isupper():
        return _capitalized_after(text, after, limit)
    return False


def _capitalized_after(text: str, i: int, limit: int) -> bool:
    i = _skip_space(text, i, limit)
    return i < limit and text[i].isupper()


_TIME_OPENER = re.compile(r"(?:[A-Z][a-z]*\s+(?:[a-z]+\s+)?)?[\d:.]+\s*$")


def _time_opens_sentence(text: str, sent_start: int, token_start: int) -> bool:
    """`At 5 a.m.`, `By 10 p.m.`, `Shortly after 9 a.m.` at the start of a sentence."""
    return token_start - sent_start <= 24 and _TIME_OPENER.fullmatch(text, sent_start, token_start) is not None


def _after_ellipsis(text: str, punct_start: int, end: int, punct: str, attached: bool, following: str) -> int | None:
    if text[punct_start - 1 : punct_start] in "[(" and punct_start > 0:
        return None  # an elision: `[...]`
    opens = following.isupper() or following in _OPENERS
    if not opens:
        return None
    dots = punct.count(".") + 3 * punct.count("…")
    spaced = " " in punct
    if attached and spaced and dots >= 4:
        return punct_start + 1  # `compounds. . . . The` ends after `compounds.`
    if not attached and spaced and dots < 4:
        return None  # `the thing is . . . I didn't`: an omission inside the sentence
    return end  # `that.... She`, `period . . . . Next`, and in quoted speech `my feet ... We were`


def _glued_is_abbreviation(text: str, punct: int, after: int) -> bool:
    """Whether `word.Word` is not two sentences: an abbreviation (`Mr.Smith`), part of a
    URL, an e-mail address or a domain (`Halo.Bungie.Org`), or a name (`One.Tel,`). A
    glued sentence starts with a pronoun/determiner/title (`floor.The`, `said.Mr Brown`)
    or a word followed by a space (`dead.Police said`)."""
    i = punct
    while i > 0 and not text[i - 1].isspace() and punct - i < 64:
        i -= 1
    j = after
    while j < len(text) and not text[j].isspace() and j - punct < 64:
        j += 1
    token = text[i:j]
    if "/" in token or "@" in token or token.startswith("www") or "." in text[i:punct] or "." in text[after:j]:
        return True
    m = _WORD_BEFORE.search(text, i, punct)
    if m is not None and m.group().lower() in _ABBREVIATIONS:
        return True
    word, end = _next_token(text, after + (text[after] in "“‘"), len(text))
    return not (word in STARTERS or word.lower() in TITLE_WORDS or text[end : end + 1].isspace())
