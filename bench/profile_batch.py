"""Where a batch's time goes: `transforms.batch.process_documents` over ~200 files of
a corpus, in this process, with the pipeline loaded once (what one worker does per batch).

    .venv/bin/python bench/profile_batch.py ../shared/corpora/bbc [--files 200] [--reps 3]

Three views, all single-process:

- stages: the functions a batch calls for each step (decode, parse, clean,
  language detection, sentence splitting, NER, canonicalization, Arrow tables,
  fingerprints) are wrapped with timers for the run (exclusive times, low overhead),
  plus reading the files (with their sha256) and writing the five Parquet parts with
  `flows.store.storage.ParquetStore.write`, as `process_batch` does;
- bare spaCy on the same raw texts (`ner` + `senter`, `nlp.pipe`) and wirehouse's own
  pipeline over the clean bodies alone (NER without anything else), in the same process,
  interleaved with the wirehouse batch `--reps` times;
- cProfile of one more batch: the top functions by own time (saved to
  /tmp/wirehouse-profile-batch.prof for snakeviz/pstats).

Also the one-off costs a worker pays before its first batch: `spacy.load` against
`transforms.nlp.load_pipeline` (gazetteer ruler), and the first call's warm-up.
Writes bench/results/profile_batch.json.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import MODEL, corpus_files, median, print_table, read_text, write_result  # noqa: E402
from bare_spacy import _collect  # noqa: E402

# The modules whose names are wrapped: a stage is timed where the batch calls it.
BATCH_MODULES = ("transforms.batch", "transforms.article", "transforms.annotation", "transforms.tables", "transforms.extraction")
# (module attribute path in those modules' namespaces, stage name). Names missing in the
# current code are skipped, so the script survives refactoring.
WRAPPED = [
    ("formats.unwrap", "decode"),
    ("formats.declared_charset", "decode"),
    ("decode_bytes", "decode"),
    ("formats.sniff_format", "decode"),
    ("split_lines", "parse"),
    ("strip_page_furniture", "clean"),
    ("parse_lines", "parse"),
    ("detect_language", "language detection"),
    ("clean_body", "clean"),
    ("read_dateline", "parse"),
    ("split_sentences", "sentence splitting"),
    ("annotate", "NER (nlp.pipe + chunking + dedup)"),
    ("canonicalize", "canonicalization"),
    ("extract_article", "extraction (quotes, amounts, dates)"),
    ("to_tables", "Arrow tables"),
    ("body_fingerprint", "duplicate fingerprints (fingerprint, MinHash)"),
    ("minhash_signature", "duplicate fingerprints (fingerprint, MinHash)"),
]


# CPU time of this process: on a shared machine, wall time swings 2x with other people's
# load; CPU time much less. Totals are reported in both.
CLOCK = time.process_time


class StageTimer:
    """Exclusive time per stage: a wrapped call's time minus its wrapped callees'."""

    def __init__(self):
        self.times: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.defaultdict(int)
        self._stack: list[list[float]] = []

    def wrap(self, fn, stage: str):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._stack.append([0.0])
            t0 = CLOCK()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = CLOCK() - t0
                children = self._stack.pop()[0]
                self.times[stage] += elapsed - children
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1][0] += elapsed

        return timed


def install_timers(timer: StageTimer) -> list[tuple[object, str, object]]:
    """Patch the names in the modules a batch goes through (BATCH_MODULES) with timed
    wrappers; returns what to restore."""
    import importlib

    restore = []
    for modname in BATCH_MODULES:
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError:
            continue
        for dotted, stage in WRAPPED:
            owner, attr = module, dotted
            if "." in dotted:
                mod, attr = dotted.split(".", 1)
                owner = getattr(module, mod, None)
            if owner is None or not hasattr(owner, attr) or any(o is owner and a == attr for o, a, _ in restore):
                continue
            original = getattr(owner, attr)
            restore.append((owner, attr, original))
            setattr(owner, attr, timer.wrap(original, stage))
    return restore


def uninstall(restore) -> None:
    for owner, attr, original in reversed(restore):
        setattr(owner, attr, original)


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=200, help="files in the batch (spread over the corpus)")
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions (interleaved with the baselines)")
    parser.add_argument("--workers", type=int, default=1, help="accepted for a uniform CLI; the profile is one process")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args(argv)

    import spacy

    from flows.store import storage
    from transforms import article
    from transforms.article import RawDocument
    from transforms.batch import process_documents
    from transforms.nlp import PLACE_RULER, load_pipeline

    every = corpus_files(args.corpus.resolve())
    step = max(1, len(every) // args.files)
    paths = every[::step][: args.files]

    # One-off costs of a worker.
    t0 = time.perf_counter()
    bare = spacy.load(args.model)
    bare.enable_pipe("senter")
    bare.select_pipes(enable=["senter", "ner"])
    t_bare_load = time.perf_counter() - t0
    warm_prof = cProfile.Profile()
    warm_prof.enable()
    t0 = time.perf_counter()
    nlp = load_pipeline(args.model)
    t_wh_load = time.perf_counter() - t0
    warm_docs = [RawDocument.from_bytes(paths[i].read_bytes(), paths[i].name) for i in range(min(5, len(paths)))]
    t0 = time.perf_counter()
    process_documents(warm_docs, nlp)
    t_warm = time.perf_counter() - t0
    warm_prof.disable()
    # What a worker's one-off costs are made of: the project's functions by cumulative time.
    warm_top = [
        r
        for r in _top(pstats.Stats(warm_prof), "cumulative", 400)
        if "/transforms/" in r["path"] or "spacy/__init__" in r["path"] or "load_model" in r["function"]
    ][:25]

    def read_docs():
        docs = []
        for p in paths:
            entry = storage.InputFile(
                path=str(p),
                key=p.relative_to(args.corpus.resolve()).as_posix(),
                size=p.stat().st_size,
                mtime_ns=p.stat().st_mtime_ns,
            )
            data, sha = storage.read_file(entry, settle_s=0)
            docs.append(RawDocument(path=str(p), key=entry.key, data=data, sha256=sha))
        return docs

    raw_texts = [read_text(p) for p in paths]
    words = sum(len(t.split()) for t in raw_texts)
    out_dir = Path(tempfile.mkdtemp(prefix="benchwh-profile-", dir="/tmp"))
    per_rep = []
    bodies = None

    def clocks():
        return time.perf_counter(), CLOCK()

    def since(start):
        return time.perf_counter() - start[0], CLOCK() - start[1]

    for rep in range(args.reps):
        # bare spaCy (ner + senter) on the raw texts
        c = clocks()
        n_ents = sum(_collect(d)[0] for d in bare.pipe(raw_texts))
        bare_wall, bare_cpu = since(c)

        # the wirehouse batch, stage by stage
        timer = StageTimer()
        restore = install_timers(timer)
        try:
            c = clocks()
            t0 = CLOCK()
            docs = read_docs()
            t_read = CLOCK() - t0
            t0 = CLOCK()
            tables = process_documents(docs, nlp, run_id="bench")
            t_process = CLOCK() - t0
            t0 = CLOCK()
            for name, table in tables.items():
                if table.num_rows:
                    storage.ParquetStore(str(out_dir.resolve())).write(name, table, f"part-bench-{rep}")
            t_write = CLOCK() - t0
            wh_wall, wh_cpu = since(c)
        finally:
            uninstall(restore)
        if bodies is None:
            bodies = tables["articles"].column("body").to_pylist()

        # wirehouse's own pipeline over the clean bodies: NER and the gazetteer ruler, then NER alone
        c = clocks()
        for _ in nlp.pipe(bodies, batch_size=64):
            pass
        ner_wall, ner_cpu = since(c)
        c = clocks()
        for _ in nlp.pipe(bodies, batch_size=64, disable=[PLACE_RULER]):
            pass
        ner_noruler_wall, ner_noruler_cpu = since(c)

        stages = dict(timer.times)
        stages["read files + sha256"] = t_read
        stages["Parquet write (5 parts, zstd)"] = t_write
        accounted = sum(timer.times.values())
        stages["other (prepare glue, offsets, ids, dicts)"] = max(0.0, t_process - accounted)
        per_rep.append(
            {
                "bare_spacy_wall_s": bare_wall,
                "bare_spacy_cpu_s": bare_cpu,
                "wirehouse_batch_wall_s": wh_wall,
                "wirehouse_batch_cpu_s": wh_cpu,
                "process_documents_cpu_s": t_process,
                "wirehouse_ner_ruler_on_bodies_wall_s": ner_wall,
                "wirehouse_ner_ruler_on_bodies_cpu_s": ner_cpu,
                "wirehouse_ner_only_on_bodies_wall_s": ner_noruler_wall,
                "wirehouse_ner_only_on_bodies_cpu_s": ner_noruler_cpu,
                "stages_cpu_s": stages,
                "calls": dict(timer.calls),
                "entities_bare": n_ents,
                "rows": {k: t.num_rows for k, t in tables.items()},
            }
        )
        print(
            f"[{rep}] CPU s: bare spaCy {bare_cpu:.2f}  wirehouse batch {wh_cpu:.2f}  "
            f"ner+ruler on bodies {ner_cpu:.2f}  ner alone {ner_noruler_cpu:.2f}   "
            f"(wall: {bare_wall:.2f} / {wh_wall:.2f})",
            flush=True,
        )

    # cProfile one more batch
    prof = cProfile.Profile()
    docs = read_docs()
    prof.enable()
    process_documents(docs, nlp, run_id="bench")
    prof.disable()
    prof_path = Path("/tmp/wirehouse-profile-batch.prof")
    prof.dump_stats(prof_path)
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(30)
    top_own = _top(st, "tottime", 30)
    top_cum = _top(st, "cumulative", 40)

    # Summary
    stage_names = sorted({s for r in per_rep for s in r["stages_cpu_s"]})
    med = {s: median([r["stages_cpu_s"].get(s, 0.0) for r in per_rep]) for s in stage_names}
    m = {k: median([r[k] for r in per_rep]) for k, v in per_rep[0].items() if isinstance(v, float)}
    batch = m["wirehouse_batch_cpu_s"]
    rows = [
        [s, round(v, 3), round(1000 * v / len(paths), 2), f"{100 * v / batch:.1f}%"]
        for s, v in sorted(med.items(), key=lambda kv: -kv[1])
    ]
    rows.append(["TOTAL wirehouse batch", round(batch, 3), round(1000 * batch / len(paths), 2), "100.0%"])
    print(f"\n{len(paths)} files, {words:,} words, median of {args.reps} (CPU seconds of this process)\n")
    print_table(rows, ["stage", "CPU s", "ms/file", "share"])
    print()
    print_table(
        [
            [
                "bare spaCy (ner+senter) on raw texts",
                round(m["bare_spacy_cpu_s"], 3),
                round(words / m["bare_spacy_cpu_s"]),
                round(m["bare_spacy_wall_s"], 3),
            ],
            [
                "wirehouse pipeline (ner+ruler) on clean bodies",
                round(m["wirehouse_ner_ruler_on_bodies_cpu_s"], 3),
                round(words / m["wirehouse_ner_ruler_on_bodies_cpu_s"]),
                round(m["wirehouse_ner_ruler_on_bodies_wall_s"], 3),
            ],
            [
                "wirehouse pipeline, ruler disabled (ner alone)",
                round(m["wirehouse_ner_only_on_bodies_cpu_s"], 3),
                round(words / m["wirehouse_ner_only_on_bodies_cpu_s"]),
                round(m["wirehouse_ner_only_on_bodies_wall_s"], 3),
            ],
            ["wirehouse batch (read → Parquet)", round(batch, 3), round(words / batch), round(m["wirehouse_batch_wall_s"], 3)],
        ],
        ["single process", "CPU s", "words/CPU s", "wall s"],
    )
    ner_stage = med.get("NER (nlp.pipe + chunking + dedup)", 0)
    print(
        f"\nbatch / bare spaCy = {batch / m['bare_spacy_cpu_s']:.2f}x CPU ({m['wirehouse_batch_wall_s'] / m['bare_spacy_wall_s']:.2f}x wall); "
        f"everything but the NER stage = {100 * (batch - ner_stage) / batch:.0f}% of the batch"
    )
    print(
        f"one-off per worker: spacy.load (ner+senter) {t_bare_load:.1f}s, load_pipeline {t_wh_load:.1f}s, "
        f"first 5-file batch {t_warm:.1f}s (wall)"
    )
    print("\none-off costs (cProfile of load_pipeline + first batch, cumulative, under the profiler):")
    for r in warm_top[:15]:
        print(f"  {r['cum_s']:7.2f}s  {r['function']}")
    print(f"\ncProfile (own time, top 30), saved to {prof_path}:\n")
    print("\n".join(buf.getvalue().splitlines()[:60]))
    path = write_result(
        "profile_batch",
        {
            "corpus": str(args.corpus.resolve()),
            "files": len(paths),
            "words": words,
            "reps": args.reps,
            "one_off_s": {
                "spacy_load_ner_senter": round(t_bare_load, 2),
                "load_pipeline_with_gazetteer": round(t_wh_load, 2),
                "first_batch_5_files_warmup": round(t_warm, 2),
            },
            "median_s": m,
            "median_stage_cpu_s": med,
            "ratio_batch_over_bare_cpu": batch / m["bare_spacy_cpu_s"],
            "ratio_batch_over_bare_wall": m["wirehouse_batch_wall_s"] / m["bare_spacy_wall_s"],
            "per_rep": per_rep,
            "cprofile_one_off_top_cumulative": warm_top,
            "cprofile_top_own_time": top_own,
            "cprofile_top_cumulative": top_cum,
            "command": "python bench/profile_batch.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    del article
    return 0


def _top(stats: pstats.Stats, key: str, n: int) -> list[dict]:
    rows = []
    for (file, line, fn), (_cc, nc, tt, ct, _) in stats.stats.items():
        rows.append(
            {
                "function": f"{Path(file).name}:{line}({fn})",
                "path": file,
                "calls": nc,
                "own_s": round(tt, 4),
                "cum_s": round(ct, 4),
            }
        )
    rows.sort(key=lambda r: -(r["own_s"] if key == "tottime" else r["cum_s"]))
    return rows[:n]


if __name__ == "__main__":
    sys.exit(main())
