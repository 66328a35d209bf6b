"""CPU-seconds of `transforms.entities.canonicalize` on one article of N paragraphs, each
naming people with titles, a place and a role noun (no model: the spans are given), to show
whether the entity rules grow with the square of an article's length (issue 12, session 10:
a pass over every span for every title or surname did; bisects over the spans do not).
Median of `--reps`; run it from two checkouts to compare them.

    .venv/bin/python bench/entity_scaling.py [--reps 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transforms.entities import canonicalize  # noqa: E402

PARAGRAPH = (
    "Datuk Seri Anwar Ibrahim met Mr Tan Ah Kow and head coach Aaqib Javed in Kuala Lumpur, "
    "said spokesman Bayo Onanuga. Anwar left.\n\n"
)
NAMES = (
    ("Datuk Seri Anwar Ibrahim", "PERSON"),
    ("Tan Ah Kow", "PERSON"),
    ("Kuala Lumpur", "GPE"),
    ("Bayo Onanuga", "ORG"),
    ("Anwar", "PERSON"),
)


def article(n: int) -> tuple[str, list[tuple[int, int, str]]]:
    raw = []
    for i in range(n):
        for text, label in NAMES:
            start = i * len(PARAGRAPH) + PARAGRAPH.index(text)
            raw.append((start, start + len(text), label))
    return PARAGRAPH * n, raw


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    body, raw = article(5)
    canonicalize(raw, body, [0])  # warm-up: word list, gazetteer
    for n in (250, 500, 1000):
        body, raw = article(n)
        times = []
        for _ in range(args.reps):
            t = time.process_time()
            mentions = canonicalize(raw, body, [0])
            times.append(time.process_time() - t)
        print(f"{n:5d} paragraphs {len(body) / 1024:6.0f} KB {len(mentions):5d} mentions  {statistics.median(times):.2f} CPU-s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
