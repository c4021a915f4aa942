"""Dutch labels and date formatting shared by the records, the service and the export."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
AMBITION_LABELS = {1: "basis", 2: "significant", 3: "ambitieus"}
CLUSTER_LABELS = {
    "ict": "ICT",
    "facilitair": "Facilitaire zaken",
    "mobiliteit": "Mobiliteit",
    "gww": "Grond-, weg- en waterbouw",
    "gebouwen": "Gebouwen",
    "energie": "Energie",
}
RELIABILITY_LABELS = {"P": "officiële bron", "S": "secundaire bron"}
STATUS_LABELS = {
    "open": "open voor aanvragen",
    "closed": "gesloten voor aanvragen",
    "expired": "vervallen",
    "unknown": "actuele status onbekend",
}
# Order and headings of the MVI-criteriatool's own print.
TYPE_HEADINGS = {
    "geschiktheidseis": "Geschiktheidseisen",
    "selectiecriterium": "Selectiecriteria",
    "minimumeis": "Minimumeisen",
    "gunningscriterium": "Gunningscriteria",
    "contractbepaling": "Contractbepalingen",
}

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def format_date_nl(value: date) -> str:
    """'2025-04-09' -> '9 april 2025'."""
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def format_source_date(value: str) -> str | None:
    """Format 'JJJJ', 'JJJJ-MM' or 'JJJJ-MM-DD' in Dutch; None when the shape is wrong."""
    match = _ISO_PARTIAL.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return format_date_nl(date(int(year), int(month), int(day)))
        if month:
            if not 1 <= int(month) <= 12:
                return None
            return f"{MONTHS_NL[int(month) - 1]} {year}"
    except ValueError:
        return None
    return year


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Efficiëntie' matches 'efficientie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens."""
    return re.findall(r"[a-z0-9]+", fold(text))
