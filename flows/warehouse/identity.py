"""The archive-level identity step: after the batches, decide over every entity of the
snapshot which per-article entity ids are one real-world entity (transforms.identity), and
write the decisions as the `entity_identity` table that staging and every mart join.

It runs in DuckDB under the build's memory cap, like duplicate linking: the mentions are
aggregated to one row per entity id there, and Python sees one *block* (entities whose
names end in the same consonant skeleton) at a time, streamed in Arrow batches, so the
parent process does not grow with the archive. Evidence for surnames that several people
share (co-mentioned entities, same source, nearby dates) is counted by one DuckDB join over
the mentions of those few entities only.

Incremental: a run with a previous decision re-decides only the blocks its new mentions
touch (the entity ids of this run's batches, and ids gone since), and copies the other
rows as they were, so untouched entities keep their resolved ids. A change in the user's
alias rows re-decides everything.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from flows.warehouse.sql_text import sql_string
from transforms import schemas
from transforms.entities import NAME_LABELS
from transforms.identity import (
    Entity,
    block_key,
    core_name,
    decide_block,
    fold,
    may_be_shortened,
    middle_name_candidates,
    people_by_ends,
    person_words,
    similar,
    similar_pairs,
)
from transforms.reference import Reference

# Score of a (surname, full name) pair: each shared co-mentioned entity, each article of
# the surname's source that also named the full name, each article within NEAR_DAYS of one.
NEAR_DAYS = 7
# The evidence for a pair is counted over at most this many articles of each of its two
# entities (a fixed sample, by hash of the article id): enough to tell Boris from Lyndon
# Johnson, and what keeps the step's memory flat as the archive grows (on the synthetic
# 20k-article archive of bench/identity_cost.py it changes 28 of 13,206 decisions, all
# between people sharing a surname who appear in more than 200 articles).
EVIDENCE_ARTICLES = 200
_CO_SLICES = 8
_FLUSH_ROWS = 20_000


def overrides_hash(reference: Reference) -> str:
    """What the user's merges and never-merges are: a new value re-decides every block."""
    return reference.merges_fingerprint()


def overrides_changed(store, parts: list[str], reference: Reference) -> bool:
    """Whether the identity in `parts` (a snapshot's entity_identity parts in `store`) was
    decided under other alias rows than `reference`'s."""
    wanted = overrides_hash(reference)
    for part in parts:
        used = store.read_table(part, columns=["overrides"])["overrides"]
        if len(used) and pa.compute.any(pa.compute.not_equal(used, wanted)).as_py():
            return True
    return False


def decide_identity(
    con: duckdb.DuckDBPyConnection,
    entities_sql: str,
    articles_sql: str,
    reference: Reference,
    run_id: str,
    previous_sql: str | None = None,
    touched_ids: Iterable[str] | None = None,
) -> pa.RecordBatchReader:
    """The identity rows for the entities of `entities_sql` (SQL yielding the `entities`
    table's columns) with articles from `articles_sql` (article_id, source, published_date).
    `previous_sql` yields the previous run's `entity_identity` rows; with it, only the blocks
    of `touched_ids` (and of ids no longer present) are decided again."""
    labels = ", ".join(sql_string(label) for label in sorted(NAME_LABELS))
    fingerprint = overrides_hash(reference)
    for name in ("wh_block_key", "wh_org_core", "wh_may_be_shortened"):
        try:
            con.remove_function(name)
        except duckdb.InvalidInputException:
            pass  # not registered on this connection yet
    con.create_function(
        "wh_block_key",
        lambda names, kinds: pa.array(
            [block_key(n, reference, k) for n, k in zip(names.to_pylist(), kinds.to_pylist(), strict=True)], pa.string()
        ),
        ["VARCHAR", "VARCHAR"],
        "VARCHAR",
        type="arrow",
    )
    con.create_function(
        "wh_may_be_shortened",
        lambda names: pa.array([may_be_shortened(n) for n in names.to_pylist()], pa.bool_()),
        ["VARCHAR"],
        "BOOLEAN",
        type="arrow",
    )
    con.create_function(
        "wh_org_core",
        lambda names: pa.array([core_name("ORG", n) for n in names.to_pylist()], pa.string()),
        ["VARCHAR"],
        "VARCHAR",
        type="arrow",
    )
    con.execute(
        f"""
        create or replace table id_mentions as
        select entity_id, article_id, label, canonical_name, entity_key, country_code
        from ({entities_sql}) where label in ({labels})
        """
    )
    con.execute(
        """
        create or replace table id_entities as
        with per_label as (
            select entity_id, label, count(*) as n from id_mentions group by all
        ),
        -- The entity's most frequent name and country; a tie goes to the first in byte order
        -- (`mode` picks one by the order rows arrive, which follows the order batches finished
        -- in, so two builds of one input could name an entity `CIA` once and `Cia` the next).
        per_name as (
            select entity_id, canonical_name, count(*) as n from id_mentions group by all
        ),
        per_country as (
            select entity_id, country_code, count(*) as n from id_mentions where country_code is not null group by all
        ),
        per_entity as (
            select entity_id,
                split_part(min(entity_key), ':', 1) as kind,
                count(*) as mentions
            from id_mentions group by entity_id
        ),
        named as (
            select e.*, n.canonical_name as name
            from per_entity as e
            join (
                select entity_id, canonical_name from per_name
                qualify row_number() over (partition by entity_id order by n desc, canonical_name) = 1
            ) as n using (entity_id)
        ),
        located as (
            select named.*, c.country_code as country
            from named
            left join (
                select entity_id, country_code from per_country
                qualify row_number() over (partition by entity_id order by n desc, country_code) = 1
            ) as c using (entity_id)
        )
        select e.*, l.labels, wh_block_key(e.name, e.kind) as block
        from located as e
        join (select entity_id, map(list(label order by label), list(n order by label)) as labels from per_label group by entity_id) as l
            using (entity_id)
        """
    )
    _move_org_short_names(con)
    con.execute("create or replace table id_touched (block varchar)")
    full = previous_sql is None
    if not full:
        con.execute(f"create or replace table id_previous as select * from ({previous_sql})")
        full = bool(
            con.execute("select count(*) = 0 or bool_or(overrides <> ?) from id_previous", [fingerprint]).fetchall()[0][0]
        )
    if full:
        con.execute("insert into id_touched select distinct block from id_entities")
    else:
        touched = pa.table({"entity_id": pa.array(sorted(set(touched_ids or ())), pa.string())})
        con.register("id_touched_ids", touched)
        con.execute(
            """
            insert into id_touched
            select distinct block from id_entities where entity_id in (select entity_id from id_touched_ids)
                or entity_id not in (select entity_id from id_previous)
            union
            select distinct block from id_previous where entity_id not in (select entity_id from id_entities)
            -- an entity whose block changed (an organization's short name that another one
            -- now shares, or an older run's blocks) is decided again, and so is its old block
            union
            select distinct p.block from id_previous as p join id_entities as e using (entity_id) where p.block <> e.block
            union
            select distinct e.block from id_previous as p join id_entities as e using (entity_id) where p.block <> e.block
            """
        )
        con.unregister("id_touched_ids")
    previous = (
        {}
        if full
        else dict(
            con.execute("select entity_id, resolved_id from id_previous where block in (select block from id_touched)").fetchall()
        )
    )

    # Pass 1: the (surname, full name) pairs that need evidence, written to DuckDB a chunk at
    # a time; their evidence is counted there. Pass 2: the decisions, block by block, with
    # each block's evidence streamed beside it (both in block order), so Python never holds
    # the archive's pairs or scores at once.
    _write_pairs(con)
    _evidence(con, articles_sql)
    # the organizations' short names: the articles naming both, beside the people's evidence
    con.execute(
        """
        insert into id_evidence
        select e.block, p.short_id, p.full_id, p.shared from id_org_pairs as p join id_entities as e on e.entity_id = p.short_id
        """
    )
    con.execute(f"create or replace table id_decided as select * from ({_EMPTY}) limit 0")
    rows: dict[str, list] = {name: [] for name in schemas.ENTITY_IDENTITY.names}
    for key, block, evidence in _with_evidence(con, _blocks(con)):
        for d in decide_block(block, evidence, reference, previous):
            for name, value in (
                ("entity_id", d.entity_id),
                ("resolved_id", d.resolved_id),
                ("canonical_name", d.canonical_name),
                ("label", d.label),
                ("rule", d.rule),
                ("block", key),
                ("overrides", fingerprint),
                ("run_id", run_id),
            ):
                rows[name].append(value)
        if len(rows["entity_id"]) >= _FLUSH_ROWS:
            _flush(con, rows)
    _flush(con, rows)
    kept = (
        ""
        if full
        else "union all select * from id_previous where block not in (select block from id_touched) "
        "and entity_id in (select entity_id from id_entities)"
    )
    return con.sql(f"select * from id_decided {kept} order by entity_id").to_arrow_reader(50_000)


_EMPTY = (
    "select ''::varchar as entity_id, ''::varchar as resolved_id, ''::varchar as canonical_name, ''::varchar as label, "
    "''::varchar as rule, ''::varchar as block, ''::varchar as overrides, ''::varchar as run_id"
)


def _move_org_short_names(con: duckdb.DuckDBPyConnection) -> None:
    """An organization named by the first words of others' names (`Vexel` of `Vexel
    Semiconductor`) is decided in their block when they all are in one and an article names
    both (transforms.identity's `org_short_form` rule then joins it to the one it may be, on
    the number of articles naming both, `id_org_pairs`), unless those words end a person's
    name (`Mutai` of `Mutai Holdings`: the label rule's, in the person's block). In the BBC
    corpus, without an article naming both, a company joined the prize, theatre or cup named
    after it (`Kodak Theatre`, `Heineken Cup`) as often as its own longer name."""
    con.execute(
        """
        create or replace temporary table id_org_words as
        select entity_id, block, string_split(wh_org_core(name), ' ') as words, wh_may_be_shortened(name) as longer_ok
        from id_entities where kind = 'ORG'
        """
    )
    con.execute(
        """
        create or replace temporary table id_org_candidates as
        select s.entity_id as short_id, f.entity_id as full_id, f.block
        from id_org_words as s
        join id_org_words as f
            on f.longer_ok and len(f.words) > len(s.words) and f.words[1:len(s.words)] = s.words and f.entity_id <> s.entity_id
        where not exists (
            select 1 from id_entities as p
            where p.kind = 'PERSON' and p.block = s.block
                and (lower(p.name) like ('% ' || array_to_string(s.words, ' ')) or lower(p.name) = array_to_string(s.words, ' '))
        )
        qualify count(distinct f.block) over (partition by s.entity_id) = 1
        """
    )
    con.execute(
        """
        create or replace table id_org_pairs as
        with arts as (
            select distinct entity_id, article_id from id_mentions
            where entity_id in (select short_id from id_org_candidates union select full_id from id_org_candidates)
        )
        select c.short_id, c.full_id, c.block, count(*) as shared
        from id_org_candidates as c
        join arts as a on a.entity_id = c.short_id
        join arts as b on b.entity_id = c.full_id and b.article_id = a.article_id
        group by all
        """
    )
    con.execute(
        """
        update id_entities set block = moved.block
        from (select short_id, any_value(block) as block from id_org_pairs group by short_id) as moved
        where id_entities.entity_id = moved.short_id
        """
    )
    con.execute("drop table id_org_words")
    con.execute("drop table id_org_candidates")


def _write_pairs(con: duckdb.DuckDBPyConnection) -> None:
    """The touched blocks' (surname, full name) pairs that need evidence, as `id_pairs`."""
    con.execute("create or replace table id_pairs (block varchar, short_id varchar, full_id varchar)")
    chunk: dict[str, list] = {"block": [], "short_id": [], "full_id": []}
    for key, block in _blocks(con):
        for short_id, full_id in ambiguous_pairs(block):
            chunk["block"].append(key)
            chunk["short_id"].append(short_id)
            chunk["full_id"].append(full_id)
        if len(chunk["block"]) >= _FLUSH_ROWS:
            _append(con, "id_pairs", chunk)
    _append(con, "id_pairs", chunk)


def _flush(con: duckdb.DuckDBPyConnection, rows: dict[str, list]) -> None:
    if rows["entity_id"]:
        _append(con, "id_decided", rows, schemas.ENTITY_IDENTITY)


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: dict[str, list], schema: pa.Schema | None = None) -> None:
    """Insert the columns of `rows` into `table` and empty them."""
    if not next(iter(rows.values())):
        return
    con.register("id_chunk", pa.table(rows, schema=schema))
    con.execute(f"insert into {table} select * from id_chunk")
    con.unregister("id_chunk")
    for values in rows.values():
        values.clear()


def _blocks(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, list[Entity]]]:
    """The entities of the touched blocks, one block at a time."""
    # A cursor of its own: decisions are written through `con` while this one streams.
    reader = (
        con.cursor()
        .sql(
            """
        select block, entity_id, kind, name, mentions, country,
            map_keys(labels) as label_names, map_values(labels) as label_counts
        from id_entities where block in (select block from id_touched)
        order by block, entity_id
        """
        )
        .to_arrow_reader(20_000)
    )
    rows = (row for batch in reader for row in batch.to_pylist())
    for key, group in itertools.groupby(rows, key=lambda r: r["block"]):
        yield (
            key,
            [
                Entity(
                    r["entity_id"],
                    r["kind"],
                    r["name"],
                    r["mentions"],
                    dict(zip(r["label_names"], r["label_counts"], strict=False)),
                    r["country"],
                )
                for r in group
            ],
        )


def ambiguous_pairs(block: list[Entity]) -> list[tuple[str, str]]:
    """(surname-only person, full-named person) pairs where several full names could be meant,
    and (person, the same with a middle name) pairs: the pairs whose evidence is counted."""
    full: dict[str, list[Entity]] = {}  # the full names by last word
    for e in block:
        if e.kind == "PERSON" and len(words := person_words(e)) >= 2:
            full.setdefault(words[-1], []).append(e)
    surnames = sorted({w[0] for e in block if e.kind == "PERSON" and len(w := person_words(e)) == 1})
    like: dict[str, list[str]] = {}
    for x, y in similar_pairs([*surnames, *full]):
        like.setdefault(x, []).append(y)
        if x != y:
            like.setdefault(y, []).append(x)
    by_ends = people_by_ends(block)
    out = []
    for s in block:
        words = person_words(s) if s.kind == "PERSON" else ()
        if not words:
            continue
        # the fuller names ending with it, as transforms.identity's short_form rule takes
        # them: a surname alone, or with its particle (`Al-Mansouri`), or a name missing its
        # first words
        candidates = [
            p
            for last in sorted(like.get(words[-1], ()))
            for p in full.get(last, ())
            if len(pw := person_words(p)) > len(words)
            and all(similar(x, y) for x, y in zip(pw[-len(words) :], words, strict=False))
        ]
        if len({fold(" ".join(person_words(p))) for p in candidates}) > 1:
            out.extend((s.entity_id, p.entity_id) for p in candidates)
        # a name without its middle name: always on evidence (`Jerry Lewis`, `Jerry Lee Lewis`)
        out.extend((s.entity_id, p.entity_id) for p in middle_name_candidates(words, by_ends))
    return sorted(set(out))


def _evidence(con: duckdb.DuckDBPyConnection, articles_sql: str) -> None:
    """Score each pair of `id_pairs` into `id_evidence` (block, short_id, full_id, score).

    Bounded whatever the archive: each entity of a pair brings at most EVIDENCE_ARTICLES of
    its articles (a fixed sample, by hash), and its co-mentioned entities are listed once per
    entity rather than once per pair. A popular full name paired with many surnames (a Zipf
    head: tens of thousands of articles) joined all of its articles' mentions once for each
    pair, and the build ran out of its memory cap at 200k articles."""
    con.execute(
        f"""
        create or replace temporary table id_involved as
        with ids as (select short_id as entity_id from id_pairs union select full_id from id_pairs),
        arts as (select article_id, source, published_date from ({articles_sql}))
        select m.entity_id, m.article_id, a.source, a.published_date
        from (select distinct entity_id, article_id from id_mentions semi join ids using (entity_id)) as m
        join arts as a using (article_id)
        qualify row_number() over (partition by m.entity_id order by hash(m.article_id), m.article_id) <= {EVIDENCE_ARTICLES}
        """
    )
    # The entities co-mentioned with each involved one, a slice of the involved entities at a
    # time: in one statement the join and its distinct pairs outgrew a 128 MB cap at 200k.
    con.execute("create or replace temporary table id_co (entity_id varchar, other varchar)")
    for part in range(_CO_SLICES):
        con.execute(
            f"""
            insert into id_co
            select distinct i.entity_id, m.entity_id as other
            from (select * from id_involved where hash(entity_id) % {_CO_SLICES} = {part}) as i
            join id_mentions as m using (article_id)
            where m.entity_id <> i.entity_id
            """
        )
    # The scores a slice of the pairs at a time, for the same reason.
    con.execute("create or replace table id_evidence (block varchar, short_id varchar, full_id varchar, score bigint)")
    for part in range(_CO_SLICES):
        con.execute(
            f"""
            insert into id_evidence
            with p_slice as (select * from id_pairs where hash(short_id) % {_CO_SLICES} = {part}),
            shared_co as (
                select p.short_id, p.full_id, count(*) as n
                from p_slice as p
                join id_co as a on a.entity_id = p.short_id
                join id_co as b on b.entity_id = p.full_id and b.other = a.other
                where a.other not in (p.short_id, p.full_id)
                group by all
            ),
            short_arts as (
                select p.short_id, p.full_id, i.article_id, i.source, i.published_date
                from p_slice as p join id_involved as i on i.entity_id = p.short_id
            ),
            -- Semi-joins on each full name's sources and days (within NEAR_DAYS of one of its
            -- articles), never surname articles × full-name articles.
            full_sources as (
                select distinct entity_id, source from id_involved
                where source is not null and entity_id in (select full_id from p_slice)
            ),
            full_days as (
                select distinct entity_id, published_date + k::integer as day
                from id_involved, range(-{NEAR_DAYS}, {NEAR_DAYS} + 1) as r(k)
                where published_date is not null and entity_id in (select full_id from p_slice)
            ),
            shared_source as (
                select s.short_id, s.full_id, count(distinct s.article_id) as n
                from short_arts as s semi join full_sources as f on f.entity_id = s.full_id and f.source = s.source
                group by all
            ),
            near as (
                select s.short_id, s.full_id, count(distinct s.article_id) as n
                from short_arts as s semi join full_days as f on f.entity_id = s.full_id and f.day = s.published_date
                group by all
            )
            select p.block, p.short_id, p.full_id,
                coalesce(c.n, 0) + coalesce(o.n, 0) + coalesce(d.n, 0) as score
            from p_slice as p
            left join shared_co as c using (short_id, full_id)
            left join shared_source as o using (short_id, full_id)
            left join near as d using (short_id, full_id)
        """
        )
    con.execute("drop table id_involved")
    con.execute("drop table id_co")


def _with_evidence(
    con: duckdb.DuckDBPyConnection, blocks: Iterator[tuple[str, list[Entity]]]
) -> Iterator[tuple[str, list[Entity], dict[tuple[str, str], float]]]:
    """Each block with its pairs' scores, read beside the blocks in the same order."""
    reader = (
        con.cursor()
        .sql("select block, short_id, full_id, score from id_evidence where score > 0 order by block, short_id, full_id")
        .to_arrow_reader(20_000)
    )
    scored = itertools.groupby((row for batch in reader for row in batch.to_pylist()), key=lambda r: r["block"])
    pending = next(scored, None)
    for key, block in blocks:
        while pending is not None and pending[0] < key:
            pending = next(scored, None)
        evidence: dict[tuple[str, str], float] = {}
        if pending is not None and pending[0] == key:
            evidence = {(r["short_id"], r["full_id"]): float(r["score"]) for r in pending[1]}
            pending = next(scored, None)
        yield key, block, evidence
