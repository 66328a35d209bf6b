"""Bytes → text: byte-order marks, encoding detection, mojibake repair."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import ftfy

from transforms.errors import RejectError
from transforms.language import detect_language

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters other than tab/newline/carriage return/form feed: a text file has
# (almost) none of them, a binary file is full of them.
_TEXT_CONTROLS = {9, 10, 12, 13}


class DecodeError(RejectError):
    """The bytes are not text."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    mojibake_repaired: bool


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: Latin script puts a NUL in every
    other byte, which would otherwise read as binary."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, text in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) == 0:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def utf16_codec(head: bytes) -> str | None:
    """The codec of UTF-16 text known by its first bytes: "utf-16" after a byte-order mark,
    "utf-16-le" or "utf-16-be" for Latin-script text without one; None for anything else
    (UTF-32 included). For readers that decode a big file as a stream."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    # The sample may end inside a surrogate pair: one code unit less then decodes.
    return _utf16_without_bom(sample) or _utf16_without_bom(sample[:-2])


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls > max(2, len(sample) // 100)


# What browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as cp1252.
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "iso8859-1", "latin-1", "us-ascii"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if codec in _AS_CP1252 or name.lower() in _AS_CP1252 else codec


def _decode_unmarked(data: bytes, declared: str | None) -> tuple[str, str]:
    """Text and encoding of bytes without a byte-order mark."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = _codec(declared)
    # A page labelled UTF-16/32 without a byte-order mark is not (browsers read it as
    # UTF-8), and any even number of bytes "decodes" as UTF-16.
    if codec is not None and not codec.startswith(("utf_16", "utf-16", "utf_32", "utf-32")):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass  # the label is wrong: fall back to detection
    encoding = _windows_code_page(data)
    if encoding is None:
        best = charset_normalizer.from_bytes(data).best()
        # charset-normalizer calls most single-byte Western text cp1252 or latin-1;
        # cp1252 is the superset that browsers and Windows actually use.
        encoding = _codec(best.encoding if best is not None else None) or "cp1252"
    return data.decode(encoding, errors="replace"), encoding


# Languages written in windows-1250 (Central European); their text read as cp1252 comes
# out as plausible-looking letters (`Pøedseda`, `pøiletìl`), so the language decides.
_CP1250_LANGUAGES = frozenset({"cs", "sk", "pl", "hu", "hr", "sl", "ro", "bs", "sr", "sq"})
# Western text has few letters outside ASCII (French ~4%, Portuguese ~6%); Cyrillic or
# Greek text read as cp1252 is almost all accented letters (`Ìèíèñòð`).
_MAX_NON_ASCII_LETTERS = 0.3
# A currency sign, superscript, ordinal indicator or inverted question mark straight
# after a letter, or a currency sign straight before one (`powiedzia³`, `s¹d`, `¿e`
# after a letter, `£odzi`): what Central European letters look like in the wrong code page.
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_](?P<after>[£¥¹²³ºª¼½¾¿¯¤¦¨´¸¶±×÷°µ§])|(?P<before>[£¥¤])[^\W\d_]")
# Western units and ordinals that put a superscript or ordinal indicator after a letter:
# `km²`, `m³`, `nº`/`Nº` (número), `n°`, `Sr.ª`. They are not Central European letters
# (issue: `50 km²`, `decreto nº 45` made cp1252 text read as cp1250, `km˛`, `Espańa`).
_WESTERN_UNIT = re.compile(r"\b(?:[kcdm]?m|µm|ft|in)[²³](?![^\W\d_])|\b(?:[nN]|[nN]r|[nN]o|Sr|Sra|Dr|Dra)[ºª°](?![^\W\d_])")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _symbols_in_words(text: str, other: str | None) -> bool:
    """Whether `text` has a symbol inside a word that the other code page's reading of
    the same bytes (`other`, aligned character for character: both are single-byte)
    turns into a letter. A symbol that stays a symbol either way (`n°`, `km²` → `km˛`)
    says nothing about the code page, nor does a Western unit or ordinal (`m³`, `nº`)."""
    units = [m.span() for m in _WESTERN_UNIT.finditer(text)]
    for match in _SYMBOL_IN_WORD.finditer(text):
        start, end = match.span()
        if any(u_start <= start and end <= u_end for u_start, u_end in units):
            continue
        # `º`, `ª` and `µ` are letters to Python (`isalpha`), so the group says which is the symbol.
        symbol = match.start("after") if match.group("after") else match.start("before")
        if other is None or other[symbol].isalpha():
            return True
    return False


def _plausible_latin(text: str, other: str | None) -> bool:
    letters = [c for c in text if c.isalpha()]
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii <= _MAX_NON_ASCII_LETTERS * max(1, len(letters)) and not _symbols_in_words(text, other)


def _windows_code_page(data: bytes) -> str | None:
    """cp1252 or cp1250 for Latin-script single-byte text, None when it is neither.

    Statistical detectors (charset-normalizer) choose between code pages on letter
    frequencies, which a short wire story does not have enough of: they read `Hélène` as
    cp1250 (`Hélčne`) and a story whose only non-ASCII byte is a curly apostrophe as a
    DOS code page (`Gandhiĺs`, `OPECÆs`). Browsers read Western single-byte text as
    windows-1252, and so do we, unless that reading is implausible (symbols inside
    words, mostly accented letters) or the text is in a Central European language
    (by py3langid on the cp1250 reading) and reads plausibly in cp1250.
    """
    western = _strict(data, "cp1252")
    central = _strict(data, "cp1250")
    if western is not None and central == western:
        return "cp1252"
    central_ok = central is not None and _plausible_latin(central, western)
    if western is not None and _plausible_latin(western, central):
        if central is not None and central_ok and detect_language(central) in _CP1250_LANGUAGES:
            return "cp1250"
        return "cp1252"
    return "cp1250" if central_ok else None


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode raw file bytes to text.

    Order of trust: a byte-order mark, then strict UTF-8 (by far the most common, and
    a cp1252 file almost never happens to be valid UTF-8), then the charset the file
    declares (an HTML `<meta charset>`, passed as `declared`) if the bytes decode with it,
    then charset-normalizer's best guess. Mojibake (UTF-8 read as cp1252 somewhere
    upstream, e.g. `â€™`) is repaired with ftfy, leaving typographic quotes alone.
    """
    if not data:
        raise DecodeError("empty", "file is empty (0 bytes)")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if encoding is None and _looks_binary(data):
        raise DecodeError("binary", "file holds binary data (NUL or control bytes), not text")
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
    else:
        text, encoding = _decode_unmarked(data, declared)
    text = text.lstrip("\ufeff")
    fixed = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        fix_line_breaks=True,
        normalization="NFC",
    )
    return Decoded(text=fixed, encoding=encoding, mojibake_repaired=fixed != text)
