"""The stored-spans lookup (flows/pipeline/ner_cache.py) on its own, over a real Parquet store:
parts written by this run's batches (found by their names) and those the last published run
names (through `table_versions`)."""

from __future__ import annotations

import pyarrow as pa

from flows.pipeline import ner_cache
from flows.pipeline.ner_cache import StoredSpans
from flows.store import delta_log
from flows.store.storage import ParquetStore
from transforms import schemas

H1 = "a" * 16 + "1" * 48
H2 = "b" * 16 + "2" * 48
H1_TWIN = "a" * 16 + "3" * 48  # the same first 64 bits as H1, another paragraph
H3 = "c" * 64
RUN = ["part-r1-00000", "part-r1-00001"]  # this run's batches


def _write(store, group, rows):
    table = pa.table(
        {
            "article_id": [r[0] for r in rows],
            "unit_sha256": [r[1] for r in rows],
            "ner_key": [r[2] for r in rows],
            "spans": [[{"char_start": s, "char_end": e, "label": label} for s, e, label in r[3]] for r in rows],
        },
        schema=schemas.NER_UNITS,
    )
    return store.write("ner_units", table, group)


def test_lookup_finds_new_parts_forgets_gone_ones_and_compares_the_full_hash(tmp_path):
    store = ParquetStore(str(tmp_path / "parquet"))
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=RUN)
    assert stored("k1", [H1, H2]) == {}  # no table yet
    first = _write(
        store, "part-r1-00000", [("art1", H1, "k1", [(0, 5, "GPE"), (9, 14, "PERSON")]), ("art2", H2, "k2", [(1, 2, "ORG")])]
    )
    assert stored("k1", [H1, H2, H1_TWIN]) == {H1: ([(0, 5, "GPE"), (9, 14, "PERSON")], "art1")}
    assert stored("k2", [H1, H2]) == {H2: ([(1, 2, "ORG")], "art2")}
    # A part written after the first lookup (another batch of the run) is found. Of the
    # parts holding a body's hash prefix, one is read: a body stored twice is read once, and
    # a body whose first 64 bits equal another's (odds 2^-64) may miss a reuse, but never
    # gets the other's spans: the full hash decides.
    _write(
        store,
        "part-r1-00001",
        [("art0", H1, "k1", [(0, 5, "GPE"), (9, 14, "PERSON")]), ("art3", H1_TWIN, "k1", [(3, 4, "NORP")])],
    )
    assert stored("k1", [H1, H1_TWIN]) == {H1: ([(0, 5, "GPE"), (9, 14, "PERSON")], "art1")}
    # A garbage-collected part is forgotten, not an error.
    store.remove(first)
    assert stored("k2", [H2]) == {}
    assert stored("k1", [H1, H1_TWIN]) == {H1: ([(0, 5, "GPE"), (9, 14, "PERSON")], "art0"), H1_TWIN: ([(3, 4, "NORP")], "art3")}
    assert warnings == []


def test_a_bad_part_is_reported_once_and_the_others_still_serve(tmp_path):
    store = ParquetStore(str(tmp_path / "parquet"))
    _write(store, "part-r1-00000", [("art1", H1, "k1", [(0, 5, "GPE")])])
    (tmp_path / "parquet" / "ner_units" / "part-r1-00001.parquet").write_bytes(b"PAR1 truncated")
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=RUN)
    assert stored("k1", [H1]) == {H1: ([(0, 5, "GPE")], "art1")}
    assert stored("k1", [H1]) == {H1: ([(0, 5, "GPE")], "art1")}
    assert len(warnings) == 1 and "part-r1-00001.parquet could not be read" in warnings[0]


def test_a_failing_lookup_is_reported_and_answers_nothing(tmp_path):
    store = ParquetStore(str(tmp_path / "parquet"))
    part = _write(store, "part-r1-00000", [("art1", H1, "k1", [(0, 5, "GPE")])])
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=RUN)
    assert stored("k1", [H2]) == {}  # indexed, no hit
    # The indexed part is replaced by a broken file under the same name before a hit.
    store.local_path(part).write_bytes(b"broken")
    assert stored("k1", [H1]) == {}
    assert len(warnings) == 1 and warnings[0].startswith("stored NER spans could not be read, the model runs on every paragraph")


def test_parts_read_again_after_a_passing_error(tmp_path):
    store = ParquetStore(str(tmp_path / "parquet"))
    part = _write(store, "part-r1-00000", [("art1", H1, "k1", [(0, 5, "GPE")])])
    good = store.local_path(part).read_bytes()
    store.local_path(part).write_bytes(b"half uploaded")
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=RUN)
    assert stored("k1", [H1]) == {}
    store.local_path(part).write_bytes(good)  # readable again
    assert stored("k1", [H1]) == {H1: ([(0, 5, "GPE")], "art1")}
    assert len(warnings) == 1


def test_memory_store_and_month_partitions(tmp_path):
    # A non-local store (read through the registered fsspec file system) whose parts were
    # compacted into month=YYYY-MM folders.
    store = ParquetStore(f"memory://ner-cache-{tmp_path.name}")
    table = pa.table(
        {
            "article_id": ["art1"],
            "unit_sha256": [H1],
            "ner_key": ["k1"],
            "spans": [[{"char_start": 0, "char_end": 5, "label": "GPE"}]],
        },
        schema=schemas.NER_UNITS,
    )
    store.write("ner_units", table, "part-r1-c000", partition="month=2022-02")
    assert store.table_files("ner_units") == ["ner_units/month=2022-02/part-r1-c000.parquet"]
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=RUN)
    assert stored("k1", [H1, H2]) == {H1: ([(0, 5, "GPE")], "art1")}
    assert (stored.found, warnings) == (1, [])


def test_a_delta_store_is_read_through_its_published_run_not_its_folder(tmp_path):
    """The files the last `table_versions` run names, this run's batches' parts by name, the
    batch's own: never a file of the folder no published run names (a killed run's orphan,
    or one replaced and awaiting vacuum)."""
    store = ParquetStore(str(tmp_path / "parquet"))
    published = _write(store, "part-r0-00000", [("art1", H1, "k1", [(0, 5, "GPE")])])
    delta_log.commit_run(store, "r0", {"ner_units": [published]}, {})
    orphan = _write(store, "part-killed-00000", [("art9", H2, "k1", [(1, 2, "ORG")])])
    assert sorted(store.table_files("ner_units")) == [orphan, published]
    warnings = []
    stored = StoredSpans(store, warnings.append, run_groups=["part-r1-00000", "part-r1-00001"])
    assert stored("k1", [H1, H2, H3]) == {H1: ([(0, 5, "GPE")], "art1")}
    assert ner_cache.stored_files(store) == [published]
    # Another batch of this run finishes: found by its name; the orphan still is not.
    _write(store, "part-r1-00001", [("art3", H3, "k1", [(3, 4, "NORP")])])
    assert stored("k1", [H2, H3]) == {H3: ([(3, 4, "NORP")], "art3")}
    # The batch's own parts (a big file's earlier slices).
    own = _write(store, "part-r1-00002", [("art4", H2, "k1", [(6, 7, "LOC")])])
    mine = StoredSpans(store, warnings.append, own=lambda: [own])
    assert mine("k1", [H2]) == {H2: ([(6, 7, "LOC")], "art4")}
    # The next published run names other files: the first one's file is no longer read.
    delta_log.commit_run(store, "r1", {"ner_units": ["ner_units/part-r1-00001.parquet"]}, {})
    assert ner_cache.stored_files(store) == ["ner_units/part-r1-00001.parquet"]
    assert StoredSpans(store, warnings.append)("k1", [H1, H3]) == {H3: ([(3, 4, "NORP")], "art3")}
    assert warnings == []
