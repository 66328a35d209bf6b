"""An article's own words found in its text, as one regular expression of them would find
them, without compiling one per article.

The entity and quote rules look for words the article itself supplies (the surnames of the
people it names in full, the short names of its organizations) with a pattern made of them:
`(?<!…)(Scholz|Merkel|…)(?!…)`. Compiling that pattern anew for every article cost 0.67
CPU-s over 557 BBC files (bench/profile_batch.py: two patterns per article, each seen once,
so `re`'s cache never helps), 5% of their NER. `find_literals` gives the same matches with
`str.find` for the words and the fixed parts (before, after) compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A match: `word` at `start`, and what `after` matched right after it (its `end` is the
    match's end, as `m.end()` of the whole pattern)."""

    start: int
    word: str
    after: re.Match

    @property
    def end(self) -> int:
        return self.after.end()


def find_literals(text: str, words: Sequence[str], before: re.Pattern, after: re.Pattern) -> Iterator[Found]:
    """The matches of `before(word1|word2|…)after` in `text`, the words as literals
    (`re.escape`), in the order `finditer` gives them and with the same word at each: the
    leftmost match, its first word in `words`' order for which `after` matches, the next
    search from its end. `before` must match the empty string only (a lookbehind, `\\b`);
    `after` is matched at the word's end (a lookahead, optional parts: what it consumes
    ends the match). Both see the text around them as in the one pattern (`Pattern.match`
    with a position looks behind it). Empty words are not allowed (an empty alternative
    would match everywhere)."""
    if any(not w for w in words):
        raise ValueError("find_literals: empty word")
    at: dict[int, list[int]] = {}
    for rank, word in enumerate(words):
        i = text.find(word)
        while i >= 0:
            at.setdefault(i, []).append(rank)
            i = text.find(word, i + 1)
    floor = 0
    for start in sorted(at):
        if start < floor or before.match(text, start) is None:
            continue
        for rank in at[start]:  # in `words`' order: found word by word
            word = words[rank]
            if (m := after.match(text, start + len(word))) is not None:
                yield Found(start, word, m)
                floor = m.end()
                break


def any_word(alternatives: str, flags: int = 0) -> re.Pattern:
    """`\\b(?:alternatives)\\b`, compiled with a look-ahead at the letters the alternatives
    open with: the same matches, about twice as fast to search (`re` otherwise tries every
    alternative at every word boundary of the text; `_SPORT_WORDS` of transforms/entities.py
    over 556 BBC bodies: 0.074 -> 0.040 CPU-s). Each top-level alternative must open with a
    letter that is not optional; under re.IGNORECASE the look-ahead ignores case as the
    alternatives do."""
    firsts = set()
    depth, start = 0, 0
    for i, c in enumerate(alternatives + "|"):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "|" and depth == 0:
            alternative = alternatives[start:i]
            if not alternative[:1].isalpha() or alternative[1:2] in ("?", "*", "{"):
                raise ValueError(f"any_word: {alternative!r} does not open with a letter it needs")
            firsts.add(alternative[0].lower() if flags & re.IGNORECASE else alternative[0])
            start = i + 1
    return re.compile(r"\b(?=[" + "".join(sorted(firsts)) + r"])(?:" + alternatives + r")\b", flags)
