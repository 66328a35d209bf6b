"""The fixture corpus (tests/fixtures/) through `prepare()`: every file, every field.

Each expected entry is compared whole with what the pipeline produced (see
fixture_corpus.actual_fields for how `removed` and `contains` are checked).
`bench/fixture_accuracy.py` prints the same comparison as per-field accuracy.
"""

from __future__ import annotations

import functools

import pytest

from tests.transforms.fixture_corpus import (
    FIELDS,
    RAW,
    accuracy,
    actual_fields,
    compare,
    expected,
    field_applies,
    fixture_paths,
    run_corpus,
)
from transforms.article import Prepared, Reject

EXPECTED = expected()


@functools.lru_cache(maxsize=1)
def _results() -> dict[str, Prepared | Reject]:
    return run_corpus()


def _compared(key: str) -> tuple[dict, dict]:
    """Only the fields that count for this entry (article fields mean nothing for a reject)."""
    want = EXPECTED[key]
    got = actual_fields(_results().get(key), want)
    names = [name for name in FIELDS if field_applies(name, want)]
    return {name: got[name] for name in names}, {name: want[name] for name in names}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_fixture(key):
    got, want = _compared(key)
    assert got == want


def test_every_file_has_expectations_and_every_output_is_expected():
    files = {p.relative_to(RAW).as_posix() for p in fixture_paths()}
    assert {key.split("#")[0] for key in EXPECTED} == files
    assert sorted(_results()) == sorted(EXPECTED)


def test_every_field_is_right_on_the_whole_corpus():
    table = accuracy(compare(_results()))
    assert {name: ok for name, (ok, _) in table.items()} == {name: n for name, (_, n) in table.items()}


@pytest.mark.parametrize("key", [k for k in sorted(EXPECTED) if EXPECTED[k]["reject"] is None])
def test_sentences_trace_back_to_their_source_text(key):
    """Each sentence's raw span holds the same words as the sentence, give or take the
    joins cleaning made (hyphens, wraps, repaired quotes, dropped junk lines)."""
    item = _results()[key]
    assert isinstance(item, Prepared)
    source = _source_text(item)
    for start, end in item.sentences:
        raw = source[item.raw_offsets[start] : item.raw_offsets[end - 1] + 1]
        sentence = item.body[start:end]
        assert _words(sentence)[:3] == _words(raw)[:3]
        assert _words(sentence)[-1:] == _words(raw)[-1:]


def _source_text(item: Prepared) -> str:
    """What raw offsets point into: the decoded file (text), the extracted text (HTML),
    the record's text field (JSON)."""
    from transforms import formats
    from transforms.decode import decode_bytes

    unwrapped = formats.unwrap(item.doc.data, item.doc.key)
    text = decode_bytes(unwrapped.data).text
    kind = item.source_format.split("+")[0]
    if kind == "html":
        return formats.extract_html(text).text
    if kind in ("json", "jsonl"):
        records, _ = formats.json_records(text, kind)
        (record,) = [r for r in records if r.record == item.record]
        return record.text
    return text


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\W_]+", re.sub(r"-\s*", "", text))  # capabili-\nties = capabilities
