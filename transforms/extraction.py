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
from dataclasses import dataclass

from transforms.amounts import Amount, extract_amounts
from transforms.dates_mentioned import DateMention, resolve_dates
from transforms.entities import Mention, canonicalize
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
) -> Extraction:
    mentions = canonicalize(spans, body, [s for s, _ in sentences], reference)
    dates = resolve_dates(body, [(s, e, body[s:e]) for s, e, label in spans if label == "DATE"], published)
    amounts = extract_amounts(body, spans)
    quotes = extract_quotes(body, sentences, mentions)
    return Extraction(mentions, dates, amounts, quotes)
