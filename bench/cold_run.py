"""Benchmarks 1-3 of issue 6, interleaved in one process tree: a cold `wirehouse run`
against bare spaCy NER and against the plain user script, and the no-op re-run.

    .venv/bin/python bench/cold_run.py ../shared/corpora/bbc [--workers N] [--reps 3]

Each repetition runs, one after another (never two at once):

1. bare spaCy (bench/bare_spacy.py): `ner` + `senter` only, N processes, same raw files;
2. `wirehouse run --workers N` cold, into a new warehouse under /tmp (temporary Prefect
   server: start-up included in the wall time; the summary's `time` line is the flow's
   own duration, start-up excluded);
3. `wirehouse run` again over the unchanged folder into the same warehouse (no-op: since
   commit 38cbb6b it answers before starting Prefect, so its `time` is the check alone);
4. the plain user script (bench/plain_user_script.py): default pipeline, one process,
   pandas → Parquet;
5. in the first `--server-reps` repetitions, `wirehouse run` cold against a Prefect
   server started once beforehand (`prefect server start` on 127.0.0.1), so that no
   temporary server starts inside the run.

Ratios are computed per repetition (baseline and wirehouse ran minutes apart on the
same noisy machine) and the medians reported. Throughput ratio = baseline time /
wirehouse time over the same files. Memory: the whole process tree sampled with
psutil every 0.25 s. Writes bench/results/cold_run.json.

Targets are issue 16's (`issues show 16`): the CLI ≥ 1.0× bare spaCy and the flow alone
≥ 1.1×; ≥ 3× the plain user script; no-op re-run ≤ 2% of the cold run; largest process
≤ 0.8 GB (10^9 bytes: 762.9 MiB).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    LARGEST_PROCESS_MIB,
    ROOT,
    PrefectServer,
    corpus_files,
    count_words,
    median,
    mib,
    parse_wirehouse_output,
    print_table,
    read_text,
    run_sampled,
    wirehouse_cmd,
    wirehouse_env,
    write_result,
)

BENCH = Path(__file__).resolve().parent

# Issue 16's targets (its text of session 11), each as (shown, met).
CLI_VS_BARE = (">= 1.0", lambda m: m >= 1.0)
FLOW_VS_BARE = (">= 1.1", lambda m: m >= 1.1)
VS_USER_SCRIPT = (">= 3", lambda m: m >= 3)
NOOP_SHARE = ("<= 0.02", lambda m: m <= 0.02)
LARGEST_PROCESS = (f"<= {LARGEST_PROCESS_MIB:.1f} (0.8 GB)", lambda m: m <= LARGEST_PROCESS_MIB)


def _default_workers() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _fail(what: str, result) -> None:
    sys.stderr.write(f"{what} failed (exit {result.returncode}):\n{result.stderr[-3000:]}\n{result.stdout[-2000:]}\n")
    raise SystemExit(1)


def _wh_record(result) -> dict:
    rec = {"wall_s": round(result.wall_s, 2), **parse_wirehouse_output(result.stdout, result.stderr)}
    rec["peak_single_rss_mib"] = mib(result.memory.peak_single_rss)
    rec["peak_single_cmd"] = result.memory.peak_single_cmd
    rec["peak_tree_rss_mib"] = mib(result.memory.peak_tree_rss)
    rec["peak_tree_pss_mib"] = mib(result.memory.peak_tree_pss)
    rec["peak_tree_processes"] = result.memory.peak_tree_processes
    rec["peak_tree_breakdown_mib"] = result.memory.peak_tree_breakdown
    rec["ru_maxrss_children_mib"] = mib(result.ru_maxrss_children)
    rec["cpu_s"] = round(result.cpu_user_s + result.cpu_sys_s, 1)
    if rec.get("flow_time_s") is not None:
        rec["startup_and_shutdown_s"] = round(result.wall_s - rec["flow_time_s"], 2)
    return rec


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of raw article files (e.g. ../shared/corpora/bbc)")
    parser.add_argument("--workers", type=int, default=_default_workers(), help="processes for both sides (default: cores)")
    parser.add_argument("--reps", type=int, default=3, help="interleaved repetitions (default 3)")
    parser.add_argument(
        "--server-reps",
        type=int,
        default=1,
        help="repetitions that also run wirehouse against a started Prefect server (default 1; 0: none)",
    )
    parser.add_argument("--no-user-script", action="store_true", help="skip the plain user script (benchmark 2)")
    parser.add_argument(
        "--baseline-mode",
        choices=["pool", "n_process"],
        default="pool",
        help="how bare spaCy uses N processes (see bench/bare_spacy.py)",
    )
    parser.add_argument("--name", default="cold_run", help="result file name (bench/results/NAME.json)")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        parser.error(f"{corpus} is not a folder")

    files = corpus_files(corpus)
    words = count_words(read_text(p) for p in files)
    print(f"corpus {corpus}: {len(files)} files, {words:,} words; workers {args.workers}; reps {args.reps}", flush=True)
    py = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="benchwh-", dir="/tmp"))
    server = None
    reps = []
    try:
        if args.server_reps:
            server = PrefectServer().__enter__()
            print(f"prefect server up in {server.startup_s:.1f}s at {server.api_url}", flush=True)
        for rep in range(args.reps):
            row: dict = {"rep": rep}

            r = run_sampled(
                [py, str(BENCH / "bare_spacy.py"), str(corpus), "--workers", str(args.workers), "--mode", args.baseline_mode]
            )
            if r.returncode:
                _fail("bare spaCy", r)
            row["bare_spacy"] = {
                "wall_s": round(r.wall_s, 2),
                **json.loads(r.stdout.strip().splitlines()[-1]),
                "cpu_s": round(r.cpu_user_s + r.cpu_sys_s, 1),
                "peak_single_rss_mib": mib(r.memory.peak_single_rss),
                "peak_tree_rss_mib": mib(r.memory.peak_tree_rss),
            }
            print(f"[{rep}] bare spaCy      {r.wall_s:7.1f}s", flush=True)

            wh = scratch / f"wh-{rep}"
            r = run_sampled(wirehouse_cmd(corpus, wh, args.workers), env=wirehouse_env())
            if r.returncode:
                _fail("wirehouse cold run", r)
            row["wirehouse_cold"] = _wh_record(r)
            print(f"[{rep}] wirehouse cold  {r.wall_s:7.1f}s  (flow {row['wirehouse_cold'].get('flow_time_s')}s)", flush=True)

            r = run_sampled(wirehouse_cmd(corpus, wh, args.workers), env=wirehouse_env())
            if r.returncode:
                _fail("wirehouse no-op re-run", r)
            row["wirehouse_noop"] = _wh_record(r)
            print(f"[{rep}] wirehouse no-op {r.wall_s:7.1f}s  (flow {row['wirehouse_noop'].get('flow_time_s')}s)", flush=True)

            if not args.no_user_script:
                out = scratch / f"user-{rep}"
                r = run_sampled([py, str(BENCH / "plain_user_script.py"), str(corpus), str(out)])
                if r.returncode:
                    _fail("plain user script", r)
                row["user_script"] = {
                    "wall_s": round(r.wall_s, 2),
                    "output": r.stdout.strip(),
                    "cpu_s": round(r.cpu_user_s + r.cpu_sys_s, 1),
                    "peak_single_rss_mib": mib(r.memory.peak_single_rss),
                }
                print(f"[{rep}] user script     {r.wall_s:7.1f}s", flush=True)
                shutil.rmtree(out, ignore_errors=True)

            if server and rep < args.server_reps:
                wh_s = scratch / f"wh-server-{rep}"
                r = run_sampled(wirehouse_cmd(corpus, wh_s, args.workers), env=wirehouse_env(server.api_url))
                if r.returncode:
                    _fail("wirehouse cold run (Prefect server)", r)
                row["wirehouse_cold_server"] = _wh_record(r)
                print(
                    f"[{rep}] wirehouse cold, Prefect server {r.wall_s:7.1f}s "
                    f"(flow {row['wirehouse_cold_server'].get('flow_time_s')}s)",
                    flush=True,
                )
                shutil.rmtree(wh_s, ignore_errors=True)
            shutil.rmtree(wh, ignore_errors=True)
            reps.append(row)
    finally:
        if server:
            server.__exit__(None, None, None)
        shutil.rmtree(scratch, ignore_errors=True)

    summary = summarize(reps, len(files), words)
    rows = [[k, *v] for k, v in summary["table"].items()]
    print()
    print_table(rows, ["measure", "median", "min", "max", "target", "met"])
    path = write_result(
        args.name,
        {
            "corpus": str(corpus),
            "files": len(files),
            "words": words,
            "workers": args.workers,
            "baseline_mode": args.baseline_mode,
            "reps": reps,
            "summary": summary,
            "command": "python bench/cold_run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


def summarize(reps: list[dict], n_files: int, words: int) -> dict:
    def series(fn):
        out = []
        for row in reps:
            try:
                v = fn(row)
            except (KeyError, TypeError, ZeroDivisionError):
                v = None
            if v is not None:
                out.append(v)
        return out

    def stat(values, target_ok=(None, None)):
        target, ok = target_ok
        if not values:
            return [None, None, None, target, None]
        m = median(values)
        return [
            round(m, 3),
            round(min(values), 3),
            round(max(values), 3),
            target,
            None if ok is None else ("met" if ok(m) else "NOT met"),
        ]

    table = {
        "bare spaCy wall s": stat(series(lambda r: r["bare_spacy"]["wall_s"])),
        "bare spaCy words/s": stat(series(lambda r: words / r["bare_spacy"]["wall_s"])),
        "wirehouse cold wall s (CLI, temp server)": stat(series(lambda r: r["wirehouse_cold"]["wall_s"])),
        "wirehouse cold flow s (start-up excluded)": stat(series(lambda r: r["wirehouse_cold"]["flow_time_s"])),
        "wirehouse cold words/s (CLI)": stat(series(lambda r: words / r["wirehouse_cold"]["wall_s"])),
        "wirehouse cold words/s (flow)": stat(series(lambda r: words / r["wirehouse_cold"]["flow_time_s"])),
        "ratio vs bare spaCy, CLI end-to-end": stat(
            series(lambda r: r["bare_spacy"]["wall_s"] / r["wirehouse_cold"]["wall_s"]), CLI_VS_BARE
        ),
        "ratio vs bare spaCy, flow (start-up excl.)": stat(
            series(lambda r: r["bare_spacy"]["wall_s"] / r["wirehouse_cold"]["flow_time_s"]), FLOW_VS_BARE
        ),
        "ratio vs bare spaCy, Prefect server CLI": stat(
            series(lambda r: r["bare_spacy"]["wall_s"] / r["wirehouse_cold_server"]["wall_s"]), CLI_VS_BARE
        ),
        "CPU-s ratio vs bare spaCy (bare CPU / wirehouse CPU)": stat(
            series(lambda r: r["bare_spacy"]["cpu_s"] / r["wirehouse_cold"]["cpu_s"])
        ),
        "bare spaCy CPU s": stat(series(lambda r: r["bare_spacy"]["cpu_s"])),
        "wirehouse cold CPU s (whole tree)": stat(series(lambda r: r["wirehouse_cold"]["cpu_s"])),
        "user script wall s": stat(series(lambda r: r["user_script"]["wall_s"])),
        "speed-up vs user script, CLI": stat(
            series(lambda r: r["user_script"]["wall_s"] / r["wirehouse_cold"]["wall_s"]), VS_USER_SCRIPT
        ),
        "speed-up vs user script, flow": stat(
            series(lambda r: r["user_script"]["wall_s"] / r["wirehouse_cold"]["flow_time_s"]), VS_USER_SCRIPT
        ),
        "no-op re-run wall s (CLI)": stat(series(lambda r: r["wirehouse_noop"]["wall_s"])),
        "no-op re-run flow s": stat(series(lambda r: r["wirehouse_noop"]["flow_time_s"])),
        "no-op / cold, CLI": stat(series(lambda r: r["wirehouse_noop"]["wall_s"] / r["wirehouse_cold"]["wall_s"]), NOOP_SHARE),
        "no-op / cold, flow": stat(
            series(lambda r: r["wirehouse_noop"]["flow_time_s"] / r["wirehouse_cold"]["flow_time_s"]), NOOP_SHARE
        ),
        "cold peak RSS, largest process MiB": stat(series(lambda r: r["wirehouse_cold"]["peak_single_rss_mib"]), LARGEST_PROCESS),
        "cold peak RSS, tree sum MiB": stat(series(lambda r: r["wirehouse_cold"]["peak_tree_rss_mib"])),
        "cold peak PSS, tree sum MiB": stat(series(lambda r: r["wirehouse_cold"]["peak_tree_pss_mib"])),
        "bare spaCy peak RSS, tree sum MiB": stat(series(lambda r: r["bare_spacy"]["peak_tree_rss_mib"])),
    }
    phases = {}
    for key in ("flow_start_to_plan_s", "plan_to_first_batch_s", "batches_s", "after_batches_to_built_s"):
        phases[key] = median(series(lambda r, key=key: r["wirehouse_cold"]["phases"][key]))
    phases["startup_and_shutdown_s"] = median(series(lambda r: r["wirehouse_cold"]["startup_and_shutdown_s"]))
    phases["noop_startup_and_shutdown_s"] = median(series(lambda r: r["wirehouse_noop"]["startup_and_shutdown_s"]))
    return {"table": table, "cold_phases_median_s": phases, "files": n_files, "words": words}


if __name__ == "__main__":
    sys.exit(main())
