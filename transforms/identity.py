"""One identity per real-world entity across the archive: which per-article entity ids are
the same person, place or organization, under which name and label, and by which rule.

The per-article pass (transforms.entities) gives each mention an `entity_id` that hashes its
canonical key, so the same spelling gets the same id everywhere. What it cannot see from one
article is decided here, over the entities of the whole archive (flows/warehouse/identity.py feeds
them in from DuckDB, one *block* at a time, and writes the decisions as the
`entity_identity` table every mart joins):

- `diacritics`: names equal once folded to ASCII by anyascii (`Erdoğan` = `Erdogan`);
- `spelling`: a person's names of the same length whose words have the same consonant
  skeleton and are near-identical (rapidfuzz): `Vladamir Putin` = `Vladimir Putin`,
  `Aleksander Lukashenko` = `Alexander Lukashenko`;
- `transliteration`: one-word names (places, organizations, surnames) with the same
  skeleton, near-identical, never two places the gazetteer puts in different countries
  (`Kharkov` = `Kharkiv`, `Donbass` = `Donbas`; `Austria` ≠ `Australia`, `Mali` ≠ `Male`;
  `Kyiv` ≠ `Kharkiv` by their skeletons);
- `short_form`: a person known in some articles by surname only joins the one full-named
  person of the archive with that surname; when several share it, the one the evidence
  (co-mentioned entities, same source, nearby dates) clearly favours, else none
  (`Johnson` stays apart from Boris and Lyndon Johnson);
- `label`: a person's name the model tagged ORG or GPE in a few articles (`Olaf Scholz` ORG,
  `Biden` GPE) is that person, when the person is mentioned more and the name is no place
  the gazetteer knows;
- `agency`: a wire agency of the reference (`Reuters` as PERSON) is that organization;
- `alias`: the user's `reference/aliases.csv` forces a merge (a row `alias,canonical_name`)
  or forbids one (a row with `never` in its `rule` column); a forbidden pair is never
  joined by any rule.

Each merged entity keeps its id in `entity_id` and points to the cluster's `resolved_id`:
the previous run's resolved id when it is still in the cluster (ids stay stable as the
archive grows), else the id of the cluster's anchor (its most complete, most mentioned name).
The cluster's label is the label most of its mentions carry (an agency is always ORG), its
name the anchor's.

A *block* is the consonant skeleton of a name's last word: every rule above joins only
entities of one block, so blocks are decided independently and a new run re-decides only
the blocks its new mentions touch.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz.distance import Indel

from transforms.entities import FIRST_NAME_VARIANTS, person_key_tokens
from transforms.reference import Reference, alias_key

# How alike two words with the same skeleton must be (rapidfuzz's normalized Indel
# similarity): `Kiev`/`Kyiv` 0.75, `Vladamir`/`Vladimir` 0.875; `Putin`/`Patton` 0.55.
SIMILAR = 0.74
# How much more evidence the chosen person needs than the next one for a shared surname.
EVIDENCE_MARGIN = 2.0
MIN_EVIDENCE = 2.0

RULES = ("self", "alias", "diacritics", "spelling", "transliteration", "agency", "label", "short_form")


@functools.lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """The name in ASCII, lower case, without punctuation: `Wałęsa` → `walesa`."""
    return alias_key(anyascii(name))


@functools.lru_cache(maxsize=8192)
def skeleton(word: str) -> str:
    """A word's consonants after its first letter, doubled letters once: the part of a
    name transliterations keep (`Kharkov`/`Kharkiv` → `khrkv`, `Kiev`/`Kyiv` → `kv`,
    `Aleksandr`/`Alexander` → `alxndr`)."""
    w = fold(word).replace(" ", "")
    w = w.replace("ks", "x").replace("ck", "k").replace("ph", "f").replace("w", "v")
    if not w:
        return ""
    return re.sub(r"(.)\1+", r"\1", w[0] + re.sub(r"[aeiouy]", "", w[1:]))


def block_key(name: str, reference: Reference | None = None) -> str:
    """The block an entity is decided in: the skeleton of its name's last word (of the
    canonical name when the user's aliases map it to one)."""
    if reference is not None and (alias := reference.aliases.get(alias_key(name))):
        name = alias[0]
    words = fold(name).split()
    return skeleton(words[-1]) if words else ""


def similar(a: str, b: str) -> bool:
    """Two words that are one spelling: the same skeleton and near-identical letters."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    return skeleton(fa) == skeleton(fb) and Indel.normalized_similarity(fa, fb) >= SIMILAR


@dataclass(frozen=True)
class Entity:
    """One per-article entity id with what the archive says about it."""

    entity_id: str
    kind: str  # PERSON, PLACE, ORG, NORP, EVENT, … (the prefix of its entity_key)
    name: str  # its canonical name (the most common one)
    mentions: int
    labels: Mapping[str, int] = field(default_factory=dict)
    country: str | None = None  # a place the gazetteer coded: its country (ISO alpha-2)

    @property
    def coded(self) -> bool:
        return self.country is not None


@dataclass(frozen=True)
class Decision:
    entity_id: str
    resolved_id: str
    canonical_name: str
    label: str
    rule: str  # how entity_id joined resolved_id (`self` for the anchor or an entity alone)


@dataclass(frozen=True)
class Overrides:
    """The user's forced and forbidden merges (reference/aliases.csv), by folded name."""

    force: Mapping[str, str] = field(default_factory=dict)  # folded alias → folded canonical
    never: frozenset[frozenset[str]] = frozenset()  # pairs of folded names

    @staticmethod
    def of(reference: Reference) -> Overrides:
        force = {fold(a): fold(c) for a, (c, _label) in reference.aliases.items() if fold(a) != fold(c)}
        never = frozenset(frozenset((fold(a), fold(b))) for a, b in reference.never_merge)
        return Overrides(force=force, never=never)


def _first_names_match(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    a, b = FIRST_NAME_VARIANTS.get(a, a).lower(), FIRST_NAME_VARIANTS.get(b, b).lower()
    return similar(a, b)


def person_words(e: Entity) -> tuple[str, ...]:
    return _name_words(e.name)


@functools.lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in person_key_tokens(name))


def similar_pairs(words: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair (x, y), x <= y, of the distinct `words` that are one spelling (`similar`),
    each word with itself included. Only words of one skeleton can be similar, so the
    comparisons stay within a skeleton: a block of the archive holds thousands of surnames,
    and comparing each with each was the step's slowest part."""
    by_skeleton: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        by_skeleton.setdefault(skeleton(w), []).append(w)
    out: list[tuple[str, str]] = []
    for group in by_skeleton.values():
        for i, x in enumerate(group):
            out.extend((x, y) for y in group[i:] if similar(x, y))
    return out


class _Clusters:
    def __init__(self, entities: list[Entity], overrides: Overrides):
        self.parent = {e.entity_id: e.entity_id for e in entities}
        self.names = {e.entity_id: {fold(e.name)} for e in entities}
        self.mentions = {e.entity_id: e.mentions for e in entities}
        # The most words of a person's name in each cluster (0: no person).
        self.longest = {e.entity_id: len(person_words(e)) if e.kind == "PERSON" else 0 for e in entities}
        self.rule: dict[str, str] = {}
        self.never = overrides.never

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, rule: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if any(frozenset((x, y)) in self.never for x in self.names[ra] for y in self.names[rb]):
            return False
        for x in (a, b):  # each keeps the rule that first joined it to another
            self.rule.setdefault(x, rule)
        self.parent[rb] = ra
        self.names[ra] |= self.names.pop(rb)
        self.mentions[ra] += self.mentions.pop(rb)
        self.longest[ra] = max(self.longest[ra], self.longest.pop(rb))
        return True


def decide_block(  # noqa: C901
    entities: Iterable[Entity],
    evidence: Mapping[tuple[str, str], float] | None = None,
    reference: Reference | None = None,
    previous: Mapping[str, str] | None = None,
) -> list[Decision]:
    """Decisions for the entities of one block (or any set: blocks only keep it small).
    `evidence[(short_id, full_id)]` scores how likely a surname-only person is that full
    name; `previous` maps entity_id → the resolved id a previous run gave it."""
    entities = sorted(entities, key=lambda e: e.entity_id)
    if not entities:
        return []
    evidence = evidence or {}
    previous = previous or {}
    overrides = Overrides.of(reference) if reference is not None else Overrides()
    agencies = reference.agencies if reference is not None else {}
    by_id = {e.entity_id: e for e in entities}
    c = _Clusters(entities, overrides)

    # alias: the user's forced merges, by folded name.
    by_fold: dict[str, list[Entity]] = {}
    for e in entities:
        by_fold.setdefault(fold(e.name), []).append(e)
    for e in entities:
        if (target := overrides.force.get(fold(e.name))) is not None:
            for t in by_fold.get(target, []):
                c.union(t.entity_id, e.entity_id, "alias")

    # diacritics: the same kind and the same name once folded.
    for group in by_fold.values():
        for kind in {e.kind for e in group}:
            same = [e for e in group if e.kind == kind]
            for e in same[1:]:
                c.union(same[0].entity_id, e.entity_id, "diacritics")

    # spelling / transliteration: the pairs whose last words are one spelling, joined in
    # the order of comparing each entity with each (which decides the rule each keeps).
    order = {e.entity_id: i for i, e in enumerate(entities)}
    people = [e for e in entities if e.kind == "PERSON"]
    by_shape: dict[tuple[int, str], list[Entity]] = {}
    for e in people:
        if words := person_words(e):
            by_shape.setdefault((len(words), words[-1]), []).append(e)
    joined: list[tuple[int, int, str, str, str]] = []
    for n in sorted({n for n, _ in by_shape}):
        for x, y in similar_pairs(last for m, last in by_shape if m == n):
            group_x, group_y = by_shape[(n, x)], by_shape[(n, y)]
            for a, b in itertools.combinations(group_x, 2) if x == y else itertools.product(group_x, group_y):
                a, b = sorted((a, b), key=lambda e: order[e.entity_id])
                wa, wb = person_words(a), person_words(b)
                if n == 1:
                    joined.append((order[a.entity_id], order[b.entity_id], a.entity_id, b.entity_id, "transliteration"))
                elif all(_first_names_match(p, q) for p, q in zip(wa[:-1], wb[:-1], strict=False)):
                    joined.append((order[a.entity_id], order[b.entity_id], a.entity_id, b.entity_id, "spelling"))
    for *_, a_id, b_id, rule in sorted(joined):
        c.union(a_id, b_id, rule)
    joined = []
    others: dict[tuple[str, str], list[Entity]] = {}
    for e in entities:
        if e.kind != "PERSON" and len(folded := fold(e.name).split()) == 1:
            others.setdefault((e.kind, folded[0]), []).append(e)
    for kind in sorted({k for k, _ in others}):
        for x, y in similar_pairs(name for k, name in others if k == kind):
            group_x, group_y = others[(kind, x)], others[(kind, y)]
            for a, b in itertools.combinations(group_x, 2) if x == y else itertools.product(group_x, group_y):
                a, b = sorted((a, b), key=lambda e: order[e.entity_id])
                if not (a.coded and b.coded and a.country != b.country):
                    joined.append((order[a.entity_id], order[b.entity_id], a.entity_id, b.entity_id, "transliteration"))
    for *_, a_id, b_id, rule in sorted(joined):
        c.union(a_id, b_id, rule)

    # agency: every spelling of a reference agency is that organization.
    agency_of = {e.entity_id: agencies.get(" ".join(e.name.split()).casefold().strip(" .,")) for e in entities}
    by_agency: dict[str, list[str]] = {}
    for eid, name in agency_of.items():
        if name:
            by_agency.setdefault(name, []).append(eid)
    for ids in by_agency.values():
        for eid in ids[1:]:
            c.union(ids[0], eid, "agency")

    # label: a person's name tagged otherwise, smaller than the person.
    full_people = [e for e in people if len(person_words(e)) >= 2]
    people_by_words: dict[tuple[str, ...], list[Entity]] = {}
    full_by_last: dict[str, list[Entity]] = {}
    for p in people:
        people_by_words.setdefault(person_words(p), []).append(p)
    for p in full_people:
        full_by_last.setdefault(person_words(p)[-1], []).append(p)
    for e in entities:
        if e.kind == "PERSON" or e.coded or agency_of[e.entity_id] or e.kind in ("NORP", "EVENT"):
            continue
        words = person_words(e)
        if not words:
            continue
        if len(words) >= 2:
            same = people_by_words.get(words, [])
        else:
            same = people_by_words.get(words) or full_by_last.get(words[0], [])
        roots = {c.find(p.entity_id) for p in same}
        # A full name is that person whatever the tag; one word only when the person is
        # mentioned more (`Ford` the company stays apart from a rarely named Ford).
        if len(roots) == 1 and (len(words) >= 2 or c.mentions[next(iter(roots))] > e.mentions):
            c.union(next(iter(roots)), e.entity_id, "label")

    # short_form: a surname alone (or a name missing its first words: `Tayyip Erdogan`) joins
    # the one fuller name ending with it, or the one the evidence favours.
    like: dict[str, list[str]] = {}  # a last word → the last words of full names it may be
    for x, y in similar_pairs([w[-1] for p in people if (w := person_words(p))]):
        like.setdefault(x, []).append(y)
        if x != y:
            like.setdefault(y, []).append(x)
    for s in sorted(people, key=lambda e: -len(person_words(e))):
        words = person_words(s)
        if not words or c.longest[c.find(s.entity_id)] > len(words):  # its cluster has a fuller name already
            continue
        candidates: dict[str, list[str]] = {}
        for p in (p for last in like.get(words[-1], ()) for p in full_by_last.get(last, ())):
            pw = person_words(p)
            if len(pw) > len(words) and all(similar(x, y) for x, y in zip(pw[-len(words) :], words, strict=False)):
                if c.find(p.entity_id) != c.find(s.entity_id):
                    candidates.setdefault(c.find(p.entity_id), []).append(p.entity_id)
        if not candidates:
            continue
        if len(candidates) == 1:
            chosen = next(iter(candidates))
        else:
            scores = sorted(
                ((sum(evidence.get((s.entity_id, m), 0.0) for m in members), root) for root, members in candidates.items()),
                reverse=True,
            )
            (best, chosen), (second, _) = scores[0], scores[1]
            if best < MIN_EVIDENCE or best < EVIDENCE_MARGIN * second:
                continue
        c.union(chosen, s.entity_id, "short_form")

    return _decisions(c, entities, by_id, agency_of, previous)


def _decisions(
    c: _Clusters,
    entities: list[Entity],
    by_id: Mapping[str, Entity],
    agency_of: Mapping[str, str | None],
    previous: Mapping[str, str],
) -> list[Decision]:
    clusters: dict[str, list[Entity]] = {}
    for e in entities:
        clusters.setdefault(c.find(e.entity_id), []).append(e)
    out = []
    for members in clusters.values():
        ids = {m.entity_id for m in members}
        anchor = max(members, key=lambda m: (len(fold(m.name).split()) if m.kind == "PERSON" else 0, m.mentions, m.entity_id))
        kept = [previous[m.entity_id] for m in members if previous.get(m.entity_id) in ids]
        before = previous.get(anchor.entity_id)
        resolved = (
            before
            if before is not None and before in ids
            else (max(set(kept), key=lambda r: (kept.count(r), r)) if kept else anchor.entity_id)
        )
        labels: dict[str, int] = {}
        for m in members:
            for label, n in m.labels.items():
                labels[label] = labels.get(label, 0) + n
        agency = next((agency_of[m.entity_id] for m in members if agency_of.get(m.entity_id)), None)
        # The majority label; on a tie, the anchor's own.
        own = max(anchor.labels.items(), key=lambda kv: (kv[1], kv[0]))[0] if anchor.labels else anchor.kind
        label = "ORG" if agency else max(labels.items(), key=lambda kv: (kv[1], kv[0] == own, kv[0]))[0] if labels else own
        name = agency or anchor.name
        for m in members:
            rule = "self" if m.entity_id == resolved else c.rule.get(m.entity_id, "self")
            out.append(Decision(m.entity_id, resolved, name, label, rule))
    return sorted(out, key=lambda d: d.entity_id)
