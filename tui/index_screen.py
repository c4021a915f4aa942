"""The Index screen: what is indexed, with which model and when; re-ingest with a progress bar."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from ingest.sources import RECORDS_KEY
from tui.backend import Backend, BackendError, describe
from tui.dialogs import ConfirmDialog

RECORDS_LABEL = "Kennisrecords (criteria, subsidies e.d.)"


class IngestCancelled(Exception):
    """The app is closing; the ingest stops and the previous index stays in use."""


class BarProgress:
    """``ingest.progress.Progress`` that drives a ProgressBar from the ingest thread.

    Raises :class:`IngestCancelled` from the ingest thread once the worker is cancelled (the
    app quits), so quitting does not wait minutes for the embedding to end; the pipeline then
    aborts its new generation and the old index stays live.
    """

    def __init__(self, app: App, bar: ProgressBar, label: Static, worker: Worker) -> None:
        self.app = app
        self.bar = bar
        self.label = label
        self.worker = worker

    def _call(self, callback: Callable[..., object], *args: object) -> None:
        if self.worker.is_cancelled:
            raise IngestCancelled()
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError as exc:  # the app stopped running
            raise IngestCancelled() from exc

    def start(self, label: str, total: int) -> None:
        self._call(self._start, label, total)

    def _start(self, label: str, total: int) -> None:
        self.label.update(Content(f"{label}…"))
        self.bar.update(total=max(total, 1), progress=0)

    def advance(self, n: int = 1) -> None:
        self._call(self.bar.advance, n)

    def finish(self) -> None:
        self._call(lambda: self.bar.update(progress=self.bar.total or 1))


def _short_names(keys: list[str]) -> dict[str, str]:
    """Source keys relative to their common folder, so they fit the table."""
    names = {k: RECORDS_LABEL for k in keys if k.endswith(f"#{RECORDS_KEY}")}
    files = [k for k in keys if k not in names]
    if len(files) == 1:
        names[files[0]] = os.path.basename(files[0]) or files[0]
    elif files:
        try:
            root = os.path.commonpath(files)
        except ValueError:
            root = ""
        names.update({k: os.path.relpath(k, root) if root else k for k in files})
    return names


def _passages(n: int) -> str:
    return "1 passage" if n == 1 else f"{n} passages"


class IndexPane(Vertical):
    """Index status, sources with their documents and passages, failures, and re-ingest."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "reingest", "Opnieuw indexeren"),
        Binding("ctrl+r", "reload", "Vernieuwen"),
    ]

    def __init__(self, backend: Backend, *, stable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backend = backend
        self.stable = stable  # tests: no times or generation names on screen

    def compose(self) -> ComposeResult:
        yield Static(Content("Stand van de index ophalen…"), id="index-summary")
        yield DataTable(id="index-files", cursor_type="row", zebra_stripes=True)
        yield Static(id="index-failed")
        with Horizontal(id="ingest-row"):
            yield Button("Opnieuw indexeren", id="reingest", variant="primary", compact=True)
            yield ProgressBar(total=100, id="ingest-progress", show_eta=not self.stable)
        yield Static(id="ingest-label")

    def on_mount(self) -> None:
        table = self.query_one("#index-files", DataTable)
        table.add_column("Bron", width=50, key="source")
        table.add_column("Documenten", key="documents")
        table.add_column("Passages", key="chunks")
        if not self.backend.can_reingest:
            self.query_one("#reingest", Button).disabled = True
            self.query_one("#ingest-label", Static).update(Content("Opnieuw indexeren kan alleen op de server zelf."))

    def action_reload(self) -> None:
        """Read the index status again."""
        self.load()

    @work(exclusive=True, thread=True, group="index-status")
    def load(self) -> None:
        """Fetch the status (the first call also loads the model, which takes a few seconds)."""
        try:
            status = self.backend.status()
        except BackendError as exc:
            self.app.call_from_thread(self._summary, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(
                self._summary, f"De stand van de index is niet op te halen ({type(exc).__name__})."
            )
            return
        self.app.call_from_thread(self.show_status, status)

    def _summary(self, text: str) -> None:
        self.query_one("#index-summary", Static).update(Content(text))

    def show_status(self, status: dict[str, Any]) -> None:
        """Fill summary, table and failure list from a status dict."""
        if not status.get("generation") and not status.get("chunks"):
            self._summary("Er is nog geen index. Kies 'Opnieuw indexeren' om de kennis te indexeren.")
        elif status.get("remote"):
            generation = "—" if self.stable else status.get("generation")
            self._summary(
                f"Index op de server: generatie {generation}\n"
                f"Documenten: {status.get('documents')} · passages: {status.get('chunks')}"
            )
        else:
            built = "—" if self.stable else str(status.get("built_at") or "onbekend")[:19].replace("T", " ")
            generation = "—" if self.stable else status.get("generation")
            self._summary(
                f"Laatste ingest: {built} (generatie {generation})\n"
                f"Model: {status.get('model') or 'onbekend'}\n"
                f"Documenten: {status.get('documents')} uit {status.get('files')} bronnen · "
                f"passages: {status.get('chunks')} · zinnen: {status.get('sentences')}"
            )
        per_file: dict[str, dict[str, int]] = status.get("per_file") or {}
        names = _short_names(list(per_file))
        table = self.query_one("#index-files", DataTable)
        table.clear()
        for key in sorted(per_file, key=lambda k: names[k]):
            info = per_file[key]
            table.add_row(Content(names[key]), str(info.get("documents", 0)), str(info.get("chunks", 0)), key=key)
        self._failures(status.get("failed") or {}, "Mislukt bij de laatste ingest")

    def _failures(self, failed: dict[str, str], heading: str) -> None:
        box = self.query_one("#index-failed", Static)
        if not failed:
            box.update("")
            box.remove_class("has-errors")
            return
        names = _short_names(list(failed))
        lines = [f"{heading} ({len(failed)} bestand(en); de rest is wel verwerkt):"]
        lines += [f"• {names[k]}: {why}" for k, why in sorted(failed.items())]
        box.update(Content("\n".join(lines)))
        box.add_class("has-errors")

    # --- re-ingest -----------------------------------------------------------
    @on(Button.Pressed, "#reingest")
    def _pressed(self) -> None:
        self.action_reingest()

    def action_reingest(self) -> None:
        """Ask first: a re-index takes minutes and replaces the live index when it is done."""
        if self.query_one("#reingest", Button).disabled:
            return
        dialog = ConfirmDialog(
            "Opnieuw indexeren?",
            "Alle bronnen worden opnieuw gelezen; dat kan enkele minuten duren. De huidige index blijft "
            "bruikbaar tot de nieuwe klaar is.",
            "Ja, opnieuw indexeren",
        )
        self.app.push_screen(dialog, lambda yes: self._start_reingest() if yes else None)

    def _start_reingest(self) -> None:
        """Start the ingest in a thread; the UI stays usable meanwhile."""
        button = self.query_one("#reingest", Button)
        if button.disabled:
            return
        button.disabled = True
        bar = self.query_one("#ingest-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("running")
        self.query_one("#ingest-label", Static).update(Content("Indexeren gestart…"))
        self.reingest()

    @work(exclusive=True, thread=True, group="ingest")
    def reingest(self) -> None:
        """Run the ingest with a progress bar and report what changed and what failed."""
        bar = self.query_one("#ingest-progress", ProgressBar)
        label = self.query_one("#ingest-label", Static)
        try:
            report = self.backend.reingest(BarProgress(self.app, bar, label, get_current_worker()))
        except IngestCancelled:
            return
        except Exception as exc:
            message = describe(exc) if isinstance(exc, BackendError) else f"Indexeren mislukt. {describe(exc)}"
            self.app.call_from_thread(self._ingest_done, message, {})
            return
        self.app.call_from_thread(self._ingest_done, self._report_text(report), report.failed)
        self.app.call_from_thread(self.load)

    def _report_text(self, report: Any) -> str:
        if not (report.added or report.changed or report.removed):
            text = f"Klaar: niets veranderd, de index is actueel ({_passages(report.chunks)})."
        else:
            text = (
                f"Klaar: {len(report.added)} toegevoegd, {len(report.changed)} bijgewerkt, "
                f"{len(report.removed)} verwijderd; {_passages(report.chunks)}."
            )
        if not self.stable:
            text += f" Duur: {report.seconds:.1f} s."
        if report.skipped:
            text += f" {len(report.skipped)} bestand(en) overgeslagen."
        return text

    def _ingest_done(self, text: str, failed: dict[str, str]) -> None:
        bar = self.query_one("#ingest-progress", ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self.query_one("#ingest-label", Static).update(Content(text))
        self.query_one("#reingest", Button).disabled = False
        if failed:
            self._failures(failed, "Mislukt bij deze ingest")
            self.notify(f"{len(failed)} bestand(en) konden niet worden geïndexeerd.", severity="warning")
        else:
            self.notify("Indexeren klaar.")
