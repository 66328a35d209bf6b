"""`find_literals` gives what one compiled pattern of the words gives, match for match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import entities, quotes
from transforms.literals import find_literals

# The three uses: (before, after) as the rules pass them.
USES = {
    "surnames": (entities._SURNAME_BEFORE, entities._SURNAME_AFTER),
    "short names": (entities._SHORT_NAME_BEFORE, entities._SHORT_NAME_AFTER),
    "quote surnames": (quotes._SURNAME_BEFORE, quotes._SURNAME_AFTER),
}


def _by_regex(text: str, words: list[str], before: re.Pattern, after: re.Pattern) -> list[tuple]:
    pattern = re.compile(before.pattern + "(" + "|".join(map(re.escape, words)) + ")" + after.pattern)
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def _by_literals(text: str, words: list[str], before: re.Pattern, after: re.Pattern) -> list[tuple]:
    return [(m.start, m.end, m.word) for m in find_literals(text, words, before, after)]


@pytest.mark.parametrize("use", sorted(USES))
def test_crafted_cases_match_the_pattern(use):
    before, after = USES[use]
    text = (
        "Scholz said. Scholzes, O'Scholz, -Scholz, Scholz-Merkel and Korvex Industries Inc rose; Korvex Inc. "
        "Korvex & Co fell, Korvex&Co, .Korvex, Korvex Industries\nInc, Rio Rio Tinto, Ri Rio, ‘Scholz’ Scholz"
    )
    # Overlapping words, prefixes of each other, in both orders (the first word that fits wins).
    for words in (
        ["Scholz", "Korvex", "Rio"],
        ["Korvex Industries", "Korvex", "Rio Tinto", "Rio"],
        ["Rio", "Rio Tinto", "Korvex", "Korvex Industries"],
        ["Scholz", "Scholzes", "Merkel", "Ri"],
        ["o", "Ri", "Rio"],
        # a word inside an earlier match is not found again (the search goes on from its end)
        ["Rio Tinto", "Tinto", "Korvex", "Inc", "Industries"],
        ["Scholz-Merkel", "Merkel"],
    ):
        want = _by_regex(text, words, before, after)
        assert _by_literals(text, words, before, after) == want
    assert _by_literals(text, ["Korvex"], before, after)  # the text does hold matches


def test_the_suffix_is_part_of_a_short_names_match():
    before, after = USES["short names"]
    text = "Korvex Industries Inc rose."
    assert _by_literals(text, ["Korvex"], before, after) == [(0, 21, "Korvex")]


def test_empty_word_is_refused():
    with pytest.raises(ValueError):
        list(find_literals("abc", ["a", ""], *USES["surnames"]))


_ALPHABET = "aAbBoO -'’.&\n,IncCo"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=60),
    words=st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=5, unique=True),
    use=st.sampled_from(sorted(USES)),
)
def test_any_text_and_words_match_the_pattern(text, words, use):
    before, after = USES[use]
    assert _by_literals(text, words, before, after) == _by_regex(text, words, before, after)


_WORDS = {
    "sport": (entities._SPORT_WORDS, "innings|wickets?|half-time|cup|coach|game", re.IGNORECASE),
    "other": (entities._NOT_SPORT_WORDS, "forecast(?:s|ers)?|councill?ors?|Met Office|by-election|FTSE", re.IGNORECASE),
    "case": (None, "Cup|cup|Game", 0),
}


@pytest.mark.parametrize("name", sorted(_WORDS))
def test_any_word_finds_what_the_plain_pattern_finds(name):
    from transforms.literals import any_word

    compiled, alternatives, flags = _WORDS[name]
    plain = re.compile(r"\b(?:" + alternatives + r")\b", flags)
    fast = any_word(alternatives, flags)
    # folds `re` makes under IGNORECASE (long s, Kelvin sign, dotted I), hyphens, capitals
    text = (
        "The Cup final: CUP, cup-tie, ſeason, ſcup, \u212aup, İnnings innings Wickets wicket, half-time, halftime "
        "Coaches coach. FTSE ftse Met office forecasters Forecast councillors Councilors by-election game Game"
    )
    assert fast.findall(text) == plain.findall(text)
    assert fast.findall(text)  # the text does hold matches
    if compiled is not None:  # the rules' own patterns are built with it
        assert compiled.pattern.startswith(r"\b(?=[")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="cupCUPgameGAMEſ \u212a-.", max_size=40), name=st.sampled_from(sorted(_WORDS)))
def test_any_word_on_any_text(text, name):
    from transforms.literals import any_word

    _, alternatives, flags = _WORDS[name]
    assert any_word(alternatives, flags).findall(text) == re.compile(r"\b(?:" + alternatives + r")\b", flags).findall(text)


@pytest.mark.parametrize("alternatives", ["cup|s?tocks", "cup|(?:a|b)c", "cup|\\bgame", "cup|x*y", ""])
def test_any_word_refuses_alternatives_without_a_first_letter(alternatives):
    from transforms.literals import any_word

    with pytest.raises(ValueError):
        any_word(alternatives)
