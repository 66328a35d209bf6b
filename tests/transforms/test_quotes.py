from transforms.entities import canonicalize
from transforms.quotes import Quote, extract_quotes
from transforms.sentences import split_sentences


def _quotes(body, names):
    """Quotes of `body` whose entity mentions are `names` ((text, label), left to right)."""
    raw, pos = [], 0
    for text, label in names:
        start = body.index(text, pos)
        raw.append((start, start + len(text), label))
        pos = start + len(text)
    sentences = split_sentences(body)
    mentions = canonicalize(raw, body, [s for s, _ in sentences])
    return [(q.text, q.speaker_name, q.verb) for q in extract_quotes(body, sentences, mentions)]


def test_attribution_after_the_quote():
    body = (
        '"There will be no winners," Putin said. "This is a moment for firmness," said French Foreign Minister '
        'Jean-Yves Le Drian, who accompanied Macron. "The hysteria has reached its peak," he said.'
    )
    names = [("Putin", "PERSON"), ("French", "NORP"), ("Jean-Yves Le Drian", "PERSON"), ("Macron", "PERSON")]
    assert _quotes(body, names) == [
        ("There will be no winners", "Putin", "said"),
        ("This is a moment for firmness", "Jean-Yves Le Drian", "said"),
        ("The hysteria has reached its peak", "Macron", "said"),  # `he`: the last person named before
    ]


def test_attribution_before_the_quote():
    body = (
        'Kyiv denounced the war games as "psychological pressure" while French Foreign Minister Jean-Yves Le Drian '
        'called the exercises "a very violent gesture." Russia\'s ambassador to the European Union, Vladimir Chizhov, '
        'dismissed the talk as "propaganda" and said Moscow had "no plans" to attack.'
    )
    names = [
        ("Kyiv", "GPE"),
        ("French", "NORP"),
        ("Jean-Yves Le Drian", "PERSON"),
        ("Russia", "GPE"),
        ("European Union", "ORG"),
        ("Vladimir Chizhov", "PERSON"),
        ("Moscow", "GPE"),
    ]
    assert _quotes(body, names) == [
        ("psychological pressure", "Kyiv", "denounced"),
        ("a very violent gesture.", "Jean-Yves Le Drian", "called"),
        ("propaganda", "Vladimir Chizhov", "dismissed"),
        ("no plans", "Vladimir Chizhov", "said"),
    ]


def test_subjects_skip_prepositions_and_appositives():
    body = (
        'EU foreign ministers meeting in Brussels said any aggression would carry "massive consequences". '
        "Former Russian President Dmitry Medvedev, now deputy head of Russia's Security Council, mocked the "
        'decision on Twitter: "Welcome to the brave new world!"'
    )
    names = [("EU", "ORG"), ("Brussels", "GPE"), ("Russian", "NORP"), ("Dmitry Medvedev", "PERSON"), ("Russia", "GPE"), ("Security Council", "ORG"), ("Twitter", "ORG")]
    assert _quotes(body, names) == [
        ("massive consequences", "European Union", "said"),
        ("Welcome to the brave new world!", "Dmitry Medvedev", "mocked"),
    ]


def test_split_continued_and_unattributed_quotes():
    body = (
        '"Set an exact date," Belarusian President Alexander Lukashenko said, "so we are not blamed." '
        '"Nobody is going to attack anyone," Lukashenko told reporters. "But we will answer."\n\n'
        'Milley spoke with Viktor Gulevich to discuss "issues of concern" related to security.'
    )
    names = [("Belarusian", "NORP"), ("Alexander Lukashenko", "PERSON"), ("Lukashenko", "PERSON"), ("Milley", "PERSON"), ("Viktor Gulevich", "PERSON")]
    assert _quotes(body, names) == [
        ("Set an exact date", "Alexander Lukashenko", "said"),
        ("so we are not blamed.", "Alexander Lukashenko", "said"),
        ("Nobody is going to attack anyone", "Alexander Lukashenko", "told"),
        ("But we will answer.", "Alexander Lukashenko", "told"),
        ("issues of concern", None, None),
    ]


def test_later_verb_according_to_colon_and_unnamed_speakers():
    body = (
        'Chiefs held talks to avoid a "miscalculation" during the drills, the Pentagon said. '
        '"Our position is unchanged," according to Ukrainian Foreign Ministry spokesman Oleg Nikolenko. '
        'The council heard a plea from Secretary-General Antonio Guterres: "Bring your troops back." '
        'The call produced "no fundamental change", a senior official told reporters, adding that Russia could attack "within days".'
    )
    names = [("Pentagon", "ORG"), ("Ukrainian Foreign Ministry", "ORG"), ("Oleg Nikolenko", "PERSON"), ("Antonio Guterres", "PERSON"), ("Russia", "GPE")]
    assert _quotes(body, names) == [
        ("miscalculation", "Pentagon", "said"),
        ("Our position is unchanged", "Oleg Nikolenko", None),
        ("Bring your troops back.", "Antonio Guterres", None),
        ("no fundamental change", None, "told"),
        ("within days", None, "adding"),
    ]


def test_mismatched_and_doubled_marks_and_quoted_names():
    body = (
        '"The phone call helped,\' the Pentagon statement said. NATO said it marked a ""dangerous moment" for Europe. '
        'Belarus will join the “Allied Resolve” drills. Nebenzia accused Washington of "whipping up tensions\' and left.'
    )
    names = [("Pentagon", "ORG"), ("NATO", "ORG"), ("Europe", "LOC"), ("Belarus", "GPE"), ("Allied Resolve", "WORK_OF_ART"), ("Nebenzia", "PERSON"), ("Washington", "GPE")]
    assert _quotes(body, names) == [
        ("The phone call helped", "Pentagon", "said"),
        ("dangerous moment", "NATO", "said"),
        ("whipping up tensions", "Nebenzia", "accused"),
    ]


def test_single_quotes_and_a_name_in_apposition():
    body = "Councillor Amelia Hart said the delay was 'frustrating but necessary'. \"We did everything,\" said the manager, Henrik Aalto."
    names = [("Councillor Amelia Hart", "ORG"), ("Henrik Aalto", "PERSON")]
    assert _quotes(body, names) == [
        ("frustrating but necessary", "Amelia Hart", "said"),
        ("We did everything", "Henrik Aalto", "said"),
    ]


def test_a_quote_running_on_into_the_next_paragraph():
    body = '"We will not give up.\n\n"We will rebuild," Zelensky said.\n\nLater, Lavrov said so.'
    assert _quotes(body, [("Zelensky", "PERSON"), ("Lavrov", "PERSON")]) == [
        ("We will not give up.", "Zelensky", "said"),  # attributed where it runs on to
        ("We will rebuild", "Zelensky", "said"),
    ]


def test_a_quote_has_every_column():
    body = '"No," Putin said.'
    mentions = canonicalize([(6, 11, "PERSON")], body, [0])
    assert extract_quotes(body, [(0, len(body))], mentions) == [
        Quote(1, 3, "No", "Putin", mentions[0].entity_id, "Putin", "said")
    ]


def test_nothing_to_quote():
    assert extract_quotes("", [], []) == []
    assert extract_quotes("No quotes here.", [(0, 15)], []) == []
    assert extract_quotes('An unclosed " mark and "" empty ones.', [(0, 37)], []) == []
    assert extract_quotes("Possessive states' borders and it's fine.", [(0, 41)], []) == []
