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

from transforms.parse import Line, split_blocks

OCR_NOISE = "ocr_noise"
PHOTO_CAPTION = "photo_caption"
PHOTO_CREDIT = "photo_credit"
RELATED_LINK = "related_link"
BOILERPLATE = "boilerplate"
RULES = (OCR_NOISE, PHOTO_CAPTION, PHOTO_CREDIT, RELATED_LINK, BOILERPLATE)


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
    r"most (read|popular|viewed)|trending( now)?|(all rights reserved|copyright|©).*|"
    r"(tweet|email|print|facebook|twitter|whatsapp|linkedin)(\s*[|/·•]\s*(tweet|email|print|facebook|twitter|whatsapp|linkedin))*)"
    r"\s*[.!:]?\s*$",
    re.IGNORECASE,
)
# A credit standing alone: "Photo: AP", "(Photo by Jane Doe/Getty Images)", "REUTERS/Jane Doe",
# "AFP via Getty Images".
_CREDIT = re.compile(
    r"^\s*(\(?\s*(photo|photograph|image|picture|credit|file photo)s?\s*(:|by)\s*[^.]{0,80}\)?|"
    r"[\w .'-]{0,40}/\s*(getty images|reuters|ap|afp|epa|shutterstock)[\w /.'-]{0,40}|"
    r"[\w .'-]{0,40}\bvia getty images)\s*$",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$|[\"”’]$")
# Word parts after which a line-end hyphen is a real hyphen (`self-\ncontained`).
_HYPHEN_PREFIXES = frozenset(
    "self ex non co anti pro post pre well long short high low full half cross multi "
    "semi mid quasi counter inter intra over under all former vice".split()
)


def _is_ocr_noise(text: str) -> bool:
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return False
    letters = sum(ch.isalpha() for ch in chars)
    words = re.findall(r"[^\W\d_]{3,}", text)
    return letters / len(chars) < 0.5 and len(words) < 2


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


def _line_rule(text: str) -> str | None:
    if _is_ocr_noise(text):
        return OCR_NOISE
    if _RELATED.match(text):
        return RELATED_LINK
    if _BOILERPLATE.match(text):
        return BOILERPLATE
    if _CREDIT.match(text) and len(text) < 120:
        return PHOTO_CREDIT
    return None


def _paragraph_breaks(block: list[Line]) -> list[list[Line]]:
    """Split a block into paragraphs: lines of a hard-wrapped paragraph are joined, while a
    block of one-paragraph-per-line text (long lines, or a short line ending a sentence)
    keeps each line apart."""
    width = max(len(line.text.strip()) for line in block)
    paragraphs: list[list[Line]] = [[block[0]]]
    for prev, line in zip(block, block[1:]):
        prev_text = prev.text.strip()
        ends_sentence = bool(_TERMINAL.search(prev_text))
        unwrapped = len(prev_text) > 200  # nobody hard-wraps at 200 columns
        short = len(prev_text) < 0.6 * width
        if ends_sentence and (unwrapped or short) and line.text.strip()[:1].isupper():
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


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
                if hyphen.group(1).lower() not in _HYPHEN_PREFIXES:
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


def repair_quotes(para: Paragraph) -> None:
    """Repair quote marks where the pairing is clear: a doubled mark (`""dangerous`) and a
    double-quoted passage closed by a single mark (`"psychological pressure'`)."""
    for match in reversed(list(_DOUBLED_QUOTE.finditer(para.text))):
        para.replace(match.start(), match.end(), '"')
    text = para.text
    marks = []  # (position, kind) with kind "open" or "close"
    for i, ch in enumerate(text):
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
    for opener, end in unmatched:
        closer = _single_closer(text, opener + 1, end)
        if closer is not None:
            para.replace(closer, closer + 1, _OPENERS[text[opener]])


def _single_closer(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        if text[i] in _SINGLE_CLOSERS:
            before = text[i - 1]
            after = text[i + 1] if i + 1 < len(text) else " "
            if not before.isspace() and (after.isspace() or after in ".,;:!?)—–"):
                return i
    return None


def clean_body(lines: list[Line]) -> Cleaned:
    """Clean the body lines of one article (blank lines separate paragraphs)."""
    removed: list[RemovedLine] = []
    kept_blocks: list[list[Line]] = []
    for block in split_blocks(lines):
        block_text = " ".join(line.text.strip() for line in block)
        if _is_caption_with_credit(block_text) and len(block_text) < 400:
            removed.extend(
                RemovedLine(line.no, line.text.strip(), PHOTO_CREDIT if _CREDIT.match(line.text) else PHOTO_CAPTION)
                for line in block
            )
            continue
        kept: list[Line] = []
        for line in block:
            rule = _line_rule(line.text.strip())
            if rule is None:
                kept.append(line)
                continue
            if rule == PHOTO_CREDIT:
                # The caption is the short text just above its credit.
                caption_lines = kept if kept else (kept_blocks.pop() if kept_blocks and _short(kept_blocks[-1]) else [])
                removed.extend(RemovedLine(c.no, c.text.strip(), PHOTO_CAPTION) for c in caption_lines)
                kept = []
            removed.append(RemovedLine(line.no, line.text.strip(), rule))
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


def _short(block: list[Line]) -> bool:
    return len(block) <= 3 and sum(len(line.text.strip()) for line in block) < 300
