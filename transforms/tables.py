"""A batch's articles and rejects → one Arrow table per warehouse table.

Every row is built by column name and checked against its table's schema in
transforms/schemas.py (the schemas are defined there once): a row that lacks a column or
has one the schema does not know is an error here, not a column of nulls in the
warehouse. The extracted records (dates, amounts, quotes, mentions) are dataclasses whose
fields are named as their table's columns.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from transforms import schemas
from transforms.article import Prepared, Reject
from transforms.duplicates import body_fingerprint, minhash_signature

Row = dict[str, Any]


def to_tables(prepared: list[Prepared], rejects: list[Reject], *, run_id: str, ingested_at: dt.datetime) -> dict[str, pa.Table]:
    """Arrow tables (schemas from transforms.schemas) for a batch."""
    return {
        "articles": _table(schemas.ARTICLES, (_article_row(p, run_id, ingested_at) for p in prepared)),
        "sentences": _table(schemas.SENTENCES, (row for p in prepared for row in _sentence_rows(p))),
        "entities": _table(schemas.ENTITIES, (_record_row(p.article_id, m) for p in prepared for m in p.mentions)),
        "removed_lines": _table(schemas.REMOVED_LINES, (_record_row(p.article_id, r) for p in prepared for r in p.removed)),
        "ner_spans": _table(schemas.NER_SPANS, (_ner_spans_row(p) for p in prepared if p.ner_spans is not None)),
        "ner_units": _table(schemas.NER_UNITS, (row for p in prepared for row in _ner_units_rows(p))),
        "rejects": _table(schemas.REJECTS, (_reject_row(r, run_id) for r in rejects)),
        "dates_mentioned": _table(schemas.DATES_MENTIONED, (row for p in prepared for row in _sentence_records(p, p.dates))),
        "amounts": _table(schemas.AMOUNTS, (row for p in prepared for row in _sentence_records(p, p.amounts))),
        "quotes": _table(schemas.QUOTES, (row for p in prepared for row in _sentence_records(p, p.quotes))),
    }


def _table(schema: pa.Schema, rows: Iterable[Row]) -> pa.Table:
    columns: dict[str, list] = {name: [] for name in schema.names}
    for row in rows:
        if row.keys() != columns.keys():
            raise ValueError(f"a row's columns {sorted(row)} are not the schema's {sorted(columns)}")
        for name, value in row.items():
            columns[name].append(value)
    return pa.table(columns, schema=schema)


def _article_row(p: Prepared, run_id: str, ingested_at: dt.datetime) -> Row:
    h = p.header
    return {
        "article_id": p.article_id,
        "source_path": p.doc.path,
        "source_record": p.record,
        "source_sha256": p.doc.sha256,
        "source_format": p.source_format,
        "encoding": p.encoding,
        "title": h.title,
        "authors": h.authors,
        "source": h.source,
        "published_date": h.published_date,
        "date_source": h.date_source,
        "dateline_place": p.dateline_place,
        "dateline_source": p.dateline_source,
        "language": h.language,
        "body": p.body,
        "word_count": len(p.body.split()),
        "sentence_count": len(p.sentences),
        "ingested_at": ingested_at,
        "run_id": run_id,
        "body_fingerprint": body_fingerprint(p.body),
        "minhash": minhash_signature(p.body),
    }


def _sentence_rows(p: Prepared) -> Iterator[Row]:
    for idx, (start, end) in enumerate(p.sentences):
        yield {
            "article_id": p.article_id,
            "sentence_idx": idx,
            "text": p.body[start:end],
            "char_start": start,
            "char_end": end,
            "raw_char_start": p.raw_offsets[start],
            "raw_char_end": p.raw_offsets[end - 1] + 1,
        }


def _record_row(article_id: str, record: Any) -> Row:
    """An article's record (a dataclass named as its table's columns) with the article's id."""
    return {"article_id": article_id, **{f.name: getattr(record, f.name) for f in dataclasses.fields(record)}}


def _sentence_records(p: Prepared, records: Iterable[Any]) -> Iterator[Row]:
    """Records found in the body (dates, amounts, quotes), each with the sentence it starts in."""
    starts = [start for start, _ in p.sentences]
    for record in records:
        sentence_idx = max(0, bisect.bisect_right(starts, record.char_start) - 1)
        yield {"sentence_idx": sentence_idx, **_record_row(p.article_id, record)}


def _ner_spans_row(p: Prepared) -> Row:
    return {
        "article_id": p.article_id,
        "body_sha256": p.body_sha256,
        "ner_key": p.ner_key,
        "spans": [{"char_start": s, "char_end": e, "label": label} for s, e, label in p.ner_spans or []],
        "ner_from": p.ner_from,
    }


def _ner_units_rows(p: Prepared) -> Iterator[Row]:
    for unit_sha256, spans in p.ner_units:
        yield {
            "article_id": p.article_id,
            "unit_sha256": unit_sha256,
            "ner_key": p.ner_key,
            "spans": [{"char_start": s, "char_end": e, "label": label} for s, e, label in spans],
        }


def _reject_row(r: Reject, run_id: str) -> Row:
    return {
        "source_path": r.source_path,
        "source_record": r.source_record,
        "source_sha256": r.source_sha256,
        "reason": r.reason,
        "detail": r.detail,
        "run_id": run_id,
    }
