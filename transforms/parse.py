"""Header and metadata of a plain-text article: title, authors, source, date, dateline.

The layouts handled (see README "Supported inputs"):

- title first (one or several lines), then optional byline / agency / date lines;
- a `key: value` header block (`Title:`, `Date:`, `Author:`, `Source:` …);
- an inline marker line such as `  date 2022-01-18 Title text`.

An article's dateline (`MINSK, 28 January (BelTA) –`) is read here too (`read_dateline`),
with the year its day belongs to (`dateline_date`), once cleaning has found the first
paragraph.

What is not header is returned as body lines, each with its 1-based line number in the
decoded text, for `clean` to work on.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil import parser as dateutil_parser

from transforms.language import normalize_language
from transforms.places import lookup_any_case
from transforms.reference import DEFAULT_REFERENCE, Reference

# Dates outside this window are not trusted as publication dates.
OLDEST_PLAUSIBLE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the decoded text
    text: str
    offset: int = 0  # character offset of the line's first character in the decoded text
    page: int = 0  # 0-based page, counted by form feeds (PDF-to-text exports)


# Where a published date can come from (Header.date_source; the warehouse's data tests
# accept exactly these in stg_articles.date_source).
DATE_SOURCES = (
    "header",
    "byline_line",
    "inline_marker",
    "dateline",
    "html_meta",
    "json_field",
    "file_name",
    "file_path",
    "none",
)


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
# "By" in the languages the corpus arrives in (Von, Par, Por, Door, Di).
_BYLINE = re.compile(r"^\s*(?:by|von|par|por|door|di)\s*[:\-]?\s+(?P<names>\S.*?)\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\||\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_PIPE_BYLINE = re.compile(r"^\s*(?P<names>[^|]+?)\s*\|\s*(?P<agency>[^|]+?)\s*$")
# Words that make a byline part a job title ("Transport correspondent"), not a name.
_JOB_WORDS = frozenset(
    "correspondent correspondents editor editors reporter reporters writer writers staff columnist "
    "contributor journalist journalists bureau producer photographer desk".split()
)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'-]*$")
# A date line is short and mostly a date: "February 11, 2022", "Fri, 11 Feb 2022 09:30 EST".
_DATE_HINT = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_DATE_PREFIX = re.compile(r"(?i)^(?:(?:first|last)\s+)?(published|updated|posted|modified|date)\s*(on|at)?\s*:?\s*")
# What news sites print beside the date of a story: other dates and times after a bar, a
# bracket or a dash (`Published: July 03, 2025 15:47 | Last updated: …`, `05 Mar 2024 06:00AM
# (Updated: …)`, `Published:Tuesday | June 17, 2025 | 12:10 AM`, `… 10:45 [IST]`, `5 March 2024 —
# 10:45 AM`, `Jane Doe / Dec 1, 2024`), the poster (`Posted on March 5, 2024 by admin`) and a reading
# time (`3 mins to read`).
_DATE_PARTS = re.compile(r"\s*[|•·]\s*|\s+/\s+|\s+(?=[(\[])|\s+[—–]\s+|\s+by\s+")
_READING_TIME = re.compile(r"(?i)\s*[-–|·•]?\s*\d+\s*min(?:ute)?s?\s*(?:to\s+)?read\s*$")
# A numeric date whose day and month could swap (`12-06-2024`): read day first, as most of
# the world writes it, unless a US time zone says month first (`03/05/2024 10:30 AM EST`).
_NUMERIC_DATE = re.compile(r"(?<![\d-])[0-3]?\d[/.-][01]?\d[/.-](?:\d\d)?\d\d(?!\d)")
_US_ZONE = re.compile(r"\b(?:E|C|M|P|AK|H)[SD]?T\b")
# A time written with a dot, as British papers print it (`Mon 10 Mar 2025 17.45 GMT`, `12.31pm`):
# dateutil reads `17.45` as a number, so it becomes `17:45`: a last word of the line, after a
# space, before a zone in capitals or am/pm (a numeric date, `10.03.2025`, stays one).
_DOT_TIME = re.compile(r"(?<=\s)([01]?\d|2[0-3])\.([0-5]\d)(?=\s*(?:[ap]\.?m\.?|(?-i:[A-Z]{2,5}))?\s*$)", re.I)
# Lead lines (byline, date) are short; a longer line is the story.
MAX_LEAD_LINE = 120
MAX_LEAD_LINES = 4


def split_lines(text: str) -> list[Line]:
    """Lines of the text with their 1-based numbers and character offsets. A form feed
    (PDF exports put one between pages) becomes a space: line numbers stay the ones an
    editor shows."""
    lines: list[Line] = []
    offset = 0
    page = 0
    for no, raw in enumerate(re.split(r"\n", text), start=1):
        leading = len(raw) - len(raw.lstrip("\f"))
        page += leading  # a form feed opening a line starts its page; one elsewhere, the next
        lines.append(Line(no=no, text=raw.replace("\f", " ").rstrip("\r"), offset=offset, page=page))
        page += raw.count("\f") - leading
        offset += len(raw) + 1
    return lines


_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))
# A language code, or a function that detects it when first needed (rarely: only for a
# date string English parsing cannot read).
LanguageHint = str | Callable[[], str | None] | None


def read_date(value: str, *, language: LanguageHint = None) -> dt.date | None:
    """The calendar date a short string names (`February 11, 2022`, `2022-02-11T09:30Z`,
    `Friday, February 11, 2022 9:30 AM EST`, `14 février 2022`), plausible or not; None
    when it names none. Year, month and day must all be written. `language` (a code, or a
    function giving one, called only if English parsing fails) allows other languages'
    month names."""
    value = " ".join(value.split()).strip(" .,;")
    if not value or len(value) > 160 or not _DATE_HINT.search(value):
        return None
    if (date := _read_english_date(value)) is not None:
        return date
    # A site's date line with more beside the date (another date, a time, a reading time):
    # its first part that is a whole date.
    for part in _DATE_PARTS.split(value):
        part = _READING_TIME.sub("", _DATE_PREFIX.sub("", part.strip(" ()[]"))).strip(" .,;")
        if part and part != value and _DATE_HINT.search(part) and (date := _read_english_date(part)) is not None:
            return date
    if (whole := _WHOLE_DATE.search(value)) and _only_names_beside(value, whole):
        return _read_english_date(whole.group())
    if callable(language):
        language = language()
    if language and language != "en":
        return _read_foreign_date(value, language)
    return None


def _only_names_beside(value: str, whole: re.Match) -> bool:
    """Whether the words beside a date in a line are a few names and labels (`Baku, …, AZERTAC`,
    `Updated - … pm IST - CHENNAI`), not a sentence, which has lowercase words."""
    rest = value[: whole.start()] + " " + value[whole.end() :]
    words = re.findall(r"[^\W\d_][\w'’.-]*", rest)
    return len(words) <= 5 and all(w[0].isupper() or w.lower().strip(".") in _LABEL_WORDS for w in words)


def _read_english_date(value: str) -> dt.date | None:
    if len(value) > 80:
        return None
    value = _DOT_TIME.sub(r"\1:\2", _READING_TIME.sub("", value))
    dayfirst = bool(_NUMERIC_DATE.search(value)) and not _US_ZONE.search(value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil warns on unknown zone names; we keep the date only
            # Parsed against two different defaults: a part the string leaves out (`March 2022`
            # has no day) shows up as a difference.
            first, second = (
                dateutil_parser.parse(value, fuzzy=False, ignoretz=True, default=d, dayfirst=dayfirst) for d in _DEFAULTS
            )
        return first.date() if first == second else None
    except (ValueError, OverflowError):
        return None


def _read_foreign_date(value: str, language: str) -> dt.date | None:
    """Month names in other languages (`14 février 2022`, `16. Februar 2022`). dateparser
    knows them all, but costs ~20 ms a call (seconds when it must guess the language),
    so it only sees short strings dateutil could not read, with the article's language."""
    import dateparser  # imported here: most runs never need it

    try:
        parsed = dateparser.parse(
            value,
            languages=[language],
            settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
        )
    except (ValueError, KeyError):  # a language dateparser does not know
        return None
    return parsed.date() if parsed else None


def parse_date(value: str, *, today: dt.date | None = None, language: LanguageHint = None) -> dt.date | None:
    """`read_date`, kept only when plausible as a publication date."""
    date = read_date(value, language=language)
    return plausible_date(date, today=today) if date else None


def plausible_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(oldest, newest) publication date believed, wherever a date is read (header, lead
    line, dateline, HTML metadata, JSON field): not before 1900 (digitized archives are
    a core use) and not in the future (a day of slack for time zones)."""
    today = today or dt.datetime.now(dt.UTC).date()
    return OLDEST_PLAUSIBLE, today + dt.timedelta(days=1)


def plausible_date(value: dt.date, *, today: dt.date | None = None) -> dt.date | None:
    oldest, newest = plausible_range(today)
    return value if oldest <= value <= newest else None


# A date in a file's name or folders, as archives and scrapers write them:
# `20220128T201500Z_US_en_….txt`, `2022-01-28_…`, `2022_01_28`, `…/2022/01/28/…`. The
# pattern only finds candidates; the calendar (dt.date) decides which are dates.
# Year first (a time of day may follow the bare digits: `20220128201500`), or day first
# (`28-01-2022`, `28.01.2022`; month first when the day cannot be a month: `01-28-2022`;
# `03-04-2022` says neither and is left alone).
_PATH_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[-_./]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)"
    r"(?:(?!\d)|(?<=\d{8})(?=\d{4}(?:\d\d)?(?!\d)))"
    r"|(?<!\d)(?P<first>[0-3]\d)(?P<sep2>[-_.])(?P<second>[0-3]\d)(?P=sep2)(?P<year2>(?:19|20)\d\d)(?!\d)"
)
_PATH_YEAR = re.compile(r"(?:^|/)(?P<year>(?:19|20)\d\d)(?=/)")


def path_date(key: str, *, today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """(date, `file_name` or `file_path`) that a file's path relative to the input folder
    gives: its name first, then its folders (`2022/01/28/story.txt`); None when neither
    holds a plausible date."""
    key = key.replace("\\", "/")
    folders, _, name = key.rpartition("/")
    for text, source in ((name, "file_name"), (folders + "/" if folders else "", "file_path")):
        for m in _PATH_DATE.finditer(text):
            if m["year"]:
                year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
            else:
                first, second = int(m["first"]), int(m["second"])
                if first <= 12 and second <= 12 and first != second:
                    continue  # day or month first? the name does not say
                year, (day, month) = int(m["year2"]), ((first, second) if second <= 12 else (second, first))
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue  # `20221399`: digits, not a date
            if plausible_date(date, today=today):
                return date, source
    return None


def path_year(key: str) -> int | None:
    """The year a file's path gives when it gives no full date: a folder named for it
    (`belta/2022/minsk.txt`)."""
    years = [int(m["year"]) for m in _PATH_YEAR.finditer(key.replace("\\", "/"))]
    return years[-1] if years else None


# --- datelines ---------------------------------------------------------------------------

# `MINSK, 28 January (BelTA) –`, `WASHINGTON (AP) —`, `LONDON, March 2 (Reuters) -`,
# `KYIV, Ukraine (AP) —`, `MOSCOW. Feb 10 (Interfax) -`, `BEIJING, Jan. 5 (Xinhua) --`,
# `KYIV, Ukraine, March 2, 2022 (AP) —`, and as papers in South Asia, Malaysia and the Gulf
# write them, `ISLAMABAD: `, `Dubai: `, `KAMPALA. ` (a known place and a colon, or a period
# after capitals) and `NEW DELHI, June 12
# (PTI) The…` (a known agency in brackets, no dash): a place (in capitals, or in title case when an
# agency follows), an optional region, an optional day (with its year, rarely), an
# optional agency in brackets, then a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z.'’ -]{1,30}?))??"
    r"(?:[,.]?\s*(?P<date>\d{1,2}\.?\s+[A-Z][a-z]+\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+(?P<year>(?:19|20)\d\d)(?:,\s*(?P<outlet>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}))?)?)?"
    r"\s*(?:\((?P<source>[^()]{1,40})\))?\s*(?:[–—-]{1,2}\s+|(?P<colon>[:.])\s+(?!\()|(?<=\))\s+(?=[A-Z\"“]))"
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A whole date (day, month name and year, maybe a weekday and a time) inside a date line that
# says more (`Baku, November 11, 2024, AZERTAC`, `Ahram Online , Sunday 12 Jan 2025`,
# `Updated - December 03, 2024 09:14 pm IST - CHENNAI`, `Nuku'alofa, Tonga. 21 November 2025`).
_WHOLE_DATE = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+(?:19|20)\d\d)\b"
    r"(?:,?\s+\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?\b)?)?",
    re.IGNORECASE,
)
_LABEL_WORDS = frozenset("am pm a.m p.m on at update updated last published posted".split())
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


def read_dateline(text: str, reference: Reference = DEFAULT_REFERENCE) -> tuple[Dateline, int] | None:
    """The dateline opening an article's first paragraph, and its length in characters
    (the caller cuts it from the paragraph)."""
    m = _DATELINE.match(text)
    if not m:
        return None
    raw_place = m.group("place").strip(" .")
    # `DUSHANBE, June 10, 2025, Asia-Plus --`: after a whole date, the outlet without brackets
    source = m.group("source") or m.group("outlet")
    agency = reference.agency(source) if source else None
    place = lookup_any_case(raw_place)
    if m.group("colon"):
        if not place or place.kind not in ("city", "country", "state", "region") or source or m.group("region"):
            return None  # `Note: …`, `Updated: …`: a label, not a place
        if m.group("colon") == "." and raw_place != raw_place.upper():
            return None  # `KAMPALA. ` (the Daily Monitor) in capitals only: `Kenya. The …` is a sentence
    elif not m.group(0).rstrip().endswith(("-", "–", "—")) and not agency:
        return None  # `… (Sources) The …`: only a known agency in brackets ends a dateline without a dash
    elif raw_place != raw_place.upper() and not ((agency or m.group("date")) and place):
        return None  # a title-case dateline only for a known place before a known agency or a day:
        # `Kyiv (AFP) -`, `Suva, 14 Oct —`, `Colombo, Feb. 17 (Daily Mirror) -`
    if not (source or m.group("date") or place):
        return None
    name = place.name if place else string.capwords(raw_place.lower())
    year = int(m.group("year")) if m.group("year") else None
    return Dateline(name, agency or (source.strip() if source else None), m.group("date"), year), m.end()


def dateline_date(
    dateline: Dateline, context: str, copyright_years: list[int], key: str, today: dt.date | None = None
) -> dt.date | None:
    """A dateline's day and month (`MINSK, 26 February (BelTA) –`) with its year, from the
    best evidence the file gives, in this order: the dateline itself; a date in the file's
    name or folders (the year that puts the day on or just before it); a copyright line
    (`copyright_years`: of the notices cleaning removed, `(c) 2023 AFP`; or in the text,
    `© 2003-2024 BelTA`, of a range the last year); a year folder (`belta/2022/…`); the latest full
    date in the text (`January 2022`, `Feb. 25, 2022`). None when there is none: a bare
    number such as `by 2024` is no evidence of when the story was written."""
    day = (dateline.day or "").replace(".", " ")
    # Also a notice ending a paragraph: `… the ministry said. © 2023 AFP`.
    copyrights = [*copyright_years, *(int(m.group(1)) for m in _INLINE_COPYRIGHT.finditer(context))]
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


def parse_byline(value: str, reference: Reference = DEFAULT_REFERENCE) -> tuple[list[str], str | None]:
    """(authors, source) from a byline: `By Jane Doe and John Roe`, `By AFP`,
    `Jane Doe | Reuters`, `By Jane Doe, AFP`, `Grace Adeyemi, Transport correspondent`.
    Agencies are a source, never an author; job titles are dropped."""
    match = _BYLINE.match(value)
    names = match.group("names") if match else value
    authors: list[str] = []
    source: str | None = None
    for part in _NAME_SPLIT.split(names):
        part = _IN_PLACE.sub("", part.strip(" .")).strip(" .")
        if not part:
            continue
        agency = reference.agency(part) or reference.agency(re.sub(r"(?i)\s+(staff|news|reporters?)$", "", part))
        if agency:
            source = source or agency
        elif not _JOB_WORDS.intersection(part.casefold().split()):
            # `JANE DOE` in a shouted byline is Jane Doe; `McLeod` and `de Vries` stay as written.
            authors.append(string.capwords(part.lower()) if part.isupper() and len(part) > 3 else part)
    return authors, source


def offer_source(header: Header, value: str | None, reference: Reference) -> None:
    """Set the header's source, where an agency credited anywhere beats an outlet's name:
    a wire story printed by The Daily Ledger has the agency as its source."""
    if not value:
        return
    agency = reference.agency(value)
    if header.source is None or (agency and not reference.agency(header.source)):
        header.source = agency or value.strip()


def _names_like(names: str, reference: Reference) -> bool:
    """Whether the text after `By` is a list of names (and not `By the end of March, …`)."""
    parts = [p.strip(" .") for p in _NAME_SPLIT.split(names) if p.strip(" .")]
    return bool(parts) and all(
        reference.agency(p) or (len(p.split()) <= 5 and p[:1].isupper() and not p.endswith((",", ";"))) for p in parts
    )


def _looks_like_byline(text: str, reference: Reference) -> bool:
    match = _BYLINE.match(text)
    if match:
        return _names_like(match.group("names"), reference)
    if reference.agency(text):
        return True
    pipe = _PIPE_BYLINE.match(text)
    return bool(pipe and reference.agency(pipe.group("agency")) and len(text) < 80)


def _lead_kind(text: str, reference: Reference, language: LanguageHint) -> str | None:
    """ "byline" or "date" for a line of the lead block, else None."""
    text = text.strip()
    if not text or len(text) > MAX_LEAD_LINE:
        return None
    if _looks_like_byline(text, reference):
        return "byline"
    if read_date(_DATE_PREFIX.sub("", text), language=language) is not None:
        return "date"
    return None


def split_blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines."""
    return [[lines[i] for i in block] for block in _index_blocks(lines)]


def _apply_key(header: Header, key: str, value: str, reference: Reference, today: dt.date | None, language: LanguageHint) -> None:
    if key == "title":
        header.title = value
    elif key == "date":
        date = parse_date(value, today=today, language=language)
        if date:
            header.published_date, header.date_source = date, "header"
    elif key == "authors":
        authors, source = parse_byline(value, reference)
        header.authors.extend(authors)
        offer_source(header, source, reference)
    elif key == "source":
        offer_source(header, value, reference)
    elif key == "language":
        header.language = normalize_language(value)
    elif key == "url":
        header.url = value


def read_lead(
    lines: list[Line],
    start: int,
    header: Header,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    today: dt.date | None = None,
    language: LanguageHint = None,
) -> int:
    """Consume the byline, agency and date lines (in any order, blank lines or not) that
    follow a title, from `lines[start]` on, into `header`; returns the index of the first
    line that is not one of them."""
    i = start
    consumed = 0
    while i < len(lines) and consumed < MAX_LEAD_LINES:
        text = lines[i].text.strip()
        if not text:
            i += 1
            continue
        kind = _lead_kind(text, reference, language)
        if kind == "byline":
            pipe = _PIPE_BYLINE.match(text)
            if pipe and not _BYLINE.match(text):
                authors, _ = parse_byline(pipe.group("names"), reference)
                source = reference.agency(pipe.group("agency"))
            else:
                authors, source = parse_byline(text, reference)
            header.authors.extend(a for a in authors if a not in header.authors)
            offer_source(header, source, reference)
        elif kind == "date":
            # A date line; an implausible date is consumed but not trusted.
            date = parse_date(_DATE_PREFIX.sub("", text), today=today, language=language)
            if date and header.published_date is None:
                header.published_date, header.date_source = date, "byline_line"
        elif _bare_name_before_date(lines, i, reference, language):
            # `Kalbe Ali` on its own line above `Published March 5, 2024`: a byline without `By`.
            authors, source = parse_byline(text, reference)
            header.authors.extend(a for a in authors if a not in header.authors)
            offer_source(header, source, reference)
        elif _place_before_date(lines, i, reference, language):
            pass  # `ISTANBUL` on its own line above `Mar 06, 2025 3:12 pm`: where the story was filed
        else:
            break
        consumed += 1
        i += 1
    return i


_BARE_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}")


def _place_before_date(lines: list[Line], i: int, reference: Reference, language: LanguageHint) -> bool:
    """Whether lead line `i` is a known place in capitals directly above a date line."""
    text = lines[i].text.strip()
    if not (text.isupper() and len(text.split()) <= 3 and lookup_any_case(text)):
        return False
    nxt = next((line.text.strip() for line in lines[i + 1 : i + 3] if line.text.strip()), "")
    return _lead_kind(nxt, reference, language) == "date"


def _bare_name_before_date(lines: list[Line], i: int, reference: Reference, language: LanguageHint) -> bool:
    """Whether lead line `i` is a name (two to four capitalized words) directly above a date
    line: a byline some sites print without `By`."""
    if not _BARE_NAME.fullmatch(lines[i].text.strip()):
        return False
    nxt = next((line.text.strip() for line in lines[i + 1 : i + 3] if line.text.strip()), "")
    return _lead_kind(nxt, reference, language) == "date"


def parse_plain_text(
    text: str, *, reference: Reference = DEFAULT_REFERENCE, today: dt.date | None = None, language: LanguageHint = None
) -> ParsedText:
    """Split a plain-text article into its header and its body lines."""
    return parse_lines(split_lines(text), reference=reference, today=today, language=language)


def parse_lines(  # noqa: C901
    lines: list[Line], *, reference: Reference = DEFAULT_REFERENCE, today: dt.date | None = None, language: LanguageHint = None
) -> ParsedText:
    """Header and body lines of a plain-text article given as lines (`split_lines`, maybe
    with page furniture taken out). `language` (when known) lets dates in other
    languages be read."""
    header = Header()
    blocks = _index_blocks(lines)
    if not blocks:
        return ParsedText(header, [])
    first = blocks[0]
    texts = [lines[i].text for i in first]
    body_from = first[0]

    key_lines = [_KEY_VALUE.match(text) for text in texts]
    keyed = [m for m in key_lines if m and m.group("key").strip().lower() in _HEADER_KEYS]
    marker = _INLINE_DATE_MARKER.match(texts[0])
    lead_at = next((k for k, text in enumerate(texts) if _lead_kind(text, reference, language)), None)
    if len(keyed) >= 2 or (keyed and len(first) == 1 and _HEADER_KEYS[keyed[0].group("key").strip().lower()] == "title"):
        # `Key: value` header block; lines that are not `key: value` continue the previous value.
        for m in key_lines:
            if m and m.group("key").strip().lower() in _HEADER_KEYS and m.group("value"):
                key = _HEADER_KEYS[m.group("key").strip().lower()]
                _apply_key(header, key, m.group("value"), reference, today, language)
        body_from = first[-1] + 1
    elif marker:
        date = parse_date(marker.group("date"), today=today)
        if date:
            header.published_date, header.date_source = date, "inline_marker"
        # The title may run on to the next lines, unless those are the story itself
        # (a marker line directly followed by body paragraphs).
        title_end = lead_at if lead_at is not None and lead_at > 0 else len(first)
        continuation = texts[1:title_end]
        if not _is_title([marker.group("rest"), *continuation]):
            continuation = []
        header.title = " ".join([marker.group("rest"), *(t.strip() for t in continuation)])
        body_from = first[0] + 1 + len(continuation)
    else:
        title_end = lead_at if lead_at is not None else len(first)
        if title_end and _is_title(texts[:title_end]):
            header.title = " ".join(t.strip() for t in texts[:title_end])
            keyed_title = _KEY_VALUE.match(header.title)
            if keyed_title and _HEADER_KEYS.get(keyed_title.group("key").strip().lower()) == "title":
                header.title = keyed_title.group("value")  # `Title: …` followed by a byline, not a key block
            body_from = first[title_end] if title_end < len(first) else first[-1] + 1
        elif title_end >= 2 and _is_title(texts[:1]) and _broken_on_purpose(texts[:title_end]):
            # A headline line over its standfirst in one block: the headline is the title,
            # the standfirst stays in the body.
            header.title = texts[0].strip()
            body_from = first[1]
    body_from = read_lead(lines, body_from, header, reference=reference, today=today, language=language)
    body = lines[body_from:]
    while body and not body[0].text.strip():
        body = body[1:]
    while body and not body[-1].text.strip():
        body = body[:-1]
    return ParsedText(header, body)


def _index_blocks(lines: list[Line]) -> list[list[int]]:
    """Runs of non-blank lines, as indices into `lines`."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.text.strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# A headline is short and is not a sentence: it does not end with a full stop (a trailing
# `...` is a headline's teaser, `?` and `!` are headlines' own), colon, semicolon or comma.
MAX_TITLE_CHARS = 150
_SENTENCE_END = re.compile(r"""(?:(?<!\.)\.|[:;,])["'”’»]?$""")
_ACRONYM_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # `Talks with the U.S.`
_OPENING_QUOTES = "\"'“‘„‚«‹「"
# A quotation: an opening quote whose closing quote comes with a comma (`“We will not back
# down,” the union leader said`, `« Nous ne céderons pas », a déclaré`), or a paragraph
# that is all quotation. A quoted phrase in a headline (`'No re-draft' for EU patent law`)
# is neither.
_SPEECH = re.compile(r""",\s*["'”’“»«‹›]|["'”’“»«‹›]\s*,""")


def _is_quotation(text: str) -> bool:
    if not text.startswith(tuple(_OPENING_QUOTES)):
        return False
    return bool(_SPEECH.search(text)) or text.endswith(('"', "'", "”", "’", "»", "“", "‹", "」"))


# A quoted headline: a short quotation attributed by `says|say|said` and a name (`'We will
# win', says Zelensky`, `“Putin must stop,” says Johnson`). A pronoun (`"It is over," he
# said`) or a whole sentence is the story's opening instead.
MAX_QUOTE_HEADLINE_CHARS = 100
_QUOTE_HEADLINE = re.compile(
    r"""^["'“‘„‚«‹][^"“”«»]+?["'”’“»›]\s*,?\s*(?:says|say|said)\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[\w'’.-]+){0,4}$"""
)


# A headline that is all quotation, unattributed, as the BBC writes them (`'No-one can
# define new hunt ban'`, `'UK will stand firm on EU rebate'`): short, one line, no speech
# comma and no full stop inside. A first paragraph that is a quotation is longer, or is
# attributed with a comma, or ends its sentence inside the quotes (`"It is over."`).
MAX_QUOTED_HEADLINE_CHARS = 80
_INNER_SENTENCE_END = re.compile(r"[.!?]\s")


def _is_quoted_headline(texts: list[str], text: str) -> bool:
    return (
        len(texts) == 1
        and len(text) <= MAX_QUOTED_HEADLINE_CHARS
        and not _SPEECH.search(text)
        and not _INNER_SENTENCE_END.search(text)
        and text[0] in "'‘\"“"
        and text[-1] in "'’\"”"
    )


def _is_title(texts: list[str]) -> bool:
    """Whether the first lines of a file are its headline: up to three lines, short, not a
    sentence and not a quotation (unless a short attributed one, `_QUOTE_HEADLINE`).
    Anything else is the story's first paragraph, which stays in the body (with its
    quotes, amounts and dates); the article has no title."""
    text = " ".join(t.strip() for t in texts)
    return (
        0 < len(texts) <= 3
        and 0 < len(text) <= MAX_TITLE_CHARS
        and not (_SENTENCE_END.search(text) and not _ACRONYM_END.search(text))
        and (
            not _is_quotation(text)
            or (len(text) <= MAX_QUOTE_HEADLINE_CHARS and bool(_QUOTE_HEADLINE.match(text)))
            or _is_quoted_headline(texts, text)
        )
    )


def _broken_on_purpose(texts: list[str]) -> bool:
    """Whether the first line of a block ends where its writer ended it (a headline over a
    standfirst), not where a hard wrap did: the next line's first word would have fitted
    on it within the block's longest line, or the next line starts a sentence after a
    first line shorter than any hard wrap leaves (text is wrapped at 60-80 columns, so a
    wrapped line is rarely shorter than `_MIN_WRAPPED_LINE`)."""
    if len(texts) < 2 or not texts[1].strip():
        return False
    first, second = texts[0].strip(), texts[1].strip()
    widest = max(len(t.rstrip()) for t in texts)
    fits = len(first) + 1 + len(second.split()[0]) <= widest
    return fits or (second[0].isupper() and len(first) < _MIN_WRAPPED_LINE)


_MIN_WRAPPED_LINE = 55
