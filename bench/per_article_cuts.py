"""CPU seconds of the per-article passes issue 16 item 3 made quicker, in one checkout of
the code: run it on the checkout before and after, interleaved (the machine is shared).

    .venv/bin/python bench/per_article_cuts.py CORPUS [--code DIR] [--files 300] [--out JSON]

Over the corpus's files (prepared once), in this process: `prepare` (decode, parse, clean
with its quote repair, language, sentences with their paragraph cut), `extract_quotes`
(the quote marks' pass), `_paragraphs`, and the gazetteer ruler alone on the model's
output (its `Storm …` pattern): each timed over all files, best of `--reps`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _best(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return round(min(times), 3)


def main(argv: list[str] | None = None) -> int:  # noqa: C901 (the passes are closures over the prepared files)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code))
    sys.path.insert(1, str(args.code / "bench"))
    from _common import corpus_files

    from transforms.article import RawDocument, prepare
    from transforms.nlp import PLACE_RULER, load_pipeline
    from transforms.quotes import extract_quotes
    from transforms.sentences import _paragraphs

    files = [p for p in corpus_files(args.corpus) if p.parent != args.corpus][: args.files]
    docs = [RawDocument.from_bytes(p.read_bytes(), p.name) for p in files]
    prepared = [a for d in docs for a in prepare(d)[0]]
    nlp = load_pipeline()
    ruler = nlp.get_pipe(PLACE_RULER)
    with nlp.select_pipes(disable=[PLACE_RULER]):
        model_docs = list(nlp.pipe([p.body for p in prepared], batch_size=8))

    def prepare_all():
        for d in docs:
            prepare(d)

    def quotes_all():
        for p in prepared:
            extract_quotes(p.body, p.sentences, [])

    def paragraphs_all():
        for p in prepared:
            _paragraphs(p.body)

    def ruler_all():
        for doc in model_docs:
            ruler(doc)

    out = {}
    for name, fn in (
        ("prepare", prepare_all),
        ("extract_quotes", quotes_all),
        ("_paragraphs", paragraphs_all),
        ("ruler", ruler_all),
    ):
        times = []
        for _ in range(args.reps):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        out[name] = round(min(times), 3)
    print(json.dumps({"code": str(args.code), "files": len(docs), "cpu_s_best_of_reps": out}))
    if args.out:
        args.out.write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
