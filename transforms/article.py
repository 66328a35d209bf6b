"""One raw file → article, sentence, entity and removed-line records.

Two steps, so that a batch can share one `nlp.pipe` stream:

- `prepare(doc)`: decode, parse, clean, split sentences — pure Python, per file;
- `annotate(prepared, nlp)`: NER over the whole batch, then canonical entities.

`process_documents` does both and returns Arrow tables ready to write.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pyarrow as pa
from spacy.language import Language

from transforms import formats, schemas
from transforms import sentences as sentences_module
from transforms.amounts import Amount
from transforms.casing import recase_caps
from transforms.clean import COPYRIGHT, Paragraph, RemovedLine, clean_body, copyright_year, strip_page_furniture
from transforms.dates_mentioned import DateMention
from transforms.decode import decode_bytes
from transforms.duplicates import body_fingerprint, minhash_signature
from transforms.entities import Mention
from transforms.errors import RejectError
from transforms.extraction import extract_article
from transforms.language import detect_language, normalize_language
from transforms.nlp import NER_BATCH, ner_key
from transforms.parse import (
    Header,
    Line,
    offer_source,
    parse_byline,
    parse_date,
    parse_lines,
    path_date,
    path_year,
    plausible_date,
    read_date,
    read_lead,
    split_lines,
)
from transforms.places import lookup_any_case as lookup_place_any_case
from transforms.quotes import Quote
from transforms.reference import DEFAULT_REFERENCE, Reference
from transforms.sentences import split_sentences


@dataclass(frozen=True)
class RawDocument:
    """A file's bytes and identity. `key` is stable across runs (the path relative to the
    input folder) and determines the article ids; `path` says where the file is."""

    path: str
    key: str
    data: bytes
    sha256: str = ""

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "article.txt") -> RawDocument:
        return cls(path=name, key=name, data=data, sha256=hashlib.sha256(data).hexdigest())


@dataclass
class Reject:
    source_path: str
    source_record: int | None
    source_sha256: str
    reason: str
    detail: str
    # Junk lines cleaning removed before finding nothing left; not written to any table
    # (removed_lines rows belong to articles), but kept for tests and debugging.
    removed: list[RemovedLine] = field(default_factory=list)


# The model's (start, end, label) spans over a body.
Spans = list[tuple[int, int, str]]
# (ner_key, body hashes) → {body hash: (spans, the article whose model run gave them)}:
# what an earlier batch or run already found in these bodies (flows/ner_cache.py).
KnownSpans = Callable[[str, list[str]], Mapping[str, tuple[Spans, str]]]


def body_sha256(body: str) -> str:
    """The hash under which a body's model spans are stored: of the exact clean text, as
    spans are offsets into it (`body_fingerprint` forgives case and spacing)."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Prepared:
    article_id: str
    doc: RawDocument
    record: int | None
    source_format: str
    encoding: str
    header: Header
    dateline_place: str | None
    dateline_source: str | None
    body: str
    raw_offsets: list[int]  # per body character: its offset in the decoded source text
    removed: list[RemovedLine]
    sentences: list[tuple[int, int]]
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # The model's raw (start, end, label) spans, the article whose model run produced
    # them, and the key of that model (None/"" for an article NER does not run on).
    ner_spans: Spans | None = None
    ner_from: str | None = None
    ner_key: str = ""

    @functools.cached_property
    def body_sha256(self) -> str:
        return body_sha256(self.body)


def article_id(key: str, record: int | None = None) -> str:
    return hashlib.sha256(f"{key}#{record if record is not None else ''}".encode()).hexdigest()[:16]


# `MINSK, 28 January (BelTA) –`, `WASHINGTON (AP) —`, `LONDON, March 2 (Reuters) -`,
# `KYIV, Ukraine (AP) —`, `MOSCOW. Feb 10 (Interfax) -`, `BEIJING, Jan. 5 (Xinhua) --`,
# `KYIV, Ukraine, March 2, 2022 (AP) —`: a place (in capitals, or in title case when an
# agency follows), an optional region, an optional day (with its year, rarely), an
# optional agency in brackets, then a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z.'’ -]{1,30}?))??"
    r"(?:[,.]?\s*(?P<date>\d{1,2}\.?\s+[A-Z][a-z]+\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+(?P<year>(?:19|20)\d\d))?)?"
    r"\s*(?:\((?P<source>[^()]{1,40})\))?\s*[–—-]{1,2}\s+"
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Dates that carry a year: "January 2022", "Feb. 25, 2022", "25 February 2022", "2022-02-25".
_DATED_YEAR = re.compile(
    rf"\b{_MONTHS}\s+(?:\d{{1,2}},?\s+)?((?:19|20)\d\d)\b|\b\d{{1,2}}\s+{_MONTHS}\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-\d\d-\d\d\b",
    re.IGNORECASE,
)


# `© 2023 AFP`; of a range (`© 2003-2024 BelTA`) the last year.
_INLINE_COPYRIGHT = re.compile(r"(?:\([cC]\)|©|\bCopyright\s*(?:©|\([cC]\))?)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Dateline:
    place: str  # a place name as a map knows it: `Kyiv` from `KYIV, Ukraine`
    source: str | None  # the agency in brackets
    day: str | None  # `28 January`, `Feb 10`: a day, usually without a year
    year: int | None = None  # the year, when the dateline writes one


def _dateline(para: Paragraph, reference: Reference) -> Dateline | None:
    """The dateline opening the first paragraph, which is cut from the paragraph."""
    m = _DATELINE.match(para.text)
    if not m:
        return None
    raw_place = m.group("place").strip(" .")
    source = m.group("source")
    agency = reference.agency(source) if source else None
    place = lookup_place_any_case(raw_place)
    if raw_place != raw_place.upper() and not (agency and place):
        return None  # a title-case dateline only for a known place before a known agency: `Kyiv (AFP) -`
    if not (source or m.group("date") or place):
        return None
    para.strip_prefix(m.end())
    name = place.name if place else string.capwords(raw_place.lower())
    year = int(m.group("year")) if m.group("year") else None
    return Dateline(name, agency or (source.strip() if source else None), m.group("date"), year)


def _date_from_dateline(
    dateline: Dateline, context: str, removed: list[RemovedLine], key: str, today: dt.date | None
) -> dt.date | None:
    """A dateline's day and month (`MINSK, 26 February (BelTA) –`) with its year, from the
    best evidence the file gives, in this order: the dateline itself; a date in the file's
    name or folders (the year that puts the day on or just before it); a copyright line
    (`(c) 2023 AFP`, which cleaning removed; of a range the last year); a year folder (`belta/2022/…`); the latest full
    date in the text (`January 2022`, `Feb. 25, 2022`). None when there is none: a bare
    number such as `by 2024` is no evidence of when the story was written."""
    day = (dateline.day or "").replace(".", " ")
    copyrights = [y for r in removed if r.rule == COPYRIGHT and (y := copyright_year(r.text))]
    copyrights += [int(m.group(1)) for m in _INLINE_COPYRIGHT.finditer(context)]  # `… the ministry said. © 2023 AFP`
    on_path = path_date(key, today=today)
    if dateline.year:
        years = [dateline.year]
    elif on_path:
        # A file is named when it is saved, on or after the story's day (a time zone may put
        # the dateline a day ahead): the latest such year.
        near = on_path[0]
        years = [y for y in (near.year, near.year - 1) if _days_after(day, y, near) <= 2][:1]
    elif copyrights:
        # Below a full date in the path: a site footer's copyright year is often the year
        # the page was scraped, not the story's.
        years = [max(copyrights)]
    elif year := path_year(key):
        years = [year]
    else:
        years = (
            [max(int(y) for match in _DATED_YEAR.finditer(context) for y in match.groups() if y)]
            if _DATED_YEAR.search(context)
            else []
        )
    if not years:
        return None
    date = read_date(f"{day} {years[0]}")
    return plausible_date(date, today=today) if date else None


def _days_after(day: str, year: int, near: dt.date) -> int:
    date = read_date(f"{day} {year}")
    return (date - near).days if date else 10**6


# One article's text is capped (`wirehouse run --max-article-mb`): the longest news stories
# run to some 100,000 characters, and a 60 MB "article" (a dump of repeated paragraphs
# under a valid header) held a run for over 10 minutes in cleaning, splitting and NER.
MAX_ARTICLE_CHARS = 2**20
# UTF-8 takes at most 4 bytes a character: a text file of more bytes than this times the
# cap holds more characters than the cap, and is refused before it is decoded at all.
_MAX_BYTES_PER_CHAR = 4


# An HTML page holds its article plus markup, scripts, styles and navigation: news pages
# run 5-20 times their story's text (a 100 KB story in a 1-2 MB page), so a page of more
# than 32 times the article cap in bytes cannot hold one article under the cap worth its
# extraction, and is refused on its size before trafilatura and htmldate's extensive
# search parse it (a 60 MB page under --max-file-mb 64 took them minutes).
_MAX_HTML_BYTES_PER_CHAR = 32


def page_too_large(size: int, limit: int) -> tuple[str, str]:
    """(reason, detail) of the reject for an HTML page too large to hold one article under the cap."""
    return "article_too_large", (
        f"the page's HTML of {size:,} bytes is over {_MAX_HTML_BYTES_PER_CHAR} times the {limit:,}-character "
        f"limit for one article (--max-article-mb)"
    )


def article_too_large(chars: int, limit: int, where: str = "the article's", at_least: bool = False) -> tuple[str, str]:
    """(reason, detail) of the reject for an article over the cap."""
    return "article_too_large", (
        f"{where} text of {'at least ' if at_least else ''}{chars:,} characters is over the {limit:,}-character "
        f"limit for one article (--max-article-mb)"
    )


def prepare(
    doc: RawDocument,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    today: dt.date | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> tuple[list[Prepared], list[Reject]]:
    """`prepare_document`, with a last line of defence: a file that breaks it in a way
    nobody foresaw becomes a reject (reason `internal_error`, with the error) instead of
    failing the whole batch it travels in."""
    try:
        return prepare_document(doc, reference=reference, today=today, max_article_chars=max_article_chars)
    except Exception as exc:  # noqa: BLE001 — the point is to catch what nobody foresaw
        detail = f"{type(exc).__name__}: {str(exc)[:500]}"
        return [], [Reject(doc.path, None, doc.sha256, "internal_error", detail)]


def prepare_document(  # noqa: C901
    doc: RawDocument,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    today: dt.date | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> tuple[list[Prepared], list[Reject]]:
    """Decode, parse and clean one file. Every file yields at least one article or one
    reject; a JSON Lines file yields one per record. An article whose text is longer
    than `max_article_chars` is rejected (`article_too_large`).

    The content decides before the name: gzip by its magic bytes, binary by its bytes,
    HTML and JSON by their first characters when the name has no telling extension.
    """

    def reject(reason: str, detail: str, record: int | None = None) -> tuple[list[Prepared], list[Reject]]:
        return [], [Reject(doc.path, record, doc.sha256, reason, detail)]

    if not doc.data:
        return reject("empty", "file is empty (0 bytes)")
    try:
        unwrapped = formats.unwrap(doc.data, PurePosixPath(doc.key).name)
        if len(unwrapped.data) > _MAX_BYTES_PER_CHAR * max_article_chars:
            # Decoding and repairing a 60 MB text file costs seconds before its length is
            # known: a look at its start says whether it is one article (text) or not.
            head = decode_bytes(unwrapped.data[:65536]).text
            kind = formats.sniff_format(head, unwrapped.name)
            if kind == "text":
                return reject(
                    *article_too_large(len(unwrapped.data) // _MAX_BYTES_PER_CHAR, max_article_chars, "the file's", at_least=True)
                )
            if kind == "html" and len(unwrapped.data) > _MAX_HTML_BYTES_PER_CHAR * max_article_chars:
                return reject(*page_too_large(len(unwrapped.data), max_article_chars))
        decoded = decode_bytes(unwrapped.data, declared=formats.declared_charset(unwrapped.data))
    except RejectError as exc:
        return reject(exc.reason, exc.detail)
    if not decoded.text.strip():
        return reject("empty", "file holds only whitespace")
    kind = formats.sniff_format(decoded.text, unwrapped.name)
    if kind is None:
        suffix = PurePosixPath(unwrapped.name.lower()).suffix
        return reject("unsupported_format", f"files ending {suffix!r} are not a supported input format")
    source_format = kind + ("+gzip" if unwrapped.compressed else "")
    args = (doc, source_format, decoded.encoding, reference, today, max_article_chars)
    if kind == "text":
        if len(decoded.text) > max_article_chars:
            return reject(*article_too_large(len(decoded.text), max_article_chars, "the file's"))
        return _prepare_text(decoded.text, *args)
    if kind == "html":
        if len(unwrapped.data) > _MAX_HTML_BYTES_PER_CHAR * max_article_chars:
            return reject(*page_too_large(len(unwrapped.data), max_article_chars))
        return _prepare_html(decoded.text, *args)
    return _prepare_json(decoded.text, kind, *args)


def _prepare_text(
    text: str,
    doc: RawDocument,
    source_format: str,
    encoding: str,
    reference: Reference,
    today: dt.date | None,
    max_article_chars: int,
) -> tuple[list[Prepared], list[Reject]]:
    lines, furniture = strip_page_furniture(split_lines(text))
    parsed = parse_lines(lines, reference=reference, today=today, language=_language_of(text))
    return _finish(doc, None, source_format, encoding, parsed.header, parsed.body, furniture, text, reference, today)


def _language_of(text: str):
    """The language of `text`, detected when first asked: the header parser needs it only
    for a date English cannot read, and the body's language is detected once in `_finish`
    (detecting both for every article cost 5.6% of a batch: bench/profile_batch.py)."""
    return functools.cache(lambda: detect_language(text))


def _metadata_header(
    title, language, url, author_fields, outlet, date_text, date_source: str, reference: Reference, today
) -> Header:
    """The header of an article whose metadata came as fields (HTML meta tags, JSON keys):
    bylines split into authors and agencies, agency before outlet as the source, and the
    date kept only when plausible."""
    header = Header(title=title, language=normalize_language(language), url=url)
    for author in author_fields:
        authors, agency = parse_byline(author, reference)
        header.authors.extend(a for a in authors if a not in header.authors)
        offer_source(header, agency, reference)
    offer_source(header, outlet, reference)
    date = parse_date(date_text, today=today) if date_text else None
    if date:
        header.published_date, header.date_source = date, date_source
    return header


def _prepare_html(
    html: str,
    doc: RawDocument,
    source_format: str,
    encoding: str,
    reference: Reference,
    today: dt.date | None,
    max_article_chars: int,
) -> tuple[list[Prepared], list[Reject]]:
    page = formats.extract_html(html, today=today)
    if len(page.text) > max_article_chars:
        reason, detail = article_too_large(len(page.text), max_article_chars, "the page's")
        return [], [Reject(doc.path, None, doc.sha256, reason, detail)]
    header = _metadata_header(
        page.title, page.language, page.url, page.authors, page.sitename, page.date, "html_meta", reference, today
    )
    # One Line per extracted paragraph, numbered by its line in the HTML source and with
    # offsets into the extracted text (`page.text`), blank lines between paragraphs.
    lines: list[Line] = []
    offset = 0
    for para, line_no in zip(page.text.split("\n\n"), page.line_nos, strict=False):
        if lines:
            lines.append(Line(no=line_no, text="", offset=offset - 1))
        lines.append(Line(no=line_no, text=para, offset=offset))
        offset += len(para) + 2
    start = 0
    # The headline and byline often open the extracted text: they are header, not body.
    while start < len(lines) and (not lines[start].text or _same_text(lines[start].text, page.title or "")):
        start += 1
    start = read_lead(lines, start, header, reference=reference, today=today, language=_language_of(page.text))
    return _finish(doc, None, source_format, encoding, header, lines[start:], page.removed, page.text, reference, today)


def _prepare_json(
    text: str,
    kind: str,
    doc: RawDocument,
    source_format: str,
    encoding: str,
    reference: Reference,
    today: dt.date | None,
    max_article_chars: int,
) -> tuple[list[Prepared], list[Reject]]:
    records, bad = formats.json_records(text, kind)
    return prepare_records(
        doc,
        [*((b, encoding) for b in bad), *((r, encoding) for r in records)],
        kind,
        source_format,
        reference=reference,
        today=today,
        max_article_chars=max_article_chars,
    )


def prepare_records(
    doc: RawDocument,
    records: list[tuple[formats.JsonRecord | formats.BadRecord, str]],
    kind: str,
    source_format: str,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    today: dt.date | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> tuple[list[Prepared], list[Reject]]:
    """Articles and rejects of the records of a JSON or JSON Lines file (`kind`), each
    with the encoding it was read in: all of a small file, or one slice of a big one read
    record by record (`doc` then names the file and its hash, without its bytes)."""
    prepared: list[Prepared] = []
    rejects = [Reject(doc.path, b.record, doc.sha256, b.reason, b.detail) for b, _ in records if isinstance(b, formats.BadRecord)]
    for rec, encoding in records:
        if isinstance(rec, formats.BadRecord):
            continue
        header = _metadata_header(
            rec.title, rec.language, rec.url, rec.authors, rec.source, rec.date, "json_field", reference, today
        )
        where = "the record" if rec.record is None else f"{'line' if kind == 'jsonl' else 'item'} {rec.record}"
        if not rec.text.strip():
            rejects.append(Reject(doc.path, rec.record, doc.sha256, "no_text", f"{where} has no article text"))
            continue
        if len(rec.text) > max_article_chars:
            reason, detail = article_too_large(len(rec.text), max_article_chars, f"{where}'s")
            rejects.append(Reject(doc.path, rec.record, doc.sha256, reason, detail))
            continue
        # Offsets of a record's sentences point into its text field (JSON escapes decoded).
        context = f"{rec.title or ''}\n{rec.text}"
        ok, no = _finish(doc, rec.record, source_format, encoding, header, split_lines(rec.text), [], context, reference, today)
        prepared.extend(ok)
        rejects.extend(no)
    rejects.sort(key=lambda r: -1 if r.source_record is None else r.source_record)
    return prepared, rejects


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _finish(  # noqa: C901
    doc: RawDocument,
    record: int | None,
    source_format: str,
    encoding: str,
    header: Header,
    body_lines: list[Line],
    removed_before: list[RemovedLine],
    context: str,
    reference: Reference,
    today: dt.date | None,
) -> tuple[list[Prepared], list[Reject]]:
    """Clean the body lines, cut the dateline, detect the language: the shared second half
    of every format."""
    cleaned = clean_body(body_lines)
    removed = sorted([*removed_before, *cleaned.removed], key=lambda r: r.line_no)
    paragraphs = [p for p in cleaned.paragraphs if p.text.strip()]
    dateline = _dateline(paragraphs[0], reference) if paragraphs else None
    if dateline:
        offer_source(header, dateline.source, reference)
        if dateline.day and header.published_date is None:
            date = _date_from_dateline(dateline, context, removed, doc.key, today)
            if date:
                header.published_date, header.date_source = date, "dateline"
    if header.published_date is None and (on_path := path_date(doc.key, today=today)):
        # No date in the text: the one in the file's name or folders (`file_name`, `file_path`).
        header.published_date, header.date_source = on_path
    body = ""
    offsets: list[int] = []
    for para in paragraphs:
        if not para.text.strip():
            continue  # the dateline was all there was
        if body:
            body += "\n\n"
            offsets.extend([offsets[-1] + 1] * 2)
        body += para.text
        offsets.extend(para.offsets)
    if not body.strip():
        if cleaned.removed:
            detail = f"no article text left after cleaning ({len(cleaned.removed)} junk lines removed)"
        elif source_format.startswith("html"):
            detail = "no article text found in the page"
        else:
            detail = "no article text (only a title or header)" if header.title else "file holds no text"
        return [], [Reject(doc.path, record, doc.sha256, "no_text", detail, removed)]
    header.language = detect_language(body) or header.language
    prepared = Prepared(
        article_id=article_id(doc.key, record),
        doc=doc,
        record=record,
        source_format=source_format,
        encoding=encoding,
        header=header,
        dateline_place=dateline.place if dateline else None,
        dateline_source=dateline.source if dateline else None,
        body=body,
        raw_offsets=offsets,
        removed=removed,
        sentences=split_sentences(body),
    )
    return [prepared], []


# NER sees at most this many characters at once: spaCy's memory grows with the length of
# a text (and refuses texts over nlp.max_length), while a news article is far shorter.
NER_CHUNK_CHARS = 20_000


def ner_chunks(body: str, sentences: list[tuple[int, int]], limit: int = NER_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans of `body` of at most `limit` characters that end on sentence
    boundaries where possible (a sentence longer than `limit` is cut)."""
    chunks: list[tuple[int, int]] = []
    start = end = 0
    for s_start, s_end in sentences:
        if s_end - start > limit and end > start:
            chunks.append((start, end))
            start = s_start
        while s_end - start > limit:  # one huge sentence (a 500,000-character line)
            chunks.append((start, start + limit))
            start += limit
        end = s_end
    if end > start:
        chunks.append((start, end))
    return chunks


def annotate_key(nlp: Language, reference: Reference = DEFAULT_REFERENCE) -> str:
    """The `ner_key` of the spans `annotate` stores: the model's, and the code making its
    input (recasing, chunks cut on sentence boundaries, this module's `annotate`)."""
    return ner_key(nlp, reference, code=(ner_chunks, annotate, sentences_module))


def annotate(  # noqa: C901
    prepared: list[Prepared],
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    batch_size: int = NER_BATCH,
    known: KnownSpans | None = None,
) -> list[Reject]:
    """Run NER over the bodies of a batch in one stream and attach canonical mentions.
    The model is English: an article detected as another language gets no mentions
    (an undetected one is treated as English).

    An exact duplicate (the same clean text in two files) goes through the model once:
    within the batch, and, given `known`, across batches and runs, by reusing the spans
    stored for its body. Mentions, dates, amounts and quotes are still derived per copy,
    so that relative dates resolve against each copy's own date.

    An article whose extraction fails in a way nobody foresaw is taken out of `prepared`
    and returned as an `internal_error` reject (as `prepare` does); the rest go on."""
    english = [p for p in prepared if p.header.language in (None, "en")]
    if not english:
        return []
    key = annotate_key(nlp, reference)
    first_with_body: dict[str, Prepared] = {}
    copies: list[tuple[Prepared, Prepared]] = []
    unique = []
    for item in english:
        item.ner_key = key
        if (original := first_with_body.setdefault(item.body, item)) is item:
            unique.append(item)
        else:
            copies.append((item, original))
    stored = known(key, sorted({item.body_sha256 for item in unique})) if known else {}
    to_run = []
    for item in unique:
        if item.body_sha256 in stored:
            spans, item.ner_from = stored[item.body_sha256]
            item.ner_spans = list(spans)
        else:
            to_run.append(item)
            item.ner_spans, item.ner_from = [], item.article_id
    chunks = [(item, start, end) for item in to_run for start, end in ner_chunks(item.body, item.sentences)]
    # ALL-CAPS runs (headlines pasted into the body) get ordinary case, offsets unchanged.
    texts = (recase_caps(item.body[start:end], reference.acronyms) for item, start, end in chunks)
    for (item, start, _), spacy_doc in zip(chunks, nlp.pipe(texts, batch_size=batch_size), strict=False):
        assert item.ner_spans is not None  # set to [] above for every item in to_run
        item.ner_spans.extend((start + e.start_char, start + e.end_char, e.label_) for e in spacy_doc.ents)
    failed: dict[int, Reject] = {}  # id(item) → its internal_error reject
    for item in unique:
        _extract(item, reference, failed)
    for item, original in copies:
        item.ner_spans, item.ner_from = original.ner_spans, original.ner_from
        if item.header.published_date == original.header.published_date and id(original) not in failed:
            item.mentions, item.dates = list(original.mentions), list(original.dates)
            item.amounts, item.quotes = list(original.amounts), list(original.quotes)
        else:  # relative dates resolve against each copy's own date
            _extract(item, reference, failed)
    if failed:
        prepared[:] = [p for p in prepared if id(p) not in failed]
    return list(failed.values())


def _extract(item: Prepared, reference: Reference, failed: dict[int, Reject]) -> None:
    """`extract_article` for one article, with the same last line of defence as `prepare`:
    an article that breaks it in a way nobody foresaw becomes an `internal_error` reject
    (in `failed`) instead of failing the whole batch."""
    try:
        found = extract_article(item.body, item.ner_spans or [], item.sentences, item.header.published_date, reference)
    except Exception as exc:  # noqa: BLE001 — the point is to catch what nobody foresaw
        detail = f"{type(exc).__name__}: {str(exc)[:500]}"
        failed[id(item)] = Reject(item.doc.path, item.record, item.doc.sha256, "internal_error", detail)
        return
    item.mentions, item.dates, item.amounts, item.quotes = found.mentions, found.dates, found.amounts, found.quotes


def to_tables(prepared: list[Prepared], rejects: list[Reject], *, run_id: str, ingested_at: dt.datetime) -> dict[str, pa.Table]:  # noqa: C901
    """Arrow tables (schemas from transforms.schemas) for a batch."""
    articles: dict[str, list] = {f.name: [] for f in schemas.ARTICLES}
    sentences: dict[str, list] = {f.name: [] for f in schemas.SENTENCES}
    entities: dict[str, list] = {f.name: [] for f in schemas.ENTITIES}
    removed: dict[str, list] = {f.name: [] for f in schemas.REMOVED_LINES}
    spans: dict[str, list] = {f.name: [] for f in schemas.NER_SPANS}
    extracted: dict[str, dict[str, list]] = {
        name: {f.name: [] for f in schemas.TABLES[name]} for name in ("dates_mentioned", "amounts", "quotes")
    }
    for p in prepared:
        h = p.header
        row = {
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
        for name, value in row.items():
            articles[name].append(value)
        for idx, (start, end) in enumerate(p.sentences):
            sentences["article_id"].append(p.article_id)
            sentences["sentence_idx"].append(idx)
            sentences["text"].append(p.body[start:end])
            sentences["char_start"].append(start)
            sentences["char_end"].append(end)
            sentences["raw_char_start"].append(p.raw_offsets[start])
            sentences["raw_char_end"].append(p.raw_offsets[end - 1] + 1)
        for m in p.mentions:
            for name in schemas.ENTITIES.names:
                entities[name].append(p.article_id if name == "article_id" else getattr(m, name))
        starts = [start for start, _ in p.sentences]
        for name, records in (("dates_mentioned", p.dates), ("amounts", p.amounts), ("quotes", p.quotes)):
            columns = extracted[name]
            for record in records:
                columns["article_id"].append(p.article_id)
                columns["sentence_idx"].append(max(0, bisect.bisect_right(starts, record.char_start) - 1))
                for column in schemas.TABLES[name].names[2:]:
                    columns[column].append(getattr(record, column))
        if p.ner_spans is not None:
            spans["article_id"].append(p.article_id)
            spans["body_sha256"].append(p.body_sha256)
            spans["ner_key"].append(p.ner_key)
            spans["spans"].append([{"char_start": s, "char_end": e, "label": label} for s, e, label in p.ner_spans])
            spans["ner_from"].append(p.ner_from)
        for r in p.removed:
            removed["article_id"].append(p.article_id)
            removed["line_no"].append(r.line_no)
            removed["text"].append(r.text)
            removed["rule"].append(r.rule)
    reject_cols: dict[str, list] = {f.name: [] for f in schemas.REJECTS}
    for reject in rejects:
        for name in schemas.REJECTS.names:
            reject_cols[name].append(run_id if name == "run_id" else getattr(reject, name))
    return {
        "articles": pa.table(articles, schema=schemas.ARTICLES),
        "sentences": pa.table(sentences, schema=schemas.SENTENCES),
        "entities": pa.table(entities, schema=schemas.ENTITIES),
        "removed_lines": pa.table(removed, schema=schemas.REMOVED_LINES),
        "ner_spans": pa.table(spans, schema=schemas.NER_SPANS),
        "rejects": pa.table(reject_cols, schema=schemas.REJECTS),
        **{name: pa.table(columns, schema=schemas.TABLES[name]) for name, columns in extracted.items()},
    }


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
    rejects += annotate(prepared, nlp, reference=reference, known=known)
    return to_tables(prepared, rejects, run_id=run_id, ingested_at=ingested_at or dt.datetime.now(dt.UTC))


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
    rejects += annotate(prepared, nlp, reference=reference, known=known)
    return to_tables(prepared, rejects, run_id=run_id, ingested_at=ingested_at or dt.datetime.now(dt.UTC))
