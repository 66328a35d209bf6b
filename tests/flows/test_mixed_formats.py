"""`wirehouse run`'s flow over the whole fixture corpus: every format, encoding and layout
in one folder, into one warehouse that passes its data tests."""

from __future__ import annotations

import os
import shutil
import time

import duckdb

from flows.pipeline.ingest import ingest
from tests.transforms.fixture_corpus import RAW, expected


def test_a_folder_mixing_every_format(prefect_api, tmp_path):
    src = tmp_path / "in"
    shutil.copytree(RAW, src)
    t = time.time() - 60
    for path in src.rglob("*"):
        os.utime(path, (t, t))
    summary = ingest(src, tmp_path / "wh", workers=2, batch_size=16)

    want = expected()
    articles = {k: v for k, v in want.items() if not v.get("reject")}
    rejects = {k: v["reject"] for k, v in want.items() if v.get("reject")}
    assert (summary.articles, summary.rejects) == (len(articles), len(rejects))

    con = duckdb.connect(str(tmp_path / "wh" / "news.duckdb"), read_only=True)

    def key(path, record):
        rel = os.path.relpath(path, src)
        return rel if record is None else f"{rel}#{record}"

    got_titles = {
        key(p, r): title for p, r, title in con.execute("select file_path, file_record, title from stg_articles").fetchall()
    }
    assert got_titles == {k: v["title"] for k, v in articles.items()}
    got_rejects = {
        key(p, r): reason for p, r, reason in con.execute("select file_path, file_record, reason from stg_rejects").fetchall()
    }
    assert got_rejects == rejects
    formats = dict(con.execute("select file_format, count(*) from stg_articles group by 1").fetchall())
    assert set(formats) >= {"text", "html", "json", "jsonl", "text+gzip", "html+gzip", "jsonl+gzip"}
    languages = {
        k: lang
        for k, lang in (
            (key(p, r), lang)
            for p, r, lang in con.execute(
                "select file_path, file_record, language from stg_articles where language <> 'en'"
            ).fetchall()
        )
    }
    assert languages == {k: v["language"] for k, v in articles.items() if v["language"] != "en"}
    # Non-English articles get no English NER.
    assert con.execute(
        "select count(*) from stg_entities join stg_articles using (article_id) where language <> 'en'"
    ).fetchone() == (0,)
