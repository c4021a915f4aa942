"""Terminal output for the CLI: rich progress bars and Dutch, stack-trace-free messages."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class RichProgress:
    """Implements ``ingest.progress.Progress`` with a rich bar (hidden when not a terminal)."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("resterend"),
            TimeRemainingColumn(),
            console=err_console,
            transient=False,
            disable=not sys.stderr.isatty(),
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def fail(message: str, code: int = 2) -> int:
    err_console.print(f"[bold red]Fout:[/] {message}")
    return code
