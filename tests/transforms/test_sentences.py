from transforms.sentences import split_sentences


def _split(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_dates_and_initials_do_not_end_sentences():
    text = (
        "The drills run until Feb. 20 near the border. U.S. Gen. Mark Milley spoke to J. Smith at 9 a.m. on Monday. "
        "Mr. Putin said no."
    )
    assert _split(text) == [
        "The drills run until Feb. 20 near the border.",
        "U.S. Gen. Mark Milley spoke to J. Smith at 9 a.m. on Monday.",
        "Mr. Putin said no.",
    ]


def test_quotes_close_sentences_and_paragraphs_always_split():
    text = '"We are ready." He left!\n\nNext paragraph without a stop\n\n“Is it?” she asked. Yes'
    assert _split(text) == ['"We are ready."', "He left!", "Next paragraph without a stop", "“Is it?” she asked.", "Yes"]


def test_lowercase_after_period_is_not_a_boundary():
    assert _split("It was 3.5 per cent. e.g. this one stays. Then a new one.") == [
        "It was 3.5 per cent. e.g. this one stays.",
        "Then a new one.",
    ]


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences("  \n\n  ") == []


def test_spans_cover_text_without_surrounding_space():
    text = "  One.  Two?\n\n Three "
    assert split_sentences(text) == [(2, 6), (8, 12), (15, 20)]
