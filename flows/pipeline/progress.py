"""Progress of a run's batches, shown by the CLI as a bar on a terminal.

The flow reports; whoever called it decides how to show it. Prefect parameters must be
serializable, so the display is registered here rather than passed to the flow.
"""

from __future__ import annotations

from typing import Protocol


class Display(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, done: int) -> None: ...
    def finish(self) -> None: ...


_display: Display | None = None


def register(display: Display | None) -> None:
    global _display
    _display = display


def start(total: int) -> None:
    if _display:
        _display.start(total)


def advance(done: int) -> None:
    if _display:
        _display.advance(done)


def finish() -> None:
    if _display:
        _display.finish()


class RichBar:
    """A rich progress bar on stderr: files processed, rate, time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            # It moves once a batch (seconds apart): redrawn once a second rather than rich's
            # 10 times, it costs the parent 0.3% of a core instead of 1.4% (bench/RESULTS.md).
            refresh_per_second=1,
        )
        self._task = None

    def start(self, total: int) -> None:
        if total:
            self._progress.start()
            self._task = self._progress.add_task("files", total=total)

    def advance(self, done: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=done)

    def finish(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None
