"""Big container files (JSON Lines, JSON arrays, either gzipped, in UTF-8 or UTF-16) read
record by record.

A file of many articles has no size limit: it is read twice as a stream (once for its
sha256, once for its records), and its records go through the pipeline in slices of at
most `SLICE_RECORDS` records or `SLICE_CHARS` characters of text, each slice written as
its own Parquet part. Memory stays that of one slice whatever the file's size
(bench/big_files.py). Smaller files are read whole (`storage.read_file`): a second
pass over a few megabytes buys nothing. "Big" is decided on what the file holds: a small
gzip file that decompresses to more than `STREAM_MIN_BYTES` is big too (`inflated_size`).
One JSON Lines line is held at most `MAX_RECORD_BYTES_PER_CHAR` times the article cap:
a longer line is skipped unread and becomes one reject.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import ijson

from flows.settings import BATCH_BYTES
from flows.store import storage
from transforms import formats
from transforms.article import MAX_ARTICLE_CHARS, MAX_RECORD_BYTES_PER_CHAR, record_too_large
from transforms.decode import DecodeError, decode_bytes, utf16_codec

# Files bigger than this that hold records are streamed; smaller ones are read whole.
STREAM_MIN_BYTES = BATCH_BYTES
SLICE_RECORDS = 500
SLICE_CHARS = 4 * 2**20
_HEAD = 65536
_BLOCK = 2**20

Record = tuple[formats.JsonRecord | formats.BadRecord, str]  # (record, encoding it was read in)


@dataclass(frozen=True)
class Container:
    kind: str  # "jsonl" or "json"
    compressed: bool
    list_key: str | None = None  # {"articles": [...]}: the key of the list
    encoding: str | None = None  # a UTF-16 codec, read as text; None: bytes, each line decoded on its own

    @property
    def source_format(self) -> str:
        return self.kind + ("+gzip" if self.compressed else "")


class _Utf8Reader(io.RawIOBase):
    """A text stream read as UTF-8 bytes: UTF-16 lines cannot be cut at b"\n", so a UTF-16
    file is decoded as it is read and goes through the same byte readers as UTF-8."""

    def __init__(self, text: io.TextIOBase):
        self._text = text
        self._pending = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._at >= len(self._pending):
            chunk = self._text.read(_BLOCK // 4)
            if not chunk:
                return 0
            self._pending, self._at = chunk.encode("utf-8", errors="replace"), 0
        n = min(len(buffer), len(self._pending) - self._at)
        buffer[:n] = self._pending[self._at : self._at + n]
        self._at += n
        return n


@contextmanager
def _open(path: str, encoding: str | None = None) -> Iterator[tuple[BinaryIO, bool]]:
    """The file's bytes as a stream, decompressed when it is gzip (by its magic bytes), and
    re-encoded as UTF-8 when `encoding` (a UTF-16 codec) is given."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == formats.GZIP_MAGIC
        raw.seek(0)
        fh: BinaryIO = gzip.GzipFile(fileobj=raw) if compressed else raw  # type: ignore[assignment]
        try:
            if encoding:
                text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
                yield io.BufferedReader(_Utf8Reader(text), buffer_size=_BLOCK), compressed  # type: ignore[misc]
            else:
                yield fh, compressed
        finally:
            fh.close()


def inflated_size(data: bytes, limit: int) -> int:
    """How many bytes the gzip file `data` decompresses to, counted block by block without
    holding them, up to `limit` + 1 (a bomb of gigabytes costs only that much work). A
    damaged stream counts what came out before the damage: read whole, it is then rejected."""
    n = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while n <= limit and (block := fh.read(min(_BLOCK, limit + 1 - n))):
                n += len(block)
    except (OSError, EOFError, zlib.error):
        pass
    return n


def container(entry: storage.InputFile, *, big: bool = False) -> Container | None:
    """How to stream `entry`, when it is a big file of records (over STREAM_MIN_BYTES, or
    known to be `big` inside its compression); None otherwise (it is then read whole,
    under the --max-file-mb limit)."""
    if entry.kind != "file" or (entry.size <= STREAM_MIN_BYTES and not big):
        return None
    name = PurePosixPath(entry.key).name
    try:
        with _open(entry.path) as (fh, compressed):
            head = fh.read(_HEAD)
    except (OSError, EOFError, zlib.error):
        return None  # read whole, where the error becomes a reject
    inner = PurePosixPath(name).stem if compressed and name.lower().endswith(".gz") else name
    encoding = utf16_codec(head)
    if encoding is None and b"\x00" in head[:4096]:
        return None  # UTF-32 or binary: read whole, where it becomes a reject
    try:
        text = (head.decode(encoding, errors="replace") if encoding else decode_bytes(head).text).lstrip("\ufeff")
    except DecodeError:
        return None
    kind = formats.container_kind(text, inner)
    if kind is None:
        return None
    if kind == "json" and text.lstrip().startswith("{"):
        key = _list_key(entry.path, encoding)
        return Container("json", compressed, key, encoding) if key else None
    return Container(kind, compressed, encoding=encoding)


def _list_key(path: str, encoding: str | None) -> str | None:
    """The key of the list of articles in `{"articles": [...]}` (one of the wrapper names
    a feed uses), when a big JSON object is such a wrapper and not one article."""
    pending = None
    try:
        with _open(path, encoding) as (fh, _):
            for prefix, event, value in ijson.parse(fh):
                if pending is not None:
                    if prefix == pending and event == "start_array":
                        return pending
                    pending = None
                if prefix == "" and event == "map_key":
                    if value.lower() in formats.TEXT_FIELDS:
                        return None  # one article, read whole
                    if value.lower() in formats.LIST_FIELDS:
                        pending = value
    except (ijson.JSONError, OSError, EOFError, UnicodeDecodeError, zlib.error):
        return None
    return None


def file_sha256(entry: storage.InputFile, *, settle_s: float = 1.0) -> str:
    """sha256 of a big file read as a stream; `storage.FileChanging` when it is still
    being written (as `storage.read_file` decides for the files it reads whole)."""
    try:
        before = os.stat(entry.path)
        if time.time_ns() - before.st_mtime_ns < settle_s * 1e9:
            raise storage.FileChanging("modified less than a second ago")
        digest = hashlib.sha256()
        with open(entry.path, "rb") as fh:
            while block := fh.read(_BLOCK):
                digest.update(block)
        after = os.stat(entry.path)
    except FileNotFoundError as exc:
        raise storage.FileVanished(str(exc)) from exc
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise storage.FileChanging("size or modification time changed during the read")
    return digest.hexdigest()


def records(entry: storage.InputFile, found: Container, max_article_chars: int = MAX_ARTICLE_CHARS) -> Iterator[Record]:
    """Every record of the file, one at a time. A line that is not JSON is a bad record
    and the next line is read; a line longer than MAX_RECORD_BYTES_PER_CHAR times
    `max_article_chars` bytes is skipped unread (a bad record); a JSON array broken part
    way ends with one bad record."""
    with _open(entry.path, found.encoding) as (fh, _):
        if found.kind == "jsonl":
            yield from _lines(fh, found.encoding, MAX_RECORD_BYTES_PER_CHAR * max_article_chars, max_article_chars)
            return
        prefix = f"{found.list_key}.item" if found.list_key else "item"
        index = -1
        try:
            for index, value in enumerate(ijson.items(fh, prefix, use_float=True)):
                yield formats.json_item_record(value, index, f"item {index}"), found.encoding or "utf-8"
        except _READ_ERRORS as exc:
            yield formats.BadRecord(index + 1, *_read_failed(exc, f"item {index + 1} and after")), ""
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            yield formats.BadRecord(index + 1, "invalid_json", f"item {index + 1} and after: not valid JSON ({exc})"), ""


# Errors of reading a file part way: damaged or cut-short gzip data, an I/O error.
_READ_ERRORS = (OSError, EOFError, zlib.error)


def _read_failed(exc: BaseException, where: str) -> tuple[str, str]:
    """(reason, detail) of the bad record that ends a file whose reading failed part way:
    the records before it stay (a file-level reject beside them would contradict them)."""
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return "bad_compression", f"{where}: damaged or cut-short gzip data, not read ({type(exc).__name__}: {exc})"
    return "unreadable", f"{where}: read failed ({type(exc).__name__}: {getattr(exc, 'strerror', None) or exc})"


def _lines(fh: BinaryIO, encoding: str | None, limit: int, max_article_chars: int) -> Iterator[Record]:
    """The records of a JSON Lines stream, no line held longer than `limit` bytes. A read
    that fails part way ends the file with one bad record."""
    no = 0
    try:
        while raw := fh.readline(limit + 1):
            no += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(fh)
                yield formats.BadRecord(no, *record_too_large(f"line {no}", size, max_article_chars)), ""
            elif (item := _line_record(raw, no, encoding)) is not None:
                yield item
    except _READ_ERRORS as exc:
        yield formats.BadRecord(no + 1, *_read_failed(exc, f"line {no + 1} and after")), ""


def _line_record(raw: bytes, no: int, encoding: str | None) -> Record | None:
    """The record of one JSON Lines line (None for a blank line)."""
    raw = raw.rstrip(b"\r\n")
    if no == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        return None
    try:
        decoded = decode_bytes(raw)
    except DecodeError as exc:
        return formats.BadRecord(no, exc.reason, f"line {no}: {exc.detail}"), ""
    record = formats.json_line_record(decoded.text, no)
    return None if record is None else (record, encoding or decoded.encoding)


def _skip_line(fh: BinaryIO) -> int:
    """Read past the rest of a line, a block at a time; the bytes skipped."""
    skipped = 0
    while block := fh.readline(_BLOCK):
        skipped += len(block)
        if block.endswith(b"\n"):
            return skipped - 1
    return skipped


def slices(items: Iterator[Record]) -> Iterator[list[Record]]:
    """The records in slices of at most SLICE_RECORDS records or SLICE_CHARS characters."""
    batch: list[Record] = []
    chars = 0
    for item in items:
        record = item[0]
        batch.append(item)
        chars += len(record.text) if isinstance(record, formats.JsonRecord) else 0
        if len(batch) >= SLICE_RECORDS or chars >= SLICE_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch
