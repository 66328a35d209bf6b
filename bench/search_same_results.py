"""The search returns the same results after a change of the index's layout: this code's search
on an index this code built against a baseline commit's search on the index that commit built.

    .venv/bin/python bench/search_same_results.py BASE_DB --baseline COMMIT [--limit 10]

BASE_DB is a database with the tables the index reads and no index (bench/search_latency.py
leaves /tmp/search-latency-x1/base.duckdb and /tmp/search-latency-x10/base.duckdb: the BBC
corpus's rows, once and copied 10 times). Both indexes are built on copies of it under
/tmp/search-same-results (search_latency.build, the build's memory cap); every query of the four
committed sets in bench/search_speed.py (80) runs through both searches, any words and every
word (`all_words`), and each result table is compared whole: rank, article_id, date, source,
title and the marked sentences equal, the score to 1e-9 (DuckDB's parallel sum of float weights
varies in the last bits). Exits 1 on the first difference it prints.
Writes bench/results/search_same_results.json.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import write_result  # noqa: E402
from search_latency import baseline_module, build  # noqa: E402
from search_speed import QUERIES, QUERIES_FOURTH, QUERIES_HELDOUT, QUERIES_HELDOUT2  # noqa: E402

from flows.warehouse import search as current  # noqa: E402

WORK = Path("/tmp/search-same-results")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("--baseline", required=True, help="The commit whose search and index to compare with.")
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    baseline = baseline_module(args.baseline)
    shutil.rmtree(WORK, ignore_errors=True)
    old_db, new_db = WORK / "old" / "news.duckdb", WORK / "new" / "news.duckdb"
    old_build, new_build = build(args.base, old_db, baseline), build(args.base, new_db, current)
    queries = [*QUERIES, *QUERIES_HELDOUT, *QUERIES_HELDOUT2, *QUERIES_FOURTH]
    compared, worst = 0, 0.0
    started = time.process_time()
    for all_words in (False, True):
        for q in queries:
            old = baseline.search(q, old_db.parent, limit=args.limit, all_words=all_words)
            new = current.search(q, new_db.parent, limit=args.limit, all_words=all_words)
            # Scores are compared to 1e-9: DuckDB sums a query's float weights in parallel, so the
            # last bits of a sum vary from run to run with the same index and code (seen: 7.52716749939804
            # and 7.527167499398041 for the same result in three runs of the baseline).
            same = (
                old.attrs == new.attrs
                and list(old.columns) == list(new.columns)
                and old.drop(columns=["score", "sentences"]).equals(new.drop(columns=["score", "sentences"]))
                and all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(old.score, new.score, strict=True))
                and [list(x) for x in old.sentences] == [list(x) for x in new.sentences]
            )
            worst = max([worst, *(abs(a - b) for a, b in zip(old.score, new.score, strict=True))])
            if not same:
                print(f"different results for {q!r} (all_words={all_words}):\n{old}\n{new}")
                sys.exit(1)
            compared += len(new)
    current.close_connections()
    print(
        f"{2 * len(queries)} searches, {compared} results: the same (scores within {worst:.1e}). Index bytes added: baseline "
        f"{old_build[2] / 2**20:.1f} MiB, this code {new_build[2] / 2**20:.1f} MiB; "
        f"build CPU {old_build[1]:.1f} s and {new_build[1]:.1f} s"
    )
    print(
        write_result(
            "search_same_results",
            {
                "base": str(args.base),
                "baseline": args.baseline,
                "searches": 2 * len(queries),
                "results_compared": compared,
                "largest_score_difference": worst,
                "same": True,
                "baseline_index_bytes": old_build[2],
                "index_bytes": new_build[2],
                "baseline_build_cpu_s": old_build[1],
                "build_cpu_s": new_build[1],
                "search_cpu_s": time.process_time() - started,
                "load_average_after": os.getloadavg(),
            },
        )
    )


if __name__ == "__main__":
    main()
