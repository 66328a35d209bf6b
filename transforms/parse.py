"""Header and metadata of a plain-text article: title, authors, source, date, dateline.

The layouts handled (see README "Supported inputs"):

- title first (one or several lines), then optional byline / agency / date lines;
- a `key: value` header block (`Title:`, `Date:`, `Author:`, `Source:` …);
- an inline marker line such as `  date 2022-01-18 Title text`.

What is not header is returned as body lines, each with its 1-based line number in the
decoded text, for `clean` to work on.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

from dateutil import parser as dateutil_parser

from transforms.reference import DEFAULT_REFERENCE, Reference

# Dates outside this window are not trusted as publication dates.
OLDEST_PLAUSIBLE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the decoded text
    text: str
    offset: int = 0  # character offset of the line's first character in the decoded text


@dataclass
class Header:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    published_date: dt.date | None = None
    date_source: str = "none"
    language: str | None = None
    url: str | None = None


@dataclass
class ParsedText:
    header: Header
    body: list[Line]


_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z _-]{1,20}?)\s*:\s*(?P<value>.*\S)?\s*$")
_HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "publication date": "date",
    "published date": "date",
    "dateline": "date",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "byline": "authors",
    "writer": "authors",
    "source": "source",
    "agency": "source",
    "publisher": "source",
    "language": "language",
    "lang": "language",
    "url": "url",
    "link": "url",
}
_INLINE_DATE_MARKER = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<rest>\S.*?)\s*$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*by\s*[:\-]?\s+(?P<names>\S.*?)\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.IGNORECASE)
_PIPE_BYLINE = re.compile(r"^\s*(?P<names>[^|]+?)\s*\|\s*(?P<agency>[^|]+?)\s*$")
# A date line is short and mostly a date: "February 11, 2022", "Fri, 11 Feb 2022 09:30 EST".
_DATE_HINT = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_DATE_PREFIX = re.compile(r"(?i)^(published|updated|posted|date)\s*(on)?\s*:?\s*")


def split_lines(text: str) -> list[Line]:
    """Lines of the text with their 1-based numbers and character offsets (form feeds,
    which PDF exports put between pages, end a line too)."""
    lines: list[Line] = []
    offset = 0
    for no, raw in enumerate(re.split(r"\n", text), start=1):
        lines.append(Line(no=no, text=raw.replace("\f", " ").rstrip("\r"), offset=offset))
        offset += len(raw) + 1
    return lines


def read_date(value: str) -> dt.date | None:
    """The calendar date a short string names (`February 11, 2022`, `2022-02-11T09:30Z`,
    `Friday, February 11, 2022 9:30 AM EST`), plausible or not; None when it names none.
    The string must carry a four-digit year."""
    value = " ".join(value.split()).strip(" .,;")
    if not value or len(value) > 80 or not _DATE_HINT.search(value):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil warns on unknown zone names; we keep the date only
            return dateutil_parser.parse(value, fuzzy=False, ignoretz=True).date()
    except (ValueError, OverflowError):
        return None


def parse_date(value: str, *, today: dt.date | None = None) -> dt.date | None:
    """`read_date`, kept only when plausible as a publication date."""
    date = read_date(value)
    return plausible_date(date, today=today) if date else None


def plausible_date(value: dt.date, *, today: dt.date | None = None) -> dt.date | None:
    today = today or dt.datetime.now(dt.timezone.utc).date()
    if value < OLDEST_PLAUSIBLE or value > today + dt.timedelta(days=1):
        return None
    return value


def parse_byline(value: str, reference: Reference = DEFAULT_REFERENCE) -> tuple[list[str], str | None]:
    """(authors, source) from a byline: `By Jane Doe and John Roe`, `By AFP`,
    `Jane Doe | Reuters`, `By Jane Doe, AFP`. Agencies are a source, never an author."""
    match = _BYLINE.match(value)
    names = match.group("names") if match else value
    authors: list[str] = []
    source: str | None = None
    for part in _NAME_SPLIT.split(names):
        part = part.strip(" .")
        if not part:
            continue
        agency = reference.agency(part) or reference.agency(re.sub(r"(?i)\s+(staff|news|reporters?)$", "", part))
        if agency:
            source = source or agency
        elif part.casefold() not in ("staff", "staff writer", "reporter"):
            authors.append(part)
    return authors, source


def _looks_like_byline(text: str, reference: Reference) -> bool:
    if _BYLINE.match(text):
        return True
    if reference.agency(text):
        return True
    pipe = _PIPE_BYLINE.match(text)
    return bool(pipe and reference.agency(pipe.group("agency")) and len(text) < 80)


def split_blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _join(block: list[Line]) -> str:
    return " ".join(line.text.strip() for line in block)


def _apply_key(header: Header, key: str, value: str, reference: Reference, today: dt.date | None) -> None:
    if key == "title":
        header.title = value
    elif key == "date":
        date = parse_date(value, today=today)
        if date:
            header.published_date, header.date_source = date, "header"
    elif key == "authors":
        authors, source = parse_byline(value, reference)
        header.authors.extend(authors)
        header.source = header.source or source
    elif key == "source":
        header.source = reference.agency(value) or value
    elif key == "language":
        header.language = value.lower()
    elif key == "url":
        header.url = value


def parse_plain_text(text: str, *, reference: Reference = DEFAULT_REFERENCE, today: dt.date | None = None) -> ParsedText:
    """Split a plain-text article into its header and its body lines."""
    lines = split_lines(text)
    blocks = split_blocks(lines)
    header = Header()
    if not blocks:
        return ParsedText(header, [])
    i = 0
    first = blocks[0]

    key_lines = [_KEY_VALUE.match(line.text) for line in first]
    keyed = [m for m in key_lines if m and m.group("key").strip().lower() in _HEADER_KEYS]
    marker = _INLINE_DATE_MARKER.match(first[0].text)
    if len(keyed) >= 2 or (keyed and len(first) == 1 and _HEADER_KEYS[keyed[0].group("key").strip().lower()] == "title"):
        # `Key: value` header block; lines that are not `key: value` continue the previous value.
        for m in key_lines:
            if m and m.group("key").strip().lower() in _HEADER_KEYS and m.group("value"):
                _apply_key(header, _HEADER_KEYS[m.group("key").strip().lower()], m.group("value"), reference, today)
        i = 1
    elif marker:
        date = parse_date(marker.group("date"), today=today)
        if date:
            header.published_date, header.date_source = date, "inline_marker"
        header.title = " ".join([marker.group("rest"), *(line.text.strip() for line in first[1:])])
        i = 1
    elif _is_title_block(first):
        header.title = _join(first)
        i = 1

    # Byline, agency and date lines that follow the title, in any order.
    while i < len(blocks) and i <= 4:
        block = blocks[i]
        text = _join(block)
        if len(block) > 2 or len(text) > 120:
            break
        if _looks_like_byline(text, reference):
            pipe = _PIPE_BYLINE.match(text)
            if pipe and not _BYLINE.match(text):
                authors, _ = parse_byline(pipe.group("names"), reference)
                source = reference.agency(pipe.group("agency"))
            else:
                authors, source = parse_byline(text, reference)
            header.authors.extend(authors)
            header.source = header.source or source
        elif (date := read_date(_DATE_PREFIX.sub("", text))) is not None:
            # A date line; an implausible date is consumed but not trusted.
            date = plausible_date(date, today=today)
            if date and header.published_date is None:
                header.published_date, header.date_source = date, "byline_line"
        else:
            break
        i += 1

    body = [line for block in blocks[i:] for line in block]
    # Keep blank lines inside the body: they separate paragraphs.
    if body:
        first_no, last_no = body[0].no, body[-1].no
        body = [line for line in lines if first_no <= line.no <= last_no]
    return ParsedText(header, body)


def _is_title_block(block: list[Line]) -> bool:
    """A first block of up to three short lines is the title; a long paragraph is not."""
    text = _join(block)
    return len(block) <= 3 and len(text) <= 250
