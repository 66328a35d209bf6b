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
  skeleton, near-identical, never two places the gazetteer puts in different countries or
  at different points, never an acronym (`Kharkov` = `Kharkiv`, `Donbass` = `Donbas`;
  `Austria` ≠ `Australia`, `Mali` ≠ `Male`, `Salford` ≠ `Sleaford`, `EADS` ≠ `EDS`;
  `Kyiv` ≠ `Kharkiv` by their skeletons);
- `short_form`: a person known in some articles by surname only joins the one full-named
  person of the archive with that surname; when several share it, the one the evidence
  (co-mentioned entities, same source, nearby dates) clearly favours, else none
  (`Johnson` stays apart from Boris and Lyndon Johnson);
- `descriptor`: names equal once a legal form, a `City`/`County` or a storm's class is left out
  (`Vexel Semiconductor Bhd` = `Vexel Semiconductor`, `Hanbit Motors Co., Ltd.` = `Hanbit
  Motors`, `Davao City` = `Davao`, `Kericho County` = `Kericho`, `Tropical Storm Bising` =
  `Typhoon Bising`); `City` only where the gazetteer makes the two one place (`Manchester
  City` the club ≠ `Manchester`, `Mexico City` ≠ `Mexico`), `County` only after a town the
  gazetteer knows outside the US (`Orange County` ≠ `Orange`);
- `middle_name`: a person's name without a middle name or patronymic (`Charles Mutai`,
  `Faisal Al Qasimi`) joins the one fuller name with the same first and last words
  (`Charles Kiprono Mutai`, `Faisal bin Saeed Al Qasimi`) when the evidence (as for shared
  surnames) favours it: `Jerry Lewis` is not `Jerry Lee Lewis`; `bin`/`ibn`, `al`/`el` are
  one particle;
- `label`: a person's name the model tagged ORG or GPE in a few articles (`Olaf Scholz` ORG,
  `Biden` GPE) is that person, when the person is mentioned more and the name is no place
  the gazetteer knows;
- `org_short_form`: an organization known in some articles by its first words (`Vexel`,
  `Kenya Power`, `Gulf Horizon`) joins the one organization of the archive whose name starts
  with them, when it is not mentioned more than twice as often as that one (`Democratic Party`
  in US news is not a `Democratic Party of Korea` named once) and is not a person's surname;
- `agency`: a wire agency of the reference (`Reuters` as PERSON) is that organization;
- `alias`: the user's `reference/aliases.csv` forces a merge (a row `alias,canonical_name`)
  or forbids one (a row with `never` in its `rule` column); a forbidden pair is never
  joined by any rule.

Each merged entity keeps its id in `entity_id` and points to the cluster's `resolved_id`:
the previous run's resolved id when it is still in the cluster (ids stay stable as the
archive grows), else the id of the cluster's anchor (its most complete, most mentioned name).
The cluster's label is the label most of its mentions carry (an agency is always ORG), its
name the anchor's.

A *block* is the consonant skeleton of the last word of a name's core (`core_name`: the name
without a legal form, `City`/`County` or a storm's class): every rule above joins only
entities of one block, so blocks are decided independently and a new run re-decides only
the blocks its new mentions touch. An organization's short name is decided in the block of
the one organization it may be (flows/warehouse/identity.py moves it there).
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

RULES = (
    "self",
    "alias",
    "diacritics",
    "descriptor",
    "spelling",
    "transliteration",
    "middle_name",
    "org_short_form",
    "agency",
    "label",
    "short_form",
)
# How many times more mentions a short organization name may have than the one it joins.
ORG_SHORT_FORM_RATIO = 2

# Legal forms after a company's name, left out of its core (`Vexel Semiconductor Bhd`,
# `Hanbit Motors Co., Ltd.`, `Acme Holdings Pte Ltd`): lower case, without dots or commas.
_LEGAL_FORM = re.compile(
    r"(?:\s+(?:sdn bhd|bhd|berhad|co ltd|co|ltd|limited|inc|incorporated|corp|plc|llc|gmbh|ag|sa|nv|"
    r"pty ltd|pty|pte ltd|pte|tbk|pjsc|ojsc|jsc|spa|srl|bv|lp|llp))+$"
)
# A place's class word after its name (`Davao City`, `Kericho County`).
_PLACE_CLASS = re.compile(r"^(?P<core>.+?)\s+(?P<cls>city|county)$")
# A storm's class before its name (`Typhoon Bising`, `Tropical Storm Bising`).
_STORM_CLASS = re.compile(
    r"^(?:super typhoon|typhoon|hurricane|cyclone|tropical cyclone|severe tropical storm|tropical storm|"
    r"tropical depression|storm)\s+(?=\S)"
)


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


# A longer name that is something else named after an organization (`Heineken Cup`, `Bafta
# Interactive Awards`, `Army Board`, `Kodak Theatre`), or two names run together (`Clay,
# Flack`, `Celebrex and Bextra`): never what the organization's short name means (BBC corpus).
_NAMED_AFTER = re.compile(
    r",|\s(?:awards?|cup|prize|trophy|open|championships?|festival|committee|board|theatre|theater|stadium|mp)$"
)
# `X and Y` is two names unless it ends as one organization's does (`Kenya Power and Lighting
# Company`, `Food and Drug Administration`).
_AND = re.compile(r"\s(?:and|&)\s")
_ORG_END = re.compile(
    r"\s(?:company|corporation|commission|authority|administration|association|agency|bank|council|group|society|"
    r"institute|foundation|trust|union|party|federation|services|industries|holdings|resorts|partners|sons)$"
)


def may_be_shortened(name: str) -> bool:
    """Whether an organization's short name (its first words) may mean this longer `name`."""
    folded = name.casefold()
    return not _NAMED_AFTER.search(folded) and (not _AND.search(folded) or bool(_ORG_END.search(folded)))


@functools.lru_cache(maxsize=65536)
def core_name(kind: str, name: str) -> str:
    """The folded name without what only describes it: an organization's legal form, a
    place's `City`/`County` (not when the rest is a country or a first-level region the
    gazetteer knows, nor a US county), a storm's class. Two entities of one kind with one
    core are one (the `descriptor` rule)."""
    folded = fold(name)
    if kind == "ORG":
        core = _LEGAL_FORM.sub("", folded)
        return core or folded
    if kind == "EVENT":
        return _STORM_CLASS.sub("", folded) or folded
    if kind == "PLACE" and (m := _PLACE_CLASS.match(folded)):
        from transforms.places import lookup, lookup_folded

        rest = m.group("core")
        place = lookup(re.sub(r"\s+(?:city|county)$", "", name.strip(), flags=re.IGNORECASE)) or lookup_folded(rest)
        if m.group("cls") == "city":
            # only where the gazetteer says the two are one place (`Davao City`, `Ho Chi
            # Minh City`): `Manchester City` and `Birmingham City` are football clubs,
            # `Mexico City` is not Mexico, `Kansas City` not Kansas
            whole = lookup(name) or lookup_folded(folded)
            return rest if place is not None and whole is place else folded
        if place is None or place.kind != "city" or place.country_code == "US":
            return folded  # a US county is not its namesake town (Orange County, Orange)
        return rest
    return folded


def block_key(name: str, reference: Reference | None = None, kind: str | None = None) -> str:
    """The block an entity is decided in: the skeleton of the last word of its name's core
    (`core_name`, when its kind is given; of the canonical name when the user's aliases map
    it to one)."""
    if reference is not None and (alias := reference.aliases.get(alias_key(name))):
        name = alias[0]
    words = (core_name(kind, name) if kind else fold(name)).split()
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
    if similar(a, b):
        return True
    # An opening vowel is where transliterations of a given name differ most (Ukrainian
    # `Oleksandr`, Russian `Aleksandr`; `Ekaterina`/`Yekaterina` aside): the rest must be one
    # spelling, and long enough not to make `Ali` of `Eli`.
    return a[0] in "aeiou" and b[0] in "aeiou" and min(len(a), len(b)) >= 5 and similar(a[1:], b[1:])


def person_words(e: Entity) -> tuple[str, ...]:
    return _name_words(e.name)


# Particles of Arabic and Malay names written two ways (`bin`/`ibn`, `al`/`el`): one word.
_PARTICLE = {"ibn": "bin", "binte": "binti", "bte": "binti", "el": "al"}


@functools.lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[str, ...]:
    words = tuple(fold(w) for w in person_key_tokens(name))
    # a particle only inside a name: `El` alone or last is a name (`Omar El`)
    return tuple(_PARTICLE.get(w, w) if 0 < i < len(words) - 1 else w for i, w in enumerate(words))


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
        self.short_names: set[str] = set()  # organizations joined by their first words: never a cluster's name

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
    `evidence[(short_id, full_id)]` scores how likely a surname-only person (or one without
    a middle name) is that full name, or counts the articles naming both an organization's
    short name and a longer one; `previous` maps entity_id → the resolved id a previous run gave it."""
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

    # descriptor: the same kind and the same core (legal form, City/County, storm class left out).
    by_core: dict[tuple[str, str], list[Entity]] = {}
    for e in entities:
        if e.kind in ("ORG", "PLACE", "EVENT"):
            by_core.setdefault((e.kind, core_name(e.kind, e.name)), []).append(e)
    for same in by_core.values():
        same = [e for e in same if not (e.coded and same[0].coded and e.country != same[0].country)]
        for e in same[1:]:
            c.union(same[0].entity_id, e.entity_id, "descriptor")

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
                if not (a.coded and b.coded and a.country != b.country) and not _told_apart(a, b):
                    joined.append((order[a.entity_id], order[b.entity_id], a.entity_id, b.entity_id, "transliteration"))
    for *_, a_id, b_id, rule in sorted(joined):
        c.union(a_id, b_id, rule)

    # middle_name: a person's name without a middle name or patronymic joins the one fuller
    # name with the same first and last words, its other words in the same order.
    by_ends = people_by_ends(people)
    for e in people:
        words = person_words(e)
        if len(words) < 2:
            continue
        fuller = middle_name_candidates(words, by_ends)
        roots = {c.find(f.entity_id) for f in fuller}
        if len(roots) == 1 and sum(evidence.get((e.entity_id, f.entity_id), 0.0) for f in fuller) >= MIN_EVIDENCE:
            c.union(next(iter(roots)), e.entity_id, "middle_name")

    # org_short_form: an organization's first words (its core's) join the one organization
    # whose name starts with them that an article names beside it (`evidence`), unless
    # mentioned far more or a person's surname.
    orgs = [e for e in entities if e.kind == "ORG"]
    surnames = {person_words(p)[-k:] for p in people for k in (1, 2) if len(person_words(p)) > k}
    starts: dict[tuple[str, ...], list[Entity]] = {}
    for f in orgs:
        words = tuple(core_name("ORG", f.name).split())
        for k in range(1, len(words) if may_be_shortened(f.name) else 0):
            starts.setdefault(words[:k], []).append(f)
    for e in sorted(orgs, key=lambda e: -len(core_name("ORG", e.name))):
        words = tuple(core_name("ORG", e.name).split())
        fulls = starts.get(words, [])
        roots = {c.find(f.entity_id) for f in fulls} - {c.find(e.entity_id)}
        # evidence: the articles that name both (flows/warehouse/identity.py counts them)
        if len(roots) != 1 or words in surnames or not any(evidence.get((e.entity_id, f.entity_id)) for f in fulls):
            continue
        root = next(iter(roots))
        if c.mentions[c.find(e.entity_id)] <= ORG_SHORT_FORM_RATIO * c.mentions[root] and c.union(
            root, e.entity_id, "org_short_form"
        ):
            c.short_names.add(e.entity_id)

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
    # …and a name the model tagged a place in a few articles and an organization in more
    # (`KPLC` GPE), when the gazetteer knows no place of that name; a one-word name tagged a
    # person that is a place the gazetteer knows, mentioned more as that place, and no
    # person's surname in the archive (`Kericho` PERSON).
    by_name: dict[str, list[Entity]] = {}
    for e in entities:
        by_name.setdefault(fold(e.name), []).append(e)
    for same in by_name.values():
        for e in same:
            if e.kind == "PLACE" and not e.coded:
                hosts = [o for o in same if o.kind == "ORG"]
            elif e.kind == "PERSON" and len(person_words(e)) == 1 and not full_by_last.get(person_words(e)[0]):
                hosts = [o for o in same if o.kind == "PLACE" and o.coded]
            else:
                continue
            roots = {c.find(o.entity_id) for o in hosts}
            if len(roots) == 1 and c.mentions[next(iter(roots))] > c.mentions[c.find(e.entity_id)]:
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


def _told_apart(a: Entity, b: Entity) -> bool:
    """Two one-word names of one skeleton that are not one spelling after all: an acronym and
    another name (`EADS`/`EDS`, `CBS`/`Cubs`: letters, not a transliteration), or two places
    the gazetteer knows at different points (`Salford`/`Sleaford`; `Kharkov` is found as
    Kharkiv, `Donbass` and `Donbas` at one point)."""
    if fold(a.name) == fold(b.name):
        return False
    if any(len(n) >= 2 and n.replace(".", "").isupper() for n in (a.name, b.name)):
        return True
    if a.kind == b.kind == "PLACE" and a.coded and b.coded:
        from transforms.places import lookup

        pa, pb = lookup(a.name), lookup(b.name)
        if pa is not None and pb is not None:
            return (pa.country_code, pa.latitude, pa.longitude) != (pb.country_code, pb.latitude, pb.longitude)
    return False


def people_by_ends(people: Iterable[Entity]) -> dict[tuple[str, str], list[Entity]]:
    """People of three or more name words by their first and last words."""
    out: dict[tuple[str, str], list[Entity]] = {}
    for e in people:
        if e.kind == "PERSON" and len(words := person_words(e)) >= 3:
            out.setdefault((words[0], words[-1]), []).append(e)
    return out


def middle_name_candidates(words: tuple[str, ...], by_ends: Mapping[tuple[str, str], list[Entity]]) -> list[Entity]:
    """The fuller names a person's name (`words`) may be without its middle names: the same
    first and last words, its other words in the same order."""
    if len(words) < 2:
        return []
    return [
        f
        for f in by_ends.get((words[0], words[-1]), ())
        if len(person_words(f)) > len(words) and _in_order(words[1:-1], person_words(f)[1:-1])
    ]


def _in_order(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether the words of `part` are in `whole`, in the same order (not side by side)."""
    it = iter(whole)
    return all(w in it for w in part)


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
        named = [m for m in members if m.entity_id not in c.short_names] or members
        anchor = max(named, key=lambda m: (len(fold(m.name).split()) if m.kind == "PERSON" else 0, m.mentions, m.entity_id))
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
