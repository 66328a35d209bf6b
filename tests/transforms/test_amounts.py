import pytest

from transforms.amounts import Amount, extract_amounts


def _spans(body, spans):
    raw, pos = [], 0
    for text, label in spans:
        start = body.index(text, pos)
        raw.append((start, start + len(text), label))
        pos = start + len(text)
    return raw


def _amounts(body, spans=()):
    return [(a.text, a.value, a.unit, a.qualifier) for a in extract_amounts(body, _spans(body, spans))]


def test_counts_with_qualifiers_from_inside_and_outside_the_span():
    body = (
        "Russia has massed more than 30,000 soldiers, an estimated 100,000 troops and about 100 tanks. "
        "Washington is keeping up to 8,500 troops on alert and sent another 3,000 troops, 350 more troops "
        "and 3,000 additional troops, while more than 100,000 Russian troops and two breakaway regions remain."
    )
    spans = [
        ("more than 30,000", "CARDINAL"),
        ("an estimated 100,000", "CARDINAL"),
        ("about 100", "CARDINAL"),
        ("8,500", "CARDINAL"),
        ("another 3,000", "CARDINAL"),
        ("350", "CARDINAL"),
        ("3,000", "CARDINAL"),
        ("more than 100,000", "CARDINAL"),
        ("Russian", "NORP"),
        ("two", "CARDINAL"),
    ]
    assert _amounts(body, spans) == [
        ("more than 30,000 soldiers", 30000, "soldiers", "more than"),
        ("an estimated 100,000 troops", 100000, "troops", "about"),
        ("about 100 tanks", 100, "tanks", "about"),
        ("up to 8,500 troops", 8500, "troops", "up to"),
        ("3,000 troops", 3000, "troops", None),
        ("350 more troops", 350, "troops", None),
        ("3,000 additional troops", 3000, "troops", None),
        ("more than 100,000 Russian troops", 100000, "troops", "more than"),
        ("two breakaway regions", 2, "regions", None),
    ]


def test_money_and_measures():
    body = (
        "A package of 1.2 billion euros, $1.5 billion in aid, about $11 billion, more than $100 a barrel, "
        "£250,000, $1.5bn and 2,000 euros for 1,000 cubic metres; gusts of 122 miles per hour, "
        "1,230 kilometres long, minus 20 degrees Celsius."
    )
    spans = [
        ("1.2 billion", "CARDINAL"),
        ("$1.5 billion", "MONEY"),
        ("about $11 billion", "MONEY"),
        ("more than $100", "MONEY"),
        ("250,000", "MONEY"),
        ("2,000", "CARDINAL"),
        ("1,000 cubic metres", "QUANTITY"),
        ("122 miles per hour", "QUANTITY"),
        ("1,230 kilometres", "QUANTITY"),
        ("20 degrees", "QUANTITY"),
    ]
    assert _amounts(body, spans) == [
        ("1.2 billion euros", 1.2e9, "EUR", None),
        ("$1.5 billion", 1.5e9, "USD", None),
        ("about $11 billion", 11e9, "USD", "about"),
        ("more than $100", 100, "USD", "more than"),
        ("£250,000", 250000, "GBP", None),
        ("$1.5bn", 1.5e9, "USD", None),  # found by pattern: the model's spans missed it
        ("2,000 euros", 2000, "EUR", None),
        ("1,000 cubic metres", 1000, "cubic metres", None),
        ("122 miles per hour", 122, "miles per hour", None),
        ("1,230 kilometres", 1230, "kilometres", None),
        ("minus 20 degrees Celsius", -20, "degrees Celsius", None),
    ]


def test_words_compounds_and_plurals():
    body = (
        "Ten council members voted. Norway won 16 gold medals, and Four processing plants closed. "
        "Three people were killed and four fishermen rescued; one resident spoke; 1.4 million homes lost power."
    )
    spans = [("Ten", "CARDINAL"), ("16", "CARDINAL"), ("Four", "CARDINAL"), ("Three", "CARDINAL"), ("four", "CARDINAL"), ("one", "CARDINAL"), ("1.4 million", "CARDINAL")]
    assert _amounts(body, spans) == [
        ("Ten council members", 10, "council members", None),
        ("16 gold medals", 16, "gold medals", None),
        ("Four processing plants", 4, "processing plants", None),
        ("Three people", 3, "people", None),
        ("four fishermen", 4, "fishermen", None),
        ("one resident", 1, "resident", None),
        ("1.4 million homes", 1_400_000, "homes", None),
    ]


def test_ranges_are_their_upper_bound():
    body = "Some 3,000-5,000 troops, 10 to 12 tanks, between 20 and 30 ships, 4 and 5 guns."
    assert _amounts(body) == [
        ("Some 3,000-5,000 troops", 5000, "troops", "about"),
        ("10 to 12 tanks", 12, "tanks", "up to"),
        ("20 and 30 ships", 30, "ships", "up to"),
        ("5 guns", 5, "guns", None),
    ]


@pytest.mark.parametrize(
    ("body", "spans"),
    [
        ("Prices rose 13 percent.", [("13 percent", "PERCENT")]),
        ("It finished fourth.", [("fourth", "ORDINAL")]),
        ("Dozens of combat brigades and hundreds of services.", [("Dozens", "CARDINAL"), ("hundreds", "CARDINAL")]),
        ("The S-400 systems and Covid-19 tests.", []),
        ("Nord Stream 2 was halted.", [("Nord Stream 2", "ORG")]),
        ("In 2014 Russia annexed Crimea.", [("2014", "DATE")]),
        ("A 90-minute meeting and a 70-seat aircraft.", [("90-minute", "TIME")]),
        ("Talks lasted 14 hours.", [("14", "CARDINAL")]),
        ("The bus leaves at 8 am.", [("8", "CARDINAL")]),
        ("One in five new cars; the board voted seven to two.", [("One", "CARDINAL"), ("five", "CARDINAL"), ("seven to two", "CARDINAL")]),
        ("Entries were capped at 20,000 after a record.", [("20,000", "CARDINAL")]),
        ("One of the four", [("One", "CARDINAL"), ("four", "CARDINAL")]),
    ],
)
def test_not_amounts(body, spans):
    assert _amounts(body, spans) == []


def test_weird_input():
    assert extract_amounts("", []) == []
    assert extract_amounts("   ", [(0, 3, "CARDINAL")]) == []
    assert extract_amounts("1,2,3", []) == []
    assert extract_amounts("12.5.2022 and 3..4 and ,000", []) == []
    assert _amounts("Figures: 007 agents.") == [("007 agents", 7, "agents", None)]
    body = "It cost 4.1 million dollars."
    assert extract_amounts(body, _spans(body, [("4.1 million", "MONEY")])) == [
        Amount(8, 27, "4.1 million dollars", 4_100_000.0, "USD", None)
    ]
