"""Numbers with what they count: `more than 30,000 soldiers` → 30000, soldiers, more than.

The NER model finds the numbers (CARDINAL, MONEY and QUANTITY spans); digits it missed are
found by pattern. What is counted is read from the words after the number, without a
tagger or parser (wirehouse runs only the NER component, for speed): skip adjectives that
only describe (`additional`, `more`, a nationality such as `Russian`), then take the noun
run up to its first plural (`gold medals`, `troops`), stopping at a preposition, verb or
punctuation (`soldiers grouped in …`, `leaders held …`). Money takes its currency as
unit (`$1.5 billion` → USD, `1.2 billion euros` → EUR).

Not amounts: percentages, ordinals, dates and durations (other NER labels), vague
counts (`dozens of brigades`), numbers inside names (`Nord Stream 2`, `S-400`,
`Covid-19`) and numbers that count nothing the text names.

`qualifier` is one of `more than`, `at least`, `about`, `up to`, `less than` or None;
a range (`3,000-5,000 troops`, `between 3,000 and 5,000 troops`) is its upper bound with
`up to`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Amount:
    char_start: int
    char_end: int
    text: str
    value: float
    unit: str  # the counted noun as written (`troops`, `cubic metres`) or a currency code
    qualifier: str | None


NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY"})
# Spans of these labels are never part of an amount (a year, 13 percent, the fourth).
_OTHER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "ORDINAL"})
# Words that name a nationality or place inside the counted phrase (`Russian troops`).
_MODIFIER_LABELS = frozenset({"NORP", "GPE", "LOC"})

QUALIFIERS = {
    "more than": "more than", "over": "more than", "in excess of": "more than", "upwards of": "more than",
    "just over": "more than", "well over": "more than", "at least": "at least", "about": "about",
    "around": "about", "roughly": "about", "approximately": "about", "some": "about", "an estimated": "about",
    "estimated": "about", "nearly": "about", "almost": "about", "close to": "about", "approx.": "about",
    "up to": "up to", "as many as": "up to", "as much as": "up to", "fewer than": "less than",
    "less than": "less than", "under": "less than", "just under": "less than", "below": "less than",
}
_QUALIFIER = re.compile(
    r"(?P<q>" + "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True)) + r")\s+",
    re.IGNORECASE,
)
_NOT_QUALIFIER = re.compile(r"^(?:another|an additional|a further|the|a|an|only|just|all)\s+", re.IGNORECASE)

_UNITS = {
    "ones": 1, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12,
}
CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY",
    "francs": "CHF", "swiss francs": "CHF", "zloty": "PLN", "zlotys": "PLN",
}
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|mln|tn|trn|[kmb])\b"
_NUMBER = re.compile(
    r"(?P<cur>US\$|[$€£¥₽₴])?\s?(?P<num>" + _DIGITS + r")(?:\s?(?P<scale>" + _SCALE + r"))?"
    r"(?:\s*(?:-|–|to|and)\s*(?:US\$|[$€£¥₽₴])?(?P<num2>" + _DIGITS + r")(?:\s?(?P<scale2>" + _SCALE + r"))?)?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    r"(?P<words>(?:a\s+)?(?:(?:" + "|".join(_UNITS) + r"|hundred|thousand|million|billion|dozen)(?:[\s-]+(?:and\s+)?)?)+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# Words that describe the counted thing without naming it: skipped before the noun.
_DESCRIBING = frozenset(
    """
    more additional other extra further new breakaway separate different major key small large big
    armed heavy foreign local international national active former total combined civilian military
    fresh young old elderly ordinary regular russian american ukrainian
    """.split()
)
# Words that end the counted phrase: prepositions, conjunctions, determiners, verbs.
_STOP = frozenset(
    """
    of in on at to from for with by near into onto and or but nor that which who whom whose than as
    per across over under around about since during after before between against toward towards
    through along beyond within without while when where if so the a an this these those its their his
    her our your my is are was were be been being am will would could can may might must should shall
    do does did has have had having said say says told make made held met left went came took gave
    sent won lost fled fell rose ran began saw got kept put set led fought brought stood spent remain
    remains remained live lives face faces take takes need needs want wants including included each
    apiece already also still now then there here again last next early late ago a.m p.m
    """.split()
)
_IRREGULAR_PLURALS = frozenset(
    "people men women children police personnel staff troops aircraft sheep fish cattle data feet teeth "
    "geese mice crew militia infantry".split()
)
_VAGUE = re.compile(r"^(?:dozens|hundreds|thousands|millions|billions|tens|scores)\b", re.IGNORECASE)


def extract_amounts(body: str, entities: list[tuple[int, int, str]]) -> list[Amount]:
    """The amounts of one article. `entities` are the model's (start, end, label) spans over
    `body`, all labels: numbers come from CARDINAL/MONEY/QUANTITY spans and from digits no
    other span claims; the other spans say where numbers are names or dates and which
    words are nationalities."""
    numbers = sorted((s, e, label) for s, e, label in entities if label in NUMBER_LABELS)
    claimed = [(s, e) for s, e, label in entities if label not in NUMBER_LABELS]
    modifiers = [(s, e) for s, e, label in entities if label in _MODIFIER_LABELS]
    for m in _NUMBER.finditer(body):
        s, e = m.start("num") - (len(m.group("cur") or "") if m.group("cur") else 0), m.end()
        if any(a < e and s < b for a, b, _ in numbers) or any(a < e and s < b for a, b in claimed):
            continue
        numbers.append((s, e, "CARDINAL"))
    out: list[Amount] = []
    last_end = -1
    for start, end, label in sorted(numbers):
        if start < last_end:
            continue
        if any(a <= start and end <= b and label != "QUANTITY" for a, b in _names(entities)):
            continue
        amount = _amount(body, start, end, label, modifiers)
        if amount is not None:
            out.append(amount)
            last_end = amount.char_end
    return out


def _names(entities: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    return [(s, e) for s, e, label in entities if label not in NUMBER_LABELS and label not in _OTHER_LABELS]


def _amount(body: str, start: int, end: int, label: str, modifiers: list[tuple[int, int]]) -> Amount | None:
    span = body[start:end]
    if _VAGUE.match(span.strip()):
        return None
    # Inside the span: a qualifier or a word that is none (`another 3,000`).
    qualifier = None
    offset = 0
    while True:
        rest = span[offset:]
        if m := _QUALIFIER.match(rest):
            qualifier = QUALIFIERS[m.group("q").lower()]
            offset += m.end()
        elif m := _NOT_QUALIFIER.match(rest):
            offset += m.end()
        else:
            break
    number_start = start + offset
    # Before the span: a qualifier the model left out (`up to 8,500`).
    q_start = number_start if qualifier else None
    if qualifier is None:
        before = body[max(0, start - 20) : start]
        m = re.search(r"(?:^|\s)(" + _QUALIFIER.pattern[5:-4] + r")\s+$", before, re.IGNORECASE)
        if m and not re.search(r"\d", before[m.end() :]):
            qualifier = QUALIFIERS[m.group(1).lower()]
            q_start = start - len(before) + m.start(1)
    parsed = _parse_number(body, number_start, end)
    if parsed is None:
        return None
    value, number_end, currency, ranged = parsed
    if ranged and qualifier is None:
        qualifier = "up to"
    unit_end = number_end
    unit = currency
    if unit is None:
        # A currency word after the number (`1.2 billion euros`).
        m = re.match(r"\s+(swiss francs|[A-Za-z]+)\b", body[number_end : number_end + 20])
        if m and m.group(1).lower() in CURRENCY_WORDS:
            unit, unit_end = CURRENCY_WORDS[m.group(1).lower()], number_end + m.end()
    if unit is None:
        found = _counted(body, number_end, max(end, number_end), modifiers, value)
        if found is None:
            return None
        unit, unit_end = found
    first = q_start if q_start is not None else number_start
    return Amount(first, unit_end, body[first:unit_end], value, unit, qualifier)


def _parse_number(body: str, start: int, end: int) -> tuple[float, int, str | None, bool] | None:
    """(value, end of the number, currency code or None, is a range) of the number at
    `start`; digits or words, with a scale and a currency symbol."""
    text = body[start : max(end, start + 1) + 40]
    m = _NUMBER.match(text)
    if m and (m.start("num") <= 4):
        if start > 0 and (body[start - 1].isalpha() or body[start - 1] in "-–/") and not m.group("cur"):
            return None  # `S-400`, `Covid-19`, `G7`
        value = _digits(m.group("num"), m.group("scale"))
        number_end = start + m.end()
        ranged = False
        if m.group("num2"):
            second = _digits(m.group("num2"), m.group("scale2") or m.group("scale"))
            if second > value:
                value, ranged = second, True
            elif m.group("num2") and not m.group("scale2"):
                number_end = start + m.end("scale") if m.group("scale") else start + m.end("num")
        if not ranged and m.group("num2"):
            number_end = start + (m.end("scale") if m.group("scale") else m.end("num"))
        if number_end < len(body) and body[number_end : number_end + 1] in "-–" and body[number_end + 1 : number_end + 2].isalpha():
            # `100,000-strong`, `90-minute`: the number modifies what follows
            if not body[number_end + 1 :].lower().startswith("strong"):
                return None
            number_end += len("-strong") if body[number_end + 1 :].lower().startswith("strong") else 0
        currency = CURRENCY_SYMBOLS.get((m.group("cur") or "").lower())
        return value, number_end, currency, ranged
    w = _WORD_NUMBER.match(text)
    if w:
        words = w.group("words").rstrip(" -")
        words = re.sub(r"\s+(?:and)$", "", words)
        value = _words_value(words)
        if value is None:
            return None
        return value, start + len(words), None, False
    return None


def _digits(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return value


def _words_value(words: str) -> float | None:
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("a", "and", ""):
            if word == "a":
                current = current or 1
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion"):
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _counted(
    body: str, start: int, span_end: int, modifiers: list[tuple[int, int]], value: float
) -> tuple[str, int] | None:
    """(unit, end) of what the number at `start` counts: the noun run after it."""
    pos = start
    words: list[tuple[int, int, str]] = []
    while len(words) < 6:
        m = re.match(r"[ \t]+|(?=[A-Za-z])", body[pos:])
        if m is None or (m.end() == 0 and words):
            break
        w = _WORD.match(body, pos + m.end())
        if w is None:
            break
        words.append((w.start(), w.end(), w.group(0)))
        pos = w.end()
    # A unit the model put in a QUANTITY span (`122 miles per hour`, `1,000 cubic metres`).
    inside = [w for w in words if w[1] <= span_end]
    if inside:
        return body[inside[0][0] : inside[-1][1]], inside[-1][1]
    head: list[tuple[int, int, str]] = []
    for ws, we, word in words:
        lower = word.lower()
        in_modifier = any(a <= ws and we <= b for a, b in modifiers)
        if not head and (lower in _DESCRIBING or in_modifier):
            continue
        if lower in _STOP or in_modifier or (word[:1].isupper() and head) or _is_verb_form(lower):
            break
        if word[:1].isupper():
            break  # a name, not a counted noun (`2 Minsk`)
        head.append((ws, we, word))
        if _is_plural(lower) or value == 1 or len(head) == 3:
            break
    if not head:
        return None
    if value != 1 and not _is_plural(head[-1][2].lower()):
        return None  # `the two ... of`: no plural noun, no count
    unit_start, unit_end = head[0][0], head[-1][1]
    # `miles per hour`
    if m := re.match(r"\s+per\s+([a-z]+)", body[unit_end : unit_end + 30]):
        unit_end += m.end()
    return body[unit_start:unit_end], unit_end


def _is_plural(word: str) -> bool:
    return word in _IRREGULAR_PLURALS or (word.endswith("s") and not word.endswith("ss") and len(word) > 2)


def _is_verb_form(word: str) -> bool:
    return len(word) > 4 and (word.endswith("ed") or word.endswith("ing")) and word not in _IRREGULAR_PLURALS
