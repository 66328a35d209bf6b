"""bench/_common.py reads `wirehouse run`'s summary as the CLI prints it: the flow's own
time, not the whole command's (bench/cold_run.py's "flow alone" ratio rests on it)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from _common import parse_wirehouse_output  # noqa: E402

from flows.app.cli import _summary_text  # noqa: E402
from flows.pipeline.summary import RunSummary  # noqa: E402


def _summary(up_to_date: bool = False) -> RunSummary:
    return RunSummary(
        run_id="20261202T060452Z-0f38d9",
        input_dir="/in",
        warehouse_dir="/wh",
        database="/wh/news.duckdb",
        files_seen=2226,
        articles=2226,
        sentences=41620,
        entities=59562,
        rejects=3,
        files_new=2226,
        reject_reasons={"empty": 3},
        duration_s=46.3,
        up_to_date=up_to_date,
    )


def test_the_flow_time_is_the_flows_not_the_commands():
    printed = _summary_text(_summary(), wall_s=53.9)
    parsed = parse_wirehouse_output(printed, "")
    assert {k: parsed[k] for k in ("files_seen", "articles", "sentences", "entities", "rejects", "flow_time_s")} == {
        "files_seen": 2226,
        "articles": 2226,
        "sentences": 41620,
        "entities": 59562,
        "rejects": 3,
        "flow_time_s": 46.3,
    }
    assert parse_wirehouse_output(_summary_text(_summary(up_to_date=True), wall_s=1.4), "")["flow_time_s"] == 46.3
    # The older summary had one figure, the flow's.
    assert parse_wirehouse_output("  time         12.5s\n", "")["flow_time_s"] == 12.5
