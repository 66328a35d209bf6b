"""NER once per distinct paragraph (issue 16 item 2): what it spares, and whether entity
output is the same as reading each article whole.

    .venv/bin/python bench/ner_units.py ../shared/corpora/bbc [--files 0] [--batch 200] [--wire-stories 150]

Two corpora, each prepared once (`transforms.article.prepare`, as a run does), then read
by the model two ways, in this process, with the same loaded pipeline:

- per article: what wirehouse did before, each body in chunks of up to 20,000 characters
  cut on sentence boundaries (for news: the whole body), recased, 8 texts a minibatch
  (the code of `transforms.nlp.model_spans` before this change, kept here as the baseline);
- per paragraph: `transforms.annotation.annotate` batch by batch (`--batch` articles, as a
  worker's batches), with the paragraphs stored by earlier batches offered as `known`
  (the store's `ner_units` rows, kept in a dict here: flows/pipeline/ner_cache.py is the
  store's lookup and is measured by bench/ner_reuse.py).

Reported: CPU seconds of each (the model's work plus, for paragraphs, planning and
lookup), paragraphs and characters the model read against those in the corpus, and every
difference in the model's spans and in the extracted entities (`Mention`s: text, label,
offsets, canonical id), with the paragraph it sits in.

The wire-style corpus is made here from the first `--wire-stories` stories of the corpus:
each story republished 4 times by other outlets (another headline, a byline and dateline,
the outlet's boilerplate paragraphs at the end, the last paragraph or two cut by an editor,
one story paragraph rewritten in one copy), 5 files a story. Writes bench/results/ner_units.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import MODEL, corpus_files, write_result  # noqa: E402

from transforms.annotation import annotate  # noqa: E402
from transforms.article import Prepared, RawDocument, prepare  # noqa: E402
from transforms.casing import recase_caps  # noqa: E402
from transforms.extraction import extract_article  # noqa: E402
from transforms.nlp import load_pipeline, model_units, ner_chunks  # noqa: E402
from transforms.reference import DEFAULT_REFERENCE  # noqa: E402

CLOCK = time.process_time
TODAY = dt.date(2026, 12, 1)

OUTLETS = [
    (
        "Reuters",
        "By {name}",
        "LONDON (Reuters) -",
        ["Reporting by {name}; Editing by Alex Richardson", "Our Standards: The Thomson Reuters Trust Principles."],
    ),
    (
        "AP",
        "By {name} Associated Press",
        "LONDON (AP) —",
        [
            "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission."
        ],
    ),
    (
        "The Daily Courier",
        "{name}, Staff Writer",
        "",
        [
            "Sign up for the Courier's morning briefing to get the day's top stories in your inbox.",
            "Have a news tip? Contact the newsroom at news@courier.example.",
        ],
    ),
    (
        "Metro Wire",
        "By {name} for Metro Wire",
        "",
        [
            "This story was produced by Metro Wire and distributed through its partner network.",
            "Follow Metro Wire on social media for the latest updates.",
        ],
    ),
]
NAMES = ["Sarah Jones", "Michael Chen", "Priya Patel", "Tom Walker", "Elena Rossi", "James O'Neill"]
HEADLINE_PREFIX = ["", "UPDATE 1-", "WRAPUP: ", "Analysis: ", "UK: "]


def per_article_spans(nlp, bodies):
    """The model's spans per body as wirehouse read them before paragraphs: the code of
    `transforms.nlp.model_spans` at main dcaf85f, kept as the baseline."""
    found = [[] for _ in bodies]
    chunks = [(n, start, end) for n, (body, sentences) in enumerate(bodies) for start, end in ner_chunks(body, sentences)]
    texts = (recase_caps(bodies[n][0][start:end], DEFAULT_REFERENCE.acronyms) for n, start, end in chunks)
    for (n, start, _), doc in zip(chunks, nlp.pipe(texts, batch_size=8), strict=False):
        found[n].extend((start + e.start_char, start + e.end_char, e.label_) for e in doc.ents)
    return found


def wire_corpus(stories: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(name, text) files: each story as first published, and 4 republications."""
    files = []
    for n, text in enumerate(stories):
        title, _, body = text.partition("\n")
        paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
        files.append((f"story{n:04d}/original.txt", f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"))
        rewrite = rng.randrange(4)
        for k, (outlet, byline, dateline, boilerplate) in enumerate(OUTLETS):
            name = rng.choice(NAMES)
            kept = paragraphs[: max(1, len(paragraphs) - rng.choice([0, 0, 1, 2]))]
            if k == rewrite and len(kept) > 2:  # one outlet updates a paragraph
                i = rng.randrange(1, len(kept))
                kept = [
                    *kept[:i],
                    kept[i].replace(" said", " told reporters", 1) + " Officials declined to comment further.",
                    *kept[i + 1 :],
                ]
            first = f"{dateline} {kept[0]}" if dateline else kept[0]
            headline = f"{rng.choice(HEADLINE_PREFIX)}{title.strip()}" + (f" - {outlet}" if k % 2 else "")
            parts = [headline, byline.format(name=name), first, *kept[1:], *(b.format(name=name) for b in boilerplate)]
            files.append((f"story{n:04d}/{outlet.replace(' ', '_').lower()}.txt", "\n\n".join(parts) + "\n"))
    return files


def prepare_all(files: list[tuple[str, bytes]]) -> list[Prepared]:
    out = []
    for name, data in files:
        ok, _ = prepare(RawDocument.from_bytes(data, name), today=TODAY)
        out.extend(p for p in ok if p.header.language in (None, "en"))
    return out


def _mentions(p: Prepared, spans) -> list[tuple]:
    found = extract_article(p.body, spans, p.sentences, p.header.published_date, DEFAULT_REFERENCE)
    return sorted((m.char_start, m.char_end, m.text, m.label, m.entity_id) for m in found.mentions)


def measure(nlp, prepared: list[Prepared], batch: int) -> dict:
    bodies = [(p.body, p.sentences) for p in prepared]
    t = CLOCK()
    whole = per_article_spans(nlp, bodies)
    whole_cpu = CLOCK() - t

    store: dict[str, tuple[list, str]] = {}  # the ner_units rows of earlier batches

    def known(key, hashes):
        return {h: store[h] for h in hashes if h in store}

    t = CLOCK()
    annotated: list[Prepared] = []
    for i in range(0, len(prepared), batch):
        done, _ = annotate(prepared[i : i + batch], nlp, known=known)
        for p in done:
            for h, spans in p.ner_units:
                store.setdefault(h, (spans, p.article_id))
        annotated.extend(done)
    units_cpu = CLOCK() - t  # includes extraction, timed apart below

    t = CLOCK()
    whole_mentions = [_mentions(p, spans) for p, spans in zip(prepared, whole, strict=True)]
    extract_cpu = CLOCK() - t

    units = [model_units(p.body, p.sentences, DEFAULT_REFERENCE.acronyms) for p in prepared]
    all_units = [u for per in units for u in per]
    span_diffs, mention_diffs = [], []
    for p, a, old, old_m, p_units in zip(prepared, annotated, whole, whole_mentions, units, strict=True):
        assert p.article_id == a.article_id
        if sorted(old) != sorted(a.ner_spans or []):
            gone, new = sorted(set(old) - set(a.ner_spans or [])), sorted(set(a.ner_spans or []) - set(old))
            span_diffs.append(
                {
                    "article": p.doc.key,
                    "per_article_only": [(s, e, label, p.body[s:e]) for s, e, label in gone],
                    "per_paragraph_only": [(s, e, label, p.body[s:e]) for s, e, label in new],
                    "crosses_paragraph": [(s, e, label) for s, e, label in gone if "\n\n" in p.body[s:e]],
                    "near_paragraph_edge": [
                        (s, e, label)
                        for s, e, label in gone + new
                        if any(min(abs(s - u.start), abs(e - u.start - len(u.text))) < 40 for u in p_units)
                    ],
                }
            )
        new_m = sorted((m.char_start, m.char_end, m.text, m.label, m.entity_id) for m in a.mentions)
        if new_m != old_m:
            mention_diffs.append(
                {
                    "article": p.doc.key,
                    "per_article_only": sorted(set(old_m) - set(new_m)),
                    "per_paragraph_only": sorted(set(new_m) - set(old_m)),
                }
            )
    read = [text for h, (text, _) in {u.sha256: (u.text, None) for u in all_units}.items()]
    spans_total = sum(len(s) for s in whole)
    return {
        "articles": len(prepared),
        "paragraphs": len(all_units),
        "paragraphs_read": len(read),
        "characters": sum(len(u.text) for u in all_units),
        "characters_read": sum(len(t) for t in read),
        "cpu_per_article_ner_s": round(whole_cpu, 2),
        "cpu_per_paragraph_annotate_s": round(units_cpu, 2),
        "cpu_extraction_s": round(extract_cpu, 2),
        "cpu_per_paragraph_ner_s": round(units_cpu - extract_cpu, 2),
        "spans_per_article": spans_total,
        "articles_with_other_spans": len(span_diffs),
        "spans_differing": sum(len(d["per_article_only"]) + len(d["per_paragraph_only"]) for d in span_diffs),
        "articles_with_other_mentions": len(mention_diffs),
        "span_differences": span_diffs,
        "mention_differences": mention_diffs,
    }


def spared(prepared: list[Prepared]) -> dict:
    units = [u for p in prepared for u in model_units(p.body, p.sentences, DEFAULT_REFERENCE.acronyms)]
    distinct = {u.sha256: len(u.text) for u in units}
    articles = {p.body for p in prepared}
    return {
        "articles": len(prepared),
        "distinct_bodies": len(articles),
        "paragraphs": len(units),
        "paragraphs_read": len(distinct),
        "characters": sum(len(u.text) for u in units),
        "characters_read": sum(distinct.values()),
    }


def spared_only(args, files: list[Path]) -> int:
    """What the model is spared over a whole corpus and its wire-style version, counted
    from the paragraphs (each distinct one read once), without running the model."""
    corpus = prepare_all([(p.relative_to(args.corpus).as_posix(), p.read_bytes()) for p in files])
    stories = [p.read_bytes().decode("utf-8", "replace") for p in files[: args.wire_stories]]
    wire = prepare_all([(n, t.encode()) for n, t in wire_corpus(stories, random.Random(args.seed))])
    results = {"bbc": spared(corpus), "wire": spared(wire)}
    for name, r in results.items():
        print(
            f"{name}: {r['articles']:,} articles ({r['distinct_bodies']:,} distinct bodies), {r['paragraphs']:,} paragraphs; "
            f"the model reads {r['paragraphs_read']:,} ({1 - r['paragraphs_read'] / r['paragraphs']:.1%} spared), "
            f"characters {r['characters_read']:,} of {r['characters']:,} ({1 - r['characters_read'] / r['characters']:.1%} spared; "
            f"exact duplicate bodies alone: {1 - r['distinct_bodies'] / r['articles']:.1%} of articles)"
        )
    path = write_result("ner_units_spared", {"args": {k: str(v) for k, v in vars(args).items()}, **results})
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=0, help="every n-th file to reach about this many (0: all)")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--wire-stories", type=int, default=150)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--spared-only", action="store_true", help="count what the model is spared (no model: paragraphs and characters only)"
    )
    args = parser.parse_args(argv)
    files = [p for p in corpus_files(args.corpus) if p.parent != args.corpus]
    if args.files:
        files = files[:: max(1, len(files) // args.files)]
    if args.spared_only:
        return spared_only(args, files)
    nlp = load_pipeline(MODEL)
    per_annotate_warmup = annotate(prepare_all([("w.txt", b"Warm up\n\nThe Prime Minister met Angela Merkel in Berlin.\n")]), nlp)
    del per_annotate_warmup
    corpus = prepare_all([(p.relative_to(args.corpus).as_posix(), p.read_bytes()) for p in files])
    rng = random.Random(args.seed)
    stories = [p.read_bytes().decode("utf-8", "replace") for p in files[: args.wire_stories]]
    wire = prepare_all([(n, t.encode()) for n, t in wire_corpus(stories, rng)])
    rng.shuffle(wire)  # republications arrive mixed, across batches
    results = {}
    for name, prepared in (("bbc", corpus), ("wire", wire)):
        r = measure(nlp, prepared, args.batch)
        results[name] = r
        print(
            f"{name}: {r['articles']} articles, {r['paragraphs']:,} paragraphs; model read {r['paragraphs_read']:,} "
            f"({r['paragraphs_read'] / r['paragraphs']:.1%}), characters {r['characters_read'] / r['characters']:.1%}; "
            f"NER CPU per article {r['cpu_per_article_ner_s']} s, per paragraph {r['cpu_per_paragraph_ner_s']} s "
            f"(ratio {r['cpu_per_paragraph_ner_s'] / r['cpu_per_article_ner_s']:.2f}); "
            f"articles with other spans {r['articles_with_other_spans']} ({r['spans_differing']} spans of {r['spans_per_article']:,}), "
            f"with other entities {r['articles_with_other_mentions']}"
        )
    path = write_result("ner_units", {"args": {k: str(v) for k, v in vars(args).items()}, **results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
