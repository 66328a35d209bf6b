"""Bytes → text: byte-order marks, encoding detection, mojibake repair."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer
import ftfy

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


class DecodeError(ValueError):
    """The bytes are not text. `reason` is the short code stored in `rejects.reason`."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    mojibake_repaired: bool


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls > max(2, len(sample) // 100)


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw file bytes to text.

    Order of trust: a byte-order mark, then strict UTF-8 (by far the most common, and
    a cp1252 file almost never happens to be valid UTF-8), then charset-normalizer's
    best guess. Mojibake (UTF-8 read as cp1252 somewhere upstream, e.g. `â€™`) is
    repaired with ftfy, leaving typographic quotes alone.
    """
    if not data:
        raise DecodeError("empty", "file is empty (0 bytes)")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None and _looks_binary(data):
        raise DecodeError("binary", "file holds binary data (NUL or control bytes), not text")
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(data).best()
            # charset-normalizer calls most single-byte Western text cp1252 or latin-1;
            # cp1252 is the superset that browsers and Windows actually use.
            encoding = best.encoding if best is not None else "cp1252"
            if encoding in ("latin_1", "iso8859_1", "ascii"):
                encoding = "cp1252"
            text = data.decode(encoding, errors="replace")
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
