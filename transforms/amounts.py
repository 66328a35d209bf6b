"""Numbers with what they count: `more than 30,000 soldiers` → 30000, soldiers, more than.

The NER model finds the numbers (CARDINAL, MONEY and QUANTITY spans); digits it missed are
found by pattern. What is counted is read from the words after the number, without a
tagger or parser (wirehouse runs only the NER component, for speed): skip words that
only describe (`additional`, `more`, a nationality such as `Russian`), then take the
noun run up to its first plural (`gold medals`, `troops`), stopping at a preposition,
verb, name or punctuation (`soldiers grouped in …`, `leaders held …`). Money takes its
currency as unit (`$1.5 billion` → USD, `1.2 billion euros` → EUR), and a sum in pence or
cents is one of the currency itself (`185p` → 1.85 GBP, `12 cents` → 0.12 USD); a measure keeps
its unit as written (`122 miles per hour`, `70 km/h`, `minus 20 degrees Celsius`, `-5C` → -5).
Money and measures the model labelled as something else are read too (`a £25bn rise` as
ORDINAL, `77p` as DATE, `50bp` as ORDINAL).

Not amounts: percentages, ordinals, dates and durations (`14 hours`, `five years`), times
(`8 am`), vague counts (`dozens of brigades`), ratios and tallies (`one in five`, `voted
seven to two`), numbers inside names or compounds (`Nord Stream 2`, `S-400`,
`Covid-19`, `a 70-seat aircraft`) and numbers followed by no counted noun.

`qualifier` is one of `more than`, `at least`, `about`, `up to`, `less than` or None.
`value_low` and `value_high` are the ends of a range (`70,000-80,000 casualties`,
`between 3,000 and 5,000 troops`, `10 to 12 tanks`, `between 1.5 and 1.75 billion pounds`);
a single number is a range of one (both ends are its value). A range's `value` is its
upper end, so that one column charts every figure; its qualifier is only one the text
writes (`some 3,000-5,000 troops` → about).

Also read: amounts written in parts (`$11 billion 700 million` → 11,700,000,000, `two
billion 500 million hryvnias`) and counts of a group named after `of` and a determiner
(`46 of our partners`, `250 of its employees` → partners, employees).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from transforms import currencies


@dataclass(frozen=True)
class Amount:
    char_start: int
    char_end: int
    text: str
    value: float  # a range's upper end
    unit: str  # the counted noun as written (`troops`, `cubic metres`) or a currency code
    qualifier: str | None
    value_low: float  # the ends of a range; both are `value` for a single number
    value_high: float


NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY"})
# Spans of these labels are not amounts and hold none (a year, 13 percent, the fourth).
_OTHER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "ORDINAL"})
# Words that name a nationality or place inside the counted phrase (`Russian troops`).
_MODIFIER_LABELS = frozenset({"NORP", "GPE", "LOC"})

QUALIFIERS = {
    "more than": "more than",
    "over": "more than",
    "in excess of": "more than",
    "upwards of": "more than",
    "just over": "more than",
    "well over": "more than",
    "at least": "at least",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "approx.": "about",
    "up to": "up to",
    "as many as": "up to",
    "as much as": "up to",
    "fewer than": "less than",
    "less than": "less than",
    "under": "less than",
    "just under": "less than",
    "below": "less than",
}
_QUALIFIER_WORDS = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_QUALIFIER = re.compile(rf"(?P<q>{_QUALIFIER_WORDS})\s+", re.IGNORECASE)
_QUALIFIER_BEFORE = re.compile(rf"(?:^|(?<=\s))(?P<q>{_QUALIFIER_WORDS})\s+$", re.IGNORECASE)
_NOT_QUALIFIER = re.compile(
    r"(?:another|an additional|an extra|extra|a further|a total of|a record|between|the|a|an|only|just|all)\s+", re.I
)

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    # South Asian scales (`4.5 lakh people`, `Rs 2,000 crore`, `Rs 1.2 lakh crore`).
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "lakh crore": 10**12,
    "lakh crores": 10**12,
    # Malaysian papers' `RM419.2bil`, `RM500mil`.
    "bil": 10**9,
    "mil": 10**6,
    # Indian papers' `Rs 500 cr`.
    "cr": 10**7,
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "bn": 10**9,
    "b": 10**9,
    "tn": 10**12,
    "trn": 10**12,
}
# Symbols babel's English data does not give these currencies (CLDR writes `RUB`, `UAH`).
CURRENCY_SYMBOLS = {"₽": "RUB", "₴": "UAH"}
# Spellings CLDR's English names lack (`roubles`, `hryvnias`, `sterling`, `renminbi`);
# every other currency name comes from transforms.currencies.
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "hryvnas": "UAH",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "francs": "CHF",
    "zloty": "PLN",
    "zlotys": "PLN",
}
# Digits as papers group them: `1,250,000`; South Asian `12,50,000`; South African and
# European `50 000` (a space, no-break or thin space before each group of three).
_DIGITS = r"(?<!\d)(?:\d{1,2}(?:,\d\d)+,\d{3}(?!\d)|\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\w,])|\d+)(?:\.\d+)?"
_SCALE = r"hundred|thousand|million|billion|trillion|lakh\s+crores?|lakhs?|crores?|cr|bil|mil|bn|mn|mln|tn|trn|[kmb]"


@functools.lru_cache(maxsize=1)
def _currency_pattern() -> str:
    """Every currency marker (transforms.currencies) and the ones only this module knows."""
    return currencies.marker_pattern() + "|" + "|".join(re.escape(c) for c in CURRENCY_SYMBOLS)


# What may end right before a number: `minus`, a currency mark and a space. The mark is
# looked up among the marks rather than matched by one alternation of them all: searched at
# every number, that alternation was this step's main cost.
_BEFORE_NUMBER = re.compile(r"(?P<minus>minus\s+)?(?P<mark>[^\s\d]{1,5})?(?P<space>\s?)$")


def _mark_before(window: str) -> str:
    """The end of `window` that belongs to the number after it: `minus `, a currency mark
    and its space (`about US$` → `US$`, `(£` → `£`, `for Rs. ` → `Rs. `), or ''."""
    m = _BEFORE_NUMBER.search(window)
    if m is None:
        return ""
    mark, known = m.group("mark") or "", currencies.markers()
    for k in range(len(mark)):
        tail = mark[k:]
        if tail not in known and tail not in CURRENCY_SYMBOLS:
            continue
        before = mark[k - 1] if k else (window[m.start("mark") - 1] if m.start("mark") > 0 else "")
        if tail[0].isalpha() and before.isalpha():
            continue  # `R` inside `OR`
        return (m.group("minus") or "" if k == 0 else "") + tail + m.group("space")
    return "" if mark else (m.group("minus") or "") + m.group("space")


@functools.lru_cache(maxsize=1)
def _next_amount() -> re.Pattern:
    return re.compile(rf"\s*(?:to|and|or)\s+(?=(?:{_currency_pattern()})?\s?\d)")


_A_DIGIT = re.compile(r"\d")
_MAY_BE_MONEY = re.compile(r"[^\s\d]{1,5}\s?\d")  # a mark and a number; checked before the full pattern


@functools.lru_cache(maxsize=1)
def _number_pattern() -> re.Pattern:
    # A letter marker may stand apart from its number (`Rs 2,000`, `AED 1.1`, `Rs. 5.6`).
    cur = _currency_pattern()
    return re.compile(
        rf"(?P<minus>minus\s+|-)?(?P<cur>{cur})?\s?(?P<num>{_DIGITS})(?:(?:\s?|-(?=[a-z]{{4}}))(?P<scale>{_SCALE})\b)?"
        rf"(?:\s*(?P<conn>-|–|to|and)\s*(?P<cur2>{cur})?\s?(?P<num2>{_DIGITS})(?:\s?(?P<scale2>{_SCALE})\b)?)?",
        re.IGNORECASE,
    )


_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDS_NUMBER = re.compile(
    rf"(?:(?:{_NUMBER_WORD}|a|hundred|thousand|million|billion|dozen)\b(?:[\s-]+(?:and\s+)?)?)+",
    re.IGNORECASE,
)
_RATIO = re.compile(rf"^\s+(?:in|out of|to)\s+(?:\d+|{_NUMBER_WORD})\b", re.IGNORECASE)
_RATIO_BEFORE = re.compile(rf"\b(?:\d+|{_NUMBER_WORD})\s+(?:in|out of|to)\s+$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# Words that describe the counted thing without naming it: skipped before the noun.
_DESCRIBING = frozenset(
    """
    more additional other extra further new breakaway separate different major key small large big
    armed heavy foreign local international national active former total combined civilian military
    fresh young old elderly ordinary regular
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
    apiece already also still now then there here again last next early late ago
    """.split()
) | frozenset(NUMBER_WORDS)
# Counted "things" that are durations or clock times: not amounts.
_NOT_UNITS = frozenset(
    """
    second seconds minute minutes hour hours day days week weeks month months year years decade decades
    century centuries am pm a.m p.m percent per cent o'clock times hr hrs min mins sec secs yr yrs
    """.split()
)
# What follows a clock time: not a unit. A zone counts only in capitals, as papers write it
# (`2005 GMT`, `9am PT`), so `5 pt rises` (points) stays an amount.
_CLOCK_WORDS = frozenset("am pm a.m p.m".split())
_ZONES = frozenset("GMT BST CET CEST UTC ET EST EDT PT PST PDT IST".split())
_IRREGULAR_PLURALS = frozenset(
    "people men women children police personnel staff troops aircraft sheep fish cattle data feet teeth "
    "geese mice crew militia infantry".split()
)
# `46 of our partners`, `250 of its employees` (but not `one of the four`: no noun follows).
_OF_GROUP = re.compile(r"\s+of\s+(?:our|the|their|its|his|her|your|my|these|those)\b", re.IGNORECASE)
# A unit symbol glued to its number (`1,200MW`, `45km`, `6GB`, `14Mbps`): an SI prefix and a
# base symbol, or a few customary ones, case as written; other letters there make a name or a
# time (`3GSM`, `4Cast`, `2100GMT`, `10am`). Written out here: no units library is a
# dependency, and these are symbols, not words.
_GLUED_UNIT = re.compile(r"[kMGTmcµ]?(?:W|Wh|B|bps|g|m|m2|m3|l|L|Hz|V|t)|mph|kph|kmh|ha|bpd|bbl|cc|hp|ft|lbs?|oz|bp|°?[CF]")
# A sum in the currency's hundredth, written after its number (`185p`, `77 pence`, `12 cents`):
# an amount of the currency itself (1.85 GBP), so that one column compares prices.
_SUBUNIT = re.compile(r"(?P<pence>(?P<p>p)(?!\.m)|\s?pence)|\s?(?P<cents>cents?)|(?P<c>c)(?=[ \t,;.)])")
# A sum in the Omani rial's thousandth (`300 baisas` → 0.3 OMR).
_THOUSANDTH = re.compile(r"\s?(?:baisas?|baizas?)\b")
# A story that gives sums in sterling, where a `p` glued to a number is pence, and one that
# gives them in another currency only, where it is not (`1080p` in a story priced in dollars).
_STERLING = re.compile(r"£|\bGBP\b|\bpence\b|\bsterling\b|\d\s?pounds?\b", re.IGNORECASE)
_OTHER_MONEY = re.compile(r"[$€¥₹₩₦₱]|\b(?:dollars?|euros?|cents?|yen|yuan|rupees?|francs?|USD|EUR)\b", re.IGNORECASE)
# Sums in dollars (`$20.56`, `5 million dollars`; not `against the dollar`).
_DOLLAR_SUMS = re.compile(r"\$\s?\d|\d\s?(?:[A-Za-z]+\s+){0,2}dollars?\b")
_SUBUNIT_AFTER = re.compile(rf"(?:{_SUBUNIT.pattern})\b")
# `1080p video`, `720p screens`: a picture's lines, not pence.
_VIDEO = re.compile(
    r"\s+(?:[A-Za-z]+\s+)?(?:videos?|resolution|HD|screens?|displays?|footage|streams?|streaming|cameras?|TVs?)\b"
)
_PERCENT = re.compile(r"%|\bper\s?cent|\bpercent|\bpct\b|percentage", re.IGNORECASE)
_PERCENTAGE_POINTS = re.compile(r"(?:percentage|percent|per\s?cent)\s+points?", re.IGNORECASE)
_VAGUE = re.compile(r"^(?:dozens|hundreds|thousands|millions|billions|tens|scores)\b", re.IGNORECASE)


def extract_amounts(
    body: str, entities: list[tuple[int, int, str]], countries: Mapping[str, float] | None = None
) -> list[Amount]:
    """The amounts of one article. `entities` are the model's (start, end, label) spans over
    `body`, all labels: numbers come from CARDINAL/MONEY/QUANTITY spans and from digits no
    other span claims; the other spans say where numbers are names or dates and which
    words are nationalities. `countries` (ISO 3166 code → how much the article is about
    it; transforms.extraction.article_countries) says which money a mark means: `$` in a
    Singapore story, `Rs` in a Pakistani one, a lone `R` (rand) or `P` (peso)."""
    money = _Money(body, countries or {})
    # The model sometimes calls a count a percentage (`nearly 40 clinics` as PERCENT), and
    # money in a mark it does not know a name or a product (`R40` ORG, `R1.2bn` PRODUCT,
    # `Rand Water R1.2 billion` ORG).
    entities = [
        piece
        for s, e, label in entities
        for piece in (
            [(s, e, "CARDINAL")]
            if label == "PERCENT" and not _PERCENT.search(body[s:e])
            else _number_in_other_span(body, s, e, label)
            if label in _MISREAD_LABELS and _misread_number(body, s, e) is not None
            else _money_in_name(body, s, e, label, money)
            if label not in NUMBER_LABELS
            else [(s, e, label)]
        )
    ]
    numbers = sorted((s, e, label) for s, e, label in entities if label in NUMBER_LABELS)
    claimed = [(s, e) for s, e, label in entities if label not in NUMBER_LABELS]
    modifiers = [(s, e) for s, e, label in entities if label in _MODIFIER_LABELS]
    taken = _Intervals([(s, e) for s, e, _ in numbers] + claimed)
    for m in re.finditer(_DIGITS, body):
        s, e = m.start(), m.end()
        if not taken.overlaps(s, e):
            numbers.append((s, e, "CARDINAL"))
    names_and_dates = _Intervals(claimed)
    out: list[Amount] = []
    for start, end, label in sorted(numbers):
        if out and start < out[-1].char_end:
            continue
        if names_and_dates.covers(start, end):
            continue  # a number inside a name or a date
        amount = _amount(body, start, end, label, modifiers, money)
        while amount is not None:
            out.append(amount)
            # A span holding a second amount (`cut by Rs. 12 to Rs. 368` as one MONEY span).
            rest = _next_amount().match(body[amount.char_end : end])
            if rest is None:
                break
            amount = _amount(body, amount.char_end + rest.end(), end, label, modifiers, money)
    return out


# Labels the model gives numbers that are amounts: `50bp` and `a £25bn rise` as ORDINAL, `77p`
# as DATE, `797p` as PRODUCT, `£25bn a year` as DATE.
_MISREAD_LABELS = frozenset({"ORDINAL", "DATE", "PRODUCT", "TIME"})
_SPAN_NUMBER = re.compile(rf"{_DIGITS}(?:\s?(?:{_SCALE})\b)?")


def _misread_number(body: str, start: int, end: int) -> int | None:
    """Where the number ends in a span of another label that opens with money or a measure:
    a currency mark right before its number (`£` + `25bn a year`: after `25bn`), or a number
    in pence or glued to a unit symbol filling the span (`77p`, `50bp`: the span's end)."""
    m = _SPAN_NUMBER.match(body, start, end)
    if m is None:
        return None
    if _SUBUNIT.fullmatch(body, m.end(), end) or _GLUED_UNIT.fullmatch(body, m.end(), end):
        return end
    if _mark_before(body[max(0, start - 10) : start]).strip():
        return m.end()
    return None


def _number_in_other_span(body: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """A misread span as the number (CARDINAL: the amount is read from it as from any
    number) and what follows it under the span's label (`a year` of `25bn a year`)."""
    stop = _misread_number(body, start, end)
    assert stop is not None  # checked by the caller
    rest = stop + len(body[stop:end]) - len(body[stop:end].lstrip())
    return [(start, stop, "CARDINAL")] + ([(rest, end, label)] if rest < end else [])


def _money_in_name(body: str, start: int, end: int, label: str, money: _Money) -> list[tuple[int, int, str]]:
    """A model span that is, or ends in, a currency mark and its number: the money as MONEY
    and what is before it as the span's label (`Rand Water R1.2 billion` → `Rand Water`
    ORG + `R1.2 billion` MONEY); any other span as it is."""
    if not _A_DIGIT.search(body, start, end):
        return [(start, end, label)]
    pattern = _number_pattern()
    for k in range(start, end):
        if not (k == start or body[k - 1].isspace()) or not _MAY_BE_MONEY.match(body, k, end):
            continue
        m = pattern.match(body, k)
        if m and m.group("cur") and m.end() >= end and money.code(m.group("cur"), _unmistakable(m)):
            name_end = len(body[:k].rstrip())
            return ([(start, name_end, label)] if name_end > start else []) + [(k, end, "MONEY")]
    return [(start, end, label)]


def _unmistakable(m: re.Match) -> bool:
    """Whether a number after a one-letter mark can only be money: a scale, decimals or
    grouped digits (`R14 million`, `R6.5bn`, `R50 000`, `P5,000`; not the road `R21` or the
    mask `N95`)."""
    return bool(m.group("scale") or re.search(r"[.,\s\u00a0\u202f]\d", m.group("num")))


class _Money:
    """The currencies of one article's marks and words, resolved once per mark."""

    def __init__(self, body: str, countries: Mapping[str, float]):
        self.countries = countries
        self.body = body
        self._codes: dict[str, str | None] = {}
        self._pence: bool | None = None
        self._cents: str | None = None

    def code(self, marker: str | None, unmistakable: bool = False) -> str | None:
        """The currency a mark before a number means here, or None: no mark, or a one-letter
        mark in a story about no country that uses it before a number that could be
        something else (`R21`; but `R14 million` is rand anywhere)."""
        if not marker:
            return None
        if marker not in self._codes:
            self._codes[marker] = self._resolve(marker)
        code = self._codes[marker]
        if code is None and unmistakable and len(marker) == 1 and marker.isalpha():
            found = currencies.markers().get(marker)
            return found[0] if found else None
        return code

    def _resolve(self, marker: str) -> str | None:
        if marker in CURRENCY_SYMBOLS:
            return CURRENCY_SYMBOLS[marker]
        found = currencies.markers().get(marker) or currencies.markers().get(marker.upper())
        if not found:
            return None
        if marker == "$":
            return self._dollar(found)
        if marker == "£":
            return "GBP"  # CLDR gives `£` to Gibraltar's and the Falklands' pounds too; papers mean sterling
        return currencies.resolve(found, self.countries, marker=marker)

    def _dollar(self, dollars: tuple[str, ...]) -> str:
        """`$` is the US dollar, unless the story is about a country with a dollar of its own
        (as much as about any country, and more than about the US) and neither writes that
        dollar with its own mark (`NZ$`, wire style, where `$` is the US one) nor gives sums in
        sterling or euros beside it (`$305m (£162m)`, as the BBC does); writing `US$` says the
        paper's `$` is its own."""
        local = currencies.resolve(dollars[1:], self.countries)
        if local is None or not self.countries:
            return "USD"
        weight = currencies.weight(local, self.countries)
        if weight <= 0 or weight <= self.countries.get("US", 0.0):
            return "USD"
        if re.search(r"(?<![A-Za-z])US\$", self.body):
            return local
        if re.search(r"[£€]\s?\d", self.body):
            return "USD"  # a paper giving sums in sterling or euros too (`$305m (£162m)`): `$` is the US one
        own = [m for m, codes in currencies.markers().items() if codes == (local,) and m.endswith("$")]
        if any(m in self.body for m in own):
            return "USD"
        return local if weight >= 0.5 * max(self.countries.values()) else "USD"

    def pence(self) -> bool:
        """Whether a `p` after a number is pence here: in a story giving sums in sterling or
        most about the UK (`fell 9.1p`), or in none other currency (`for 99p`); not in a story
        priced in dollars only (`records 1080p and 720p, for $499`)."""
        if self._pence is None:
            self._pence = (
                bool(_STERLING.search(self.body))
                or (bool(self.countries) and max(self.countries, key=self.countries.__getitem__) == "GB")
                or not _OTHER_MONEY.search(self.body)
            )
        return self._pence

    def cents(self) -> str:
        """The currency of `cents` here: the euro in a story giving sums in euros and none in
        dollars; in a story with neither, the money of the country it is most about when that
        has cents (`31 cents` in a South African fuel story is rand); else the story's dollar
        (`$` as `code` reads it)."""
        if self._cents is None:
            self._cents = self._cents_currency()
        return self._cents

    def _cents_currency(self) -> str:
        dollars = _DOLLAR_SUMS.search(self.body)
        if re.search(r"€|\beuros?\b", self.body) and not dollars:
            return "EUR"
        if not dollars and self.countries:
            top = max(self.countries, key=self.countries.__getitem__)
            local = currencies.territory_currencies(top)
            if local and currencies.has_hundredths(local[0]):
                return local[0]
        if not dollars:
            # ... or of the story's sums in another currency (`R21.28` in a story the
            # countries step tied to no country).
            for m in re.finditer(rf"(?P<mark>{currencies.marker_pattern()})\s?\d[\d,]*(?P<dec>\.\d+)?", self.body):
                code = self.code(m.group("mark"), unmistakable=bool(m.group("dec")) or "," in m.group(0))
                if code and code != "USD" and currencies.has_hundredths(code):
                    return code
        return self.code("$") or "USD"

    def cents_glued(self) -> bool:
        """Whether a `c` glued to a number is cents here (`15c a litre`): in a story that gives
        sums in a currency with cents, and no temperatures (`15c` for Celsius)."""
        if re.search(r"°|\bcelsius\b|\bdegrees\b|\btemperatures?\b", self.body, re.IGNORECASE):
            return False
        return self.cents() != "USD" or bool(_DOLLAR_SUMS.search(self.body))

    def word(self, words: list[str]) -> tuple[str, int] | None:
        """(currency, how many words) of a currency name opening `words` (`Singapore
        dollars`, `UAE dirhams`, `rand`, `euros`), or None."""
        names = currencies.names()
        for n in (3, 2, 1):
            if len(words) < n:
                continue
            phrase = " ".join(words[:n]).lower()
            if n == 1 and phrase in CURRENCY_WORDS:
                return CURRENCY_WORDS[phrase], 1
            if phrase in names:
                found = names[phrase]
                if phrase in ("dollar", "dollars"):
                    return self._dollar(found), 1
                code = currencies.resolve(found, self.countries)
                return (code, n) if code else None
        return None


class _Intervals:
    """(start, end) spans, which may overlap, asked in O(log n) whether any overlaps or
    covers a span: an article can hold thousands of numbers, and a scan per number is
    quadratic. Sorted by start, with the furthest end reached by each prefix."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))

    def overlaps(self, s: int, e: int) -> bool:
        """Whether some span has a < e and s < b."""
        k = bisect.bisect_left(self.starts, e)
        return k > 0 and self.reach[k - 1] > s

    def covers(self, s: int, e: int) -> bool:
        """Whether some span has a <= s and e <= b."""
        k = bisect.bisect_right(self.starts, s)
        return k > 0 and self.reach[k - 1] >= e


def _amount(  # noqa: C901
    body: str, start: int, end: int, label: str, modifiers: list[tuple[int, int]], money: _Money
) -> Amount | None:
    if _VAGUE.match(body[start:end]):
        return None
    # In the span: qualifiers and words that are none (`more than`, `another`).
    qualifier, q_start, pos = None, None, start
    while True:
        if m := _QUALIFIER.match(body, pos, end):
            qualifier = qualifier or QUALIFIERS[m.group("q").lower()]
            q_start = pos if q_start is None else q_start
            pos = m.end()
        elif m := _NOT_QUALIFIER.match(body, pos, end):
            pos = m.end()
        else:
            break
    # Before the span: a qualifier the model left out (`up to 8,500`), a currency symbol.
    if qualifier is None and (m := _QUALIFIER_BEFORE.search(body, max(0, pos - 20), pos)):
        qualifier, q_start = QUALIFIERS[m.group("q").lower()], m.start("q")
    if tail := _mark_before(body[max(0, pos - 10) : pos]):
        pos -= len(tail.lstrip() if tail.strip() else "")
        if qualifier is None and (q := _QUALIFIER_BEFORE.search(body, max(0, pos - 20), pos)):
            qualifier, q_start = QUALIFIERS[q.group("q").lower()], q.start("q")  # `about R40`
    if body[pos - 1 : pos] == "-" and (pos == 1 or body[pos - 2] in " \t\n("):
        pos -= 1  # `drop to -5C`: a minus sign (`S-400`, `2-1` have no space before the dash)
    parsed = _parse_number(body, pos, end, money)
    if parsed is None:
        return None
    low, value, number_end, currency = parsed
    if (
        currency is None
        and (sub := _SUBUNIT_AFTER.match(body, number_end))
        and (sub.group("p") is None or money.pence())
        and (sub.group("c") is None or money.cents_glued())
    ):
        if _VIDEO.match(body, sub.end()):
            return None
        currency = "GBP" if sub.group("pence") else money.cents()
        low, value, number_end = low / 100, value / 100, sub.end()
    elif currency is None and (sub := _THOUSANDTH.match(body, number_end)):
        currency = "OMR"
        low, value, number_end = low / 1000, value / 1000, sub.end()
    if currency is None and (_RATIO.match(body, number_end) or _RATIO_BEFORE.search(body, max(0, pos - 20), pos)):
        return None  # `one in five`, `voted seven to two`; money is no tally (`cut by Rs. 12 to Rs. 368`)
    unit, unit_end = currency, number_end
    if unit is None and (m := re.match(r"\s+((?:[A-Za-z]+|&)(?:\s+(?:[A-Za-z]+|&)){0,2})", body[number_end : number_end + 40])):
        if found := money.word(m.group(1).split()):  # `1.2 billion euros`, `2 billion Singapore dollars`
            unit = found[0]
            unit_end = number_end + re.match(rf"\s+(?:[A-Za-z&]+\s+){{{found[1] - 1}}}[A-Za-z&]+", body[number_end:]).end()  # type: ignore[union-attr]
    if unit is None:
        found = _counted(body, number_end, end if label == "QUANTITY" else number_end, modifiers, value)
        if found is None:
            return None
        unit, unit_end = found
        if _PERCENTAGE_POINTS.fullmatch(unit):
            return None  # `0.4 percentage points`: a change of a percentage, which is none
    first = q_start if q_start is not None else pos
    return Amount(first, unit_end, body[first:unit_end], value, unit, qualifier, low, value)


def _parse_number(body: str, start: int, end: int, money: _Money) -> tuple[float, float, int, str | None] | None:  # noqa: C901
    """(low end, value, end of the number, currency code or None) of the number or range
    at `start`, in digits or words, with its scale and currency symbol; the low end is the
    value unless it is a range."""
    m = _number_pattern().match(body, start)
    if m and m.group("cur") and money.code(m.group("cur"), _unmistakable(m)) is None:
        m = None  # `R21` in a story about no country whose money is the rand: not money
    if start > 0 and (body[start - 1].isalnum() or body[start - 1] in "-–/") and not (m and m.group("cur")):
        return None  # `S-400`, `Covid-19`, `G7`
    if m and m.group("num"):
        value = _digits(m.group("num"), m.group("scale"))
        number_end = m.end("scale") if m.group("scale") else m.end("num")
        value, number_end = _compound(body, value, m.group("scale"), number_end)
        low = value
        between = re.search(r"\bbetween\s+$", body[max(0, start - 12) : start], re.I)
        # `cut by Rs. 12 to Rs. 368`, `rose by 5 to 40`, `Brent rose $1.20 to $74.50`: a change and
        # where it ended, no range.
        change = m.group("conn").lower() == "to" if m.group("num2") else False
        change = change and bool(_CHANGE_BEFORE.search(body, max(0, start - 16), start))
        # ... where the two are of different sizes: a range's ends are of one (`increase by 25
        # to 30 seats` is a range; read as a change, its count was dropped as a tally).
        change = change and _digits(m.group("num2"), m.group("scale2") or m.group("scale")) >= 2 * value
        if m.group("num2") and (m.group("conn").lower() != "and" or between) and not change:
            scale2 = m.group("scale2") or m.group("scale")
            second, second_end = _compound(body, _digits(m.group("num2"), scale2), scale2, m.end())
            if m.group("scale2") and not m.group("scale") and value * _scale(m.group("scale2")) <= second:
                low = value * _scale(m.group("scale2"))  # `between 1.5 and 1.75 billion`
            if second > low:
                value, number_end = second, second_end
            else:
                low = value
        if m.group("minus"):
            value, low = -value, -low
        if body[number_end : number_end + 1] in ("-", "–") and body[number_end + 1 : number_end + 2].isalpha():
            return None  # `a 90-minute meeting`, `a 70-seat aircraft`: the number is an adjective
        return low, value, number_end, money.code(m.group("cur"), _unmistakable(m))
    w = _WORDS_NUMBER.match(body, start)
    if w:
        words = re.sub(r"(?:[\s-]+(?:and)?)+$", "", w.group(0))
        # `five and seven`: two numbers (`hundred and five` is one)
        if (two := re.match(r"(.+?)\s+and\s+(.+)$", words, re.I)) and two.group(1).split()[-1].lower() not in SCALES:
            words = two.group(1)
        words_value = _words_value(words)
        if words_value is None:
            return None
        value = words_value
        after = start + len(words)
        low = value
        between = re.search(r"\bbetween\s+$", body[max(0, start - 12) : start], re.I)
        if r := re.compile(r"\s+(and|to)\s+").match(body, after):
            second_words = _WORDS_NUMBER.match(body, r.end())
            if second_words and (r.group(1).lower() == "to" or between):
                words2 = re.sub(r"(?:[\s-]+(?:and)?)+$", "", second_words.group(0))
                value2 = _words_value(words2)
                if value2 is not None and value2 > value:
                    value, after = value2, r.end() + len(words2)
        if body[after : after + 1] == "-" and body[after + 1 : after + 2].isalpha():
            return None  # `a four-date tour`
        return low, value, after, None
    return None


_CHANGE_BEFORE = re.compile(
    r"\b(?:by|rose|fell|climbed|jumped|dropped|slipped|slid|gained|lost|added|shed|soared|surged|plunged|"
    r"tumbled|edged\s+(?:up|down)|rises|falls|climbs|jumps|drops|gains|loses|adds|sheds|up|down)\s+$",
    re.IGNORECASE,
)
_COMPOUND = re.compile(rf"\s+(?:and\s+)?(?P<num>\d{{1,3}}(?:\.\d+)?)\s?(?P<scale>{_SCALE})\b", re.IGNORECASE)


def _compound(body: str, value: float, scale: str | None, end: int) -> tuple[float, int]:
    """(value, end) of a number written in parts: `$11 billion 700 million`, each part of
    a smaller scale than the one before."""
    while scale and (m := _COMPOUND.match(body, end)) and _scale(m.group("scale")) < _scale(scale):
        if m.group("scale").lower() in ("k", "m", "b"):  # `11 billion 7 m…`: too ambiguous
            break
        after = re.match(r"\s+([A-Za-z]+)\b", body[m.end() : m.end() + 30])
        if (
            after
            and after.group(1).lower() in CURRENCY_WORDS
            and re.search(rf"(?:{_currency_pattern()})\s?[\d.,]+\s?\w*\s*$", body[max(0, end - 40) : end])
        ):
            break  # `$3 billion 500 million euros`: two currencies, two amounts
        if m.group(0).lstrip()[:3].lower() == "and" and (
            (after and after.group(1).lower() in CURRENCY_WORDS) or _counted(body, m.end(), m.end(), [], 2) is not None
        ):
            break  # `$1 billion and 500 million people`, `$3 billion and 500 million euro deals`: two things
        value += _digits(m.group("num"), m.group("scale"))
        scale, end = m.group("scale"), m.end()
    return value, end


def _scale(word: str) -> int:
    return SCALES[" ".join(word.lower().split())]


def _digits(num: str, scale: str | None) -> float:
    value = Decimal(re.sub(r"[,\s]", "", num))
    if scale:
        value *= _scale(scale)
    return float(value)


def _words_value(words: str) -> float | None:
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current = current or 1
        elif word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
            seen = True
        elif word == "dozen":
            current, seen = (current or 1) * 12, True
        elif word == "hundred":
            current, seen = (current or 1) * 100, True
        elif word in ("thousand", "million", "billion"):
            total, current, seen = total + (current or 1) * SCALES[word], 0, True
        else:
            return None
    return float(total + current) if seen else None


def _counted(  # noqa: C901
    body: str, start: int, span_end: int, modifiers: list[tuple[int, int]], value: float
) -> tuple[str, int] | None:
    """(unit, end) of what the number ending at `start` counts: the noun run after it, or
    after `of` and a determiner (`46 of our partners`)."""
    words: list[tuple[int, int, str]] = []
    pos = start
    of_group = _OF_GROUP.match(body, start) if value > 1 and start == span_end else None
    if of_group:
        pos = of_group.end()
    while len(words) < 7:
        m = re.compile(r"[ \t]*").match(body, pos)
        assert m is not None  # `*` matches the empty string anywhere
        w = _WORD.match(body, m.end())
        if w is None or (m.end() == pos and words):
            break
        words.append((w.start(), w.end(), w.group(0)))
        pos = w.end()
    # A measure's unit the model put in the QUANTITY span (`1,000 cubic metres`).
    inside = [w for w in words if w[1] <= span_end]
    if inside:
        return _unit(body, inside[0][0], inside[-1][1])
    # A unit symbol written onto the number (`1,200MW`, `45km`, `5kg`): a measure.
    if words and words[0][0] == start and _GLUED_UNIT.fullmatch(words[0][2]) and not of_group:
        return _unit(body, words[0][0], words[0][1])
    head: list[tuple[int, int, str]] = []
    people: tuple[int, int] | None = None
    for i, (ws, we, word) in enumerate(words):
        lower = word.lower()
        if of_group and re.search(r"['’]", word):
            break  # `20 of the world's …`: a possessive, not the group
        in_modifier = any(a <= ws and we <= b for a, b in modifiers)
        # (`Omanis`, `Emiratis`, `Pakistanis`: a people's plural may end in -is, which
        # `_is_plural` leaves to singulars such as `crisis`.)
        if not head and word[:1].isupper() and (_is_plural(lower) or lower.endswith("is")):
            if _names_a_people(word):
                people = (ws, we)  # `18 million Kenyans`, `10,000 Ugandans`: the people are what is counted
                break
            if in_modifier:
                people = people or (ws, we)  # `2 million Muslims`, unless a noun follows (`two Texas bank accounts`)
        if _ACRONYM_PLURAL.fullmatch(word) and value != 1:
            head.append((ws, we, word))  # `40 Labour MPs`, `83 of its MPs`
            break
        if not head and (lower in _DESCRIBING or in_modifier):
            continue
        if word[:1].isupper() and not in_modifier and _plural_follows(words[i + 1 : i + 3], allow_verb_forms=True):
            head.append((ws, we, word))  # a make or model: `50 Bradley fighting vehicles`
            continue
        if lower in _STOP or in_modifier or word[:1].isupper():
            break  # a preposition, a verb, a name (`2 Minsk …`)
        if _is_verb_form(lower) and not _plural_follows(words[i + 1 : i + 3]):
            break  # `soldiers grouped in`; but `processing plants`, `heated bus shelters`
        head.append((ws, we, word))
        if value == 1 and not _is_plural(lower):
            break  # `one resident`, `one metals trader`
        if value != 1 and _is_plural(lower) and not _compound_noun(words[i + 1 : i + 2]) or len(head) == 4:
            break
    if not head and people and value != 1:
        return _unit(body, *people)
    if not head or (value != 1 and not _is_plural(head[-1][2].lower())):
        return None  # no counted noun: `capped entries at 20,000 after …`
    if head[-1][2].lower() in _NOT_UNITS:
        return None
    return _unit(body, head[0][0], head[-1][1])


def _unit(body: str, start: int, end: int) -> tuple[str, int] | None:
    words = re.split(r"\s+per\s+", body[start:end])[0].split()
    first = words[0].rstrip(".") if words else ""
    if not words or words[-1].lower() in _NOT_UNITS or first.lower() in _CLOCK_WORDS or first in _ZONES:
        return None  # a duration, or a time of day (`1.15pm CET`, `2005 GMT`)
    # `miles per hour`, `degrees Celsius`, `km/h`
    if m := re.match(r"\s+per\s+[a-z]+|\s+(?:Celsius|Fahrenheit|C|F)\b|/[a-z]{1,3}\b", body[end : end + 30]):
        end += m.end()
    return body[start:end], end


def _names_a_people(word: str) -> bool:
    """`Ugandans`, `Emiratis`: a nationality the model did not tag (transforms.places)."""
    from transforms.places import people_country  # imported here: places loads the gazetteer's modules

    return people_country(word) is not None


# An acronym's plural (`MPs`, `MEPs`, `NGOs`, `SUVs`): a plural noun, not a name.
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")


def _is_plural(word: str) -> bool:
    return (
        word in _IRREGULAR_PLURALS
        or word.endswith("men")
        or (word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2)
    )


def _is_verb_form(word: str) -> bool:
    return len(word) > 4 and word.endswith(("ed", "ing")) and word not in _IRREGULAR_PLURALS


def _compound_noun(words: list[tuple[int, int, str]]) -> bool:
    """Whether the word after a plural noun is a plural noun it modifies (`12 appropriations
    bills`, `three savings accounts`): a verb after a plural subject would not end in -s."""
    if not words:
        return False
    word = words[0][2]
    lower = word.lower()
    return (
        _is_plural(lower)
        and not word[:1].isupper()
        and lower not in _STOP
        and lower not in _NOT_UNITS
        and not _is_verb_form(lower)
        and not re.search(r"['’]", word)
    )


def _plural_follows(words: list[tuple[int, int, str]], allow_verb_forms: bool = False) -> bool:
    for _, _, word in words:
        lower = word.lower()
        if _ACRONYM_PLURAL.fullmatch(word):
            return True
        if lower in _STOP or word[:1].isupper() or (_is_verb_form(lower) and not allow_verb_forms):
            return False
        if _is_plural(lower):
            return True
    return False
