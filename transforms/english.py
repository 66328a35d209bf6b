"""English word frequencies, loaded in one place for every step that asks whether a
string is a common English word (cleaning: a word split across a line-end hyphen;
entities: a capitalized common word opening a sentence)."""

from __future__ import annotations

import functools

from spellchecker import SpellChecker
from spellchecker.spellchecker import WordFrequency


@functools.lru_cache(maxsize=1)
def english_words() -> WordFrequency:
    """pyspellchecker's English frequency list (160,000 words, inflected forms included):
    `word in english_words()`, `english_words()[word]` (0 for an unknown word). It ships
    in the wheel and loads in ~0.2 s, on first need."""
    return SpellChecker(language="en", distance=1).word_frequency
