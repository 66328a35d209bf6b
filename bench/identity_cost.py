"""The archive-level identity step's cost (flows/warehouse/identity.py) against duplicate linking
(flows/warehouse/duplicates.py, the other archive-level step after the batches) at several
archive sizes: CPU seconds, wall seconds and the peak RSS each adds to its process.

    .venv/bin/python bench/identity_cost.py [--sizes 20000,200000]

Synthetic archive: `n` articles of 12 named mentions each, drawn (Zipf) from a vocabulary
that grows with the archive (n / 2 full-named people made of random syllables, their
surnames alone, one misspelling in 50, places and organizations), with sources and dates;
written to Parquet under /tmp. Duplicate linking gets `n` articles of random signatures, as
in bench/duplicate_memory.py. Each measurement runs in a fresh process (ru_maxrss is a
high-water mark; the archive is written by another process first): duplicate linking under the
build's memory cap ($WIREHOUSE_BUILD_MEMORY), identity under its own cap and threads
($WIREHOUSE_IDENTITY_MEMORY, $WIREHOUSE_IDENTITY_THREADS), as a run gives them. Writes
bench/results/identity_cost.json (`--name`: another file).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, print_table, write_result  # noqa: E402

CHILD = r"""
import gc, resource, sys, time
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
kind, n, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(0)
if kind == "identity":
    from transforms.entities import entity_id, entity_key
    syll = ["ka", "lo", "vi", "an", "ser", "mi", "do", "ne", "ru", "ta", "gor", "ens", "ki", "pu", "tin", "ba", "zel", "ov"]
    def word(k):
        return "".join(syll[i] for i in rng.integers(0, len(syll), k)).capitalize()
    n_people = max(100, n // 2)
    firsts = [word(2) for _ in range(500)]
    lasts = [word(3) for _ in range(n_people)]
    names = [(f"{firsts[i % 500]} {lasts[i]}", "PERSON") for i in range(n_people)]
    names += [(lasts[i], "PERSON") for i in range(0, n_people, 3)]  # surnames alone
    names += [(f"{firsts[i % 500]} {lasts[i][:-1] + 'y'}", "PERSON") for i in range(0, n_people, 50)]  # misspellings
    names += [(word(2), "GPE") for _ in range(n_people // 5)] + [(word(2) + " Ministry", "ORG") for _ in range(n_people // 5)]
    weights = 1.0 / np.arange(1, len(names) + 1) ** 0.9
    picks = rng.choice(len(names), size=n * 12, p=weights / weights.sum())
    kinds = {"PERSON": "PERSON", "GPE": "PLACE", "ORG": "ORG"}
    ids = [entity_id(kinds[l], nm) for nm, l in names]
    keys = [entity_key(kinds[l], nm) for nm, l in names]
    art = np.repeat(np.arange(n), 12)
    ents = pa.table({
        "article_id": [f"{a:016x}" for a in art], "sentence_idx": pa.array(np.zeros(n * 12, np.int32)),
        "text": [names[p][0] for p in picks], "label": [names[p][1] for p in picks],
        "entity_id": [ids[p] for p in picks], "canonical_name": [names[p][0] for p in picks],
        "country_code": pa.array([("XX" if names[p][1] == "GPE" else None) for p in picks], pa.string()),
        "entity_key": [keys[p] for p in picks],
    })
    pq.write_table(ents, folder + "/entities.parquet")
    arts = pa.table({"article_id": [f"{a:016x}" for a in range(n)],
                     "source": [["AP", "AFP", "Reuters", "BBC"][a % 4] for a in range(n)],
                     "published_date": pa.array(rng.integers(18000, 19500, n).astype(np.int32)).cast(pa.date32())})
    pq.write_table(arts, folder + "/articles.parquet")
    mentions, entities = ents.num_rows, len(set(ids[p] for p in picks))
    del ents, arts, picks, names, ids, keys, art
else:
    sig = rng.integers(0, 2**32, size=(n, 64), dtype=np.uint32)
    sig[1::50] = sig[0::50][: len(sig[1::50])]
    table = pa.table({"article_id": [f"{i:016x}" for i in range(n)], "published_date": pa.nulls(n, pa.date32()),
                      "body_fingerprint": [f"{i:032x}" for i in range(n)],
                      "minhash": pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel()), 64).cast(pa.list_(pa.uint32()))})
    pq.write_table(table, folder + "/articles.parquet")
    mentions, entities = 0, 0
    del table, sig
open(folder + "/counts.txt", "w").write(f"{mentions} {entities}")
"""

# The measured process: a fresh one after the data is written (ru_maxrss is a high-water
# mark, and making the synthetic archive in Python peaks higher than the step at 200k: a
# base taken after it hid the step's memory), with the step's modules imported before the base.
MEASURE = r"""
import resource, sys, time
kind, n, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mentions, entities = open(folder + "/counts.txt").read().split()
import duckdb
import pyarrow
from flows.settings import build_memory, identity_memory, identity_threads
from flows.warehouse.identity import decide_identity
from flows.warehouse.duplicates import find_duplicates_sql
from transforms.reference import DEFAULT_REFERENCE
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t, w = time.process_time(), time.perf_counter()
# Each step under the cap and threads a run gives it (flows/pipeline/archive_steps.py).
config = {"memory_limit": identity_memory(), "threads": identity_threads()} if kind == "identity" else {"memory_limit": build_memory()}
con = duckdb.connect(config={**config, "temp_directory": folder + "/spill"})
if kind == "identity":
    reader = decide_identity(con, f"select * from read_parquet('{folder}/entities.parquet')",
                             f"select * from read_parquet('{folder}/articles.parquet')", DEFAULT_REFERENCE, "bench")
    rows = merged = 0
    for batch in reader:
        rows += batch.num_rows
        merged += sum(1 for a, b in zip(batch["entity_id"].to_pylist(), batch["resolved_id"].to_pylist()) if a != b)
    out = f"{rows} {merged}"
else:
    found = find_duplicates_sql(con, f"select * from read_parquet('{folder}/articles.parquet')")
    out = f"{len(found)} 0"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(round(peak - base, 1), round(time.process_time() - t, 2), round(time.perf_counter() - w, 2), mentions, entities, out)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,200000", help="Comma-separated article counts.")
    rows, results = [], []
    parser.add_argument("--steps", default="duplicates,identity", help="Which steps to measure.")
    parser.add_argument("--name", default="identity_cost", help="result file name (bench/results/NAME.json)")
    args = parser.parse_args()
    for n in [int(x) for x in args.sizes.split(",")]:
        for kind in args.steps.split(","):
            with tempfile.TemporaryDirectory(prefix="bench-identity-", dir="/tmp") as tmp:
                out = subprocess.run([sys.executable, "-c", CHILD, kind, str(n), tmp], cwd=ROOT, capture_output=True, text=True)
                if not out.returncode:
                    out = subprocess.run(
                        [sys.executable, "-c", MEASURE, kind, str(n), tmp], cwd=ROOT, capture_output=True, text=True
                    )
            if out.returncode:
                last = (out.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{n:>8} {kind:<10} failed: {last}", flush=True)
                results.append({"articles": n, "step": kind, "failed": last})
                continue
            added, cpu, wall, mentions, entities, out_rows, merged = out.stdout.strip().splitlines()[-1].split()
            results.append(
                {
                    "articles": n,
                    "step": kind,
                    "added_peak_mib": float(added),
                    "cpu_s": float(cpu),
                    "wall_s": float(wall),
                    "mentions": int(mentions),
                    "entities": int(entities),
                    "rows": int(out_rows),
                    "merged": int(merged),
                }
            )
            rows.append([n, kind, int(mentions), int(entities), float(added), float(cpu), float(wall), int(merged)])
            print(f"{n:>8} {kind:<10} +{added} MiB  {cpu} CPU-s  {wall} s  {entities} entities, {merged} merged", flush=True)
    print()
    print_table(rows, ["articles", "step", "mentions", "entities", "added peak MiB", "CPU s", "wall s", "merged ids"])
    from flows.settings import build_memory, identity_memory, identity_threads

    caps = {"build_memory": build_memory(), "identity_memory": identity_memory(), "identity_threads": identity_threads()}
    print(f"caps: {caps}")
    path = write_result(args.name, {"runs": results, "command": " ".join(sys.argv), **caps})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
