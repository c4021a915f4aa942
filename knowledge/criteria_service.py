"""Filter and present MVI criteria: the 'criteriatool' part of Kringwijs.

The one criteria service behind the CLI, the API and the TUI: filter, select by id, export.

Example::

    records = load_records(settings.knowledge_dir)
    chosen = filter_criteria(records, product_group="ict-hardware", ambition=1)
    cards = group_cards(chosen)
    export_file(select_by_id(records, ["ict-hw-01"]), "docx", Path("eisen.docx"))
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.dutch import AMBITION_LABELS, TYPE_HEADINGS, fold, tokens
from knowledge.models import sort_key
from knowledge.records import CLUSTERS, CRITERION_TYPES, Criterion

# Words a buyer may use for a criterion type, folded.
_TYPE_ALIASES = {
    "eis": "minimumeis",
    "eisen": "minimumeis",
    "minimumeisen": "minimumeis",
    "geschiktheidseisen": "geschiktheidseis",
    "selectiecriteria": "selectiecriterium",
    "gunningscriteria": "gunningscriterium",
    "contractbepalingen": "contractbepaling",
    "contractvoorwaarde": "contractbepaling",
    "contractvoorwaarden": "contractbepaling",
    "bijzondere voorwaarde": "contractbepaling",
    "award criterion": "gunningscriterium",
    "award criteria": "gunningscriterium",
    "requirement": "minimumeis",
    "requirements": "minimumeis",
    "contract clause": "contractbepaling",
    "contract clauses": "contractbepaling",
    "selection criterion": "selectiecriterium",
    "selection criteria": "selectiecriterium",
}

# Patterns on accent-folded, lower-case text -> product group slug. Dutch compounds
# ("bedrijfskleding", "bureaustoel") are why some patterns match inside words.
# Every product group has its words here: a chat question names the thing it buys ("laadpalen",
# "congres"), not the group, and a group without a pattern is only found by retrieval, so the
# criteria cards would not come with the answer. Several groups may match one question.
_GROUP_PATTERNS: list[tuple[str, str]] = [
    ("ict-hardware", r"\blaptops?\b|\bnotebooks?\b|computer|\bpc'?s?\b|\bwerkplekken?\b|telefoon|telefoons"),
    ("ict-hardware", r"\bsmartphones?\b|\bphones?\b|\btablets?\b|beeldscherm|\bmonitors?\b|\bict\b|\bhardware\b"),
    ("mobiele-telefonie", r"\bsmartphones?\b|mobiele telefo|mobiele abonnement|telefoonabonnement|\bmobile phones?\b"),
    ("datacenters", r"datacent|datacentr|data cent|rekencentr|\bservers?\b"),
    ("datacenters", r"\bnetwerk(en|apparatuur)?\b|\bnetworks?\b|telefonie|dataverbinding|connectiviteit"),
    ("cloud-en-datacenterdiensten", r"\bhosting\b|\bcloud|\bsaas\b|co-?location|colocatie"),
    ("audiovisuele-apparatuur", r"\bbeamers?\b|\bprojector(en|s)?\b|audiovisu"),
    ("reproductieapparatuur", r"\bprinters?\b|multifunctional|kopieerapparat|\bprinting equipment\b"),
    ("tonercartridges", r"\btoner|inktcartridge|\bcartridges?\b"),
    ("papier", r"(?<!\bop )\bpapier\b|kopieerpapier|printpapier|kantoorpapier|\bpaper\b"),
    ("drukwerk", r"drukwerk|\bdrukkerij|\bprinting\b|\bprint work\b"),
    ("kantoorartikelen", r"kantoorartikel|schrijfwaren|\bpennen\b|\bstationery\b|office supplies"),
    ("kantoormeubilair", r"stoel|\bbureaus?\b|meubilair|meubel|\bdesks?\b|\bchairs?\b|furniture|kantoorinrichting"),
    ("catering", r"kantine|catering|\beten\b|maaltijd|\blunch|vergaderlunch|\bfood\b|\bcanteen\b|vegetari|vegan"),
    ("catering", r"plantaardig|\bvlees\b|dierlijke? eiwit"),
    ("automaten", r"automaten\b|koffieautoma|koffiemachine|drankautoma|vending|coffee machine"),
    ("schoonmaak", r"schoonma|\bcleaning\b|\bcleaners?\b|reinigingsmiddel"),
    ("bedrijfskleding", r"kleding|uniform|\btextiel\b|\bclothing\b|\bworkwear\b|\bgarments?\b"),
    (
        "reiniging-bedrijfskleding",
        r"wasserij|reiniging van (de )?(bedrijfs|werk)?kleding|kleding (wassen|reinigen)|\blaundry\b",
    ),
    (
        "afvalinzameling-kantoren",
        r"afvalinzameling|bedrijfsafval|afvalcontainer|afval van (ons|het|onze) kantoor|waste collection",
    ),
    (
        "externe-vergaderfaciliteiten",
        r"vergaderlocatie|vergaderzaal|vergaderruimte|\bhotels?\b|overnachting|\bvenues?\b",
    ),
    ("evenementen", r"evenement|congres|festival|\bevents?\b|\bconferen"),
    ("dienstautos", r"auto('?s)?\b|wagenpark|\bcars?\b|\bfleet\b|voertuig|\bvehicles?\b|\bleas(e|en)\b"),
    ("laadinfrastructuur", r"laadpa|laadpunt|laadinfra|laadstation|\bcharg(ing|e points?)\b"),
    ("zware-voertuigen", r"vrachtwagen|vrachtauto|zware voertuig|\btrucks?\b|\blorr(y|ies)\b"),
    (
        "openbaar-busvervoer",
        r"openbaar vervoer per bus|streekvervoer|\bov[- ]?concessie|busconcessie|busvervoer|\bbus(sen)?\b|\bbus services?\b",
    ),
    ("doelgroepenvervoer", r"doelgroepenvervoer|leerlingenvervoer|\bwmo\b|\btaxi|zorgvervoer|\bpassenger transport\b"),
    ("koeriers-en-transportdiensten", r"koerier|transportdienst|\bcouriers?\b"),
    (
        "postdiensten",
        r"\b(de|onze|uitgaande|inkomende) post\b|postbezorg|postdienst|pakketpost|pakketbezorg|\bpostal\b",
    ),
    ("zakelijk-reizen", r"zakelijke? reiz|dienstrei[sz]|zakenrei[sz]|vliegreis|\bvlieg|\btrein|\bbusiness travel\b"),
    ("zakelijk-reizen", r"\bflights?\b|\bflying\b|\btrains?\b|reisbureau|\btravel\b"),
    ("elektriciteit", r"elektriciteit|groene stroom|\bstroom\b|energielevering|\belectricity\b|\bpower supply\b"),
    ("gas-en-warmte", r"\bgas\b|aardgas|groen gas|warmtelevering|\bwarmte\b|\bheat(ing)?\b"),
    (
        "kantoorgebouwen",
        r"kantoorgebouw|kantoorpand|provinciehuis|(nieuwbouw|renovatie|verbouwing) van (ons|het|een|onze) (kantoor|pand)"
        r"|\boffice buildings?\b",
    ),
    (
        "onderhoud-gebouwen",
        r"onderhoud van (het |de |ons |onze )?(gebouw|pand|kantoor)|gebouwonderhoud|koudemiddel|koelinstallat",
    ),
    (
        "wegen-en-civiele-werken",
        r"(aanleg|onderhoud|beheer|reconstructie) van (de |provinciale )*wegen|wegenbouw|\bwegdek|\basfalt|viaduct"
        r"|\bbruggen\b|\bnieuwe brug\b|civiele|\bgww\b|\broads?\b|\bbridges?\b",
    ),
    ("openbare-verlichting", r"openbare verlichting|lantaarnpa|lichtmast|straatverlichting|\bstreet ?light"),
    ("verkeersregelinstallaties", r"verkeerslicht|verkeersregelinstallat|\bi?vri'?s?\b|\btraffic lights?\b"),
    (
        "groenvoorzieningen",
        r"groenvoorziening|groenbeheer|\bmaai(en|beheer|sel|werk\w*)\b|\bberm|plantsoen|beplanting|\bmowing\b|green space",
    ),
    ("gladheidsbestrijding", r"gladheid|\bstrooi|strooizout|pekel|\bgritting\b|de-?icing"),
]


def type_names() -> list[str]:
    """Every spelling of a criterion type that :func:`normalise_type` accepts, sorted."""
    return sorted({*CRITERION_TYPES, *_TYPE_ALIASES})


def criteria_only(records: Iterable[Any]) -> list[Criterion]:
    """Keep the criteria from a mixed list of records."""
    return [r for r in records if isinstance(r, Criterion)]


def normalise_type(value: str) -> str | None:
    """'Eisen', 'gunningscriteria' or 'award criterion' -> the canonical criterion type."""
    folded = " ".join(tokens(value))
    if folded in CRITERION_TYPES:
        return folded
    return _TYPE_ALIASES.get(folded)


def filter_criteria(
    records: Iterable[Any],
    product_group: str | None = None,
    criterion_type: str | None = None,
    ambition: int | None = None,
    theme: str | None = None,
    text: str | None = None,
) -> list[Criterion]:
    """Criteria matching every given filter; free text matches word starts, ignoring case and accents."""
    result = criteria_only(records)
    if product_group:
        wanted = fold(product_group)
        result = [c for c in result if wanted in {c.product_group, fold(c.product_group_label), c.cluster}]
    if criterion_type:
        canonical = normalise_type(criterion_type)
        result = [c for c in result if c.criterion_type == canonical]
    if ambition is not None:
        result = [c for c in result if c.ambition == int(ambition)]
    if theme:
        wanted = fold(theme).strip()
        result = [c for c in result if any(wanted in fold(t) for t in c.themes)]
    if text:
        query = tokens(text)
        result = [c for c in result if _matches(query, _haystack(c))]
    return result


def _haystack(criterion: Criterion) -> list[str]:
    return tokens(
        " ".join([criterion.title, criterion.text, criterion.verification, criterion.product_group_label, criterion.id])
    )


def _matches(query: list[str], hay: list[str]) -> bool:
    # Prefix match so 'verpakking' finds 'verpakkingen'; every query word must occur.
    return all(any(word.startswith(q) for word in hay) for q in query)


def product_groups(records: Iterable[Any]) -> list[tuple[str, str, int]]:
    """(slug, label, number of criteria) per product group, ordered by cluster and label."""
    counts: dict[str, list[Any]] = {}
    for c in criteria_only(records):
        entry = counts.setdefault(c.product_group, [c.product_group_label, 0, c.cluster])
        entry[1] += 1
    ordered = sorted(counts.items(), key=lambda kv: (CLUSTERS.index(kv[1][2]), fold(kv[1][0])))
    return [(slug, label, count) for slug, (label, count, _cluster) in ordered]


def match_product_groups(question: str) -> list[str]:
    """Product group slugs a chat question is about, in order of first mention."""
    folded = fold(question)
    hits: list[tuple[int, str]] = []
    for slug, pattern in _GROUP_PATTERNS:
        match = re.search(pattern, folded)
        if match:
            hits.append((match.start(), slug))
    seen: list[str] = []
    for _pos, slug in sorted(hits):
        if slug not in seen:
            seen.append(slug)
    return seen


def criterion_card(criterion: Criterion) -> dict[str, Any]:
    """One criterion as a JSON-ready card."""
    source = criterion.primary_source()
    return {
        "id": criterion.id,
        "title": criterion.title,
        "text": criterion.text,
        "verification": criterion.verification,
        "criterion_type": criterion.criterion_type,
        "ambition": criterion.ambition,
        "ambition_label": AMBITION_LABELS[criterion.ambition],
        "themes": list(criterion.themes),
        "product_group": criterion.product_group,
        "product_group_label": criterion.product_group_label,
        "source_title": source.title,
        "source_url": source.url,
        "reliability": criterion.reliability(),
        "checked": criterion.checked.isoformat(),
    }


def group_cards(criteria: Iterable[Criterion]) -> list[dict[str, Any]]:
    """Cards grouped by criterion type (tool order) and then ambition level.

    Returns one dict per non-empty (type, ambition) group:
    ``{"criterion_type", "type_label", "ambition", "ambition_label", "cards": [card, ...]}``.
    """
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in sorted(criteria, key=sort_key):
        groups.setdefault((c.criterion_type, c.ambition), []).append(criterion_card(c))
    return [
        {
            "criterion_type": ctype,
            "type_label": TYPE_HEADINGS[ctype],
            "ambition": ambition,
            "ambition_label": AMBITION_LABELS[ambition],
            "cards": cards,
        }
        for (ctype, ambition), cards in groups.items()
    ]


# --- selection by id and export ----------------------------------------------------------------
EXPORT_FORMATS = ("docx", "md")


class UnknownCriteria(ValueError):
    """Some requested ids name no criterion (``ids`` lists them, in request order)."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(f"Deze criteria bestaan niet: {', '.join(i[:40] for i in ids[:5])}.")


def select_by_id(records: Iterable[Any], ids: Iterable[str]) -> list[Criterion]:
    """The criteria with these ids, in the order asked (duplicates once); raises :class:`UnknownCriteria`."""
    by_id = {c.id: c for c in criteria_only(records)}
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise UnknownCriteria(unknown)
    return [by_id[i] for i in wanted]


def export_file(criteria: Iterable[Criterion], fmt: str, path: Path, title: str | None = None) -> Path:
    """Write the criteria as ``docx`` (Word) or ``md`` (Markdown) to ``path``; returns the path."""
    from knowledge.export import DEFAULT_TITLE, export_docx, export_markdown

    path = Path(path).expanduser()
    if fmt == "docx":
        return export_docx(criteria, path, title=title or DEFAULT_TITLE)
    if fmt != "md":
        raise ValueError(f"onbekend exportformaat {fmt!r}; kies uit {', '.join(EXPORT_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(export_markdown(criteria, title=title or DEFAULT_TITLE), encoding="utf-8")
    return path


def export_bytes(criteria: Iterable[Criterion], fmt: str, title: str | None = None) -> bytes:
    """The export as bytes (for a download)."""
    with tempfile.TemporaryDirectory(prefix="kringwijs-export-") as tmp:
        return export_file(criteria, fmt, Path(tmp) / f"mvi-criteria.{fmt}", title).read_bytes()
