"""CPU-s of `extract_quotes` on one article of N quoted paragraphs with names (no corpus, no
model: mentions from `canonicalize` over given spans), with `_Roles.inside_quote` as a bisect
(this code) and as the pass over every quote it replaced (the baseline, patched in), side by
side in the same run, medians of --reps, interleaved.

    .venv/bin/python bench/quote_scaling.py [--sizes 100 200 400] [--reps 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine_info, median, print_table, write_result  # noqa: E402
from transforms import quotes  # noqa: E402
from transforms.entities import canonicalize  # noqa: E402
from transforms.sentences import split_sentences  # noqa: E402

PARA = '"We will act on it," he said. John Smith told Reuters in London that it "was sound".'


def _article(n: int):
    body = "\n\n".join([PARA] * n)
    raw = []
    for i in range(n):
        for name, label in (("John Smith", "PERSON"), ("Reuters", "ORG"), ("London", "GPE")):
            start = i * (len(PARA) + 2) + PARA.index(name)
            raw.append((start, start + len(name), label))
    sentences = split_sentences(body)
    return body, sentences, canonicalize(raw, body, [s for s, _ in sentences])


def _cpu(body, sentences, mentions, baseline: bool) -> tuple[float, list]:
    bisected = quotes._Roles.inside_quote
    if baseline:
        quotes._Roles.inside_quote = lambda self, pos: any(a < pos < b for a, b in self.quoted)
    try:
        t0 = time.process_time()
        got = quotes.extract_quotes(body, sentences, mentions)
        return time.process_time() - t0, list(got)
    finally:
        quotes._Roles.inside_quote = bisected


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    rows, results = [], []
    for n in args.sizes:
        article = _article(n)
        base, this = [], []
        for _ in range(args.reps):
            b, b_out = _cpu(*article, baseline=True)
            t, t_out = _cpu(*article, baseline=False)
            assert b_out == t_out, "the bisect must give the pass's quotes and speakers"
            base.append(b)
            this.append(t)
        result = {"paragraphs": n, "chars": len(article[0]), "baseline_cpu_s": median(base), "cpu_s": median(this)}
        result["ratio"] = round(result["baseline_cpu_s"] / result["cpu_s"], 1)
        results.append(result)
        rows.append([n, len(article[0]), f"{median(base):.2f}", f"{median(this):.2f}", f"{result['ratio']}x"])
    print_table(rows, ["paragraphs", "chars", "baseline CPU-s", "this CPU-s", "speed-up"])
    write_result("quote_scaling", {"machine": machine_info(), "reps": args.reps, "results": results})


if __name__ == "__main__":
    main()
