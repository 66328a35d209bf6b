import pytest

from transforms.casing import display_case, recase_caps
from transforms.entities import (
    Mention,
    canonicalize,
    corpus_merges,
    entity_id,
    person_display_name,
    person_key,
    trim_span,
)
from transforms.places import geocode
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
        ("ex-Soviet", "Soviet"),
        ("pro-Russian", "Russian"),
    ],
)
def test_trim_span(text, expected):
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def _spans(body, spans):
    """(text, label) pairs → the model's (start, end, label) spans, found left to right."""
    raw = []
    for text, label in spans:
        start = body.index(text, raw[-1][1] if raw else 0)
        raw.append((start, start + len(text), label))
    return raw


def _mentions(body, spans, reference=DEFAULT_REFERENCE):
    return [(m.text, m.label, m.canonical_name) for m in canonicalize(_spans(body, spans), body, [0], reference)]


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
        ("Putin", "PERSON", "Vladimir Putin"),  # the title stays out of the span
        ("Lavrov", "PERSON", "Sergey Lavrov"),
        ("Joe Biden", "PERSON", "Joe Biden"),
        ("Hunter Biden", "PERSON", "Hunter Biden"),
        ("Biden", "PERSON", "Joe Biden"),
    ]


def test_a_gendered_honorific_picks_between_people_sharing_a_surname():
    body = (
        "Boris Johnson met Karen Johnson. Johnson spoke first. Ms Johnson said no. "
        "Joe Biden travelled with Jill Biden. Mr Biden later spoke."
    )
    got = _mentions(
        body,
        [
            ("Boris Johnson", "PERSON"),
            ("Karen Johnson", "PERSON"),
            ("Johnson", "PERSON"),
            ("Ms Johnson", "PERSON"),
            ("Joe Biden", "PERSON"),
            ("Jill Biden", "PERSON"),
            ("Mr Biden", "PERSON"),
        ],
    )
    assert got == [
        ("Boris Johnson", "PERSON", "Boris Johnson"),
        ("Karen Johnson", "PERSON", "Karen Johnson"),
        ("Johnson", "PERSON", "Boris Johnson"),
        ("Johnson", "PERSON", "Karen Johnson"),
        ("Joe Biden", "PERSON", "Joe Biden"),
        ("Jill Biden", "PERSON", "Jill Biden"),
        ("Biden", "PERSON", "Joe Biden"),
    ]


def test_transliteration_variants_are_one_person_with_one_name():
    variants = [
        ("Aleksandr Lukashenko", "Alexander Lukashenko"),
        ("Alexander Lukashenko", "Alexander Lukashenko"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Sergey Lavrov", "Sergey Lavrov"),
        ("Volodymyr Zelenskiy", "Volodymyr Zelensky"),
        ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
        ("Volodymyr Zelensky", "Volodymyr Zelensky"),
        ("Dmitri Peskov", "Dmitry Peskov"),
        ("Yevgeny Prigozhin", "Yevgeny Prigozhin"),
        ("Evgeny Prigozhin", "Yevgeny Prigozhin"),
    ]
    got = []
    for written, _ in variants:
        (m,) = canonicalize([(0, len(written), "PERSON")], written, [0])
        got.append((written, m.canonical_name, m.entity_id == entity_id("PERSON", m.canonical_name)))
    assert got == [(written, shown, True) for written, shown in variants]
    ids = {written.split()[-1][:6]: set() for written, _ in variants}
    for written, _ in variants:
        ids[written.split()[-1][:6]].add(canonicalize([(0, len(written), "PERSON")], written, [0])[0].entity_id)
    assert [len(v) for v in ids.values()] == [1, 1, 1, 1, 1]


def test_person_keys():
    assert [person_key(n) for n in ("Zelenskyy", "Vladimir Vladimirovich Putin", "Joseph R. Biden Jr.", "Le Drian")] == [
        "zelensky",
        "vladimir putin",
        "joseph biden",
        "le drian",
    ]
    assert person_display_name("Aleksandr Zelenskiy") == "Alexander Zelensky"
    assert person_display_name("Kowalski") == "Kowalski"  # Polish -ski is a spelling, not a variant


def test_people_sharing_a_surname_keep_their_ids():
    assert entity_id("PERSON", "Boris Johnson") != entity_id("PERSON", "Karen Johnson")
    assert entity_id("PERSON", "Joe Biden") != entity_id("PERSON", "Jill Biden")


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


def test_an_acronym_of_an_organization_named_in_full_is_that_organization():
    body = "The Court of Arbitration for Sport ruled. The CAS said the IOC agreed."
    assert _mentions(body, [("Court of Arbitration for Sport", "ORG"), ("CAS", "ORG"), ("IOC", "ORG")]) == [
        ("Court of Arbitration for Sport", "ORG", "Court of Arbitration for Sport"),
        ("CAS", "ORG", "Court of Arbitration for Sport"),
        ("IOC", "ORG", "International Olympic Committee"),
    ]


def test_places_carry_country_and_coordinates():
    body = "Talks in Kiev, Minsk and Odessa; the Soviet Union's collapse; Europe and Maryland."
    mentions = canonicalize(
        _spans(
            body,
            [
                ("Kiev", "PERSON"),
                ("Minsk", "GPE"),
                ("Odessa", "GPE"),
                ("Soviet Union", "GPE"),
                ("Europe", "LOC"),
                ("Maryland", "GPE"),
            ],
        ),
        body,
        [0],
    )
    got = [(m.text, m.label, m.canonical_name, m.country_code, m.latitude is not None) for m in mentions]
    assert got == [
        ("Kiev", "GPE", "Kyiv", "UA", True),
        ("Minsk", "GPE", "Minsk", "BY", True),
        ("Odessa", "GPE", "Odesa", "UA", True),
        ("Soviet Union", "GPE", "Soviet Union", "SU", True),
        ("Europe", "LOC", "Europe", None, True),
        ("Maryland", "GPE", "Maryland", "US", False),
    ]


def test_geocode():
    assert geocode("Minsk", "GPE") == ("BY", 53.90019, 27.56653)
    assert geocode("Kyiv", "GPE")[0] == "UA"
    assert geocode("Crimea", "GPE")[0] == "UA"
    assert geocode("Washington", "GPE")[:1] == ("US",)
    assert geocode("Minsk", "ORG") is None
    assert geocode("Atlantis", "GPE")[0] == "ZA"  # a town near Cape Town
    assert geocode("Narnia", "GPE") is None
    assert geocode("", "GPE") is None


def test_a_person_is_never_a_city_by_name_alone():
    body = "Lloyd Austin flew in. Austin said Austin would wait."
    assert _mentions(body, [("Lloyd Austin", "PERSON"), ("Austin", "PERSON"), ("Austin", "GPE")]) == [
        ("Lloyd Austin", "PERSON", "Lloyd Austin"),
        ("Austin", "PERSON", "Lloyd Austin"),
        ("Austin", "PERSON", "Lloyd Austin"),
    ]


def test_a_mislabelled_surname_is_the_person_and_a_missed_one_is_found():
    body = "Jens Stoltenberg spoke. Stoltenberg said no. Olaf Scholz agreed. Scholz himself left."
    assert _mentions(body, [("Jens Stoltenberg", "PERSON"), ("Stoltenberg", "ORG"), ("Olaf Scholz", "PERSON")]) == [
        ("Jens Stoltenberg", "PERSON", "Jens Stoltenberg"),
        ("Stoltenberg", "PERSON", "Jens Stoltenberg"),
        ("Olaf Scholz", "PERSON", "Olaf Scholz"),
        ("Scholz", "PERSON", "Olaf Scholz"),
    ]


def test_country_words_before_government_bodies():
    body = (
        "U.S. Joint Chiefs of Staff chairman spoke. The Ukrainian Foreign Ministry said so. "
        "Russia's Security Council met. The Security Council voted. The UN Security Council met."
    )
    got = _mentions(
        body,
        [
            ("U.S. Joint Chiefs of Staff", "ORG"),
            ("Ukrainian Foreign Ministry", "ORG"),
            ("Russia", "GPE"),
            ("Security Council", "ORG"),
            ("Security Council", "ORG"),
            ("UN Security Council", "ORG"),
        ],
    )
    assert got == [
        ("U.S.", "GPE", "United States"),
        ("Joint Chiefs of Staff", "ORG", "Joint Chiefs of Staff"),
        ("Ukrainian", "NORP", "Ukrainian"),
        ("Foreign Ministry", "ORG", "Ukrainian Foreign Ministry"),
        ("Russia", "GPE", "Russia"),
        ("Security Council", "ORG", "Russian Security Council"),
        ("Security Council", "ORG", "Russian Security Council"),  # the article's last owner
        ("UN Security Council", "ORG", "United Nations Security Council"),
    ]


def test_events_nationalities_and_blocs():
    body = "Storm Dudley hit. Eunice followed Storm Eunice. Belarusians and Europeans watched the West and the Baltics."
    got = _mentions(
        body,
        [
            ("Storm Dudley", "PERSON"),
            ("Eunice", "PERSON"),
            ("Storm Eunice", "EVENT"),
            ("Belarusians", "NORP"),
            ("Europeans", "NORP"),
            ("West", "LOC"),
            ("Baltics", "LOC"),
        ],
    )
    assert got == [
        ("Storm Dudley", "EVENT", "Storm Dudley"),
        ("Eunice", "EVENT", "Storm Eunice"),
        ("Storm Eunice", "EVENT", "Storm Eunice"),
        ("Belarusians", "NORP", "Belarusian"),
        ("Europeans", "NORP", "European"),
        ("Baltics", "LOC", "Baltic states"),
    ]


def test_capitalized_common_words_opening_a_sentence_are_not_names():
    body = "Operators said it snowed.\n\nLibrary hours will change. Farmers in Minsk agreed."
    raw = _spans(body, [("Operators", "ORG"), ("Library", "PERSON"), ("Farmers", "ORG"), ("Minsk", "GPE")])
    mentions = canonicalize(raw, body, [0, 27, 54])
    assert [(m.text, m.label) for m in mentions] == [("Minsk", "GPE")]


def test_all_caps_text_keeps_its_offsets_and_names_get_ordinary_case():
    body = "PUTIN SAYS RUSSIA WILL NOT INVADE UKRAINE\n\nVladimir Putin spoke in Moscow. NATO agreed."
    recased = recase_caps(body, DEFAULT_REFERENCE.acronyms)
    assert len(recased) == len(body)
    assert recased.split("\n")[0] == "Putin says Russia will not invade Ukraine"
    assert recase_caps("No capitals here.") == "No capitals here."
    assert recase_caps("") == ""
    got = _mentions(body, [("PUTIN", "PERSON"), ("RUSSIA", "GPE"), ("UKRAINE", "GPE"), ("Vladimir Putin", "PERSON")])
    assert got == [
        ("PUTIN", "PERSON", "Vladimir Putin"),
        ("RUSSIA", "GPE", "Russia"),
        ("UKRAINE", "GPE", "Ukraine"),
        ("Vladimir Putin", "PERSON", "Vladimir Putin"),
    ]
    assert [display_case(n, DEFAULT_REFERENCE.acronyms) for n in ("JEAN-YVES LE DRIAN", "NATO", "U.S.", "Mixed Case")] == [
        "Jean-Yves Le Drian",
        "NATO",
        "U.S.",
        "Mixed Case",
    ]


def test_ids_ignore_case_and_dots_but_not_kind():
    assert entity_id("ORG", "Nato") == entity_id("ORG", "NATO")
    assert entity_id("GPE", "Washington") != entity_id("PERSON", "Washington")


def test_user_aliases_override_builtins():
    ref = Reference().extend(aliases_csv="alias,canonical_name,label\nKremlin,Russian government,ORG\nPACE,PACE,ORG\n")
    assert _mentions("The Kremlin said.", [("Kremlin", "ORG")], ref) == [("Kremlin", "ORG", "Russian government")]
    assert "PACE" in ref.acronyms


def test_reference_csv_must_have_its_columns():
    with pytest.raises(ValueError, match="missing canonical_name"):
        Reference().extend(aliases_csv="alias,name\nx,y\n")


def test_mentions_spanning_paragraphs_are_dropped():
    assert _mentions("Ends Belarus\n\nMinsk begins.", [("Belarus\n\nMinsk", "GPE")]) == []


def test_numbers_and_dates_are_not_entities_and_nothing_gives_nothing():
    body = "On Monday 3,000 troops left."
    assert _mentions(body, [("Monday", "DATE"), ("3,000", "CARDINAL")]) == []
    assert canonicalize([], "", []) == []
    assert canonicalize([(0, 0, "PERSON"), (0, 3, "PERSON")], "   ", [0]) == []


def test_a_mention_has_every_column():
    (m,) = canonicalize([(0, 5, "GPE")], "Minsk confirmed.", [0])
    assert m == Mention(
        sentence_idx=0,
        text="Minsk",
        label="GPE",
        char_start=0,
        char_end=5,
        entity_id=entity_id("PLACE", "Minsk"),
        canonical_name="Minsk",
        country_code="BY",
        latitude=53.90019,
        longitude=27.56653,
        entity_key="PLACE:minsk",
    )


def test_corpus_merges_join_a_bare_surname_to_the_one_person_it_can_be():
    rows = [
        ("a", "PERSON:vladimir putin"),
        ("b", "PERSON:putin"),
        ("c", "PERSON:boris johnson"),
        ("d", "PERSON:karen johnson"),
        ("e", "PERSON:johnson"),
        ("f", "ORG:nato"),
        ("g", "PERSON:lavrov"),
    ]
    assert corpus_merges(rows) == {"b": "a"}
    assert corpus_merges([]) == {}


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        # unbalanced brackets: keep the side with the name
        ("Putin (Kremlin", "PERSON", ["Putin"]),
        ("Reuters) Joe Biden", "PERSON", ["Joe Biden"]),
        ("NATO (North Atlantic Treaty Organization)", "ORG", ["NATO"]),  # trim_span takes the last bracket first
        ("(", "ORG", []),
        # possessive tails
        ("Putin’s European", "PERSON", ["Putin"]),
        ("Olaf Scholz's Social", "PERSON", ["Olaf Scholz"]),
        ("Ukraine's Donbas", "GPE", ["Ukraine"]),
        ("Donetsk People's Republic", "GPE", ["Donetsk People's Republic"]),
        ("McDonald's Corp", "ORG", ["McDonald's Corp"]),
        # leading lower-case words; name particles stay
        ("kick Putin", "PERSON", ["Putin"]),
        ("told Vladimir Putin", "PERSON", ["Vladimir Putin"]),
        ("de Gaulle", "PERSON", ["de Gaulle"]),
        ("iPhone", "PRODUCT", ["iPhone"]),
        ("putin", "PERSON", []),
        ("Xinhua news agency", "ORG", ["Xinhua"]),
        ("Putin said", "PERSON", ["Putin"]),
        # two names joined by and
        ("Putin and Biden", "PERSON", ["Putin", "Biden"]),
        ("Kyiv and Kharkiv", "GPE", ["Kyiv", "Kharkiv"]),
        ("Bosnia and Herzegovina", "GPE", ["Bosnia and Herzegovina"]),
        ("Marks and Spencer", "ORG", ["Marks and Spencer"]),
        # a trailing dash credit
        ("Joe Biden - Reuters", "PERSON", ["Joe Biden"]),
        ("Kyiv — AFP", "GPE", ["Kyiv"]),
        ("Austria-Hungary", "GPE", ["Austria-Hungary"]),
        # figures of a results line or a scorecard are not part of a name
        ("J. Ratcliffe 63", "PERSON", ["J. Ratcliffe"]),
        ("Somerset 83", "GPE", ["Somerset"]),
        ("Kent 108-3", "ORG", ["Kent"]),
        ("Pohang 3 Ulsan 2", "ORG", ["Pohang", "Ulsan"]),
        ("Haitai 2 Samsung 0", "ORG", ["Haitai", "Samsung"]),
        ("Lotte 5", "ORG", ["Lotte"]),  # ends its line
        ("Worcestershire 238", "ORG", ["Worcestershire"]),
        ("Nord Stream 2 pipeline", "ORG", ["Nord Stream 2"]),
        ("Channel 4", "ORG", ["Channel 4"]),
        ("Terminal 5 queues", "FAC", ["Terminal 5"]),
        ("Euro 96 final", "EVENT", ["Euro 96"]),
        ("Apollo 13 crew", "PRODUCT", ["Apollo 13"]),
    ],
)
def test_fragments_are_trimmed_split_or_dropped(text, label, expected):
    from transforms.entities import fragment_parts

    assert [text[a:b] for a, b in fragment_parts(text, 0, len(text), label)] == expected


def test_fragments_never_become_entities():
    body = "Crowds chanted kick Putin. Putin’s European trip and Putin and Biden met (Kremlin says. Joe Biden - Reuters"
    got = _mentions(
        body,
        [
            ("kick Putin", "PERSON"),
            ("Putin’s European", "PERSON"),
            ("Putin and Biden", "PERSON"),
            ("Joe Biden - Reuters", "PERSON"),
        ],
    )
    assert got == [
        ("Putin", "PERSON", "Putin"),
        ("Putin", "PERSON", "Putin"),
        ("Putin", "PERSON", "Putin"),
        ("Biden", "PERSON", "Joe Biden"),
        ("Joe Biden", "PERSON", "Joe Biden"),
    ]


def test_the_name_rules_each_do_their_one_job():
    """_resolve_names is five rules in order; each can be run on its own spans."""
    from transforms.entities import _acronyms_of_names_in_full, _events_by_their_last_word, _people_by_their_full_names, _Span

    body = "Storm Eunice hit. Eunice left."
    spans = [_Span(0, 12, "EVENT", "Storm Eunice"), _Span(18, 24, "PERSON", "Eunice")]
    _events_by_their_last_word(spans)
    assert [(s.label, s.name) for s in spans] == [("EVENT", "Storm Eunice"), ("EVENT", "Storm Eunice")]

    body = "Mark Milley spoke. General Milley and Stoltenberg met Jens Stoltenberg."
    spans = [_Span(0, 11, "PERSON", "Mark Milley"), _Span(27, 33, "PERSON", "Milley"), _Span(38, 49, "ORG", "Stoltenberg")]
    spans.append(_Span(54, 70, "PERSON", "Jens Stoltenberg"))
    _people_by_their_full_names(body, spans)
    assert [(s.label, s.name) for s in spans] == [("PERSON", "Mark Milley")] * 2 + [("PERSON", "Jens Stoltenberg")] * 2

    body = "The World Health Organization (WHO) said the WHO would"
    spans = [_Span(4, 29, "ORG", "World Health Organization"), _Span(31, 34, "ORG", "WHO"), _Span(44, 47, "ORG", "WHO")]
    _acronyms_of_names_in_full(body, spans)
    assert [s.name for s in spans] == ["WHO", "WHO", "WHO"]


def test_towns_in_results_lines_are_the_teams_playing_for_them():
    body = (
        "Harbourton 3 Millbrook 2 (halftime 1-0)\n\n"
        "MILWAUKEE 64 71 .474 17\n\n"
        "Brazil 2 Italy 1\n\n"
        "Millbrook 83 and 174 (Kenya), Chicago 296.\n\n"
        "CHICAGO 1996-08-30\n\n"
        "Tokyo 20,345.12 Frankfurt 2,345.67\n\n"
        "Chicago beat Detroit 4-3."
    )
    got = _mentions(
        body,
        [
            ("Harbourton", "GPE"),
            ("Millbrook", "GPE"),
            ("MILWAUKEE", "GPE"),
            ("Brazil", "GPE"),
            ("Italy", "GPE"),
            ("Millbrook", "GPE"),
            ("Kenya", "GPE"),
            ("Chicago", "GPE"),
            ("CHICAGO", "GPE"),
            ("Tokyo", "GPE"),
            ("Frankfurt", "GPE"),
            ("Chicago", "GPE"),
            ("Detroit", "GPE"),
        ],
    )
    labels = [(text, label) for text, label, _ in got]
    assert labels == [
        ("Harbourton", "ORG"),
        ("Millbrook", "ORG"),
        ("MILWAUKEE", "ORG"),
        ("Brazil", "GPE"),  # a national side is its country
        ("Italy", "GPE"),
        ("Millbrook", "ORG"),
        ("Kenya", "GPE"),  # in brackets
        ("Chicago", "ORG"),
        ("CHICAGO", "GPE"),  # a dateline
        ("Tokyo", "GPE"),  # prices, not results
        ("Frankfurt", "GPE"),
        ("Chicago", "ORG"),  # the article's team (`_teams_in_the_article`)
        ("Detroit", "ORG"),  # beaten
    ]


def test_an_acronym_given_in_brackets_names_the_organization_wherever_it_stands():
    body = "The Harbour Safety Board (HSB) said on Friday. HSB inspectors left; the HSBC bank and HSB-led teams did not."
    got = _mentions(body, [("Harbour Safety Board", "ORG")])
    assert got == [
        ("Harbour Safety Board", "ORG", "Harbour Safety Board"),
        ("HSB", "ORG", "Harbour Safety Board"),
        ("HSB", "ORG", "Harbour Safety Board"),
    ]


def _places(body, names):
    raw, pos = [], 0
    for text, label in names:
        start = body.index(text, pos)
        raw.append((start, start + len(text), label))
        pos = start + len(text)
    return [(m.text, m.canonical_name, m.country_code, m.entity_id) for m in canonicalize(raw, body, [0])]


def test_georgia_the_us_state_is_kept_apart_from_georgia_the_country():
    state = _places(
        "Voters in Macon, Georgia, backed the governor. Georgia Gov. Brian Kemp thanked them.",
        [("Macon", "GPE"), ("Georgia", "GPE"), ("Georgia", "GPE"), ("Brian Kemp", "PERSON")],
    )
    country = _places(
        "Protesters in Tbilisi marched on Sunday. Georgia wants to join the European Union.",
        [("Tbilisi", "GPE"), ("Georgia", "GPE"), ("European Union", "ORG")],
    )
    # a US city elsewhere in the article is no evidence: the country's team plays in Los Angeles
    team = _places("Georgia beat Samoa in Los Angeles.", [("Georgia", "GPE"), ("Samoa", "GPE"), ("Los Angeles", "GPE")])
    assert [m[1:3] for m in state[1:3]] == [("Georgia (US state)", "US")] * 2
    assert country[1][1:3] == ("Georgia", "GE") and team[0][1:3] == ("Georgia", "GE")
    assert state[1][3] != country[1][3] and country[1][3] == team[0][3]


def test_a_prominent_place_opening_a_line_alone_is_recased():
    from transforms.casing import recase_caps

    text = "Quiet day.\n\nBEIJING 1996-08-30\n\nNEW YORK, Aug 30\n\nNATO 12\n\nUS 5\n\nWASHINGTON 3 Harbourton 2\n\nBEIJING SAID"
    assert recase_caps(text, frozenset({"NATO", "US"})) == (
        "Quiet day.\n\nBeijing 1996-08-30\n\nNew York, Aug 30\n\nNATO 12\n\nUS 5\n\nWashington 3 Harbourton 2\n\nBEIJING SAID"
    )


def test_another_spelling_of_a_lesser_city_needs_its_country_in_the_article():
    # GeoNames lists `Hamas` among Hamm's other names: in a story about Gaza it is Hamas,
    # whichever label the model gave it
    gaza = _places(
        "Hamas said in a statement that talks in Cairo would resume. A Hamas delegation arrived.",
        [("Hamas", "GPE"), ("Cairo", "GPE"), ("Hamas", "ORG")],
    )
    assert [m[1:3] for m in gaza] == [("Hamas", None), ("Cairo", "EG"), ("Hamas", None)]
    # the same kind of spelling with its country named, after `in`, or of a prominent city
    # is still the city
    ukraine = _places("Zaporozhye came under fire again, Ukraine said.", [("Zaporozhye", "GPE"), ("Ukraine", "GPE")])
    shelled = _places("Shells fell in Zaporozhye overnight.", [("Zaporozhye", "GPE")])
    kiev = _places("Kiev said the talks had failed.", [("Kiev", "GPE")])
    assert ukraine[0][1:3] == shelled[0][1:3] == ("Zaporizhzhya", "UA") and kiev[0][1:3] == ("Kyiv", "UA")
    # a part of the name, or the name without its diacritics, is the name itself
    assert _places("Frankfurt shares fell.", [("Frankfurt", "GPE")])[0][1:3] == ("Frankfurt am Main", "DE")
    assert _places("Wroclaw won the vote.", [("Wroclaw", "GPE")])[0][1:3] == ("Wrocław", "PL")


def test_another_spelling_of_a_city_does_not_make_an_organization_a_place():
    """GeoNames lists `Hamas` among the other names of Hamm, Germany (180,000 people): an
    organization the model found keeps its label, after `from` too, and a city's own name
    under ORG is still the city."""
    body = "On Monday Hamas said that aid from Hamas would go on. HAMAS denied it. Hamm confirmed it."
    got = _mentions(body, [("Hamas", "ORG"), ("Hamas", "ORG"), ("HAMAS", "ORG"), ("Hamm", "ORG")])
    assert [(text, label) for text, label, _ in got] == [("Hamas", "ORG"), ("Hamas", "ORG"), ("HAMAS", "ORG"), ("Hamm", "GPE")]


def test_a_name_ending_in_s_opening_a_sentence_is_no_plural():
    """A capitalized plural of a common word opening a sentence is no name (`Operators
    said`), but a name that happens to end in s is (`Hamas said`, `Reuters reported`)."""
    body = "Hamas said it agreed.\n\nReuters reported it. Operators said so."
    raw = _spans(body, [("Hamas", "ORG"), ("Reuters", "ORG"), ("Operators", "ORG")])
    starts = [0, body.index("Reuters"), body.index("Operators")]
    assert [(m.text, m.label) for m in canonicalize(raw, body, starts)] == [("Hamas", "ORG"), ("Reuters", "ORG")]


def test_an_organization_named_in_full_is_meant_by_its_short_name():
    """`Korvex Industries Inc` … `Korvex`: the model's person there is the company, a short
    name it missed is a mention (so is the name in full again), and the name without its
    legal suffix too; a surname of a person the article names in full stays theirs, and a
    place or a common word is no short name."""
    body = (
        "Korvex Industries Inc said on Monday it would buy Lanterra Group. Korvex shares rose 3 percent "
        "and Korvex expects more. Tom Ashby of Ashby Holdings Ltd said Ashby would wait. "
        "Boston Harbour Co and Lanterra agreed; Korvex Industries Inc declined to comment. Boston is calm."
    )
    raw = _spans(
        body,
        [
            ("Korvex Industries Inc", "ORG"),
            ("Lanterra Group", "ORG"),
            ("Korvex", "PERSON"),
            ("Tom Ashby", "PERSON"),
            ("Ashby Holdings Ltd", "ORG"),
            ("Ashby", "PERSON"),
            ("Boston Harbour Co", "ORG"),
            ("Lanterra", "PERSON"),
            ("Boston", "GPE"),
        ],
    )
    got = [(m.text, m.label, m.canonical_name) for m in canonicalize(raw, body, [0])]
    assert got == [
        ("Korvex Industries Inc", "ORG", "Korvex Industries Inc"),
        ("Lanterra Group", "ORG", "Lanterra Group"),
        ("Korvex", "ORG", "Korvex Industries Inc"),
        ("Korvex", "ORG", "Korvex Industries Inc"),  # missed by the model
        ("Tom Ashby", "PERSON", "Tom Ashby"),
        ("Ashby Holdings Ltd", "ORG", "Ashby Holdings Ltd"),
        ("Ashby", "PERSON", "Tom Ashby"),
        ("Boston Harbour Co", "ORG", "Boston Harbour Co"),
        ("Lanterra", "ORG", "Lanterra Group"),
        ("Korvex Industries Inc", "ORG", "Korvex Industries Inc"),  # missed by the model
        ("Boston", "GPE", "Boston"),
    ]


def test_names_the_model_missed_on_results_lines():
    """On a results line or a standings row a capitalized name the model missed, followed
    by a score, is a mention: a team (which lets the line's towns become teams too), a
    person when it reads as one (an initial, a first name, a country in brackets after
    it), a national side by its country; a table's words and months are none, nor is the
    ground a line opens with (`Harbourton:`), nor a name with no figure after it."""
    body = (
        "Harbourton 4 MILLBROOK 3\n\n"
        "Dunmore Vale 4 1 2 1 4 3 5\n\n"
        "Harbourton: Kestrel Town 210 and 95-4 (J. Hollis 64), Dunmore 180\n\n"
        "Scotland 2 Norway 1\n\n"
        "Halftime 1-0\n\n"
        "July 12 v Ravensby\n\n"
        "288 Amara Lindqvist (Sweden) 69 78 71 70\n\n"
        "3. Tomas Brel, Kwame\n\n"
        "Quiet day in Harbourton 4 times."
    )
    spans = [("Harbourton", "GPE"), ("Harbourton", "GPE"), ("J. Hollis", "PERSON"), ("Norway", "GPE"), ("Sweden", "GPE")]
    spans += [("Tomas Brel", "PERSON"), ("Harbourton", "GPE")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert got == [
        ("Harbourton", "ORG"),
        ("MILLBROOK", "ORG"),  # missed by the model
        ("Dunmore Vale", "ORG"),
        ("Harbourton", "GPE"),  # the ground
        ("Kestrel Town", "ORG"),
        ("J. Hollis", "PERSON"),
        ("Dunmore", "ORG"),
        ("Scotland", "GPE"),  # a national side
        ("Norway", "GPE"),
        ("Amara Lindqvist", "PERSON"),
        ("Sweden", "GPE"),
        ("Tomas Brel", "PERSON"),
        ("Harbourton", "GPE"),  # prose
    ]


def test_a_town_the_article_uses_as_a_side_is_that_side_throughout():
    """A town named with a sports role or a result next to it (`Harbourton captain`,
    `Millbrook beat`, `against ... v Dunmore`) is a side wherever the article names it: the
    model's place, its one-word person and the mentions it missed become the team; the
    town as a place stays (`a home game in Harbourton`, a dateline), so do a country (a
    national side), a singles player beaten (`beat Kowal`) and a person's surname."""
    body = (
        "HARBOURTON 1996-08-30\n\n"
        "Harbourton captain Tom Ashby made 80 as Millbrook beat Ravensby. Harbourton closed on 429 while "
        "Millbrook lost to Norway, and Ashby said Millbrook would play a home game in Harbourton.\n\n"
        "Nadia Perl beat Kowal in the final; Kowal said Harbourton were strong."
    )
    spans = [("HARBOURTON", "GPE"), ("Harbourton", "GPE"), ("Tom Ashby", "PERSON"), ("Millbrook", "GPE")]
    spans += [("Ravensby", "PERSON"), ("Harbourton", "GPE"), ("Norway", "GPE"), ("Ashby", "PERSON"), ("Harbourton", "GPE")]
    spans += [("Nadia Perl", "PERSON"), ("Kowal", "PERSON"), ("Kowal", "PERSON"), ("Harbourton", "PERSON")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert got == [
        ("HARBOURTON", "GPE"),  # the dateline
        ("Harbourton", "ORG"),
        ("Tom Ashby", "PERSON"),
        ("Millbrook", "ORG"),
        ("Ravensby", "PERSON"),  # a person's word beaten: no side by that alone
        ("Harbourton", "ORG"),
        ("Millbrook", "ORG"),  # missed by the model
        ("Norway", "GPE"),
        ("Ashby", "PERSON"),
        ("Millbrook", "ORG"),  # missed by the model
        ("Harbourton", "GPE"),  # the place
        ("Nadia Perl", "PERSON"),
        ("Kowal", "PERSON"),
        ("Kowal", "PERSON"),
        ("Harbourton", "ORG"),
    ]


def test_a_county_or_town_the_model_took_for_a_person_is_the_side_a_result_names():
    """A one-word person of the model's that is a town's or a county's name (`-shire`) is
    the side on a results line, also one that opens with its ground (`At Harbourton:`) or
    gives points (`22 points`), and after a result in a sports story (`beat Wexshire`); the
    surname of a person named in full stays a person."""
    body = (
        "At Harbourton: Wexshire 214 and 167-6 (J. Hollis 64 not out), Dunmore 244\n\n"
        "Lanfordshire 22 points, Dunmore 4.\n\n"
        "Tom Lanfordshire 64"
    )
    spans = [("Harbourton", "GPE"), ("Wexshire", "PERSON"), ("J. Hollis", "PERSON"), ("Dunmore", "GPE")]
    spans += [("Lanfordshire", "PERSON"), ("Dunmore", "GPE"), ("Tom Lanfordshire", "PERSON")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert got == [
        ("Harbourton", "GPE"),  # the ground
        ("Wexshire", "ORG"),
        ("J. Hollis", "PERSON"),
        ("Dunmore", "ORG"),
        ("Lanfordshire", "PERSON"),  # Tom Lanfordshire's surname
        ("Dunmore", "ORG"),
        ("Tom Lanfordshire", "PERSON"),
    ]
    prose = "The Dunmore captain said his side would beat Wexshire in the championship match. Wexshire lost."
    got = _mentions(prose, [("Dunmore", "GPE"), ("Wexshire", "PERSON"), ("Wexshire", "PERSON")])
    assert [(text, label) for text, label, _ in got] == [("Dunmore", "ORG"), ("Wexshire", "ORG"), ("Wexshire", "ORG")]


def test_names_given_with_a_country_in_brackets_are_people_like_the_others():
    """Results list athletes by name and country (`Amara Lindqvist (Sweden) 15:08.79`):
    once the model reads one such name as a person, the ones it made organizations or
    unknown places are people too; a company's name with its suffix stays, and so does
    every name of an article where the model found no person in that construction."""
    body = (
        "1. Amara Lindqvist (Sweden) 15:08.79\n\n"
        "2. Tovah Brenn (Kenya) 15:10.02\n\n"
        "3. Oskar Vellimaa (U.S.) 15:11.50\n\n"
        "Sponsor: Kestrel Holdings (Britain)"
    )
    spans = [("Amara Lindqvist", "PERSON"), ("Sweden", "GPE"), ("Tovah Brenn", "ORG"), ("Kenya", "GPE")]
    spans += [("Oskar Vellimaa", "GPE"), ("U.S.", "GPE"), ("Kestrel Holdings", "ORG"), ("Britain", "GPE")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert [label for text, label in got if text in ("Tovah Brenn", "Oskar Vellimaa", "Kestrel Holdings")] == [
        "PERSON",
        "PERSON",
        "ORG",
    ]
    companies = "Bids came from Norsk Velo (Norway) and Suomi Tele (Finland)."
    spans = [("Norsk Velo", "ORG"), ("Norway", "GPE"), ("Suomi Tele", "ORG"), ("Finland", "GPE")]
    assert [label for _, label, _ in _mentions(companies, spans)] == ["ORG", "GPE", "ORG", "GPE"]


def test_names_with_a_country_in_brackets_outside_results_keep_their_labels():
    """A list of delegates by country is no results table: once a person is read there, the
    organizations in the list stay organizations (was: the World Bank and Save the Children
    made people); a figure or a result after the brackets is still a results line."""
    body = "Delegates included Jane Doe (Kenya), the World Bank (US) and Save the Children (UK)."
    spans = [("Jane Doe", "PERSON"), ("Kenya", "GPE"), ("World Bank", "ORG"), ("US", "GPE")]
    spans += [("Save the Children", "ORG"), ("UK", "GPE")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert got == [
        ("Jane Doe", "PERSON"),
        ("Kenya", "GPE"),
        ("World Bank", "ORG"),
        ("US", "GPE"),
        ("Save the Children", "ORG"),
        ("UK", "GPE"),
    ]
    results = "Sun Ting (China) beat Rashid Amin (Malaysia) 15-12 17-14"
    spans = [("Sun Ting", "PERSON"), ("China", "GPE"), ("Rashid Amin", "ORG"), ("Malaysia", "GPE")]
    assert [label for _, label, _ in _mentions(results, spans)] == ["PERSON", "GPE", "PERSON", "GPE"]


def test_a_town_with_a_role_word_outside_a_sports_story_stays_a_place():
    """`manager`, `coach`, `captain`, `defender` name sides' roles only in a sports story:
    in a fraud report `a Leeds manager at the bank` keeps Leeds a place, throughout."""
    body = (
        "A Leeds manager at the bank was charged with fraud. Leeds detectives said the money went to Spain. "
        "The Dover captain of the ferry said Leeds magistrates remanded him."
    )
    spans = [("Leeds", "GPE"), ("Leeds", "GPE"), ("Spain", "GPE"), ("Dover", "GPE"), ("Leeds", "GPE")]
    got = [(text, label) for text, label, _ in _mentions(body, spans)]
    assert got == [("Leeds", "GPE"), ("Leeds", "GPE"), ("Spain", "GPE"), ("Dover", "GPE"), ("Leeds", "GPE")]


def test_a_time_zone_is_no_organization():
    body = "Shares rose 0.2 percent by 1350 GMT, and trading resumes at 0900 BST on Monday."
    assert _mentions(body, [("GMT", "ORG"), ("BST", "ORG")]) == []


WEATHER = (
    "Temperatures across the UK climbed on Saturday, with Manchester and Cardiff among the warmest places in the country.\n\n"
    "Forecasters said temperatures in Manchester reached their highest level since July, while rain spread across "
    "Cardiff in the evening.\n\n"
    "Maximum temperatures on Saturday:\n\n"
    "London 12 Manchester 9\n"
    "Cardiff 14 Glasgow 8\n"
    "Belfast 10 Leeds 11\n\n"
    "The Met Office said the mild weather in Glasgow and Leeds would last until Tuesday."
)
COUNCILS = (
    "In Thursday's council elections Labour kept control of Sunderland and Bolton, with the Conservatives second.\n\n"
    "Seats won:\n\n"
    "Sunderland Lab 52 Con 11 LD 9\n"
    "Bolton Lab 28 Con 20 LD 6\n\n"
    "Turnout in Sunderland was 31%. Voters in Bolton return to the polls next year."
)
FOOTBALL = (
    "Leeds moved up to third after a 3-1 win, while Burnley slipped in the league.\n\n"
    "Championship results:\n\n"
    "Leeds 3 Preston 1\n"
    "Burnley 0 Sheffield 2\n"
    "Derby 1 Stoke 1\n\n"
    "Leeds manager Jesse Marsch said his side deserved the points. Preston host Derby next Saturday."
)


def test_tables_of_towns_and_small_figures_are_results_only_in_a_sports_story():
    """A weather report's towns and temperatures (`London 12 Manchester 9`) and a council
    election's seats (`Sunderland Lab 52 Con 11`) have the shape of results lines, but the
    towns stay places, also in the prose (`temperatures in Manchester`), and the parties'
    short names are no teams; a football report's results block still makes its towns
    the teams, throughout. (The spans are en_core_web_sm's on these texts, tidied.)"""
    weather = _mentions(
        WEATHER,
        [("UK", "GPE"), ("Manchester", "PERSON"), ("Manchester", "GPE"), ("London", "GPE"), ("Belfast", "GPE")]
        + [("The Met Office", "ORG"), ("Glasgow", "GPE"), ("Leeds", "GPE")],
    )
    assert [(text, label) for text, label, _ in weather] == [
        ("UK", "GPE"),
        ("Manchester", "GPE"),
        ("Manchester", "GPE"),
        ("London", "GPE"),
        ("Belfast", "GPE"),
        ("Met Office", "ORG"),
        ("Glasgow", "GPE"),
        ("Leeds", "GPE"),
    ]
    councils = _mentions(
        COUNCILS,
        [("Sunderland", "GPE"), ("Bolton", "GPE"), ("Conservatives", "NORP"), ("Sunderland", "GPE")]
        + [("Bolton", "GPE"), ("Sunderland", "GPE"), ("Bolton", "GPE")],
    )
    assert [(text, label) for text, label, _ in councils] == [
        ("Sunderland", "GPE"),
        ("Bolton", "GPE"),
        ("Conservatives", "NORP"),
        ("Sunderland", "GPE"),
        ("Bolton", "GPE"),
        ("Sunderland", "GPE"),
        ("Bolton", "GPE"),
    ]
    football = _mentions(
        FOOTBALL,
        [("Leeds", "GPE"), ("Burnley", "ORG"), ("Leeds", "GPE"), ("Preston", "GPE"), ("Burnley", "GPE"), ("Sheffield", "GPE")]
        + [("Derby", "GPE"), ("Stoke", "GPE"), ("Leeds", "GPE"), ("Jesse Marsch", "PERSON"), ("Preston", "GPE")],
    )
    assert [(text, label) for text, label, _ in football] == [
        ("Leeds", "ORG"),
        ("Burnley", "ORG"),
        ("Leeds", "ORG"),
        ("Preston", "ORG"),
        ("Burnley", "ORG"),
        ("Sheffield", "ORG"),
        ("Derby", "ORG"),
        ("Stoke", "ORG"),
        ("Leeds", "ORG"),
        ("Jesse Marsch", "PERSON"),
        ("Preston", "ORG"),
    ]
