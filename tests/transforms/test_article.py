"""`prepare()` and `process_documents()` on small in-memory articles: datelines, dates
from context, language."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.article import RawDocument, prepare, process_documents

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
