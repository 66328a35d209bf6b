import datetime as dt

import pytest

from transforms import clean, parse
from transforms.clean import Paragraph, clean_body, repair_quotes, strip_page_furniture
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
    assert _clean(text) == (
        ["Its missile capabilities are self-contained and the Russia-Belarus drills go on, officials said."],
        [],
    )


def test_unwrapped_paragraphs_stay_apart():
    long1 = "First paragraph " + "word " * 50 + "ends here."
    long2 = "Second paragraph " + "word " * 50 + "ends here."
    assert _clean(f"{long1}\n{long2}\n")[0] == [long1, long2]


def test_table_rows_are_not_ocr_noise():
    from transforms.clean import line_rule

    for row in ("Haitai 64 2 43 .596 -", "Sales 9.06 9.31 8.42", "LONDON 1996-08-30", "OB 42 6 62 .409 20 1/2"):
        assert line_rule(row) is None, row
    for junk in ("~~ | ;; ..", "1*& *1’ ‘*\\,", ".,:: ‘ ’ —*", "l| !! ]|", "6-2 6-0", ":"):
        assert line_rule(junk) == "ocr_noise", junk


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
        (
            'Kyiv called it "psychological pressure\' while Paris called it "a gesture."',
            'Kyiv called it "psychological pressure" while Paris called it "a gesture."',
        ),
        ('marked a ""dangerous moment" for Europe', 'marked a "dangerous moment" for Europe'),
        ("\"The call was useful,' the Pentagon said.", '"The call was useful," the Pentagon said.'),
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


def test_title_byline_and_date_on_consecutive_lines():
    text = "Plan approved\nafter long debate\nBy Jane Doe and John Roe | Reuters\nFeb. 11, 2022\nThe council approved the plan.\n"
    parsed = parse_plain_text(text)
    h = parsed.header
    assert (h.title, h.authors, h.source, h.published_date, h.date_source) == (
        "Plan approved after long debate",
        ["Jane Doe", "John Roe"],
        "Reuters",
        dt.date(2022, 2, 11),
        "byline_line",
    )
    assert [line.text for line in parsed.body] == ["The council approved the plan."]


def test_a_sentence_starting_with_by_is_not_a_byline():
    parsed = parse_plain_text("Plan approved\n\nBy the end of March, the council said.\n")
    assert (parsed.header.authors, [line.text for line in parsed.body]) == ([], ["By the end of March, the council said."])


def test_bylines_and_dates_in_other_languages():
    parsed = parse_plain_text(
        "La ville lance un plan\nPar Claire Dubois\n14 février 2022\n\nLa ville a présenté lundi un programme.\n", language="fr"
    )
    h = parsed.header
    assert (h.authors, h.published_date, h.date_source) == (["Claire Dubois"], dt.date(2022, 2, 14), "byline_line")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Grace Adeyemi, Transport correspondent", (["Grace Adeyemi"], None)),
        ("By Jane Doe in Kyiv", (["Jane Doe"], None)),
        ("Von Lukas Brandt und Anna Weber, dpa", (["Lukas Brandt", "Anna Weber"], "dpa")),
    ],
)
def test_bylines_drop_job_titles_and_places(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize("text", ["March 2022", "2022", "Thursday"])
def test_a_date_needs_day_month_and_year(text):
    assert parse_date(text, today=dt.date(2026, 11, 21)) is None


def test_page_furniture_is_removed_and_a_paragraph_cut_by_a_page_break_is_joined():
    text = (
        "THE WEEKLY\n\nTitle of the story\n\nThe committee will meet again in\n\nPage 1 of 2\n"
        "\fTHE WEEKLY\n\nApril to review the contracts.\n\nPage 2 of 2\n"
    )
    lines, removed = strip_page_furniture(split_lines(text))
    assert [(r.line_no, r.text, r.rule) for r in removed] == [
        (1, "THE WEEKLY", "page_furniture"),
        (7, "Page 1 of 2", "page_furniture"),
        (8, "THE WEEKLY", "page_furniture"),
        (12, "Page 2 of 2", "page_furniture"),
    ]
    assert [p.text for p in clean_body(lines).paragraphs] == [
        "Title of the story",
        "The committee will meet again in April to review the contracts.",
    ]


def test_most_read_lists_and_captions_inside_unwrapped_paragraphs():
    text = (
        "About 40,000 homes were without electricity on Monday, the grid operator said.\n"
        "Fallen trees block a road outside the port city.\n"
        "Photo: AFP\n"
        "Winds uprooted trees and tore roofs from buildings.\n"
        "Most read\n"
        "1. Man rescued after spending night clinging to buoy\n"
        "• Schools closed across the region\n"
        "Crews restored power by the afternoon.\n"
    )
    assert _clean(text) == (
        [
            "About 40,000 homes were without electricity on Monday, the grid operator said.",
            "Winds uprooted trees and tore roofs from buildings.",
            "Crews restored power by the afternoon.",
        ],
        [(2, "photo_caption"), (3, "photo_credit"), (5, "boilerplate"), (6, "related_link"), (7, "related_link")],
    )


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("naval shipbuilding pro-\ngrammes ran late.", "naval shipbuilding programmes ran late."),
        ("a long-\nterm study", "a long-term study"),
        ("drew on well-\nknown models", "drew on well-known models"),
        ("shared by govern-\nments upstream", "shared by governments upstream"),
    ],
)
def test_line_end_hyphens_are_decided_by_a_word_list(text, joined):
    assert _clean(text)[0] == [joined]


def test_quote_repair_single_opener_with_double_closer():
    para = Paragraph()
    para.append("They had 'declined to attend.\" Others came.", 0)
    repair_quotes(para)
    assert para.text == 'They had "declined to attend." Others came.'


@pytest.mark.parametrize(
    ("text", "title", "authors"),
    [
        ("Talks resume\nBy JANE DOE and Fiona McLeod\n\nBody text.\n", "Talks resume", ["Jane Doe", "Fiona McLeod"]),
        ("Title: Talks resume\nBy Jane Doe\nFeb 1, 2022\n\nBody text.\n", "Talks resume", ["Jane Doe"]),
        (
            "Talks resumed on Friday between the two delegations in the Swiss city, officials said, after a week in "
            "which neither side would say whether the meeting would go ahead.\n\nBody text.\n",
            None,
            [],
        ),
    ],
)
def test_title_shapes(text, title, authors):
    h = parse_plain_text(text).header
    assert (h.title, h.authors) == (title, authors)


QUOTE_OPENING = (
    "\u201cWe are ready to pay $2.5 billion by March 31, 2023,\u201d Finance Minister Jane Doe said "
    "on Tuesday.\n\nThe talks resume next week.\n"
)


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        # A long quotation opening a file with no header is the story, not its title: it keeps
        # its quote, amount and date in the body.
        (
            QUOTE_OPENING,
            None,
            [QUOTE_OPENING.split("\n")[0], "", "The talks resume next week."],
        ),
        # A short quotation is still a quotation.
        ('"It is over," he said\n\nThe strike ended.\n', None, ['"It is over," he said', "", "The strike ended."]),
        # A short sentence ends with a full stop: body.
        (
            "Prices rose 3% in May.\n\nEconomists had expected it.\n",
            None,
            ["Prices rose 3% in May.", "", "Economists had expected it."],
        ),
        # Headlines: short, no full stop; questions, teasers, quoted phrases and acronyms are fine.
        ("Oil prices hit a seven-year high\n\nBrent rose.\n", "Oil prices hit a seven-year high", ["Brent rose."]),
        ("Will Tory tax cuts lift spirits?\n\nMaybe.\n", "Will Tory tax cuts lift spirits?", ["Maybe."]),
        ("Rivals of the £400 Apple...\n\nCheaper ones.\n", "Rivals of the £400 Apple...", ["Cheaper ones."]),
        ("'No re-draft' for EU patent law\n\nThe law stays.\n", "'No re-draft' for EU patent law", ["The law stays."]),
        (
            "Belarus army chief calls the U.S.\n\nThe call lasted an hour.\n",
            "Belarus army chief calls the U.S.",
            ["The call lasted an hour."],
        ),
    ],
)
def test_a_first_paragraph_is_a_title_only_when_it_looks_like_one(text, title, body):
    parsed = parse_plain_text(text)
    assert (parsed.header.title, [line.text for line in parsed.body]) == (title, body)


@pytest.mark.parametrize(
    ("line", "rule", "year"),
    [
        ("(c) 2023 AFP", "copyright", 2023),
        ("© 2022 Reuters. All rights reserved.", "copyright", 2022),
        ("Copyright 2022 Interfax", "copyright", 2022),
        ("Copyright © 2021 The Associated Press", "copyright", 2021),
        ("Copyright The Associated Press. All rights reserved.", "copyright", None),
        ("(C) AFP", "copyright", None),
        ("© 2003-2024 BelTA. All rights reserved.", "copyright", 2024),
        ("Copyright © 1998 – 2022 Interfax", "copyright", 2022),
        # Sentences that open with the word stay.
        ("Copyright infringement cases rose sharply, the court said.", None, None),
        ("Copyright law is changing.", None, None),
    ],
)
def test_a_copyright_line_is_its_own_rule_and_gives_its_year(line, rule, year):
    assert (clean.line_rule(line), clean.copyright_year(line)) == (rule, year)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("20220128T201500Z_US_en_x.txt", (dt.date(2022, 1, 28), "file_name")),
        ("2022-01-28_x.txt", (dt.date(2022, 1, 28), "file_name")),
        ("a/2022/01/28/x.txt", (dt.date(2022, 1, 28), "file_path")),
        ("a\\2022\\01\\28\\x.txt", (dt.date(2022, 1, 28), "file_path")),
        ("2022/x_20220230.txt", None),
        ("x.txt", None),
        ("20220128201500_x.txt", (dt.date(2022, 1, 28), "file_name")),
        ("202201281_x.txt", None),
        ("28-01-2022_x.txt", (dt.date(2022, 1, 28), "file_name")),
        ("x_01.28.2022.txt", (dt.date(2022, 1, 28), "file_name")),
        ("x_03-04-2022.txt", None),
        ("x_04-04-2022.txt", (dt.date(2022, 4, 4), "file_name")),
    ],
)
def test_path_date(key, expected):
    assert parse.path_date(key, today=dt.date(2026, 1, 1)) == expected


def test_path_year():
    assert [parse.path_year(k) for k in ("belta/2022/x.txt", "2021/05/x.txt", "x_2022.txt", "x.txt")] == [2022, 2021, None, None]


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        # A short quotation attributed to a named speaker is a headline.
        (
            "'We will win', says Zelensky\n\nThe president spoke in Kyiv.\n",
            "'We will win', says Zelensky",
            ["The president spoke in Kyiv."],
        ),
        (
            "\u201cPutin must stop,\u201d says Johnson\n\nThe prime minister spoke.\n",
            "\u201cPutin must stop,\u201d says Johnson",
            ["The prime minister spoke."],
        ),
        ('"Prices will fall" said Lagarde\n\nThe ECB met.\n', '"Prices will fall" said Lagarde', ["The ECB met."]),
        # ... but not with a pronoun, nor as a sentence.
        ('"We will win," says he\n\nHe spoke.\n', None, ['"We will win," says he', "", "He spoke."]),
        ("'We will win', says Zelensky.\n\nHe spoke.\n", None, ["'We will win', says Zelensky.", "", "He spoke."]),
        # A short unattributed quotation on a line of its own is a headline (the BBC's style) ...
        (
            "'UK will stand firm on EU rebate'\n\nBritain's rebate is not up for renegotiation.\n",
            "'UK will stand firm on EU rebate'",
            ["Britain's rebate is not up for renegotiation."],
        ),
        # ... but not when it ends a sentence inside its quotes, holds two, or runs long.
        ('"It is over."\n\nHe spoke.\n', None, ['"It is over."', "", "He spoke."]),
        ('"It is over. We lost"\n\nHe spoke.\n', None, ['"It is over. We lost"', "", "He spoke."]),
        (
            '"We will keep fighting for every street, every village and every field of this country of ours"\n\nHe spoke.\n',
            None,
            ['"We will keep fighting for every street, every village and every field of this country of ours"', "", "He spoke."],
        ),
        # A headline over its standfirst in one block: the first line is the title, the rest body.
        (
            "Russia masses troops near Ukraine border\nSatellite images show a build-up of armour and field hospitals, analysts say.\n\nMore.\n",
            "Russia masses troops near Ukraine border",
            ["Satellite images show a build-up of armour and field hospitals, analysts say.", "", "More."],
        ),
        (
            "Russia masses troops near Ukraine border\nSatellite images show a build-up, analysts say.\n\nMore.\n",
            "Russia masses troops near Ukraine border",
            ["Satellite images show a build-up, analysts say.", "", "More."],
        ),
        # A hard-wrapped first paragraph is not a headline over a standfirst.
        (
            "Talks resumed on Friday between the two delegations in the Swiss\n"
            "city, officials said, after a week in which neither side would say\n"
            "whether the meeting would go ahead.\n\nMore.\n",
            None,
            [
                "Talks resumed on Friday between the two delegations in the Swiss",
                "city, officials said, after a week in which neither side would say",
                "whether the meeting would go ahead.",
                "",
                "More.",
            ],
        ),
        (
            "Shares in Tokyo closed higher on Monday, led by exporters, while the\n"
            "Yen weakened against the dollar for a third day.\n\nMore.\n",
            None,
            [
                "Shares in Tokyo closed higher on Monday, led by exporters, while the",
                "Yen weakened against the dollar for a third day.",
                "",
                "More.",
            ],
        ),
    ],
)
def test_quoted_headlines_and_headlines_over_a_standfirst(text, title, body):
    parsed = parse_plain_text(text)
    assert (parsed.header.title, [line.text for line in parsed.body]) == (title, body)


def test_cleaning_and_entities_ask_one_english_word_list():
    """The hyphen joiner and the common-word filter read the same frequency list, loaded once."""
    from transforms import entities
    from transforms.english import english_words

    words = english_words()
    assert (words is english_words(), "capabilities" in words, words["the"] > 1000, words["zzxq"]) == (True, True, True, 0)
    assert (clean._joins_across_hyphen("capabili", "ties"), clean._joins_across_hyphen("self", "contained")) == (True, False)
    assert clean.english_words is entities.english_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MINSK, 28 January (BelTA) – The talks", (parse.Dateline("Minsk", "BelTA", "28 January", None), "The talks")),
        ("KYIV, Ukraine, March 2, 2022 (AP) — Shelling", (parse.Dateline("Kyiv", "AP", "March 2", 2022), "Shelling")),
        ("Kyiv (AFP) - Shelling", (parse.Dateline("Kyiv", "AFP", None, None), "Shelling")),
        ("Kyiv - Shelling", None),  # title case without an agency: a sentence, not a dateline
        # AP's US datelines: a state's abbreviation with its dot before the agency.
        ("MAYFIELD, Ky. (AP) — Tornadoes", (parse.Dateline("Mayfield", "AP", None, None), "Tornadoes")),
        ("LOS ANGELES, Calif. (AP) — Fires", (parse.Dateline("Los Angeles", "AP", None, None), "Fires")),
    ],
)
def test_read_dateline_gives_the_dateline_and_its_length(text, expected):
    found = parse.read_dateline(text)
    assert (found and (found[0], text[found[1] :])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ISLAMABAD: The cabinet met", (parse.Dateline("Islamabad", None, None, None), "The cabinet met")),
        ("Dubai: His Highness approved", (parse.Dateline("Dubai", None, None, None), "His Highness approved")),
        ("NEW DELHI, June 12 (PTI) The Centre", (parse.Dateline("New Delhi", "PTI", "June 12", None), "The Centre")),
        ("KUALA LUMPUR, June 12 (Bernama) -- The", (parse.Dateline("Kuala Lumpur", "Bernama", "June 12", None), "The")),
        ("KAMPALA. Uganda has secured", (parse.Dateline("Kampala", None, None, None), "Uganda has secured")),
        ("Kenya. The talks went on", None),  # a period ends a dateline after capitals only
        ("Note: This story was updated", None),  # a label, not a place
        ("Boris Johnson: I will stay", None),
        ("LONDON, June 12 (sources) The", None),  # no dash: only a known agency ends a dateline
    ],
)
def test_datelines_with_a_colon_or_an_agency_and_no_dash(text, expected):
    found = parse.read_dateline(text)
    assert (found and (found[0], text[found[1] :])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: July 03, 2025 15:47 | Last updated: July 03, 2025 15:50", dt.date(2025, 7, 3)),
        ("Published:Tuesday | June 17, 2025 | 12:10 AM", dt.date(2025, 6, 17)),
        ("15 Jan, 2025 04:00 AM 3 mins to read", dt.date(2025, 1, 15)),
        ("05 Mar 2024 06:00AM (Updated: 05 Mar 2024 11:03AM)", dt.date(2024, 3, 5)),
        ("Updated: 12-06-2024 18:45 IST", dt.date(2024, 6, 12)),  # day first, as most of the world
        ("03/05/2024 10:30 AM EST", dt.date(2024, 3, 5)),  # a US time zone: month first
        ("25/07/2024", dt.date(2024, 7, 25)),
        ("2024-06-12", dt.date(2024, 6, 12)),  # ISO stays year-month-day
        ("Last updated on 12 June 2024", dt.date(2024, 6, 12)),
        ("Posted on March 5, 2024 by admin", dt.date(2024, 3, 5)),
        ("Jane Doe / Dec 1, 2024", dt.date(2024, 12, 1)),
        ("5 March 2024 — 10:45 AM", dt.date(2024, 3, 5)),
        ("Last Updated: Tuesday, March 05, 2024, 10:45 [IST]", dt.date(2024, 3, 5)),
        ("Mon 10 Mar 2025 17.45 GMT", dt.date(2025, 3, 10)),  # a time with a dot, as British papers print it
        ("26 March 2025 12.31pm", dt.date(2025, 3, 26)),
        ("10.03.2025 17.45", dt.date(2025, 3, 10)),  # a numeric date with dots stays day first
        # a word after the dotted time is a zone only in capitals (`hours` is none: the line read as before)
        ("10 March 2025 at 10.30 hours", dt.date(2025, 3, 10)),
    ],
)
def test_site_date_lines(text, expected):
    assert parse.read_date(parse._DATE_PREFIX.sub("", text)) == expected


def test_a_name_alone_above_a_date_line_is_a_byline():
    text = "Cabinet approves relief package\n\nKalbe Ali\nPublished March 5, 2024\n\nISLAMABAD: The cabinet met.\n"
    parsed = parse_plain_text(text)
    h = parsed.header
    assert (h.authors, h.published_date, [line.text for line in parsed.body if line.text]) == (
        ["Kalbe Ali"],
        dt.date(2024, 3, 5),
        ["ISLAMABAD: The cabinet met."],
    )
    # Without a date line below it, a short capitalized line is the story.
    parsed = parse_plain_text("Cabinet approves package\n\nPrime Minister Speaks\n\nThe cabinet met.\n")
    assert parsed.header.authors == [] and parsed.body[0].text == "Prime Minister Speaks"


def test_a_datelines_year_comes_from_the_path_before_a_copyright():
    dateline = parse.Dateline("Minsk", "BelTA", "28 January")
    assert parse.dateline_date(dateline, "", [2023], "2022-01-29_minsk.txt", dt.date(2026, 1, 1)) == dt.date(2022, 1, 28)
    assert parse.dateline_date(dateline, "", [2023], "minsk.txt", dt.date(2026, 1, 1)) == dt.date(2023, 1, 28)
    assert parse.dateline_date(dateline, "by 2024", [], "minsk.txt", dt.date(2026, 1, 1)) is None


# --- issue 12, session 12 (bench/dev_dates3): date lines of other outlets --------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Baku, November 11, 2024, AZERTAC", dt.date(2024, 11, 11)),
        ("Ahram Online , Sunday 12 Jan 2025", dt.date(2025, 1, 12)),
        ("Updated - December 03, 2024 09:14 pm IST - CHENNAI", dt.date(2024, 12, 3)),
        ("Nuku'alofa, Tonga. 21 November 2025", dt.date(2025, 11, 21)),
        ("The vote is on March 3, 2025.", None),  # a sentence: lowercase words beside the date
        ("Talks end in Baku, November 11, 2024", None),
    ],
)
def test_a_date_line_with_a_place_source_or_label_beside_the_date(text, expected):
    assert parse.read_date(text) == expected


def test_a_place_in_capitals_above_the_date_line_is_part_of_the_lead():
    parsed = parse_plain_text("Rates cut\n\nBy DAILY SABAH WITH AA\nISTANBUL\nMar 06, 2025 3:12 pm\n\nThe bank cut rates.\n")
    assert (parsed.header.published_date, [line.text for line in parsed.body]) == (dt.date(2025, 3, 6), ["The bank cut rates."])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Suva, 14 Oct — The service", (parse.Dateline("Suva", None, "14 Oct", None), "The service")),
        ("Colombo, Feb. 17 (Daily Mirror) - The", (parse.Dateline("Colombo", "Daily Mirror", "Feb. 17", None), "The")),
        ("Kyiv - Shelling", None),  # still: title case with neither a day nor an agency
        # after a whole date, the outlet without brackets
        ("DUSHANBE, June 10, 2025, Asia-Plus -- The", (parse.Dateline("Dushanbe", "Asia-Plus", "June 10", 2025), "The")),
    ],
)
def test_a_title_case_dateline_with_a_day(text, expected):
    found = parse.read_dateline(text)
    assert (found and (found[0], text[found[1] :])) == expected
