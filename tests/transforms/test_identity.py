"""The archive-level identity rules (transforms/identity.py), one per rule, each with the
look-alikes it must keep apart."""

import pytest

from transforms.identity import Decision, Entity, block_key, decide_block, fold, similar, skeleton
from transforms.reference import DEFAULT_REFERENCE


def person(eid, name, mentions=1, **labels):
    return Entity(eid, "PERSON", name, mentions, labels or {"PERSON": mentions})


def place(eid, name, mentions=1, country=None, label="GPE"):
    return Entity(eid, "PLACE", name, mentions, {label: mentions}, country)


def org(eid, name, mentions=1):
    return Entity(eid, "ORG", name, mentions, {"ORG": mentions})


def groups(decisions: list[Decision]) -> list[tuple[str, list[str], str, str]]:
    """(resolved_id, member ids, name, label) per cluster, sorted."""
    out: dict[str, list[Decision]] = {}
    for d in decisions:
        out.setdefault(d.resolved_id, []).append(d)
    return sorted((rid, sorted(d.entity_id for d in ds), ds[0].canonical_name, ds[0].label) for rid, ds in out.items())


def rules(decisions):
    return {d.entity_id: d.rule for d in decisions}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Kiev", "Kyiv", True),
        ("Kharkov", "Kharkiv", True),
        ("Donbass", "Donbas", True),
        ("Zelenskiy", "Zelensky", True),
        ("Aleksandr", "Alexander", True),
        ("Sergei", "Sergey", True),
        ("Vladamir", "Vladimir", True),
        ("Erdoğan", "Erdogan", True),
        ("Kyiv", "Kharkiv", False),
        ("Putin", "Peskov", False),
        ("Austria", "Australia", False),
        ("Biden", "Blinken", False),
        ("Putin", "Patton", False),
        ("Iran", "Iraq", False),
    ],
)
def test_similar_spellings(a, b, same):
    assert similar(a, b) is same


def test_fold_and_skeleton():
    assert [fold(n) for n in ("Wałęsa", "Sánchez", "Erdoğan", "Zürich")] == ["walesa", "sanchez", "erdogan", "zurich"]
    assert [skeleton(n) for n in ("Kharkov", "Kharkiv", "Kiev", "Kyiv", "Aleksandr", "Alexander")] == [
        "khrkv",
        "khrkv",
        "kv",
        "kv",
        "alxndr",
        "alxndr",
    ]
    assert block_key("Vladimir Putin") == block_key("Putin") == "ptn"


def test_diacritics_join_and_the_majority_spelling_names_the_entity():
    got = decide_block([person("a", "Recep Tayyip Erdoğan", 3), person("b", "Recep Tayyip Erdogan", 5)])
    assert groups(got) == [("b", ["a", "b"], "Recep Tayyip Erdogan", "PERSON")]  # b has more mentions
    assert rules(got) == {"a": "diacritics", "b": "self"}


def test_near_identical_spellings_of_a_person_join_look_alikes_stay_apart():
    got = decide_block(
        [
            person("p1", "Vladimir Putin", 600),
            person("p2", "Vladamir Putin", 2),
            person("l1", "Alexander Lukashenko", 40),
            person("l2", "Aleksander Lukashenko", 3),
            person("l3", "Alaxandr Lukashenko", 1),
            person("b1", "Joe Biden", 50),
            person("b2", "Antony Blinken", 30),
            person("d1", "Dmitry Peskov", 10),
        ]
    )
    assert groups(got) == [
        ("b1", ["b1"], "Joe Biden", "PERSON"),
        ("b2", ["b2"], "Antony Blinken", "PERSON"),
        ("d1", ["d1"], "Dmitry Peskov", "PERSON"),
        ("l1", ["l1", "l2", "l3"], "Alexander Lukashenko", "PERSON"),
        ("p1", ["p1", "p2"], "Vladimir Putin", "PERSON"),
    ]
    assert rules(got)["p2"] == "spelling" and rules(got)["l3"] == "spelling"


def test_two_people_with_different_first_names_stay_apart():
    got = decide_block([person("a", "Boris Johnson", 10), person("b", "Lyndon Johnson", 5)])
    assert groups(got) == [("a", ["a"], "Boris Johnson", "PERSON"), ("b", ["b"], "Lyndon Johnson", "PERSON")]


def test_transliterated_places_join_but_places_the_gazetteer_tells_apart_do_not():
    got = decide_block(
        [
            place("k1", "Kharkiv", 20, "UA"),
            place("k2", "Kharkov", 4),
            place("k3", "Kyiv", 40, "UA"),
            place("d1", "Donbas", 9, "UA", label="LOC"),
            place("d2", "Donbass", 3, "UA", label="LOC"),
            place("a1", "Austria", 5, "AT"),
            place("a2", "Australia", 5, "AU"),
            place("m1", "Mali", 5, "ML"),
            place("m2", "Male", 5, "MV"),
        ]
    )
    assert groups(got) == [
        ("a1", ["a1"], "Austria", "GPE"),
        ("a2", ["a2"], "Australia", "GPE"),
        ("d1", ["d1", "d2"], "Donbas", "LOC"),
        ("k1", ["k1", "k2"], "Kharkiv", "GPE"),
        ("k3", ["k3"], "Kyiv", "GPE"),
        ("m1", ["m1"], "Mali", "GPE"),
        ("m2", ["m2"], "Male", "GPE"),
    ]
    assert rules(got)["k2"] == "transliteration"


def test_a_surname_joins_the_one_full_name_with_it():
    got = decide_block([person("full", "Vladimir Putin", 600), person("short", "Putin", 170), person("x", "Zelensky", 3)])
    assert groups(got) == [("full", ["full", "short"], "Vladimir Putin", "PERSON"), ("x", ["x"], "Zelensky", "PERSON")]
    assert rules(got)["short"] == "short_form"


def test_a_name_missing_its_first_words_joins_the_fuller_one():
    got = decide_block(
        [
            person("r", "Recep Tayyip Erdoğan", 9),
            person("t", "Tayyip Erdogan", 2),
            person("k", "Kim Jong Un", 3),
            person("j", "Jong Un", 1),
        ]
    )
    assert groups(got) == [
        ("k", ["j", "k"], "Kim Jong Un", "PERSON"),
        ("r", ["r", "t"], "Recep Tayyip Erdoğan", "PERSON"),
    ]


def test_a_shared_surname_joins_only_the_person_the_evidence_favours():
    entities = [person("boris", "Boris Johnson", 50), person("lyndon", "Lyndon Johnson", 20), person("j", "Johnson", 30)]
    undecided = decide_block(entities)
    assert groups(undecided) == [
        ("boris", ["boris"], "Boris Johnson", "PERSON"),
        ("j", ["j"], "Johnson", "PERSON"),
        ("lyndon", ["lyndon"], "Lyndon Johnson", "PERSON"),
    ]
    # Too close to call: apart.
    close = decide_block(entities, evidence={("j", "boris"): 5.0, ("j", "lyndon"): 3.0})
    assert groups(close) == groups(undecided)
    favoured = decide_block(entities, evidence={("j", "boris"): 12.0, ("j", "lyndon"): 1.0})
    assert groups(favoured) == [
        ("boris", ["boris", "j"], "Boris Johnson", "PERSON"),
        ("lyndon", ["lyndon"], "Lyndon Johnson", "PERSON"),
    ]


def test_two_kims_stay_apart():
    got = decide_block([person("a", "Kim Jong Un", 30), person("b", "Kim Yo Jong", 5), person("k", "Kim", 4)])
    assert groups(got) == [
        ("a", ["a"], "Kim Jong Un", "PERSON"),
        ("b", ["b"], "Kim Yo Jong", "PERSON"),
        ("k", ["k"], "Kim", "PERSON"),
    ]


def test_one_label_per_entity_the_majority_wins():
    got = decide_block(
        [
            person("s1", "Olaf Scholz", 17),
            org("s2", "Olaf Scholz", 11),
            Entity("s3", "PLACE", "Scholz", 2, {"GPE": 2}),
            Entity("b", "ORG", "Biden", 3, {"ORG": 3}),
        ]
    )
    assert groups(got) == [("b", ["b"], "Biden", "ORG"), ("s1", ["s1", "s2", "s3"], "Olaf Scholz", "PERSON")]
    assert rules(got) == {"b": "self", "s1": "self", "s2": "label", "s3": "label"}
    # A person tagged ORG most of the time is still one entity, with the majority label.
    tie = decide_block([person("z1", "Volodymyr Zelensky", 2), org("z2", "Volodymyr Zelenskiy", 2)])
    assert groups(tie) == [("z1", ["z1", "z2"], "Volodymyr Zelensky", "PERSON")]
    mostly_org = decide_block(
        [
            Entity("z1", "PERSON", "Volodymyr Zelensky", 4, {"PERSON": 4}),
            Entity("z2", "PERSON", "Volodymyr Zelenskiy", 3, {"ORG": 3}),
        ]
    )
    assert groups(mostly_org) == [("z1", ["z1", "z2"], "Volodymyr Zelensky", "PERSON")]


def test_a_place_the_gazetteer_codes_is_never_a_persons_surname():
    got = decide_block([person("l", "Lloyd Austin", 5), place("a", "Austin", 3, "US")])
    assert groups(got) == [("a", ["a"], "Austin", "GPE"), ("l", ["l"], "Lloyd Austin", "PERSON")]


def test_agencies_are_organizations():
    got = decide_block(
        [org("r1", "Reuters", 40), person("r2", "Reuters", 50), Entity("r3", "PLACE", "Reuters", 1, {"GPE": 1})],
        reference=DEFAULT_REFERENCE,
    )
    assert groups(got) == [("r2", ["r1", "r2", "r3"], "Reuters", "ORG")]


def test_the_users_aliases_force_and_forbid_merges():
    reference = DEFAULT_REFERENCE.extend(
        aliases_csv="alias,canonical_name,label,rule\n"
        "Bojo,Boris Johnson,PERSON,\n"
        "Johnson,Lyndon Johnson,,never\n"
        "Vladamir Putin,Vladimir Putin,,never\n"
    )
    entities = [
        person("boris", "Boris Johnson", 50),
        person("bojo", "Bojo", 5),
        person("lyndon", "Lyndon Johnson", 20),
        person("j", "Johnson", 30),
        person("p1", "Vladimir Putin", 600),
        person("p2", "Vladamir Putin", 2),
    ]
    got = decide_block(entities, evidence={("j", "lyndon"): 12.0, ("j", "boris"): 1.0}, reference=reference)
    assert groups(got) == [
        ("boris", ["bojo", "boris"], "Boris Johnson", "PERSON"),
        ("j", ["j"], "Johnson", "PERSON"),  # the evidence says Lyndon, the user says never
        ("lyndon", ["lyndon"], "Lyndon Johnson", "PERSON"),
        ("p1", ["p1"], "Vladimir Putin", "PERSON"),
        ("p2", ["p2"], "Vladamir Putin", "PERSON"),
    ]
    assert rules(got)["bojo"] == "alias"
    assert block_key("Bojo", reference) == block_key("Boris Johnson")


def test_a_bad_rule_in_aliases_csv_is_an_error():
    with pytest.raises(ValueError, match="rule must be empty, merge or never, not 'maybe'"):
        DEFAULT_REFERENCE.extend(aliases_csv="alias,canonical_name,label,rule\nA,B,ORG,maybe\n")


def test_resolved_ids_stay_those_of_the_previous_run():
    entities = [person("b", "Vladimir Putin", 10), person("a", "Putin", 50)]
    assert groups(decide_block(entities)) == [("b", ["a", "b"], "Vladimir Putin", "PERSON")]
    # A new spelling with more mentions names the entity, but does not move the id the archive had.
    grown = entities + [person("0", "Wladimir Putin", 900)]
    assert groups(decide_block(grown)) == [("0", ["0", "a", "b"], "Wladimir Putin", "PERSON")]
    assert groups(decide_block(grown, previous={"a": "b", "b": "b"})) == [("b", ["0", "a", "b"], "Wladimir Putin", "PERSON")]


def test_georgia_the_us_state_and_the_country_stay_apart_across_the_archive():
    # the per-article pass names the state apart (transforms.entities); the archive keeps it so,
    # even decided together
    got = decide_block([place("a", "Georgia", 40, "GE"), place("b", "Georgia (US state)", 25, "US")])
    assert [g[1] for g in groups(got)] == [["a"], ["b"]]
    assert block_key("Georgia") != block_key("Georgia (US state)")


def test_a_legal_form_a_place_class_or_a_storm_class_is_no_part_of_the_entity():
    got = decide_block(
        [
            org("v1", "Vexel Semiconductor Bhd", 2),
            org("v2", "Vexel Semiconductor", 3),
            org("v3", "Vexel Semiconductor Berhad", 1),
            org("h1", "Hanbit Motors Co., Ltd.", 1),
            org("h2", "Hanbit Motors", 4),
            place("d1", "Davao City", 3, "PH"),
            place("d2", "Davao", 2, "PH"),
            place("k1", "Kericho County", 2),
            place("k2", "Kericho", 3, "KE"),
            Entity("s1", "EVENT", "Typhoon Bising", 2, {"EVENT": 2}),
            Entity("s2", "EVENT", "Tropical Storm Bising", 1, {"EVENT": 1}),
        ]
    )
    assert [g[1] for g in groups(got)] == [["d1", "d2"], ["h1", "h2"], ["k1", "k2"], ["s1", "s2"], ["v1", "v2", "v3"]]
    assert {rules(got)[x] for x in ("v1", "v3", "h1", "d2", "k1", "s2")} == {"descriptor"}
    assert block_key("Vexel Semiconductor Bhd", kind="ORG") == block_key("Vexel Semiconductor", kind="ORG")
    assert block_key("Davao City", kind="PLACE") == block_key("Davao", kind="PLACE")


def test_a_city_named_after_its_country_or_state_and_a_us_county_stay_apart():
    got = decide_block(
        [
            place("m1", "Mexico City", 5, "MX"),
            place("m2", "Mexico", 9, "MX"),
            place("k1", "Kansas City", 4, "US"),
            place("k2", "Kansas", 3, "US"),
            place("o1", "Orange County", 3),
            place("o2", "Orange", 2, "US"),
        ]
    )
    assert [g[1] for g in groups(got)] == [["k1"], ["k2"], ["m1"], ["m2"], ["o1"], ["o2"]]
    assert block_key("Mexico City", kind="PLACE") != block_key("Mexico", kind="PLACE")


def test_a_name_without_its_middle_name_or_patronymic_joins_the_one_fuller_name():
    got = decide_block(
        [
            person("c1", "Charles Kiprono Mutai", 4),
            person("c2", "Charles Mutai", 2),
            person("g", "Grace Mutai", 3),
            person("f1", "Faisal bin Saeed Al Qasimi", 2),
            person("f2", "Faisal ibn Saeed Al Qasimi", 1),
            person("f3", "Faisal Al Qasimi", 1),
            # two fuller Maria Garcias: the short one is neither
            person("m1", "Maria Jose Garcia", 2),
            person("m2", "Maria Luisa Garcia", 2),
            person("m3", "Maria Garcia", 2),
            # the evidence does not favour it: Jerry Lewis is not Jerry Lee Lewis
            person("j1", "Jerry Lee Lewis", 2),
            person("j2", "Jerry Lewis", 2),
        ],
        evidence={("c2", "c1"): 3.0, ("f3", "f1"): 2.0, ("m3", "m1"): 4.0, ("m3", "m2"): 4.0, ("j2", "j1"): 1.0},
    )
    assert sorted(g[1] for g in groups(got)) == [["c1", "c2"], ["f1", "f2", "f3"], ["g"], ["j1"], ["j2"], ["m1"], ["m2"], ["m3"]]
    assert rules(got)["c2"] == "middle_name" and rules(got)["f2"] == "spelling"


def test_an_opening_vowel_of_a_transliterated_first_name():
    got = decide_block(
        [
            person("o", "Oleksandr Tkachenko", 2),
            person("a", "Aleksandr Tkachenko", 2),
            person("e", "Eli Hassan", 2),
            person("i", "Ali Hassan", 2),
        ]
    )
    assert sorted(g[1] for g in groups(got)) == [["a", "o"], ["e"], ["i"]]


def test_an_organization_by_its_first_words_joins_the_one_it_may_be():
    got = decide_block(
        [
            org("v1", "Vexel Semiconductor", 3),
            org("v2", "Vexel", 4),
            org("k1", "Kenya Power and Lighting Company", 3),
            org("k2", "Kenya Power", 2),
            # named far more than the only longer name it starts: another party
            org("d1", "Democratic Party of Korea", 1),
            org("d2", "Democratic Party", 40),
            # two organizations start with it: neither
            org("h1", "Hanbit Motors", 3),
            org("h2", "Hanbit Bank", 3),
            org("h3", "Hanbit", 2),
            # a person's surname tagged ORG is not the company named after them
            person("m1", "Charles Mutai", 5),
            org("m2", "Mutai Holdings", 2),
            org("m3", "Mutai", 1),
            # no article names both: the bank is not (known to be) its investment arm
            org("c1", "Barclays Capital", 5),
            org("c2", "Barclays", 4),
            # an article names both, but the longer one is the prize named after it
            org("p1", "Bafta Interactive Awards", 2),
            org("p2", "Bafta", 3),
        ],
        evidence={
            ("v2", "v1"): 2.0,
            ("k2", "k1"): 1.0,
            ("d2", "d1"): 1.0,
            ("h3", "h1"): 1.0,
            ("h3", "h2"): 1.0,
            ("m3", "m2"): 1.0,
            ("p2", "p1"): 2.0,
        },
    )
    assert sorted(g[1] for g in groups(got)) == [
        ["c1"],
        ["c2"],
        ["d1"],
        ["d2"],
        ["h1"],
        ["h2"],
        ["h3"],
        ["k1", "k2"],
        ["m1", "m3"],
        ["m2"],
        ["p1"],
        ["p2"],
        ["v1", "v2"],
    ]
    assert rules(got)["v2"] == rules(got)["k2"] == "org_short_form"


def test_a_name_tagged_a_place_in_few_articles_is_the_organization_or_place_it_is_in_more():
    got = decide_block(
        [
            org("k1", "KPLC", 3),
            place("k2", "KPLC", 1),  # the gazetteer knows no KPLC
            place("r1", "Kericho", 4, "KE"),
            person("r2", "Kericho", 1),
            # a surname the archive has a full name for stays that person's
            place("a1", "Austin", 9, "US"),
            person("a2", "Austin", 2),
            person("a3", "Lloyd Austin", 3),
        ]
    )
    assert sorted(g[1:] for g in groups(got)) == [
        (["a1"], "Austin", "GPE"),
        (["a2", "a3"], "Lloyd Austin", "PERSON"),
        (["k1", "k2"], "KPLC", "ORG"),
        (["r1", "r2"], "Kericho", "GPE"),
    ]
    assert {rules(got)[x] for x in ("k1", "k2", "r1", "r2")} == {"self", "label"}


def test_acronyms_and_places_the_gazetteer_tells_apart_are_no_transliterations():
    got = decide_block(
        [
            org("e1", "EADS", 6),
            org("e2", "EDS", 5),
            org("c1", "CBS", 12),
            org("c2", "Cubs", 1),
            place("s1", "Salford", 3, "GB"),
            place("s2", "Sleaford", 1, "GB"),
            # one place by two spellings still joins
            place("k1", "Kharkiv", 5, "UA"),
            place("k2", "Kharkov", 2, "UA"),
        ]
    )
    assert sorted(g[1] for g in groups(got)) == [["c1"], ["c2"], ["e1"], ["e2"], ["k1", "k2"], ["s1"], ["s2"]]
