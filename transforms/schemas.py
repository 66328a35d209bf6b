"""Every table's Arrow schema, defined once.

The Parquet writers (flows/) and the staging SQL (sql/staging/) both follow these;
tests/flows/test_warehouse.py checks that each staging view exposes exactly these columns (the
input file's source_* columns renamed file_*: in the warehouse `source` is the agency), and
transforms/tables.py builds every row by these column names.
"""

from __future__ import annotations

import pyarrow as pa

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_record", pa.int32(), nullable=True),  # line/index inside a multi-record file
        pa.field("source_sha256", pa.string(), nullable=False),
        # text, html, json or jsonl, with "+gzip" when the file was compressed
        pa.field("source_format", pa.string(), nullable=False),
        pa.field("encoding", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("source", pa.string()),
        pa.field("published_date", pa.date32()),
        pa.field("date_source", pa.string(), nullable=False),
        pa.field("dateline_place", pa.string()),
        pa.field("dateline_source", pa.string()),
        pa.field("language", pa.string()),  # ISO 639-1, detected from the body; null when unsure
        pa.field("body", pa.string(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("sentence_count", pa.int32(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        # Duplicate detection (transforms/duplicates.py): equal for bodies equal up to case,
        # punctuation and spacing; MinHash of the body's word 5-shingles.
        pa.field("body_fingerprint", pa.string(), nullable=False),
        pa.field("minhash", pa.list_(pa.uint32()), nullable=False),
    ]
)

SENTENCES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        # The same sentence's span in its source text, for checking against the original. The
        # source text depends on articles.source_format: for text, the decoded file; for html,
        # the main text trafilatura extracted from the page (paragraphs separated by a blank
        # line: `transforms.formats.extract_html(...).text`); for json/jsonl, the record's
        # text field with JSON escapes decoded.
        pa.field("raw_char_start", pa.int32(), nullable=False),
        pa.field("raw_char_end", pa.int32(), nullable=False),
    ]
)

ENTITIES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("canonical_name", pa.string(), nullable=False),
        # Places only: ISO 3166 alpha-2 (SU for the Soviet Union) and a point for a map.
        pa.field("country_code", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        # What entity_id hashes (`PERSON:sergey lavrov`): lets SQL merge across articles.
        pa.field("entity_key", pa.string(), nullable=False),
    ]
)

# Dates an article mentions, resolved against its publication date (transforms/dates_mentioned.py).
DATES_MENTIONED = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),  # YYYY-MM-DD, YYYY-MM or YYYY
        pa.field("resolution", pa.string(), nullable=False),  # day, month or year
        pa.field("date_start", pa.date32(), nullable=False),
        pa.field("date_end", pa.date32(), nullable=False),
    ]
)

# Numbers with what they count (transforms/amounts.py): `more than 30,000 soldiers`.
AMOUNTS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),  # a range's upper end
        # The ends of a range (`70,000-80,000 casualties`); both are `value` for one number.
        pa.field("value_low", pa.float64(), nullable=False),
        pa.field("value_high", pa.float64(), nullable=False),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("qualifier", pa.string()),  # more than, at least, about, up to, less than
    ]
)

# Quotations with their speaker (transforms/quotes.py).
QUOTES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_idx", pa.int32(), nullable=False),  # of the quote's start
        pa.field("char_start", pa.int32(), nullable=False),  # the quoted words, without their marks
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("speaker_text", pa.string()),
        pa.field("speaker_entity_id", pa.string()),
        pa.field("speaker_name", pa.string()),
        pa.field("verb", pa.string()),
    ]
)

# The model's raw output (before canonicalization) for every article NER ran on or was
# spared, assembled from its paragraphs' spans (NER_UNITS). `ner_key` names the model and
# settings that produced them (transforms.nlp.ner_key).
NER_SPAN = pa.struct(
    [
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
    ]
)
NER_SPANS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("body_sha256", pa.string(), nullable=False),
        pa.field("ner_key", pa.string(), nullable=False),
        pa.field("spans", pa.list_(pa.field("item", NER_SPAN, nullable=False)), nullable=False),
        # The article whose model run produced every paragraph's spans: itself, or the
        # earlier copy; itself when they came from several articles.
        pa.field("ner_from", pa.string(), nullable=False),
    ]
)

# The model's spans over one paragraph (transforms.nlp.model_units), offsets into that
# paragraph, stored once by the article whose model run they are: a paragraph that comes
# again (in the same batch, a later batch or a later run: republished wire copy,
# boilerplate) reuses them instead of running the model, matched by the sha256 of exactly
# what the model read (`unit_sha256`), under the same `ner_key` only.
NER_UNITS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("unit_sha256", pa.string(), nullable=False),
        pa.field("ner_key", pa.string(), nullable=False),
        pa.field("spans", pa.list_(pa.field("item", NER_SPAN, nullable=False)), nullable=False),
    ]
)

REMOVED_LINES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        # 1-based line in the decoded file (for html: of the page's source, where the element
        # starts; for json/jsonl: of the record's text field).
        pa.field("line_no", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("rule", pa.string(), nullable=False),  # one of transforms.clean.RULES
    ]
)

REJECTS = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_record", pa.int32(), nullable=True),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

RUNS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("started_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("finished_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("input_dir", pa.string(), nullable=False),
        pa.field("files_seen", pa.int64(), nullable=False),
        pa.field("articles", pa.int64(), nullable=False),
        pa.field("sentences", pa.int64(), nullable=False),
        pa.field("entities", pa.int64(), nullable=False),
        pa.field("rejects", pa.int64(), nullable=False),
        # How the run's files compare with the previous run's manifest.
        pa.field("files_new", pa.int64(), nullable=False),
        pa.field("files_changed", pa.int64(), nullable=False),
        pa.field("files_unchanged", pa.int64(), nullable=False),
        pa.field("files_deleted", pa.int64(), nullable=False),
        # Files seen but not ingested this run (still being written, or gone before the read).
        pa.field("files_skipped", pa.int64(), nullable=False),
        pa.field("duration_s", pa.float64(), nullable=False),
        pa.field("model", pa.string(), nullable=False),
        pa.field("workers", pa.int32(), nullable=False),
    ]
)

# One row per article that duplicates an earlier one (recomputed over the whole snapshot
# by every run); the marts count only originals.
DUPLICATES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # exact or near
        pa.field("similarity", pa.float64(), nullable=False),
    ]
)

# One identity per real-world entity across the archive (transforms/identity.py, decided by
# flows/warehouse/identity.py after the batches): every per-article entity id → the id the marts count
# it as, with the cluster's one name and label and the rule that joined it.
ENTITY_IDENTITY = pa.schema(
    [
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("resolved_id", pa.string(), nullable=False),
        pa.field("canonical_name", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("rule", pa.string(), nullable=False),  # one of transforms.identity.RULES
        pa.field("block", pa.string(), nullable=False),  # what a new run re-decides by
        pa.field("overrides", pa.string(), nullable=False),  # hash of the user's alias rows it used
        pa.field("run_id", pa.string(), nullable=False),  # the run that decided it
    ]
)

# What an input file became (FILES.status): articles, rejects, both (a multi-record file),
# or `retry` (rejected as unreadable: every run reads it again).
FILE_STATUSES = ("article", "reject", "mixed", "retry")

# What a duplicate is (DUPLICATES.kind, transforms/duplicates.py): the same body up to case,
# punctuation and spacing, or a near copy (small edits). Here and not in duplicates.py so
# that the build's data tests read it without importing datasketch (3 s).
DUPLICATE_KINDS = ("exact", "near")

# The manifest: one row per input file of the published snapshot, and where its rows are.
FILES = pa.schema(
    [
        pa.field("source_key", pa.string(), nullable=False),  # path relative to the input folder
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),  # one of FILE_STATUSES
        pa.field("articles", pa.int32(), nullable=False),
        pa.field("rejects", pa.int32(), nullable=False),
        pa.field("part", pa.string(), nullable=False),  # the part-file group holding its rows
        pa.field("run_id", pa.string(), nullable=False),  # the run that last processed it
    ]
)

# Table name -> schema, in the order the warehouse builds them.
TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "removed_lines": REMOVED_LINES,
    "dates_mentioned": DATES_MENTIONED,
    "amounts": AMOUNTS,
    "quotes": QUOTES,
    "ner_spans": NER_SPANS,
    "ner_units": NER_UNITS,
    "rejects": REJECTS,
    "runs": RUNS,
    "files": FILES,
    "duplicates": DUPLICATES,
    "entity_identity": ENTITY_IDENTITY,
}
