"""One raw file → its articles, prepared for NER, or its rejects.

`prepare(doc)` decodes the file, tells its format (text, HTML, JSON, JSON Lines, gzipped
or not), reads the header or metadata, cleans the body (keeping every removed line and
why), cuts the dateline and splits sentences: pure Python, per file. An article whose
text is too long, or that holds none, is a reject with its reason.

What NER then adds to a batch of prepared articles is `transforms.annotation.annotate`;
transforms/batch.py runs the steps in order.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from transforms import formats
from transforms.amounts import Amount
from transforms.clean import COPYRIGHT, Paragraph, RemovedLine, clean_body, copyright_year, strip_page_furniture
from transforms.dates_mentioned import DateMention
from transforms.decode import decode_bytes
from transforms.entities import Mention
from transforms.errors import RejectError
from transforms.language import detect_language, normalize_language
from transforms.ner_reuse import Spans, body_sha256
from transforms.parse import (
    Dateline,
    Header,
    Line,
    dateline_date,
    offer_source,
    parse_byline,
    parse_date,
    parse_lines,
    path_date,
    read_dateline,
    read_lead,
    split_lines,
)
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
    # What `transforms.annotation.annotate` finds (in a new Prepared; this one stays as it is).
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # The model's raw (start, end, label) spans, the article whose model run produced
    # them, and the key of that model (None/"" for an article NER does not run on).
    ner_spans: Spans | None = None
    ner_from: str | None = None
    ner_key: str = ""
    # The paragraphs whose model run this article is: (hash of the model's input, spans
    # within it), stored in `ner_units` for later batches and runs (transforms/ner_reuse.py).
    ner_units: list[tuple[str, Spans]] = field(default_factory=list)

    @functools.cached_property
    def body_sha256(self) -> str:
        return body_sha256(self.body)


def article_id(key: str, record: int | None = None) -> str:
    return hashlib.sha256(f"{key}#{record if record is not None else ''}".encode()).hexdigest()[:16]


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


# A record of a file of records (a JSON Lines line) may carry its page's HTML, as dumps
# often do: a record of more bytes than a page may have (above) is refused unread, so that
# one line of hundreds of megabytes is never held whole.
MAX_RECORD_BYTES_PER_CHAR = _MAX_HTML_BYTES_PER_CHAR


def record_too_large(where: str, size: int, limit: int) -> tuple[str, str]:
    """(reason, detail) of the reject for a record too large to be read (`size` bytes, at least)."""
    return "article_too_large", (
        f"{where} of {size:,} bytes is over {MAX_RECORD_BYTES_PER_CHAR} times the {limit:,}-character "
        f"limit for one article (--max-article-mb): not read"
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


def prepare_document(
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
        if too_large := _too_large_to_decode(unwrapped, max_article_chars):
            return reject(*too_large)
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
    if too_large := _too_large_decoded(kind, decoded.text, len(unwrapped.data), max_article_chars):
        return reject(*too_large)
    if kind == "text":
        return _prepare_text(decoded.text, *args)
    if kind == "html":
        return _prepare_html(decoded.text, *args)
    return _prepare_json(decoded.text, kind, *args)


def _too_large_to_decode(unwrapped: formats.Unwrapped, max_article_chars: int) -> tuple[str, str] | None:
    """(reason, detail) of the reject for a file too large to hold one article under the
    cap, judged before it is decoded: decoding and repairing a 60 MB text file costs
    seconds before its length is known, while a look at its start says whether it is one
    article (text, HTML) or not."""
    size = len(unwrapped.data)
    if size <= _MAX_BYTES_PER_CHAR * max_article_chars:
        return None
    kind = formats.sniff_format(decode_bytes(unwrapped.data[:65536]).text, unwrapped.name)
    if kind == "text":
        return article_too_large(size // _MAX_BYTES_PER_CHAR, max_article_chars, "the file's", at_least=True)
    if kind == "html" and size > _MAX_HTML_BYTES_PER_CHAR * max_article_chars:
        return page_too_large(size, max_article_chars)
    return None


def _too_large_decoded(kind: str, text: str, size: int, max_article_chars: int) -> tuple[str, str] | None:
    """(reason, detail) of the reject for a text file over the cap, or an HTML page too
    large to hold one article under it (`size`: the page's bytes)."""
    if kind == "text" and len(text) > max_article_chars:
        return article_too_large(len(text), max_article_chars, "the file's")
    if kind == "html" and size > _MAX_HTML_BYTES_PER_CHAR * max_article_chars:
        return page_too_large(size, max_article_chars)
    return None


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
    if not records and not bad:  # `[]`, or a JSON Lines file of blank lines: nothing is lost silently
        return [], [Reject(doc.path, None, doc.sha256, "no_text", "the JSON holds no records")]
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


def _cut_dateline(
    paragraphs: list[Paragraph],
    header: Header,
    context: str,
    removed: list[RemovedLine],
    key: str,
    reference: Reference,
    today: dt.date | None,
) -> Dateline | None:
    """The dateline opening the first paragraph, cut from it; its agency offered as the
    header's source, and its day, with a year, as the date when the header has none."""
    found = read_dateline(paragraphs[0].text, reference) if paragraphs else None
    if found is None:
        return None
    dateline, length = found
    paragraphs[0].strip_prefix(length)
    offer_source(header, dateline.source, reference)
    if dateline.day and header.published_date is None:
        copyright_years = [y for r in removed if r.rule == COPYRIGHT and (y := copyright_year(r.text))]
        if date := dateline_date(dateline, context, copyright_years, key, today):
            header.published_date, header.date_source = date, "dateline"
    return dateline


def _joined(paragraphs: list[Paragraph]) -> tuple[str, list[int]]:
    """The body (paragraphs separated by a blank line) and, per character, its offset in
    the decoded source (a separator takes the offset after its paragraph's end)."""
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
    return body, offsets


def _no_text(removed: list[RemovedLine], source_format: str, header: Header) -> str:
    """The detail of a `no_text` reject: why nothing is left."""
    if removed:
        return f"no article text left after cleaning ({len(removed)} junk lines removed)"
    if source_format.startswith("html"):
        return "no article text found in the page"
    return "no article text (only a title or header)" if header.title else "file holds no text"


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _finish(
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
    dateline = _cut_dateline(paragraphs, header, context, removed, doc.key, reference, today)
    if header.published_date is None and (on_path := path_date(doc.key, today=today)):
        # No date in the text: the one in the file's name or folders (`file_name`, `file_path`).
        header.published_date, header.date_source = on_path
    body, offsets = _joined(paragraphs)
    if not body.strip():
        return [], [Reject(doc.path, record, doc.sha256, "no_text", _no_text(cleaned.removed, source_format, header), removed)]
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
