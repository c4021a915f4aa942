"""Read the record YAML files with line numbers and turn every problem into a Dutch message.

File layouts (the folder decides the record kind):

- ``criteria/<product-group>.yaml``: a mapping with ``product_group``, ``product_group_label``,
  ``cluster``, optional ``source_refs`` and ``criteria: [...]``; the file fills in the first three.
- ``guidance/``, ``subsidies/``, ``regulations/``, ``contacts/``: one record (a mapping with ``id``) or a
  mapping with optional ``source_refs`` and ``records: [...]``.

``source_refs`` names sources once per file; a record may then list a name instead of a mapping.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.freshness import record_warnings
from knowledge.models import (
    CLUSTERS,
    CONTACT_TOPICS,
    CRITERION_TYPES,
    RECORD_CLASSES,
    RELIABILITIES,
    STATUSES,
    THEMES,
    BaseRecord,
    RecordProblem,
    SourceRef,
)
from knowledge.yaml_lines import LineDict, LineList, parse_yaml

_CHOICES: dict[str, tuple[str, ...]] = {
    "criterion_type": CRITERION_TYPES,
    "cluster": CLUSTERS,
    "themes": THEMES,
    "status": STATUSES,
    "reliability": RELIABILITIES,
    "topics": CONTACT_TOPICS,
}
_GROUP_KEYS = ("product_group", "product_group_label", "cluster")


def read_yaml(path: Path) -> tuple[Any, list[RecordProblem]]:
    """Parse one file; a syntax error becomes a problem with its line."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [RecordProblem(path, line, None, f"het bestand is geen geldige YAML ({reason})")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [RecordProblem(path, 1, None, f"het bestand kan niet worden gelezen ({exc})")]


def record_files(root: Path, folders: tuple[str, ...] | None = None) -> list[tuple[str, Path]]:
    """(folder, path) for every record file (of ``folders``, default all), in a stable order."""
    return [
        (folder, path)
        for folder in (folders or tuple(RECORD_CLASSES))
        for path in sorted((root / folder).glob("*.y*ml"))
        if path.is_file()
    ]


def load_tree(root: Path) -> tuple[list[BaseRecord], list[RecordProblem]]:
    """Load every record under ``root``; return the valid records and all problems."""
    records, problems, _ = check_tree(root)
    return records, problems


def check_tree(
    root: Path, today: date | None = None, folders: tuple[str, ...] | None = None
) -> tuple[list[BaseRecord], list[RecordProblem], list[RecordProblem]]:
    """Like :func:`load_tree`, plus staleness warnings (see :mod:`knowledge.freshness`) with file and line."""
    records: list[BaseRecord] = []
    problems: list[RecordProblem] = []
    warnings: list[RecordProblem] = []
    seen_ids: dict[str, tuple[Path, int]] = {}
    seen_groups: dict[str, Path] = {}
    for folder, path in record_files(root, folders):
        data, errors = read_yaml(path)
        problems.extend(errors)
        if errors:
            continue
        items, errors = _file_items(folder, path, data, seen_groups)
        problems.extend(errors)
        for raw in items:
            record, errors = _build(folder, path, raw)
            problems.extend(errors)
            record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
            if record_id is not None:
                line = raw.line
                if record_id in seen_ids:
                    other, other_line = seen_ids[record_id]
                    problems.append(
                        RecordProblem(
                            path,
                            line,
                            record_id,
                            f"dubbel id '{record_id}' (ook in regel {other_line} van {_short(other, root)})",
                        )
                    )
                    continue
                seen_ids[record_id] = (path, line)
            if record is not None:
                records.append(record)
                warnings.extend(
                    RecordProblem(path, raw.line, record.id, f"waarschuwing: {message}")
                    for message in record_warnings(record, today)
                )
    return records, problems, warnings


def _file_items(
    folder: str, path: Path, data: Any, seen_groups: dict[str, Path]
) -> tuple[list[LineDict], list[RecordProblem]]:
    """Split a file into raw record mappings, with file-level defaults and named sources applied."""
    problems = _duplicate_key_problems(path, data, None)
    if data is None:
        return [], [RecordProblem(path, 1, None, "het bestand is leeg")]
    if isinstance(data, LineList):
        data = _wrap_list(data)
    if not isinstance(data, LineDict):
        return [], [RecordProblem(path, 1, None, "verwacht een mapping (sleutel: waarde) bovenaan het bestand")]
    refs, ref_problems = _source_refs(path, data.get("source_refs"))
    problems += ref_problems
    defaults: dict[str, Any] = {}
    if folder == "criteria":
        list_key = "criteria"
        for key in _GROUP_KEYS:
            if key not in data:
                problems.append(RecordProblem(path, data.line, None, f"veld '{key}' ontbreekt bovenaan het bestand"))
            else:
                defaults[key] = data[key]
        group = defaults.get("product_group")
        if isinstance(group, str):
            if group != path.stem:
                problems.append(
                    RecordProblem(
                        path,
                        data.key_lines["product_group"],
                        None,
                        f"product_group '{group}' hoort in een bestand met de naam '{group}.yaml'",
                    )
                )
            if group in seen_groups:
                problems.append(
                    RecordProblem(
                        path,
                        data.key_lines["product_group"],
                        None,
                        f"productgroep '{group}' staat ook in {seen_groups[group].name}",
                    )
                )
            seen_groups[group] = path
        allowed = {*_GROUP_KEYS, "source_refs", "criteria"}
    elif "id" in data:
        return [_apply_refs(path, data, refs, problems)], problems
    else:
        list_key = "records"
        allowed = {"source_refs", "records"}
    for key in data:
        if key not in allowed:
            problems.append(
                RecordProblem(path, data.key_lines[key], None, f"onbekend veld '{key}' bovenaan het bestand")
            )
    items = data.get(list_key)
    if not isinstance(items, LineList) or not items:
        problems.append(RecordProblem(path, data.line, None, f"de lijst '{list_key}' ontbreekt of is leeg"))
        return [], problems
    raws: list[LineDict] = []
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, LineDict):
            problems.append(RecordProblem(path, line, None, "een record moet een mapping (sleutel: waarde) zijn"))
            continue
        for key, value in defaults.items():
            if key in item and item[key] != value:
                problems.append(
                    RecordProblem(
                        path,
                        item.key_lines[key],
                        item.get("id") if isinstance(item.get("id"), str) else None,
                        f"{key} '{item[key]}' wijkt af van het bestand ('{value}')",
                    )
                )
            item.setdefault(key, value)
        raws.append(_apply_refs(path, item, refs, problems))
    return raws, problems


def _wrap_list(data: LineList) -> LineDict:
    wrapped = LineDict(records=data)
    wrapped.line, wrapped.key_lines, wrapped.duplicate_keys = data.line, {"records": data.line}, []
    return wrapped


def _source_refs(path: Path, data: Any) -> tuple[dict[str, SourceRef | None], list[RecordProblem]]:
    """Validate the file's named sources; an invalid one maps to None."""
    if data is None:
        return {}, []
    if not isinstance(data, LineDict):
        return {}, [RecordProblem(path, 1, None, "'source_refs' moet een mapping van naam naar bron zijn")]
    refs: dict[str, SourceRef | None] = {}
    problems: list[RecordProblem] = []
    for name, value in data.items():
        try:
            refs[str(name)] = SourceRef.model_validate(dict(value) if isinstance(value, dict) else value)
        except ValidationError as exc:
            refs[str(name)] = None
            for err in exc.errors():
                message, line = _dutch(err, value if isinstance(value, LineDict) else None, data.key_lines[name])
                problems.append(RecordProblem(path, line, None, f"bron '{name}': {message}"))
    return refs, problems


def _apply_refs(
    path: Path, raw: LineDict, refs: dict[str, SourceRef | None], problems: list[RecordProblem]
) -> LineDict:
    """Replace source names by their SourceRef; unknown names become problems."""
    sources = raw.get("sources")
    if not isinstance(sources, LineList):
        return raw
    resolved = LineList()
    resolved.line, resolved.item_lines = sources.line, []
    record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    for item, line in zip(sources, sources.item_lines, strict=True):
        if isinstance(item, str):
            if item not in refs:
                problems.append(RecordProblem(path, line, record_id, f"bron '{item}' staat niet in 'source_refs'"))
                continue
            if refs[item] is None:
                continue  # already reported at its definition
            item = refs[item]
        resolved.append(item)
        resolved.item_lines.append(line)
    raw["sources"] = resolved
    return raw


def _build(folder: str, path: Path, raw: LineDict) -> tuple[BaseRecord | None, list[RecordProblem]]:
    """Validate one raw mapping into its record class."""
    cls = RECORD_CLASSES[folder]
    record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    problems = _duplicate_key_problems(path, raw, record_id)
    data = dict(raw)
    kind = data.pop("kind", cls.kind)
    if kind != cls.kind:
        problems.append(
            RecordProblem(
                path,
                raw.key_lines.get("kind", raw.line),
                record_id,
                f"kind '{kind}' hoort niet in de map '{folder}' (verwacht '{cls.kind}')",
            )
        )
    try:
        record = cls.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            message, line = _dutch(err, raw, raw.line)
            problems.append(RecordProblem(path, line, record_id, message))
        return None, problems
    return (None if problems else record), problems


def _dutch(err: Any, raw: LineDict | None, default_line: int) -> tuple[str, int]:
    """A plain Dutch message for one pydantic error, and the line it points at."""
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    value = err.get("input")
    field = str(loc[0]) if loc else "record"
    name = str(next((part for part in reversed(loc) if isinstance(part, str)), field))
    path = _loc_text(loc)
    line = _line_of(raw, loc, default_line)
    if field == "sources" and kind in {"missing", "too_short", "list_type"}:
        return "bron ontbreekt; noem minstens één bron (titel, url, betrouwbaarheid)", line
    if field == "themes" and kind in {"missing", "too_short"}:
        return "thema ontbreekt; noem minstens één thema van het Manifest MVOI: " + ", ".join(THEMES), line
    if kind == "missing":
        return f"veld '{path}' ontbreekt", line
    if kind == "extra_forbidden":
        return f"onbekend veld '{path}'", line
    if kind == "literal_error":
        if name == "ambition":
            return (f"ambition {value!r} bestaat niet; kies 1 (basis), 2 (significant) of 3 (ambitieus)", line)
        choices = _CHOICES.get(name) or _CHOICES.get(field) or ()
        return f"{name} '{value}' is onbekend; kies uit: {', '.join(choices)}", line
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{path} '{value}' is geen geldige datum; schrijf JJJJ-MM-DD", line
    if kind == "string_pattern_mismatch":
        return f"{path} '{value}' mag alleen kleine letters, cijfers en streepjes bevatten", line
    if kind in {"string_too_short", "too_short"}:
        return f"veld '{path}' is leeg", line
    if kind == "string_type":
        return f"veld '{path}' moet tekst zijn", line
    if kind == "list_type":
        return f"veld '{path}' moet een lijst zijn", line
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"veld '{path}' moet een mapping (sleutel: waarde) zijn", line
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", ""))), line
    return f"veld '{path}' is ongeldig ({err.get('msg', kind)})", line


def _loc_text(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "record"


def _line_of(raw: Any, loc: tuple[Any, ...], line: int) -> int:
    """Walk the location through the LineDict/LineList tree to the closest known line."""
    node = raw
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part] if part < len(node.item_lines) else line
            node = node[part]
        else:
            break
    return line


def _duplicate_key_problems(path: Path, data: Any, record_id: str | None) -> list[RecordProblem]:
    if not isinstance(data, LineDict):
        return []
    return [
        RecordProblem(path, line, record_id, f"sleutel '{key}' komt twee keer voor")
        for key, line in data.duplicate_keys
    ]


def _short(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
