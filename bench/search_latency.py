"""Search latency and index build time (issue 17 item 5, second pass), side by side with the
search as it was at a baseline commit, at the corpus's size and at N times it.

    .venv/bin/python bench/search_latency.py WAREHOUSE [--copies 10] [--reps 5] [--build-reps 3] [--baseline 92ae38f]

WAREHOUSE is a warehouse built from the BBC corpus (`wirehouse run`). For 1 and `--copies`
copies of its articles (bench/search_speed.py's make_database: the same rows with varied
ids, each table a view over one Parquet file) under /tmp:
1. the index is built `--build-reps` times by this code's build_search_index, each on a fresh
   copy under the build's memory cap (wall and CPU seconds, median; bytes it adds to the
   checkpointed file), and once by the baseline's (its own function, read from git);
2. the 20 first-set queries of bench/search_speed.py run `--reps` times each through this
   code's flows.search() (its connection kept between calls, as in the dashboard and the
   API) and through the baseline's (a connection per call), interleaved query by query:
   wall and CPU seconds, median per query, then the median and max over the queries. The
   first call of this code (it opens the connection) is timed apart.
CPU seconds are this process's (DuckDB's threads included): the machine is shared.
Writes bench/results/search_latency.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
from _common import median, print_table, write_result  # noqa: E402
from search_speed import QUERIES, base_database  # noqa: E402

from flows import settings  # noqa: E402
from flows.settings import SQL_DIR  # noqa: E402
from flows.warehouse import search as current  # noqa: E402
from flows.warehouse.extensions import NO_DOWNLOADS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ORIGINAL_ARTICLES = (SQL_DIR / "intermediate" / "int_original_articles.sql").read_text()


def baseline_module(commit: str) -> types.ModuleType:
    """flows/warehouse/search.py as it was at `commit`, as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{commit}:flows/warehouse/search.py"], capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("baseline_search")
    module.__file__ = f"{commit}:flows/warehouse/search.py"
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own file at a commit
    return module


def build(base: Path, target: Path, module) -> tuple[float, float, int]:
    """Build `module`'s index on a copy of `base` at `target`: (wall s, CPU s, bytes added)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(base, target)
    con = duckdb.connect(str(target), config={**NO_DOWNLOADS, "memory_limit": settings.build_memory()})
    con.execute(f"create or replace view int_original_articles as {ORIGINAL_ARTICLES}")
    wall, cpu = time.perf_counter(), time.process_time()
    module.build_search_index(con)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    con.execute("drop view int_original_articles")
    con.execute("checkpoint")
    con.close()
    return wall, cpu, target.stat().st_size - base.stat().st_size


def timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def queries(new_db: Path, old_db: Path, reps: int, baseline) -> dict:
    """The 20 queries through this code's search and the baseline's, interleaved."""
    first = timed(lambda: current.search(QUERIES[0], new_db.parent))  # opens the connection
    baseline.search("warm up", old_db.parent)  # the extension's one-off load in this process
    per_query = {}
    for q in QUERIES:
        samples = {"new": [], "old": []}
        for _ in range(reps):
            samples["new"].append(timed(lambda q=q: current.search(q, new_db.parent)))
            samples["old"].append(timed(lambda q=q: baseline.search(q, old_db.parent)))
        per_query[q] = {
            side: {"wall_s": median([w for w, _ in s]), "cpu_s": median([c for _, c in s])} for side, s in samples.items()
        }
    current.close_connections()

    def over(side, key):
        values = [v[side][key] for v in per_query.values()]
        return {"median": median(values), "max": max(values)}

    return {
        "first_call_wall_s": first[0],
        "first_call_cpu_s": first[1],
        "per_query": per_query,
        "search_wall_s": over("new", "wall_s"),
        "search_cpu_s": over("new", "cpu_s"),
        "baseline_search_wall_s": over("old", "wall_s"),
        "baseline_search_cpu_s": over("old", "cpu_s"),
        "load_average_after": os.getloadavg(),
    }


def scale(source_db: Path, copies: int, args, baseline) -> dict:
    folder = Path(f"/tmp/search-latency-x{copies}")
    base, articles, sentences = base_database(source_db, folder, copies)
    builds = [build(base, folder / "scratch" / "news.duckdb", current) for _ in range(args.build_reps)]
    new_db = folder / "new" / "news.duckdb"
    build(base, new_db, current)
    old_db = folder / "old" / "news.duckdb"
    old_build = build(base, old_db, baseline)

    return {
        "articles": articles,
        "sentences": sentences,
        "index_build_wall_s": [b[0] for b in builds],
        "index_build_cpu_s": [b[1] for b in builds],
        "index_build_wall_median_s": median([b[0] for b in builds]),
        "index_build_cpu_median_s": median([b[1] for b in builds]),
        "index_bytes": builds[0][2],
        "baseline_index_build_wall_s": old_build[0],
        "baseline_index_build_cpu_s": old_build[1],
        "baseline_index_bytes": old_build[2],
        **queries(new_db, old_db, args.reps, baseline),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="A warehouse built from the BBC corpus.")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--build-reps", type=int, default=3)
    parser.add_argument("--baseline", default="92ae38f", help="The commit whose search to compare with.")
    parser.add_argument(
        "--queries-only", action="store_true", help="Only the queries, on the databases an earlier run left under /tmp."
    )
    args = parser.parse_args()
    baseline = baseline_module(args.baseline)
    load_before = os.getloadavg()
    if args.queries_only:
        out = {}
        for copies in (1, args.copies):
            folder = Path(f"/tmp/search-latency-x{copies}")
            out[copies] = queries(folder / "new" / "news.duckdb", folder / "old" / "news.duckdb", args.reps, baseline)
            v = out[copies]
            print(
                f"x{copies}: search {1000 * v['search_wall_s']['median']:.0f} ms wall, {1000 * v['search_cpu_s']['median']:.0f} ms CPU "
                f"(max {1000 * v['search_cpu_s']['max']:.0f}); baseline {1000 * v['baseline_search_wall_s']['median']:.0f} ms wall, "
                f"{1000 * v['baseline_search_cpu_s']['median']:.0f} ms CPU"
            )
        print(f"load average before {load_before}, after {os.getloadavg()}")
        print(
            write_result("search_latency_queries", {"baseline": args.baseline, "load_average_before": load_before, "scales": out})
        )
        return
    scales = {copies: scale(args.warehouse / "news.duckdb", copies, args, baseline) for copies in (1, args.copies)}
    ms = 1000
    print_table(
        [
            [
                f"{v['articles']:,}",
                v["index_build_wall_median_s"],
                v["index_build_cpu_median_s"],
                round(v["index_bytes"] / 2**20, 1),
                ms * v["search_wall_s"]["median"],
                ms * v["search_cpu_s"]["median"],
                ms * v["search_cpu_s"]["max"],
                ms * v["baseline_search_wall_s"]["median"],
                ms * v["baseline_search_cpu_s"]["median"],
            ]
            for v in scales.values()
        ],
        [
            "articles",
            "build s",
            "build CPU s",
            "index MiB",
            "search ms",
            "search CPU ms",
            "max CPU ms",
            "baseline ms",
            "baseline CPU ms",
        ],
    )
    print(f"load average before {load_before}, after {os.getloadavg()}")
    print(
        write_result(
            "search_latency",
            {
                "warehouse": str(args.warehouse),
                "baseline": args.baseline,
                "queries": QUERIES,
                "load_average_before": load_before,
                "scales": scales,
            },
        )
    )


if __name__ == "__main__":
    main()
