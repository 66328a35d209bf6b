"""One raw file → article, sentence, entity and removed-line records.

Two steps, so that a batch can share one `nlp.pipe` stream:

- `prepare(doc)`: decode, parse, clean, split sentences — pure Python, per file;
- `annotate(prepared, nlp)`: NER over the whole batch, then canonical entities.

`process_documents` does both and returns Arrow tables ready to write.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pyarrow as pa
from spacy.language import Language

from transforms import schemas
from transforms.clean import Paragraph, RemovedLine, clean_body
from transforms.decode import DecodeError, decode_bytes
from transforms.entities import Mention, canonicalize
from transforms.parse import Header, parse_plain_text, plausible_date
from transforms.places import lookup as lookup_place
from transforms.reference import DEFAULT_REFERENCE, Reference
from transforms.sentences import split_sentences

PLAIN_TEXT_SUFFIXES = {"", ".txt", ".text"}
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class RawDocument:
    """A file's bytes and identity. `key` is stable across runs (the path relative to the
    input folder) and determines the article ids; `path` says where the file is."""

    path: str
    key: str
    data: bytes
    sha256: str = ""

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "article.txt") -> "RawDocument":
        return cls(path=name, key=name, data=data, sha256=hashlib.sha256(data).hexdigest())


@dataclass
class Reject:
    source_path: str
    source_record: int | None
    source_sha256: str
    reason: str
    detail: str


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


def article_id(key: str, record: int | None = None) -> str:
    return hashlib.sha256(f"{key}#{record if record is not None else ''}".encode()).hexdigest()[:16]


# `MINSK, 28 January (BelTA) –`, `WASHINGTON (AP) —`, `LONDON, March 2 (Reuters) -`,
# `KYIV, Ukraine (AP) —`: an upper-case place, optional region, day, agency, then a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z.'’ -]{1,30}?))??"
    r"(?:,\s*(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<source>[^()]{1,40})\))?\s*[–—-]{1,2}\s+"
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def _dateline(para: Paragraph, reference: Reference) -> tuple[str | None, str | None, str | None]:
    """(place, source, day text) of a dateline opening the first paragraph, which is cut
    from the paragraph."""
    m = _DATELINE.match(para.text)
    if not m or not any(ch.isupper() for ch in m.group("place")):
        return None, None, None
    place = m.group("place").strip()
    if place != place.upper():
        return None, None, None
    titled = place.title()
    if not (m.group("source") or m.group("date") or lookup_place(titled)):
        return None, None, None
    source = m.group("source")
    source = (reference.agency(source) or source.strip()) if source else None
    para.strip_prefix(m.end())
    return titled, source, m.group("date")


def _date_from_dateline(day: str, body: str, today: dt.date | None) -> dt.date | None:
    """A dateline's day and month, with the year taken from the latest year the text names."""
    years = sorted({int(y) for y in _YEAR.findall(body)})
    for year in reversed(years or []):
        for fmt in ("%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y"):
            try:
                date = dt.datetime.strptime(f"{day.replace('.', '')} {year}", fmt).date()
            except ValueError:
                continue
            return plausible_date(date, today=today)
    return None


def prepare(
    doc: RawDocument, *, reference: Reference = DEFAULT_REFERENCE, today: dt.date | None = None
) -> tuple[list[Prepared], list[Reject]]:
    """Decode, parse and clean one file. Every file yields at least one article or one reject."""

    def reject(reason: str, detail: str, record: int | None = None) -> tuple[list[Prepared], list[Reject]]:
        return [], [Reject(doc.path, record, doc.sha256, reason, detail)]

    data = doc.data
    name = PurePosixPath(doc.key.lower())
    suffix = name.suffix
    source_format = "text"
    if suffix == ".gz":
        try:
            data = _gunzip(data)
        except (OSError, EOFError, zlib.error) as exc:
            return reject("bad_compression", f"not a readable gzip file: {exc}")
        suffix = PurePosixPath(name.stem).suffix
        source_format = "text+gzip"
    if suffix not in PLAIN_TEXT_SUFFIXES:
        return reject("unsupported_format", f"files ending {suffix!r} are not a supported input format")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return reject(exc.reason, exc.detail)
    return _prepare_text(doc, None, source_format, decoded.text, decoded.encoding, reference, today)


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        out = fh.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise OSError(f"decompresses to more than {MAX_DECOMPRESSED_BYTES} bytes")
    return out


def _prepare_text(
    doc: RawDocument,
    record: int | None,
    source_format: str,
    text: str,
    encoding: str,
    reference: Reference,
    today: dt.date | None,
) -> tuple[list[Prepared], list[Reject]]:
    parsed = parse_plain_text(text, reference=reference, today=today)
    cleaned = clean_body(parsed.body)
    paragraphs = [p for p in cleaned.paragraphs if p.text.strip()]
    header = parsed.header
    place = dateline_source = None
    if paragraphs:
        place, dateline_source, day = _dateline(paragraphs[0], reference)
        header.source = header.source or dateline_source
        if day and header.published_date is None:
            date = _date_from_dateline(day, text, today)
            if date:
                header.published_date, header.date_source = date, "dateline"
    body = ""
    offsets: list[int] = []
    for i, para in enumerate(paragraphs):
        if i:
            body += "\n\n"
            offsets.extend([offsets[-1] + 1] * 2)
        body += para.text
        offsets.extend(para.offsets)
    if not body.strip():
        if cleaned.removed:
            detail = f"no article text left after cleaning ({len(cleaned.removed)} junk lines removed)"
        else:
            detail = "no article text (only a title or header)" if header.title else "file holds no text"
        return [], [Reject(doc.path, record, doc.sha256, "no_text", detail)]
    prepared = Prepared(
        article_id=article_id(doc.key, record),
        doc=doc,
        record=record,
        source_format=source_format,
        encoding=encoding,
        header=header,
        dateline_place=place,
        dateline_source=dateline_source,
        body=body,
        raw_offsets=offsets,
        removed=cleaned.removed,
        sentences=split_sentences(body),
    )
    return [prepared], []


def annotate(prepared: list[Prepared], nlp: Language, *, reference: Reference = DEFAULT_REFERENCE, batch_size: int = 64) -> None:
    """Run NER over the bodies of a batch in one stream and attach canonical mentions."""
    docs = nlp.pipe((p.body for p in prepared), batch_size=batch_size)
    for item, spacy_doc in zip(prepared, docs):
        raw = [(ent.start_char, ent.end_char, ent.label_) for ent in spacy_doc.ents]
        item.mentions = canonicalize(raw, item.body, [s for s, _ in item.sentences], reference)


def to_tables(prepared: list[Prepared], rejects: list[Reject], *, run_id: str, ingested_at: dt.datetime) -> dict[str, pa.Table]:
    """Arrow tables (schemas from transforms.schemas) for a batch."""
    articles: dict[str, list] = {f.name: [] for f in schemas.ARTICLES}
    sentences: dict[str, list] = {f.name: [] for f in schemas.SENTENCES}
    entities: dict[str, list] = {f.name: [] for f in schemas.ENTITIES}
    removed: dict[str, list] = {f.name: [] for f in schemas.REMOVED_LINES}
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
        for r in p.removed:
            removed["article_id"].append(p.article_id)
            removed["line_no"].append(r.line_no)
            removed["text"].append(r.text)
            removed["rule"].append(r.rule)
    reject_cols: dict[str, list] = {f.name: [] for f in schemas.REJECTS}
    for r in rejects:
        for name in schemas.REJECTS.names:
            reject_cols[name].append(run_id if name == "run_id" else getattr(r, name))
    return {
        "articles": pa.table(articles, schema=schemas.ARTICLES),
        "sentences": pa.table(sentences, schema=schemas.SENTENCES),
        "entities": pa.table(entities, schema=schemas.ENTITIES),
        "removed_lines": pa.table(removed, schema=schemas.REMOVED_LINES),
        "rejects": pa.table(reject_cols, schema=schemas.REJECTS),
    }


def process_documents(
    docs: list[RawDocument],
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    run_id: str = "adhoc",
    ingested_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict[str, pa.Table]:
    """Raw files → the five tables of one batch."""
    prepared: list[Prepared] = []
    rejects: list[Reject] = []
    for doc in docs:
        ok, bad = prepare(doc, reference=reference, today=today)
        prepared.extend(ok)
        rejects.extend(bad)
    annotate(prepared, nlp, reference=reference)
    return to_tables(prepared, rejects, run_id=run_id, ingested_at=ingested_at or dt.datetime.now(dt.timezone.utc))
