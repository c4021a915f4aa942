"""What ``kringwijs ingest`` prints: the ingest report as Dutch lines (Rich markup).

Kept out of the CLI so the TUI or any other front end can say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

if TYPE_CHECKING:  # the parser imports the help texts; the pipeline (Chroma, models) stays unloaded
    from ingest.pipeline import IngestReport

INGEST_HELP = (
    "Voegt bestanden en mappen toe aan de index of werkt ze bij; alleen nieuwe of gewijzigde bestanden "
    "worden opnieuw verwerkt. Wat de index al bevat blijft staan: de gebundelde kennis en alles wat "
    "eerder met 'kringwijs ingest PAD' is toegevoegd; die bronnen worden bij elke run (ook met --rebuild) "
    "opnieuw nagelopen. Ondersteund: PDF, Word (.docx), Markdown, tekst en HTML."
)
PATHS_HELP = "Bestanden of mappen om toe te voegen of bij te werken (zonder pad: alle bekende bronnen nalopen)"
REBUILD_HELP = "De index volledig opnieuw opbouwen uit dezelfde bronnen"
BUNDLED_HELP = (
    "--no-bundled: alleen uw eigen documenten; de gebundelde kennis (uitvoeringsagenda, MVOI-criteria, "
    "subsidies en regels) gaat uit de index. De index onthoudt die keuze; --bundled zet de gebundelde "
    "kennis er weer in. Standaard zit de gebundelde kennis erin."
)


def report_lines(report: IngestReport) -> tuple[list[str], list[str]]:
    """(lines for stdout, lines for stderr); file names are escaped, never read as markup."""
    out = [f"  [green]toegevoegd[/]  {escape(key)}" for key in report.added]
    out += [f"  [yellow]bijgewerkt[/] {escape(key)}" for key in report.changed]
    out += [f"  [red]verwijderd[/] {escape(key)}" for key in report.removed]
    err = [f"  [bold red]mislukt[/]    {escape(key)}: {escape(why)}" for key, why in report.failed.items()]
    err += [
        f"  [dim]ongewijzigd sinds het eerder mislukte[/] {escape(key)}: {escape(why)}"
        for key, why in report.known_failed.items()
    ]
    err += [f"  [dim]overgeslagen[/] {escape(key)}: {escape(why)}" for key, why in report.skipped.items()]
    if not report.bundled:
        out.append("[dim]Alleen eigen documenten: de gebundelde kennis zit niet in deze index.[/]")
    out.append(escape(report.summary()))
    return out, err
