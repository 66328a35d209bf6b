"""Dates an article mentions → calendar values, resolved against its publication date.

The model finds the expressions (DATE spans); this module decides what each one points
at. `Thursday` in an article of Friday 2022-02-11 is 2022-02-10; `Feb. 20` is
2022-02-20; `next month` is 2022-03 as a month. Every resolved date carries:

- `value` and `resolution`: the smallest calendar unit that holds the whole expression
  (`YYYY-MM-DD` day, `YYYY-MM` month, `YYYY` year). A week has no unit of its own, so
  `last week` gets the month (or year) that holds all seven days;
- `date_start`, `date_end`: the days the expression spans, inclusive (`last week` → its
  Monday and Sunday), for range queries and charts.

Durations (`three decades`, `eight years`, `90-minute`), times of day and expressions
with nothing to anchor them (`the end of`) are not dates and are dropped, as are relative
expressions when the article has no publication date.

How an expression without a year is placed in time:

- a weekday is the last such day before publication, the publication day itself, or the
  next one when the sentence's tense around it speaks of the future: the words before it
  in its clause (`could arrive on Sunday`, `is due to`, `will meet on Saturday`), unless a
  past verb governs it (`said on Saturday`, `said after Monday's meeting`) or the clause
  reports in the past (`Borrell told reporters on Monday`); else the first tense the rest
  of its sentence shows, up to a reported clause (`the Saturday visit to Munich, where
  Harris is expected to meet …` → the coming Saturday; `Talks on Monday ended …` → the
  last Monday; `… after Monday's meeting that … could` → the last Monday);
- a month name or a day of a month is the occurrence nearest the publication date
  (`June` in February 2022 → 2022-06, `September` → 2021-09), unless `last`, `since`,
  `next` or `until` says which way;
- a day of the month alone (`on the 14th`) is that day in the publication's month or the one
  before or after: the nearest, unless the tense before it says which way.

Days the model put in a TIME span (`by Monday night`, `tonight`) or called an ORDINAL (`on the
6th.`) are dates too (`with_missed_dates`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from dataclasses import dataclass

from transforms.amounts import NUMBER_WORDS


@dataclass(frozen=True)
class DateMention:
    char_start: int
    char_end: int
    text: str
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    resolution: str  # day, month or year
    date_start: dt.date
    date_end: dt.date


MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_SHIFT = r"(?P<shift>last|next|this|earlier this|later this|early next|late last|early this|late this)"
_EDGE = r"(?:(?P<edge>early|mid|late|the end of|the beginning of|the start of|the middle of|end of|beginning of|start of)[\s-]+)?"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("iso", r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)"),
        # `15/03/2021`, `30.06.2022`: day first unless only month first makes a date (`07/25/2024`).
        ("numeric", r"(?P<first>[0-3]?\d)(?P<sep>[/.])(?P<second>[01]?\d|[0-3]\d)(?P=sep)(?P<year>(?:19|20)\d\d)"),
        # `June last year`, `March next year`: the month of that year.
        ("month_of_year", rf"{_MONTH}\s+(?P<yshift>last|next|this)\s+year"),
        ("month_day", rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"),
        ("day_month", rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
        ("weekday_date", rf"{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"),
        # `Tuesday 18 March`, `Wednesday, 26th March 2025`: the British order.
        ("weekday_date", rf"{_WEEKDAY},?\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
        # `on the 14th`: a day of the month the article is in, or of the one before or after.
        ("day_of_month", r"the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)"),
        ("month_year", rf"{_EDGE}{_MONTH},?\s+{_YEAR}"),
        ("month", rf"(?:{_SHIFT}\s+)?{_EDGE}{_MONTH}"),
        ("year", rf"(?:(?:in|of)\s+)?{_EDGE}{_YEAR}"),
        ("weekday", rf"(?:(?P<shift>last|next|this|early|late|on)\s+)?{_WEEKDAY}{_PART_OF_DAY}"),
        ("relative_day", r"(?P<word>today|yesterday|tomorrow|tonight|this\s+(?:morning|afternoon|evening))"),
        (
            "period",
            r"(?P<shift>this|last|next|earlier this|later this|early next|late next|late last|early this|late this)\s+(?P<unit>week|weekend|month|year)",
        ),
        (
            "period",
            r"(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?(?P<shift>this|last|next)?\s*(?P<unit>week|month|year)",
        ),
        ("ago", r"(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>day|week|month|year)s?\s+ago"),
    ]
]
_MONTH_WORD = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_INNER = re.compile(
    rf"\b(?:{_MONTH_WORD}(?:\s+[0-3]?\d(?:st|nd|rd|th)?\b)?(?:,?\s+(?:19|20)\d\d\b)?"
    rf"|[0-3]?\d\s+{_MONTH_WORD}(?:\s+(?:19|20)\d\d\b)?"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:today|yesterday|tomorrow|tonight)"  # `the plenary tomorrow`: a span the model ran over a noun
    r"|(?<![\d-])(?:19|20)\d\d(?![\d-]|s\b))(?!\w)",
    re.IGNORECASE,
)
# `a week ago`, `three days ago`: the counts the date patterns read, from the one number table.
_NUMBER_WORDS = {"a": 1, **{word: n for word, n in NUMBER_WORDS.items() if 1 <= n <= 10}}
# `the` stays before a day's ordinal (`the 14th`, `the 4th of April`): it is part of the date.
_TRIM = re.compile(
    r"^(?:(?:on|in|at|by|since|until|till|from|during|before|after"
    r"|the(?!\s+(?:[0-3]?\d(?:st|nd|rd|th)|day\s+(?:before|after)|(?:previous|next|following)\s+day)\b)|of)\s+)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:['’]s|[\s,.;:'’\"“”()])+$")
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|could|would|must|due|expects?|expected|scheduled|set to|plans? to|planned to|is to|are to|"
    r"going to|until|till|next|upcoming|ahead of|set for)\b",
    re.IGNORECASE,
)
# A dot before a lower-case word or a number is an abbreviation's (`on Feb. 13 to …`), no end.
_CLAUSE_START = re.compile(r"[;!?]\s|\.\s(?![a-z\d])|[,—–]\s|\n")
# A past verb right before a weekday (`said on Saturday`, `met Monday`) fixes its direction;
# participles of planning (`scheduled for Saturday`) do not.
_PLANNING = frozenset("scheduled expected planned slated set due billed timed".split())
# A regular past verb: a lowercase word in -ed (`Leeds United` is a name), but not one of the
# common words that only end so (no tagger runs here: spaCy's is not loaded in the pipeline).
_ED_VERB = (
    r"(?!(?:hundred|kindred|sacred|naked|wicked|rugged|beloved|wretched|indeed|speed|bleed|breed|greed|creed|"
    r"proceed|exceed|succeed)\b)(?-i:[a-z]\w{2,}ed)"
)
_PAST_BEFORE = re.compile(
    rf"\b(?P<verb>said|told|met|spoke|held|was|were|had|did|began|took|came|went|{_ED_VERB})\s+"
    r"(?:(?:on|last|after|before|since|during|at|over|by)\s+)?$",
    re.I,
)
# A reporting verb in the past anywhere in the clause before (`Borrell told reporters on
# Monday`): what was said, was said then.
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|told|announced|confirmed|reported|added|wrote|tweeted|warned|urged|insisted|stressed|noted|"
    r"asked|replied|declared|claimed|explained|admitted|acknowledged|denied|met|spoke|visited|signed|held)\b",
    re.I,
)
# Where the rest of a sentence stops speaking of the mention: a reported or contrasting clause.
_CLAUSE_BREAK = re.compile(r"\b(?:that|because|but|although|though|while|whereas|adding|saying)\b|;", re.I)
# The first tense cue in the rest of a sentence: a future word, or a past verb.
_TENSE_AFTER = re.compile(
    rf"(?P<future>{_FUTURE.pattern})|\b(?P<past>said|told|met|spoke|held|was|were|had|did|began|took|came|went|{_ED_VERB})\b",
    re.IGNORECASE,
)


# Day dates the model sometimes leaves out or calls something else (`from Feb 1` as LAW,
# `between 15/03/2021 and 30/06/2022` as nothing): a capitalized month name and a day, or a
# numeric date with its year.
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY_DATE = re.compile(
    rf"(?<![\w/.-])(?:{_MONTH_NAME}\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?"
    rf"|[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}(?:,?\s+(?:19|20)\d\d)?"
    r"|[0-3]?\d([/.])[01]?\d\1(?:19|20)\d\d)(?![\w/]|\.\d)"
)
# Labels a found day date may replace (the model's misreadings of one); a name keeps its
# words (`the June 4th Movement`).
_MISREAD_AS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LAW", "PRODUCT", "LANGUAGE"})


# `on the 6th.`: a day of the month the model called an ORDINAL; only where nothing follows it
# (`on the 6th floor` is none).
_ORDINAL_DAY = re.compile(
    r"\b(?:on|by|until|till|from|before|after)\s+(?P<date>the\s+[0-3]?\d(?:st|nd|rd|th))(?=\s*(?:[.,;:!?)\n]|$))", re.I
)
_AN_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)\b", re.I)  # as _ORDINAL_DAY reads it
# A day the model put in a TIME span (`Monday night`, `by Sunday evening`, `tonight`): the day,
# without its time of day.
_DAY_IN_TIME = re.compile(
    r"(?:\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?|gmt|utc)?\s+)?"  # `4pm yesterday`, `10:00 GMT on Tuesday`
    r"(?:(?:the\s+)?(?:early|small|wee)\s+hours\s+of\s+)?"  # `the early hours of this morning`
    r"(?:(?:on|by|until|till|from|late|early|this)\s+)?"
    r"(?P<date>monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|yesterday|today|tomorrow"
    r"|this\s+(?:morning|afternoon|evening))"
    r"(?:\s+(?:morning|afternoon|evening|night))?",
    re.I,
)


def with_missed_dates(body: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`spans` (the model's, over `body`) with the day dates it missed as DATE spans, in
    place of the number spans they overlap, and the days in its TIME spans as DATE spans."""
    found = []
    ordinal_days = _ORDINAL_DAY.finditer(body) if _AN_ORDINAL.search(body) else ()  # the cheap test first: most bodies have none
    for m in itertools.chain(_DAY_DATE.finditer(body), ordinal_days):
        s, e = m.span("date") if "date" in m.re.groupindex else m.span()
        # an entity that is the day date and nothing more is a misreading whatever its label
        # (`on 3rd September` as FAC, `on 9 September` as EVENT)
        overlapping = [label for a, b, label in spans if a < e and s < b and (a, b) != (s, e)]
        if all(label in _MISREAD_AS for label in overlapping):
            found.append((s, e))
    days = [(a, b, t) for a, b, label in spans if label == "TIME" and (t := _DAY_IN_TIME.fullmatch(body, a, b))]
    if days:
        in_times = {(a, b) for a, b, _ in days}
        spans = sorted(
            [x for x in spans if not (x[2] == "TIME" and (x[0], x[1]) in in_times)]
            + [(t.start("date"), t.end("date"), "DATE") for _, _, t in days]
        )
    if not found:
        return spans
    kept = [(a, b, label) for a, b, label in spans if not any(a < e and s < b for s, e in found)]
    return sorted(kept + [(s, e, "DATE") for s, e in found])


# The present tense of a timetable in the clause before a weekday (`Voting begins on`, `the
# new rules take effect on`, `City face Liverpool on`, `Nominations close on`): the coming day.
# Not after a determiner, where the word is a noun (`a visit on Monday`, `the close on Friday`),
# nor after an object pronoun, where it is a bare infinitive whose tense is another verb's
# (`Police let him go on Monday`, `made them return on Friday`).
_SCHEDULED = re.compile(
    r"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )"
    r"(?<!\bhim )(?<!\bthem )(?<!\bus )(?<!\bme )(?<!\byou )"
    r"\b(?:begins?|starts?|opens?|closes?|ends?|resumes?|reopens?|reconvenes?|expires?|kicks? off|"
    r"takes? effect|comes? into (?:force|effect)|goes on sale|go on sale|faces?|meets?|plays?|hosts?|visits?|"
    r"leaves?|arrives?|travels?|heads?|returns?|follows?|go|goes|needs?)\b",
    re.IGNORECASE,
)
# A past verb right after `on` and a weekday (`the cabinet on Tuesday approved`, `on Monday
# (April 7) asked`), past a bracket; not after `for` (`the vote scheduled for Friday was moved`).
_PAST_RIGHT_AFTER = re.compile(
    rf"\s*(?:\([^()]{{1,40}}\)\s*)?(?P<verb>said|told|met|spoke|held|was|were|had|did|began|took|came|went|{_ED_VERB})\b"
)


def resolve_dates(body: str, date_mentions: list[tuple[int, int, str]], published: dt.date | None) -> list[DateMention]:
    """The date mentions of one article that point at a calendar day, month or year.

    `date_mentions` are (start, end, text) spans over `body` (the model's DATE entities);
    `published` anchors relative expressions and may be None, in which case only dates
    that carry their own year are kept. Offsets in the result are narrowed to the
    expression (`on Thursday` → `Thursday`)."""
    out: list[DateMention] = []
    for start, end in _with_weekdays_joined(body, sorted((s, e) for s, e, _ in date_mentions)):
        if re.fullmatch(r"(?:the\s+|a\s+)?day", body[start:end], re.I) and (m := _DIRECTION_AFTER.match(body, end)):
            end = m.end()  # the model's `The day` of `The day before`
        start, end = _trim(body, start, end)
        if end <= start:
            continue
        text = body[start:end]
        if _BARE_YEAR.fullmatch(text) and (_in_a_name(body, start) or _FISCAL.search(body, max(0, start - 12), start)):
            continue  # `Budget 2024`, `Vision 2030`, `Euro 2024`: a year inside a name; `fiscal 2026`
        if told := _DAY_BEFORE_OR_AFTER.fullmatch(text):
            context = _before(body, start) + " " + _after(body, end)
            # only `the day before`/`after` takes an object; `the next day` is followed by its clause
            alone = _CLAUSE_ENDS.match(body, end) if told.group("dir") else not _THAN.match(body, end)
            if alone and (day := _day_next_to(out, text, published, context)) is not None:
                out.append(DateMention(start, end, text, day.isoformat(), "day", day, day))
            continue
        resolved = _resolve(text, published, _before(body, start), after=_after(body, end))
        if resolved is not None:
            first, last, resolution = resolved
            out.append(DateMention(start, end, text, _value(first, last, resolution), resolution, first, last))
            continue
        out.extend(_dates_inside(body, start, text, published))
    return out


# A weekday and the date right after it are one date (`on Thursday, 20 November`), which the
# model often gives as two spans.
_WEEKDAY_ONLY = re.compile(rf"(?:on\s+)?{_WEEKDAY}", re.IGNORECASE)
_A_DATE_NEXT = re.compile(rf",?\s+(?=(?:the\s+)?[0-3]?\d(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_NAME}|{_MONTH_NAME}\s+[0-3]?\d\b)")


def _with_weekdays_joined(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` with each weekday joined to the day and month that follow it. When the model's
    span runs on past that date (`Thursday` + `20 November and Friday`), the rest is a span of
    its own (`Friday`), to be joined in turn."""
    out: list[tuple[int, int]] = []
    todo = list(reversed(spans))
    while todo:
        start, end = todo.pop()
        if out and _WEEKDAY_ONLY.fullmatch(body, *out[-1]) and (m := _A_DATE_NEXT.match(body, out[-1][1])) and m.end() == start:
            date = _DAY_DATE.match(body, start, end)
            if date is not None:
                out[-1] = (out[-1][0], date.end())
                if rest := _JOINED_REST.fullmatch(body, date.end(), end):
                    todo.append(rest.span("rest"))
                continue
        out.append((start, end))
    return out


# What follows a date inside a longer span: `and Friday`, `to Sunday`.
_JOINED_REST = re.compile(r"\s*(?:and|or|to|through|till|until|[-–—])\s+(?P<rest>\S.*)", re.IGNORECASE | re.DOTALL)


def _dates_inside(body: str, start: int, text: str, published: dt.date | None) -> list[DateMention]:
    """The dates in a longer span at `start` (`the six months to September`, `between Feb. 14
    and Feb. 25, 2022`)."""
    out = []
    years = re.findall(r"(?<![\d-])((?:19|20)\d\d)(?![\d-]|s\b)", text)
    for m in _INNER.finditer(text):
        s, e = start + m.start(), start + m.end()
        if _BARE_YEAR.fullmatch(body[s:e]) and _FISCAL.search(body, max(0, s - 12), s):
            continue
        resolved = _resolve(body[s:e], published, _before(body, s), int(years[-1]) if years else None)
        if resolved is not None:
            first, last, resolution = resolved
            out.append(DateMention(s, e, body[s:e], _value(first, last, resolution), resolution, first, last))
    return out


_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_DIRECTION_AFTER = re.compile(r"\s+(?:before|after|earlier|later)\b", re.IGNORECASE)
# A fiscal year is no calendar year (`fiscal 2026`, `FY 2025`).
_FISCAL = re.compile(r"\b(?:fiscal(?:\s+year)?|FY)\s*$", re.IGNORECASE)
# A day told from another the article names (`The day before, …`, `the following day`).
_DAY_BEFORE_OR_AFTER = re.compile(
    r"(?P<the>the\s+)?(?:day\s+(?P<dir>before|after)|(?P<dir2>previous|next|following)\s+day|"
    r"a\s+day\s+(?P<dir3>earlier|later))",
    re.IGNORECASE,
)


# `the day before` ends its clause when it tells a day from one named earlier; before a noun it
# tells one from that noun (`the day before the Oscars`), which this module does not read.
_CLAUSE_ENDS = re.compile(r"\s*(?:[.,;:!?)\]—–\"”’]|$)")
# `a day earlier than planned`: a comparison, no day.
_THAN = re.compile(r"\s+than\b", re.IGNORECASE)


def _day_next_to(found: list[DateMention], text: str, published: dt.date | None, context: str) -> dt.date | None:
    """The day before or after the last day the article named before `text`: in a sentence
    in the past tense, the last such day not after publication (`Markets had priced in the cut
    the day before`, after a future meeting was named, is the day before the cut)."""
    m = _DAY_BEFORE_OR_AFTER.fullmatch(text)
    assert m is not None  # checked by the caller
    word = (m.group("dir") or m.group("dir2") or m.group("dir3")).lower()
    step = -1 if word in ("before", "previous", "earlier") else 1
    days = [d.date_start for d in found if d.resolution == "day"]
    cues = list(_TENSE_AFTER.finditer(context))
    if published is not None and cues and not any(c.group("future") for c in cues):
        days = [d for d in days if d <= published] or days
    return days[-1] + dt.timedelta(days=step) if days else None


# A capitalized word right before a year, not opening its sentence and not itself a date word.
# A sentence may end inside its closing quote or bracket (`… lives." In 2001, …`).
_NAME_BEFORE_YEAR = re.compile(r"(?:^|(?P<boundary>[.!?:][\"'”’»)\]]*\s+|\n)|\s)(?P<word>[A-Z][A-Za-z]+)\s+$")


def _in_a_name(body: str, start: int) -> bool:
    """Whether the year at `start` follows a capitalized word that is no month or weekday
    and does not open the sentence (`the Budget 2024 plan`, `Saudi Vision 2030`; not `In
    2024` opening a sentence, `January 2024`, `Friday 2024`)."""
    m = _NAME_BEFORE_YEAR.search(body, max(0, start - 40), start)
    if m is None or m.group("boundary") is not None or m.start("word") == 0:
        return False
    word = m.group("word").lower()
    return word not in MONTHS and word not in WEEKDAYS


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    span = body[start:end]
    if m := _TRIM.match(span):
        start += m.end()
    span = body[start:end]
    if m := _TRAILING.search(span):
        end = start + m.start()
    return start, end


def _before(body: str, start: int) -> str:
    """The clause before a mention: where tense cues live (`could arrive on`)."""
    window = body[max(0, start - 120) : start]
    cuts = list(_CLAUSE_START.finditer(window))
    return window[cuts[-1].end() :] if cuts else window


def _after(body: str, end: int) -> str:
    """The rest of a mention's sentence: where the tense shows when nothing before the
    mention says it (`the Saturday visit to Munich, where she is expected to …`)."""
    window = body[end : end + 160]
    stop = re.search(r"[.;!?](?:\s|$)|\n", window)
    return window[: stop.start()] if stop else window


def _value(first: dt.date, last: dt.date, resolution: str) -> str:
    if resolution == "day":
        return first.isoformat()
    if resolution == "month":
        return f"{first.year:04d}-{first.month:02d}"
    middle = first + (last - first) / 2  # a week across New Year: the year of most of it
    return f"{middle.year:04d}"


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"


def _year_range(year: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def _day(d: dt.date) -> tuple[dt.date, dt.date, str]:
    return d, d, "day"


def _span(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date, str]:
    """A stretch of days (a week, a weekend): its smallest calendar unit."""
    if first == last:
        return _day(first)
    if (first.year, first.month) == (last.year, last.month):
        return first, last, "month"
    # Across New Year no unit holds it all: the year holding most of it (ISO's rule).
    return first, last, "year"


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _nearest_month(month: int, published: dt.date, direction: str | None) -> tuple[int, int]:
    """The year of the occurrence of `month` nearest `published`, or the last/next one."""
    options = [(published.year + d, month) for d in (-1, 0, 1)]
    here = published.year * 12 + published.month

    def distance(ym: tuple[int, int]) -> int:
        return ym[0] * 12 + ym[1] - here

    if direction == "past":
        options = [o for o in options if distance(o) <= 0]
        return max(options, key=distance)
    if direction == "strict_past":
        options = [o for o in options if distance(o) < 0]
        return max(options, key=distance)
    if direction == "future":
        options = [o for o in options if distance(o) >= 0]
        return min(options, key=distance)
    if direction == "strict_future":
        options = [o for o in options if distance(o) > 0]
        return min(options, key=distance)
    return min(options, key=lambda o: (abs(distance(o)), distance(o) > 0))


# How far (in months) the nearest occurrence of a month may lie against the tense of its
# clause: nearer, it wins (`postponed to 2nd December` in October is this December); from
# four months on, the tense decides (`in the year to June` in January is last June, `will
# be added from December` in May is this December).
_TENSE_DECIDES_FROM = 4


_PASSIVE = re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE)
# A participle after `has`/`have` (a present perfect) or `be` (a passive) is no simple past.
_PERFECT_OR_PASSIVE = re.compile(r"\b(?:has|have|be|been|being)\s+$", re.IGNORECASE)
# A participle after a present `is`/`are` is a present passive (`if the moon is sighted on
# Saturday`), no past.
_PRESENT_PASSIVE = re.compile(r"\b(?:is|are|am)\s+$", re.IGNORECASE)
_RELATIVE_FUTURE = frozenset({"ahead of", "until", "till", "upcoming"})
# A deadline right before a weekday (`by Monday`, `by midday on Monday`, `by the close of business on`).
_DEADLINE = re.compile(
    r"\bby\s+(?:(?:midday|noon|midnight|(?:the\s+)?(?:close|end)\s+of\s+(?:business|play|the\s+day))\s+(?:on\s+)?)?$",
    re.IGNORECASE,
)


def _tense(before: str, month: int, published: dt.date) -> str | None:
    """`past` or `future` when the last tense cue in the clause before a month
    (`would be drilled between April and`, `backdated to`) points away from its nearest
    occurrence, and that occurrence is `_TENSE_DECIDES_FROM` months away or more."""
    # A participle after `be` (`would be added`) is no tense of its own.
    cues = [m for m in _TENSE_AFTER.finditer(before) if not (m.group("past") and _PASSIVE.search(before, 0, m.start()))]
    if not cues:
        return None
    last = cues[-1]
    if last.group("past") and last.group("past").lower() in _PLANNING:
        return None
    direction = "future" if last.group("future") else "past"
    year, _ = _nearest_month(month, published, None)
    distance = (year * 12 + month) - (published.year * 12 + published.month)
    if abs(distance) < _TENSE_DECIDES_FROM or (distance > 0) == (direction == "future"):
        return None
    return direction


def _direction(shift: str | None, before: str) -> str | None:
    shift = (shift or "").lower()
    if shift in ("last", "late last"):
        return "strict_past"
    if shift in ("next", "early next"):
        return "strict_future"
    words = before.lower().split()
    last_word = words[-1] if words else ""
    if last_word == "since" or re.search(r"\b(?:ago|earlier|last)\b", before, re.I):
        return "past"
    if last_word in ("until", "till", "by") or re.search(r"\b(?:next|until)\b", before, re.I):
        return "future"
    return None


def _resolve(  # noqa: C901
    text: str, published: dt.date | None, before: str, year_hint: int | None = None, after: str = ""
) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, resolution) of a date expression; `year_hint` is a year the
    surrounding words give (`between Feb. 14 and Feb. 25, 2022`)."""
    for name, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        g = m.groupdict()
        month = _month_number(g.get("month"))
        if (
            name in ("month", "month_day", "day_month", "month_year", "weekday_date", "month_of_year")
            and month
            and not _is_month_word(g["month"])
        ):
            return None  # `may` the verb, `march` the noun
        if month is None and name in ("month_day", "day_month", "weekday_date", "month_year", "month", "month_of_year"):
            continue  # a month word the table does not know
        month = month or 0  # set wherever a branch below reads it (checked just above)
        try:
            if name == "iso":
                return _day(dt.date(int(g["year"]), int(g["month"]), int(g["day"])))
            if name == "numeric":
                first, second = int(g["first"]), int(g["second"])
                day, month = (first, second) if second <= 12 else (second, first)
                return _day(dt.date(int(g["year"]), month, day))
            if name == "month_of_year":
                if published is None:
                    return None
                step = {"last": -1, "next": 1, "this": 0}[g["yshift"].lower()]
                return _month_range(published.year + step, month)
            if name == "day_of_month":
                if published is None:
                    return None
                return _day(_day_of_month(int(g["day"]), published, before))
            if name in ("month_day", "day_month", "weekday_date"):
                day = int(g["day"])
                if year := g.get("year") or year_hint:
                    return _day(dt.date(int(year), month, day))
                if published is None:
                    return None
                year, _ = _nearest_month(month, published, _direction(None, before) or _tense(before, month, published))
                return _day(dt.date(year, month, day))
            if name == "month_year":
                return _month_range(int(g["year"]), month)
            if name == "month":
                if year_hint and not g.get("shift"):
                    return _month_range(year_hint, month)
                if published is None:
                    return None
                shift = (g.get("shift") or "").lower()
                if shift.endswith("this"):
                    return _month_range(published.year, month)
                year, _ = _nearest_month(month, published, _direction(shift, before) or _tense(before, month, published))
                return _month_range(year, month)
            if name == "year":
                return _year_range(int(g["year"]))
            if name == "weekday":
                if published is None:
                    return None
                return _day(_weekday(WEEKDAYS[g["weekday"].lower()], published, g.get("shift"), before, after))
            if name == "relative_day":
                if published is None:
                    return None
                delta = {"yesterday": -1, "tomorrow": 1}.get(g["word"].lower(), 0)  # today, tonight, this morning
                return _day(published + dt.timedelta(days=delta))
            if name == "period":
                if published is None:
                    return None
                return _period((g["shift"] or "this").lower(), g["unit"].lower(), published)
            if name == "ago":
                if published is None:
                    return None
                n = int(g["n"]) if g["n"].isdigit() else _NUMBER_WORDS[g["n"].lower()]
                return _ago(n, g["unit"].lower(), published)
        except ValueError:
            return None  # `Feb. 30`
    return None


def _month_number(word: str | None) -> int | None:
    if not word or word.isdigit():
        return int(word) if word else None
    return MONTHS.get(word.lower().rstrip("."))


def _is_month_word(word: str) -> bool:
    """Month names are proper nouns: `May`, `MAY`, never `may`."""
    return word[:1].isupper()


def _weekday(weekday: int, published: dt.date, shift: str | None, before: str, after: str = "") -> dt.date:  # noqa: C901
    shift = (shift or "").lower()
    back = (published.weekday() - weekday) % 7
    if shift == "next":
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    if shift == "last":
        return published - dt.timedelta(days=back or 7)
    if back == 0:
        return published
    forward, backward = published + dt.timedelta(days=7 - back), published - dt.timedelta(days=back)
    if (
        re.search(r"\bon\s*$", before, re.I)
        and (m := _PAST_RIGHT_AFTER.match(after))
        and m.group("verb").lower() not in _PLANNING
    ):
        return backward  # `Nersa on Monday approved …`: the verb `on Monday` modifies is past
    if re.search(r"\bon\s*$", before, re.I) and _SCHEDULED.match(after.lstrip()):
        return forward  # `Grand Kadooment on Monday closes the festival`: a timetable
    futures = [m.group(0).lower() for m in _FUTURE.finditer(before)]
    # `ahead of`, `until` speak of a time after the clause's own: after a past perfect, the past
    # (`economists had forecast ahead of Friday's announcement`); a past perfect before the day
    # is the past whatever follows (`she had completed the novel on Tuesday, ahead of …`).
    perfect = re.search(r"\bhad\b", before, re.I)
    if any(f not in _RELATIVE_FUTURE for f in futures) or (futures and not perfect):
        return forward
    if (
        (m := _PAST_BEFORE.search(before))
        and m.group("verb").lower() not in _PLANNING
        and not _PRESENT_PASSIVE.search(before, 0, m.start("verb"))
    ):
        return backward
    if _REPORTED_BEFORE.search(before) or perfect:
        return backward
    if _DEADLINE.search(before) and not any(
        m.group("past") and not _PERFECT_OR_PASSIVE.search(before, 0, m.start()) for m in _TENSE_AFTER.finditer(before)
    ):
        return forward  # `has called on them to recall the notice by midday on Monday`; not `were up 5% by noon on`
    if _SCHEDULED.search(before) and not any(m.group("past") for m in _TENSE_AFTER.finditer(before)):
        return forward  # `Voting begins on Saturday`, `City face Liverpool on Sunday`: a timetable
    if cut := _CLAUSE_BREAK.search(after):
        after = after[: cut.start()]
    for m in _TENSE_AFTER.finditer(after):
        if m.group("future"):
            return forward
        if m.group("past").lower() not in _PLANNING:
            return backward
    return forward if shift == "this" else backward  # `the match this Saturday`: the coming one


def _day_of_month(day: int, published: dt.date, before: str) -> dt.date:
    """`the 14th`: that day in the publication's month or the month before or after, the
    nearest one unless the tense says which way (`will meet on the 6th`, written on 30 October,
    is 6 November; `was signed on the 28th`, written on the 2nd, is the 28th of the month before)."""
    options = []
    for delta in (-1, 0, 1):
        year, month = _shift_months(published.year, published.month, delta)
        if day <= calendar.monthrange(year, month)[1]:
            options.append(dt.date(year, month, day))
    if not options:
        raise ValueError(day)  # `the 35th`: caught by the caller as no date
    tense = "future" if _FUTURE.search(before) else None
    if tense is None and (
        ((m := _PAST_BEFORE.search(before)) and m.group("verb").lower() not in _PLANNING) or _REPORTED_BEFORE.search(before)
    ):
        tense = "past"
    if tense == "future" and (later := [d for d in options if d >= published]):
        return min(later)
    if tense == "past" and (earlier := [d for d in options if d <= published]):
        return max(earlier)
    return min(options, key=lambda d: (abs((d - published).days), d > published))


def _period(shift: str, unit: str, published: dt.date) -> tuple[dt.date, dt.date, str]:
    step = {"last": -1, "late last": -1, "next": 1, "early next": 1, "late next": 1}.get(shift, 0)
    if unit in ("week", "weekend"):
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
        if unit == "weekend":
            return _span(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6))
        return _span(monday, monday + dt.timedelta(days=6))
    if unit == "month":
        year, month = _shift_months(published.year, published.month, step)
        return _month_range(year, month)
    return _year_range(published.year + step)


def _ago(n: int, unit: str, published: dt.date) -> tuple[dt.date, dt.date, str]:
    if unit == "day":
        return _day(published - dt.timedelta(days=n))
    if unit == "week":
        return _period("this", "week", published - dt.timedelta(weeks=n))
    if unit == "month":
        year, month = _shift_months(published.year, published.month, -n)
        return _month_range(year, month)
    return _year_range(published.year - n)
