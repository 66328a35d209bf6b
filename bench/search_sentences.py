"""How the search index stores the articles' sentences (issue 17 item 5): bytes on disk against
the CPU a query spends reading the sentences of its best articles, for three layouts.

    .venv/bin/python bench/search_sentences.py INDEXED_DB [--reps 7] [--articles 50]

INDEXED_DB is a news.duckdb with the search index built (bench/search_speed.py leaves one at
/tmp/search-bench-x10/indexed.duckdb, bench/search_latency.py /tmp/search-latency-x10/new/news.duckdb:
the BBC corpus's rows copied 10 times). Its indexed articles' sentences (docid, sentence_idx,
text) are copied into a database of its own per layout:
- `plain`: as index version 2 stored them (no string compression);
- `fsst`: DuckDB's default compression (FSST, dictionary);
- `zlib`: one row per article, its sentences as a JSON list compressed by Python's zlib (level
  6), decompressed in Python when read (flows/warehouse/search.py's `pack`/`unpack`, the index's
  own layout since index version 3).
For each of bench/search_speed.py's 20 first-set queries the docids of its best `--articles`
articles (the search's own ranking statement) are read from each layout `--reps` times,
interleaved layout by layout: CPU and wall seconds, median per query, then the median and max
over the queries; and each layout's bytes (its file after a checkpoint, less an empty
database's). Writes bench/results/search_sentences.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
from _common import median, print_table, write_result  # noqa: E402
from search_speed import QUERIES  # noqa: E402

from flows.warehouse import search as fulltext  # noqa: E402
from flows.warehouse.extensions import NO_DOWNLOADS, load_extensions  # noqa: E402

WORK = Path("/tmp/search-sentences")
S = fulltext.INDEX_SCHEMA
# The indexed articles' sentences, whatever layout the index itself stores them in.
SOURCE = f"(select docs.docid, s.sentence_idx, s.text from src.{S}.docs as docs inner join src.stg_sentences as s on s.article_id = docs.name)"


def make_layouts(indexed: Path) -> dict[str, Path]:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    empty = WORK / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    files = {}
    for layout in ("plain", "fsst", "zlib"):
        db = WORK / f"{layout}.duckdb"
        con = duckdb.connect(str(db), config=NO_DOWNLOADS)
        con.execute(f"attach '{indexed}' as src (read_only)")
        if layout == "plain":
            con.execute("set disabled_compression_methods = 'fsst,dictionary'")
        if layout == "zlib":
            rows = con.execute(
                f"select docid, list(text order by sentence_idx) from {SOURCE} group by docid order by docid"
            ).fetchall()
            packed = pa.table(
                {
                    "docid": pa.array([docid for docid, _ in rows], pa.int64()),
                    "packed": pa.array([fulltext.pack(texts) for _, texts in rows], pa.binary()),
                }
            )
            con.register("packed_rows", packed)
            con.execute("create table sentences as select * from packed_rows")
            con.unregister("packed_rows")
        else:
            con.execute(f"create table sentences as select * from {SOURCE} order by docid, sentence_idx")
        con.execute("detach src")
        con.execute("checkpoint")
        con.close()
        files[layout] = db
    files["_empty"] = empty
    return files


def read(con, layout: str, docids: list[int]) -> int:
    ids = ", ".join(str(d) for d in docids)
    if layout == "zlib":
        rows = con.execute(f"select docid, packed from sentences where docid in ({ids})").fetchall()
        return sum(len(fulltext.unpack(packed)) for _, packed in rows)
    return len(con.execute(f"select docid, text from sentences where docid in ({ids}) order by docid, sentence_idx").fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("indexed", type=Path)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--articles", type=int, default=fulltext.RERANK)
    args = parser.parse_args()
    load_before = os.getloadavg()
    files = make_layouts(args.indexed)
    empty = files.pop("_empty").stat().st_size
    sizes = {layout: db.stat().st_size - empty for layout, db in files.items()}

    index = duckdb.connect(str(args.indexed), read_only=True, config=NO_DOWNLOADS)
    load_extensions(index)
    held = {w for (w,) in index.execute(f"select sw from {S}.stopwords").fetchall()}
    tops = {}
    for q in QUERIES:
        stems = list(dict.fromkeys(s for w, s in index.execute(fulltext._QUERY, {"query": q}).fetchone()[0] if w not in held))
        known = index.execute(fulltext._TERMS, {"terms": stems}).fetchall()
        if not known:
            continue
        params = {
            "termids": [k[0] for k in known],
            "idf": [k[2] for k in known],
            "title_weight": fulltext.TITLE_WEIGHT,
            "all_words": False,
            "since": None,
            "source": None,
            "entity": None,
            "limit": args.articles,
        }
        ranked = index.execute(fulltext._RANKED.format(termids=", ".join(str(k[0]) for k in known)), params).fetchall()
        tops[q] = [row[6] for row in ranked]
    index.close()

    cons = {layout: duckdb.connect(str(db), read_only=True, config=NO_DOWNLOADS) for layout, db in files.items()}
    counts = {layout: {q: read(con, layout, docids) for q, docids in tops.items()} for layout, con in cons.items()}
    if len({json.dumps(c, sort_keys=True) for c in counts.values()}) != 1:
        sys.exit(f"the layouts read different numbers of sentences: {counts}")
    per_query: dict = {layout: {} for layout in cons}
    for q in tops:
        samples: dict = {layout: [] for layout in cons}
        for _ in range(args.reps):
            for layout, con in cons.items():
                wall, cpu = time.perf_counter(), time.process_time()
                read(con, layout, tops[q])
                samples[layout].append((time.perf_counter() - wall, time.process_time() - cpu))
        for layout, s in samples.items():
            per_query[layout][q] = {"wall_s": median([w for w, _ in s]), "cpu_s": median([c for _, c in s])}
    for con in cons.values():
        con.close()

    out = {}
    for layout, qs in per_query.items():
        cpu = [v["cpu_s"] for v in qs.values()]
        wall = [v["wall_s"] for v in qs.values()]
        out[layout] = {
            "bytes": sizes[layout],
            "cpu_median_s": median(cpu),
            "cpu_max_s": max(cpu),
            "wall_median_s": median(wall),
            "per_query": qs,
        }
    print_table(
        [
            [
                layout,
                round(v["bytes"] / 2**20, 1),
                1000 * v["cpu_median_s"],
                1000 * v["cpu_max_s"],
                1000 * v["wall_median_s"],
            ]
            for layout, v in out.items()
        ],
        ["layout", "MiB", "read CPU ms (median)", "max", "wall ms"],
    )
    print(f"load average before {load_before}, after {os.getloadavg()}")
    print(
        write_result(
            "search_sentences",
            {
                "indexed": str(args.indexed),
                "articles_per_query": args.articles,
                "reps": args.reps,
                "load_average_before": load_before,
                "load_average_after": os.getloadavg(),
                "layouts": out,
            },
        )
    )


if __name__ == "__main__":
    main()
