"""Named points where the crash-safety tests kill a run (tests/flows/test_crash_safety.py).

`WIREHOUSE_CRASH_AT=<point>` makes the process SIGKILL itself the first time it reaches
that point — the same as `kill -9` from outside, but at a chosen moment. Unset (always, in
normal use), a crash point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "part_written",  # a Parquet part written to its temporary name, not yet renamed
    "after_batch",  # a batch's parts are in place, the run is not finished
    "between_snapshot_files",  # an object store's run: previous.json rewritten, current.json not yet
    "between_table_commits",  # snapshot published, the first table's Delta commit made, not the others
    "before_table_versions_commit",  # every table's Delta commit made, the run's table_versions rows not yet
    "after_compaction_commit",  # a run that compacts: a row table's optimize committed, the warehouse not built
    "table_versions_log_moved_aside",  # a run repairing table_versions: its damaged log moved aside, the new not written
    "before_database_swap",  # snapshot published, new database built and tested, not renamed
    "before_garbage_collection",  # everything published, old parts not yet removed
)

# Points only a store with snapshot JSON passes (an object store's): a local store's run
# publishes by its Delta commits alone.
SNAPSHOT_JSON_ONLY = ("between_snapshot_files",)
# Points only a run that compacts passes (more than compaction.MAX_GROUPS part groups).
COMPACTION_ONLY = ("after_compaction_commit",)
# Points only a run that repairs passes (tests/flows/test_self_repair.py).
REPAIR_ONLY = ("table_versions_log_moved_aside",)


def crash_point(name: str) -> None:
    if os.environ.get("WIREHOUSE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
