"""Staleness warnings for knowledge records: facts that were true when checked may no longer be.

A warning does not make a record invalid (it still loads and is answered from); ``kringwijs
knowledge check`` prints it, and ``--strict`` turns it into a failure so CI can insist on fresh
records. Two kinds:

- a record whose ``checked`` date is more than :data:`STALE_AFTER_DAYS` days old;
- a subsidy that still says ``open`` although its closing date (``open_until``) has passed, or
  whose ``open`` status was last confirmed (``status_date``) more than a year ago.
"""

from __future__ import annotations

from datetime import date

from knowledge.dutch import format_date_nl
from knowledge.models import BaseRecord, Subsidy

STALE_AFTER_DAYS = 365


def record_warnings(record: BaseRecord, today: date | None = None) -> list[str]:
    """Dutch warning messages for one record (empty when it is fresh)."""
    today = today or date.today()
    messages: list[str] = []
    if (today - record.checked).days > STALE_AFTER_DAYS:
        messages.append(
            f"gecontroleerd op {format_date_nl(record.checked)}, meer dan 12 maanden geleden; "
            "controleer het record opnieuw bij de bron en zet 'checked' op de datum van die controle"
        )
    if isinstance(record, Subsidy) and record.status == "open":
        if record.open_until is not None and record.open_until < today:
            messages.append(
                f"status 'open', maar de sluitingsdatum {format_date_nl(record.open_until)} is verstreken; "
                "pas de status aan naar wat de bron nu zegt"
            )
        elif record.status_date is not None and (today - record.status_date).days > STALE_AFTER_DAYS:
            messages.append(
                f"status 'open' is sinds {format_date_nl(record.status_date)} niet opnieuw bevestigd "
                "(meer dan 12 maanden); controleer of de regeling nog open is"
            )
    return messages
