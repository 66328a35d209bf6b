"""A batch of prepared articles → the same articles with what NER finds in them.

The model reads each distinct English body once, in one `nlp.pipe` stream
(`transforms.nlp.model_spans`); bodies it already read in this batch, or in an earlier one
(`known`), reuse those spans (transforms/ner_reuse.py). From the spans come each
article's entities, dates, amounts and quotes (`transforms.extraction.extract_article`).
"""

from __future__ import annotations

import dataclasses

from spacy.language import Language

from transforms import sentences as sentences_module
from transforms.article import Prepared, Reject
from transforms.extraction import extract_article
from transforms.ner_reuse import KnownSpans, Spans, plan_reuse
from transforms.nlp import NER_BATCH, model_spans, ner_chunks, ner_key
from transforms.reference import DEFAULT_REFERENCE, Reference


def annotate_key(nlp: Language, reference: Reference = DEFAULT_REFERENCE) -> str:
    """The `ner_key` of the spans `annotate` stores: the model's, and the code making its
    input (recasing, chunks cut on sentence boundaries, the stream of `model_spans`)."""
    return ner_key(nlp, reference, code=(ner_chunks, model_spans, sentences_module))


def annotate(
    prepared: list[Prepared],
    nlp: Language,
    *,
    reference: Reference = DEFAULT_REFERENCE,
    batch_size: int = NER_BATCH,
    known: KnownSpans | None = None,
) -> tuple[list[Prepared], list[Reject]]:
    """The articles of a batch with their model spans, mentions, dates, amounts and
    quotes, as new values (the given ones are left as they are), and the rejects of those
    whose extraction failed. The model is English: an article detected as another
    language is returned as it is (an undetected one is treated as English).

    An exact duplicate goes through the model once (`plan_reuse`); its mentions, dates,
    amounts and quotes are still derived per copy, so that relative dates resolve against
    each copy's own date.

    An article whose extraction fails in a way nobody foresaw is left out of the articles
    and returned as an `internal_error` reject (as `prepare` does); the rest go on."""
    english = [p for p in prepared if p.header.language in (None, "en")]
    if not english:
        return list(prepared), []
    key = annotate_key(nlp, reference)
    plan = plan_reuse([p.body for p in english], key, known)
    spans = dict(plan.stored)
    read = model_spans(
        nlp, [(english[i].body, english[i].sentences) for i in plan.to_run], reference=reference, batch_size=batch_size
    )
    spans.update((i, (found, english[i].article_id)) for i, found in zip(plan.to_run, read, strict=True))
    done: dict[int, Prepared | Reject] = {}
    for i in plan.distinct:
        done[i] = _extract(_with_spans(english[i], key, *spans[i]), reference)
    for i, first in plan.copy_of.items():
        done[i] = _copy(english[i], done[first], english[first], key, *spans[first], reference)
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
        found = extract_article(item.body, item.ner_spans or [], item.sentences, item.header.published_date, reference)
    except Exception as exc:  # noqa: BLE001 — the point is to catch what nobody foresaw
        detail = f"{type(exc).__name__}: {str(exc)[:500]}"
        return Reject(item.doc.path, item.record, item.doc.sha256, "internal_error", detail)
    return dataclasses.replace(item, mentions=found.mentions, dates=found.dates, amounts=found.amounts, quotes=found.quotes)
