"""Big container files (JSON Lines, JSON arrays, either gzipped) read record by record.

A file of many articles has no size limit: it is read twice as a stream (once for its
sha256, once for its records), and its records go through the pipeline in slices of at
most `SLICE_RECORDS` records or `SLICE_CHARS` characters of text, each slice written as
its own Parquet part. Memory stays that of one slice whatever the file's size
(bench/stream_memory.py). Smaller files are read whole (`storage.read_file`): a second
pass over a few megabytes buys nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import ijson

from flows.settings import BATCH_BYTES
from flows.store import storage
from transforms import formats
from transforms.decode import DecodeError, decode_bytes

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

    @property
    def source_format(self) -> str:
        return self.kind + ("+gzip" if self.compressed else "")


@contextmanager
def _open(path: str) -> Iterator[tuple[BinaryIO, bool]]:
    """The file's bytes as a stream, decompressed when it is gzip (by its magic bytes)."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == formats.GZIP_MAGIC
        raw.seek(0)
        if compressed:
            with gzip.GzipFile(fileobj=raw) as fh:
                yield fh, True  # type: ignore[misc]
        else:
            yield raw, False


def container(entry: storage.InputFile) -> Container | None:
    """How to stream `entry`, when it is a big file of records; None otherwise (it is then
    read whole, under the --max-file-mb limit)."""
    if entry.kind != "file" or entry.size <= STREAM_MIN_BYTES:
        return None
    name = PurePosixPath(entry.key).name
    try:
        with _open(entry.path) as (fh, compressed):
            head = fh.read(_HEAD)
    except (OSError, EOFError):
        return None  # read whole, where the error becomes a reject
    inner = PurePosixPath(name).stem if compressed and name.lower().endswith(".gz") else name
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        return None  # UTF-16: lines cannot be cut at b"\n"
    try:
        text = decode_bytes(head).text.lstrip("\ufeff")
    except DecodeError:
        return None
    kind = formats.container_kind(text, inner)
    if kind is None:
        return None
    if kind == "json" and text.lstrip().startswith("{"):
        key = _list_key(entry.path)
        return Container("json", compressed, key) if key else None
    return Container(kind, compressed)


def _list_key(path: str) -> str | None:
    """The key of the list of articles in `{"articles": [...]}` (one of the wrapper names
    a feed uses), when a big JSON object is such a wrapper and not one article."""
    pending = None
    try:
        with _open(path) as (fh, _):
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
    except (ijson.JSONError, OSError, EOFError, UnicodeDecodeError):
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


def records(entry: storage.InputFile, found: Container) -> Iterator[Record]:
    """Every record of the file, one at a time. A line that is not JSON is a bad record
    and the next line is read; a JSON array broken part way ends with one bad record."""
    with _open(entry.path) as (fh, _):
        if found.kind == "jsonl":
            for no, raw in enumerate(fh, start=1):
                raw = raw.rstrip(b"\r\n")
                if no == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if not raw.strip():
                    continue
                try:
                    decoded = decode_bytes(raw)
                except DecodeError as exc:
                    yield formats.BadRecord(no, exc.reason, f"line {no}: {exc.detail}"), ""
                    continue
                record = formats.json_line_record(decoded.text, no)
                if record is not None:
                    yield record, decoded.encoding
            return
        prefix = f"{found.list_key}.item" if found.list_key else "item"
        index = -1
        try:
            for index, value in enumerate(ijson.items(fh, prefix, use_float=True)):
                yield formats.json_item_record(value, index, f"item {index}"), "utf-8"
        except (ijson.JSONError, UnicodeDecodeError, EOFError, OSError) as exc:
            yield formats.BadRecord(index + 1, "invalid_json", f"item {index + 1} and after: not valid JSON ({exc})"), ""


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
