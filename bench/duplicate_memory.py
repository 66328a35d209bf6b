"""Duplicate linking's memory and CPU: the in-memory LSH (`transforms.duplicates.
find_duplicates`, what `link_duplicates` used until commit 13d9d69) against the DuckDB
version under the build's memory cap (`flows.warehouse.duplicates`), at several archive sizes.

    .venv/bin/python bench/duplicate_memory.py [--sizes 20000,200000]

Synthetic articles: random 64-value MinHash signatures, every 50th a copy of another's
signature (a near duplicate), written to one Parquet file under /tmp. Each measurement
runs in a fresh process (ru_maxrss is a high-water mark); the two versions alternate.
Writes bench/results/duplicate_memory.json.
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
kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(0)
sig = rng.integers(0, 2**32, size=(n, 64), dtype=np.uint32)
sig[1::50] = sig[0::50][: len(sig[1::50])]
table = pa.table({"article_id": [f"{i:016x}" for i in range(n)], "published_date": pa.nulls(n, pa.date32()),
                  "body_fingerprint": [f"{i:032x}" for i in range(n)],
                  "minhash": pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel()), 64).cast(pa.list_(pa.uint32()))})
pq.write_table(table, path)
del table, sig
gc.collect()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.process_time()
if kind == "in_memory":
    from transforms.duplicates import find_duplicates
    tb = pq.read_table(path)
    m = tb["minhash"].combine_chunks()
    found = find_duplicates(tb["article_id"].to_pylist(), tb["body_fingerprint"].to_pylist(),
                            np.asarray(m.flatten()).reshape(len(m), 64))
else:
    import duckdb
    from flows.warehouse.duplicates import find_duplicates_sql
    from flows.settings import build_memory
    con = duckdb.connect(config={"memory_limit": build_memory(), "temp_directory": path + ".spill"})
    found = find_duplicates_sql(con, f"select * from read_parquet('{path}')")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(round(peak - base, 1), round(time.process_time() - t, 2), len(found))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,200000", help="Comma-separated article counts.")
    args = parser.parse_args()
    rows, results = [], []
    for n in [int(x) for x in args.sizes.split(",")]:
        for kind in ("in_memory", "duckdb"):
            with tempfile.TemporaryDirectory(prefix="bench-dups-", dir="/tmp") as tmp:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, kind, str(n), str(Path(tmp) / "articles.parquet")],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
            added, cpu, dups = out.stdout.split()
            results.append(
                {"articles": n, "version": kind, "added_peak_mib": float(added), "cpu_s": float(cpu), "duplicates": int(dups)}
            )
            rows.append([n, kind, float(added), float(cpu), int(dups)])
            print(f"{n:>8} {kind:<10} +{added} MiB  {cpu} CPU-s  {dups} duplicates", flush=True)
    print()
    print_table(rows, ["articles", "version", "added peak MiB", "CPU s", "duplicates"])
    path = write_result("duplicate_memory", {"runs": results, "command": " ".join(sys.argv)})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
