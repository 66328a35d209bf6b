"""Precision@10 of the search before and after a change, on a query set of
bench/search_speed.py written and committed before any of its results was seen (`--set
third`: QUERIES_HELDOUT2; `--set fourth`: QUERIES_FOURTH), and the pool of results to judge.

    .venv/bin/python bench/search_heldout.py CORPUS --before-warehouse OLD --after-warehouse NEW [--baseline 92ae38f] [--set third]
    .venv/bin/python bench/search_heldout.py CORPUS --after-warehouse NEW --set fourth   # this code's search alone

OLD is a BBC warehouse whose index the baseline commit built, NEW the same warehouse with
this code's index (bench/search_latency.py's `build` makes one from the other). The top 10 of
each query by the baseline's search on OLD and this code's on NEW are pooled; the pool goes to
/tmp/search_pool.txt in a shuffled order (seed 17), each entry with the query, what counts as
relevant for it, the title, the article's first three sentences and one marked sentence, but
not its rank, score or which search found it (`--whole-text`: the article's whole text instead of
its first sentences; corpus text stays out of the repository). A judgement in
bench/search_judgements.json is true/false or {"relevant": true/false, "reason": one line}.
Without `--before-warehouse` only this code's search runs. With the judgements in
bench/search_judgements.json, precision@10 of each side is printed and written to
bench/results/search_heldout.json (`--set fourth`: search_heldout_fourth.json).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
from _common import write_result  # noqa: E402
from search_latency import baseline_module  # noqa: E402
from search_speed import QUERIES_FOURTH, QUERIES_HELDOUT2, judged_table  # noqa: E402

from flows.warehouse import search as current  # noqa: E402

BENCH = Path(__file__).resolve().parent
POOL = Path("/tmp/search_pool.txt")
_SENTENCE_END = re.compile(r'(?<=[.!?"])\s+')
SETS = {"third": QUERIES_HELDOUT2, "fourth": QUERIES_FOURTH}


def top10(module, warehouse: Path, corpus: Path, paths: dict, queries: dict) -> dict:
    out = {}
    for q in queries:
        found = module.search(q, warehouse)
        out[q] = [
            {
                "file": str(Path(paths[r.article_id]).relative_to(corpus.resolve())),
                "title": r.title,
                "sentence": r.sentences[0] if len(r.sentences) else None,
            }
            for r in found.itertuples()
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--before-warehouse", type=Path, default=None)
    parser.add_argument("--after-warehouse", type=Path, required=True)
    parser.add_argument("--baseline", default="92ae38f")
    parser.add_argument("--set", choices=sorted(SETS), default="third")
    parser.add_argument(
        "--whole-text", action="store_true", help="The pool shows each article's whole text, not its first three sentences."
    )
    args = parser.parse_args()
    queries = SETS[args.set]
    con = duckdb.connect(str(args.after_warehouse / "news.duckdb"), read_only=True)
    column = "file_path" if "file_path" in con.sql("select * from stg_articles limit 0").columns else "source_path"
    paths = dict(con.execute(f"select article_id, {column} from stg_articles").fetchall())
    con.close()
    tops = {}
    if args.before_warehouse is not None:
        tops["before"] = top10(baseline_module(args.baseline), args.before_warehouse, args.corpus, paths, queries)
    tops["after"] = top10(current, args.after_warehouse, args.corpus, paths, queries)
    current.close_connections()
    pool: dict[tuple[str, str], str | None] = {}
    for top in tops.values():
        for q, results in top.items():
            for r in results:
                pool.setdefault((q, r["file"]), r["sentence"])
    items = sorted(pool)
    random.Random(17).shuffle(items)
    lines = []
    for n, (q, file) in enumerate(items):
        text = (args.corpus / file).read_text(encoding="utf-8", errors="replace").split("\n", 1)
        title, body = text[0].strip(), " ".join(text[-1].split())
        lines.append(
            f"[{n}] Q: {q}  -- {queries[q]}\n  T: {title}\n"
            f"  B: {body if args.whole_text else ' '.join(_SENTENCE_END.split(body)[:3])[:450]}\n"
            f"  M: {(pool[(q, file)] or '')[:250]}"
        )
    POOL.write_text("\n".join(lines) + "\n")
    print(f"{len(items)} results to judge in {POOL}")
    judgements = json.loads((BENCH / "search_judgements.json").read_text())
    summaries = {}
    for side, top in tops.items():
        table, summaries[side] = judged_table(top, judgements)
        print(f"\n### {side}\n\n{table}")
    print(
        write_result(
            "search_heldout" if args.set == "third" else f"search_heldout_{args.set}",
            {
                "corpus": str(args.corpus),
                "baseline": args.baseline if args.before_warehouse is not None else None,
                "summaries": summaries,
                "top10_files": {s: {q: [r["file"] for r in rs] for q, rs in t.items()} for s, t in tops.items()},
            },
        )
    )


if __name__ == "__main__":
    main()
