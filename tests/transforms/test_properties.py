"""Property-based tests: random bytes and text through the transforms never raise, keep
offsets inside the text, and give the same output for the same input."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.article import RawDocument, prepare_document
from transforms.sentences import split_sentences

TODAY = dt.date(2026, 11, 21)
NAMES = st.sampled_from(["a.txt", "b", "c.html", "d.json", "e.jsonl", "f.txt.gz", "g.htm"])
# Text that looks like news often enough to reach the deeper code paths.
NEWSY = st.lists(
    st.one_of(
        st.text(min_size=0, max_size=120),
        st.sampled_from(
            [
                "",
                "By AFP",
                "February 11, 2022",
                "MINSK, 28 January (BelTA) – Talks began.",
                "Related article: x",
                "\"Quote' he said.",
                "capabili-",
                "ties are self-",
                "Title: T",
                "Date: 2022-01-01",
                "  date 2022-01-18 T",
                "<p>Para</p>",
                '{"title": "t", "text": "Body."}',
                "\f",
                "1*& *1’ ‘*\\\\,",
                "U.S. and Feb. 20.",
            ]
        ),
    ),
    max_size=25,
).map("\n".join)


def _check(doc: RawDocument) -> None:
    prepared, rejects = prepare_document(doc, today=TODAY)
    assert prepared or rejects
    for p in prepared:
        assert p.body.strip()
        assert len(p.raw_offsets) == len(p.body)
        assert all(o >= 0 for o in p.raw_offsets)
        previous_end = 0
        for start, end in p.sentences:
            assert previous_end <= start < end <= len(p.body)
            assert p.body[start:end] == p.body[start:end].strip()
            previous_end = end
        assert p.header.published_date is None or dt.date(1900, 1, 1) <= p.header.published_date <= TODAY
    for r in rejects:
        assert r.reason and r.detail
    again = prepare_document(doc, today=TODAY)
    assert [(p.body, p.header, p.sentences, p.removed) for p in again[0]] == [
        (p.body, p.header, p.sentences, p.removed) for p in prepared
    ]
    assert again[1] == rejects


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=NAMES)
def test_random_bytes(data, name):
    _check(RawDocument.from_bytes(data, name))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NEWSY, name=NAMES, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]))
def test_newsy_text_in_any_encoding(text, name, encoding):
    _check(RawDocument.from_bytes(text.encode(encoding, errors="replace"), name))


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=2000))
def test_sentence_spans_are_ordered_trimmed_and_inside(text):
    spans = split_sentences(text)
    end = 0
    for s, e in spans:
        assert end <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        end = e
    # Nothing but whitespace is left out.
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


# Issue 16 item 3: quicker passes that must find what the slower ones found.
_SPACEY = st.lists(st.sampled_from(["a", "b", ".", " ", "\n", "\t", "\r", "\u00a0", "\u2028", "\n\n", " \n \n"])).map("".join)


@given(_SPACEY)
def test_paragraphs_are_what_the_regex_found(text):
    import re

    from transforms.sentences import _paragraphs

    regex = r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)"  # the rule before issue 16, a one-letter run joined to the next
    assert _paragraphs(text) == [m.span() for m in re.finditer(regex, text, re.DOTALL)]


@given(st.text(alphabet=st.sampled_from(["a", "B", " ", "\n", ".", ",", '"', "“", "”", "‘", "’", "'", "(", "—"])))
def test_quote_marks_found_by_position_as_by_every_character(text):
    from transforms import quotes

    def every_character(text, start, end):  # the loop before issue 16: every character asked
        kinds = [(i, quotes._mark_kind(text, i)) for i in range(start, end)]
        return [(i, k) for i, k in kinds if k is not None]

    marks = [(m.start(), quotes._mark_kind(text, m.start())) for m in quotes._MARK.finditer(text)]
    assert [(i, k) for i, k in marks if k is not None] == every_character(text, 0, len(text))
