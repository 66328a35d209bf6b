"""CPU-seconds of the dates and amounts steps of extraction (issue 12), for the code in this
checkout against a baseline checkout, interleaved in the same session, over the bodies and NER
spans a built warehouse stores (no spaCy run: only the steps after NER that read dates and
amounts: `with_missed_dates` where the code has it, `resolve_dates`, `article_countries` where
it has it, `extract_amounts`).

    .venv/bin/python bench/amounts_dates_cpu.py WAREHOUSE --base /tmp/amounts_old [--reps 3] [--passes 7]

WAREHOUSE is a folder holding news.duckdb (e.g. a `wirehouse run` over 500 BBC files). Each
rep runs each checkout in a fresh process (its code first on PYTHONPATH): a first pass (what a
worker pays once: babel's currency tables, compiled patterns) and `--passes` more, of which the
median is the steady cost. The entity mentions the amounts step reads are computed outside the
timing. Writes bench/results/amounts_dates_cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import median, print_table, write_result  # noqa: E402

PROBE = """
import json, statistics, sys, time
import duckdb
from transforms.amounts import extract_amounts
from transforms.dates_mentioned import resolve_dates
from transforms.entities import canonicalize
from transforms.sentences import split_sentences
import transforms.dates_mentioned as dm
import transforms.extraction as ex

con = duckdb.connect(sys.argv[1], read_only=True)
rows = con.execute(
    "select a.body, a.published_date, a.dateline_place, s.spans"
    " from stg_articles a join stg_ner_spans s using (article_id) order by a.article_id"
).fetchall()
data = []
for body, published, place, spans in rows:
    spans = [(x["char_start"], x["char_end"], x["label"]) for x in spans]
    data.append((body, published, place, spans, canonicalize(spans, body, [s for s, _ in split_sentences(body)])))
missed = getattr(dm, "with_missed_dates", None)
countries = getattr(ex, "article_countries", None)


def one_pass():
    t = time.process_time()
    for body, published, place, spans, mentions in data:
        if missed is not None:
            spans = missed(body, spans)
        resolve_dates(body, [(s, e, body[s:e]) for s, e, label in spans if label == "DATE"], published)
        if countries is not None:
            extract_amounts(body, spans, countries(mentions, place))
        else:
            extract_amounts(body, spans)
    return time.process_time() - t


first = one_pass()
passes = [one_pass() for _ in range(int(sys.argv[2]))]
print(json.dumps({"articles": len(data), "first_pass": first, "median_pass": statistics.median(passes), "passes": passes}))
"""


def measure(code: Path, database: Path, passes: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(database), str(passes)], cwd=code, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the commit to compare with")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args(argv)
    database = args.warehouse / "news.duckdb"
    runs: dict[str, list[dict]] = {"base": [], "this": []}
    for _ in range(args.reps):
        for side, code in (("base", args.base.resolve()), ("this", ROOT)):
            runs[side].append(measure(code, database, args.passes))
    summary = {
        side: {
            "articles": found[0]["articles"],
            "first_pass_cpu_s": median([r["first_pass"] for r in found]),
            "steady_pass_cpu_s": median([r["median_pass"] for r in found]),
        }
        for side, found in runs.items()
    }
    rows = [[side, s["articles"], f"{s['first_pass_cpu_s']:.3f}", f"{s['steady_pass_cpu_s']:.3f}"] for side, s in summary.items()]
    print_table(rows, ["code", "articles", "first pass CPU-s", "steady pass CPU-s (median)"])
    ratio = summary["this"]["steady_pass_cpu_s"] / summary["base"]["steady_pass_cpu_s"]
    print(f"steady ratio this/base: {ratio:.2f}")
    path = write_result(
        "amounts_dates_cpu",
        {"warehouse": str(args.warehouse), "base": str(args.base), "summary": summary, "ratio_steady": ratio, "runs": runs},
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
