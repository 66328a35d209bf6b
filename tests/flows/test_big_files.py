"""Issue 13: size limits that fit news. One article's text is capped (--max-article-mb);
files of records (JSON Lines, JSON lists, gzipped or not) are read record by record with
no whole-file limit, each slice of records written as its own part."""

from __future__ import annotations

import gzip
import json
import os
import time

import duckdb

from flows.pipeline.ingest import ingest
from flows.store import streaming
from tests.conftest import SEED_AFP

STORY = "Talks between the two delegations resumed in Geneva on Friday, officials said. "


def _record(i: int, **extra) -> dict:
    return {"title": f"Story {i}", "date": "2022-02-11", "text": STORY * 3 + f"Item number {i} closed the day.", **extra}


def test_records_are_streamed_in_slices_and_long_articles_rejected(prefect_api, tmp_path, monkeypatch):
    # Every container counts as big, and a slice holds two records: the streaming path with
    # small files.
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streaming, "SLICE_RECORDS", 2)
    # The first 64 bytes decide how a file is read: damage past them is met while streaming.
    monkeypatch.setattr(streaming, "_HEAD", 64)
    src = tmp_path / "in"
    src.mkdir()
    lines = [json.dumps(_record(i)) for i in range(5)]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"title": "Too long", "text": "word " * 5_000}))  # 24,999 characters (stripped)
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "list.json").write_text(json.dumps([_record(10), 7, _record(11)]), encoding="utf-8")
    (src / "wrapped.json").write_text(json.dumps({"status": "ok", "articles": [_record(20), _record(21)]}), encoding="utf-8")
    (src / "archive.jsonl.gz").write_bytes(gzip.compress("\n".join(json.dumps(_record(i)) for i in (30, 31, 32)).encode()))
    # Two gzip members, the second one's compressed data damaged: zlib fails part way.
    (src / "damaged.jsonl.gz").write_bytes(
        gzip.compress("".join(json.dumps(_record(i)) + "\n" for i in (40, 41)).encode()) + gzip.compress(b"x")[:10] + b"\xff" * 40
    )
    (src / "dump.txt").write_bytes(b"Title: Dump\nDate: 11 February 2022\n\n" + STORY.encode() * 400)  # 31,636 characters
    (src / "afp.txt").write_bytes(SEED_AFP.read_bytes())
    old = time.time() - 60
    for path in src.iterdir():
        os.utime(path, (old, old))

    summary = ingest(src, tmp_path / "wh", workers=1, max_article_mb=20_000 / 2**20)

    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)
    prefix = str(src) + os.sep
    rows = con.execute(
        "select file_path, file_record, 'article', file_format from stg_articles "
        "union all select file_path, file_record, reason, '' from stg_rejects order by 1, 2 nulls first"
    ).fetchall()
    outcome = [(path.removeprefix(prefix), record, what, fmt) for path, record, what, fmt in rows]
    assert outcome == [
        ("afp.txt", None, "article", "text"),
        ("archive.jsonl.gz", 1, "article", "jsonl+gzip"),
        ("archive.jsonl.gz", 2, "article", "jsonl+gzip"),
        ("archive.jsonl.gz", 3, "article", "jsonl+gzip"),
        ("damaged.jsonl.gz", 1, "article", "jsonl+gzip"),
        ("damaged.jsonl.gz", 2, "article", "jsonl+gzip"),
        ("damaged.jsonl.gz", 3, "bad_compression", ""),
        ("dump.txt", None, "article_too_large", ""),
        ("feed.jsonl", 1, "article", "jsonl"),
        ("feed.jsonl", 2, "article", "jsonl"),
        ("feed.jsonl", 3, "invalid_json", ""),
        ("feed.jsonl", 4, "article", "jsonl"),
        ("feed.jsonl", 5, "article", "jsonl"),
        ("feed.jsonl", 6, "article", "jsonl"),
        ("feed.jsonl", 7, "article_too_large", ""),
        ("list.json", 0, "article", "json"),
        ("list.json", 1, "invalid_json", ""),
        ("list.json", 2, "article", "json"),
        ("wrapped.json", 0, "article", "json"),
        ("wrapped.json", 1, "article", "json"),
    ]
    details = dict(con.execute("select file_path, detail from stg_rejects where reason = 'article_too_large'").fetchall())
    assert details == {
        prefix
        + "dump.txt": "the file's text of 31,636 characters is over the 20,000-character limit for one article (--max-article-mb)",
        prefix
        + "feed.jsonl": "line 7's text of 24,999 characters is over the 20,000-character limit for one article (--max-article-mb)",
    }
    # The streamed files' rows carry the whole file's hash, like any other file's.
    hashes = dict(con.execute("select distinct file_path, file_sha256 from stg_articles").fetchall())
    assert hashes[prefix + "feed.jsonl"] == __import__("hashlib").sha256((src / "feed.jsonl").read_bytes()).hexdigest()
    con.close()
    # Slices of at most two records: the feed's seven records took four parts.
    article_parts = [p for p in (tmp_path / "wh" / "parquet" / "articles").rglob("*.parquet")]
    assert len([p for p in article_parts if p.parent.name.startswith("slice=")]) >= 4 + 2 + 1 + 1
    assert (summary.articles, summary.rejects) == (15, 5)
    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)
    detail = con.execute("select detail from stg_rejects where reason = 'bad_compression'").fetchone()[0]
    con.close()
    # The damage ends the file's reading in one reject; the two records before it stay.
    assert detail == (
        "line 3 and after: damaged or cut-short gzip data, not read (error: Error -3 while decompressing data: invalid block type)"
    )

    # A second run sees nothing new and keeps every row.
    again = ingest(src, tmp_path / "wh", workers=1, max_article_mb=20_000 / 2**20)
    assert (again.files_unchanged, again.articles, again.rejects) == (7, 15, 5)
