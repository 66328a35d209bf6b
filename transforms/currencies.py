"""Which currency a money amount is in, for newsrooms everywhere: the marker before the
number (`R1.2bn`, `Rs 2,000 crore`, `S$500`, `AED 1.1 trillion`, `₦45.6 billion`) or the
words after it (`500 million dirhams`, `2 billion Singapore dollars`), read with the
countries the article is about, because the same mark means different money in different
papers: `$` in the Straits Times is the Singapore dollar and in the Jamaica Gleaner the
Jamaican one; `Rs` is the Pakistani rupee in Dawn and the Indian one in a PTI story; a lone
`R` or `P` is money only in a story about South Africa or the Philippines.

The data is CLDR's, through babel (pinned): ISO 4217 codes, each territory's currency, the
symbol its English locale writes (`R` en_ZA, `Rs` en_PK, `RM` en_MY, `Ksh` en_KE, `$` en_SG),
the English symbols (`NZ$`, `EC$`, `₹`) and names (`UAE dirhams`, `Malaysian ringgits`). CLDR
lists the symbols software formats with, not all the ones newsrooms write, so a short table
(`_NEWSROOM_MARKERS`) adds those.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping

# The day whose currencies babel gives each territory: fixed, so that the same text reads
# the same way on every run (the table changes only when a country changes its money).
_CURRENCIES_ON = dt.date(2025, 1, 1)

# Markers that newspapers write and CLDR does not list (checked against babel 2.18): the
# Straits Times' `S$`, the Gleaner's `J$`, Trinidad's `TT$`, Barbados' `BDS$`/`Bds$`/`BD$`,
# Namibia's `N$`, Guyana's `G$`, Gulf papers' `Dh`/`Dhs`, `SR`, `QR`, `BD` (Bahraini dinar),
# `RO` (Omani rial), `KD` (Kuwaiti dinar), Kenya's `Sh`/`KSh`, Uganda's `Shs`, Bangladesh's `Tk`,
# Nigeria's `N`, Ghana's `GH¢`, Indian papers' `Rs`/`Rs.`, the Philippine papers' `P` and `Php`,
# and the prefixed dollars wire copy uses (`US$`, `A$`, `C$`).
_NEWSROOM_MARKERS: dict[str, tuple[str, ...]] = {
    "US$": ("USD",),
    "A$": ("AUD",),
    "AU$": ("AUD",),
    "C$": ("CAD",),
    "S$": ("SGD",),
    "J$": ("JMD",),
    "TT$": ("TTD",),
    "BDS$": ("BBD",),
    "Bds$": ("BBD",),
    "BD$": ("BBD",),
    "G$": ("GYD",),
    "N$": ("NAD",),
    "Dh": ("AED",),
    "Dhs": ("AED",),
    "SR": ("SAR",),
    "QR": ("QAR",),
    "BD": ("BHD",),
    "RO": ("OMR",),
    "KD": ("KWD",),
    "Sh": ("KES", "UGX", "TZS"),
    "Shs": ("UGX", "KES", "TZS"),
    "Tk": ("BDT",),
    "KSh": ("KES",),
    "Ksh": ("KES",),
    "N": ("NGN",),
    "GH¢": ("GHS",),
    "GH₵": ("GHS",),
    "Rs": ("PKR", "INR", "LKR", "NPR", "MUR"),
    "Rs.": ("PKR", "INR", "LKR", "NPR", "MUR"),
    "P": ("PHP",),
    "Php": ("PHP",),
}
# Last words of currency names that are common English words too (`10 real problems`,
# `had won 3`, `a gold medal`, `marks`): only the full name is read (`Brazilian reals`).
_NOT_CURRENCY_WORDS = frozenset("real reals won gold mark marks sol soles kip som lei dong lev leva dram drams tala vatu".split())
# Spellings of currency names that papers write and CLDR does not (`1,155,000 soums` in
# Uzbek papers: CLDR's `som` is also a word, `soms` the Kyrgyz one).
_NEWSROOM_NAMES = {"soum": ("UZS",), "soums": ("UZS",), "soms": ("KGS", "UZS")}
_DEFAULT_BY_WORD = {
    word: code
    for words, code in [
        ("dollar dollars", "USD"),
        ("pound pounds", "GBP"),
        ("franc francs", "CHF"),
        ("riyal riyals", "SAR"),
        ("dirham dirhams", "AED"),
        ("shilling shillings", "KES"),
        ("dinar dinars", "KWD"),
    ]
    for word in words.split()
}
# One-letter marks are money only where a country using them is in the story (`R21` is a
# road elsewhere); these and `$` are resolved by the article's countries.
_ISO_CODE = re.compile(r"[A-Z]{3}")


@functools.lru_cache(maxsize=1)
def _territories() -> dict[str, tuple[str, ...]]:
    """Currency code → the territories whose tender it is (`XCD` → AG, DM, GD, KN, LC, VC…)."""
    out: dict[str, list[str]] = {}
    for territory, tender in _territory_currencies_all().items():
        for code in tender:
            out.setdefault(code, []).append(territory)
    return {code: tuple(sorted(t)) for code, t in out.items()}


def _territory_currencies(territory: str) -> list[str]:
    from babel.numbers import get_territory_currencies

    try:
        return list(get_territory_currencies(territory, _CURRENCIES_ON, tender=True))
    except Exception:  # noqa: BLE001 — babel raises a bare error for unknown territories
        return []


@functools.lru_cache(maxsize=512)
def territory_currencies(territory: str) -> tuple[str, ...]:
    """The currencies a territory (ISO 3166 code) uses, its main one first (`ZA` → ZAR)."""
    return tuple(_territory_currencies(territory))


def has_hundredths(code: str) -> bool:
    """Whether the currency is counted in hundredths (cents): its minor unit has two digits."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(code) == 2


@functools.lru_cache(maxsize=1)
def markers() -> dict[str, tuple[str, ...]]:  # noqa: C901
    """Marker → the currencies it may mean, the likeliest first: ISO codes that are no
    English word (`AED`, `PKR`, not `ALL` or `TOP`), English-locale symbols (`NZ$`, `₹`), each
    territory's own symbol in its English locale (`R`, `Rs`, `RM`, `$`) and the newsroom
    markers above. `$` is the US dollar first, then every other dollar."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import list_currencies

    from transforms.english import english_words

    words = english_words()
    out: dict[str, list[str]] = {"$": ["USD"], "€": ["EUR"], "£": ["GBP"], "¥": ["JPY", "CNY"]}

    def add(marker: str, code: str) -> None:
        codes = out.setdefault(marker, [])
        if code not in codes:
            codes.append(code)

    for marker, codes in _NEWSROOM_MARKERS.items():
        for code in codes:
            add(marker, code)
    english = Locale("en")
    for code in sorted(list_currencies()):
        if code in _territories() and words[code.lower()] <= 100:  # a current currency, not a word
            add(code, code)
        symbol = english.currency_symbols.get(code)
        if symbol and symbol != code and code in _territories() and not symbol.isalpha():
            add(symbol, code)  # `NZ$`, `EC$`, `₹`, `₱`
    for territory, tender in sorted(_territory_currencies_all().items()):
        try:
            locale = Locale.parse(f"en_{territory}")
        except (UnknownLocaleError, ValueError):
            continue
        for code in tender[:1]:
            symbol = locale.currency_symbols.get(code)
            if symbol and symbol != code:
                add(symbol, code)  # `R` (en_ZA), `Rs` (en_PK), `RM` (en_MY), `$` (en_SG)
    return {marker: tuple(codes) for marker, codes in out.items()}


@functools.lru_cache(maxsize=1)
def _territory_currencies_all() -> dict[str, list[str]]:
    from babel.core import get_global

    return {t: _territory_currencies(t) for t in get_global("territory_currencies")}


@functools.lru_cache(maxsize=1)
def marker_pattern() -> str:
    """A regex alternation of every marker, longest first (`TT$` before `$`), letters not
    glued to a word before them (`R` not in `OR500`)."""
    alternatives = []
    for marker in sorted(markers(), key=len, reverse=True):
        escaped = re.escape(marker)
        alternatives.append(rf"(?<![A-Za-z]){escaped}" if marker[:1].isalpha() else escaped)
    return "|".join(alternatives)


@functools.lru_cache(maxsize=1)
def names() -> dict[str, tuple[str, ...]]:
    """A currency's English words → the currencies they may mean: full names singular and
    plural (`singapore dollars`, `uae dirhams`) and their last word (`dirhams`, `ringgit`,
    `rand`, `rupees`: shared by several currencies, resolved by the article's countries)."""
    from babel.numbers import get_currency_name

    out: dict[str, list[str]] = {}
    for code in sorted(_territories()):
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            for key in (name, name.split()[-1]):
                if key in _NOT_CURRENCY_WORDS:
                    continue
                codes = out.setdefault(key, [])
                if code not in codes:
                    codes.append(code)
    # The bare words default to the currency most news means by them (dollar → USD,
    # pound → GBP, franc → CHF); CLDR orders them alphabetically by code.
    # (riyal → SAR, dirham → AED, shilling → KES: the largest economy using the word).
    for word, first in _DEFAULT_BY_WORD.items():
        if word in out:
            out[word] = [first, *(c for c in out[word] if c != first)]
    for word, spelled in _NEWSROOM_NAMES.items():
        out[word] = [*out.get(word, []), *(c for c in spelled if c not in out.get(word, []))]
    return {name: tuple(codes) for name, codes in out.items()}


def weight(code: str, countries: Mapping[str, float]) -> float:
    """How much an article's `countries` are about the territories using `code`."""
    return sum(countries.get(t, 0.0) for t in _territories().get(code, ()))


def resolve(candidates: tuple[str, ...], countries: Mapping[str, float], *, marker: str | None = None) -> str | None:
    """The currency among `candidates` that the article's `countries` (ISO 3166 code → how
    much the article is about it) point to: the one whose territories weigh most. With no
    country to go by, the first candidate, except for a one-letter marker (`R`, `P`, `N`),
    which is no currency then; and `$` is the US dollar unless a country using another
    dollar outweighs the United States."""
    if len(candidates) == 1 and not (marker and len(marker) == 1 and marker.isalpha()):
        return candidates[0]
    scored = [(weight(code, countries), -i, code) for i, code in enumerate(candidates)]
    best = max(scored)
    if best[0] > 0:
        if marker == "$" and best[2] != "USD" and best[0] <= countries.get("US", 0.0):
            return "USD"
        return best[2]
    if marker and len(marker) == 1 and marker.isalpha():
        return None
    return candidates[0]
