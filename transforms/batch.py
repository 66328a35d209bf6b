"""One batch of raw files → the tables of that batch: the three steps in order.

prepare (transforms/article.py)     decode, parse, clean, split sentences, per file
annotate (transforms/annotation.py) NER over the whole batch in one stream, then entities,
                                    dates, amounts and quotes per article
to_tables (transforms/tables.py)    Arrow tables by the schemas of transforms/schemas.py
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from spacy.language import Language

from transforms import formats
from transforms.annotation import annotate
from transforms.article import MAX_ARTICLE_CHARS, Prepared, RawDocument, Reject, prepare, prepare_records
from transforms.ner_reuse import KnownSpans
from transforms.reference import DEFAULT_REFERENCE, Reference
from transforms.tables import to_tables


def process_documents(
    docs: list[RawDocument],
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    run_id: str = "adhoc",
    ingested_at: dt.datetime | None = None,
    today: dt.date | None = None,
    known: KnownSpans | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> dict[str, pa.Table]:
    """Raw files → the tables of one batch (`known`: see `annotate`)."""
    prepared: list[Prepared] = []
    rejects: list[Reject] = []
    for doc in docs:
        ok, bad = prepare(doc, reference=reference, today=today, max_article_chars=max_article_chars)
        prepared.extend(ok)
        rejects.extend(bad)
    annotated, failed = annotate(prepared, nlp, reference=reference, known=known)
    return to_tables(annotated, rejects + failed, run_id=run_id, ingested_at=ingested_at or dt.datetime.now(dt.UTC))


def process_records(
    doc: RawDocument,
    records: list[tuple[formats.JsonRecord | formats.BadRecord, str]],
    kind: str,
    source_format: str,
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    run_id: str = "adhoc",
    ingested_at: dt.datetime | None = None,
    today: dt.date | None = None,
    known: KnownSpans | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> dict[str, pa.Table]:
    """One slice of a big JSON / JSON Lines file's records → tables (`prepare_records`)."""
    prepared, rejects = prepare_records(
        doc, records, kind, source_format, reference=reference, today=today, max_article_chars=max_article_chars
    )
    annotated, failed = annotate(prepared, nlp, reference=reference, known=known)
    return to_tables(annotated, rejects + failed, run_id=run_id, ingested_at=ingested_at or dt.datetime.now(dt.UTC))
