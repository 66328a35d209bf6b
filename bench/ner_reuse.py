"""NER once per exact duplicate across batches and runs (flows/pipeline/ner_cache.py): what the
lookup of stored spans costs a batch, and what it saves.

    .venv/bin/python bench/ner_reuse.py ../shared/corpora/bbc [--workers N] [--skip-runs]

1. Lookup cost, in this process: the model over one batch of 200 corpus articles (what a
   batch pays anyway) against looking those 200 bodies up in synthetic stores of 20k to
   1M stored bodies, in few (compacted) or many (a long cold run's per-batch) part files,
   with no hit and with 10 hits. Side by side: scanning every part's hashes per batch
   (the baseline) and `StoredSpans`' per-process index: its first lookup (a new worker
   reads every part) and the median of 5 later ones, each after one more part of 200
   bodies was written (a batch of the run finished).
2. What it saves, as `wirehouse run` (CLI, temporary Prefect server, N workers): the
   corpus is ingested; then a copy of every file with another title line (the same body:
   an exact duplicate) is added and a second run ingests only the copies, reusing the
   stored spans. Baseline in the same tree: the same copies into a new warehouse, where
   the model reads them all. Ratio = baseline time / reusing time (flow time and wall).

Writes bench/results/ner_reuse.json.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, VENV_BIN, corpus_files, print_table, run_sampled, write_result  # noqa: E402

sys.path.insert(0, str(ROOT))

STORES = [(20_000, 100), (200_000, 40), (1_000_000, 200), (1_000_000, 5_000)]
BATCH = 200
REPS = 5
SPANS_PER_BODY = 35  # about what the model finds in a BBC article


def _synthetic_store(folder: Path, rows: int, files: int, key: str, known: list[str], group: str = "part-synthetic"):
    """A store whose ner_spans table holds `rows` bodies in `files` parts; the first
    len(known) rows are the bodies `known`, the rest random."""
    import numpy as np
    import pyarrow as pa

    from flows.store.storage import ParquetStore
    from transforms import schemas

    store = ParquetStore(str(folder))
    rng = np.random.default_rng(0)
    per_file = -(-rows // files)
    labels = pa.array(["PERSON", "ORG", "GPE", "DATE", "CARDINAL", "NORP", "MONEY"])
    for f in range(files):
        n = min(per_file, rows - f * per_file)
        if n <= 0:
            break
        ids = [f"{group[-12:]}{f:06d}{i:010d}" for i in range(n)]
        hashes = [f"{rng.integers(2**63):016x}" * 4 for _ in range(n)]
        if f == 0:
            hashes[: len(known)] = known
        starts = np.sort(rng.integers(0, 3000, size=(n, SPANS_PER_BODY)), axis=1).astype(np.int32).ravel()
        structs = pa.StructArray.from_arrays(
            [pa.array(starts), pa.array(starts + 7), labels.take(pa.array(rng.integers(0, len(labels), size=len(starts))))],
            fields=list(schemas.NER_SPAN),
        )
        offsets = pa.array(np.arange(0, n * SPANS_PER_BODY + 1, SPANS_PER_BODY, dtype=np.int32))
        spans = pa.ListArray.from_arrays(offsets, structs).cast(schemas.NER_SPANS.field("spans").type)
        table = pa.table(
            {"article_id": ids, "body_sha256": hashes, "ner_key": [key] * n, "spans": spans, "ner_from": ids},
            schema=schemas.NER_SPANS,
        )
        store.write("ner_spans", table, f"{group}-{f:05d}")
    return store


def _scan_lookup(store, key: str, hashes: list[str]) -> dict:
    """The baseline: scan the hash column of every part for every batch (what
    flows/pipeline/ner_cache.py did before its per-process index)."""
    import duckdb

    from flows.warehouse.sql_text import sql_list

    files = [store.uri(rel) for rel in store.table_files("ner_spans")]
    con = duckdb.connect(config={"threads": 1, "memory_limit": "256MB"})
    hits = con.execute(
        f"select distinct body_sha256 from read_parquet({sql_list(files)}) where ner_key = ? and list_contains(?, body_sha256)",
        [key, hashes],
    ).fetchall()
    return {h: None for (h,) in hits}


def lookup_cost(corpus: Path) -> tuple[list[dict], float]:
    from flows.pipeline import ner_cache
    from flows.pipeline.ner_cache import StoredSpans
    from transforms import RawDocument, prepare
    from transforms.annotation import annotate, annotate_key
    from transforms.ner_reuse import body_sha256
    from transforms.nlp import load_pipeline

    nlp = load_pipeline()
    prepared = []
    for path in corpus_files(corpus)[:BATCH]:
        prepared.extend(prepare(RawDocument.from_bytes(path.read_bytes(), path.name))[0])
    annotate(prepared[:5], nlp)  # warm up
    t = time.perf_counter()
    annotate(prepared, nlp)
    batch_s = time.perf_counter() - t
    print(f"model over one batch of {len(prepared)} articles: {batch_s:.2f} s", flush=True)
    key = annotate_key(nlp)
    hashes = sorted({body_sha256(p.body) for p in prepared})
    rows = []
    for n, files in STORES:
        with tempfile.TemporaryDirectory(prefix="bench-ner-reuse-", dir="/tmp") as tmp:
            store = _synthetic_store(Path(tmp), n, files, key, hashes[:10])
            for hits in (0, 10):
                wanted = hashes if hits else [h[::-1] for h in hashes]  # reversed: in no store
                scan = []
                for _ in range(REPS):
                    t = time.perf_counter()
                    found = _scan_lookup(store, key, wanted)
                    scan.append(time.perf_counter() - t)
                assert len(found) == hits, (len(found), hits)
                ner_cache._index.cache_clear()  # a new worker process
                # (No published run in this synthetic store: its parts given as the batch's own.)
                stored = StoredSpans(store, warn=print, own=lambda store=store: store.table_files(ner_cache.TABLE))
                t = time.perf_counter()
                assert len(stored(key, wanted)) == hits
                first = time.perf_counter() - t
                steady = []
                for rep in range(REPS):  # each after one more batch's part was written
                    _synthetic_store(Path(tmp), BATCH, 1, key, [], group=f"part-later-{hits}-{rep}")
                    t = time.perf_counter()
                    assert len(stored(key, wanted)) == hits
                    steady.append(time.perf_counter() - t)
                row = {
                    "stored": n,
                    "files": files,
                    "hits": hits,
                    "scan_ms": round(statistics.median(scan) * 1000, 1),
                    "index_first_ms": round(first * 1000, 1),
                    "index_ms": round(statistics.median(steady) * 1000, 1),
                }
                row["scan_share_of_batch_ner"] = round(row["scan_ms"] / 1000 / batch_s, 4)
                row["index_share_of_batch_ner"] = round(row["index_ms"] / 1000 / batch_s, 4)
                rows.append(row)
                print(
                    f"{n:>9} bodies in {files:>5} files, {hits:>2} hits: scan {row['scan_ms']:7.1f} ms, "
                    f"index first {row['index_first_ms']:7.1f} ms then {row['index_ms']:6.1f} ms",
                    flush=True,
                )
    return rows, batch_s


_TIME = re.compile(r"^\s+time\s+([\d.]+)s", re.M)
_SPARED = re.compile(r"^\s+NER spared\s+(\d+)", re.M)


def _run(input_dir: Path, warehouse: Path, workers: int) -> dict:
    result = run_sampled(
        [str(VENV_BIN / "wirehouse"), "run", "--input", str(input_dir), "--warehouse", str(warehouse), "--workers", str(workers)],
        sample=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"wirehouse run failed:\n{result.stderr[-3000:]}")
    spared = _SPARED.search(result.stdout)
    return {
        "wall_s": round(result.wall_s, 2),
        "flow_s": float(_TIME.search(result.stdout).group(1)),
        "ner_spared": int(spared.group(1)) if spared else 0,
    }


def run_savings(corpus: Path, workers: int) -> dict:
    files = corpus_files(corpus)
    with tempfile.TemporaryDirectory(prefix="bench-ner-reuse-runs-", dir="/tmp") as tmp:
        tmp = Path(tmp)
        src, copies_only = tmp / "in", tmp / "copies-only"
        for path in files:
            rel = path.relative_to(corpus)
            for root, sub in ((src, "orig"), (src, "copies"), (copies_only, "copies")):
                dest = root / sub / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                if sub == "orig":
                    shutil.copy(path, dest)
                else:
                    title, _, rest = path.read_bytes().partition(b"\n")
                    dest.write_bytes(b"Copy: " + title + b"\n" + rest)
        later = src / "copies"
        held = tmp / "held"
        later.rename(held)  # the first run sees the originals only
        first = _run(src, tmp / "wh", workers)
        held.rename(later)
        reuse = _run(src, tmp / "wh", workers)
        baseline = _run(copies_only, tmp / "wh-baseline", workers)
    return {
        "files": len(files),
        "first_run": first,
        "reusing_run": reuse,
        "baseline_run": baseline,
        "flow_ratio": round(baseline["flow_s"] / reuse["flow_s"], 2),
        "wall_ratio": round(baseline["wall_s"] / reuse["wall_s"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="Corpus folder (e.g. ../shared/corpora/bbc).")
    parser.add_argument("--workers", type=int, default=2, help="Worker processes for the runs (default 2).")
    parser.add_argument("--skip-runs", action="store_true", help="Measure only the lookup cost (part 1).")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    lookups, batch_s = lookup_cost(args.corpus)
    print()
    print_table(
        [
            [
                r["stored"],
                r["files"],
                r["hits"],
                r["scan_ms"],
                f"{100 * r['scan_share_of_batch_ner']:.2f}%",
                r["index_first_ms"],
                r["index_ms"],
                f"{100 * r['index_share_of_batch_ner']:.2f}%",
            ]
            for r in lookups
        ],
        ["stored bodies", "parts", "hits", "scan ms", "of NER", "index: first ms", "then ms", "of NER"],
    )
    savings = None if args.skip_runs else run_savings(args.corpus, args.workers)
    if savings:
        print()
        for name in ("first_run", "reusing_run", "baseline_run"):
            print(f"{name:<13} {savings[name]}")
        print(f"baseline / reusing: flow {savings['flow_ratio']}x, wall {savings['wall_ratio']}x")
    path = write_result(
        "ner_reuse", {"batch_ner_s": round(batch_s, 3), "lookups": lookups, "runs": savings, "command": " ".join(sys.argv)}
    )
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
