"""Format dispatch in `prepare()`: gzip, HTML, JSON, JSON Lines, and the reject reasons."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from transforms.article import RawDocument, prepare
from transforms.formats import html_to_text, json_records, sniff_format

TODAY = dt.date(2026, 1, 1)
BODY = "The council approved the plan on Monday after a long debate about its cost to residents."


def _prepare(data: bytes, name: str):
    return prepare(RawDocument.from_bytes(data, name), today=TODAY)


def _summary(data: bytes, name: str):
    """(articles as (record, format, title, first body words), rejects as (record, reason))."""
    ok, bad = _prepare(data, name)
    return (
        [(p.record, p.source_format, p.header.title, p.body[:20]) for p in ok],
        [(r.source_record, r.reason) for r in bad],
    )


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n\t\r\n ", "a.txt", "empty"),
        (gzip.compress(b"", mtime=0), "a.txt.gz", "empty"),
        (b"plain words, not gzip", "a.txt.gz", "bad_compression"),
        (gzip.compress(BODY.encode(), mtime=0)[:-12], "a.txt.gz", "bad_compression"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32), "photo.png", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32), "photo.txt", "binary"),
        (b"a,b\n1,2\n", "table.csv", "unsupported_format"),
        (b"Headline only\n", "a.txt", "no_text"),
        (b"<html><head><title>T</title></head><body><script>var a = 1;</script></body></html>", "a.html", "no_text"),
        (b'{"title": "x", "text": "  "}', "a.json", "no_text"),
        (b'{"title": "x", "text": ', "a.json", "invalid_json"),
        # a JSON list with no records: a reject, not nothing (found by test_random_bytes)
        (b"[]", "a.json", "no_text"),
        (b" [ ]\n", "a.txt", "no_text"),
    ],
)
def test_reject_reasons(data, name, reason):
    ok, bad = _prepare(data, name)
    assert (ok, [r.reason for r in bad]) == ([], [reason])


def test_content_decides_before_the_name():
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body><article><h1>Plan approved</h1><p>{BODY}</p></article></body></html>"
    assert _summary(html.encode(), "snapshot")[0] == [(None, "html", "Plan approved", BODY[:20])]
    # gzip by its magic bytes, even without .gz in the name
    assert _summary(gzip.compress(f"Plan approved\n\n{BODY}\n".encode()), "story.txt")[0] == [
        (None, "text+gzip", "Plan approved", BODY[:20])
    ]
    assert _summary(f"<html><body><p>{BODY}</p></body></html>".encode(), "page.php")[0][0][1] == "html"


def test_jsonl_bad_records_are_rejected_alone_with_their_line_number():
    lines = [
        json.dumps({"title": "One", "text": BODY}),
        '{"title": "Two", "text": "cut off',
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "Five", "body": BODY, "author": "AFP"}),
        json.dumps({"title": "Six", "content": ""}),
    ]
    assert _summary("\n".join(lines).encode(), "feed.jsonl") == (
        [(1, "jsonl", "One", BODY[:20]), (5, "jsonl", "Five", BODY[:20])],
        [(2, "invalid_json"), (4, "invalid_json"), (6, "no_text")],
    )


def test_json_list_records_are_numbered_by_index_and_wrappers_are_opened():
    items = [{"headline": "Zero", "articleBody": BODY}, "junk", {"title": "Two", "text": BODY}]
    expected = ([(0, "json", "Zero", BODY[:20]), (2, "json", "Two", BODY[:20])], [(1, "invalid_json")])
    assert _summary(json.dumps(items).encode(), "list.json") == expected
    assert _summary(json.dumps({"articles": items}).encode(), "feed.json") == expected


def test_json_fields_in_their_common_shapes():
    record = {
        "Title": "Plan approved",
        "content": f"<p>{BODY}</p><p>Second <b>paragraph</b>.</p>",
        "publishedAt": 1644570000,  # Unix time: 2022-02-11
        "author": [{"name": "Jane Doe"}, {"name": "Reuters"}],
        "publisher": {"name": "The Daily Ledger"},
        "link": "https://example.com/a",
    }
    ((article,), rejects) = _prepare(json.dumps(record).encode(), "one.json")
    h = article.header
    assert (rejects, h.title, h.authors, h.source, h.published_date, h.date_source, h.url, article.body) == (
        [],
        "Plan approved",
        ["Jane Doe"],
        "Reuters",
        dt.date(2022, 2, 11),
        "json_field",
        "https://example.com/a",
        f"{BODY}\n\nSecond paragraph.",
    )


def test_html_page_metadata_body_and_removed_text():
    html = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta property="og:title" content="Plan approved">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-02-11T09:30:00Z">
<script>var tracking = 1;</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Plan approved</h1>
<p>MINSK, Feb 10 (BelTA) &ndash; The council approved the plan on Monday after a long debate about its cost.</p>
<p>Residents said the new &ldquo;market hall&rdquo; would bring visitors back to the town centre in the evenings.</p>
</article>
<footer>All rights reserved.</footer>
</body>
</html>
"""
    ((article,), rejects) = _prepare(html.encode(), "page.html")
    h = article.header
    assert (rejects, h.title, h.authors, h.source, h.published_date, h.date_source, h.language) == (
        [],
        "Plan approved",
        ["Jane Doe"],
        "BelTA",  # the agency of the dateline beats the site's name
        dt.date(2022, 2, 11),
        "html_meta",
        "en",
    )
    assert (article.dateline_place, article.dateline_source) == ("Minsk", "BelTA")
    assert article.body.startswith("The council approved the plan on Monday")
    assert "“market hall”" in article.body
    # Removed lines are numbered by their line in the HTML source.
    assert [(r.line_no, r.text, r.rule) for r in article.removed] == [
        (8, "var tracking = 1;", "html_code"),
        (11, "Home News", "html_boilerplate"),
        (17, "All rights reserved.", "boilerplate"),
    ]


def test_html_declared_charset_is_used_when_the_bytes_are_not_utf8():
    html = f'<html><head><meta charset="windows-1251"></head><body><p>Минск — {BODY}</p></body></html>'
    ((article,), _) = _prepare(html.encode("cp1251"), "ru.html")
    assert (article.encoding, article.body[:7]) == ("cp1251", "Минск —")


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("<!doctype html><html></html>", "x", "html"),
        ("  <?xml version='1.0'?>\n<html><body></body></html>", "x.txt", "html"),
        ('{"title": "a"}', "x", "json"),
        ('{"title": "a"}\n{"title": "b"}\n', "x", "jsonl"),
        ('{"title": "a"}\n{"title": "b"}\n', "x.json", "jsonl"),
        ("[1, 2]", "x.json", "json"),
        ("Just text", "WIRE_0412", "text"),
        ("Just text", "report.2022", "text"),
        ("Just text", "x.md", None),
    ],
)
def test_sniff_format(text, name, kind):
    assert sniff_format(text, name) == kind


def test_json_records_reports_where_each_bad_record_is():
    records, bad = json_records('{"text": "a"}\n{oops}\n', "jsonl")
    assert ([r.record for r in records], [(b.record, b.reason, b.detail[:7]) for b in bad]) == (
        [1],
        [(2, "invalid_json", "line 2:")],
    )


def test_html_to_text_keeps_paragraphs():
    assert html_to_text("<p>One <i>two</i>.</p><p>Three<br>four</p>") == "One two.\n\nThree\n\nfour"


def test_long_scripts_are_kept_short_in_removed_lines():
    from transforms.formats import extract_html

    script = "\n".join(f"var a{i} = {i};" for i in range(30))
    page = extract_html(f"<html><head><script>\n{script}\n</script></head><body><p>{BODY}</p></body></html>")
    code = [(r.line_no, r.text) for r in page.removed if r.rule == "html_code"]
    assert (len(code), code[0], code[-1]) == (21, (2, "var a0 = 0;"), (22, "… 10 more lines"))


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        ('{"title": "a", "text": "b"}\n{"title": "c", "text": "d"}\n', "feed.jsonl", "jsonl"),
        ('{"title": "a", "text": "b"}\n{"title": "c", "text": "d"}\n', "feed.txt", "jsonl"),
        ('[{"title": "a", "text": "b"},\n {"title": "c"', "list.json", "json"),
        ('{"articles": [{"title": "a", "text": "b"}', "feed", "json"),
        ("anything at all", "feed.ndjson", "jsonl"),
        ("Headline\n\nBody text.", "story.txt", None),
        ("<html><body><p>x</p></body></html>", "page.html", None),
        ('{"title": "a"}', "notes.csv", None),
    ],
)
def test_container_kind_from_the_start_of_a_file(head, name, kind):
    from transforms.formats import container_kind

    assert container_kind(head, name) == kind
