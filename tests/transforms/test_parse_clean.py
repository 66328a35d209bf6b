import datetime as dt

import pytest

from transforms.clean import Paragraph, clean_body, repair_quotes
from transforms.parse import parse_byline, parse_date, parse_plain_text, split_lines
from transforms.reference import DEFAULT_REFERENCE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By AFP", ([], "AFP")),
        ("By Jane Doe and John Roe", (["Jane Doe", "John Roe"], None)),
        ("Jane Doe | Reuters", (["Jane Doe"], "Reuters")),
        ("By Jane Doe, Associated Press", (["Jane Doe"], "AP")),
        ("By Anna Smith, Tom Jones & Li Wei", (["Anna Smith", "Tom Jones", "Li Wei"], None)),
    ],
)
def test_bylines_split_authors_from_agencies(line, expected):
    if "|" in line:
        names, agency = line.split("|")
        assert (parse_byline(names)[0], DEFAULT_REFERENCE.agency(agency)) == expected
    else:
        assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 11, 2022", dt.date(2022, 2, 11)),
        ("Feb. 11, 2022", dt.date(2022, 2, 11)),
        ("11 February 2022", dt.date(2022, 2, 11)),
        ("2022-02-11T09:30:00Z", dt.date(2022, 2, 11)),
        ("Friday, February 11, 2022 9:30 AM EST", dt.date(2022, 2, 11)),
        ("2091-01-01", None),  # in the future
        ("1850-01-01", None),  # impossibly old
        ("Thursday", None),  # no year
        ("Russia rolled its tanks across Belarus in 2022", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, today=dt.date(2026, 11, 21)) == expected


def test_key_value_header_block():
    text = "Title: Talks in Geneva\nDate: 11 February 2022\nAuthor: Jane Doe\nSource: Reuters\n\nBody starts here.\n"
    parsed = parse_plain_text(text)
    h = parsed.header
    assert (h.title, h.published_date, h.date_source, h.authors, h.source) == (
        "Talks in Geneva",
        dt.date(2022, 2, 11),
        "header",
        ["Jane Doe"],
        "Reuters",
    )
    assert [line.text for line in parsed.body] == ["Body starts here."]


def test_title_only_file_has_no_body():
    parsed = parse_plain_text("Just a headline\n")
    assert parsed.header.title == "Just a headline"
    assert parsed.body == []


def _clean(text):
    cleaned = clean_body(split_lines(text))
    return [p.text for p in cleaned.paragraphs], [(r.line_no, r.rule) for r in cleaned.removed]


def test_hyphenation_and_wraps():
    text = "Its missile capabili-\nties are self-\ncontained and the Russia-\nBelarus drills go on,\nofficials said.\n"
    assert _clean(text) == (["Its missile capabilities are self-contained and the Russia-Belarus drills go on, officials said."], [])


def test_unwrapped_paragraphs_stay_apart():
    long1 = "First paragraph " + "word " * 50 + "ends here."
    long2 = "Second paragraph " + "word " * 50 + "ends here."
    assert _clean(f"{long1}\n{long2}\n")[0] == [long1, long2]


def test_junk_rules():
    text = (
        "Real news starts here.\n\n"
        "Read more: Something else entirely\n\n"
        "Advertisement\n\n"
        "Soldiers at a checkpoint near the border.\nPhoto: AP\n\n"
        "~~ | ;; ..\n\n"
        "And it ends here.\n"
    )
    assert _clean(text) == (
        ["Real news starts here.", "And it ends here."],
        [(3, "related_link"), (5, "boilerplate"), (7, "photo_caption"), (8, "photo_credit"), (10, "ocr_noise")],
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('Kyiv called it "psychological pressure\' while Paris called it "a gesture."', 'Kyiv called it "psychological pressure" while Paris called it "a gesture."'),
        ('marked a ""dangerous moment" for Europe', 'marked a "dangerous moment" for Europe'),
        ('"The call was useful,\' the Pentagon said.', '"The call was useful," the Pentagon said.'),
        ("NATO's view and the states' view stay as they are.", "NATO's view and the states' view stay as they are."),
        ("“Belarus’s borders,” he said.", "“Belarus’s borders,” he said."),
    ],
)
def test_quote_repair(before, after):
    para = Paragraph()
    para.append(before, 0)
    repair_quotes(para)
    assert para.text == after
    assert len(para.offsets) == len(para.text)
