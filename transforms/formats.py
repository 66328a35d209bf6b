"""What kind of file a raw file is, and the articles inside it.

- `unwrap`: gzip (by its magic bytes, whatever the name says) → the bytes inside;
- `sniff_format`: decoded text + file name → "text", "html", "json", "jsonl" or None;
- `extract_html`: a page → its main text (trafilatura), metadata, and every piece of
  page text left out, with the source line it stood on;
- `json_records`: a JSON or JSON Lines file → one `JsonRecord` per article, and the
  records that are not valid JSON objects, each on its own.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import htmldate
import lxml.etree
import lxml.html
import trafilatura

from transforms.clean import HTML_BOILERPLATE, HTML_CODE, PHOTO_CAPTION, RemovedLine, line_rule
from transforms.errors import RejectError
from transforms.parse import plausible_range

MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
PLAIN_TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
# <script>/<style> content goes to removed_lines cut short: minified JavaScript can be
# one line of 100 kB, and a page can inline thousands of lines of it. Past the first
# MAX_CODE_LINES lines of an element, one row says how many more there were.
MAX_CODE_LINE = 200
MAX_CODE_LINES = 20


class FormatError(RejectError):
    """The file cannot be read as any supported format."""


@dataclass(frozen=True)
class Unwrapped:
    data: bytes
    name: str  # the file name without a compression suffix (`a.jsonl.gz` → `a.jsonl`)
    compressed: bool


def unwrap(data: bytes, name: str) -> Unwrapped:
    """Decompress a gzip file. The magic bytes decide, not the name: a `.gz` that is not
    gzip is `bad_compression`, a gzip file without `.gz` is still read."""
    path = PurePosixPath(name)
    named_gz = path.suffix.lower() == ".gz"
    inner = path.stem if named_gz else path.name
    if not data.startswith(GZIP_MAGIC):
        if named_gz and data:
            raise FormatError("bad_compression", "file ends in .gz but is not gzip data")
        return Unwrapped(data, inner, False)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FormatError("bad_compression", f"not a readable gzip file: {exc}") from exc
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise FormatError("bad_compression", f"decompresses to more than {MAX_DECOMPRESSED_BYTES} bytes")
    if not out:
        raise FormatError("empty", "gzip file decompresses to nothing")
    return Unwrapped(out, inner, True)


_DECLARED_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE
)


def declared_charset(data: bytes) -> str | None:
    """The charset a web page or XML file names for itself in its first 4 kB."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


_HTML_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(html|head|body|article|p|div)\b[^>]*>", re.IGNORECASE)


def sniff_format(text: str, name: str) -> str | None:
    """ "text", "html", "json" or "jsonl" for a decoded file; None when unsupported.

    The content decides where the name is silent or generic (no extension, `.txt`): a
    saved web page without an extension is HTML. An unknown extension is unsupported
    unless the content is plainly an HTML page.
    """
    suffix = PurePosixPath(name.lower()).suffix
    # A dotted name with no real extension (`WIRE_0412`, `report.2022`) has none.
    if suffix and not re.fullmatch(r"\.[a-z][a-z0-9]{0,9}", suffix):
        suffix = ""
    head = text[:2000]
    looks_html = bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json" if _parses(text) or not _first_line_parses(text) else "jsonl"
    if suffix in PLAIN_TEXT_SUFFIXES:
        if looks_html:
            return "html"
        if text.lstrip()[:1] in ("{", "["):
            if _parses(text):
                return "json"
            if _first_line_parses(text):
                return "jsonl"
        return "text"
    return "html" if looks_html else None


def container_kind(head: str, name: str) -> str | None:
    """ "jsonl" or "json" when a file whose first characters are `head` holds records to be
    read one at a time (a big file, streamed), else None. Decided on the start of the
    file as `sniff_format` decides on all of it: the name's extension, else a first line
    that is a JSON object (JSON Lines) or an opening `[` / `{` (JSON)."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix and not re.fullmatch(r"\.[a-z][a-z0-9]{0,9}", suffix):
        suffix = ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix not in JSON_SUFFIXES and suffix not in PLAIN_TEXT_SUFFIXES:
        return None
    start = head.lstrip()[:1]
    if start not in ("{", "["):
        return None
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) > 1 and _first_line_parses(head):
        return "jsonl"
    return "json"


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _first_line_parses(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


# ---------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body br caption center dd details dialog div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol option p pre section summary
    table tbody td tfoot th thead tr ul
    """.split()
)
_CODE_TAGS = frozenset({"script", "style"})
# Head elements whose text is metadata (read by trafilatura), not page text.
_SKIP_TAGS = frozenset({"title", "meta", "link", "base", "template"})


@dataclass(frozen=True)
class TextBlock:
    line_no: int  # line of the HTML source the block starts on
    text: str  # whitespace collapsed
    tag: str  # the block element that holds it


@dataclass
class HtmlPage:
    """An HTML page's article: `text` has one paragraph per line, paragraphs separated by
    a blank line; `line_nos[k]` is the HTML source line of paragraph k."""

    text: str
    line_nos: list[int]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    sitename: str | None = None
    language: str | None = None
    url: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)


def extract_html(html: str, *, today: dt.date | None = None) -> HtmlPage:
    """Main text and metadata of a news page, and the rest of its text as removed lines.

    The page's date is looked for in the window every publication date must fall in
    (`plausible_range`, from 1900): htmldate's own default starts in 1995, which gave a
    1987 archive page no date, or a year guessed from its copyright line.

    trafilatura finds the article (and reads og:/article:/JSON-LD/<meta> metadata);
    tables are left out because legacy pages lay out the whole page in one. Every visible
    text block it left out, and every line of <script>/<style>, becomes a removed line, so
    that what the page lost can be seen.
    """
    html = _XML_DECLARATION.sub("", html, count=1)
    oldest, newest = plausible_range(today)
    dates = {"original_date": True, "extensive_search": False, "min_date": oldest.isoformat(), "max_date": newest.isoformat()}
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
        date_extraction_params=dates,
    )
    meta: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict() if doc is not None else {}
    paragraphs = [p for p in (" ".join(line.split()) for line in (meta.get("text") or "").split("\n")) if p]
    title = (meta.get("title") or "").strip() or None
    blocks, code = page_text_blocks(html)
    matches = _match_blocks(paragraphs, blocks)
    used = set(matches.matched)
    removed = list(code)
    for i, block in enumerate(blocks):
        if i in used or (title and _squash(block.text) == _squash(title)):
            continue  # in the article, or the headline (which is the title column)
        rule = PHOTO_CAPTION if block.tag == "figcaption" else (line_rule(block.text) or HTML_BOILERPLATE)
        removed.append(RemovedLine(block.line_no, block.text, rule))
    removed.sort(key=lambda r: r.line_no)
    return HtmlPage(
        text="\n\n".join(paragraphs),
        line_nos=matches.line_nos,
        title=title,
        authors=[a for a in re.split(r"\s*;\s*", meta.get("author") or "") if a.strip()],
        date=meta.get("date") or _date_in_page_text(html, oldest, newest),
        sitename=meta.get("sitename") or None,
        language=_declared_language(html),
        url=meta.get("url"),
        removed=removed,
    )


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_COPYRIGHT_YEAR = r"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{{4}}\s*[-–]\s*)?{year}\b"


def _date_in_page_text(html: str, oldest: dt.date, newest: dt.date) -> str | None:
    """A date htmldate finds in the page's text (its extensive search), for a page whose
    markup names none. A January 1st that is only a copyright year (`© 2024`) is not the
    story's date: it is how htmldate reports a year alone, and the copyright line of an
    archive page gives the year it was put online."""
    found = htmldate.find_date(
        html, extensive_search=True, original_date=True, min_date=oldest.isoformat(), max_date=newest.isoformat()
    )
    if found and found.endswith("-01-01"):
        year = found[:4]
        copyright_year = re.search(_COPYRIGHT_YEAR.format(year=year), html, re.IGNORECASE)
        elsewhere = len(re.findall(rf"\b{year}\b", html)) > len(
            re.findall(_COPYRIGHT_YEAR.format(year=year), html, re.IGNORECASE)
        )
        if copyright_year and not elsewhere:
            return None
    return found


_LANG_ATTR = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.IGNORECASE)


def _declared_language(html: str) -> str | None:
    match = _LANG_ATTR.search(html[:5000])
    return match.group(1) if match else None


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class _Matches:
    line_nos: list[int]
    matched: list[int]


def _match_blocks(paragraphs: list[str], blocks: list[TextBlock]) -> _Matches:
    """For each extracted paragraph, the page block it came from (in page order), so
    that it gets a source line and the blocks nobody used can be listed as removed."""
    keys = [_squash(b.text) for b in blocks]
    line_nos: list[int] = []
    matched: list[int] = []
    cursor = 0
    for para in paragraphs:
        key = _squash(para)
        found = _find_block(keys, key, cursor)
        if found is None:
            found = _find_block(keys, key, 0)
        if found is None:
            line_nos.append(line_nos[-1] if line_nos else 1)
            continue
        # A paragraph may span several blocks (a <p> broken by <br>): take them all.
        matched.append(found)
        span = keys[found]
        nxt = found + 1
        while len(span) < len(key) and nxt < len(keys) and keys[nxt] and keys[nxt] in key:
            matched.append(nxt)
            span += " " + keys[nxt]
            nxt += 1
        line_nos.append(blocks[found].line_no)
        cursor = found
    return _Matches(line_nos, matched)


def _find_block(keys: list[str], key: str, start: int) -> int | None:
    """The block holding the paragraph, or the first of several that make it up; a short
    block merely found inside it (`Share` in `shareholders`) does not count."""
    for i in range(start, len(keys)):
        block = keys[i]
        if block and (block == key or key in block or (block in key and 2 * len(block) >= len(key))):
            return i
    return None


def page_text_blocks(html: str) -> tuple[list[TextBlock], list[RemovedLine]]:  # noqa: C901
    """The visible text of a page as blocks (one per paragraph-like element, `<br>` ends
    one too), and the lines of its <script>/<style> elements as removed lines."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return [], []
    blocks: list[TextBlock] = []
    code: list[RemovedLine] = []
    parts: list[str] = []
    state: dict[str, Any] = {"line": None, "tag": "body"}

    def add(text: str | None, line: int | None, tag: str) -> None:
        if not text:
            return
        if text.strip() and state["line"] is None:
            state["line"], state["tag"] = line or 1, tag
        parts.append(text)  # whitespace too: it separates inline elements (`<a>News</a> <a>Sport</a>`)

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            blocks.append(TextBlock(state["line"] or 1, text, state["tag"]))
        parts.clear()
        state["line"] = None

    def walk(el: lxml.html.HtmlElement, in_head: bool, block_tag: str) -> None:  # noqa: C901
        tag = el.tag.lower() if isinstance(el.tag, str) else ""  # comments and PIs have no name
        if tag in _CODE_TAGS:
            lines = [(k, line.strip()) for k, line in enumerate((el.text or "").splitlines()) if line.strip()]
            for k, text in lines[:MAX_CODE_LINES]:
                text = text if len(text) <= MAX_CODE_LINE else text[:MAX_CODE_LINE] + "…"
                code.append(RemovedLine((el.sourceline or 1) + k, text, HTML_CODE))
            if len(lines) > MAX_CODE_LINES:
                k = lines[MAX_CODE_LINES][0]
                code.append(RemovedLine((el.sourceline or 1) + k, f"… {len(lines) - MAX_CODE_LINES} more lines", HTML_CODE))
        elif tag == "head":
            for child in el:
                walk(child, True, block_tag)
        elif tag and not in_head and tag not in _SKIP_TAGS:
            is_block = tag in _BLOCK_TAGS
            if is_block:
                flush()
                block_tag = tag
            add(el.text, el.sourceline, block_tag)
            for child in el:
                walk(child, False, block_tag)
            if is_block:
                flush()
        if not in_head and tag != "head":
            add(el.tail, el.sourceline, block_tag)

    walk(root, False, "html")
    flush()
    return blocks, code


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment (a JSON record's body given as markup), one block
    per paragraph."""
    blocks, _ = page_text_blocks(f"<html><body>{html}</body></html>")
    return "\n\n".join(b.text for b in blocks)


# ---------------------------------------------------------------------------- JSON

# Field names in the order they are tried, compared case-insensitively.
TITLE_FIELDS = ("title", "headline", "name")
TEXT_FIELDS = ("text", "body", "content", "article", "articlebody", "article_body", "full_text", "fulltext", "story")
DATE_FIELDS = (
    "date",
    "published",
    "published_at",
    "publishedat",
    "published_date",
    "publication_date",
    "pubdate",
    "datepublished",
    "date_published",
    "timestamp",
    "created_at",
)
AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "by", "writer")
SOURCE_FIELDS = ("source", "publisher", "agency", "outlet", "site_name", "sitename", "source_name", "publication")
URL_FIELDS = ("url", "link", "href", "permalink")
LANGUAGE_FIELDS = ("language", "lang", "locale")
# Wrappers feeds put around a list of articles: {"articles": [...]}.
LIST_FIELDS = ("articles", "items", "data", "results", "docs", "entries", "records")
_MARKUP = re.compile(r"<(p|br|div|span|a|em|strong|h[1-6])\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class JsonRecord:
    record: int | None  # 1-based line (JSON Lines), 0-based index (a JSON list), None (one object)
    title: str | None
    text: str
    date: str | None
    authors: list[str]
    source: str | None
    url: str | None
    language: str | None


@dataclass(frozen=True)
class BadRecord:
    record: int | None
    reason: str
    detail: str


def json_records(text: str, kind: str) -> tuple[list[JsonRecord], list[BadRecord]]:
    """The article records of a JSON (`kind="json"`) or JSON Lines (`"jsonl"`) file. A
    record that is not a JSON object is a `BadRecord`; the other records are kept."""
    records: list[JsonRecord] = []
    bad: list[BadRecord] = []
    if kind == "jsonl":
        for no, line in enumerate(text.splitlines(), start=1):
            found = json_line_record(line, no)
            if isinstance(found, JsonRecord):
                records.append(found)
            elif found is not None:
                bad.append(found)
        return records, bad
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        return [], [BadRecord(None, "invalid_json", f"not valid JSON: {exc}")]
    if isinstance(value, dict):
        listed = next((value[k] for k in value if k.lower() in LIST_FIELDS and isinstance(value[k], list)), None)
        if listed is not None and _field(value, TEXT_FIELDS) is None:
            value = listed
    if isinstance(value, list):
        for index, item in enumerate(value):
            _add(item, index, f"item {index}", records, bad)
    else:
        _add(value, None, "the file", records, bad)
    return records, bad


def json_line_record(line: str, no: int) -> JsonRecord | BadRecord | None:
    """The record on line `no` of a JSON Lines file (None for a blank line): what a file
    read line by line is made of, whatever its size."""
    if not line.strip():
        return None
    try:
        value = json.loads(line)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        return BadRecord(no, "invalid_json", f"line {no}: {exc}")
    return json_item_record(value, no, f"line {no}")


def _add(value: Any, record: int | None, where: str, records: list[JsonRecord], bad: list[BadRecord]) -> None:
    found = json_item_record(value, record, where)
    (records if isinstance(found, JsonRecord) else bad).append(found)  # type: ignore[arg-type]


def json_item_record(value: Any, record: int | None, where: str) -> JsonRecord | BadRecord:
    """One parsed JSON value (a line, an item of a list) as an article record."""
    if not isinstance(value, dict):
        return BadRecord(record, "invalid_json", f"{where} is a JSON {type(value).__name__}, not an object")
    text = _text(_field(value, TEXT_FIELDS))
    if text and _MARKUP.search(text):
        text = html_to_text(text)
    return JsonRecord(
        record=record,
        title=_text(_field(value, TITLE_FIELDS)),
        text=text or "",
        date=_date_text(_field(value, DATE_FIELDS)),
        authors=_names(_field(value, AUTHOR_FIELDS)),
        source=_text(_name(_field(value, SOURCE_FIELDS))),
        url=_text(_field(value, URL_FIELDS)),
        language=_text(_field(value, LANGUAGE_FIELDS)),
    )


def _field(obj: dict, names: tuple[str, ...]) -> Any:
    lowered = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    for name in names:
        value = lowered.get(name)
        if value not in (None, "", []):
            return value
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    return None


def _name(value: Any) -> Any:
    """`{"name": "Reuters"}` → "Reuters" (schema.org style objects)."""
    if isinstance(value, dict):
        return value.get("name")
    return value


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for item in value if (n := _text(_name(item)))]
    name = _text(_name(value))
    return [name] if name else []


def _date_text(value: Any) -> str | None:
    """A date field as text; a number is a Unix time (seconds, or milliseconds)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return _text(value)
