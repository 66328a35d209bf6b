"""Body lines → clean paragraphs.

Drops junk lines (OCR noise, photo captions and credits, "Related article" links,
share/subscribe boilerplate), re-joins hard-wrapped lines and line-end hyphenation, and
repairs quote marks whose pairing is clear. Every dropped line is returned with the rule
that dropped it; every character of the clean text keeps the offset of the character of
the decoded source it came from, so a sentence can always be traced back to the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.english import english_words
from transforms.parse import Line, split_blocks

OCR_NOISE = "ocr_noise"
PHOTO_CAPTION = "photo_caption"
PHOTO_CREDIT = "photo_credit"
RELATED_LINK = "related_link"
BOILERPLATE = "boilerplate"
PAGE_FURNITURE = "page_furniture"  # running headers/footers and page numbers of a PDF export
HTML_BOILERPLATE = "html_boilerplate"  # page text outside the article (nav, share bar, footer, asides)
HTML_CODE = "html_code"  # <script>/<style> content of an HTML page
# A copyright notice (`(c) 2023 AFP`, `© 2022 Reuters`): not body, but its year dates the
# article (transforms/article.py reads it for a dateline without a year).
COPYRIGHT = "copyright"
RULES = (
    OCR_NOISE,
    PHOTO_CAPTION,
    PHOTO_CREDIT,
    RELATED_LINK,
    BOILERPLATE,
    PAGE_FURNITURE,
    HTML_BOILERPLATE,
    HTML_CODE,
    COPYRIGHT,
)


@dataclass(frozen=True)
class RemovedLine:
    line_no: int
    text: str
    rule: str


@dataclass
class Paragraph:
    """Clean text plus, per character, its offset in the decoded source text."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)

    def append(self, text: str, offset: int) -> None:
        self.text += text
        self.offsets.extend(range(offset, offset + len(text)))

    def append_separator(self, sep: str, offset: int) -> None:
        self.text += sep
        self.offsets.extend([offset] * len(sep))

    def replace(self, start: int, end: int, new: str) -> None:
        anchor = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
        if len(new) == end - start:
            new_offsets = self.offsets[start:end]
        else:
            new_offsets = [anchor] * len(new)
        self.text = self.text[:start] + new + self.text[end:]
        self.offsets[start:end] = new_offsets

    def strip_prefix(self, length: int) -> None:
        self.text = self.text[length:]
        del self.offsets[:length]


@dataclass
class Cleaned:
    paragraphs: list[Paragraph]
    removed: list[RemovedLine]


_RELATED = re.compile(
    r"^\s*(related(\s+(article|articles|story|stories|content|coverage|reading|news))?|read\s+more|read\s+also|"
    r"see\s+also|also\s+read|more\s+on\s+this|more\s+from|recommended|watch|listen)\s*[:|>»–—-]",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^\s*(advertisement|advert|sponsored( content)?|share( this( article| story)?)?( on \w+)?|"
    r"subscribe( to [\w ]+)?|sign up( for [\w ]+)?|click here[\w ]*|follow us( on [\w ,]+)?|"
    r"most (read|popular|viewed)|trending( now)?|all rights reserved.*|"
    r"(tweet|email|print|facebook|twitter|whatsapp|linkedin)(\s*[|/·•]\s*(tweet|email|print|facebook|twitter|whatsapp|linkedin))*)"
    r"\s*[.!:]?\s*$",
    re.IGNORECASE,
)
# `(c) 2023 AFP`, `© 2022 Reuters`, `Copyright 2022 Interfax. All rights reserved.`,
# `Copyright © The Associated Press`: a notice line, with the year it gives if any (of a
# range, `© 2003-2024 BelTA`, the last).
# `Copyright` must be followed by a mark or a year, or the line say `all rights reserved`:
# `Copyright infringement cases rose …` is a sentence.
_COPYRIGHT = re.compile(
    r"^\s*(?:(?:copyright\s*)?(?:\(c\)|©)|copyright(?=\s*(?:19|20)\d\d\b|.*\ball rights reserved))"
    r"\s*(?:(?:(?:19|20)\d\d\s*[-–]\s*)?(?P<year>(?:19|20)\d\d)\b)?.{0,100}$",
    re.I,
)


def copyright_year(text: str) -> int | None:
    """The year of a copyright notice line (`(c) 2023 AFP` → 2023); None when it gives none."""
    m = _COPYRIGHT.match(text)
    return int(m.group("year")) if m and m.group("year") else None


# A credit standing alone: "Photo: AP", "(Photo by Jane Doe/Getty Images)", "REUTERS/Jane Doe",
# "AFP via Getty Images".
_CREDIT = re.compile(
    r"^\s*(\(?\s*(photo|photograph|image|picture|credit|file photo)s?\s*(:|by)\s*[^.]{0,80}\)?|"
    r"[\w .'-]{0,40}/\s*(getty images|reuters|ap|afp|epa|shutterstock)[\w /.'-]{0,40}|"
    r"[\w .'-]{0,40}\bvia getty images)\s*$",
    re.IGNORECASE,
)
# The heading of a list of links to other stories; the list items under it go too.
_LINK_LIST_HEADING = re.compile(
    r"^\s*(most\s+(read|popular|viewed|shared)|trending(\s+now)?|top\s+stories|more\s+stories|"
    r"you\s+may\s+also\s+like|related(\s+(articles|stories|content|coverage))?|recommended(\s+for\s+you)?)\s*:?\s*$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(\d{1,2}\s*[.)]|[•·▪►*–-])\s+\S")
# A page number standing alone: "Page 3", "Page 1 of 2", "- 4 -", "3/12".
_PAGE_NUMBER = re.compile(
    r"^\s*((page|p\.|seite|pág\.?)\s*\d+(\s*(of|/|von|de)\s*\d+)?|-\s*\d+\s*-|\d+\s*(/|of)\s*\d+)\s*$", re.I
)
# How many lines at the top and at the bottom of a page can be running heads or feet.
_FURNITURE_REACH = 3
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$|[\"”’]$")


# A word or a figure of a table's row: `Haitai 64 2 43 .596 -`, `Sales 9.06 9.31 8.42`,
# `LONDON 1996-08-30`, `Wigan 42 Bradford 36` (not noise however few its letters).
_TABLE_TOKEN = re.compile(r"[^\W\d_][\w.'’&-]*|[-+]?\d[\d.,:/%-]*|[-+]?\.\d+|[-–—]|\(|\)")


def _is_ocr_noise(text: str) -> bool:
    chars = "".join(text.split())  # str.split() drops what str.isspace() calls space
    if not chars:
        return False
    letters = sum(map(str.isalpha, chars))
    words = re.findall(r"[^\W\d_]{3,}", text)
    if letters / len(chars) >= 0.5 or len(words) >= 2:
        return False
    # A row of a table (a name or a label, then figures) is text, not scanning debris.
    tokens = text.split()
    return not (re.search(r"[^\W\d_]{2,}", text) and all(_TABLE_TOKEN.fullmatch(t) for t in tokens))


def _is_caption_with_credit(block_text: str) -> bool:
    """`<caption sentence>. <Credit In Title Case>` with no closing punctuation, as a
    photo caption with its credit appended reads in a text export."""
    if _TERMINAL.search(block_text):
        return False
    head, sep, tail = block_text.rpartition(". ")
    if not sep or not head:
        return False
    words = tail.split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() or w.lower() in {"of", "and", "the", "via", "/"} for w in words)


def line_rule(text: str) -> str | None:
    """The rule that drops a line on its own (without context), or None to keep it."""
    if _COPYRIGHT.match(text):
        return COPYRIGHT  # before OCR noise: `(c) 2023 AFP` is mostly not letters
    if _is_ocr_noise(text):
        return OCR_NOISE
    if _RELATED.match(text):
        return RELATED_LINK
    if _BOILERPLATE.match(text) or _LINK_LIST_HEADING.match(text):
        return BOILERPLATE
    if _CREDIT.match(text) and len(text) < 120:
        return PHOTO_CREDIT
    return None


def _paragraph_breaks(block: list[Line]) -> list[list[Line]]:
    """Split a block into paragraphs: lines of a hard-wrapped paragraph are joined, while a
    block of one-paragraph-per-line text (long lines, or a short line ending a sentence)
    keeps each line apart."""
    width = max(len(line.text.strip()) for line in block)
    # Every line ends a sentence: one paragraph per line, however long the lines (a hard
    # wrap ends on a sentence's end now and then, never on every line).
    one_per_line = len(block) > 1 and all(_TERMINAL.search(line.text.strip()) for line in block)
    paragraphs: list[list[Line]] = [[block[0]]]
    for prev, line in zip(block, block[1:], strict=False):
        prev_text = prev.text.strip()
        ends_sentence = bool(_TERMINAL.search(prev_text))
        unwrapped = len(prev_text) > 200  # nobody hard-wraps at 200 columns
        short = len(prev_text) < 0.6 * width
        if ends_sentence and (unwrapped or short or one_per_line) and line.text.strip()[:1].isupper():
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _joins_across_hyphen(left: str, right: str) -> bool:
    """Whether `left-` ending a line and `right` opening the next are one word the
    typesetter split (capabili-|ties, govern-|ments, pro-|grammes) rather than a compound
    broken at its own hyphen (self-|contained, long-|term, well-|known): the joined word
    is an English word, or the halves are not both words. A word list beats a list of
    prefixes: `pro-` and `long-` go both ways."""
    words = english_words()  # loaded only when a line ends in a hyphen
    left, right = left.lower(), right.lower()
    if left + right in words:
        return True
    return not (left in words and right in words)


def _join_lines(lines: list[Line]) -> Paragraph:
    para = Paragraph()
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        lead = len(line.text) - len(line.text.lstrip())
        if i > 0:
            prev = para.text
            nxt = stripped[:1]
            hyphen = re.search(r"([^\W\d_]+)-$", prev)
            if hyphen and prev[-2:-1] != " " and nxt.islower():
                right = m.group(0) if (m := re.match(r"[^\W\d_]*", stripped)) else ""
                if _joins_across_hyphen(hyphen.group(1), right):
                    para.replace(len(para.text) - 1, len(para.text), "")  # capabili-|ties
            elif prev.endswith("-") and not prev.endswith(" -") and (nxt.isalnum()):
                pass  # Russia-|Belarus: keep the hyphen, no space
            else:
                para.append_separator(" ", line.offset - 1)
        para.append(stripped, line.offset + lead)
    return para


_DOUBLED_QUOTE = re.compile(r'(?:^|(?<=\s))""(?=\w)|(?<=[\w.,!?])""(?=\s|$)')
_OPENERS = {'"': '"', "“": "”"}
_SINGLE_CLOSERS = "'’"


_DOUBLE_MARK = re.compile('[“”"]')


def repair_quotes(para: Paragraph) -> None:  # noqa: C901
    """Repair quote marks where the pairing is clear: a doubled mark (`""dangerous`) and a
    double-quoted passage closed by a single mark (`"psychological pressure'`)."""
    for match in reversed(list(_DOUBLED_QUOTE.finditer(para.text))):
        para.replace(match.start(), match.end(), '"')
    text = para.text
    marks = []  # (position, kind) with kind "open" or "close"
    for found in _DOUBLE_MARK.finditer(text):
        i, ch = found.start(), found.group()
        if ch == "“":
            marks.append((i, "open"))
        elif ch == "”":
            marks.append((i, "close"))
        elif ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isspace() or before in "([{—–-":
                marks.append((i, "open"))
            elif after.isspace() or after in ".,;:!?)]}—–-":
                marks.append((i, "close"))
            else:
                marks.append((i, "open" if not marks or marks[-1][1] == "close" else "close"))
    unmatched: list[tuple[int, int]] = []  # (opener position, search end)
    open_at: int | None = None
    for pos, kind in marks:
        if kind == "open":
            if open_at is not None:
                unmatched.append((open_at, pos))
            open_at = pos
        else:
            open_at = None
    if open_at is not None:
        unmatched.append((open_at, len(text)))
    orphans: list[tuple[int, int]] = []  # (closer position, search start)
    last_double = 0
    open_at = None
    for pos, kind in marks:
        if kind == "close" and open_at is None:
            orphans.append((pos, last_double))
        open_at = pos if kind == "open" else None
        last_double = pos + 1
    fixes: list[tuple[int, str]] = []
    for opener, end in unmatched:
        closer = _single_closer(text, opener + 1, end)
        if closer is not None:
            fixes.append((closer, _OPENERS[text[opener]]))
    for closer, start in orphans:
        # `'declined to attend."`: a double closer whose opener was typed as a single mark.
        single_opener = _single_opener(text, start, closer)
        if single_opener is not None:
            fixes.append((single_opener, "“" if text[closer] == "”" else '"'))
    for pos, mark in fixes:
        para.replace(pos, pos + 1, mark)


def _single_closer(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        if text[i] in _SINGLE_CLOSERS:
            before = text[i - 1]
            after = text[i + 1] if i + 1 < len(text) else " "
            if not before.isspace() and (after.isspace() or after in ".,;:!?)—–"):
                return i
    return None


def _single_opener(text: str, start: int, end: int) -> int | None:
    """The one single mark opening a quotation in text[start:end] (after a space, before a
    letter), provided no single mark closes it there; None when that is not clear."""
    openers = [
        i
        for i in range(start, end)
        if text[i] in "'‘" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([") and text[i + 1 : i + 2].isalnum()
    ]
    if len(openers) != 1:
        return None
    closers = [i for i in range(openers[0] + 1, end) if text[i] in "'’" and not text[i + 1 : i + 2].isalnum()]
    return openers[0] if not closers else None


def clean_body(lines: list[Line]) -> Cleaned:  # noqa: C901
    """Clean the body lines of one article (blank lines separate paragraphs)."""
    removed: list[RemovedLine] = []
    kept_blocks: list[list[Line]] = []
    in_link_list = False  # under a "Most read" heading: the items that follow are links
    for block in split_blocks(lines):
        block_text = " ".join(line.text.strip() for line in block)
        if _is_caption_with_credit(block_text) and len(block_text) < 400:
            removed.extend(
                RemovedLine(line.no, line.text.strip(), PHOTO_CREDIT if _CREDIT.match(line.text) else PHOTO_CAPTION)
                for line in block
            )
            continue
        # A heading ending its block takes a following block made only of list items.
        if in_link_list and not all(_LIST_ITEM.match(line.text) for line in block):
            in_link_list = False
        kept: list[Line] = []
        for line in block:
            text = line.text.strip()
            if in_link_list and (_LIST_ITEM.match(text) or _is_headline(text)):
                removed.append(RemovedLine(line.no, text, RELATED_LINK))
                continue
            in_link_list = False
            rule = line_rule(text)
            if rule is None:
                kept.append(line)
                continue
            if rule == PHOTO_CREDIT:
                # The caption is the short text just above its credit.
                if kept:
                    caption_lines = _caption_above(kept)
                    kept = kept[: len(kept) - len(caption_lines)]
                else:
                    caption_lines = kept_blocks.pop() if kept_blocks and _short(kept_blocks[-1]) else []
                removed.extend(RemovedLine(c.no, c.text.strip(), PHOTO_CAPTION) for c in caption_lines)
            elif rule == BOILERPLATE and _LINK_LIST_HEADING.match(text):
                in_link_list = True
            removed.append(RemovedLine(line.no, text, rule))
        if kept:
            kept_blocks.append(kept)
    paragraphs = []
    for block in kept_blocks:
        for lines_of_paragraph in _paragraph_breaks(block):
            para = _join_lines(lines_of_paragraph)
            repair_quotes(para)
            paragraphs.append(para)
    removed.sort(key=lambda r: r.line_no)
    return Cleaned(paragraphs=paragraphs, removed=removed)


def _caption_above(kept: list[Line]) -> list[Line]:
    """The caption lines just above a credit line inside a block: the last line, and the
    lines before it that it continues (a wrapped caption), at most three. In a block of
    one-paragraph-per-line text, a line ending a sentence belongs to the story above."""
    start = len(kept) - 1
    while start > 0 and len(kept) - start < 3 and not _TERMINAL.search(kept[start - 1].text.strip()):
        start -= 1
    caption = kept[start:]
    return caption if sum(len(c.text.strip()) for c in caption) < 300 else []


def _is_headline(text: str) -> bool:
    """A link's text in a list: short and not a sentence."""
    return len(text) < 100 and not _TERMINAL.search(text)


def strip_page_furniture(lines: list[Line]) -> tuple[list[Line], list[RemovedLine]]:
    """Take out the running heads, feet and page numbers that a PDF-to-text export repeats
    on every page, and re-join a paragraph that a page break cut.

    A line is furniture when, with digits ignored (`Page 1`, `Page 2`), it stands among the
    first or last lines of at least two pages and of half of them; or when it is a page
    number alone. Blank lines between a page that ends mid-sentence and the next page's
    text are dropped too, so that cleaning joins the two halves of the paragraph.
    """
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.text.strip():
            pages.setdefault(line.page, []).append(i)
    edge_keys: dict[str, set[int]] = {}
    for page, indices in pages.items():
        for i in {*indices[:_FURNITURE_REACH], *indices[-_FURNITURE_REACH:]}:
            edge_keys.setdefault(_furniture_key(lines[i].text), set()).add(page)
    repeated = {k for k, on in edge_keys.items() if len(on) >= 2 and 2 * len(on) >= len(pages)}
    furniture = {
        i
        for indices in pages.values()
        for i in {*indices[:_FURNITURE_REACH], *indices[-_FURNITURE_REACH:]}
        if _furniture_key(lines[i].text) in repeated
    }
    furniture |= {i for i, line in enumerate(lines) if _PAGE_NUMBER.match(line.text)}
    if not furniture:
        return lines, []
    removed = [RemovedLine(lines[i].no, lines[i].text.strip(), PAGE_FURNITURE) for i in sorted(furniture)]
    kept = [line for i, line in enumerate(lines) if i not in furniture]
    return _join_page_breaks(kept), removed


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def _join_page_breaks(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if line.text.strip() and out:
            last = next((prev for prev in reversed(out) if prev.text.strip()), None)
            if last is not None and last.page != line.page and not _TERMINAL.search(last.text.strip()):
                while not out[-1].text.strip():
                    out.pop()  # the paragraph goes on across the page break
        out.append(line)
    return out


def _short(block: list[Line]) -> bool:
    return len(block) <= 3 and sum(len(line.text.strip()) for line in block) < 300
