"""Person, organization and place mention F1 on a newswire NER benchmark in CoNLL format
(issue 12), wirehouse's real run against bare spaCy.

    .venv/bin/python bench/newswire_ner.py CONLL_FILE [--limit N] [--warehouse DIR] [--workers N]

CONLL_FILE is a CoNLL-2003-style file: one token a line with its tag in the last column
(IOB1 or IOB2: PER, ORG, LOC, MISC), a blank line between sentences, `-DOCSTART-` lines
between documents. It is research data: pass its path, never copy it into the repository
(nor anything written from it: the articles and the warehouse go under /tmp by default).

Each document becomes one raw article file: its first sentence the headline, then a
blank line, then every further sentence as a paragraph of its own, the tokens joined as
a writer would (no space before , . ; : ) 's n't, none after ( $, double quotes closed
onto the words they enclose). Every gold token keeps its character offsets in the file.
`wirehouse run` ingests the folder into a fresh warehouse (DIR, or a temporary folder;
an existing DIR with news.duckdb is scored as it is); the mentions are `stg_entities`
(offsets in `stg_articles.body`). The body is what the pipeline kept: the headline,
byline and dateline are header fields, not body, and cleaning may drop lines, so each
file's text is aligned to its stored body (paragraph by paragraph, characters within
paragraphs that differ) and the share of gold tokens and mentions found in the bodies
is reported.

Scoring: exact spans, labels PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC; other labels
and gold MISC are left out. Micro F1 over PER+ORG+LOC and per type, two ways:

- `body`: gold mentions that lie in the stored body, against the mentions on it, for
  wirehouse and for bare spaCy run over the same bodies (the same sentences);
- `article`: every gold mention of the document (headline and dateline included); a
  mention outside the body is a miss for wirehouse; bare spaCy reads the whole file.

Bare spaCy is `tests.gold.evaluate.bare_pipeline`: the model alone, no ruler, no recasing.
Results: bench/results/newswire_ner_<file name>.json (counts and scores only, no text).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TYPES = ("PER", "ORG", "LOC")
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

# Tokens written without a space before them, and after which no space comes.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "'", "n't", "N'T"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass
class Document:
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)  # (token, tag)


def read_conll(path: Path) -> list[Document]:
    """The documents of a CoNLL file; a file without -DOCSTART- lines is one document."""
    docs: list[Document] = []
    doc = Document()
    sent: list[tuple[str, str]] = []

    def close_sentence() -> None:
        nonlocal sent
        if sent:
            doc.sentences.append(sent)
        sent = []

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("-DOCSTART-"):
            close_sentence()
            if doc.sentences:
                docs.append(doc)
            doc = Document()
            continue
        if not line:
            close_sentence()
            continue
        parts = line.split()
        sent.append((parts[0], parts[-1]))
    close_sentence()
    if doc.sentences:
        docs.append(doc)
    return docs


def tag_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, one past the last, type) of each entity; IOB1 and IOB2 alike: a span
    starts at B-, or at I- after O or another type."""
    spans: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if kind is not None and (tag == "O" or prefix == "B" or typ != kind):
            spans.append((start, i, kind))  # type: ignore[arg-type]
            start, kind = None, None
        if tag != "O" and kind is None:
            start, kind = i, typ
    return spans


def _is_clitic(token: str) -> bool:
    return token.startswith("'") and 1 < len(token) <= 3 and token[1:].isalpha()


_QUOTES = {"``": '"', "''": '"'}


def _continues(prev: list[tuple[str, str]], sent: list[tuple[str, str]]) -> bool:
    """Whether a sentence goes on the previous one's line: the source broke a line, not a
    sentence (the previous one leaves a bracket open, or this one opens in lower case or
    with a bracket)."""
    words = [t for t, _ in prev]
    first = sent[0][0]
    return words.count("(") > words.count(")") or first[:1].islower() or first == "("


def detokenize(doc: Document) -> tuple[str, list[list[tuple[int, int]]]]:
    """The article text and each token's (start, end) in it: the first sentence a headline
    line, a blank line, then one paragraph per sentence (a sentence that only continues a
    broken line goes on its predecessor's paragraph)."""
    out: list[str] = []
    pos = 0
    offsets: list[list[tuple[int, int]]] = []
    for s_idx, sent in enumerate(doc.sentences):
        if s_idx:
            sep = " " if s_idx > 1 and _continues(doc.sentences[s_idx - 1], sent) else "\n\n"
            out.append(sep)
            pos += len(sep)
        sent_offsets = []
        quote_open = False
        glue_next = True  # no space before the sentence's first token
        for token, _ in sent:
            token = _QUOTES.get(token, token)
            if token == '"':
                space = not glue_next and not quote_open
                quote_open = not quote_open
                glue_after = quote_open
            else:
                space = not glue_next and token not in _NO_SPACE_BEFORE and not _is_clitic(token)
                glue_after = token in _NO_SPACE_AFTER
            if space:
                out.append(" ")
                pos += 1
            out.append(token)
            sent_offsets.append((pos, pos + len(token)))
            pos += len(token)
            glue_next = glue_after
        offsets.append(sent_offsets)
    return "".join(out) + "\n", offsets


def gold_mentions(doc: Document, offsets: list[list[tuple[int, int]]]) -> list[tuple[int, int, str]]:
    """Gold PER/ORG/LOC mentions as character spans of the article text."""
    found = []
    for sent, offs in zip(doc.sentences, offsets, strict=True):
        for a, b, typ in tag_spans([tag for _, tag in sent]):
            if typ in TYPES:
                found.append((offs[a][0], offs[b - 1][1], typ))
    return found


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for part in text.split("\n\n"):
        end = start + len(part)
        if part.strip():
            spans.append((start, end))
        start = end + 2
    return spans


def align(src: str, dst: str) -> list[int | None]:
    """For each character of `src`, its offset in `dst` (None where `dst` has not kept it).
    Paragraphs equal up to surrounding space map one to one; the rest char by char."""
    mapping: list[int | None] = [None] * len(src)
    sp, dp = _paragraphs(src), _paragraphs(dst)
    skey = [src[a:b].strip() for a, b in sp]
    dkey = [dst[a:b].strip() for a, b in dp]
    matcher = difflib.SequenceMatcher(None, skey, dkey, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for (sa, sb), (da, db) in zip(sp[i1:i2], dp[j1:j2], strict=True):
                s0 = sa + len(src[sa:sb]) - len(src[sa:sb].lstrip())
                d0 = da + len(dst[da:db]) - len(dst[da:db].lstrip())
                for k in range(len(src[sa:sb].strip())):
                    mapping[s0 + k] = d0 + k
        elif op == "replace":
            s_lo, s_hi = sp[i1][0], sp[i2 - 1][1]
            d_lo, d_hi = dp[j1][0], dp[j2 - 1][1]
            chars = difflib.SequenceMatcher(None, src[s_lo:s_hi], dst[d_lo:d_hi], autojunk=False)
            for a, b, size in chars.get_matching_blocks():
                for k in range(size):
                    mapping[s_lo + a + k] = d_lo + b + k
    return mapping


def _norm(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").split())


def map_span(span: tuple[int, int], mapping: list[int | None], src: str, dst: str) -> tuple[int, int] | None:
    """A span of `src` in `dst`, when every non-space character was kept and the text reads
    the same there."""
    a, b = span
    kept = [mapping[i] for i in range(a, b) if not src[i].isspace()]
    if not kept or any(k is None for k in kept):
        return None
    start, end = kept[0], kept[-1] + 1  # type: ignore[operator]
    return (start, end) if _norm(dst[start:end]) == _norm(src[a:b]) else None


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def score(gold: list[set], pred: list[set]) -> dict:
    """Exact-span scores per type and micro over all three; one set of (start, end, type)
    per document on each side."""
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        for _, _, t in g:
            n_gold[t] += 1
        for _, _, t in p:
            n_pred[t] += 1
        for _, _, t in g & p:
            tp[t] += 1
    out = {t: prf(tp[t], n_pred[t], n_gold[t]) for t in TYPES}
    out["micro"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return out


def mapped(ents) -> set:
    """(start, end, label) of predicted entities, labels mapped; unmapped labels dropped."""
    return {(s, e, LABEL_MAP[lab]) for s, e, lab in ents if lab in LABEL_MAP}


# ---------------------------------------------------------------------------------------


def write_articles(docs: list[Document], folder: Path) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    articles = []
    for i, doc in enumerate(docs):
        text, offsets = detokenize(doc)
        name = f"doc{i:04d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        tokens = [o for sent in offsets for o in sent]
        articles.append({"name": name, "text": text, "tokens": tokens, "gold": gold_mentions(doc, offsets)})
    return articles


def run_wirehouse(input_dir: Path, warehouse: Path, model: str, workers: int) -> dict:
    cmd = [sys.executable, "-m", "flows.app.cli", "run", "--input", str(input_dir), "--warehouse", str(warehouse)]
    cmd += ["--model", model, "--workers", str(workers)]
    print("$ wirehouse " + " ".join(cmd[3:]), flush=True)
    before = os.times()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"wirehouse run failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall_s": round(wall, 1), "cpu_s_children": round(cpu, 1)}


def read_warehouse(warehouse: Path) -> dict[str, dict]:
    """Per file name: the stored body, its language and the mentions (start, end, label)."""
    import duckdb

    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        rows = con.execute("select article_id, file_path, body, language from stg_articles").fetchall()
        ents: dict[str, list] = {}
        for aid, s, e, label in con.execute("select article_id, char_start, char_end, label from stg_entities").fetchall():
            ents.setdefault(aid, []).append((s, e, label))
    finally:
        con.close()
    return {Path(path).name: {"body": body, "language": lang, "ents": ents.get(aid, [])} for aid, path, body, lang in rows}


def read_in_process(input_dir: Path, model: str) -> dict[str, dict]:
    """The same per-file rows from `transforms.batch.process_documents` in this process (what
    each batch of a run computes: `stg_entities` is that output), for quick development runs;
    no Prefect, no warehouse, no archive-level steps."""
    from transforms.article import RawDocument
    from transforms.batch import process_documents
    from transforms.nlp import load_pipeline

    nlp = load_pipeline(model)
    paths = sorted(input_dir.iterdir())
    docs = [RawDocument.from_bytes(p.read_bytes(), p.name) for p in paths]
    tables = process_documents(docs, nlp)
    arts = tables["articles"].to_pylist()
    ents: dict[str, list] = {}
    for e in tables["entities"].to_pylist():
        ents.setdefault(e["article_id"], []).append((e["char_start"], e["char_end"], e["label"]))
    return {
        Path(a["source_path"]).name: {"body": a["body"], "language": a["language"], "ents": ents.get(a["article_id"], [])}
        for a in arts
    }


def evaluate(articles: list[dict], stored: dict[str, dict], bare) -> dict:
    tokens_total = tokens_kept = 0
    gold_body, gold_all = [], []
    wh_body, wh_all = [], []
    bare_body, bare_all = [], []
    missing, not_english = [], []
    gold_kept = Counter()
    bodies = []
    for art in articles:
        text = art["text"]
        gold = set(art["gold"])
        gold_all.append(gold)
        tokens_total += len(art["tokens"])
        row = stored.get(art["name"])
        if row is None:
            missing.append(art["name"])
            gold_body.append(set())
            wh_body.append(set())
            wh_all.append(set())
            bodies.append("")
            continue
        body = row["body"] or ""
        if row["language"] not in (None, "en"):
            not_english.append(art["name"])
        mapping = align(text, body)
        tokens_kept += sum(1 for span in art["tokens"] if map_span(span, mapping, text, body) is not None)
        in_body = set()
        for s, e, t in gold:
            m = map_span((s, e), mapping, text, body)
            if m is not None:
                in_body.add((m[0], m[1], t))
                gold_kept[t] += 1
        gold_body.append(in_body)
        preds = mapped(row["ents"])
        wh_body.append(preds)
        # In article coordinates a mention is scored by its body span: the gold's body span
        # stands for the gold, so `article` differs from `body` only by the gold left out.
        wh_all.append(preds)
        bodies.append(body)
    # `article` for wirehouse: the same hits, every gold mention counted.
    bare_body = [mapped((e.start_char, e.end_char, e.label_) for e in doc.ents) for doc in bare.pipe(bodies)]
    bare_all = [mapped((e.start_char, e.end_char, e.label_) for e in doc.ents) for doc in bare.pipe(a["text"] for a in articles)]
    wh_article = score(gold_body, wh_all)
    n_gold_all = Counter(t for g in gold_all for _, _, t in g)
    for t in TYPES:
        wh_article[t] = prf(wh_article[t]["tp"], wh_article[t]["pred"], n_gold_all[t])
    wh_article["micro"] = prf(wh_article["micro"]["tp"], wh_article["micro"]["pred"], sum(n_gold_all.values()))
    n_gold = sum(n_gold_all.values())
    return {
        "documents": len(articles),
        "articles_missing_from_warehouse": missing,
        "articles_not_english": not_english,
        "gold_tokens": tokens_total,
        "gold_tokens_in_bodies": tokens_kept,
        "gold_tokens_in_bodies_share": round(tokens_kept / tokens_total, 4) if tokens_total else 0.0,
        "gold_mentions": dict(n_gold_all),
        "gold_mentions_in_bodies": dict(gold_kept),
        "gold_mentions_in_bodies_share": round(sum(gold_kept.values()) / n_gold, 4) if n_gold else 0.0,
        "body": {"wirehouse": score(gold_body, wh_body), "bare_spacy": score(gold_body, bare_body)},
        "article": {"wirehouse": wh_article, "bare_spacy": score(gold_all, bare_all)},
    }


def _print(res: dict) -> None:
    print(
        f"\n{res['documents']} documents; gold tokens in the stored bodies {res['gold_tokens_in_bodies']}/{res['gold_tokens']}"
        f" ({res['gold_tokens_in_bodies_share']:.1%}); gold mentions in bodies "
        f"{sum(res['gold_mentions_in_bodies'].values())}/{sum(res['gold_mentions'].values())}"
        f" ({res['gold_mentions_in_bodies_share']:.1%})"
    )
    if res["articles_missing_from_warehouse"]:
        print(f"not in the warehouse: {len(res['articles_missing_from_warehouse'])} files")
    if res["articles_not_english"]:
        print(f"stored as not English (no entities): {len(res['articles_not_english'])} files")
    for way in ("body", "article"):
        print(f"\n{way}: {'':<6} {'wirehouse F1 (tp/pred/gold)':>30}   {'bare spaCy F1 (tp/pred/gold)':>30}")
        for t in (*TYPES, "micro"):
            cells = []
            for system in ("wirehouse", "bare_spacy"):
                v = res[way][system][t]
                cells.append(f"{v['f1']:.3f} ({v['tp']}/{v['pred']}/{v['gold']})")
            print(f"  {t:<12} {cells[0]:>30}   {cells[1]:>30}")


def main(argv: list[str]) -> int:
    from _common import machine_info

    from tests.gold.evaluate import bare_pipeline
    from transforms.nlp import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conll", type=Path, help="a CoNLL-format file (research data: not copied into the repository)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--warehouse", type=Path, default=None, help="run into DIR (scored as is if it holds news.duckdb)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument(
        "--in-process", action="store_true", help="development: the batch transforms in this process, not `wirehouse run`"
    )
    args = parser.parse_args(argv)

    docs = read_conll(args.conll)[: args.limit]
    scratch = Path(tempfile.mkdtemp(prefix="newswire-ner-"))
    warehouse = (args.warehouse or scratch / "warehouse").resolve()
    input_dir = (warehouse.parent / (warehouse.name + "-articles")) if args.warehouse else scratch / "articles"
    articles = write_articles(docs, input_dir)
    run: dict = {"skipped": "warehouse already built"}
    if args.in_process:
        t0 = time.perf_counter()
        stored = read_in_process(input_dir, args.model)
        run = {"in_process": True, "wall_s": round(time.perf_counter() - t0, 1)}
    else:
        if not (warehouse / "news.duckdb").is_file():
            run = run_wirehouse(input_dir, warehouse, args.model, args.workers)
        stored = read_warehouse(warehouse)
    t0 = time.perf_counter()
    bare = bare_pipeline(args.model)
    res = evaluate(articles, stored, bare)
    res["bare_and_scoring_s"] = round(time.perf_counter() - t0, 1)
    res["wirehouse_run"] = run
    res["data_file"] = args.conll.name
    res["limit"] = args.limit
    res["model"] = args.model
    res["warehouse"] = str(warehouse)
    res["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    res["machine"] = machine_info()
    _print(res)
    suffix = "_in_process" if args.in_process else ""
    out = ROOT / "bench" / "results" / f"newswire_ner_{args.conll.name.replace('.', '_')}{suffix}.json"
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)}; articles in {input_dir}, warehouse in {warehouse}")
    if not args.warehouse:
        shutil.rmtree(scratch / "articles", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
