"""Everything wirehouse extracts from one article's NER spans, in one call.

    (spans,) = model_spans(nlp, [(body, sentences)])      # transforms.nlp, one stream
    found = extract_article(body, spans, sentences, published, reference)
    found.mentions, found.dates, found.amounts, found.quotes

The spans are the model's (start, end, label) over the body, all labels; each extractor
takes the labels it needs: names → canonical mentions, DATE → dates mentioned, numbers →
amounts; quotes use the sentences and the mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from transforms.amounts import Amount, extract_amounts
from transforms.dates_mentioned import DateMention, resolve_dates, with_missed_dates
from transforms.entities import Mention, canonicalize
from transforms.places import lookup, lookup_any_case, people_country
from transforms.quotes import Quote, extract_quotes
from transforms.reference import DEFAULT_REFERENCE, Reference


@dataclass(frozen=True)
class Extraction:
    mentions: list[Mention]
    dates: list[DateMention]
    amounts: list[Amount]
    quotes: list[Quote]


def extract_article(
    body: str,
    spans: list[tuple[int, int, str]],
    sentences: list[tuple[int, int]],
    published: dt.date | None,
    reference: Reference = DEFAULT_REFERENCE,
    dateline_place: str | None = None,
) -> Extraction:
    """`dateline_place`: the place of the article's dateline (`KUALA LUMPUR` → Kuala Lumpur),
    cut from the body but telling where the story is from (whose money `$` or `RM` is)."""
    mentions = canonicalize(spans, body, [s for s, _ in sentences], reference)
    numbers_and_dates = with_missed_dates(body, spans)
    dates = resolve_dates(body, [(s, e, body[s:e]) for s, e, label in numbers_and_dates if label == "DATE"], published)
    amounts = extract_amounts(body, numbers_and_dates, article_countries(mentions, dateline_place))
    quotes = extract_quotes(body, sentences, mentions)
    return Extraction(mentions, dates, amounts, quotes)


# How much a dateline says about where a story is from, against one mention in its body.
_DATELINE_WEIGHT = 3.0
_CAPITALIZED = re.compile(r"[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?")


def article_countries(mentions: list[Mention], dateline_place: str | None = None) -> dict[str, float]:
    """ISO 3166 code → how much an article is about that country: its places (a city counts
    for its country), its nationality words (`Kenyans`), country names inside organization
    names (`Bank of Jamaica`, `Singapore Airlines`: half) and its dateline's place."""
    weights: defaultdict[str, float] = defaultdict(float)
    for m in mentions:
        if m.country_code:
            weights[m.country_code] += 1.0
        elif m.label == "NORP" and (code := people_country(m.text)):
            weights[code] += 1.0
        elif m.label == "ORG":
            for words in _CAPITALIZED.findall(m.text):
                code = _country_named(words) or _country_named(words.split()[0])
                if code:
                    weights[code] += 0.5
                    break
    if dateline_place and (place := lookup_any_case(dateline_place)) and place.country_code:
        weights[place.country_code] += _DATELINE_WEIGHT
    return dict(weights)


def _country_named(words: str) -> str | None:
    """The country `words` name (`Jamaica`, `New Zealand`) or whose people they name
    (`Malaysian`); not a city (`Washington Post`)."""
    place = lookup(words)
    if place is not None and place.kind == "country":
        return place.country_code
    return people_country(words)
