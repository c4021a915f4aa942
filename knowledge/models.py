"""Pydantic models of the knowledge records: criteria, guidance, subsidies and regulations.

Every record names its sources and the date it was checked. Import them from
:mod:`knowledge.records`, which also holds the loading entry points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.dutch import (
    AMBITION_LABELS,
    CLUSTER_LABELS,
    RELIABILITY_LABELS,
    STATUS_LABELS,
    format_date_nl,
    format_source_date,
)

Reliability = Literal["P", "S"]
CriterionType = Literal["geschiktheidseis", "selectiecriterium", "minimumeis", "gunningscriterium", "contractbepaling"]
# PIANOo groups its product groups in 6 clusters; "gebouwen" is our name for the one whose name is not confirmed.
Cluster = Literal["ict", "facilitair", "mobiliteit", "gww", "gebouwen", "energie"]
# The six themes of the Manifest MVOI 2022-2025, spelled as on rijksoverheid.nl / vng.nl.
Theme = Literal[
    "Milieu en biodiversiteit",
    "Klimaat",
    "Circulair (inclusief biobased)",
    "Ketenverantwoordelijkheid (Internationale Sociale Voorwaarden)",
    "Diversiteit en inclusie",
    "Social Return",
]
SubsidyStatus = Literal["open", "closed", "expired", "unknown"]
Scalar = str | int | float | bool

CRITERION_TYPES: tuple[str, ...] = get_args(CriterionType)
CLUSTERS: tuple[str, ...] = get_args(Cluster)
THEMES: tuple[str, ...] = get_args(Theme)
STATUSES: tuple[str, ...] = get_args(SubsidyStatus)
RELIABILITIES: tuple[str, ...] = get_args(Reliability)
SLUG_PATTERN = r"^[a-z0-9-]+$"


# Paths that list articles instead of holding a fact: a blog or news index, a tag or category page, or
# a date archive such as /2026/02/09/. A record must cite the page that holds its fact (issue #17).
_INDEX_PATH = re.compile(
    r"(?:(?:blog|blogs|nieuws|news|actueel|artikelen|berichten|posts|publicaties)/?)?"
    r"(?:(?:category|categorie|tag|tags|page|pagina)/[^/]+/?|\d{4}(?:/\d{1,2}(?:/\d{1,2})?)?/?)?",
    re.IGNORECASE,
)


def require_full_url(value: str) -> str:
    """Reject truncated or relative addresses and addresses that name no page (a domain, a blog index)."""
    if not value.startswith(("https://", "http://")) or "…" in value or " " in value:
        raise ValueError(f"url '{value}' is geen volledig webadres (begin met https://)")
    parsed = urlsplit(value)
    path = parsed.path.strip("/")
    if not path and not parsed.query:
        raise ValueError(
            f"url '{value}' is alleen een domein; verwijs naar de pagina waar het feit staat, niet naar de homepage"
        )
    if path and _INDEX_PATH.fullmatch(path) and not parsed.query:
        raise ValueError(
            f"url '{value}' is een overzichtspagina (blog, nieuws of archief); verwijs naar het artikel zelf"
        )
    return value


class SourceRef(BaseModel):
    """A source as cited in the fact sheet: title, URL, reliability tag and its own date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    url: str
    reliability: Reliability
    source_date: str | None = None

    @field_validator("url")
    @classmethod
    def _url_is_complete(cls, value: str) -> str:
        return require_full_url(value)

    @field_validator("source_date")
    @classmethod
    def _source_date_shape(cls, value: str | None) -> str | None:
        if value is not None and format_source_date(value) is None:
            raise ValueError(f"source_date '{value}' is ongeldig; gebruik JJJJ, JJJJ-MM of JJJJ-MM-DD")
        return value

    def describe(self) -> str:
        """One Dutch line: title, URL, reliability and the source's own date."""
        parts = [self.url, RELIABILITY_LABELS[self.reliability]]
        shown = format_source_date(self.source_date) if self.source_date else None
        parts.append(f"datum bron: {shown}" if shown else "bron zonder datum")
        return f"{self.title} ({'; '.join(parts)})"


class BaseRecord(BaseModel):
    """Common fields: a stable id, at least one source and the date it was checked."""

    model_config = ConfigDict(extra="forbid")

    kind: ClassVar[str] = "record"
    id: str = Field(pattern=SLUG_PATTERN)
    sources: list[SourceRef] = Field(min_length=1)
    checked: date
    note: str | None = None

    @field_validator("checked")
    @classmethod
    def _checked_not_in_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError(f"controledatum {value.isoformat()} ligt in de toekomst")
        return value

    # --- text for the index -------------------------------------------------
    def title_text(self) -> str:
        """Short Dutch title used as document title and heading."""
        raise NotImplementedError

    def _lines(self) -> list[str]:
        """The kind-specific "Label: waarde" lines of the body text."""
        raise NotImplementedError

    def reliability(self) -> Reliability:
        """'P' when every source is official, otherwise 'S' (conservative)."""
        return "P" if all(s.reliability == "P" for s in self.sources) else "S"

    def primary_source(self) -> SourceRef:
        """The first official source, or the first source if none is official."""
        return next((s for s in self.sources if s.reliability == "P"), self.sources[0])

    def status_notice(self) -> str | None:
        """A Dutch warning about a stale or closed status; only subsidies have one."""
        return None

    def body_text(self) -> str:
        """All fields as readable Dutch lines: the text that is indexed and quoted."""
        lines = [self.title_text(), *self._lines()]
        if self.note:
            lines.append(f"Toelichting: {self.note}")
        if len(self.sources) == 1:
            lines.append(f"Bron: {self.sources[0].describe()}")
        else:
            lines.append("Bronnen:")
            lines.extend(f"- {s.describe()}" for s in self.sources)
        if self.reliability() == "S":
            lines.append(
                "Betrouwbaarheid: (deels) gebaseerd op een secundaire bron; controleer dit bij een officiële bron."
            )
        lines.append(f"Gecontroleerd op: {format_date_nl(self.checked)}.")
        return "\n".join(lines)

    def metadata(self) -> dict[str, Scalar]:
        """Flat scalar metadata for the vector store (lists joined with '; ')."""
        primary = self.primary_source()
        return {
            "kind": self.kind,
            "record_id": self.id,
            "title": self.title_text(),
            "checked": self.checked.isoformat(),
            "source_title": primary.title,
            "source_url": primary.url,
            "source_titles": "; ".join(s.title for s in self.sources),
            "source_urls": "; ".join(s.url for s in self.sources),
            "source_dates": "; ".join(s.source_date or "" for s in self.sources),
            "reliability": self.reliability(),
        }


class Criterion(BaseRecord):
    """One MVI criterion, phrased as a buyer would put it in a tender document."""

    kind: ClassVar[str] = "criterion"
    product_group: str = Field(pattern=SLUG_PATTERN)
    product_group_label: str = Field(min_length=1)
    cluster: Cluster
    criterion_type: CriterionType
    ambition: Literal[1, 2, 3]
    themes: list[Theme] = Field(min_length=1)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    verification: str = Field(min_length=1)

    @property
    def ambition_label(self) -> str:
        return AMBITION_LABELS[self.ambition]

    def title_text(self) -> str:
        return f"{self.title} ({self.product_group_label})"

    def _lines(self) -> list[str]:
        return [
            f"Criterium {self.id} voor de productgroep {self.product_group_label} "
            f"(cluster {CLUSTER_LABELS[self.cluster]}).",
            f"Type: {self.criterion_type}.",
            f"Ambitieniveau: {self.ambition} ({self.ambition_label}).",
            f"Thema's van het Manifest MVOI: {'; '.join(self.themes)}.",
            f"Criteriumtekst: {self.text}",
            f"Bewijsmiddel: {self.verification}",
        ]

    def metadata(self) -> dict[str, Scalar]:
        meta = super().metadata()
        meta.update(
            product_group=self.product_group,
            product_group_label=self.product_group_label,
            cluster=self.cluster,
            criterion_type=self.criterion_type,
            ambition=self.ambition,
            ambition_label=self.ambition_label,
            themes="; ".join(self.themes),
        )
        return meta


class Guidance(BaseRecord):
    """Background a buyer needs: a tool, an instrument or a policy frame."""

    kind: ClassVar[str] = "guidance"
    topic: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    applies_to: str = Field(min_length=1)

    def title_text(self) -> str:
        return self.title

    def _lines(self) -> list[str]:
        return [self.text.strip(), f"Van toepassing op: {self.applies_to}"]

    def metadata(self) -> dict[str, Scalar]:
        meta = super().metadata()
        meta.update(topic=self.topic, applies_to=self.applies_to)
        return meta


class Subsidy(BaseRecord):
    """A subsidy, financing instrument or support offer, with its status as the source gave it."""

    kind: ClassVar[str] = "subsidy"
    name: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    funds: str = Field(min_length=1)
    for_whom: str = Field(min_length=1)
    conditions: list[str] = Field(default_factory=list)
    amounts: str | None = None
    status: SubsidyStatus
    status_date: date | None = None
    open_until: date | None = None  # the closing date the source gives; a passed one makes 'open' stale
    status_text: str = Field(min_length=1)
    check_at: str | None = None  # where to check the current status; defaults to the provider
    url: str

    @field_validator("url")
    @classmethod
    def _url_is_complete(cls, value: str) -> str:
        return require_full_url(value)

    def title_text(self) -> str:
        return self.name

    def status_notice(self) -> str | None:
        where = self.check_at or self.provider
        check = f"Controleer de actuele stand bij {where}."
        when = format_date_nl(self.status_date) if self.status_date else None
        if self.status == "open":
            return None
        if self.status == "expired":
            return f"Let op: deze regeling is {'op ' + when + ' ' if when else ''}vervallen. {check}"
        if self.status == "closed":
            if when:
                return f"Let op: volgens de bron eindigde de laatste openstelling op {when}. {check}"
            return f"Let op: volgens de bron is deze regeling gesloten voor aanvragen. {check}"
        last = f" (laatste bekende stand: {when})" if when else ""
        return f"Let op: de actuele status van deze regeling is niet bekend{last}. {check}"

    def _lines(self) -> list[str]:
        lines = [
            f"Aanbieder: {self.provider}.",
            f"Waarvoor: {self.funds}",
            f"Voor wie: {self.for_whom}",
        ]
        if self.conditions:
            lines.append("Voorwaarden:")
            lines.extend(f"- {c}" for c in self.conditions)
        if self.amounts:
            lines.append(f"Bedragen: {self.amounts}")
        lines.append(f"Status: {STATUS_LABELS[self.status]}. {self.status_text}")
        if self.open_until:
            lines.append(f"Sluitingsdatum volgens de bron: {format_date_nl(self.open_until)}.")
        notice = self.status_notice()
        if notice:
            lines.append(notice)
        lines.append(f"Meer informatie: {self.url}")
        return lines

    def metadata(self) -> dict[str, Scalar]:
        meta = super().metadata()
        meta.update(
            name=self.name,
            provider=self.provider,
            status=self.status,
            status_date=self.status_date.isoformat() if self.status_date else "",
            status_text=self.status_text,
            status_notice=self.status_notice() or "",
            url=self.url,
        )
        return meta


class Regulation(BaseRecord):
    """A law, rule or policy instrument a circular company or buyer has to deal with."""

    kind: ClassVar[str] = "regulation"
    name: str = Field(min_length=1)
    authority: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    applies_to: str = Field(min_length=1)
    key_points: list[str] = Field(default_factory=list)
    url: str

    @field_validator("url")
    @classmethod
    def _url_is_complete(cls, value: str) -> str:
        return require_full_url(value)

    def title_text(self) -> str:
        return self.name

    def _lines(self) -> list[str]:
        lines = [
            f"Verantwoordelijke overheid: {self.authority}.",
            self.summary.strip(),
            f"Van toepassing op: {self.applies_to}",
        ]
        if self.key_points:
            lines.append("Belangrijkste punten:")
            lines.extend(f"- {p}" for p in self.key_points)
        lines.append(f"Meer informatie: {self.url}")
        return lines

    def metadata(self) -> dict[str, Scalar]:
        meta = super().metadata()
        meta.update(name=self.name, authority=self.authority, applies_to=self.applies_to, url=self.url)
        return meta


# What a company or buyer can go to a contact route for. Fixed, so that a refusal can pick the
# routes for the subject of the question (a subsidy question gets the subsidy desks, not the permits).
ContactTopic = Literal[
    "subsidie",
    "financiering",
    "vergunning",
    "toezicht",
    "afval",
    "regelgeving",
    "circulair-ondernemen",
    "inkoop",
    "provincie",
]
CONTACT_TOPICS: tuple[str, ...] = get_args(ContactTopic)


class Contact(BaseRecord):
    """Where a company or buyer can go with a question the sources do not answer: a desk, a service, an agency."""

    kind: ClassVar[str] = "contact"
    organisation: str = Field(min_length=1)
    topics: list[ContactTopic] = Field(min_length=1)
    text: str = Field(min_length=1)  # 1-2 Dutch sentences: what they help with
    area: str | None = None  # e.g. "provincie Utrecht" or "heel Nederland"
    url: str
    phone: str | None = None

    @field_validator("url")
    @classmethod
    def _url_is_complete(cls, value: str) -> str:
        return require_full_url(value)

    def title_text(self) -> str:
        return f"Contactroute: {self.organisation}"

    def referral(self) -> str:
        """A short Dutch pointer for a refusal: 'Organisatie (url)' or 'Organisatie (url, tel. …)'."""
        where = f"{self.url}, tel. {self.phone}" if self.phone else self.url
        return f"{self.organisation} ({where})"

    def _lines(self) -> list[str]:
        lines = [
            f"Organisatie: {self.organisation}.",
            f"Waarvoor: {', '.join(self.topics)}.",
            self.text.strip(),
        ]
        if self.area:
            lines.append(f"Werkgebied: {self.area}.")
        if self.phone:
            lines.append(f"Telefoon: {self.phone}.")
        lines.append(f"Website: {self.url}")
        return lines

    def metadata(self) -> dict[str, Scalar]:
        meta = super().metadata()
        meta.update(
            organisation=self.organisation,
            topics="; ".join(self.topics),
            area=self.area or "",
            url=self.url,
            phone=self.phone or "",
        )
        return meta


Record = Criterion | Guidance | Subsidy | Regulation | Contact
RECORD_CLASSES: dict[str, type[BaseRecord]] = {
    "criteria": Criterion,
    "guidance": Guidance,
    "subsidies": Subsidy,
    "regulations": Regulation,
    "contacts": Contact,
}


def sort_key(criterion: Criterion) -> tuple[int, int, str, str]:
    """Tool order: type, then ambition, then product group and id."""
    return (
        CRITERION_TYPES.index(criterion.criterion_type),
        criterion.ambition,
        criterion.product_group,
        criterion.id,
    )


# --- validation problems (raised by the loaders, reported by ``kringwijs knowledge check``) ---
@dataclass(frozen=True)
class RecordProblem:
    """One validation problem, with the file, line and a plain Dutch message."""

    file: Path
    line: int
    record_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{display_path(self.file)}:{self.line}:"
        return f"{where} [{self.record_id}] {self.message}" if self.record_id else f"{where} {self.message}"


class RecordError(Exception):
    """Raised by :func:`load_records` when any record is invalid."""

    def __init__(self, problems: list[RecordProblem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (en nog {len(problems) - 5})" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} probleem/problemen in de kennisrecords: {shown}{more}")


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
