"""The Kennislacunes screen: refused or thumbs-down questions, grouped, counted and handled."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from assistant.question_log import Gap
from tui.backend import Backend, describe

INTRO = "Vragen die Kringwijs weigerde of die een duim omlaag kregen, gegroepeerd op gelijkenis."


def _why(gap: Gap) -> str:
    parts = []
    if gap.refused:
        parts.append(f"{gap.refused}× geweigerd")
    if gap.thumbs_down:
        parts.append(f"{gap.thumbs_down}× duim omlaag")
    return ", ".join(parts)


class GapsPane(Vertical):
    """Table of knowledge gaps with the examples of the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "mark_handled", "Afgehandeld"),
        Binding("ctrl+r", "reload", "Vernieuwen"),
    ]

    def __init__(self, backend: Backend, *, show_dates: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backend = backend
        self.show_dates = show_dates
        self.gaps: dict[str, Gap] = {}

    def compose(self) -> ComposeResult:
        yield Static(Content(INTRO), id="gaps-intro")
        yield DataTable(id="gaps-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="gaps-detail")

    def on_mount(self) -> None:
        table = self.query_one("#gaps-table", DataTable)
        table.add_column("Aantal", width=6, key="count")
        table.add_column("Vraag", width=38, key="question")
        table.add_column("Waarom", width=14, key="why")
        table.add_column("Status", width=11, key="status")

    def action_reload(self) -> None:
        """Read the question log again."""
        self.load()

    @work(exclusive=True, thread=True, group="gaps")
    def load(self) -> None:
        """Fetch the gaps from the question log."""
        try:
            gaps = self.backend.gaps()
        except Exception as exc:
            self.app.call_from_thread(self._show_message, describe(exc))
            return
        self.app.call_from_thread(self._show, gaps)

    def _show_message(self, message: str) -> None:
        self.query_one("#gaps-table", DataTable).clear()
        self.query_one("#gaps-detail", Static).update(Content(message))

    def _show(self, gaps: list[Gap]) -> None:
        table = self.query_one("#gaps-table", DataTable)
        keep = table.cursor_row
        table.clear()
        self.gaps = {g.group_id: g for g in gaps}
        for gap in gaps:
            status = "afgehandeld" if gap.handled else "open"
            # Content, not str: DataTable parses a str as markup, and these are users' own words.
            table.add_row(str(gap.count), Content(gap.question), _why(gap), status, key=gap.group_id)
        if not gaps:
            self._show_message("Nog geen kennislacunes: alle vragen kregen een antwoord zonder duim omlaag.")
            return
        table.move_cursor(row=min(keep, len(gaps) - 1))
        self._detail(gaps[table.cursor_row])

    @on(DataTable.RowHighlighted, "#gaps-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        gap = self.gaps.get(str(event.row_key.value))
        if gap is not None:
            self._detail(gap)

    def _detail(self, gap: Gap) -> None:
        lines = ["Voorbeelden: " + " | ".join(gap.examples)]
        if gap.comments:
            lines.append("Opmerkingen: " + " | ".join(gap.comments))
        if self.show_dates and gap.last_seen is not None:
            lines.append(f"Laatst gesteld: {gap.last_seen.astimezone():%d-%m-%Y %H:%M}")
        self.query_one("#gaps-detail", Static).update(Content("\n".join(lines)))

    def action_mark_handled(self) -> None:
        """Mark the highlighted gap as handled (it returns when the question is asked again)."""
        table = self.query_one("#gaps-table", DataTable)
        if not self.gaps or table.row_count == 0:
            self.notify("Er is geen kennislacune geselecteerd.", severity="warning")
            return
        group_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self.mark(group_id)

    @work(thread=True, group="gaps-mark")
    def mark(self, group_id: str) -> None:
        """Store the mark and reload the table."""
        try:
            self.backend.mark_handled(group_id)
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", markup=False)
            return
        question = self.gaps[group_id].question if group_id in self.gaps else ""
        self.app.call_from_thread(self.notify, f"Gemarkeerd als afgehandeld: {question}", markup=False)
        self.app.call_from_thread(self.load)
