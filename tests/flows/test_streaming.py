"""Issue 13: big inputs read in pieces, never whole (flows/store/streaming.py and the batch
reader's choice between reading a file whole, streaming it and refusing it).

- a small gzip file that decompresses to a big file of records is streamed; one that
  decompresses to anything else over --max-file-mb is refused, having decompressed no more
  than the limit;
- a JSON Lines line longer than the record limit is skipped unread, and the lines after it
  are read;
- UTF-16 files of records (with or without a byte-order mark, gzipped or not) are streamed.

Pure functions over files in tmp_path; memory itself is measured in bench/big_files.py."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import time

import pytest

from flows.pipeline import batches
from flows.store import storage, streaming
from flows.store.streaming import Container
from transforms import formats

STORY = "Talks between the two delegations resumed in Geneva on Friday, officials said. "


def _record(i: int) -> dict:
    return {"title": f"Story {i} in Łódź", "date": "2022-02-11", "text": STORY * 2 + f"Item {i} closed the day."}


def _entry(path) -> storage.InputFile:
    old = time.time() - 60  # a file modified in the last second is still being written: not read
    os.utime(path, (old, old))
    stat = os.stat(path)
    return storage.InputFile(path=str(path), key=path.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _jsonl(n: int) -> str:
    return "".join(json.dumps(_record(i), ensure_ascii=False) + "\n" for i in range(n))


def _outcome(items) -> list[tuple]:
    """(record, title or reason, encoding) of each record read."""
    return [(r.record, r.title, enc) if isinstance(r, formats.JsonRecord) else (r.record, r.reason, enc) for r, enc in items]


# -- gzip: decided on what it holds, not its compressed size ---------------------------


def test_a_small_gzip_of_a_big_jsonl_is_streamed_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 20_000)
    text = _jsonl(400)  # ~70 kB inside, ~3 kB compressed
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(text.encode()))
    entry = _entry(path)
    assert entry.size < 20_000 < len(text)

    read = batches._read_files([entry], max_file_bytes=64 * 2**20)

    assert (read.docs, read.unreadable, read.streamed) == ([], [], [(entry, Container("jsonl", True))])
    assert len(list(streaming.records(entry, read.streamed[0][1]))) == 400


def test_a_small_gzip_under_the_stream_size_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 20_000)
    path = tmp_path / "feed.jsonl.gz"
    data = gzip.compress(_jsonl(10).encode())
    path.write_bytes(data)

    read = batches._read_files([_entry(path)], max_file_bytes=64 * 2**20)

    assert ([d.data for d in read.docs], read.streamed, read.unreadable) == ([data], [], [])


def test_a_gzip_bomb_of_text_is_refused_after_decompressing_only_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 20_000)
    inside = b"Title: Bomb\n\n" + b"\0" * (8 * 2**20)  # 8 MiB of NULs: 8 kB compressed
    data = gzip.compress(inside)
    (tmp_path / "bomb.txt.gz").write_bytes(data)
    (tmp_path / "plain.txt.gz").write_bytes(gzip.compress(b"Title: Fine\n\n" + STORY.encode()))
    entries = [_entry(tmp_path / "bomb.txt.gz"), _entry(tmp_path / "plain.txt.gz")]

    read = batches._read_files(entries, max_file_bytes=2**20)

    assert read.unreadable == [(entries[0], "too_large", "decompresses to more than the 1 MiB limit (--max-file-mb): not read")]
    assert ([d.key for d in read.docs], read.streamed) == (["plain.txt.gz"], [])
    # The count stops one byte past the limit: the rest of the bomb is never decompressed.
    assert streaming.inflated_size(data, 2**20) == 2**20 + 1
    assert streaming.inflated_size(data, 10 * 2**20) == len(inside)


def test_a_damaged_gzip_is_left_to_the_whole_file_reader_which_rejects_it(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 20_000)
    whole = gzip.compress(_jsonl(400).encode())
    damaged = whole[:20] + bytes(b ^ 0xFF for b in whole[20:60]) + whole[60:]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(damaged)

    read = batches._read_files([_entry(path)], max_file_bytes=64 * 2**20)

    assert ([d.data for d in read.docs], read.streamed) == ([damaged], [])
    assert streaming.inflated_size(damaged, 20_000) < 20_000
    with pytest.raises(formats.FormatError) as exc:
        formats.unwrap(damaged, "feed.jsonl.gz")
    assert exc.value.reason == "bad_compression"


# -- one huge JSON Lines line ----------------------------------------------------------


@pytest.mark.parametrize("compressed", [False, True])
def test_a_jsonl_line_over_the_record_limit_is_skipped_unread(tmp_path, compressed):
    # Article cap 100 characters: a line may hold 32 x 100 = 3,200 bytes.
    huge = json.dumps({"title": "Huge", "text": "word " * 2_000})
    assert len(huge) == 10_029
    lines = [json.dumps(_record(1)), huge, json.dumps(_record(3)), "", "{not json", huge]  # the last without "\n"
    data = "\n".join(lines).encode()
    path = tmp_path / ("feed.jsonl.gz" if compressed else "feed.jsonl")
    path.write_bytes(gzip.compress(data) if compressed else data)

    items = list(streaming.records(_entry(path), Container("jsonl", compressed), max_article_chars=100))

    assert _outcome(items) == [
        (1, "Story 1 in Łódź", "utf-8"),
        (2, "article_too_large", ""),
        (3, "Story 3 in Łódź", "utf-8"),
        (5, "invalid_json", "utf-8"),
        (6, "article_too_large", ""),
    ]
    assert items[1][0].detail == (
        "line 2 of 10,029 bytes is over 32 times the 100-character limit for one article (--max-article-mb): not read"
    )
    assert items[4][0].detail.startswith("line 6 of 10,029 bytes is over")


def test_a_line_just_under_the_record_limit_is_read(tmp_path):
    line = json.dumps({"title": "Edge", "text": "x" * 10})
    limit_chars = len(line) // 32 + 1  # the line fits: len(line) <= 32 * limit_chars
    path = tmp_path / "feed.jsonl"
    path.write_text(line + "\n" + line + "\n", encoding="utf-8")

    items = list(streaming.records(_entry(path), Container("jsonl", False), max_article_chars=limit_chars))

    assert _outcome(items) == [(1, "Edge", "utf-8"), (2, "Edge", "utf-8")]


@pytest.mark.parametrize("damage", ["cut short", "damaged member"])
def test_a_gzip_damaged_part_way_ends_in_one_bad_record_after_the_good_ones(tmp_path, damage):
    good = gzip.compress(_jsonl(3).encode())
    data = good[:-12] if damage == "cut short" else good + gzip.compress(b"x")[:10] + b"\xff" * 40
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(data)

    items = list(streaming.records(_entry(path), Container("jsonl", True)))

    # Cut short, the third line is cut too; a damaged second member follows three whole lines.
    last = 3 if damage == "cut short" else 4
    assert _outcome(items) == [
        (1, "Story 0 in Łódź", "utf-8"),
        (2, "Story 1 in Łódź", "utf-8"),
        *([(3, "Story 2 in Łódź", "utf-8")] if last == 4 else []),
        (last, "bad_compression", ""),
    ]
    assert items[-1][0].detail == (
        f"line {last} and after: damaged or cut-short gzip data, not read ("
        + (
            "EOFError: Compressed file ended before the end-of-stream marker was reached)"
            if damage == "cut short"
            else "error: Error -3 while decompressing data: invalid block type)"
        )
    )


def test_a_json_list_in_gzip_cut_short_keeps_its_items_before_the_cut(tmp_path):
    data = gzip.compress(json.dumps([_record(i) for i in range(3)]).encode())[:-12]
    path = tmp_path / "feed.json.gz"
    path.write_bytes(data)

    items = list(streaming.records(_entry(path), Container("json", True)))

    assert _outcome(items)[-1] == (len(items) - 1, "bad_compression", "")
    assert [title for _, title, _ in _outcome(items)[:-1]] == [f"Story {i} in Łódź" for i in range(len(items) - 1)]


# -- UTF-16 files of records -----------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "compressed", "expected_codec"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, False, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, True, "utf-16"),
        ("utf-16-le", b"", False, "utf-16-le"),
        ("utf-16-be", b"", True, "utf-16-be"),
    ],
)
def test_utf16_json_lines_are_streamed(tmp_path, monkeypatch, codec, bom, compressed, expected_codec):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 1_000)
    data = bom + (_jsonl(3) + "{broken\r\n" + json.dumps(_record(4), ensure_ascii=False) + "\r\n").encode(codec)
    path = tmp_path / ("feed.jsonl.gz" if compressed else "feed.jsonl")
    path.write_bytes(gzip.compress(data) if compressed else data)
    entry = _entry(path)

    found = streaming.container(entry, big=True)

    assert found == Container("jsonl", compressed, encoding=expected_codec)
    assert _outcome(streaming.records(entry, found)) == [
        (1, "Story 0 in Łódź", expected_codec),
        (2, "Story 1 in Łódź", expected_codec),
        (3, "Story 2 in Łódź", expected_codec),
        (4, "invalid_json", expected_codec),
        (5, "Story 4 in Łódź", expected_codec),
    ]


def test_a_utf16_json_list_in_a_wrapper_is_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 1_000)
    path = tmp_path / "feed.json"
    path.write_bytes(json.dumps({"status": "ok", "articles": [_record(i) for i in range(6)]}).encode("utf-16"))
    entry = _entry(path)

    found = streaming.container(entry)

    assert found == Container("json", False, "articles", "utf-16")
    assert _outcome(streaming.records(entry, found)) == [(i, f"Story {i} in Łódź", "utf-16") for i in range(6)]


def test_utf32_and_binary_files_are_not_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 1_000)
    (tmp_path / "a.jsonl").write_bytes(_jsonl(20).encode("utf-32"))
    (tmp_path / "b.jsonl").write_bytes(b"\0\1\2\3" * 1_000)
    assert [streaming.container(_entry(tmp_path / n)) for n in ("a.jsonl", "b.jsonl")] == [None, None]
