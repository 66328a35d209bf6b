"""Every row a batch makes, from two checkouts of the code, compared: a speed change to
the batch path must leave them as they were.

    .venv/bin/python bench/batch_rows.py CORPUS --code /tmp/base --out /tmp/base.pkl
    .venv/bin/python bench/batch_rows.py CORPUS --out /tmp/this.pkl          # this checkout
    .venv/bin/python bench/batch_rows.py --compare /tmp/base.pkl /tmp/this.pkl

`transforms.batch.process_documents` over the corpus's files in batches of `--batch` (as
a worker does, without Prefect or a store: the staging views are these tables' columns
renamed, as `tests/flows/conftest.py:snapshot_rows` compares them), every table's rows
sorted, minus the per-run columns (`ingested_at`, `run_id`) and `ner_key` (which names the
code and model, so a change to the gazetteer's patterns changes it by design). Also the
CPU seconds of the batches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
import time
from pathlib import Path

PER_RUN = {"ingested_at", "run_id", "ner_key"}


def collect(corpus: Path, code: Path, batch: int) -> dict:
    sys.path.insert(0, str(code))
    sys.path.insert(1, str(Path(__file__).resolve().parent))
    from _common import corpus_files

    import transforms
    from transforms.article import RawDocument
    from transforms.batch import process_documents
    from transforms.nlp import load_pipeline

    assert Path(transforms.__file__).resolve().is_relative_to(code.resolve()), transforms.__file__
    files = [p for p in corpus_files(corpus) if p.parent != corpus]
    nlp = load_pipeline()
    docs = [RawDocument.from_bytes(p.read_bytes(), p.relative_to(corpus).as_posix()) for p in files]
    rows: dict[str, list] = {}
    start = time.process_time()
    for i in range(0, len(docs), batch):
        tables = process_documents(docs[i : i + batch], nlp, run_id="r", ingested_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        for name, table in tables.items():
            keep = [c for c in table.column_names if c not in PER_RUN]
            rows.setdefault(name, []).extend(tuple(map(repr, r.values())) for r in table.select(keep).to_pylist())
    cpu = time.process_time() - start
    return {"files": len(files), "cpu_s": round(cpu, 2), "rows": {k: sorted(v) for k, v in rows.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent, help="checkout to import from")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--compare", type=Path, nargs=2)
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (pickle.loads(p.read_bytes()) for p in args.compare)
        same = True
        for name in sorted(set(a["rows"]) | set(b["rows"])):
            ra, rb = a["rows"].get(name, []), b["rows"].get(name, [])
            print(f"{name:16} {len(ra):>8,} {len(rb):>8,}  {'identical' if ra == rb else 'DIFFERENT'}")
            same &= ra == rb
        print(f"CPU s: {a['cpu_s']} → {b['cpu_s']} ({a['files']} files)")
        return 0 if same else 1
    out = collect(args.corpus, args.code, args.batch)
    args.out.write_bytes(pickle.dumps(out))
    print(f"{out['files']} files, {out['cpu_s']} CPU s, {sum(map(len, out['rows'].values())):,} rows → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
