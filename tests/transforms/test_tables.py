"""transforms/tables.py: every row built by column name and held to its table's schema."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa
import pytest

from transforms import schemas, tables
from transforms.amounts import Amount
from transforms.article import RawDocument, Reject, prepare
from transforms.clean import RemovedLine

TODAY = dt.date(2026, 12, 1)
AT = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


def test_records_go_to_the_columns_of_their_names_with_the_sentence_they_start_in():
    (p,), _ = prepare(
        RawDocument.from_bytes(b"Title\n\nThe army sent 300 troops. Then 40 more tanks came.\n", "a.txt"), today=TODAY
    )
    second = p.body.index("40")
    amount = Amount(second, second + 13, "40 more tanks", 40.0, "tanks", None, 40.0, 40.0)
    p = dataclasses.replace(p, amounts=[amount], removed=[RemovedLine(3, "(c) 2023 AFP", "copyright")])
    out = tables.to_tables([p], [Reject("a.txt", None, "abc", "empty", "nothing")], run_id="r1", ingested_at=AT)
    assert list(out) == [
        "articles", "sentences", "entities", "removed_lines", "ner_spans", "ner_units", "rejects", "dates_mentioned", "amounts",
        "quotes",
    ]  # fmt: skip
    assert {name: t.schema for name, t in out.items()} == {name: schemas.TABLES[name] for name in out}
    assert out["amounts"].to_pylist() == [
        {
            "article_id": p.article_id,
            "sentence_idx": 1,
            "char_start": second,
            "char_end": second + 13,
            "text": "40 more tanks",
            "value": 40.0,
            "value_low": 40.0,
            "value_high": 40.0,
            "unit": "tanks",
            "qualifier": None,
        }
    ]
    assert out["removed_lines"].to_pylist() == [
        {"article_id": p.article_id, "line_no": 3, "text": "(c) 2023 AFP", "rule": "copyright"}
    ]
    assert out["rejects"].to_pylist() == [
        {
            "source_path": "a.txt",
            "source_record": None,
            "source_sha256": "abc",
            "reason": "empty",
            "detail": "nothing",
            "run_id": "r1",
        }
    ]
    assert out["articles"].column("run_id").to_pylist() == ["r1"] and out["ner_spans"].num_rows == 0  # not annotated


@pytest.mark.parametrize(
    "row",
    [
        {"source_path": "a", "source_record": None, "source_sha256": "x", "reason": "r", "detail": "d"},  # no run_id
        {
            "source_path": "a",
            "source_record": None,
            "source_sha256": "x",
            "reason": "r",
            "detail": "d",
            "run_id": "r",
            "extra": 1,
        },
    ],
)
def test_a_row_that_is_not_its_schemas_columns_is_an_error(row):
    with pytest.raises(ValueError, match="not the schema's"):
        tables._table(schemas.REJECTS, [row])
    assert tables._table(schemas.REJECTS, []).equals(pa.table({n: [] for n in schemas.REJECTS.names}, schema=schemas.REJECTS))
