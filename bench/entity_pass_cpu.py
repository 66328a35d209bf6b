"""CPU of the entity pass (`transforms.entities.canonicalize`) and of all of `extract_article`,
this checkout against another, on a corpus's cached model spans (no model in the timing).

    # once, under the heavy lock: the model's spans of every 4th file (bench/speaker_diff.py)
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans ../shared/corpora/bbc \
        --every 4 --cache /tmp/bbc-spans.pickle
    # a checkout of the baseline, then both, interleaved, each in its own process
    git archive main | tar -x -C /tmp/base
    flock /tmp/heavy.lock .venv/bin/python bench/entity_pass_cpu.py --cache /tmp/bbc-spans.pickle \
        --baseline /tmp/base --reps 3 --out bench/results/entity_pass_cpu.json

Each repetition runs `extract_article` over every cached article once in a fresh process per
checkout (after one warm-up article, which loads the word lists, the gazetteer and the given
names: their load is reported apart), with `canonicalize` wrapped to add up its own CPU time.
Reported: medians over repetitions of CPU-seconds per checkout, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, pickle, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.process_time()
import transforms.entities as entities
import transforms.extraction as extraction
rows = pickle.loads(open(sys.argv[2], "rb").read())
spent = [0.0]
inner = entities.canonicalize
def timed(*a, **k):
    t = time.process_time()
    try:
        return inner(*a, **k)
    finally:
        spent[0] += time.process_time() - t
extraction.canonicalize = timed
key, body, spans, sentences, published = rows[0]
extraction.extract_article(body, spans or [], sentences, published)  # warm-up: lists load
try:
    import transforms.given_names as given_names
    given_names.given_name_table()
except ImportError:  # a checkout before them
    pass
load = time.process_time() - t0
spent[0] = 0.0
t = time.process_time()
mentions = 0
for key, body, spans, sentences, published in rows:
    mentions += len(extraction.extract_article(body, spans or [], sentences, published).mentions)
print(json.dumps({"extract": time.process_time() - t, "entities": spent[0], "load": load,
                  "articles": len(rows), "mentions": mentions}))
"""


def run(checkout: Path, cache: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(checkout), str(cache)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--baseline", type=Path, required=True, help="a checkout of the code to compare with")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    runs: dict[str, list[dict]] = {"baseline": [], "this": []}
    for _ in range(args.reps):
        runs["baseline"].append(run(args.baseline, args.cache))
        runs["this"].append(run(ROOT, args.cache))
    med = {name: {k: statistics.median(r[k] for r in rs) for k in ("extract", "entities", "load")} for name, rs in runs.items()}
    result = {
        "runs": runs,
        "median": med,
        "ratio_entities": med["this"]["entities"] / med["baseline"]["entities"],
        "ratio_extract": med["this"]["extract"] / med["baseline"]["extract"],
        "articles": runs["this"][0]["articles"],
        "mentions": {name: rs[0]["mentions"] for name, rs in runs.items()},
    }
    print(json.dumps(result["median"], indent=1))
    print(f"entities this/baseline {result['ratio_entities']:.3f}, extract_article {result['ratio_extract']:.3f}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
