import time

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
    spans = [
        ("Ten", "CARDINAL"),
        ("16", "CARDINAL"),
        ("Four", "CARDINAL"),
        ("Three", "CARDINAL"),
        ("four", "CARDINAL"),
        ("one", "CARDINAL"),
        ("1.4 million", "CARDINAL"),
    ]
    assert _amounts(body, spans) == [
        ("Ten council members", 10, "council members", None),
        ("16 gold medals", 16, "gold medals", None),
        ("Four processing plants", 4, "processing plants", None),
        ("Three people", 3, "people", None),
        ("four fishermen", 4, "fishermen", None),
        ("one resident", 1, "resident", None),
        ("1.4 million homes", 1_400_000, "homes", None),
    ]


def _ranges(body, spans=()):
    return [(a.text, a.value_low, a.value_high, a.value, a.unit, a.qualifier) for a in extract_amounts(body, _spans(body, spans))]


def test_ranges_keep_both_ends():
    body = (
        "Some 3,000-5,000 troops, 10 to 12 tanks, between 20 and 30 ships, 4 and 5 guns. Russia has suffered "
        "70,000-80,000 casualties; between $25 billion and $30 billion for airports, between 1.5 and 1.75 billion "
        "pounds of investment, 2,500–3,000 new seats, between five and seven brigades, five to seven warships."
    )
    spans = [("between five and seven", "CARDINAL"), ("five to seven", "CARDINAL")]
    assert _ranges(body, spans) == [
        ("Some 3,000-5,000 troops", 3000, 5000, 5000, "troops", "about"),
        ("10 to 12 tanks", 10, 12, 12, "tanks", None),
        ("20 and 30 ships", 20, 30, 30, "ships", None),
        ("5 guns", 5, 5, 5, "guns", None),
        ("70,000-80,000 casualties", 70000, 80000, 80000, "casualties", None),
        ("$25 billion and $30 billion", 25e9, 30e9, 30e9, "USD", None),
        ("1.5 and 1.75 billion pounds", 1.5e9, 1.75e9, 1.75e9, "GBP", None),
        ("2,500–3,000 new seats", 2500, 3000, 3000, "seats", None),
        ("five and seven brigades", 5, 7, 7, "brigades", None),
        ("five to seven warships", 5, 7, 7, "warships", None),
    ]


def test_a_percentage_range_is_no_amount():
    body = "Inflation will rise between 5 and 7 percent, and 3-4% next year."
    assert _ranges(body) == []
    assert _ranges(body, [("between 5 and 7 percent", "PERCENT"), ("3-4%", "PERCENT")]) == []


def test_amounts_written_in_parts():
    body = (
        "A package of $11 billion 700 million for reconstruction and 2 billion 500 million hryvnias of debt; "
        "1 million 200 thousand people fled. In 2022 $3 billion 2023 budget."
    )
    spans = [("$11 billion", "MONEY"), ("700 million", "MONEY"), ("2 billion 500 million", "MONEY")]
    assert _ranges(body, spans) == [
        ("$11 billion 700 million", 11.7e9, 11.7e9, 11.7e9, "USD", None),
        ("2 billion 500 million hryvnias", 2.5e9, 2.5e9, 2.5e9, "UAH", None),
        ("1 million 200 thousand people", 1.2e6, 1.2e6, 1.2e6, "people", None),
        ("$3 billion", 3e9, 3e9, 3e9, "USD", None),  # a year after it is no part of it
    ]


def test_words_that_are_no_qualifier_in_the_span():
    body = "Germany will spend an extra 100 billion euros and another 3,000 troops."
    spans = [("an extra 100 billion", "QUANTITY"), ("another 3,000", "CARDINAL")]
    assert _ranges(body, spans) == [
        ("100 billion euros", 100e9, 100e9, 100e9, "EUR", None),
        ("3,000 troops", 3000, 3000, 3000, "troops", None),
    ]


def test_counted_group_after_of():
    body = (
        "We have the support of 46 of our partners, and 250 of its employees work from shelters. "
        "One of the soldiers, 3 of the 5 judges and 20 of the world's richest men."
    )
    spans = [
        ("46", "CARDINAL"),
        ("250", "CARDINAL"),
        ("One", "CARDINAL"),
        ("3", "CARDINAL"),
        ("5", "CARDINAL"),
        ("20", "CARDINAL"),
    ]
    assert _ranges(body, spans) == [
        ("46 of our partners", 46, 46, 46, "partners", None),
        ("250 of its employees", 250, 250, 250, "employees", None),
        ("5 judges", 5, 5, 5, "judges", None),
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
        (
            "One in five new cars; the board voted seven to two.",
            [("One", "CARDINAL"), ("five", "CARDINAL"), ("seven to two", "CARDINAL")],
        ),
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
        Amount(8, 27, "4.1 million dollars", 4_100_000.0, "USD", None, 4_100_000.0, 4_100_000.0)
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Across `and`, a second part followed by what it counts is its own amount.
        (
            "The fund has $1 billion and 500 million people depend on it.",
            [
                Amount(13, 23, "$1 billion", 1e9, "USD", None, 1e9, 1e9),
                Amount(28, 46, "500 million people", 5e8, "people", None, 5e8, 5e8),
            ],
        ),
        # A currency word after the second part: another currency, another amount.
        (
            "the $3 billion and 500 million euro deals",
            [
                Amount(4, 14, "$3 billion", 3e9, "USD", None, 3e9, 3e9),
                Amount(19, 35, "500 million euro", 5e8, "EUR", None, 5e8, 5e8),
            ],
        ),
        (
            "It cost $3 billion 500 million euros.",
            [
                Amount(8, 18, "$3 billion", 3e9, "USD", None, 3e9, 3e9),
                Amount(19, 36, "500 million euros", 5e8, "EUR", None, 5e8, 5e8),
            ],
        ),
        # Still one amount: `and` before a part nothing counts.
        (
            "It got $1 billion and 500 million for roads.",
            [Amount(7, 33, "$1 billion and 500 million", 1.5e9, "USD", None, 1.5e9, 1.5e9)],
        ),
    ],
)
def test_a_compound_stops_where_a_second_amount_begins(body, expected):
    assert extract_amounts(body, []) == expected


def test_thousands_of_bare_numbers_take_linear_time():
    # Each digit run was checked against every span and number found before it: 3 CPU-s
    # for these 8,000, growing quadratically; ~0.3 s now.
    body = "".join(f"{i} people, " for i in range(1, 8001))
    t0 = time.process_time()
    got = extract_amounts(body, [])
    assert time.process_time() - t0 < 1.5
    assert [(a.char_start, a.text, a.value) for a in got[:2]] == [(0, "1 people", 1.0), (10, "2 people", 2.0)]
    assert [a.value for a in got] == [float(i) for i in range(1, 8001)]


def test_numbers_inside_names_and_dates_are_not_amounts_and_spans_may_overlap():
    body = "The G7 met on 12 May 2022 with 40 ministers and 3 people from Boeing 747 crews."
    date = body.index("12 May")
    spans = _spans(body, [("G7", "ORG"), ("12 May 2022", "DATE"), ("Boeing 747", "PRODUCT")]) + [(date, date + 6, "DATE")]
    assert [(a.text, a.value, a.unit, a.qualifier) for a in extract_amounts(body, spans)] == [
        ("40 ministers", 40.0, "ministers", None),
        ("3 people", 3.0, "people", None),
    ]


# --- money of papers outside the US/UK/EU (issue 12, session 10) ---------------------------


def _money(body, spans=(), countries=None):
    found = extract_amounts(body, _spans(body, spans), countries)
    return [(a.text, a.value, a.unit, a.qualifier) for a in found]


def test_a_dollar_sign_is_the_dollar_of_the_country_the_story_is_about():
    body = "Changi awarded contracts worth $1.2 billion, and SIA ordered jets for about US$8 billion."
    spans = [("$1.2 billion", "MONEY"), ("about US$8 billion", "MONEY")]
    singapore = {"SG": 3.0}
    assert _money(body, spans, singapore) == [
        ("$1.2 billion", 1.2e9, "SGD", None),
        ("about US$8 billion", 8e9, "USD", "about"),
    ]
    # No country, or a story more about the US: the US dollar.
    assert [a[2] for a in _money(body, spans)] == ["USD", "USD"]
    assert [a[2] for a in _money(body, spans, {"SG": 1.0, "US": 2.0})] == ["USD", "USD"]
    # Wire style: the paper writes the local dollar with its own mark, so `$` is the US one.
    wire = "Fonterra cut its payout to NZ$7.25, a loss of $1.2 billion for farmers."
    assert [a[2] for a in _money(wire, [("NZ$7.25", "MONEY"), ("$1.2 billion", "MONEY")], {"NZ": 2.0})] == ["NZD", "USD"]
    # A paper converting into sterling (the BBC: `$305m (£162m)`) writes the US dollar as `$`;
    # and its `£` is sterling even in a story about Gibraltar.
    bbc = "The film took $305m (£162m) in Dominica, and Gibraltar paid £15.2bn."
    assert [a[2] for a in _money(bbc, (), {"DM": 3.0, "GI": 1.0})] == ["USD", "GBP", "GBP"]


def test_rupees_take_the_country_of_the_story():
    body = "The cabinet approved Rs1.5 trillion, Rs. 5.6 trillion and PKR 10 million."
    spans = [("Rs1.5 trillion", "MONEY"), ("5.6 trillion", "MONEY"), ("PKR 10 million", "MONEY")]
    assert _money(body, spans, {"PK": 1.0}) == [
        ("Rs1.5 trillion", 1.5e12, "PKR", None),
        ("Rs. 5.6 trillion", 5.6e12, "PKR", None),
        ("PKR 10 million", 10e6, "PKR", None),
    ]
    assert [a[2] for a in _money(body, spans, {"IN": 2.0})] == ["INR", "INR", "PKR"]


def test_a_one_letter_mark_is_money_in_a_story_about_its_country_or_when_only_money_fits():
    body = "The R21 was closed near the N1, and fines of R40 were issued. Eskom owes R14 million."
    spans = [("21", "CARDINAL"), ("1", "CARDINAL"), ("R40", "ORG"), ("R14 million", "MONEY")]
    # Anywhere: `R14 million` can only be rand; `R21` and `N1` are roads, `R40` may be either.
    assert _money(body, spans) == [("R14 million", 14e6, "ZAR", None)]
    assert _money(body, spans, {"ZA": 1.0}) == [
        ("R21", 21, "ZAR", None),
        ("R40", 40, "ZAR", None),
        ("R14 million", 14e6, "ZAR", None),
    ]


def test_iso_codes_and_newsroom_marks_before_the_number():
    body = (
        "Trade reached AED 1.1 trillion; fines range from Dh500 to Dh10,000; a SR15 billion deal, "
        "QR4.1bn, KSh12.5 billion, GH¢48,000, ₦45.6 billion, TT$1.1 billion, EC$25 million, "
        "BDS$2.3 billion, J$3 billion, RM2.3 billion and P1.5 billion. The TOP 10 list grew."
    )
    countries = {"PH": 1.0}
    assert [(a[0], a[2]) for a in _money(body, (), countries)] == [
        ("AED 1.1 trillion", "AED"),
        ("Dh500 to Dh10,000", "AED"),
        ("SR15 billion", "SAR"),
        ("QR4.1bn", "QAR"),
        ("KSh12.5 billion", "KES"),
        ("GH¢48,000", "GHS"),
        ("₦45.6 billion", "NGN"),
        ("TT$1.1 billion", "TTD"),
        ("EC$25 million", "XCD"),
        ("BDS$2.3 billion", "BBD"),
        ("J$3 billion", "JMD"),
        ("RM2.3 billion", "MYR"),
        ("P1.5 billion", "PHP"),
    ]


def test_south_asian_scales_and_digit_groups():
    body = (
        "The Centre approved Rs 2,000 crore and a Rs 1.2 lakh crore scheme; more than 4.5 lakh people "
        "were affected, 12,50,000 hectares were damaged and 1,80,000 people are in camps."
    )
    assert _money(body, (), {"IN": 1.0}) == [
        ("Rs 2,000 crore", 2e10, "INR", None),
        ("Rs 1.2 lakh crore", 1.2e12, "INR", None),
        ("more than 4.5 lakh people", 450000, "people", "more than"),
        ("12,50,000 hectares", 1250000, "hectares", None),
        ("1,80,000 people", 180000, "people", None),
    ]


def test_space_grouped_thousands_short_scales_and_hyphenated_scales():
    body = "Bail of R50 000 was set. The budget is RM419.2bil. Typhoon damage of P6.4-billion hit 50 000 farms."
    assert _money(body, (), {"ZA": 1.0, "MY": 1.0, "PH": 1.0}) == [
        ("R50 000", 50000, "ZAR", None),
        ("RM419.2bil", 419.2e9, "MYR", None),
        ("P6.4-billion", 6.4e9, "PHP", None),
        ("50 000 farms", 50000, "farms", None),
    ]
    # A space before a group of three joins only digits that are a number on their own.
    assert _money("In 2024 500 people came; the 5-m wall.") == [("500 people", 500, "people", None)]


def test_a_range_with_the_currency_on_both_ends():
    body = "Johannesburg owes between R5 billion and R6 billion."
    found = extract_amounts(body, [], {"ZA": 1.0})
    assert [(a.text, a.unit, a.value_low, a.value_high) for a in found] == [
        ("R5 billion and R6 billion", "ZAR", 5e9, 6e9),
    ]
    found = extract_amounts("He asked for between $200m and $250m.", [], {"NZ": 1.0})
    assert [(a.text, a.unit, a.value_low, a.value_high) for a in found] == [("$200m and $250m", "NZD", 200e6, 250e6)]


def test_currency_names_after_the_number():
    body = (
        "Victims received 500 million dirhams; tourists spent 153.6 billion riyals and 2 billion "
        "Singapore dollars; there are 10 real problems."
    )
    assert _money(body) == [
        ("500 million dirhams", 500e6, "AED", None),
        ("153.6 billion riyals", 153.6e9, "SAR", None),
        ("2 billion Singapore dollars", 2e9, "SGD", None),
        ("10 real problems", 10, "real problems", None),
    ]
    assert _money("Qatar spent 5 billion riyals.", (), {"QA": 1.0}) == [("5 billion riyals", 5e9, "QAR", None)]


def test_money_the_model_put_inside_a_name():
    body = "Emfuleni owes Rand Water R1.2 billion and the R40 fee, the municipality said."
    spans = [("Emfuleni", "GPE"), ("Rand Water R1.2 billion", "ORG"), ("R40", "PRODUCT")]
    assert _money(body, spans, {"ZA": 1.0}) == [("R1.2 billion", 1.2e9, "ZAR", None), ("R40", 40, "ZAR", None)]


def test_people_named_by_their_nationality_are_what_is_counted():
    body = "The authority has registered 18 million Kenyans since October, and 300 Russian troops left."
    spans = [("18 million", "CARDINAL"), ("Kenyans", "NORP"), ("300", "CARDINAL"), ("Russian", "NORP")]
    assert _money(body, spans) == [
        ("18 million Kenyans", 18e6, "Kenyans", None),
        ("300 Russian troops", 300, "troops", None),
    ]
    # One of them is a person, not a count of a people.
    assert _money("One Kenyan won.", [("One", "CARDINAL"), ("Kenyan", "NORP")]) == []
    # A people the model did not tag (countryinfo's demonyms); not any capitalized plural.
    assert _money("About 10,000 Ugandans work there, with 300 Friends of the Earth.", [("About 10,000", "CARDINAL")]) == [
        ("About 10,000 Ugandans", 10000, "Ugandans", "about")
    ]


def test_crore_abbreviated():
    assert _money("A Rs 500 cr scheme and Rs1,200cr more.", (), {"IN": 1.0}) == [
        ("Rs 500 cr", 5e9, "INR", None),
        ("Rs1,200cr", 1.2e10, "INR", None),
    ]


def test_a_change_by_an_amount_to_another_is_two_amounts_not_a_range():
    body = "A litre was cut by Rs. 12 to Rs. 368, and sales rose by 5 to 40 trucks."
    found = extract_amounts(body, _spans(body, [("Rs. 12 to Rs. 368", "MONEY")]), {"LK": 1.0})
    assert [(a.text, a.unit, a.value_low, a.value_high) for a in found] == [
        ("Rs. 12", "LKR", 12, 12),
        ("Rs. 368", "LKR", 368, 368),
    ]


def test_a_unit_symbol_written_onto_the_number():
    body = (
        "The plant will generate 1,200MW; the road is 45km long; a 6GB phone; trains leave at 10am, "
        "every 24hrs; at the 3GSM congress at 2100GMT."
    )
    assert _money(body) == [("1,200MW", 1200, "MW", None), ("45km", 45, "km", None), ("6GB", 6, "GB", None)]


def test_a_range_after_by_is_a_range_when_its_ends_are_of_one_size():
    # `by 25 to 30 seats` (the model's two CARDINAL spans) is a range of the change, not a
    # change and where it ended, which `by 5 to 40` and `by Rs. 12 to Rs. 368` are.
    body = "The party hopes to increase its presence in the Commons by 25 to 30 seats."
    assert _amounts(body, [("25", "CARDINAL"), ("30", "CARDINAL")]) == [("25 to 30 seats", 30, "seats", None)]


def test_pence_and_cents_are_sums_of_the_currency_itself():
    # Share prices in pence (the model calls them CARDINAL, PRODUCT or DATE) and cents.
    body = (
        "Barclays fell 9.1p to 285p and Rolls-Royce rose 14p to 797p; the wage goes up by 77 pence. "
        "Annaly rose 12 cents to $20.56, and the 7p.m. close."
    )
    spans = [("9.1p to 285p", "CARDINAL"), ("797p", "PRODUCT"), ("77 pence", "DATE"), ("12 cents", "MONEY"), ("$20.56", "MONEY")]
    assert _money(body, spans) == [
        ("9.1p", 0.091, "GBP", None),
        ("285p", 2.85, "GBP", None),
        ("14p", 0.14, "GBP", None),
        ("797p", 7.97, "GBP", None),
        ("77 pence", 0.77, "GBP", None),
        ("12 cents", 0.12, "USD", None),
        ("$20.56", 20.56, "USD", None),
    ]
    # A picture's lines are no pence.
    assert _money("The phone records 1080p video and has 720p HD screens, for 99p.") == [("99p", 0.99, "GBP", None)]
    # Cents in a story that gives its sums in euros are euro cents.
    euro = "Fares rise by 20 cents to €2.20."
    assert _money(euro, [("20 cents", "MONEY"), ("2.20", "MONEY")]) == [
        ("20 cents", 0.2, "EUR", None),
        ("€2.20", 2.2, "EUR", None),
    ]


def test_a_p_after_a_number_is_no_pence_in_a_story_priced_in_another_currency_only():
    # `1080p` and `720p` (no video word after them) in a story priced in dollars are no £10.80;
    # the same glued `p` in a story giving sums in pounds, or most about the UK, is pence.
    video = "The camera records 1080p and 720p, and sells for $499."
    assert _money(video, [("1080p", "CARDINAL"), ("720p", "PRODUCT"), ("$499", "MONEY")]) == [("$499", 499, "USD", None)]
    shares = "Shares in the bank fell 9.1p, wiping $2bn off its value."
    assert _money(shares, [("9.1p", "CARDINAL"), ("$2bn", "MONEY")]) == [("$2bn", 2e9, "USD", None)]
    assert _money(shares, [("9.1p", "CARDINAL"), ("$2bn", "MONEY")], {"GB": 2.0, "US": 1.0}) == [
        ("9.1p", 0.091, "GBP", None),
        ("$2bn", 2e9, "USD", None),
    ]
    sterling = "Shares in the bank fell 9.1p, wiping £2bn off its value, or $2.5bn."
    assert _money(sterling, [("9.1p", "CARDINAL"), ("£2bn", "MONEY"), ("$2.5bn", "MONEY")]) == [
        ("9.1p", 0.091, "GBP", None),
        ("£2bn", 2e9, "GBP", None),
        ("$2.5bn", 2.5e9, "USD", None),
    ]


def test_money_and_measures_the_model_gave_another_label():
    body = "Employers face a £25bn rise, raising £25bn a year, after a cut of 50bp on the 14th."
    spans = [("25bn", "ORDINAL"), ("25bn a year", "DATE"), ("50bp", "ORDINAL"), ("the 14th", "DATE")]
    assert _money(body, spans) == [("£25bn", 25e9, "GBP", None), ("£25bn", 25e9, "GBP", None), ("50bp", 50, "bp", None)]


def test_acronym_plurals_and_compound_nouns_are_counted():
    body = (
        "More than 40 Labour MPs could rebel; if about 83 of its MPs did, 12 appropriations bills and "
        "three savings accounts would be lost, and 20 workers lose jobs."
    )
    spans = [
        ("More than 40", "CARDINAL"),
        ("Labour", "ORG"),
        ("about 83", "CARDINAL"),
        ("MPs", "ORG"),
        ("12", "CARDINAL"),
        ("three", "CARDINAL"),
        ("20", "CARDINAL"),
    ]
    assert _money(body, spans) == [
        ("More than 40 Labour MPs", 40, "Labour MPs", "more than"),
        ("about 83 of its MPs", 83, "MPs", "about"),
        ("12 appropriations bills", 12, "appropriations bills", None),
        ("three savings accounts", 3, "savings accounts", None),
        ("20 workers", 20, "workers", None),
    ]


def test_speeds_and_temperatures_below_zero():
    body = "Winds of up to 70 km/h; temperatures will drop to -5C, and the S-400 won 2-1."
    spans = [("up to 70 km", "QUANTITY")]
    assert _money(body, spans) == [("up to 70 km/h", 70, "km/h", "up to"), ("-5C", -5, "C", None)]


def test_a_clock_time_the_model_called_a_quantity_is_no_amount():
    body = "The ECB will announce its decision at 1.15pm CET, and the show is at 2005 GMT with 40 guests."
    spans = [("1.15pm CET", "QUANTITY"), ("2005 GMT", "QUANTITY"), ("40", "CARDINAL")]
    assert _money(body, spans) == [("40 guests", 40, "guests", None)]


def test_a_time_zone_counts_only_in_capitals():
    # `pt` in lower case is points, not Pacific Time; `PT` after a clock time is the zone.
    body = "The index gained 5 pt rises in a row, and the show is at 2005 PT with 40 guests."
    spans = [("5 pt", "QUANTITY"), ("2005 PT", "QUANTITY"), ("40", "CARDINAL")]
    assert _money(body, spans) == [("5 pt", 5, "pt", None), ("40 guests", 40, "guests", None)]


def test_a_rise_to_a_level_is_two_amounts_not_a_range():
    body = "Brent rose $1.20 to $74.50, gold fell $40 to $2,910, and 10 to 12 tanks moved."
    spans = [("$1.20 to $74.50", "MONEY"), ("$40 to $2,910", "MONEY"), ("10 to 12", "CARDINAL")]
    assert _ranges(body, spans) == [
        ("$1.20", 1.2, 1.2, 1.2, "USD", None),
        ("$74.50", 74.5, 74.5, 74.5, "USD", None),
        ("$40", 40, 40, 40, "USD", None),
        ("$2,910", 2910, 2910, 2910, "USD", None),
        ("10 to 12 tanks", 10, 12, 12, "tanks", None),  # no movement before it: a range
    ]


def test_cents_are_the_money_of_the_country_the_story_is_about_and_a_glued_c_is_cents():
    # A South African fuel story with no dollar: `31 cents` is rand, and so is a `c` glued to
    # its number (`15c a litre`); a thousandth of the Omani rial (`300 baisas`) is 0.3 OMR.
    body = "Petrol rises by 15c a litre and diesel by 31 cents, so a tank costs R1,064; the rand fell 30c to the dollar."
    spans = [("15c", "MONEY"), ("31 cents", "MONEY"), ("R1,064", "MONEY"), ("30c", "MONEY")]
    assert _money(body, spans, {"ZA": 2.0}) == [
        ("15c", 0.15, "ZAR", None),
        ("31 cents", 0.31, "ZAR", None),
        ("R1,064", 1064, "ZAR", None),
        ("30c", 0.3, "ZAR", None),
    ]
    # ... and in a story tied to no country, the money of its other sums.
    assert _money(body, spans) == [
        ("15c", 0.15, "ZAR", None),
        ("31 cents", 0.31, "ZAR", None),
        ("R1,064", 1064, "ZAR", None),
        ("30c", 0.3, "ZAR", None),
    ]
    # With dollars in the story, cents stay the dollar's; a `c` in a story of temperatures is none.
    assert _money("Annaly rose 12 cents to $20.56.", [("12 cents", "MONEY"), ("$20.56", "MONEY")], {"ZA": 1.0}) == [
        ("12 cents", 0.12, "USD", None),
        ("$20.56", 20.56, "USD", None),
    ]
    assert _money("It was 15c in Durban, with temperatures falling; fares rose R2.", [("15c", "CARDINAL")], {"ZA": 1.0}) == [
        ("R2", 2, "ZAR", None)
    ]
    assert _money("Sardines sold at 300 baisas a kilo, down from 450 baisas.", [], {"OM": 1.0}) == [
        ("300 baisas", 0.3, "OMR", None),
        ("450 baisas", 0.45, "OMR", None),
    ]


def test_percentage_points_are_no_amount():
    body = "The increase adds 0.4 percentage points to inflation and hires 25 nurses."
    assert _amounts(body, [("0.4", "CARDINAL"), ("25", "CARDINAL")]) == [("25 nurses", 25, "nurses", None)]


def test_a_peoples_plural_in_is_is_what_is_counted():
    # `Omanis`, `Emiratis`, `Pakistanis` end in -is, which the plural test leaves to `crisis`.
    body = "The sector employs less than 60,000 Omanis, about 12,000 Emiratis and 3,000 Pakistanis."
    spans = [("less than 60,000", "CARDINAL"), ("about 12,000", "CARDINAL"), ("3,000", "CARDINAL")]
    assert _amounts(body, spans) == [
        ("less than 60,000 Omanis", 60000, "Omanis", "less than"),
        ("about 12,000 Emiratis", 12000, "Emiratis", "about"),
        ("3,000 Pakistanis", 3000, "Pakistanis", None),
    ]
