"""Benchmark 4: peak memory of a cold `wirehouse run` at 2k and 20k+ articles.

    .venv/bin/python bench/make_corpus.py ../shared/corpora/bbc --out /tmp/bbc20k
    .venv/bin/python bench/peak_rss.py ../shared/corpora/bbc /tmp/bbc20k [--workers N]

For each corpus folder given, one cold `wirehouse run --workers N` into a new warehouse
under /tmp, its whole process tree (CLI, temporary Prefect server, worker processes)
sampled with psutil every 0.25 s: the largest RSS of any one process, the largest sum
of RSS over the tree at one moment (shared pages counted once per process, so an upper
bound), the same with PSS (shared pages split, sampled every 2 s), and ru_maxrss of
the children (RUSAGE_CHILDREN). Memory is "flat" when the 20k peak is within 10% of
the 2k peak. Writes bench/results/peak_rss.json (with a memory timeline per run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    LARGEST_PROCESS_MIB,
    ROOT,
    corpus_files,
    count_words,
    mib,
    parse_wirehouse_output,
    print_table,
    read_text,
    run_sampled,
    wirehouse_cmd,
    wirehouse_env,
    write_result,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+", help="corpus folders, smallest first")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: wirehouse's, one per core)")
    args = parser.parse_args(argv)
    import os

    workers = args.workers or len(os.sched_getaffinity(0))
    runs = []
    for corpus in args.corpora:
        corpus = corpus.resolve()
        files = corpus_files(corpus)
        words = count_words(read_text(p) for p in files)
        print(f"{corpus}: {len(files):,} files, {words:,} words ...", flush=True)
        scratch = Path(tempfile.mkdtemp(prefix="benchwh-rss-", dir="/tmp"))
        try:
            r = run_sampled(wirehouse_cmd(corpus, scratch / "wh", workers), env=wirehouse_env())
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if r.returncode:
            sys.stderr.write(f"wirehouse run failed (exit {r.returncode}):\n{r.stderr[-3000:]}\n")
            return 1
        parsed = parse_wirehouse_output(r.stdout, r.stderr)
        m = r.memory
        run = {
            "corpus": str(corpus),
            "files": len(files),
            "words": words,
            "workers": workers,
            "wall_s": round(r.wall_s, 1),
            "flow_time_s": parsed.get("flow_time_s"),
            "articles": parsed.get("articles"),
            "phases": parsed.get("phases"),
            "peak_single_rss_mib": mib(m.peak_single_rss),
            "peak_single_cmd": m.peak_single_cmd,
            "peak_tree_rss_mib": mib(m.peak_tree_rss),
            "peak_tree_pss_mib": mib(m.peak_tree_pss),
            "peak_tree_processes": m.peak_tree_processes,
            "peak_tree_breakdown_mib": m.peak_tree_breakdown,
            "ru_maxrss_children_mib": mib(r.ru_maxrss_children),
            "samples": m.samples,
            "timeline_s_treeRssMiB_procs": [(t, mib(rss), n) for t, rss, n in r.timeline],
        }
        runs.append(run)
        print(
            f"  {r.wall_s:.0f}s; largest process {run['peak_single_rss_mib']} MiB ({m.peak_single_cmd}); "
            f"tree RSS {run['peak_tree_rss_mib']} MiB, PSS {run['peak_tree_pss_mib']} MiB",
            flush=True,
        )

    rows = [
        [
            Path(r["corpus"]).name,
            r["files"],
            r["wall_s"],
            r["flow_time_s"],
            r["peak_single_rss_mib"],
            r["peak_tree_rss_mib"],
            r["peak_tree_pss_mib"],
            r["ru_maxrss_children_mib"],
        ]
        for r in runs
    ]
    print()
    print_table(
        rows, ["corpus", "files", "wall s", "flow s", "max proc RSS MiB", "tree RSS MiB", "tree PSS MiB", "ru_maxrss MiB"]
    )
    verdict = {}
    if len(runs) >= 2:
        small, big = runs[0], runs[-1]
        for key in ("peak_single_rss_mib", "peak_tree_rss_mib", "peak_tree_pss_mib"):
            growth = big[key] / small[key] if small[key] else None
            verdict[key] = {
                "small": small[key],
                "big": big[key],
                "growth": round(growth, 3) if growth else None,
                "flat_within_10pct": growth is not None and growth <= 1.10,
                # issue 16: largest process <= 0.8 GB (no target for the tree's sums)
                "within_0.8GB": big[key] <= LARGEST_PROCESS_MIB if key == "peak_single_rss_mib" else None,
            }
        print()
        for key, v in verdict.items():
            print(
                f"{key}: {v['small']} → {v['big']} MiB (×{v['growth']}); flat: {v['flat_within_10pct']}; "
                f"<= 0.8 GB: {v['within_0.8GB']}"
            )
    path = write_result(
        "peak_rss",
        {
            "runs": runs,
            "verdict": verdict,
            "command": "python bench/peak_rss.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
