"""Which quotes' speakers a change to transforms/quotes.py changes, on a real corpus.

    # once, under the heavy lock: the model's spans of every 15th file, kept in a cache
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans /work/shared/corpora/bbc \
        --every 15 --cache /tmp/bbc-spans.pickle
    # the quotes the code of this checkout finds (no model: seconds), before and after a change
    .venv/bin/python bench/speaker_diff.py quotes --cache /tmp/bbc-spans.pickle --out /tmp/before.json
    .venv/bin/python bench/speaker_diff.py quotes --cache /tmp/bbc-spans.pickle --out /tmp/after.json
    .venv/bin/python bench/speaker_diff.py compare /tmp/before.json /tmp/after.json
    # a development set's speaker accuracy from its cached spans (as bench/issue12_dev.py scores it)
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans bench/dev_speakers3/articles \
        --every 1 --cache /tmp/ds3.pickle
    .venv/bin/python bench/speaker_diff.py score bench/dev_speakers3 --cache /tmp/ds3.pickle -v

The cache holds each article's body, NER spans, sentences and date (research data: keep it
out of the repository, as the corpus). `quotes` runs `extract_article` on it, so a change
to the entity or quote rules shows; a change to cleaning or to the model needs new spans.
`compare` prints every quote whose speaker changed, with its sentence, and the counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.article import RawDocument, prepare  # noqa: E402
from transforms.extraction import extract_article  # noqa: E402


def prepared_files(corpus: Path, every: int) -> tuple[list[Path], list]:
    """Every `every`-th .txt file of `corpus` (README.txt left out) and its articles, prepared
    as the pipeline prepares them (a fixed `today`, so that runs compare)."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.name.upper() != "README.TXT")[::every]
    prepared = []
    for path in files:
        key = str(path.relative_to(corpus))
        ok, _ = prepare(RawDocument(path=key, key=key, data=path.read_bytes(), sha256=""), today=dt.date(2026, 1, 1))
        prepared.extend(ok)
    return files, prepared


def spans(corpus: Path, every: int, cache: Path) -> None:
    from transforms.annotation import annotate
    from transforms.nlp import DEFAULT_MODEL, load_pipeline

    files, prepared = prepared_files(corpus, every)
    prepared, _ = annotate(prepared, load_pipeline(DEFAULT_MODEL))
    rows = [(p.doc.key, p.body, p.ner_spans, p.sentences, p.header.published_date) for p in prepared]
    cache.write_bytes(pickle.dumps(rows))
    print(f"{len(rows)} articles of {len(files)} files → {cache}")


def quotes(cache: Path, out: Path) -> None:
    rows = pickle.loads(cache.read_bytes())
    found = {}
    for key, body, ner_spans, sentences, published in rows:
        extraction = extract_article(body, ner_spans or [], sentences, published)
        found[key] = [
            {
                "start": q.char_start,
                "text": q.text,
                "speaker": q.speaker_name or q.speaker_text,
                "sentence": next((body[s:e] for s, e in sentences if s <= q.char_start < e), ""),
            }
            for q in extraction.quotes
        ]
    out.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    n = sum(len(v) for v in found.values())
    named = sum(1 for v in found.values() for q in v if q["speaker"])
    print(f"{len(found)} articles, {n} quotes, {named} with a speaker → {out}")


def compare(before: Path, after: Path) -> None:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    changed = same = 0
    for key in sorted(set(a) | set(b)):
        old = {q["start"]: q for q in a.get(key, [])}
        new = {q["start"]: q for q in b.get(key, [])}
        for start in sorted(set(old) | set(new)):
            o, n = old.get(start), new.get(start)
            if o and n and o["speaker"] == n["speaker"] and o["text"] == n["text"]:
                same += 1
                continue
            changed += 1
            q = n or o
            print(f"{key} @{start}: {(o or {}).get('speaker')!r} → {(n or {}).get('speaker')!r}")
            print(f"    {q['sentence'][:300]!r}")
    print(f"{changed} quotes changed, {same} unchanged")


def score(dev: Path, cache: Path, verbose: bool) -> None:
    """Speaker accuracy on a development set from its cached spans, scored as
    bench/issue12_dev.py scores it (the model is not run: seconds)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from issue12_dev import _name, _norm, mart_speaker

    gold = json.loads((dev / "gold.json").read_text(encoding="utf-8"))
    rows = {key: rest for key, *rest in pickle.loads(cache.read_bytes())}
    ok = total = 0
    misses = []
    for key in sorted(gold):
        body, ner_spans, sentences, published = rows[key]
        found = extract_article(body, ner_spans or [], sentences, published).quotes
        for gq in gold[key]["quotes"]:
            total += 1
            want = gq["speaker"] if isinstance(gq["speaker"], list) else [gq["speaker"]]
            hits = [q for q in found if _norm(gq["quote"]) in _norm(q.text) or _norm(q.text) in _norm(gq["quote"])]
            speaker = mart_speaker(hits[0]) if hits else None
            if hits and _name(speaker) in {_name(w) for w in want}:
                ok += 1
            else:
                misses.append(
                    f"{key}: quote {gq['quote'][:40]!r} speaker {speaker!r}, gold {want[0]!r}"
                    + ("" if hits else " (quote not found)")
                )
    print(f"{dev}: speaker accuracy {ok}/{total} = {ok / total:.3f} (cached spans)")
    if verbose:
        print("\n".join(misses))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("spans")
    s.add_argument("corpus", type=Path)
    s.add_argument("--every", type=int, default=15)
    s.add_argument("--cache", type=Path, required=True)
    q = sub.add_parser("quotes")
    q.add_argument("--cache", type=Path, required=True)
    q.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    d = sub.add_parser("score")
    d.add_argument("dev", type=Path)
    d.add_argument("--cache", type=Path, required=True)
    d.add_argument("-v", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "spans":
        spans(args.corpus, args.every, args.cache)
    elif args.command == "quotes":
        quotes(args.cache, args.out)
    elif args.command == "score":
        score(args.dev, args.cache, args.v)
    else:
        compare(args.before, args.after)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
