"""CPU-seconds of `extract_article`'s passes (entities, dates, amounts, quotes) on one long
article of 50, 100, 200 and 400 KB (issue 16: a 472 KB article took 35 CPU-s), this checkout
against a baseline git ref, side by side in the same run, medians of --reps.

    flock /tmp/heavy.lock .venv/bin/python bench/long_article.py ../shared/corpora/bbc \
        [--baseline HEAD~1] [--sizes 50 100 200 400] [--reps 3]

The long article is real text: the corpus's articles, prepared and read by the model one
by one (`transforms.annotation.annotate`, paragraph by paragraph as a run reads any
article), then joined into one body with their spans and sentences shifted (a page of many
stories; its names grow with its length, as in the 472 KB page). The model runs once, in
this checkout; each checkout times only the passes after it, in its own process (the
baseline's `transforms` from `git archive`). Also says whether both checkouts give the
same mentions, dates, amounts and quotes (a digest of each), and the scaling exponent
log(cpu 400 / cpu 50) / log(8) per pass. Writes bench/results/long_article.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import pickle
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("entities", "dates", "amounts", "quotes")


def _spans(corpus: Path, kb: int, out: Path) -> int:
    """Prepare and read corpus files until their bodies make `kb` KB; pickle (body, spans,
    sentences) of each."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from _common import MODEL, corpus_files

    from transforms.annotation import annotate
    from transforms.article import RawDocument, prepare
    from transforms.nlp import load_pipeline

    nlp = load_pipeline(MODEL)
    got, chars = [], 0
    files = corpus_files(corpus)
    for i in range(0, len(files), 50):
        prepared = []
        for f in files[i : i + 50]:
            ok, _ = prepare(RawDocument.from_bytes(f.read_bytes(), str(f)))
            prepared += [p for p in ok if p.header.language in (None, "en")]
        annotated, _ = annotate(prepared, nlp)
        for p in annotated:
            got.append((p.body, p.ner_spans, p.sentences))
            chars += len(p.body) + 2
        if chars >= kb * 1024:
            break
    out.write_bytes(pickle.dumps(got))
    return len(got)


def _article(pieces: list, kb: int) -> tuple[str, list, list]:
    """The first pieces joined until the body has `kb` KB, spans and sentences shifted."""
    parts: list[str] = []
    spans: list = []
    sentences: list = []
    size = 0
    for body, piece_spans, piece_sentences in pieces:
        if size >= kb * 1024:
            break
        off = size + (2 if parts else 0)
        parts.append(body)
        spans += [(s + off, e + off, label) for s, e, label in piece_spans]
        sentences += [(s + off, e + off) for s, e in piece_sentences]
        size = off + len(body)
    return "\n\n".join(parts), spans, sentences


def _worker(root: str, spans_file: str, sizes: list[int], reps: int) -> None:
    """In the checkout at `root`: per size, the median CPU-s of each pass and a digest of
    what the passes give; one JSON line on stdout."""
    sys.path.insert(0, root)
    from transforms.amounts import extract_amounts
    from transforms.dates_mentioned import resolve_dates, with_missed_dates
    from transforms.entities import canonicalize
    from transforms.extraction import article_countries
    from transforms.quotes import extract_quotes

    def passes(body, spans, sentences):
        times, c = {}, time.process_time()
        mentions = canonicalize(spans, body, [s for s, _ in sentences])
        times["entities"], c = time.process_time() - c, time.process_time()
        found = with_missed_dates(body, spans)
        dates = resolve_dates(body, [(s, e, body[s:e]) for s, e, label in found if label == "DATE"], dt.date(2005, 1, 1))
        times["dates"], c = time.process_time() - c, time.process_time()
        amounts = extract_amounts(body, found, article_countries(mentions, None))
        times["amounts"], c = time.process_time() - c, time.process_time()
        quotes = extract_quotes(body, sentences, mentions)
        times["quotes"] = time.process_time() - c
        return times, repr((mentions, dates, amounts, quotes))

    pieces = pickle.loads(Path(spans_file).read_bytes())
    passes(*_article(pieces, 5))  # warm-up: word lists, gazetteer
    result = {}
    for kb in sizes:
        article = _article(pieces, kb)
        runs = [passes(*article) for _ in range(reps)]
        result[kb] = {
            "chars": len(article[0]),
            "cpu_s": {st: statistics.median(t[st] for t, _ in runs) for st in STAGES},
            "digest": hashlib.sha256(runs[0][1].encode()).hexdigest()[:16],
        }
    print(json.dumps(result))


def _run(root: Path, spans_file: Path, sizes: list[int]) -> dict:
    cmd = [sys.executable, __file__, "--worker", str(root), str(spans_file), "--sizes", *map(str, sizes), "--reps", "1"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--baseline", default="HEAD~1", help="a git ref to time beside this checkout ('' for none)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--worker", nargs=2, metavar=("ROOT", "SPANS"))
    args = parser.parse_args()
    if args.worker:
        _worker(*args.worker, args.sizes, args.reps)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from _common import print_table, write_result

    with tempfile.TemporaryDirectory() as tmp:
        spans_file = Path(tmp) / "spans.pkl"
        t = time.process_time()
        n = _spans(args.corpus, max(args.sizes), spans_file)
        model_cpu = time.process_time() - t
        checkouts = {"this": ROOT}
        if args.baseline:
            commit = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", args.baseline], check=True, capture_output=True, text=True
            ).stdout.strip()
            base = Path(tmp) / "baseline"
            base.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", commit, "transforms"], check=True, capture_output=True
            ).stdout
            (Path(tmp) / "base.tar").write_bytes(archive)
            with tarfile.open(Path(tmp) / "base.tar") as tar:
                tar.extractall(base, filter="data")
            checkouts = {"baseline": base, **checkouts}
        runs: dict[str, list[dict]] = {name: [] for name in checkouts}
        for _ in range(args.reps):  # interleaved: baseline, this, baseline, this, ...
            for name, root in checkouts.items():
                runs[name].append(_run(root, spans_file, args.sizes))
    baseline = {"ref": args.baseline, "commit": commit} if args.baseline else None
    table, result = [], {"articles": n, "model_cpu_s": model_cpu, "reps": args.reps, "baseline": baseline, "sizes": {}}
    for kb in args.sizes:
        row: dict = {"chars": runs["this"][0][kb]["chars"]}
        for name in checkouts:
            row[name] = {st: statistics.median(r[kb]["cpu_s"][st] for r in runs[name]) for st in STAGES}
            row[name]["total"] = sum(row[name][st] for st in STAGES)
        row["digests"] = {name: sorted({r[kb]["digest"] for r in runs[name]}) for name in checkouts}
        row["same_output"] = len({r[kb]["digest"] for name in checkouts for r in runs[name]}) == 1
        result["sizes"][kb] = row
        cells = [kb, row["chars"] // 1024]
        for name in checkouts:
            cells += [row[name]["entities"], row[name]["quotes"], row[name]["total"]]
        table.append([*cells, row["same_output"]])
    lo, hi = min(args.sizes), max(args.sizes)
    result["exponent"] = {
        name: {
            st: math.log(result["sizes"][hi][name][st] / result["sizes"][lo][name][st]) / math.log(hi / lo)
            for st in (*STAGES, "total")
            if result["sizes"][lo][name][st] > 0
        }
        for name in checkouts
    }
    headers = ["size", "KB"]
    for name in checkouts:
        headers += [f"{name} entities", f"{name} quotes", f"{name} total"]
    print_table(table, [*headers, "same output"])
    print(json.dumps(result["exponent"], indent=1))
    print(write_result("long_article", result))


if __name__ == "__main__":
    main()
