"""Language of an article's text, offline.

py3langid (a maintained fork of langid.py): a naive Bayes model over byte n-grams that
ships inside the wheel (about 3 MB), loads in under a second and classifies an article
in well under a millisecond. lingua is more accurate on single sentences but its wheel
is large and slower; fastText-based detectors download their model at run time.
"""

from __future__ import annotations

import functools
import re

import numpy as np
from py3langid import modelio
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

# Below this many letters the guess is noise ("Hello" comes out as Breton).
MIN_LETTERS = 40
# Below this confidence (after normalizing over all 97 languages) we do not guess.
MIN_CONFIDENCE = 0.5
# Enough text for a stable answer; classifying a whole long article buys nothing.
SAMPLE_CHARS = 3000

_DECLARED = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_NAMES = {
    "english": "en",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "spanish": "es",
    "español": "es",
    "italian": "it",
    "russian": "ru",
    "ukrainian": "uk",
    "portuguese": "pt",
    "dutch": "nl",
    "polish": "pl",
}


MODEL_PATH = MODEL_DIR / MODEL_FILE
_ready: LanguageIdentifier | None = None  # built from arrays made ready elsewhere (`use_model`)


def model_arrays() -> dict[str, np.ndarray]:
    """The packaged model as plain arrays, and the depth of its automaton (`dfa_depth`).
    Reading the model means decompressing 4.5 MB of LZMA (0.7 CPU-s) and the depth is a
    search over its states; a batch worker gets both ready-made
    (flows/pipeline/worker_state.py)."""
    ptc, pc, classes, nextmove, row, output = modelio.load_model(MODEL_PATH)
    arrays = {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "classes": np.array(classes),
        "nextmove": np.asarray(nextmove),
        "row": np.asarray(row),
        "output": np.asarray(output, dtype=np.int64),
    }
    arrays["depth"] = np.array(dfa_depth(arrays["nextmove"], arrays["row"]))
    return arrays


def dfa_depth(nextmove: np.ndarray, row: np.ndarray) -> int:
    """The most bytes any state of py3langid's automaton lies from its start state: a
    breadth-first search, one level at a time, over the automaton's rows of 256 moves
    (states share rows; a row is expanded once: 0.06 CPU-s). The automaton is an
    Aho-Corasick machine over the model's byte n-grams: its state after any text is the
    longest suffix of the text that begins some n-gram, so it depends on the last `depth`
    bytes only, which is what lets `_WindowedIdentifier` walk every position at once."""
    moves = nextmove.reshape(-1, 256)
    seen = np.zeros(len(row), dtype=bool)
    seen[0] = True
    expanded = np.zeros(len(moves), dtype=bool)
    frontier, depth = np.zeros(1, dtype=np.intp), 0
    while True:
        rows = np.unique(row[frontier])
        rows = rows[~expanded[rows]]
        expanded[rows] = True
        new = np.zeros(len(row), dtype=bool)
        new[moves[rows].ravel()] = True
        new &= ~seen
        if not new.any():
            return depth
        seen |= new
        frontier, depth = np.flatnonzero(new), depth + 1


class _WindowedIdentifier(LanguageIdentifier):
    """py3langid's identifier with its automaton walked by numpy instead of byte by byte.

    Own code because py3langid steps through the sample's bytes in a Python loop, about
    half of detection's CPU: over the 3,000-character samples of 318 BBC articles (median
    of 5) detection took 0.31 CPU-s with py3langid's loop and 0.24 with this walk (the
    rest is the score, py3langid's own code either way). Here each position's state comes from
    its last `depth` bytes, `depth` vectorized moves over the whole sample; every state is
    then checked against the automaton's own move from the state before it, so a text
    where that would not hold falls back to py3langid's loop and the answer never
    depends on the depth being right. Features are counted in order of first appearance,
    as py3langid's Counter holds them, so that the score's sum runs in the same order:
    the scores are py3langid's float for float (tests/transforms/test_language.py)."""

    def __init__(self, *args, depth: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._depth = depth
        # Views of py3langid's own tables (the moves are 39 MB: not held twice).
        self._moves = np.frombuffer(self.tk_nextmove, dtype=f"u{self.tk_nextmove.itemsize}")
        self._base = np.frombuffer(self.tk_row, dtype=f"u{self.tk_row.itemsize}").astype(np.intp) << 8
        self._features = np.asarray(self.tk_output, dtype=np.intp)

    def _visits(self, data: bytes) -> dict[int, int] | None:
        """{feature: count} in order of first appearance; None: py3langid's loop decides."""
        depth, n = self._depth, len(data)
        if n < 4 * depth:
            return None
        moves, base = self._moves, self._base
        text = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        head, state = [], 0
        for byte in data[: depth - 1]:  # positions with fewer than `depth` bytes before them
            state = int(moves[base[state] + byte])
            head.append(state)
        width = n - depth + 1
        states = np.zeros(width, dtype=np.intp)
        for k in range(depth):
            states = moves[base[states] + text[k : k + width]]
        states = np.concatenate([np.asarray(head, dtype=np.intp), states])
        before = np.concatenate([np.zeros(1, dtype=np.intp), states[:-1]])
        if not np.array_equal(moves[base[before] + text], states):
            return None
        found = self._features[states]
        found = found[found >= 0]
        features, first, counts = np.unique(found, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        return dict(zip(features[order].tolist(), counts[order].tolist(), strict=True))

    def _raw_score(self, text):
        visits = self._visits(text) if isinstance(text, bytes) else None
        if not visits:  # None, or no feature at all: py3langid's own path
            return super()._raw_score(text)
        return self._sparse_score(visits, self.nb_ptc)


def _from_arrays(arrays: dict[str, np.ndarray]) -> LanguageIdentifier:
    # What `LanguageIdentifier.from_model_file` builds from the same arrays, walked by numpy.
    return _WindowedIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        modelio._to_array(arrays["nextmove"]),
        arrays["output"].tolist(),
        norm_probs=True,
        tk_row=modelio._to_array(arrays["row"]),
        depth=int(arrays["depth"]),
    )


def use_model(arrays: dict[str, np.ndarray]) -> None:
    """Detect with the model given as `model_arrays()` returned them (from a cache)."""
    global _ready
    _ready = _from_arrays(arrays)


def release_model() -> None:
    """Forget the model (`use_model`'s and the packaged one): ~70 MiB freed once nothing
    else holds it. The next detection loads the packaged one again."""
    global _ready
    _ready = None
    _packaged.cache_clear()


@functools.lru_cache(maxsize=1)
def _packaged() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _identifier() -> LanguageIdentifier:
    return _ready if _ready is not None else _packaged()


_LETTER = re.compile(r"[^\W\d_]")


def _enough_letters(sample: str) -> bool:
    for n, _ in enumerate(_LETTER.finditer(sample), 1):
        if n >= MIN_LETTERS:
            return True
    return False


_OPENING_PUNCT = "\"'“‘«([{-–—"


def _prose_words(sample: str) -> str:
    """The sample without its names and figures: the words that open with a capital letter
    and those holding a digit. A name is no word of the text's language, and a results
    table of athletes and their countries (`3. Jane Doe (Kenya) 12.92`) reads as Nigerian
    Pidgin to the model; the language's own words (`results at the meeting on Friday`,
    German's verbs and articles) are what tells it."""
    return " ".join(w for w in sample.split() if not (w.lstrip(_OPENING_PUNCT)[:1].isupper() or any(c.isdigit() for c in w)))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text or
    the model is unsure. The guess is made on the sample's prose words (`_prose_words`)
    when enough of them are left, else on the whole sample."""
    sample = text[:SAMPLE_CHARS]
    if not _enough_letters(sample):
        return None
    prose = _prose_words(sample)
    lang, confidence = _identifier().classify(prose if _enough_letters(prose) else sample)
    return lang if confidence >= MIN_CONFIDENCE else None


def normalize_language(value: str | None) -> str | None:
    """A declared language (`en-GB`, `EN`, `English`, `fr_FR`) as a lower-case code."""
    if not value:
        return None
    name = value.strip().casefold()
    if name in _NAMES:
        return _NAMES[name]
    match = _DECLARED.match(name)
    return match.group(1) if match else None
