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
from transforms.identity import Entity, block_key, decide_block, fold, person_words, similar
from transforms.reference import Reference

# Score of a (surname, full name) pair: each shared co-mentioned entity, each article of
# the surname's source that also named the full name, each article within NEAR_DAYS of one.
NEAR_DAYS = 7
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
    try:
        con.remove_function("wh_block_key")
    except duckdb.InvalidInputException:
        pass  # not registered on this connection yet
    con.create_function(
        "wh_block_key",
        lambda names: pa.array([block_key(n, reference) for n in names.to_pylist()], pa.string()),
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
        select e.*, l.labels, wh_block_key(e.name) as block
        from located as e
        join (select entity_id, map(list(label order by label), list(n order by label)) as labels from per_label group by entity_id) as l
            using (entity_id)
        """
    )
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

    # Pass 1: the (surname, full name) pairs that need evidence; pass 2: the decisions.
    pairs = [p for _, block in _blocks(con) for p in ambiguous_pairs(block)]
    evidence = _evidence(con, articles_sql, pairs) if pairs else {}
    con.execute(f"create or replace table id_decided as select * from ({_EMPTY}) limit 0")
    rows: dict[str, list] = {name: [] for name in schemas.ENTITY_IDENTITY.names}
    for key, block in _blocks(con):
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


def _flush(con: duckdb.DuckDBPyConnection, rows: dict[str, list]) -> None:
    if not rows["entity_id"]:
        return
    chunk = pa.table(rows, schema=schemas.ENTITY_IDENTITY)
    con.register("id_chunk", chunk)
    con.execute("insert into id_decided select * from id_chunk")
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
    """(surname-only person, full-named person) pairs where several full names could be meant."""
    full = [e for e in block if e.kind == "PERSON" and len(person_words(e)) >= 2]
    out = []
    for s in block:
        words = person_words(s) if s.kind == "PERSON" else ()
        if len(words) != 1:
            continue
        candidates = [p for p in full if similar(person_words(p)[-1], words[0])]
        if len({fold(" ".join(person_words(p))) for p in candidates}) > 1:
            out.extend((s.entity_id, p.entity_id) for p in candidates)
    return out


def _evidence(con: duckdb.DuckDBPyConnection, articles_sql: str, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
    con.register("id_pairs_arrow", pa.table({"short_id": [p[0] for p in pairs], "full_id": [p[1] for p in pairs]}))
    con.execute("create or replace table id_pairs as select * from id_pairs_arrow")
    con.unregister("id_pairs_arrow")
    found = con.execute(
        f"""
        with arts as (select article_id, source, published_date from ({articles_sql})),
        involved as (
            select distinct m.entity_id, m.article_id, a.source, a.published_date
            from id_mentions as m join arts as a using (article_id)
            where m.entity_id in (select short_id from id_pairs union select full_id from id_pairs)
        ),
        side as (
            select p.short_id, p.full_id, 's' as side, i.article_id, i.source, i.published_date
            from id_pairs as p join involved as i on i.entity_id = p.short_id
            union all
            select p.short_id, p.full_id, 'f', i.article_id, i.source, i.published_date
            from id_pairs as p join involved as i on i.entity_id = p.full_id
        ),
        co as (
            select s.short_id, s.full_id, s.side, m.entity_id
            from side as s join id_mentions as m using (article_id)
            where m.entity_id not in (s.short_id, s.full_id)
            group by all
        ),
        shared_co as (
            select a.short_id, a.full_id, count(*) as n
            from co as a join co as b using (short_id, full_id, entity_id)
            where a.side = 's' and b.side = 'f' group by all
        ),
        -- A semi-join each, never surname articles × full-name articles (a popular name
        -- is in tens of thousands): the full name's sources, and the days within
        -- NEAR_DAYS of one of its articles.
        full_sources as (
            select distinct short_id, full_id, source from side where side = 'f' and source is not null
        ),
        shared_source as (
            select s.short_id, s.full_id, count(distinct s.article_id) as n
            from side as s semi join full_sources as f using (short_id, full_id, source)
            where s.side = 's' group by all
        ),
        full_days as (
            select distinct f.short_id, f.full_id, f.published_date + k::integer as day
            from (select distinct short_id, full_id, published_date from side
                  where side = 'f' and published_date is not null) as f,
                range(-{NEAR_DAYS}, {NEAR_DAYS} + 1) as r(k)
        ),
        near as (
            select s.short_id, s.full_id, count(distinct s.article_id) as n
            from side as s semi join full_days as f
                on s.short_id = f.short_id and s.full_id = f.full_id and s.published_date = f.day
            where s.side = 's' group by all
        )
        select p.short_id, p.full_id,
            coalesce(c.n, 0) + coalesce(o.n, 0) + coalesce(d.n, 0) as score
        from id_pairs as p
        left join shared_co as c using (short_id, full_id)
        left join shared_source as o using (short_id, full_id)
        left join near as d using (short_id, full_id)
        """
    ).fetchall()
    con.execute("drop table id_pairs")
    return {(s, f): float(score) for s, f, score in found}
