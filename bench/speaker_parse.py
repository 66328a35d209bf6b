"""Speaker attribution from spaCy's dependency parse, against the rules of transforms/quotes.py
(issue 12 item 2), and what the parse would cost (issue 16). An experiment: nothing here is
used by the pipeline.

    # accuracy per development set, from the spans bench/speaker_diff.py cached
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans bench/dev_speakers3/articles \
        --every 1 --cache /tmp/dev_speakers3.pickle
    .venv/bin/python bench/speaker_parse.py score bench/dev_speakers3 --cache /tmp/dev_speakers3.pickle [-v]
    # CPU-seconds of the parse on the paragraphs with a quote mark, beside wirehouse's own
    # annotation (NER + extraction) of the same files, interleaved, medians
    flock /tmp/heavy.lock .venv/bin/python bench/speaker_parse.py cost ../shared/corpora/bbc --every 4 --reps 3

The parse attribution: for each quote, the speech verbs (lemma in SPEECH, outside any quote)
of its sentence in spaCy's parse of its paragraph; the one whose subtree holds the quote,
else the nearest; its subject (`nsubj`, `nsubjpass`, the agent's object, up a chain of
`conj`/`advcl`/`xcomp`: `said, adding`), or the object of `according to`. The subject is
resolved with the same machinery the rules use: a mention at the subject's head (a person in
apposition first), a pronoun's antecedent (`_antecedent`), a noun phrase's role holder
(`_Roles.resolve`). Three columns: the rules; the parse (the rules where it finds no verb
or subject); the parse only where it resolves to an entity (the rules elsewhere).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import machine_info, write_result  # noqa: E402

from transforms import quotes as Q  # noqa: E402
from transforms.entities import Mention, canonicalize  # noqa: E402

SPEECH = frozenset(
    """
    say tell add write tweet post call describe dismiss denounce warn urge announce threaten mock accuse
    insist stress note ask reply declare condemn argue claim explain acknowledge admit promise vow pledge
    brand label term hail praise criticise criticize slam reject deny confirm recall quote concede quip
    caution remark observe complain lament boast joke respond retort counter predict state comment
    reiterate emphasise emphasize testify exclaim shout laugh sigh blast fume muse beam shrug smile grin
    """.split()
)
MARKS = '"“”'
PARSE_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]  # lemmas: the verb's


def _parser():
    import spacy

    from transforms.nlp import DEFAULT_MODEL

    return spacy.load(DEFAULT_MODEL, exclude=["ner", "senter"])


def _paragraph(body: str, pos: int) -> tuple[int, int]:
    a = body.rfind("\n\n", 0, pos)
    b = body.find("\n\n", pos)
    return (0 if a < 0 else a + 2), (len(body) if b < 0 else b)


def _resolve(body, subj, off, mentions: list[Mention], roles, quote_at: int, outside: list[Mention]):
    """(as written, mention) of a subject token."""
    for t in [subj] + [c for c in subj.children if c.dep_ == "appos"]:
        p = off + t.idx
        at = [m for m in mentions if m.char_start <= p < m.char_end and m.label in Q._SPEAKER_LABELS]
        if at:
            if t is subj and at[0].label != "PERSON":
                for a in (c for c in subj.children if c.dep_ == "appos"):
                    pa = off + a.idx
                    person = [x for x in mentions if x.char_start <= pa < x.char_end and x.label == "PERSON"]
                    if person:
                        return person[0].text, person[0]
            return at[0].text, at[0]
    if subj.pos_ == "PRON" and subj.lower_ in Q._PRONOUNS:
        return subj.text, Q._antecedent(body, outside, off + subj.idx, subj.lower_, roles.sentence_starts)
    left = [c for c in subj.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "det", "nummod")]
    start = min([subj.idx] + [c.left_edge.idx for c in left])
    written = body[off + start : off + subj.idx + len(subj.text)]
    np = re.sub(r"^(?:the|a|an|its|his|her|their)\s+", "", written, flags=re.IGNORECASE)
    return written, roles.resolve(np, quote_at, owned=any(c.dep_ == "poss" for c in subj.children))


def _subject(verb):
    v = verb
    for _ in range(4):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        for agent in (c for c in v.children if c.dep_ == "agent"):
            objects = [c for c in agent.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
        if v.dep_ in ("conj", "advcl", "xcomp", "ccomp", "dep") and v.head is not v:
            v = v.head
            continue
        return None
    return None


def attribute(body, doc, off, q, mentions, roles):
    """(as written, mention, verb) of quote `q` from the parse `doc` of its paragraph (at
    `off` in `body`), or None when its sentence has no speech verb with a subject."""

    def quoted(t) -> bool:
        p = off + t.idx
        return roles.inside_quote(p) or body[p] in MARKS

    inside = [t for t in doc if q.start <= off + t.idx < q.end]
    if not inside:
        return None
    sents = {inside[0].sent.start, inside[-1].sent.start}
    frame = [t for t in doc if t.sent.start in sents]
    outside = [m for m in mentions if not roles.inside_quote(m.char_start)]
    for t in frame:
        if t.lower_ == "according" and not quoted(t) and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            objects = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return (*_resolve(body, objects[0], off, mentions, roles, q.open_pos, outside), "according to")
    verbs = [t for t in frame if t.lemma_.lower() in SPEECH and t.pos_ in ("VERB", "AUX") and not quoted(t)]
    if not verbs:
        return None
    ancestors = {a.i for a in inside[0].ancestors}
    holding = [v for v in verbs if v.i in ancestors]
    middle = (inside[0].i + inside[-1].i) / 2
    verb = holding[-1] if holding else min(verbs, key=lambda v: abs(v.i - middle))
    subj = _subject(verb)
    if subj is None or quoted(subj):
        return None
    return (*_resolve(body, subj, off, mentions, roles, q.open_pos, outside), verb.text)


def _article(body, spans, sentences):
    """The rules' quotes, and what `attribute` needs, for one article."""
    mentions = canonicalize(spans or [], body, [s for s, _ in sentences])
    found = Q.extract_quotes(body, sentences, mentions)
    quoted = [q for q in Q.find_quoted(body) if not Q._is_name(body, q, mentions)]
    people = Q._people_as_people(body, sorted(mentions, key=lambda m: m.char_start))
    roles = Q._Roles(body, people, sentences, [(q.open_pos, q.close_pos) for q in quoted])
    return found, quoted, people, roles


def score(dev: Path, cache: Path, verbose: bool) -> dict:
    from issue12_dev import _name, _norm

    nlp = _parser()
    gold = json.loads((dev / "gold.json").read_text(encoding="utf-8"))
    rows = {key: rest for key, *rest in pickle.loads(cache.read_bytes())}
    counts = {"quotes": 0, "rules": 0, "parse_else_rules": 0, "parse_if_entity_else_rules": 0, "parse_found": 0}
    for key in sorted(gold):
        body, spans, sentences, _ = rows[key]
        found, quoted, people, roles = _article(body, spans, sentences)
        docs: dict[int, object] = {}
        by_start = {}
        for q, rule in zip(quoted, found, strict=True):
            a, b = _paragraph(body, q.start)
            if a not in docs:
                docs[a] = nlp(body[a:b])
            by_start[q.start] = (attribute(body, docs[a], a, q, people, roles), rule)
        for gq in gold[key]["quotes"]:
            counts["quotes"] += 1
            want = {_name(w) for w in (gq["speaker"] if isinstance(gq["speaker"], list) else [gq["speaker"]])}
            hits = [
                s for s, (_, r) in by_start.items() if _norm(gq["quote"]) in _norm(r.text) or _norm(r.text) in _norm(gq["quote"])
            ]
            if not hits:
                continue
            parsed, rule = by_start[hits[0]]
            by_rules = rule.speaker_name or rule.speaker_text
            by_parse = (parsed[1].canonical_name if parsed[1] else parsed[0]) if parsed else by_rules
            entity_only = by_parse if parsed and parsed[1] is not None else by_rules
            counts["parse_found"] += parsed is not None
            counts["rules"] += _name(by_rules) in want
            counts["parse_else_rules"] += _name(by_parse) in want
            counts["parse_if_entity_else_rules"] += _name(entity_only) in want
            if verbose and (_name(by_parse) in want) != (_name(by_rules) in want):
                print(f"  {key}: {gq['quote'][:40]!r} gold {gq['speaker']!r} rules {by_rules!r} parse {by_parse!r}")
    print(f"{dev.name}: {json.dumps(counts)}")
    return counts


def cost(corpus: Path, every: int, reps: int) -> dict:
    """CPU-seconds, medians of `reps` interleaved repetitions in this process: wirehouse's
    annotation of the files (the NER model over every paragraph, then extraction), and the
    parse (tok2vec + parser, and with the tagger, attribute ruler and lemmatizer the
    attribution reads lemmas from) of only the paragraphs that hold a quote mark."""
    from speaker_diff import prepared_files

    from transforms.annotation import annotate
    from transforms.nlp import DEFAULT_MODEL, load_pipeline

    files, prepared = prepared_files(corpus, every)
    ner = load_pipeline(DEFAULT_MODEL)
    full = _parser()
    import spacy

    from transforms.nlp import DEFAULT_MODEL as M

    bare = spacy.load(M, exclude=["ner", "senter", "tagger", "attribute_ruler", "lemmatizer"])
    paragraphs = [para for p in prepared for para in p.body.split("\n\n") if any(mark in para for mark in MARKS)]
    chars_all = sum(len(p.body) for p in prepared)
    chars_quoted = sum(len(x) for x in paragraphs)
    annotate(prepared[:5], ner)  # warm-up
    list(full.pipe(paragraphs[:20]))
    list(bare.pipe(paragraphs[:20]))
    times: dict[str, list[float]] = {"annotate": [], "parse_with_lemmas": [], "parse_only": []}
    for _ in range(reps):
        t0 = time.process_time()
        annotate(prepared, ner)
        times["annotate"].append(time.process_time() - t0)
        t0 = time.process_time()
        list(full.pipe(paragraphs, batch_size=64))
        times["parse_with_lemmas"].append(time.process_time() - t0)
        t0 = time.process_time()
        list(bare.pipe(paragraphs, batch_size=64))
        times["parse_only"].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {
        "files": len(files),
        "articles": len(prepared),
        "chars": chars_all,
        "quoted_paragraphs": len(paragraphs),
        "quoted_paragraph_chars": chars_quoted,
        "cpu_s": times,
        "median_cpu_s": med,
        "ratio_parse_with_lemmas_to_annotate": med["parse_with_lemmas"] / med["annotate"],
        "ratio_parse_only_to_annotate": med["parse_only"] / med["annotate"],
    }
    print(json.dumps({k: v for k, v in out.items() if k != "cpu_s"}, indent=1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("score")
    s.add_argument("dev", type=Path, nargs="+")
    s.add_argument("--cache", type=Path, nargs="+", required=True, help="one spans cache per set, in order")
    s.add_argument("-v", action="store_true")
    c = sub.add_parser("cost")
    c.add_argument("corpus", type=Path)
    c.add_argument("--every", type=int, default=4)
    c.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    if args.cmd == "score":
        results = {d.name: score(d, cache, args.v) for d, cache in zip(args.dev, args.cache, strict=True)}
        write_result("speaker_parse_score", {"machine": machine_info(), "sets": results})
    else:
        write_result("speaker_parse_cost", {"machine": machine_info(), **cost(args.corpus, args.every, args.reps)})


if __name__ == "__main__":
    main()
