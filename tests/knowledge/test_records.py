"""Loading and validating the bundled knowledge records, and Dutch problem reports for bad YAML."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest

from cli.knowledge import check_command
from knowledge.records import (
    CONTACT_TOPICS,
    THEMES,
    Contact,
    Criterion,
    RecordError,
    SourceRef,
    Subsidy,
    check_records,
    check_warnings,
    contact_routes,
    load_records,
)

REPO = Path(__file__).resolve().parents[2]
SOURCE = {"title": "Bron", "url": "https://example.org/bron", "reliability": "P"}


@pytest.fixture(scope="module")
def records():
    return load_records()


def _write(root: Path, folder: str, name: str, text: str) -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text).lstrip(), encoding="utf-8")
    return path


def _criteria_file(criterion_lines: str, group: str = "testgroep") -> str:
    return (
        f"product_group: {group}\n"
        "product_group_label: Testgroep\n"
        "cluster: ict\n"
        "criteria:\n"
        "  - id: test-01\n"
        "    title: Een criterium\n"
        "    themes: [Klimaat]\n"
        "    text: De inschrijver doet iets.\n"
        "    verification: Een verklaring.\n" + criterion_lines
    )


GOOD_CRITERION = (
    "    criterion_type: minimumeis\n"
    "    ambition: 1\n"
    "    checked: 2026-01-01\n"
    "    sources:\n"
    "      - title: Bron\n"
    "        url: https://example.org/bron\n"
    "        reliability: P\n"
)


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --- bundled records ---------------------------------------------------------


def test_bundled_records_load_without_problems(records):
    assert check_records() == []
    kinds = {r.kind for r in records}
    assert kinds == {"criterion", "guidance", "subsidy", "regulation", "contact"}
    assert sum(isinstance(r, Criterion) for r in records) >= 60


def test_bundled_ids_are_unique_and_every_record_is_sourced_and_dated(records):
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    for record in records:
        assert record.sources, record.id
        assert all(s.reliability in {"P", "S"} for s in record.sources)
        assert record.checked <= date.today()


def test_required_product_groups_are_covered(records):
    groups = {r.product_group for r in records if isinstance(r, Criterion)}
    required = {"ict-hardware", "datacenters", "kantoormeubilair", "catering", "schoonmaak", "bedrijfskleding"}
    assert required <= groups
    assert "dienstautos" in groups
    assert {"doelgroepenvervoer", "zakelijk-reizen"} & groups


def test_themes_are_the_six_manifest_themes():
    assert len(THEMES) == 6
    assert "Circulair (inclusief biobased)" in THEMES
    assert "Social Return" in THEMES


def test_metadata_is_flat_and_has_the_required_keys(records):
    for record in records:
        meta = record.metadata()
        assert all(isinstance(v, str | int | float | bool) for v in meta.values()), record.id
        for key in ("kind", "record_id", "checked", "source_title", "source_url"):
            assert meta[key] != "", (record.id, key)
        if isinstance(record, Criterion):
            assert isinstance(meta["ambition"], int)
            for key in ("product_group", "criterion_type", "themes"):
                assert meta[key]
        if isinstance(record, Subsidy):
            for key in ("provider", "status", "status_date", "status_notice"):
                assert key in meta


def test_body_text_is_readable_dutch_without_tables(records):
    criterion = next(r for r in records if r.id == "ict-hw-05")
    body = criterion.body_text()
    assert "Bewijsmiddel: " in body
    assert "Ambitieniveau: 2 (significant)" in body
    assert "Gecontroleerd op: 27 november 2026." in body
    for record in records:
        assert not any(line.lstrip().startswith("|") for line in record.body_text().splitlines()), record.id


def test_secondary_sources_are_flagged_in_the_text(records):
    ladder = next(r for r in records if r.id == "gd-ladder-03")
    assert ladder.reliability() == "S"
    assert "secundaire bron" in ladder.body_text()
    official = next(r for r in records if r.id == "gd-mvi-05")
    assert official.reliability() == "P"


def test_check_command_reports_success(capsys):
    assert check_command(None) == 0
    assert "records zijn in orde" in capsys.readouterr().out


# --- subsidies: status notices --------------------------------------------------


def test_status_notice_for_expired_subsidy_mentions_the_date(records):
    ketens = next(r for r in records if r.id == "sub-circulaire-ketenprojecten")
    notice = ketens.status_notice()
    assert notice is not None
    assert "9 april 2025" in notice and "vervallen" in notice and "RVO" in notice
    assert ketens.metadata()["status_notice"] == notice
    assert notice in ketens.body_text()


def _subsidy(**changes) -> Subsidy:
    data = {
        "id": "sub-test",
        "name": "Testregeling",
        "provider": "RVO",
        "funds": "Iets.",
        "for_whom": "Iedereen.",
        "status": "open",
        "status_text": "Open.",
        "url": "https://example.org/regeling",
        "sources": [SOURCE],
        "checked": date(2026, 1, 1),
    }
    data.update(changes)
    return Subsidy.model_validate(data)


def test_status_notice_per_status():
    assert _subsidy().status_notice() is None
    closed = _subsidy(status="closed", status_date=date(2024, 11, 1)).status_notice()
    assert closed and "1 november 2024" in closed and "Controleer" in closed
    unknown = _subsidy(status="unknown", status_date=date(2024, 4, 15)).status_notice()
    assert unknown and "niet bekend" in unknown and "15 april 2024" in unknown
    expired = _subsidy(status="expired", status_date=date(2025, 4, 9), check_at="RVO").status_notice()
    assert expired == "Let op: deze regeling is op 9 april 2025 vervallen. Controleer de actuele stand bij RVO."


def test_source_ref_rejects_truncated_url_and_weak_reliability():
    with pytest.raises(ValueError):
        SourceRef(title="x", url="https://www.ser.nl/…", reliability="P")
    with pytest.raises(ValueError):
        SourceRef.model_validate({"title": "x", "url": "https://example.org", "reliability": "G"})


# --- validation of bad YAML ----------------------------------------------------


def test_unknown_criterion_type_gives_file_line_and_dutch_choices(tmp_path):
    path = _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.replace("minimumeis", "eis")))
    problems = check_records(tmp_path)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == path
    assert problem.line == _line_of(path, "criterion_type: eis")
    assert problem.record_id == "test-01"
    assert problem.message.startswith("criterion_type 'eis' is onbekend; kies uit: geschiktheidseis")


def test_missing_source_is_reported(tmp_path):
    lines = "    criterion_type: minimumeis\n    ambition: 1\n    checked: 2026-01-01\n    sources: []\n"
    path = _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(lines))
    problems = check_records(tmp_path)
    assert [p.message for p in problems] == ["bron ontbreekt; noem minstens één bron (titel, url, betrouwbaarheid)"]
    assert problems[0].line == _line_of(path, "sources: []")


def test_record_without_sources_key_is_reported(tmp_path):
    _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.split("    sources:")[0]))
    problems = check_records(tmp_path)
    assert len(problems) == 1 and problems[0].message.startswith("bron ontbreekt")


def test_duplicate_id_across_files(tmp_path):
    first = _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION))
    second = _write(tmp_path, "criteria", "anderegroep.yaml", _criteria_file(GOOD_CRITERION, group="anderegroep"))
    problems = check_records(tmp_path)
    assert len(problems) == 1
    problem = problems[0]
    # Files are read in name order, so the second occurrence is in testgroep.yaml.
    assert problem.file == first
    assert (
        problem.message
        == f"dubbel id 'test-01' (ook in regel {_line_of(second, '- id:')} van criteria/anderegroep.yaml)"
    )


def test_future_checked_date(tmp_path):
    path = _write(
        tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.replace("2026-01-01", "2099-01-01"))
    )
    problems = check_records(tmp_path)
    assert [p.message for p in problems] == ["controledatum 2099-01-01 ligt in de toekomst"]
    assert problems[0].line == _line_of(path, "checked: 2099")


def test_bad_ambition(tmp_path):
    path = _write(
        tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.replace("ambition: 1", "ambition: 4"))
    )
    problems = check_records(tmp_path)
    assert [p.message for p in problems] == [
        "ambition 4 bestaat niet; kies 1 (basis), 2 (significant) of 3 (ambitieus)"
    ]
    assert problems[0].line == _line_of(path, "ambition: 4")


def test_unknown_theme_and_bad_id(tmp_path):
    text = _criteria_file(GOOD_CRITERION).replace("[Klimaat]", "[Klimaat, Energie]").replace("test-01", "Test_01")
    _write(tmp_path, "criteria", "testgroep.yaml", text)
    messages = [p.message for p in check_records(tmp_path)]
    assert any(m.startswith("themes 'Energie' is onbekend; kies uit: Milieu en biodiversiteit") for m in messages)
    assert any("mag alleen kleine letters, cijfers en streepjes bevatten" in m for m in messages)


def test_product_group_must_match_file_and_records(tmp_path):
    lines = GOOD_CRITERION + "    product_group: iets-anders\n"
    path = _write(tmp_path, "criteria", "verkeerde-naam.yaml", _criteria_file(lines))
    messages = [p.message for p in check_records(tmp_path)]
    assert "product_group 'testgroep' hoort in een bestand met de naam 'testgroep.yaml'" in messages
    assert "product_group 'iets-anders' wijkt af van het bestand ('testgroep')" in messages
    assert any(p.line == _line_of(path, "product_group: iets-anders") for p in check_records(tmp_path))


def test_yaml_syntax_error_has_line(tmp_path):
    path = _write(tmp_path, "regulations", "kapot.yaml", "id: reg-x\nname: [niet afgesloten\nurl: x\n")
    problems = check_records(tmp_path)
    assert len(problems) == 1
    assert problems[0].file == path and problems[0].line >= 2
    assert problems[0].message.startswith("het bestand is geen geldige YAML")


def test_named_source_refs_resolve_and_unknown_names_are_reported(tmp_path):
    text = """
        source_refs:
          pianoo:
            title: PIANOo
            url: https://www.pianoo.nl/nl/themas/maatschappelijk-verantwoord-inkopen-mvi-duurzaam-inkopen/productgroepen
            reliability: P
        records:
          - id: gd-test
            topic: test
            title: Test
            text: Tekst.
            applies_to: Iedereen.
            sources: [pianoo, onbekend]
            checked: 2026-01-01
        """
    path = _write(tmp_path, "guidance", "test.yaml", text)
    problems = check_records(tmp_path)
    assert [p.message for p in problems] == ["bron 'onbekend' staat niet in 'source_refs'"]
    assert problems[0].line == _line_of(path, "sources: [pianoo")


def test_load_records_raises_record_error(tmp_path):
    _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.replace("minimumeis", "eis")))
    with pytest.raises(RecordError) as info:
        load_records(tmp_path)
    assert len(info.value.problems) == 1
    assert "criterion_type 'eis' is onbekend" in str(info.value)


def test_check_command_prints_file_line_id_message(tmp_path, capsys):
    path = _write(
        tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION.replace("ambition: 1", "ambition: 7"))
    )
    assert check_command(tmp_path) == 1
    out = capsys.readouterr().out
    line = _line_of(path, "ambition: 7")
    assert re.search(rf"testgroep\.yaml:{line}: \[test-01\] ambition 7 bestaat niet", out)
    assert "probleem/problemen gevonden" in out


def test_valid_tmp_tree_loads(tmp_path):
    _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION))
    (record,) = load_records(tmp_path)
    assert isinstance(record, Criterion)
    assert record.product_group == "testgroep" and record.cluster == "ict"


def test_empty_folder_loads_nothing_but_check_command_warns(tmp_path, capsys):
    assert load_records(tmp_path) == []
    assert check_records(tmp_path) == []
    assert check_command(tmp_path) == 1
    assert "Geen recordbestanden gevonden" in capsys.readouterr().out


# --- sources must name the page that holds the fact (issue #17) -------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ser.nl/",
        "https://www.profishop.nl",
        "https://www.accountancyvanmorgen.nl/2026/02/09/",
        "https://www.co2-prestatieladder.nl/blog/",
        "https://example.org/nieuws",
        "https://example.org/category/circulair/",
    ],
)
def test_source_url_that_is_a_domain_or_an_index_is_rejected(url):
    with pytest.raises(ValueError, match=r"domein|overzichtspagina"):
        SourceRef(title="x", url=url, reliability="S")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.co2-prestatieladder.nl/blog/alles-over-trede-1-co2-reduceren-in-uw-eigen-organisatie",
        "https://www.accountancyvanmorgen.nl/2026/02/09/reparatieclausule-moet-duidelijkheid-geven-over-naleving-csrd/",
        "https://zoek.officielebekendmakingen.nl/prb-2025-4732.html",
    ],
)
def test_source_url_of_an_article_is_accepted(url):
    assert SourceRef(title="x", url=url, reliability="S").url == url


def test_bare_domain_in_a_yaml_source_is_reported_with_its_line(tmp_path):
    lines = GOOD_CRITERION.replace("https://example.org/bron", "https://example.org/")
    path = _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(lines))
    problems = check_records(tmp_path)
    assert len(problems) == 1
    assert "alleen een domein" in problems[0].message
    assert problems[0].line == _line_of(path, "url: https://example.org/")


# --- staleness warnings and --strict ------------------------------------------------


def _subsidy_yaml(status: str, extra: str = "", checked: str = "2026-11-01") -> str:
    return f"""
        id: sub-test
        name: Testregeling
        provider: RVO
        funds: Iets circulairs.
        for_whom: Ondernemers.
        status: {status}
        status_text: Zoals de bron het zegt.
        url: https://example.org/regeling
        {extra}
        checked: {checked}
        sources:
          - title: Bron
            url: https://example.org/bron
            reliability: P
        """


def test_fresh_records_have_no_warnings(tmp_path):
    _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION))
    assert check_warnings(tmp_path, today=date(2026, 12, 2)) == []


def test_checked_more_than_a_year_ago_warns_with_file_and_line(tmp_path):
    path = _write(tmp_path, "criteria", "testgroep.yaml", _criteria_file(GOOD_CRITERION))
    assert check_warnings(tmp_path, today=date(2026, 12, 31)) == []
    (warning,) = check_warnings(tmp_path, today=date(2027, 1, 2))
    assert warning.file == path and warning.record_id == "test-01"
    assert warning.line == _line_of(path, "- id: test-01")
    assert warning.message.startswith("waarschuwing: gecontroleerd op 1 januari 2026, meer dan 12 maanden geleden")


def test_open_subsidy_past_its_closing_date_warns(tmp_path):
    _write(tmp_path, "subsidies", "test.yaml", _subsidy_yaml("open", "open_until: 2026-06-30"))
    assert check_warnings(tmp_path, today=date(2026, 6, 30)) == []
    (warning,) = check_warnings(tmp_path, today=date(2026, 7, 1))
    assert "sluitingsdatum 30 juni 2026 is verstreken" in warning.message
    (record,) = load_records(tmp_path)
    assert "Sluitingsdatum volgens de bron: 30 juni 2026." in record.body_text()


def test_open_status_not_confirmed_for_a_year_warns_but_closed_does_not(tmp_path):
    _write(tmp_path, "subsidies", "test.yaml", _subsidy_yaml("open", "status_date: 2025-10-01"))
    (warning,) = check_warnings(tmp_path, today=date(2026, 11, 1))
    assert "niet opnieuw bevestigd" in warning.message
    _write(tmp_path, "subsidies", "test.yaml", _subsidy_yaml("closed", "status_date: 2025-10-01"))
    assert check_warnings(tmp_path, today=date(2026, 11, 1)) == []


def test_check_command_prints_warnings_and_strict_makes_them_fail(tmp_path, capsys):
    _write(tmp_path, "subsidies", "test.yaml", _subsidy_yaml("unknown", checked="2020-01-01"))
    assert check_command(tmp_path) == 0
    out = capsys.readouterr().out
    assert "[sub-test] waarschuwing: gecontroleerd op 1 januari 2020" in out
    assert "Alle 1 records zijn in orde" in out and "--strict" in out
    assert check_command(tmp_path, strict=True) == 1
    assert "met --strict telt dat als fout" in capsys.readouterr().out


# --- gold questions are answerable from the records -------------------------------


def _gold_cases() -> list[dict]:
    cases = []
    for split in ("dev", "test"):
        path = REPO / "evals" / "datasets" / split / "knowledge.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append({**json.loads(line), "_split": split})
    return cases


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def test_gold_cases_are_well_formed_and_answerable_from_record_text(records):
    cases = _gold_cases()
    by_id = {r.id: r for r in records}
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    assert sum(c["id"].startswith("crit-") for c in cases) >= 26
    assert sum(c["id"].startswith(("sub-", "reg-")) for c in cases) >= 26
    assert sum(c["id"].startswith("en-k-") for c in cases) == 3
    for case in cases:
        assert set(case) - {"_split"} == {"id", "question", "expected", "refuse", "lang", "audience", "source"}
        number = int(case["id"].rsplit("-", 1)[1])
        assert case["_split"] == ("dev" if number % 2 else "test"), case["id"]
        assert case["refuse"] is False and case["audience"] == "public"
        assert case["lang"] == ("en" if case["id"].startswith("en-") else "nl")
        assert 1 <= len(case["expected"]) <= 2, case["id"]
        record_id = case["source"].removeprefix("knowledge#")
        assert record_id in by_id, case["id"]
        body = _norm(by_id[record_id].body_text())
        for group in case["expected"]:
            assert any(_norm(alt) in body for alt in group), (case["id"], group)


# --- contact routes ----------------------------------------------------------------


def _contact_yaml(topics: str = "[afval, vergunning]", record_id: str = "ct-test") -> str:
    return f"""
        id: {record_id}
        organisation: Omgevingsdienst Test
        topics: {topics}
        text: De dienst verleent milieuvergunningen en houdt toezicht.
        area: regio Test
        url: https://example.org/omgevingsdienst/wat-doen-wij
        phone: 030 000 0000
        checked: 2026-11-01
        sources:
          - title: Bron
            url: https://example.org/bron
            reliability: P
        """


def test_bundled_contact_routes_cover_the_questions_companies_ask():
    routes = contact_routes()
    assert all(isinstance(r, Contact) for r in routes)
    covered = {topic for r in routes for topic in r.topics}
    assert {"subsidie", "vergunning", "afval", "circulair-ondernemen", "inkoop", "provincie"} <= covered
    permits = {r.id for r in contact_routes(topics=["vergunning"])}
    assert {"ct-odru", "ct-rud-utrecht"} <= permits
    assert all("vergunning" in r.topics for r in contact_routes(topics=["vergunning"]))
    assert len(contact_routes(topics=["vergunning", "inkoop"])) > len(permits)


def test_contact_route_text_referral_and_metadata(tmp_path):
    _write(tmp_path, "contacts", "test.yaml", _contact_yaml())
    (route,) = contact_routes(tmp_path)
    assert (
        route.referral() == "Omgevingsdienst Test (https://example.org/omgevingsdienst/wat-doen-wij, tel. 030 000 0000)"
    )
    body = route.body_text()
    assert body.startswith("Contactroute: Omgevingsdienst Test")
    assert "Waarvoor: afval, vergunning." in body and "Werkgebied: regio Test." in body
    assert route.metadata()["topics"] == "afval; vergunning" and route.metadata()["kind"] == "contact"


def test_unknown_contact_topic_is_reported_in_dutch_and_skipped_by_contact_routes(tmp_path):
    path = _write(tmp_path, "contacts", "test.yaml", _contact_yaml("[afval, koffie]"))
    _write(tmp_path, "contacts", "goed.yaml", _contact_yaml(record_id="ct-goed"))
    (problem,) = check_records(tmp_path)
    assert problem.message.startswith("topics 'koffie' is onbekend; kies uit: " + ", ".join(CONTACT_TOPICS[:2]))
    assert problem.line == _line_of(path, "topics:")
    assert [r.id for r in contact_routes(tmp_path)] == ["ct-goed"]
    with pytest.raises(ValueError, match="onbekend onderwerp"):
        contact_routes(tmp_path, topics=["koffie"])


def test_contact_routes_are_ingested_as_record_documents():
    from ingest.loaders.records import load_record_documents

    docs = {d.doc_id: d for d in load_record_documents(REPO / "knowledge")}
    doc = docs["contact-ct-odnzkg-brzo"]
    assert doc.doc_type == "contactroute"
    assert doc.publisher.startswith("Omgevingsdienst Noordzeekanaalgebied")
    assert "BRZO" in doc.blocks[0].text


def _plain(value):
    """Values plus every remembered line, for comparing two parses."""
    if isinstance(value, dict):
        return (
            value.line,
            sorted(value.key_lines.items()),
            value.duplicate_keys,
            [(k, _plain(v)) for k, v in value.items()],
        )
    if isinstance(value, list):
        return (value.line, value.item_lines, [_plain(v) for v in value])
    return value


def test_the_libyaml_parser_gives_the_same_values_and_lines_as_pure_python():
    import yaml

    from knowledge import yaml_lines

    class PurePython(yaml.SafeLoader):
        pass

    for tag, construct in ((yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml_lines._construct_mapping),
                           (yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, yaml_lines._construct_sequence)):  # fmt: skip
        PurePython.add_constructor(tag, construct)
    assert yaml_lines._LineLoader.__mro__[1] is yaml.CSafeLoader  # the fast path is the one in use
    files = sorted((REPO / "knowledge").rglob("*.yaml"))
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _plain(yaml_lines.parse_yaml(text)) == _plain(yaml.load(text, Loader=PurePython)), path
