"""Filtering, grouping and product-group matching of the bundled MVI criteria."""

from __future__ import annotations

import json

import pytest

from knowledge.criteria_service import (
    criteria_only,
    filter_criteria,
    group_cards,
    match_product_groups,
    normalise_type,
    product_groups,
)
from knowledge.records import CRITERION_TYPES, Criterion, load_records


@pytest.fixture(scope="module")
def records():
    return load_records()


@pytest.fixture(scope="module")
def criteria(records):
    return criteria_only(records)


def test_no_filter_returns_only_criteria(records, criteria):
    result = filter_criteria(records)
    assert result == criteria
    assert all(isinstance(c, Criterion) for c in result)
    assert len(result) < len(records)


def test_filter_by_product_group(criteria):
    result = filter_criteria(criteria, product_group="ict-hardware")
    assert result and {c.product_group for c in result} == {"ict-hardware"}
    # the label works too, case-insensitively
    assert filter_criteria(criteria, product_group="Kantoormeubilair") == filter_criteria(
        criteria, product_group="kantoormeubilair"
    )


def test_filter_by_criterion_type_and_aliases(criteria):
    minimum = filter_criteria(criteria, criterion_type="minimumeis")
    assert minimum and {c.criterion_type for c in minimum} == {"minimumeis"}
    assert filter_criteria(criteria, criterion_type="eisen") == minimum
    award = filter_criteria(criteria, criterion_type="Gunningscriteria")
    assert award and {c.criterion_type for c in award} == {"gunningscriterium"}
    assert normalise_type("award criterion") == "gunningscriterium"
    assert normalise_type("onzin") is None
    assert filter_criteria(criteria, criterion_type="onzin") == []


def test_filter_by_ambition(criteria):
    for level in (1, 2, 3):
        result = filter_criteria(criteria, ambition=level)
        assert result and {c.ambition for c in result} == {level}


def test_filter_by_theme_accepts_part_of_the_name(criteria):
    circular = filter_criteria(criteria, theme="circulair")
    assert circular and all("Circulair (inclusief biobased)" in c.themes for c in circular)
    social = filter_criteria(criteria, theme="Social Return")
    assert social and all("Social Return" in c.themes for c in social)


def test_free_text_is_case_and_accent_insensitive(criteria):
    ids = {c.id for c in filter_criteria(criteria, text="efficientie")}
    assert "dc-02" in ids  # title: "Energie-efficiëntie van servers en netwerkapparatuur"
    assert {c.id for c in filter_criteria(criteria, text="KWIK")} == {"ict-hw-03"}
    # prefix match: 'verpakking' finds 'verpakkingen'; every word must match
    packaging = filter_criteria(criteria, text="verpakking gerecycled")
    assert packaging and all("Gerecycled materiaal" in c.title for c in packaging)
    assert filter_criteria(criteria, text="xyzzy") == []


def test_filters_combine(criteria):
    result = filter_criteria(
        criteria, product_group="catering", criterion_type="gunningscriterium", ambition=3, theme="klimaat"
    )
    assert [c.id for c in result] == ["cat-08"]


def test_product_groups_counts(criteria, records):
    groups = product_groups(records)
    assert sum(count for _slug, _label, count in groups) == len(criteria)
    slugs = [slug for slug, _label, _count in groups]
    assert len(slugs) == len(set(slugs))
    assert ("ict-hardware", "ICT-hardware en mobiele apparaten", 14) in groups
    # ordered by cluster: ICT first, mobility last
    assert slugs.index("datacenters") < slugs.index("catering") < slugs.index("dienstautos")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Welke eisen kan ik stellen aan laptops en telefoons?", ["ict-hardware"]),
        ("We willen duurzame bureaustoelen en bureaus kopen", ["kantoormeubilair"]),
        ("Wat vraag ik bij een aanbesteding voor de kantine?", ["catering"]),
        ("We gaan onze leaseauto's vervangen", ["dienstautos"]),
        ("Criteria voor hosting in een datacenter?", ["cloud-en-datacenterdiensten", "datacenters"]),
        ("Eisen voor werkkleding en schoonmaak", ["bedrijfskleding", "schoonmaak"]),
        ("What criteria apply to company cars and office furniture?", ["dienstautos", "kantoormeubilair"]),
        ("Hoe regel ik het leerlingenvervoer duurzaam?", ["doelgroepenvervoer"]),
        ("Mogen medewerkers nog vliegen of moet het met de trein?", ["zakelijk-reizen"]),
        ("Wat moet het reisbureau doen?", ["zakelijk-reizen"]),
        ("Wat is de MKI?", []),
        ("Koffie-automaten en automatisering", ["automaten"]),
        ("Welke eisen stel ik aan de organisatie van een congres?", ["evenementen"]),
        ("We laten openbare laadpalen plaatsen", ["laadinfrastructuur"]),
        ("Eisen voor mobiele telefoons en abonnementen", ["mobiele-telefonie", "ict-hardware"]),
        ("Hoe kopen we verkeerslichten duurzaam in?", ["verkeersregelinstallaties"]),
        ("Criteria voor de levering van gas en warmte", ["gas-en-warmte"]),
        ("Wat vraag ik bij het onderhoud van het gebouw?", ["onderhoud-gebouwen"]),
        ("Ecologisch bermbeheer in de aanbesteding", ["groenvoorzieningen"]),
        ("Tender for street lighting and road works", ["openbare-verlichting", "wegen-en-civiele-werken"]),
        ("Begrotingspost voor strooizout", ["gladheidsbestrijding"]),
    ],
)
def test_match_product_groups(question, expected):
    assert match_product_groups(question) == expected


def test_group_cards_are_json_ready_and_in_tool_order(criteria):
    chosen = filter_criteria(criteria, product_group="bedrijfskleding")
    groups = group_cards(chosen)
    json.dumps(groups)  # JSON-ready
    order = [(g["criterion_type"], g["ambition"]) for g in groups]
    assert order == sorted(order, key=lambda t: (CRITERION_TYPES.index(t[0]), t[1]))
    assert order[0] == ("geschiktheidseis", 1)
    assert sum(len(g["cards"]) for g in groups) == len(chosen)
    card = groups[0]["cards"][0]
    assert set(card) >= {
        "id",
        "title",
        "text",
        "verification",
        "criterion_type",
        "ambition",
        "ambition_label",
        "themes",
        "product_group_label",
        "source_title",
        "source_url",
        "checked",
    }
    assert card["id"] == "kled-01" and card["ambition_label"] == "basis"
    assert isinstance(card["themes"], list) and card["checked"] == "2026-11-27"
    for group in groups:
        assert all(c["criterion_type"] == group["criterion_type"] for c in group["cards"])
        assert all(c["ambition"] == group["ambition"] for c in group["cards"])
