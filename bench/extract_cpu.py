"""CPU-seconds of the per-article passes after NER (entities, dates, amounts, quotes) and of
language detection, over a corpus sample's cached model spans, for several checkouts side by
side, interleaved, medians of --reps; and whether every checkout gives the same output (a
digest per pass over every article). Issue 16 item 3: per-article work ≤ 5% of NER.

    # once, under the heavy lock: the model's spans of every 4th file (557 BBC files)
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans ../shared/corpora/bbc \
        --every 4 --cache /tmp/bbc4-spans.pickle
    .venv/bin/python bench/extract_cpu.py /tmp/bbc4-spans.pickle base=/tmp/base-checkout this=. [--reps 3]

Each checkout runs in its own process with its own `transforms` first on the path (a
`git archive` of a commit is enough: `git archive COMMIT transforms | tar -x -C /tmp/base`).
The cache (speaker_diff.py's: key, body, spans, sentences, published date per article) is
the same input for all, so a digest that differs is a change in what the passes give.
Language detection runs on the bodies with the model a batch worker uses (the arrays of
`language.model_arrays()`, as flows/pipeline/worker_state.py gives them). Writes
bench/results/<--name>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSES = ("entities", "dates", "amounts", "quotes", "language")


def _worker(root: str, cache: str, reps: int) -> None:
    sys.path.insert(0, root)
    from transforms import language
    from transforms.amounts import extract_amounts
    from transforms.dates_mentioned import resolve_dates, with_missed_dates
    from transforms.entities import canonicalize
    from transforms.extraction import article_countries
    from transforms.quotes import extract_quotes

    rows = pickle.loads(Path(cache).read_bytes())
    if hasattr(language, "use_model"):
        language.use_model(language.model_arrays())
    clock = time.process_time

    def one_pass(keep: bool) -> tuple[dict[str, float], dict[str, str]]:
        times = dict.fromkeys(PASSES, 0.0)
        digests = {p: hashlib.sha256() for p in PASSES}
        for _key, body, spans, sentences, published in rows:
            spans = spans or []
            c = clock()
            mentions = canonicalize(spans, body, [s for s, _ in sentences])
            c1 = clock()
            found = with_missed_dates(body, spans)
            dates = resolve_dates(body, [(s, e, body[s:e]) for s, e, label in found if label == "DATE"], published)
            c2 = clock()
            amounts = extract_amounts(body, found, article_countries(mentions, None))
            c3 = clock()
            quotes = extract_quotes(body, sentences, mentions)
            c4 = clock()
            lang = language.detect_language(body)
            c5 = clock()
            for name, took in zip(PASSES, (c1 - c, c2 - c1, c3 - c2, c4 - c3, c5 - c4), strict=True):
                times[name] += took
            if keep:
                for name, value in zip(PASSES, (mentions, dates, amounts, quotes, lang), strict=True):
                    digests[name].update(repr(value).encode())
        return times, {p: d.hexdigest()[:16] for p, d in digests.items()}

    one_pass(False)  # warm-up: word lists, gazetteer, babel
    runs = [one_pass(i == 0) for i in range(reps)]
    print(
        json.dumps(
            {
                "articles": len(rows),
                "cpu_s": {p: min(t[p] for t, _ in runs) for p in PASSES},
                "digests": runs[0][1],
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cache", type=Path, nargs="?")
    parser.add_argument("checkouts", nargs="*", metavar="NAME=DIR", help="default: this=. (this checkout)")
    parser.add_argument("--reps", type=int, default=3, help="processes per checkout, interleaved")
    parser.add_argument("--inner", type=int, default=2, help="passes over the sample per process (the best counts)")
    parser.add_argument("--name", default="extract_cpu")
    parser.add_argument("--worker", nargs=2, metavar=("ROOT", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker[0], args.worker[1], args.inner)
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from _common import print_table, write_result

    checkouts = dict(kv.split("=", 1) for kv in (args.checkouts or [f"this={ROOT}"]))
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.reps):
        for name, root in checkouts.items():
            cmd = [sys.executable, __file__, "--worker", str(Path(root).resolve()), str(args.cache), "--inner", str(args.inner)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
    table, result = [], {"cache": str(args.cache), "reps": args.reps, "checkouts": {}}
    first = next(iter(checkouts))
    for name, root in checkouts.items():
        cpu = {p: round(statistics.median(r["cpu_s"][p] for r in runs[name]), 3) for p in PASSES}
        cpu["total"] = round(sum(cpu.values()), 3)
        digests = runs[name][0]["digests"]
        same = {p: digests[p] == runs[first][0]["digests"][p] for p in PASSES}
        result["checkouts"][name] = {
            "dir": str(root),
            "cpu_s": cpu,
            "digests": digests,
            "same_as_" + first: same,
            "runs": runs[name],
        }
        table.append([name, *(cpu[p] for p in (*PASSES, "total")), "all same" if all(same.values()) else same])
    print_table(table, ["checkout", *PASSES, "total", f"output vs {first}"])
    print(f"{runs[first][0]['articles']} articles; medians of {args.reps} processes, best of {args.inner} passes each")
    print(write_result(args.name, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
