"""Peak memory of an incremental run's rewrite of merged files (`manifest.rewrite_parts`),
for several checkouts' code side by side, interleaved, median of N.

    .venv/bin/python bench/rewrite_memory.py base=/tmp/base-clone this=. [--files 12] [--articles 3000] [--reps 3]

A store of `--files` merged files per row table (files no part group names, as Delta's
optimize leaves them: `articles`, `sentences`, `entities`; about 20 MB of decoded rows per
articles file, made up of varied words, bodies of ~4 KB), then one input file's rows dropped
from every merged file: the run that changes or deletes files spread over a compacted
archive, touching every merged file. Each checkout's `rewrite_parts` runs in a child
process of its own (its code first on PYTHONPATH) over a fresh copy of the store; the
child's peak RSS (VmHWM, read before the rows are checked) and CPU-seconds (`wait4`) are reported, beside a child that
only imports the same modules (the floor), and the rows each checkout kept are compared.
Writes bench/results/rewrite_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, write_result  # noqa: E402

CHILD = r"""
import json, os, sys, time, resource
# The checkout's code first (`python -c` puts the working folder before PYTHONPATH).
sys.path.insert(0, os.environ["PYTHONPATH"].split(":")[0])
from flows.plan import manifest
from flows.store import storage
import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq
args = json.loads(sys.argv[1])
assert manifest.__file__.startswith(sys.path[0]), manifest.__file__
def high_water_kib():
    # VmHWM: this process's own peak (ru_maxrss carries the forking parent's over exec on Linux).
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1])
if args["import_only"]:
    print(json.dumps({"peak_kib": high_water_kib()}))
    raise SystemExit(0)
store = storage.ParquetStore(args["store"])
snapshot = storage.Snapshot(run_id="R0", parts=args["parts"])
parts, replaced = manifest.rewrite_parts(store, snapshot, set(), set(args["dropped"]), args["group"], {"part-known"})
# What was kept, as counts and a checksum of the ids (read after the peak that matters is recorded).
peak = high_water_kib()
kept = {}
for table, paths in sorted(parts.items()):
    ids = pa.concat_arrays([pq.read_table(store.local_path(p), columns=["article_id"])["article_id"].combine_chunks() for p in paths])
    kept[table] = [len(ids), sorted(set(ids.to_pylist()))[:3], len(set(ids.to_pylist()))]
print(json.dumps({"peak_kib": peak, "replaced": len(replaced), "kept": kept}))
"""

_WORDS = None


def _words(rng: random.Random, n: int) -> str:
    global _WORDS
    if _WORDS is None:
        _WORDS = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(20_000)]
    return " ".join(rng.choices(_WORDS, k=n))


def _open_store(folder: Path, row_group_rows: int | None):
    """The store the merged files are written to: one row group a file, as the runs write
    their parts and delta-rs's optimize its files (500,000 rows in one measured), or row
    groups of `row_group_rows` rows (tried as optimize's `max_row_group_size`: no lower peak,
    pyarrow reads a row group page by page)."""
    import pyarrow.parquet as pq

    from flows.store import storage

    class _Store(storage.ParquetStore):
        def write(self, table_name, table, part_name, partition=None):
            rel = f"{table_name}/{part_name}.parquet"
            self.local_path(rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, self.local_path(rel), compression="zstd", row_group_size=row_group_rows)
            return rel

    return _Store(str(folder)) if row_group_rows else storage.ParquetStore(str(folder))


def make_store(
    folder: Path, files: int, articles: int, row_group_rows: int | None = None, seed: int = 7
) -> tuple[dict[str, list[str]], list[str]]:
    """`files` merged files per row table; returns the parts and the source paths to drop (one per file)."""
    import datetime as dt

    import pyarrow as pa

    sys.path.insert(0, str(ROOT))
    from transforms import schemas

    rng = random.Random(seed)
    store = _open_store(folder, row_group_rows)
    parts: dict[str, list[str]] = {"articles": [], "sentences": [], "entities": []}
    dropped = []
    now = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    for f in range(files):
        ids = [f"a{f:03d}-{i:05d}" for i in range(articles)]
        paths = [f"/in/{f:03d}/{i:05d}.txt" for i in range(articles)]
        dropped.append(paths[articles // 2])
        bodies = [_words(rng, 650) for _ in ids]
        cols = {
            "article_id": ids,
            "source_path": paths,
            "body": bodies,
            "title": [b[:60] for b in bodies],
            "authors": [[] for _ in ids],
            "minhash": [[rng.getrandbits(32) for _ in range(8)] for _ in ids],
            "ingested_at": [now] * articles,
            "published_date": [dt.date(2022, 1 + i % 12, 1) for i in range(articles)],
        }
        rows = {}
        for field in schemas.ARTICLES:
            if field.name in cols:
                rows[field.name] = cols[field.name]
            elif pa.types.is_string(field.type):
                rows[field.name] = ["x"] * articles
            else:
                rows[field.name] = [0] * articles
        parts["articles"].append(store.write("articles", pa.table(rows, schema=schemas.ARTICLES), f"part-m{f:03d}"))
        per = 25  # sentences and entities an article
        sids = [a for a in ids for _ in range(per)]
        sent = {
            "article_id": sids,
            "sentence_idx": [i % per for i in range(len(sids))],
            "text": [b[(i % per) * 150 : (i % per) * 150 + 150] for b in bodies for i in range(per)],
        }
        srows = {f.name: sent.get(f.name, [0] * len(sids)) for f in schemas.SENTENCES}
        parts["sentences"].append(store.write("sentences", pa.table(srows, schema=schemas.SENTENCES), f"part-m{f:03d}"))
        erows = {}
        for field in schemas.ENTITIES:
            if field.name == "article_id":
                erows[field.name] = sids
            elif pa.types.is_string(field.type):
                erows[field.name] = [f"{field.name}-{i % 977}" for i in range(len(sids))]
            elif pa.types.is_floating(field.type):
                erows[field.name] = [0.0] * len(sids)
            else:
                erows[field.name] = [i % per for i in range(len(sids))]
        parts["entities"].append(store.write("entities", pa.table(erows, schema=schemas.ENTITIES), f"part-m{f:03d}"))
    return parts, dropped


def _child(code: str, payload: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": code}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(payload)], env=env, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{code}: exit {proc.returncode}")
    found = json.loads(out.strip().splitlines()[-1])
    found.update(peak_mib=round(found.pop("peak_kib") / 1024, 1), cpu_s=round(usage.ru_utime + usage.ru_stime, 3))
    found["wall_s"] = round(time.perf_counter() - started, 3)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+", help="NAME=CODE_ROOT")
    parser.add_argument("--files", type=int, default=12, help="merged files per row table")
    parser.add_argument("--articles", type=int, default=3000, help="articles per merged file")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rewrite_memory"))
    parser.add_argument("--name", default="rewrite_memory")
    parser.add_argument(
        "--row-group-rows", type=int, default=None, help="rows per row group of the merged files (default: one row group a file)"
    )
    args = parser.parse_args(argv)
    variants = [tuple(v.split("=", 1)) for v in args.variants]
    shutil.rmtree(args.workdir, ignore_errors=True)
    pristine = args.workdir / "store-pristine"
    parts, dropped = make_store(pristine, args.files, args.articles, args.row_group_rows)
    store_bytes = sum(p.stat().st_size for p in pristine.rglob("*.parquet"))
    print(f"store: {args.files} merged files per table, {store_bytes / 2**20:.1f} MiB of Parquet", flush=True)
    found: dict[str, list[dict]] = {"import only": [], **{n: [] for n, _ in variants}}
    for rep in range(args.reps):
        order = [("import only", variants[0][1]), *(variants if rep % 2 == 0 else list(reversed(variants)))]
        for name, code in order:
            store = args.workdir / "store"
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(pristine, store)
            payload = {
                "store": str(store),
                "parts": parts,
                "dropped": dropped,
                "group": f"part-R{rep}-rewrite",
                "import_only": name == "import only",
            }
            found[name].append(_child(code, payload))
            print(
                json.dumps({"rep": rep, "variant": name, **{k: v for k, v in found[name][-1].items() if k != "kept"}}), flush=True
            )
    kept = {n: runs[0].get("kept") for n, runs in found.items() if n != "import only"}
    summary = {
        name: {
            "peak_mib_median": statistics.median(r["peak_mib"] for r in runs),
            "peak_mib_all": [r["peak_mib"] for r in runs],
            "cpu_s_median": statistics.median(r["cpu_s"] for r in runs),
        }
        for name, runs in found.items()
    }
    floor = summary["import only"]["peak_mib_median"]
    for s in summary.values():
        s["above_import_mib"] = round(s["peak_mib_median"] - floor, 1)
    result = {
        "files_per_table": args.files,
        "articles_per_file": args.articles,
        "row_group_rows": args.row_group_rows,
        "store_parquet_mib": round(store_bytes / 2**20, 1),
        "summary": summary,
        "same_rows_kept": len({json.dumps(k, sort_keys=True) for k in kept.values()}) == 1,
        "kept": kept,
        "load_average": os.getloadavg(),
        "runs": found,
    }
    print(json.dumps({k: result[k] for k in ("store_parquet_mib", "summary", "same_rows_kept")}, indent=1))
    write_result(args.name, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
