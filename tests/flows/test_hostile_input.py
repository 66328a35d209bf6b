"""Hostile input through the real flow: every file is ingested, rejected with a reason, or
skipped to be tried again — never a crash, never a hang."""

from __future__ import annotations

import os
import threading
import time

import duckdb

from flows.pipeline.ingest import ingest
from tests.conftest import SEED_AFP


def _old(path):
    """Make a file look finished (modified a minute ago)."""
    t = time.time() - 60
    os.utime(path, (t, t), follow_symlinks=False) if not path.is_symlink() else None


def test_hostile_folder(prefect_api, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good = SEED_AFP.read_bytes()
    files = {
        "zero.txt": b"",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(256),
        "document.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\x03" + bytes(200),
        "nul bytes.txt": b"Headline\n\nSome text\x00with a NUL byte in it.\n",
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "broken.json": b'{"title": "Unclosed", "text": "no end',
        "bad-utf8-start.txt": b"\xff\xfe\xfd" + good,
        "bad-utf8-middle.txt": good[:300] + b"\xc3\x28\xa0\xa1" + good[300:],
        "bad-utf8-end.txt": good + b"\xe2\x82",
        "spaces and 'quotes' \"double\".txt": good,
        "Kyiv – Київ é.txt": good,
        "one long line.txt": b"Long line\n\n" + (b"Minsk talks continued as NATO officials met. " * 11_200),
    }
    for name, data in files.items():
        (src / name).write_bytes(data)
    (src / os.fsdecode(b"latin1-name-\xe9.txt")).write_bytes(good)
    # Issue 13: 60 MB of repeated paragraphs under a valid header (under the 64 MB file
    # limit) is no article: refused on its size in a second, not cleaned for ten minutes.
    with open(src / "sixty_mb.txt", "wb") as fh:
        fh.write(b"Title: Exercises to continue\nDate: 15 February 2022\n\n")
        paragraph = b"Officials in Minsk said the joint exercises would continue until February 20.\n\n"
        fh.write(paragraph * (60 * 10**6 // len(paragraph)))
    big = src / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 2**20)  # 200 MB (sparse: quick to make, as big as any to stat)
    for path in src.iterdir():
        _old(path)
    os.symlink(src / "loop-b", src / "loop-a")
    os.symlink(src / "loop-a", src / "loop-b")
    os.symlink(src / "missing.txt", src / "dangling.txt")
    (src / "sub").mkdir()
    os.symlink(src, src / "sub" / "back-to-top")  # a folder loop: not followed
    os.mkfifo(src / "pipe.txt")
    (src / "growing.txt").write_bytes(good)
    stop = threading.Event()

    def keep_writing():  # a download in progress: it grows while the run reads the folder
        with open(src / "growing.txt", "ab") as fh:
            while not stop.wait(0.05):
                fh.write(b"More text arrives. ")
                fh.flush()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        summary = ingest(src, tmp_path / "wh", workers=1)
    finally:
        stop.set()
        writer.join()

    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)
    prefix = str(src) + os.sep
    outcome = {
        path.removeprefix(prefix): what
        for path, what in con.execute(
            "select file_path, 'article' from stg_articles union all select file_path, reason from stg_rejects"
        ).fetchall()
    }
    assert outcome == {
        "zero.txt": "empty",
        "image.png": "binary",
        "document.pdf": "binary",
        "nul bytes.txt": "binary",
        "deep.json": "invalid_json",
        "broken.json": "invalid_json",
        "bad-utf8-start.txt": "article",
        "bad-utf8-middle.txt": "article",
        "bad-utf8-end.txt": "article",
        "spaces and 'quotes' \"double\".txt": "article",
        "Kyiv – Київ é.txt": "article",
        "one long line.txt": "article",
        "latin1-name-\ufffd.txt": "article",
        "huge.txt": "too_large",
        "sixty_mb.txt": "article_too_large",
        "loop-a": "stat_failed",
        "loop-b": "stat_failed",
        "dangling.txt": "broken_link",
        "pipe.txt": "not_regular",
    }
    assert summary.skipped == [(str(src / "growing.txt"), summary.skipped[0][1])]
    assert summary.skipped[0][1].startswith("still being written")
    assert (summary.files_seen, summary.files_skipped) == (len(outcome) + 1, 1)
    long_line = con.execute(
        "select sentence_count, word_count from stg_articles where file_path like '%one long line.txt'"
    ).fetchone()
    assert long_line == (11_200, 78_400)
    # The long line's entities were found all along it, not just in its first chunk.
    assert con.execute(
        "select count(*) from stg_entities e join stg_articles a using (article_id) "
        "where a.file_path like '%one long line.txt' and e.canonical_name = 'NATO'"
    ).fetchone() == (11_200,)
    con.close()

    # The growing file is picked up once it has settled; nothing else is redone.
    _old(src / "growing.txt")
    again = ingest(src, tmp_path / "wh", workers=1)
    assert (again.files_new, again.files_changed, again.files_skipped, again.articles) == (1, 0, 0, summary.articles + 1)
