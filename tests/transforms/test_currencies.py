"""Currency marks and names from CLDR (babel), and the countries an article is about."""

from transforms.currencies import markers, names, resolve
from transforms.entities import Mention
from transforms.extraction import article_countries


def test_marks_come_from_cldr_and_the_newsroom_table_and_skip_english_words():
    found = markers()
    # CLDR: each territory's English-locale symbol, the English symbols, ISO codes.
    assert (found["R"], found["RM"], found["NZ$"], found["₹"], found["AED"]) == (
        ("ZAR",),
        ("MYR",),
        ("NZD",),
        ("INR",),
        ("AED",),
    )
    assert found["$"][0] == "USD" and {"SGD", "NZD", "JMD", "TTD", "XCD"} <= set(found["$"])
    # Newsroom marks CLDR lacks, the likeliest currency first.
    assert (found["S$"], found["Dh"], found["Rs"][:2], found["P"][0]) == (("SGD",), ("AED",), ("PKR", "INR"), "PHP")
    assert (found["Tk"], found["Shs"][0], found["RO"], found["N$"]) == (("BDT",), "UGX", ("OMR",), ("NAD",))
    # Codes that are English words are no marks (`TOP 10`, `ALL 5`).
    assert "TOP" not in found and "ALL" not in found and "CUP" not in found


def test_names_singular_plural_and_last_word_but_not_english_words():
    found = names()
    assert found["rand"] == ("ZAR",) and found["ringgit"] == ("MYR",) and found["singapore dollars"] == ("SGD",)
    assert found["dollars"][0] == "USD" and found["riyals"][0] == "SAR" and "QAR" in found["riyals"]
    assert "real" not in found and "won" not in found and found["brazilian reals"] == ("BRL",)


def test_resolve_by_the_countries_of_the_story():
    assert resolve(("PKR", "INR"), {"IN": 2.0, "PK": 1.0}) == "INR"
    assert resolve(("PKR", "INR"), {}) == "PKR"
    assert resolve(("ZAR",), {}, marker="R") is None  # a lone `R` needs South Africa in the story
    assert resolve(("ZAR",), {"ZA": 0.5}, marker="R") == "ZAR"
    assert resolve(("XCD",), {}) == "XCD"


def _mention(text, label, country=None):
    return Mention(0, text, label, 0, len(text), "id", text, country)


def test_article_countries_from_places_peoples_organizations_and_the_dateline():
    mentions = [
        _mention("Auckland", "GPE", "NZ"),
        _mention("Kenyans", "NORP"),
        _mention("Emiratis", "NORP"),
        _mention("Bank of Jamaica", "ORG"),
        _mention("Washington Post", "ORG"),
        _mention("Chris Bishop", "PERSON"),
    ]
    assert article_countries(mentions, "Kuala Lumpur") == {"NZ": 1.0, "KE": 1.0, "AE": 1.0, "JM": 0.5, "MY": 3.0}
    assert article_countries([]) == {}


def test_newsroom_spellings_of_currency_names():
    # Uzbek papers write `soums`; CLDR has only `som` (an English-looking word, not read).
    assert names()["soums"] == ("UZS",)
    assert resolve(names()["soms"], {"UZ": 1.0}) == "UZS"
    assert resolve(names()["soms"], {"KG": 1.0}) == "KGS"
