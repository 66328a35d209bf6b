"""The two seed articles the product was specified from must come out exactly right."""

from __future__ import annotations

import datetime as dt

from tests.conftest import SEED_AFP, SEED_MARKER
from transforms.article import article_id


def _article(seed_tables, name):
    (row,) = [a for a in seed_tables["articles"] if a["source_path"] == name]
    return row


def _rows(seed_tables, table, aid):
    return [r for r in seed_tables[table] if r["article_id"] == aid]


def test_afp_seed_metadata(seed_tables):
    row = _article(seed_tables, SEED_AFP.name)
    assert {k: row[k] for k in ("title", "authors", "source", "published_date", "date_source", "sentence_count")} == {
        "title": "U.S., Belarus Army Chiefs Speak to Avoid Drill 'Miscalculation' — Pentagon",
        "authors": [],
        "source": "AFP",
        "published_date": dt.date(2022, 2, 11),
        "date_source": "byline_line",
        "sentence_count": 10,
    }
    assert row["article_id"] == article_id(SEED_AFP.name)


def test_afp_seed_removed_lines(seed_tables):
    row = _article(seed_tables, SEED_AFP.name)
    removed = [(r["line_no"], r["text"], r["rule"]) for r in _rows(seed_tables, "removed_lines", row["article_id"])]
    assert removed == [
        (8, "1*& *1’ ‘*\\\\,", "ocr_noise"),
        (
            10,
            "S-400 Triumf air defense missile systems during Russia and Belarus' Allied Resolve 2022 joint military",
            "photo_caption",
        ),
        (11, "drills. Russian Defense Ministry", "photo_caption"),
        (21, "Related article: Russia Launches Belarus Military Drills as West Fears Ukraine Invasion", "related_link"),
    ]
    body = row["body"]
    for junk in ("1*&", "S-400", "Russian Defense Ministry", "Related article", "By AFP", "February 11, 2022"):
        assert junk not in body


def test_afp_seed_sentences(seed_tables):
    row = _article(seed_tables, SEED_AFP.name)
    sentences = _rows(seed_tables, "sentences", row["article_id"])
    texts = [s["text"] for s in sentences]
    assert texts == [
        'U.S. and Belarusian defense chiefs held rare telephone talks on Thursday to avoid a "miscalculation" '
        "during Russia-Belarus joint military drills, the Pentagon said, at a time of heightened tensions over "
        "the Kremlin's massing of troops near Ukraine.",
        "U.S. Joint Chiefs of Staff General Mark Milley spoke with General Staff of the Armed Forces Major General "
        'Viktor Gulevich of Belarus to discuss "issues of concern" related to regional security.',
        '"The phone call facilitated communication between both leaders to reduce chances of miscalculation and '
        'gain perspectives on current European security," the Pentagon statement said.',
        "The officials agreed to keep the details of their conversation private, it added.",
        "Minsk confirmed the call, which it said was initiated by Milley, in a brief statement emphasizing only "
        "that the two parties had discussed security issues.",
        "Russia rolled its tanks across Belarus on Thursday for live-fire drills that drew an ominous warning from "
        "NATO and added urgency to Western efforts to avert a feared invasion of Ukraine.",
        "NATO said Russia's deployment of missiles, heavy armor and machine-gun toting soldiers marked a "
        '"dangerous moment" for Europe some three decades after the Soviet Union\'s collapse.',
        "The war games — set to run until Feb. 20 — followed a gradual Russian military buildup around Ukraine "
        "that some US estimates say has reached 130,000 soldiers grouped in dozens of combat brigades.",
        "Western leaders have been shuttling to Moscow in an effort to keep the lines of communication open, giving "
        "Russia a chance to air its grievances about NATO's expansion into eastern Europe and ex-Soviet states.",
        'Kyiv denounced the war games as "psychological pressure" while French Foreign Minister Jean-Yves Le Drian '
        'called the exercises "a very violent gesture."',
    ]
    assert [s["sentence_idx"] for s in sentences] == list(range(10))
    for s in sentences:
        assert row["body"][s["char_start"] : s["char_end"]] == s["text"]


def test_afp_seed_sentences_trace_back_to_the_raw_file(seed_tables):
    raw = SEED_AFP.read_text(encoding="utf-8")
    row = _article(seed_tables, SEED_AFP.name)
    sentences = _rows(seed_tables, "sentences", row["article_id"])
    first, last = sentences[0], sentences[-1]
    assert raw[first["raw_char_start"] : first["raw_char_end"]] == (
        "U.S. and Belarusian defense chiefs held rare telephone talks on Thursday to avoid a\n"
        '"miscalculation" during Russia-Belarus joint military drills, the Pentagon said, at a time of\n'
        "heightened tensions over the Kremlin's massing of troops near Ukraine."
    )
    assert raw[last["raw_char_start"] : last["raw_char_end"]].startswith('Kyiv denounced the war games as "psychological')
    assert raw[last["raw_char_start"] : last["raw_char_end"]].endswith('"a very violent gesture."')


def _entities(seed_tables, name):
    row = _article(seed_tables, name)
    return _rows(seed_tables, "entities", row["article_id"])


def test_afp_seed_entities(seed_tables):
    entities = _entities(seed_tables, SEED_AFP.name)
    named = {(e["canonical_name"], e["label"]) for e in entities}
    assert {
        ("Mark Milley", "PERSON"),
        ("Viktor Gulevich", "PERSON"),
        ("Jean-Yves Le Drian", "PERSON"),
        ("Pentagon", "ORG"),
        ("NATO", "ORG"),
        ("Belarus", "GPE"),
        ("Russia", "GPE"),
        ("Ukraine", "GPE"),
        ("Minsk", "GPE"),
        ("Kyiv", "GPE"),
        ("United States", "GPE"),
        ("Soviet Union", "GPE"),
    } <= named
    milley = {e["entity_id"] for e in entities if e["text"] in ("Milley", "Mark Milley")}
    assert len(milley) == 1
    assert [e["text"] for e in entities if e["canonical_name"] == "Mark Milley"] == ["Mark Milley", "Milley"]
    # Determiners and possessives are not part of a name.
    assert "Soviet Union" in {e["text"] for e in entities}
    assert not [e for e in entities if e["text"].lower().startswith("the ") or e["text"].endswith("'s")]


def test_marker_seed_metadata(seed_tables):
    row = _article(seed_tables, SEED_MARKER.name)
    assert {k: row[k] for k in ("title", "authors", "source", "published_date", "date_source")} == {
        "title": "As fears of a Ukrainian invasion grow, Russia and Belarus will hold joint military exercises.",
        "authors": [],
        "source": None,
        "published_date": dt.date(2022, 1, 18),
        "date_source": "inline_marker",
    }
    assert "date 2022-01-18" not in row["body"]
    assert row["body"].startswith("As Russia conducts war games near its border with Ukraine")
    assert row["sentence_count"] == 13


def test_nato_variants_are_one_entity_across_seeds(seed_tables):
    afp = _entities(seed_tables, SEED_AFP.name)
    marker = _entities(seed_tables, SEED_MARKER.name)
    (nato_id,) = {e["entity_id"] for e in afp if e["text"] == "NATO"}
    variants = {e["text"]: e["entity_id"] for e in marker if e["canonical_name"] == "NATO"}
    assert variants == {"Nato": nato_id, "North Atlantic Treaty Organization": nato_id, "NATO": nato_id}


def test_marker_seed_people(seed_tables):
    people = {e["canonical_name"] for e in _entities(seed_tables, SEED_MARKER.name) if e["label"] == "PERSON"}
    assert people == {"Alexander Lukashenko", "Sergey Lavrov", "Vladimir Putin"}


def test_entity_offsets_point_into_the_body(seed_tables):
    bodies = {a["article_id"]: a["body"] for a in seed_tables["articles"]}
    for e in seed_tables["entities"]:
        assert bodies[e["article_id"]][e["char_start"] : e["char_end"]] == e["text"]


def test_same_input_gives_same_rows(nlp, seed_tables):
    from transforms import RawDocument, process_documents

    docs = [RawDocument.from_bytes(p.read_bytes(), p.name) for p in (SEED_AFP, SEED_MARKER)]
    again = {name: t.to_pylist() for name, t in process_documents(docs, nlp, run_id="test").items()}
    strip = lambda rows: [{k: v for k, v in r.items() if k != "ingested_at"} for r in rows]  # noqa: E731
    assert {n: strip(r) for n, r in again.items()} == {n: strip(r) for n, r in seed_tables.items()}


def _extracted(seed_tables, table, name, columns):
    aid = _article(seed_tables, name)["article_id"]
    return [tuple(r[c] for c in columns) for r in _rows(seed_tables, table, aid)]


def test_seed_dates_resolve_against_the_publication_date(seed_tables):
    cols = ("text", "value", "resolution")
    assert _extracted(seed_tables, "dates_mentioned", SEED_AFP.name, cols) == [
        ("Thursday", "2022-02-10", "day"),
        ("Thursday", "2022-02-10", "day"),
        ("Feb. 20", "2022-02-20", "day"),
    ]
    assert _extracted(seed_tables, "dates_mentioned", SEED_MARKER.name, cols) == [
        ("next month", "2022-02", "month"),
        ("2020", "2020", "year"),
        ("this week", "2022-01", "month"),
        ("Monday", "2022-01-17", "day"),
        ("Friday", "2022-01-14", "day"),
        ("last week", "2022-01", "month"),
    ]


def test_seed_amounts_give_the_troop_timeline(seed_tables):
    cols = ("text", "value", "unit", "qualifier")
    assert _extracted(seed_tables, "amounts", SEED_AFP.name, cols) == [
        ("two parties", 2.0, "parties", None),
        ("130,000 soldiers", 130000.0, "soldiers", None),
    ]
    assert _extracted(seed_tables, "amounts", SEED_MARKER.name, cols) == [
        ("more than 30,000 soldiers", 30000.0, "soldiers", "more than"),
        ("an estimated 100,000 troops", 100000.0, "troops", "about"),
    ]


def test_seed_quotes_have_their_speakers(seed_tables):
    cols = ("speaker_name", "verb", "text")
    assert _extracted(seed_tables, "quotes", SEED_AFP.name, cols) == [
        ("Pentagon", "said", "miscalculation"),
        (None, None, "issues of concern"),
        (
            "Pentagon",
            "said",
            "The phone call facilitated communication between both leaders to reduce chances of miscalculation and "
            "gain perspectives on current European security",
        ),
        ("NATO", "said", "dangerous moment"),
        ("Kyiv", "denounced", "psychological pressure"),
        ("Jean-Yves Le Drian", "called", "a very violent gesture."),
    ]
    speakers = [q[0] for q in _extracted(seed_tables, "quotes", SEED_MARKER.name, cols)]
    assert speakers == [
        "Alexander Lukashenko",
        "Alexander Lukashenko",
        "Alexander Lukashenko",
        "Alexander Lukashenko",
        "Sergey Lavrov",
        "White House",
        "Vladimir Putin",
    ]


def test_seed_places_are_coded(seed_tables):
    places = {
        (e["canonical_name"], e["country_code"])
        for e in seed_tables["entities"]
        if e["canonical_name"] in ("Minsk", "Kyiv", "Belarus", "Moscow", "Geneva", "Soviet Union")
    }
    assert places == {
        ("Minsk", "BY"),
        ("Kyiv", "UA"),
        ("Belarus", "BY"),
        ("Moscow", "RU"),
        ("Geneva", "CH"),
        ("Soviet Union", "SU"),
    }
    minsk = next(e for e in seed_tables["entities"] if e["canonical_name"] == "Minsk")
    assert (round(minsk["latitude"], 1), round(minsk["longitude"], 1)) == (53.9, 27.6)
