"""Language detection walks py3langid's automaton with numpy (`_WindowedIdentifier`): the
same scores as py3langid's own loop, float for float, on any text."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py3langid.langid import LanguageIdentifier

from tests.conftest import ROOT, SEEDS
from transforms import language

FIXTURES = ROOT / "tests" / "fixtures" / "raw"


@functools.cache
def _identifiers():
    arrays = language.model_arrays()
    return language._from_arrays(arrays), LanguageIdentifier.from_model_file(language.MODEL_FILE, norm_probs=True)


def _same_scores(text):
    windowed, packaged = _identifiers()
    got, expected = windowed._decide(text), packaged._decide(text)
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected), text[:80]
    assert windowed.classify(text) == packaged.classify(text)


def test_the_automaton_is_six_bytes_deep():
    assert int(language.model_arrays()["depth"]) == 6


SAMPLES = [
    "",
    "a",
    "The government said on Monday that the economy grew faster than expected last year.",
    "Die Regierung in Berlin hat am Montag neue Regeln für die Industrie beschlossen. " * 5,
    "Le gouvernement a annoncé lundi de nouvelles règles pour l'industrie française. " * 5,
    "Правительство в понедельник объявило о новых правилах для промышленности страны. " * 5,
    "北京市政府周一宣布了新的工业规则，经济增长快于预期。" * 10,
    "THE GOVERNMENT SAID ON MONDAY THAT THE ECONOMY GREW FASTER THAN EXPECTED LAST YEAR.",
    "12 34 56 " * 40,
    "\x00\x01\x02 nul and control \x7f bytes \ufeff\u200b" * 20,
    "e\u0301cole cafe\u0301 " * 30,  # NFC makes these one code point each
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_scores_as_py3langid(text):
    _same_scores(text)


def test_same_scores_on_every_seed_and_fixture_file():
    files = [p for folder in (SEEDS, FIXTURES) for p in sorted(folder.rglob("*")) if p.is_file()]
    texts = [p.read_bytes().decode("utf-8", "replace")[: language.SAMPLE_CHARS] for p in files]
    assert len(texts) > 20
    for text in texts:
        _same_scores(text)


def test_same_scores_on_bytes_that_are_not_utf8():
    for data in [b"\xff\xfe\x00abc" * 50, bytes(range(256)) * 4, "café crème".encode("latin-1") * 30, b"\xe2\x82"]:
        _same_scores(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_same_scores_on_any_text(text):
    _same_scores(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=30, max_size=600))
def test_same_scores_on_any_text_long_enough_for_the_numpy_walk(text):
    _same_scores(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SAMPLES[2:7] + ["Hello ", "über ", "мир ", " ", "\n", "—", "Ü"]), max_size=60).map("".join))
def test_same_scores_on_mixed_languages(text):
    _same_scores(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_same_scores_on_any_bytes(data):
    _same_scores(data)


def test_long_texts_take_the_numpy_walk():
    windowed, _ = _identifiers()
    for text in SAMPLES[2:7]:
        assert windowed._visits(windowed._encode(text))


def test_a_wrong_depth_falls_back_to_py3langid():
    arrays = {**language.model_arrays(), "depth": np.array(2)}
    shallow, (_, packaged) = language._from_arrays(arrays), _identifiers()
    text = SAMPLES[3]
    assert shallow._visits(text.encode()) is None  # the check caught it
    assert np.array_equal(shallow._decide(text), packaged._decide(text))


def _results_table() -> str:
    """An English results table of invented athletes: names, countries and times, few words."""
    first = "Amara Lucia Katja Olena Shanice Ines Mireille Dana Tomasz Jorge Kwame Sven Yusuf Pavel Ngozi Marta".split()
    last = "Okonkwo Ferreira Lindqvist Marchuk Bramwell Halvorsen Tano Kowalczyk Adeyemi Novak Mensah Berg".split()
    countries = ["Nigeria", "Portugal", "Sweden", "Ukraine", "Jamaica", "Norway", "Ghana", "Poland", "Kenya", "Cuba"]
    events = ["Women's 100 metres", "Men's 400 metres hurdles", "Women's long jump", "Men's 1,500 metres"]
    events += ["Women's discus", "Men's high jump"]
    text, k = "ATHLETICS - ZURICH MEETING RESULTS.\n\nLeading results at the athletics meeting on Friday:\n\n", 0
    for event in events:
        text += event + "\n\n"
        for place in range(1, 9):
            runner = f"{first[k % len(first)]} {last[(k * 7) % len(last)]}"
            text += f"{place}. {runner} ({countries[(k * 3) % len(countries)]}) {10 + k % 7}.{(k * 13) % 100:02d}\n\n"
            k += 1
    return text


def test_names_and_figures_do_not_decide_the_language():
    """A table of athletes, countries and times read as a whole is Nigerian Pidgin to the
    model (and its names then went through no NER); its own words say English."""
    table = _results_table()
    assert language._identifier().classify(table[: language.SAMPLE_CHARS])[0] != "en"  # what the model alone says
    assert language.detect_language(table) == "en"
    # prose keeps its language, its nouns capitalized or not
    assert [language.detect_language(text) for text in SAMPLES[2:6]] == ["en", "de", "fr", "ru"]
