"""`wirehouse dashboard`: Streamlit serving `page.py` over a warehouse, local-only and quiet."""

from __future__ import annotations

import importlib
from pathlib import Path

from flows.settings import WirehouseError, database_path

APP_SCRIPT = Path(__file__).with_name("page.py")
# What the page's first run imports. Streamlit runs the page in this process: importing
# them before it serves spares the first visitor their cost, while only the loading
# skeleton is on screen (bench numbers in the commit that added this).
WARM_IMPORTS = (
    "pandas",
    "pyarrow",
    "duckdb",
    "altair",
    "flows.warehouse.read_only",
    "flows.app.dashboard.queries",
    "flows.app.dashboard.charts",
    "flows.app.dashboard.article_html",
    "flows.app.dashboard.search_results",
)


def streamlit_flags(port: int, host: str, open_browser: bool) -> list[str]:
    """Streamlit's own settings: local-only by default, no telemetry, no file watching."""
    return [
        f"--server.port={port}",
        f"--server.address={host}",
        # headless: no browser, and no first-run e-mail prompt on stdin.
        f"--server.headless={str(not open_browser).lower()}",
        "--server.showEmailPrompt=false",
        # No usage statistics: the machine has no network, and a dashboard must not phone home.
        "--browser.gatherUsageStats=false",
        # The app is installed code, not a script being edited: no reruns on save.
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=viewer",
        "--theme.base=light",
    ]


def serve_dashboard(warehouse: Path, port: int, host: str = "127.0.0.1", open_browser: bool = False) -> None:
    """Serve the dashboard for `warehouse` until interrupted (Ctrl-C)."""
    warehouse = Path(warehouse).expanduser().resolve()
    if not database_path(warehouse).exists():
        raise WirehouseError(f"no warehouse at {database_path(warehouse)}: run `wirehouse run` first")
    for name in WARM_IMPORTS:
        importlib.import_module(name)
    from streamlit.web import cli as streamlit_cli

    args = ["run", str(APP_SCRIPT), *streamlit_flags(port, host, open_browser), "--", "--warehouse", str(warehouse)]
    # Streamlit's own command line, in this process: its flags are its documented interface.
    streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=False)
