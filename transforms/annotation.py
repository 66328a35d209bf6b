"""A batch of prepared articles → the same articles with what NER finds in them.

The model reads each distinct paragraph of the batch's English bodies once, in one stream
(`transforms.nlp.model_units`, `unit_spans`); paragraphs it already read in this batch, or
in an earlier batch or run (`known`), reuse those spans (transforms/ner_reuse.py). From
the spans come each article's entities, dates, amounts and quotes
(`transforms.extraction.extract_article`).
"""

from __future__ import annotations

import dataclasses

from spacy.language import Language

from transforms import sentences as sentences_module
from transforms.article import Prepared, Reject
from transforms.extraction import extract_article
from transforms.ner_reuse import KnownSpans, Spans, plan_copies, plan_units
from transforms.nlp import NER_BATCH_UNITS, model_spans, model_units, ner_chunks, ner_key, unit_spans
from transforms.reference import DEFAULT_REFERENCE, Reference


def annotate_key(nlp: Language, reference: Reference = DEFAULT_REFERENCE) -> str:
    """The `ner_key` of the spans `annotate` stores: the model's, and the code making its
    input (recasing, chunks cut on sentence boundaries, paragraphs, the stream of
    `unit_spans`)."""
    return ner_key(nlp, reference, code=(ner_chunks, model_units, unit_spans, model_spans, sentences_module))


def annotate(
    prepared: list[Prepared],
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    batch_size: int = NER_BATCH_UNITS,
    known: KnownSpans | None = None,
) -> tuple[list[Prepared], list[Reject]]:
    """The articles of a batch with their model spans, mentions, dates, amounts and
    quotes, as new values (the given ones are left as they are), and the rejects of those
    whose extraction failed. The model is English: an article detected as another
    language is returned as it is (an undetected one is treated as English).

    The model reads each distinct paragraph once (`plan_units`); an article's spans are
    its paragraphs' spans, and `ner_units` holds the paragraphs whose model run it is (what
    a later batch may reuse). An exact duplicate body shares its first copy's spans; its
    mentions, dates, amounts and quotes are still derived per copy, so that relative dates
    resolve against each copy's own date.

    An article whose extraction fails in a way nobody foresaw is left out of the articles
    and returned as an `internal_error` reject (as `prepare` does); the rest go on."""
    english = [p for p in prepared if p.header.language in (None, "en")]
    if not english:
        return list(prepared), []
    key = annotate_key(nlp, reference)
    copy_of = plan_copies([p.body for p in english])
    distinct = [i for i in range(len(english)) if i not in copy_of]
    units = {i: model_units(english[i].body, english[i].sentences, reference.acronyms) for i in distinct}
    plan = plan_units([(english[i].article_id, units[i]) for i in distinct], key, known)
    by_hash = dict(plan.stored)
    ran: dict[str, list[tuple[str, Spans]]] = {}
    read = unit_spans(nlp, [text for text, _ in plan.to_run.values()], batch_size=batch_size)
    for (h, (_, article)), found in zip(plan.to_run.items(), read, strict=True):
        by_hash[h] = (found, article)
        ran.setdefault(article, []).append((h, found))
    done: dict[int, Prepared | Reject] = {}
    found_in: dict[int, tuple[Spans, str]] = {}
    for i in distinct:
        item = english[i]
        spans = [(u.start + s, u.start + e, label) for u in units[i] for s, e, label in by_hash[u.sha256][0]]
        origins = {by_hash[u.sha256][1] for u in units[i]}
        # The one article whose model run gave every paragraph (itself, or the copy it
        # reuses); itself when they came from several.
        found_in[i] = (spans, origins.pop() if len(origins) == 1 else item.article_id)
        item = dataclasses.replace(item, ner_units=ran.get(item.article_id, []))
        done[i] = _extract(_with_spans(item, key, *found_in[i]), reference)
    for i, first in copy_of.items():
        done[i] = _copy(english[i], done[first], english[first], key, *found_in[first], reference)
    by_id = {id(p): done[i] for i, p in enumerate(english)}
    annotated = [by_id.get(id(p), p) for p in prepared]
    return [p for p in annotated if isinstance(p, Prepared)], [r for r in done.values() if isinstance(r, Reject)]


def _with_spans(item: Prepared, key: str, spans: Spans, ner_from: str) -> Prepared:
    return dataclasses.replace(item, ner_key=key, ner_spans=spans, ner_from=ner_from)


def _copy(
    item: Prepared, first: Prepared | Reject, original: Prepared, key: str, spans: Spans, ner_from: str, reference: Reference
) -> Prepared | Reject:
    """A later copy of a body in the batch: the first copy's spans, and its findings too
    when both have the same date (relative dates resolve against each copy's own)."""
    item = _with_spans(item, key, spans, ner_from)
    if isinstance(first, Prepared) and item.header.published_date == original.header.published_date:
        return dataclasses.replace(
            item, mentions=list(first.mentions), dates=list(first.dates), amounts=list(first.amounts), quotes=list(first.quotes)
        )
    return _extract(item, reference)


def _extract(item: Prepared, reference: Reference) -> Prepared | Reject:
    """`extract_article` for one article, with the same last line of defence as `prepare`:
    an article that breaks it in a way nobody foresaw becomes an `internal_error` reject
    instead of failing the whole batch."""
    try:
        found = extract_article(
            item.body, item.ner_spans or [], item.sentences, item.header.published_date, reference, item.dateline_place
        )
    except Exception as exc:  # noqa: BLE001 — the point is to catch what nobody foresaw
        detail = f"{type(exc).__name__}: {str(exc)[:500]}"
        return Reject(item.doc.path, item.record, item.doc.sha256, "internal_error", detail)
    return dataclasses.replace(item, mentions=found.mentions, dates=found.dates, amounts=found.amounts, quotes=found.quotes)
