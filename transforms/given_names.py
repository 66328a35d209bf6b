"""Given names of many countries, from the list the `gender-guesser` package ships (Jörg
Michael's `nam_dict.txt`: some 48,000 first names with how common each is in 55 countries
and regions), for the entity rules that ask whether a capitalized word is someone's first
name (`Novak Djokovic`, `Tadej Pogačar`, `Pádraig Harrington` as ORG: a person).

Only the data file is read (with the package's own encoding): the package's detector keeps
every country's string per name and answers about gender, which these rules do not ask.
It ships in the wheel; nothing is downloaded. Loaded once per process, on first need
(~0.1 CPU-s).

The list is generous: it has rare names that are also English words (`Long`, `Young`,
`King`, `Van`, `Bell`), so `is_given_name` asks a word that is also a frequent English word
to be a common name in Britain, Ireland or the US (`Will`, `Grace`, `Mark`, `James`).
"""

from __future__ import annotations

import functools
from importlib.resources import files

from anyascii import anyascii

from transforms.english import english_words

# Columns of the frequency field (one hex digit per country, 1 = rare .. D = very common):
# great_britain, ireland, usa come first (gender_guesser.detector.Detector.COUNTRIES).
_ENGLISH_COLUMNS = 3
# A name at least this common somewhere (in an English-speaking country, for a word that is
# also a frequent English word).
_SOMEWHERE = 1
_IN_ENGLISH = 3
_FREQUENT_WORD = 1000
_VERY_COMMON = 8
_RARE_AS_A_WORD = 5000


@functools.lru_cache(maxsize=1)
def given_name_table() -> dict[str, tuple[int, int]]:
    """Lower-cased given name → (its highest frequency in any country, in Britain/Ireland/US)."""
    table: dict[str, tuple[int, int]] = {}
    text = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line[0] in "#=" or len(line) < 31:
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        field = line[30:-1]
        digits = [int(c, 16) if c.strip() else 0 for c in field]
        anywhere = max(digits, default=0)
        english = max(digits[:_ENGLISH_COLUMNS], default=0)
        name = parts[1].lower()
        for variant in {name.replace("+", sep) for sep in ("", " ", "-")} if "+" in name else {name}:
            # and its spelling without accents, as English-language papers often print it
            # (`Sebastien`, `Frederic`: the list has them as rare spellings of `Sébastien`)
            for spelling in {variant, anyascii(variant)}:
                was = table.get(spelling, (0, 0))
                table[spelling] = (max(was[0], anywhere), max(was[1], english))
    return table


def name_frequency(word: str) -> int:
    """How common `word` is as a given name where it is most common, written so or without
    its accents (0: not in the list, 1: rare .. 13: very common)."""
    low = word.lower()
    table = given_name_table()
    # (`Penélope` is rare in the list as written, common as `Penelope`)
    return max(table.get(low, (0, 0))[0], table.get(anyascii(low), (0, 0))[0])


def is_given_name(word: str) -> bool:
    """Whether `word` is a first name people are given: in the list, not only as a rarity,
    and, when it is also a frequent English word, a common name where English is spoken."""
    low = word.lower()
    found = given_name_table().get(low)
    if found is None:
        return False
    anywhere, english = found
    frequency = english_words()[low]
    if frequency >= _FREQUENT_WORD:
        # (`Jonas`, common in Lithuania, is in the English list too: a name there, rarely a word)
        return english >= _IN_ENGLISH or (anywhere >= _VERY_COMMON and frequency < _RARE_AS_A_WORD)
    return anywhere >= _SOMEWHERE


# The sex column of the list, as gender-guesser's detector names it.
_SEX_CODES = {"M": "m", "F": "f", "1M": "mostly_m", "?M": "mostly_m", "1F": "mostly_f", "?F": "mostly_f", "?": "both"}


@functools.lru_cache(maxsize=1)
def _sex_table() -> dict[str, str]:
    """Lower-cased given name → "m" or "f", for the names gender-guesser's
    `Detector(case_sensitive=False).get_gender` calls "male" or "female" (not `mostly_`,
    `andy` or unknown), computed as it computes them (the sex whose line is known in most
    countries, ties by how common) from the same file, without the detector: it keeps every
    name's country strings (~25 MiB a process), this keeps one letter a name (~4 MiB)."""
    lines: dict[str, dict[str, str]] = {}
    text = (files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        sex = _SEX_CODES[parts[0]]
        name = parts[1].lower()
        for variant in {name.replace("+", sep) for sep in ("", " ", "-")} if "+" in name else {name}:
            lines.setdefault(variant, {})[sex] = line[30:-1]
    table: dict[str, str] = {}
    for name, by_sex in lines.items():
        best, best_key = next(iter(by_sex)), (0, 0)
        for sex, field in by_sex.items():
            digits = field.replace(" ", "")
            key = (len(digits), sum(int(c, 16) if c.isdigit() or c in "ABCDEF" else ord(c) - 48 for c in digits))
            if key[0] > best_key[0] or (key[0] == best_key[0] and key[1] > best_key[1]):
                best, best_key = sex, key
        if best_key[0] > 0 and best in ("m", "f"):
            table[name] = best
    return table


def given_name_sex(word: str) -> str | None:
    """ "m" or "f" when the list is sure a given name is a man's or a woman's, else None
    (`Jamie`: mostly a woman's in the list, a man's as often in British news)."""
    return _sex_table().get(word.lower())
