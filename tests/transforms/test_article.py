"""`prepare()` and `process_documents()` on small in-memory articles: datelines, dates
from context, language."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.article import RawDocument, prepare
from transforms.batch import process_documents

TODAY = dt.date(2026, 1, 1)
SENTENCE = "The regional council approved the new budget on Thursday after a long debate about local taxes."


def _prepare_one(text: str, name: str = "a.txt"):
    ((article,), rejects) = prepare(RawDocument.from_bytes(text.encode(), name), today=TODAY)
    assert rejects == []
    return article


@pytest.mark.parametrize(
    ("opening", "place", "source", "date"),
    [
        ("MINSK, 28 January (BelTA) – ", "Minsk", "BelTA", dt.date(2022, 1, 28)),
        ("WASHINGTON (AP) — ", "Washington", "AP", None),
        ("LONDON, March 2 (Reuters) - ", "London", "Reuters", dt.date(2022, 3, 2)),
        ("KYIV, Ukraine (AP) — ", "Kyiv", "AP", None),
        ("MOSCOW. Feb 10 (Interfax) - ", "Moscow", "Interfax", dt.date(2022, 2, 10)),
        ("BEIJING, Jan. 5 (Xinhua) -- ", "Beijing", "Xinhua", dt.date(2022, 1, 5)),
        ("Kyiv (AFP) - ", "Kyiv", "AFP", None),
        ("NEW YORK (Reuters) - ", "New York", "Reuters", None),
    ],
)
def test_datelines(opening, place, source, date):
    article = _prepare_one(f"Budget approved\n\n{opening}{SENTENCE}\n\nThe figures for January 2022 were published.\n")
    assert (article.dateline_place, article.dateline_source, article.header.source) == (place, source, source)
    assert (article.header.published_date, article.header.date_source) == (date, "dateline" if date else "none")
    assert article.body.startswith("The regional council")


@pytest.mark.parametrize(
    ("name", "tail", "date"),
    [
        # The copyright line gives the year (and is kept out of the body).
        ("lagos.txt", "\n(c) 2023 AFP\n", dt.date(2023, 5, 22)),
        ("lagos.txt", "\n© 2021 Reuters. All rights reserved.\n", dt.date(2021, 5, 22)),
        ("lagos.txt", "\nCopyright 2020 Interfax\n", dt.date(2020, 5, 22)),
        # The file's name: the year that puts the day on or just before it.
        ("20220522T201500Z_NG_en_fuel.txt", "", dt.date(2022, 5, 22)),
        ("20220521_lagos.txt", "", dt.date(2022, 5, 22)),  # a time zone ahead
        ("20220128T201500Z_NG_en_fuel.txt", "", dt.date(2021, 5, 22)),
        ("20230102_lagos.txt", "", dt.date(2022, 5, 22)),
        ("20221230_lagos.txt", "", dt.date(2022, 5, 22)),
        # A folder named for the year, or for the day.
        ("afp/2019/lagos.txt", "", dt.date(2019, 5, 22)),
        ("afp/2019/05/22/lagos.txt", "", dt.date(2019, 5, 22)),
        # A full date in the file's name or folders beats a copyright line (a site footer's
        # year is often the year of the scrape); the copyright line beats a year folder.
        ("2019-05-22_lagos.txt", "\n(c) 2023 AFP\n", dt.date(2019, 5, 22)),
        ("afp/2019/05/22/lagos.txt", "\n© 2003-2024 AFP. All rights reserved.\n", dt.date(2019, 5, 22)),
        ("afp/2019/lagos.txt", "\n(c) 2023 AFP\n", dt.date(2023, 5, 22)),
        # Of a range of years the last.
        ("lagos.txt", "\n© 2003-2024 AFP. All rights reserved.\n", dt.date(2024, 5, 22)),
        ("lagos.txt", "\nCopyright © 2003 – 2021 AFP\n", dt.date(2021, 5, 22)),
        # No evidence: no date (a bare number in the text is none).
        ("lagos.txt", "\nThe plan runs to 2030.\n", None),
    ],
)
def test_a_yearless_dateline_takes_its_year_from_the_files_other_evidence(name, tail, date):
    text = f"Fuel queues lengthen\n\nLAGOS, 22 May (AFP) - {SENTENCE}\n{tail}"
    ((article,), _) = prepare(RawDocument.from_bytes(text.encode(), name), today=TODAY)
    assert (article.header.published_date, article.header.date_source) == (date, "dateline" if date else "none")
    assert ("AFP" in article.body, "2023" in article.body, "Reuters" in article.body) == (False, False, False)
    copyright = [r.rule for r in article.removed]
    assert copyright == (["copyright"] if "(c)" in tail or "©" in tail or "Copyright" in tail else [])


def test_a_copyright_notice_ending_a_paragraph_dates_a_yearless_dateline():
    text = f"Fuel queues lengthen\n\nLAGOS, 22 May (AFP) - {SENTENCE} © 2022 AFP\n"
    ((article,), _) = prepare(RawDocument.from_bytes(text.encode(), "lagos.txt"), today=TODAY)
    assert (article.header.published_date, article.header.date_source) == (dt.date(2022, 5, 22), "dateline")


@pytest.mark.parametrize("name", ["belta/2022/02/26/flax.txt", "2022-02-26_flax.txt"])
def test_a_full_date_in_the_path_outranks_a_footers_copyright_range(name):
    text = "Flax\n\nMINSK, 26 February (BelTA) - " + SENTENCE + "\n\n© 2003-2024 BelTA. All rights reserved.\n"
    ((article,), _) = prepare(RawDocument.from_bytes(text.encode(), name), today=TODAY)
    assert (article.header.published_date, article.header.date_source) == (dt.date(2022, 2, 26), "dateline")


def test_an_inline_copyright_range_dates_a_yearless_dateline_by_its_last_year():
    text = f"Fuel queues lengthen\n\nLAGOS, 22 May (AFP) - {SENTENCE} © 2003-2022 AFP\n"
    ((article,), _) = prepare(RawDocument.from_bytes(text.encode(), "lagos.txt"), today=TODAY)
    assert (article.header.published_date, article.header.date_source) == (dt.date(2022, 5, 22), "dateline")


def test_a_dateline_with_its_own_year():
    article = _prepare_one(f"Debt\n\nKYIV, Ukraine, March 2, 2022 (AP) — {SENTENCE}\n", "20230101_naftogaz.txt")
    assert (article.dateline_place, article.header.published_date, article.header.date_source) == (
        "Kyiv",
        dt.date(2022, 3, 2),
        "dateline",
    )
    assert article.body.startswith("The regional council")


@pytest.mark.parametrize(
    ("name", "date", "source"),
    [
        ("20220128T201500Z_US_en_biden_call.txt", dt.date(2022, 1, 28), "file_name"),
        ("2022-01-28_biden_call.txt", dt.date(2022, 1, 28), "file_name"),
        ("feeds/2022_01_28-biden.txt", dt.date(2022, 1, 28), "file_name"),
        ("archive/2022/01/28/biden_call.txt", dt.date(2022, 1, 28), "file_path"),
        ("archive/2022-01-28/biden_call.txt", dt.date(2022, 1, 28), "file_path"),
        # The name before the folders.
        ("archive/2021/12/31/2022-01-28_biden.txt", dt.date(2022, 1, 28), "file_name"),
        # Digits that are no date, or no plausible publication date.
        ("story_20221399.txt", None, "none"),
        ("story_20990101.txt", None, "none"),
        ("id_120220128999.txt", None, "none"),
        ("archive/2022/biden_call.txt", None, "none"),
    ],
)
def test_a_date_in_the_files_path_is_the_fallback(name, date, source):
    article = _prepare_one(f"Budget approved\n\n{SENTENCE}\n", name)
    assert (article.header.published_date, article.header.date_source) == (date, source)


def test_a_date_in_the_text_beats_the_files_path():
    article = _prepare_one(f"Budget approved\n\nFebruary 14, 2022\n\n{SENTENCE}\n", "20220128_budget.txt")
    assert (article.header.published_date, article.header.date_source) == (dt.date(2022, 2, 14), "byline_line")


def test_the_path_dates_the_articles_relative_dates(nlp):
    text = f"Budget approved\n\n{SENTENCE} The council will meet again on Tuesday.\n"
    docs = [RawDocument.from_bytes(text.encode(), "reports/2022/02/17/budget.txt")]
    tables = process_documents(docs, nlp, today=TODAY)
    assert tables["articles"].select(["published_date", "date_source"]).to_pylist() == [
        {"published_date": dt.date(2022, 2, 17), "date_source": "file_path"}
    ]
    assert tables["dates_mentioned"].select(["text", "value"]).to_pylist() == [
        {"text": "Thursday", "value": "2022-02-17"},
        {"text": "Tuesday", "value": "2022-02-22"},
    ]


@pytest.mark.parametrize("opening", ["NATO - ", "The Council (AP) - ", "BREAKING - "])
def test_not_datelines(opening):
    article = _prepare_one(f"Budget approved\n\n{opening}{SENTENCE}\n")
    assert (article.dateline_place, article.body[: len(opening)]) == (None, opening)


def test_a_bare_future_year_does_not_date_a_dateline():
    article = _prepare_one(f"Budget approved\n\nMINSK, 28 January (BelTA) – {SENTENCE} The plan runs to 2030.\n")
    assert (article.header.published_date, article.header.date_source) == (None, "none")


def test_language_is_detected_and_only_english_goes_through_ner(nlp):
    german = (
        "Regionalbahn baut Nachtzüge aus\n\nBERLIN (dpa) - Die Regionalbahn Nordost will ihr Angebot an Nachtzügen "
        "bis 2024 deutlich ausbauen, teilte das Unternehmen in Berlin am Mittwoch mit.\n"
    )
    english = f"Budget approved in Minsk\n\nMINSK (BelTA) – {SENTENCE} Alexander Lukashenko welcomed it.\n"
    docs = [RawDocument.from_bytes(german.encode(), "de.txt"), RawDocument.from_bytes(english.encode(), "en.txt")]
    tables = process_documents(docs, nlp, today=TODAY)
    articles = {a["source_path"]: a for a in tables["articles"].to_pylist()}
    with_entities = set(tables["entities"].column("article_id").to_pylist())
    assert {path: a["language"] for path, a in articles.items()} == {"de.txt": "de", "en.txt": "en"}
    assert with_entities == {articles["en.txt"]["article_id"]}


# Issue 13: archive pages of 1987. htmldate's default window starts in 1995, so these got
# no date or the year of the copyright line; every reader of dates shares one window now.
_STORY = "<p>" + "Oil prices fell sharply on Monday as OPEC ministers failed to agree on output quotas. " * 3 + "</p>"
_FOOTER = "<footer>© 2024 Archive Co. All rights reserved.</footer>"


@pytest.mark.parametrize(
    ("head", "article_start", "date"),
    [
        ('<meta property="article:published_time" content="1987-03-16T09:30:00Z">', "", dt.date(1987, 3, 16)),
        ("", '<time datetime="1987-10-19">19 October 1987</time>', dt.date(1987, 10, 19)),
        ('<meta name="date" content="1902-05-08">', "", dt.date(1902, 5, 8)),
        # No date in the markup: htmldate's search of the page text, same window.
        ("", "<p class='date'>March 16, 1987</p>", dt.date(1987, 3, 16)),
        # Outside the window (the future; before 1900): no date, rather than a wrong one.
        ('<meta property="article:published_time" content="2091-03-16T09:30:00Z">', "", None),
        ('<meta property="article:published_time" content="1887-03-16T09:30:00Z">', "", None),
    ],
)
def test_html_dates_from_1900_on(head, article_start, date):
    page = f"<html><head><title>Oil falls</title>{head}</head><body><article><h1>Oil falls</h1>{article_start}{_STORY}</article>{_FOOTER}</body></html>"
    article = _prepare_one(page, "oil.html")
    assert (article.header.published_date, article.header.date_source) == (date, "html_meta" if date else "none")


@pytest.mark.parametrize(
    ("text", "name", "date"),
    [
        (f'{{"title": "Oil falls", "date": "1987-03-16", "text": "{SENTENCE}"}}', "a.json", dt.date(1987, 3, 16)),
        (f'{{"title": "Oil falls", "date": "1899-12-31", "text": "{SENTENCE}"}}', "a.json", None),
        (f'{{"title": "Oil falls", "date": "2026-01-03", "text": "{SENTENCE}"}}', "a.json", None),
        (f"Title: Oil falls\nDate: 16 March 1987\n\n{SENTENCE}\n", "a.txt", dt.date(1987, 3, 16)),
        (f"Title: Oil falls\nDate: 16 March 1887\n\n{SENTENCE}\n", "a.txt", None),
        (f"Oil falls\n\nLONDON, March 16 (Reuters) - {SENTENCE} Prices in March 1987 fell.\n", "a.txt", dt.date(1987, 3, 16)),
    ],
)
def test_every_date_reader_shares_the_1900_to_tomorrow_window(text, name, date):
    assert _prepare_one(text, name).header.published_date == date


def test_an_article_over_the_cap_is_rejected_with_the_reason():
    header = "Title: Dump\nDate: 11 February 2022\n\n"
    small = RawDocument.from_bytes((header + SENTENCE * 20).encode(), "dump.txt")
    assert prepare(small, today=TODAY, max_article_chars=1_000)[1][0].detail == (
        "the file's text of 1,936 characters is over the 1,000-character limit for one article (--max-article-mb)"
    )
    # Far over the cap, a text file is refused on its size, before it is decoded.
    huge = RawDocument.from_bytes((header + SENTENCE * 60_000).encode(), "dump.txt")
    ([], (reject,)) = prepare(huge, today=TODAY, max_article_chars=1_000_000)
    assert (reject.reason, reject.detail) == (
        "article_too_large",
        "the file's text of at least 1,425,009 characters is over the 1,000,000-character limit for one article (--max-article-mb)",
    )
    # The same sizes are fine under a higher cap, and a short article under the default.
    assert prepare(small, today=TODAY)[0][0].header.title == "Dump"


def test_an_html_page_far_over_the_cap_is_refused_before_extraction():
    story = f"<p>{SENTENCE}</p>\n"
    page = "<html><head><title>Dump</title></head><body><article>%s</article></body></html>"
    # 33 times the cap in bytes of HTML: refused on its size, whatever its text would be.
    big = RawDocument.from_bytes((page % (story * (33_000 // len(story) + 1))).encode(), "dump.html")
    ([], (reject,)) = prepare(big, today=TODAY, max_article_chars=1_000)
    assert (reject.reason, reject.detail) == (
        "article_too_large",
        f"the page's HTML of {len(big.data):,} bytes is over 32 times the 1,000-character limit for one article (--max-article-mb)",
    )
    # Under the page cap, the page is extracted and its text measured against the article cap.
    small = RawDocument.from_bytes((page % (story * 3)).encode(), "dump.html")
    assert prepare(small, today=TODAY, max_article_chars=1_000)[0][0].header.title == "Dump"


def test_an_article_whose_extraction_breaks_is_a_reject_and_the_batch_goes_on(nlp, monkeypatch):
    # Simulates a bug nobody foresaw in extraction (after NER): one article of three breaks it.
    import transforms.annotation as article_module

    real = article_module.extract_article

    def breaks_on_one(body, *args, **kwargs):
        if "Lukashenko" in body:
            raise ValueError("boom")
        return real(body, *args, **kwargs)

    monkeypatch.setattr(article_module, "extract_article", breaks_on_one)
    texts = {
        "2022/02/17/a.txt": f"Budget approved\n\n{SENTENCE}\n",
        "2022/02/17/b.txt": f"Budget approved in Minsk\n\nMINSK (BelTA) – {SENTENCE} Alexander Lukashenko welcomed it.\n",
        "2022/02/17/c.txt": f"Budget approved again\n\n{SENTENCE} The council will meet again on Tuesday.\n",
    }
    docs = [RawDocument.from_bytes(text.encode(), name) for name, text in texts.items()]
    tables = process_documents(docs, nlp, today=TODAY, run_id="r1")
    assert tables["articles"].column("source_path").to_pylist() == ["2022/02/17/a.txt", "2022/02/17/c.txt"]
    assert tables["rejects"].to_pylist() == [
        {
            "source_path": "2022/02/17/b.txt",
            "source_record": None,
            "source_sha256": docs[1].sha256,
            "reason": "internal_error",
            "detail": "ValueError: boom",
            "run_id": "r1",
        }
    ]
    # the two others were extracted as usual
    assert tables["dates_mentioned"].select(["text", "value"]).to_pylist() == [
        {"text": "Thursday", "value": "2022-02-17"},
        {"text": "Thursday", "value": "2022-02-17"},
        {"text": "Tuesday", "value": "2022-02-22"},
    ]
    assert set(tables["ner_spans"].column("article_id").to_pylist()) <= set(tables["articles"].column("article_id").to_pylist())
