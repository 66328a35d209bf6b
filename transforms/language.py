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
    """The packaged model as plain arrays. Reading it means decompressing 4.5 MB of LZMA
    (0.7 CPU-s); a batch worker gets these ready-made (flows/pipeline/worker_state.py)."""
    ptc, pc, classes, nextmove, row, output = modelio.load_model(MODEL_PATH)
    return {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "classes": np.array(classes),
        "nextmove": np.asarray(nextmove),
        "row": np.asarray(row),
        "output": np.asarray(output, dtype=np.int64),
    }


def _from_arrays(arrays: dict[str, np.ndarray]) -> LanguageIdentifier:
    # What `LanguageIdentifier.from_model_file` builds from the same arrays.
    return LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        modelio._to_array(arrays["nextmove"]),
        arrays["output"].tolist(),
        norm_probs=True,
        tk_row=modelio._to_array(arrays["row"]),
    )


def use_model(arrays: dict[str, np.ndarray]) -> None:
    """Detect with the model given as `model_arrays()` returned them (from a cache)."""
    global _ready
    _ready = _from_arrays(arrays)


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


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text or
    the model is unsure."""
    sample = text[:SAMPLE_CHARS]
    if not _enough_letters(sample):
        return None
    lang, confidence = _identifier().classify(sample)
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
