"""The Criteria screen: browse and filter the MVOI criteria, select some and export them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from knowledge.dutch import AMBITION_LABELS, TYPE_HEADINGS
from knowledge.records import CRITERION_TYPES, THEMES
from tui.backend import Backend, Filters, describe
from tui.dialogs import SaveChoice, SaveDialog

_FILTERS = ("product_group", "criterion_type", "ambition", "theme")
_MARK = "✓"
_TYPE_WIDTH = max(len(t) for t in CRITERION_TYPES)
_CELL_PADDING = 2  # DataTable pads every cell with one space on each side
_SCROLLBAR = 2


def column_widths(total: int, cards: list[dict[str, Any]]) -> dict[str, int]:
    """Column widths for a table ``total`` cells wide: the fixed columns fit their content,
    the product group gets up to its longest label, and the title takes what is left."""
    id_width = max([len(str(c["id"])) for c in cards] + [2])
    longest_group = max([len(str(c["product_group_label"])) for c in cards] + [12])
    widths = {"mark": 1, "id": id_width, "type": _TYPE_WIDTH, "ambition": 4}
    free = total - sum(widths.values()) - _CELL_PADDING * (len(widths) + 2) - _SCROLLBAR
    widths["group"] = max(12, min(longest_group, free // 3))
    widths["title"] = max(12, free - widths["group"])
    return widths


class CriteriaTable(DataTable):
    """The criteria table; space toggles the highlighted row into the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_row", "Selecteer")]

    def action_toggle_row(self) -> None:
        """Ask the pane to (de)select the highlighted criterion."""
        if self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            self.post_message(self.Toggle(str(key)))

    class Toggle(Message):
        """A row was (de)selected."""

        def __init__(self, criterion_id: str) -> None:
            super().__init__()
            self.criterion_id = criterion_id


class CriteriaPane(Vertical):
    """Filters, the criteria table, a detail line and the export of the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Exporteer"),
        Binding("ctrl+t", "select_all", "Alles"),
        Binding("ctrl+l", "clear_filters", "Wis filters"),
    ]

    def __init__(self, backend: Backend, export_dir: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backend = backend
        self.export_dir = export_dir
        self.selected: set[str] = set()
        self.cards: dict[str, dict[str, Any]] = {}
        self._widths: dict[str, int] = {}
        self._groups_loaded = False
        self._pending_group: str | None = None

    def compose(self) -> ComposeResult:
        with Grid(id="criteria-filters"):
            yield Select([], prompt="Productgroep", id="product_group", compact=True)
            yield Select(
                [(TYPE_HEADINGS[t], t) for t in CRITERION_TYPES], prompt="Type", id="criterion_type", compact=True
            )
            yield Select(
                [(f"{n} {label}", n) for n, label in AMBITION_LABELS.items()],
                prompt="Ambitieniveau",
                id="ambition",
                compact=True,
            )
            yield Select([(t, t) for t in THEMES], prompt="Thema", id="theme", compact=True)
            yield Input(placeholder="Zoek in de tekst…", id="criteria-text", compact=True)
        yield CriteriaTable(id="criteria-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="criteria-detail")
        yield Static(id="criteria-summary")

    def on_mount(self) -> None:
        self._set_columns(self.size.width or 80)
        self.load_groups()

    def _set_columns(self, total: int) -> bool:
        """(Re)build the columns for a table ``total`` cells wide; False when nothing changed."""
        widths = column_widths(total, list(self.cards.values()))
        if widths == self._widths:
            return False
        self._widths = widths
        table = self.query_one(CriteriaTable)
        table.clear(columns=True)
        for key, label in (
            ("mark", " "),
            ("id", "Id"),
            ("title", "Titel"),
            ("group", "Productgroep"),
            ("type", "Type"),
            ("ambition", "Niv."),
        ):
            table.add_column(label, width=widths[key], key=key)
        return True

    @on(events.Resize)
    def _resized(self, event: events.Resize) -> None:
        """Columns follow the terminal: a wider window shows more of each title."""
        if self._set_columns(event.size.width):
            self._fill()

    # --- loading -------------------------------------------------------------
    @work(thread=True, group="criteria-groups")
    def load_groups(self) -> None:
        """Fill the product group filter, then the table."""
        try:
            groups = self.backend.product_groups()
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", markup=False)
            groups = []
        self.app.call_from_thread(self._set_groups, groups)

    def _set_groups(self, groups: list[tuple[str, str]]) -> None:
        self.query_one("#product_group", Select).set_options([(label, slug) for slug, label in groups])
        self._groups_loaded = True
        if self._pending_group:
            self.show_group(self._pending_group)
        else:
            self.reload()

    def show_group(self, slug: str) -> None:
        """Show one product group's criteria, other filters cleared (the chat's F2 hint)."""
        if not self._groups_loaded:  # the options arrive from a worker; apply once they are in
            self._pending_group = slug
            return
        self._pending_group = None
        for name in _FILTERS[1:]:
            self.query_one(f"#{name}", Select).clear()
        self.query_one("#criteria-text", Input).value = ""
        select = self.query_one("#product_group", Select)
        if any(value == slug for _label, value in select._options):
            select.value = slug
        self.reload()

    def filters(self) -> Filters:
        """The filter values as keyword arguments for ``filter_criteria``."""
        values: Filters = {}
        for name in _FILTERS:
            value = self.query_one(f"#{name}", Select).value
            values[name] = None if value is Select.NULL else value
        values["text"] = self.query_one("#criteria-text", Input).value.strip() or None
        return values

    @on(Select.Changed)
    @on(Input.Changed, "#criteria-text")
    def _filter_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch the criteria for the current filters."""
        self.fetch(self.filters())

    @work(exclusive=True, thread=True, group="criteria")
    def fetch(self, filters: Filters) -> None:
        """Ask the backend (the newest filter wins; earlier requests are dropped)."""
        try:
            cards = self.backend.criteria(filters)
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, cards)

    def _show(self, cards: list[dict[str, Any]]) -> None:
        self.cards = {c["id"]: c for c in cards}
        self._set_columns(self.size.width or 80)  # the id column follows the longest id
        self._fill()
        self._update_summary()
        self._show_detail(cards[0] if cards else None)

    def _fill(self) -> None:
        table = self.query_one(CriteriaTable)
        table.clear()
        for c in self.cards.values():
            table.add_row(
                _MARK if c["id"] in self.selected else "",
                Content(c["id"]),
                Content(c["title"]),  # document text: never parsed as markup
                Content(c["product_group_label"]),
                c["criterion_type"],
                str(c["ambition"]),
                key=c["id"],
            )

    # --- selection -------------------------------------------------------------
    @on(CriteriaTable.Toggle)
    def _toggle(self, event: CriteriaTable.Toggle) -> None:
        self._set_selected([event.criterion_id], event.criterion_id not in self.selected)

    @on(DataTable.RowSelected, "#criteria-table")
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        self._set_selected([key], key not in self.selected)

    def _set_selected(self, ids: list[str], on: bool) -> None:
        table = self.query_one(CriteriaTable)
        for cid in ids:
            (self.selected.add if on else self.selected.discard)(cid)
            if cid in self.cards:
                table.update_cell(cid, "mark", _MARK if on else "")
        self._update_summary()

    def action_select_all(self) -> None:
        """Select every visible criterion, or deselect them when all are selected already."""
        visible = list(self.cards)
        self._set_selected(visible, not all(cid in self.selected for cid in visible))

    def action_clear_filters(self) -> None:
        """Reset every filter."""
        for name in _FILTERS:
            self.query_one(f"#{name}", Select).clear()
        self.query_one("#criteria-text", Input).value = ""
        self.reload()

    @on(DataTable.RowHighlighted, "#criteria-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.cards.get(str(event.row_key.value)))

    def _show_detail(self, card: dict[str, Any] | None) -> None:
        detail = self.query_one("#criteria-detail", Static)
        if card is None:
            detail.update(Content("Geen criteria gevonden met deze filters."))
            return
        head = f"{card['id']} · niveau {card['ambition']} ({card['ambition_label']}) · {'; '.join(card['themes'])}"
        detail.update(Content(f"{head}\n{card['text']}"))

    def _update_summary(self) -> None:
        text = f"{len(self.cards)} criteria getoond · {len(self.selected)} geselecteerd (spatie, Enter of klik)"
        self.query_one("#criteria-summary", Static).update(Content(text))

    # --- export ----------------------------------------------------------------
    def action_export(self) -> None:
        """Ask for a file and a format, then export the selection."""
        if not self.selected:
            self.notify("Selecteer eerst criteria (spatie of klik op een rij).", severity="warning")
            return
        ids = sorted(self.selected)

        def done(choice: SaveChoice | None) -> None:
            if choice is not None:
                self.export(ids, *choice)

        title = f"{len(ids)} criteria exporteren"
        default = self.export_dir / "mvi-criteria-selectie.docx"
        formats = [("docx", "Word (DOCX)"), ("md", "Markdown")]
        self.app.push_screen(SaveDialog(title, default, formats), done)

    @work(thread=True, group="criteria-export")
    def export(self, ids: list[str], path: Path, fmt: str) -> None:
        """Write the export file (python-docx can take a moment)."""
        try:
            written = self.backend.export_criteria(ids, fmt, path)
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", markup=False)
            return
        kind = "Word-bestand" if fmt == "docx" else "Markdown-bestand"
        message = f"{len(ids)} criteria geëxporteerd als {kind}: {written}"
        self.app.call_from_thread(self.notify, message, title="Export klaar", markup=False)
