"""What writing news.duckdb in storage format v1.0.0 (readable by every DuckDB 1.x) costs
against the installed DuckDB's newest format: file size, build time and query time on
ROWS synthetic rows shaped like the warehouse's (ids, text, dates, lists, numbers).

    .venv/bin/python bench/storage_version.py [ROWS] [FOLDER]

Prints one JSON line per format and the ratios (median of 5 query repetitions)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

import duckdb

QUERIES = [
    "select article_id, count(*), sum(v) from s group by 1 order by 2 desc limit 10",
    "select d, count(distinct article_id) from s group by 1 order by 1",
    "select count(*) from s where text like '%fox jumps%977'",
]


def measure(folder: str, version: str, rows: int) -> dict:
    path = os.path.join(folder, f"storage_{version}.duckdb")
    con = duckdb.connect(path, config={"storage_compatibility_version": version})
    started = time.perf_counter()
    con.execute(
        f"""create table s as select range as id, 'article ' || (range % 20000) as article_id,
        md5(range::varchar) || ' the quick brown fox jumps over the lazy dog ' || (range % 977) as text,
        date '2020-01-01' + (range % 1500)::int as d, [md5((range % 50)::varchar), 'x'] as l, (range % 7) * 1.5 as v
        from range({rows})"""
    )
    con.execute("checkpoint")
    build_s = time.perf_counter() - started
    stored = con.execute("select tags['storage_version'] from duckdb_databases() where path = ?", [path]).fetchone()[0]
    con.close()
    con = duckdb.connect(path, read_only=True)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        for sql in QUERIES:
            con.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    con.close()
    return {
        "duckdb": duckdb.__version__,
        "asked": version,
        "stored": stored,
        "bytes": os.path.getsize(path),
        "build_s": round(build_s, 2),
        "query_s": round(statistics.median(times), 3),
    }


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    with tempfile.TemporaryDirectory(dir=sys.argv[2] if len(sys.argv) > 2 else None) as folder:
        old, new = measure(folder, "v1.0.0", rows), measure(folder, "latest", rows)
    print(json.dumps(old))
    print(json.dumps(new))
    print(
        json.dumps(
            {
                "size_ratio": round(old["bytes"] / new["bytes"], 2),
                "query_ratio": round(old["query_s"] / new["query_s"], 2),
                "build_ratio": round(old["build_s"] / new["build_s"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
