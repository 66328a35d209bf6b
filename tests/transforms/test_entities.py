import pytest

from transforms.entities import canonicalize, entity_id, trim_span
from transforms.reference import DEFAULT_REFERENCE, Reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Soviet Union's", "Soviet Union"),
        ("The Kremlin", "Kremlin"),
        ("NATO’s", "NATO"),
        ("U.S.", "U.S."),
        ("the Baltic states'", "Baltic states"),
        ('"Allied Resolve"', "Allied Resolve"),
    ],
)
def test_trim_span(text, expected):
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def _mentions(body, spans, reference=DEFAULT_REFERENCE):
    raw = []
    for text, label in spans:
        start = body.index(text, raw[-1][1] if raw else 0)
        raw.append((start, start + len(text), label))
    return [(m.text, m.label, m.canonical_name) for m in canonicalize(raw, body, [0], reference)]


def test_surnames_and_titles_resolve_within_the_article():
    body = "Vladimir Putin met Sergey Lavrov. Mr Putin said Lavrov and Joe Biden and Hunter Biden disagreed. Biden left."
    got = _mentions(
        body,
        [
            ("Vladimir Putin", "PERSON"),
            ("Sergey Lavrov", "PERSON"),
            ("Mr Putin", "PERSON"),
            ("Lavrov", "PERSON"),
            ("Joe Biden", "PERSON"),
            ("Hunter Biden", "PERSON"),
            ("Biden", "PERSON"),
        ],
    )
    assert got == [
        ("Vladimir Putin", "PERSON", "Vladimir Putin"),
        ("Sergey Lavrov", "PERSON", "Sergey Lavrov"),
        ("Mr Putin", "PERSON", "Vladimir Putin"),
        ("Lavrov", "PERSON", "Sergey Lavrov"),
        ("Joe Biden", "PERSON", "Joe Biden"),
        ("Hunter Biden", "PERSON", "Hunter Biden"),
        ("Biden", "PERSON", "Joe Biden"),
    ]


def test_aliases_places_and_acronym_expansions():
    body = "The US and U.S. officials met in Minsk with the World Health Organization (WHO) and Nato."
    got = _mentions(
        body,
        [("US", "GPE"), ("U.S.", "GPE"), ("Minsk", "ORG"), ("World Health Organization", "ORG"), ("WHO", "ORG"), ("Nato", "ORG")],
    )
    assert got == [
        ("US", "GPE", "United States"),
        ("U.S.", "GPE", "United States"),
        ("Minsk", "GPE", "Minsk"),
        ("World Health Organization", "ORG", "WHO"),
        ("WHO", "ORG", "WHO"),
        ("Nato", "ORG", "NATO"),
    ]


def test_ids_ignore_case_and_dots_but_not_kind():
    assert entity_id("ORG", "Nato") == entity_id("ORG", "NATO")
    assert entity_id("GPE", "Washington") != entity_id("PERSON", "Washington")


def test_user_aliases_override_builtins():
    ref = Reference().extend(aliases_csv="alias,canonical_name,label\nKremlin,Russian government,ORG\n")
    assert _mentions("The Kremlin said.", [("Kremlin", "ORG")], ref) == [("Kremlin", "ORG", "Russian government")]


def test_reference_csv_must_have_its_columns():
    with pytest.raises(ValueError, match="missing canonical_name"):
        Reference().extend(aliases_csv="alias,name\nx,y\n")


def test_mentions_spanning_paragraphs_are_dropped():
    assert _mentions("Ends Belarus\n\nMinsk begins.", [("Belarus\n\nMinsk", "GPE")]) == []
