"""Precision and recall of entity, date, amount and quote extraction on the gold set,
bare spaCy against wirehouse, and what wirehouse's steps after NER cost per article.

    .venv/bin/python bench/entity_gold_eval.py            # the tables; writes the JSON
    .venv/bin/python bench/entity_gold_eval.py -v         # and every wirehouse error
    .venv/bin/python bench/entity_gold_eval.py --runs 9   # timing runs (default 7; 0: none)
    .venv/bin/python bench/entity_gold_eval.py --gold tests/gold/unseen --warehouse /tmp/gold-unseen-wh

Issue 12's measures follow the main table for every set: person/org/place mention F1,
speaker accuracy over the gold quotes found, day-mention date F1, amounts F1 (a range
must give both ends), quotes F1, publication dates read, and, where the gold folder has
an identity.json (else groups derived from gold.json), the cross-article identity (alias groups whose mentions carry one
entity id; look-alike pairs kept apart). They are given for bare spaCy, wirehouse in
process (dates resolved against the publication date the pipeline read, not the gold's;
ids after transforms.entities.corpus_merges) and, with `--warehouse DIR`, a real
`wirehouse run` over the gold articles (run into DIR unless DIR already holds
news.duckdb): mentions with the ids of `entity_mentions`, and identity also after
`entities_dim`'s merges.

Gold: tests/gold/ (14 articles; see its README.md). Scoring rules: tests/gold/evaluate.py.
Results: bench/results/entity_gold_eval.json (another gold folder: `--gold DIR` writes
bench/results/entity_gold_eval_<DIR name>.json; tests/gold/heldout holds four articles
written after the rules were tuned).

Bare spaCy is the model alone, as a GDELT-style extractor would use it: its spans and
labels, the surface text as the entity, dateparser for DATE values, the word after a
number as its unit, double-quoted text attributed to the nearest PERSON in the sentence.
Wirehouse is what a run does, `transforms.annotation.annotate`: `transforms.nlp.model_spans`
(chunks on sentence boundaries, ALL-CAPS recasing, gazetteer and demonym ruler) followed by
`transforms.extraction.extract_article`.

Timing: each stage runs over the whole set `--runs` times after one warm-up run (which
builds the gazetteer and loads the word list: a once-per-process cost, reported apart);
a stage's per-article time is the median over runs of run time / articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gold.evaluate import (  # noqa: E402
    bare_pipeline,
    errors,
    identity_from_gold,
    issue12_scores,
    load_gold,
    merged_ids,
    ner_all,
    run_bare,
    run_wirehouse,
    score,
    warehouse_predictions,
)
from transforms.amounts import extract_amounts  # noqa: E402
from transforms.dates_mentioned import resolve_dates  # noqa: E402
from transforms.entities import canonicalize  # noqa: E402
from transforms.extraction import extract_article  # noqa: E402
from transforms.nlp import DEFAULT_MODEL, load_pipeline, model_spans  # noqa: E402
from transforms.quotes import extract_quotes  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "entity_gold_eval.json"
# The ALL-CAPS headline of gold article 100 (not annotated: the title is not body text).
HEADLINE = "NATO DEFENCE MINISTERS WEIGH EASTERN FLANK BOOST AS RUSSIA MASSES TROOPS"
HEADLINE_ENTITIES = {("NATO", "ORG"), ("RUSSIA", "GPE")}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wirehouse error")
    parser.add_argument("--runs", type=int, default=7, help="timing runs per stage")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold", help="a gold folder (default tests/gold)")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="score a real `wirehouse run` of the gold articles too (run into DIR unless it holds news.duckdb)",
    )
    args = parser.parse_args(argv)
    gold_dir = args.gold.resolve()
    main_set = gold_dir == (ROOT / "tests" / "gold").resolve()
    results = RESULTS if main_set else RESULTS.with_name(f"entity_gold_eval_{gold_dir.name}.json")

    started = time.perf_counter()
    nlp = load_pipeline(args.model)
    load_s = time.perf_counter() - started
    bare = bare_pipeline(args.model)
    articles = load_gold(gold_dir, strict=main_set)
    sources = sorted({a.body_source for a in articles})

    bare_preds = run_bare(articles, bare)
    t = time.perf_counter()
    spans = ner_all(articles, nlp)
    wh_first = run_wirehouse(articles, nlp)  # the warm-up: builds the gazetteer, loads the word list
    first_run_s = time.perf_counter() - t
    bare_scores = score(articles, bare_preds)
    wh_scores = score(articles, wh_first)

    print(
        f"gold set {gold_dir.relative_to(ROOT)}: {len(articles)} articles (bodies from: {', '.join(sources)}), model {args.model}\n"
    )
    print(f"{'type':<36} {'bare spaCy P / R / F1':>22}   {'wirehouse P / R / F1':>22}   {'gold':>4}")
    for name in wh_scores:
        b, w = bare_scores[name], wh_scores[name]
        gold = w.get("gold", w.get("mentions", ""))
        print(f"{name:<36} {_prf(b):>22}   {_prf(w):>22}   {gold:>4}")

    headline = _headline_check(nlp, bare, articles) if main_set else None
    if headline:
        print(
            f"\nALL-CAPS headline of article 100 put back in front of the body: entities in it, "
            f"bare {headline['bare']} · wirehouse {headline['wirehouse']}"
        )

    identity = identity_from_gold(gold_dir)
    wh_pipeline = run_wirehouse(articles, nlp, published="pipeline")
    issue12 = {
        "bare_spacy": issue12_scores(articles, bare_preds, identity),
        "wirehouse_in_process": issue12_scores(articles, wh_pipeline, identity, merged_ids(wh_pipeline)),
    }
    if args.warehouse:
        issue12.update(_warehouse_scores(gold_dir, args.warehouse.resolve(), args.model, identity))
    _print_issue12(issue12)

    timing = _timing(articles, nlp, bare, spans, args.runs) if args.runs > 0 else {"runs": 0, "per_article_ms": {}}
    if args.runs > 0:
        print(f"\nper article, median of {args.runs} runs over {len(articles)} articles (ms):")
        for name, ms in timing["per_article_ms"].items():
            print(f"  {name:<44} {ms:8.3f}")
        share = (
            timing["per_article_ms"]["wirehouse after NER (all four)"]
            / timing["per_article_ms"]["wirehouse NER (recase + model + rulers)"]
        )
        print(f"  after-NER cost as a share of NER: {share:.1%}")
    print(f"once per process: load pipeline {load_s:.2f} s; first extraction run (gazetteer, word list) {first_run_s:.2f} s")

    if args.verbose:
        print()
        print("\n".join(errors(articles, wh_first)))

    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "model": args.model,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "gold": str(gold_dir.relative_to(ROOT)),
                "articles": len(articles),
                "body_source": sources,
                "scores": {"bare_spacy": bare_scores, "wirehouse": wh_scores},
                "issue12": issue12,
                "all_caps_headline": headline,
                "timing": {**timing, "load_pipeline_s": round(load_s, 3), "first_extraction_run_s": round(first_run_s, 3)},
                "wirehouse_errors": errors(articles, wh_first),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {results.relative_to(ROOT)}")
    return 0


def _warehouse_scores(gold_dir: Path, warehouse: Path, model: str, identity: dict | None) -> dict:
    """Issue 12's measures on a real run: `wirehouse run` over the gold articles."""
    if not (warehouse / "news.duckdb").is_file():
        cmd = [
            sys.executable,
            "-m",
            "flows.app.cli",
            "run",
            "--input",
            str(gold_dir / "articles"),
            "--warehouse",
            str(warehouse),
            "--model",
            model,
        ]
        print("\n$ " + " ".join(cmd[2:]).replace("flows.app.cli", "wirehouse", 1), flush=True)
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"wirehouse run failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    articles, preds, meta = warehouse_predictions(gold_dir, warehouse)
    out = {"warehouse": issue12_scores(articles, preds, identity)}
    if identity is not None:
        dim = issue12_scores(articles, preds, identity, meta["dim_merge"])
        out["warehouse"]["identity (after entities_dim merges)"] = dim["identity"]
    out["warehouse"]["_published"] = meta["published"]
    out["warehouse"]["_missing_articles"] = meta["missing"]
    return out


def _print_issue12(issue12: dict) -> None:  # noqa: C901
    systems = list(issue12)
    print("\nissue 12 measures: " + " | ".join(systems))
    first = issue12[systems[0]]
    for name in first:
        if name.startswith("_") or name == "identity":
            continue
        cells = []
        for system in systems:
            v = issue12[system][name]
            cells.append(
                f"{v['f1']:.3f} ({v['tp']}/{v['pred']}/{v['gold']})"
                if "f1" in v
                else f"{v['accuracy']:.3f} ({v['correct']}/{v['of']})"
            )
        print(f"  {name:<38} " + " | ".join(f"{c:>20}" for c in cells))
    for system in systems:
        for key in ("identity", "identity (after entities_dim merges)"):
            ident = issue12[system].get(key)
            if ident:
                print(
                    f"  {system} {key}: alias groups one entity {ident['groups one entity']}/{ident['groups scored']} "
                    f"(of {ident['groups']}; a group is scored when 2+ of its mentions are found), "
                    f"look-alike pairs apart {ident['pairs apart']}/{ident['pairs']}"
                )
                if ident["joined"]:
                    print(f"    joined: {', '.join(ident['joined'])}")
                if ident["split"]:
                    print(f"    split: {'; '.join(ident['split'])}")
    if "warehouse" in issue12:
        wrong = [n for n, (d, _) in issue12["warehouse"]["_published"].items() if d is None]
        if wrong:
            print(f"  warehouse: no publication date for {len(wrong)} articles: {', '.join(wrong)}")


def _prf(s: dict) -> str:
    return f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"


def _headline_check(nlp, bare, articles) -> dict:
    (article,) = [a for a in articles if a.name.startswith("100_")]
    body = f"{HEADLINE}\n\n{article.body}"
    cut = len(HEADLINE)
    bare_found = sorted({(e.text, e.label_) for e in bare(body).ents if e.end_char <= cut})
    from transforms.sentences import split_sentences

    sentences = split_sentences(body)
    (raw,) = model_spans(nlp, [(body, sentences)])
    mentions = canonicalize(raw, body, [s for s, _ in sentences])
    wh_found = sorted({(m.text, m.label) for m in mentions if m.char_end <= cut})
    return {
        "headline": HEADLINE,
        "expected": sorted(HEADLINE_ENTITIES),
        "bare": bare_found,
        "wirehouse": wh_found,
    }


def _timing(articles, nlp, bare, spans, runs: int) -> dict:
    n = len(articles)
    bodies = [a.body for a in articles]
    sentence_starts = {a.name: [s for s, _ in a.sentences] for a in articles}
    mentions = {a.name: canonicalize(spans[a.name], a.body, sentence_starts[a.name]) for a in articles}

    def stage(fn) -> float:
        fn()  # warm-up
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return round(statistics.median(times) / n * 1000, 3)

    stages = {
        "bare spaCy NER (model only)": lambda: list(bare.pipe(bodies)),
        "wirehouse NER (recase + model + rulers)": lambda: model_spans(nlp, [(a.body, a.sentences) for a in articles]),
        "canonicalize (entities, places)": lambda: [
            canonicalize(spans[a.name], a.body, sentence_starts[a.name]) for a in articles
        ],
        "resolve_dates": lambda: [
            resolve_dates(a.body, [(s, e, a.body[s:e]) for s, e, label in spans[a.name] if label == "DATE"], a.published)
            for a in articles
        ],
        "extract_amounts": lambda: [extract_amounts(a.body, spans[a.name]) for a in articles],
        "extract_quotes": lambda: [extract_quotes(a.body, a.sentences, mentions[a.name]) for a in articles],
        "wirehouse after NER (all four)": lambda: [
            extract_article(a.body, spans[a.name], a.sentences, a.published) for a in articles
        ],
    }
    return {"runs": runs, "per_article_ms": {name: stage(fn) for name, fn in stages.items()}}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
