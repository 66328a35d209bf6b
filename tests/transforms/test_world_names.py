"""Names and honorifics of English-language news outside the US, UK and EU (issue 12,
session 10): each rule here has a case that fails without it."""

from transforms.entities import canonicalize
from transforms.reference import DEFAULT_REFERENCE


def _spans(body, spans):
    """(text, label) pairs → the model's (start, end, label) spans, found left to right."""
    raw = []
    for text, label in spans:
        start = body.index(text, raw[-1][1] if raw else 0)
        raw.append((start, start + len(text), label))
    return raw


def _mentions(body, spans, reference=DEFAULT_REFERENCE):
    return [(m.text, m.label, m.canonical_name) for m in canonicalize(_spans(body, spans), body, [0], reference)]


def test_honorifics_of_malaysia_nigeria_and_the_gulf_stay_out_of_the_name():
    body = (
        "Tan Sri Muhyiddin Yassin met Datuk Seri Anwar Ibrahim. Alhaji Atiku Abubakar and "
        "Mallam Nasir El-Rufai spoke, then Datin Rozilah Salleh and Haji Abdul Rahman Yusof. "
        "Maulana Fazlur Rehman left, as did Chief Olusegun Obasanjo."
    )
    got = _mentions(
        body,
        [
            ("Tan Sri Muhyiddin Yassin", "PERSON"),
            ("Datuk Seri", "PERSON"),  # the model's span of the honorific alone
            ("Anwar Ibrahim", "PERSON"),
            ("Alhaji Atiku Abubakar", "PERSON"),
            ("Mallam Nasir El-Rufai", "ORG"),  # an honorific makes it a person
            ("Datin Rozilah Salleh", "PERSON"),
            ("Haji Abdul Rahman Yusof", "PERSON"),
            ("Maulana Fazlur Rehman", "PERSON"),
            ("Chief Olusegun Obasanjo", "PERSON"),
        ],
    )
    assert got == [
        ("Muhyiddin Yassin", "PERSON", "Muhyiddin Yassin"),
        ("Anwar Ibrahim", "PERSON", "Anwar Ibrahim"),
        ("Atiku Abubakar", "PERSON", "Atiku Abubakar"),
        ("Nasir El-Rufai", "PERSON", "Nasir El-Rufai"),
        ("Rozilah Salleh", "PERSON", "Rozilah Salleh"),
        ("Abdul Rahman Yusof", "PERSON", "Abdul Rahman Yusof"),
        ("Fazlur Rehman", "PERSON", "Fazlur Rehman"),
        ("Olusegun Obasanjo", "PERSON", "Olusegun Obasanjo"),
    ]
