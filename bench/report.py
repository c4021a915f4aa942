"""The benchmark table: every headline figure with its target (if any) and the load it ran at."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str]  # figure, value, target, verdict


def _typing(tui: dict) -> str | None:
    typed, wait = tui.get("median_typed_s"), tui.get("median_wait_after_enter_s")
    return f"{typed} / {wait}" if typed is not None and wait is not None else None


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _verdict(value: float | None, limit: float | None, higher_is_better: bool = False) -> str:
    if value is None or limit is None:
        return ""
    ok = value >= limit if higher_is_better else value <= limit
    return "ok" if ok else "MISSES"


def _row(label: str, value: Any, unit: str, target: float | None = None, higher: bool = False) -> Row:
    if value is None:
        return (label, "–", "", "")
    shown = f"{value:g} {unit}".strip() if isinstance(value, int | float) else str(value)
    goal = "" if target is None else (f"≥ {target:g} {unit}" if higher else f"≤ {target:g} {unit}").strip()
    return (label, shown, goal, _verdict(value if isinstance(value, int | float) else None, target, higher))


def rows(r: dict[str, Any]) -> list[Row]:
    """Rows in reading order; missing phases show as '–'."""
    out: list[Row] = []
    for key, name in (("ingest_bundled", "bundled"), ("ingest_synthetic", "synthetic")):
        ing = r.get(key) or {}
        if not ing:
            continue
        label = f"ingest {name} ({ing.get('chunks')} chunks, {ing.get('units')} sentences)"
        out.append(_row(f"{label}: total", ing.get("total_s"), "s"))
        out.append(_row(f"ingest {name}: PDF parsing", _get(ing, "pdf_parse.pages_per_s"), "pages/s"))
        out.append(_row(f"ingest {name}: embedding", _get(ing, "embedding.chunks_per_s"), "chunks/s", 70, True))
        out.append(_row(f"ingest {name}: embedding, all vectors", _get(ing, "embedding.vectors_per_s"), "vectors/s"))
        out.append(_row(f"ingest {name}: end to end", ing.get("chunks_per_s_end_to_end"), "chunks/s"))
        out.append(
            _row(f"ingest {name}: re-ingest, nothing changed (CLI)", _get(ing, "reingest_nochange_s.cli"), "s", 2)
        )
        out.append(_row(f"ingest {name}: add one file", _get(ing, "incremental_one_file.add_s"), "s"))
        out.append(_row(f"ingest {name}: peak RSS", _get(ing, "process.peak_rss_mb"), "MB"))
    for key, big in (r.get("big") or {}).items():
        out.append(
            _row(
                f"index {key}: chunks / sentences ({big.get('vectors')} vectors)",
                f"{big.get('chunks')} / {big.get('sentences')}",
                "",
            )
        )
        out.append(_row(f"index {key}: re-ingest, nothing changed", big.get("reingest_nochange_s"), "s", 2))
    # Issue #13: p95 ≤ 50 ms on the bundled corpus, ≤ 100 ms at 100k chunks.
    targets = {"bundled": (None, 50), "10k": (50, 150), "100k": (None, 100)}
    for key, q in (r.get("query") or {}).items():
        p50, p95 = targets.get(key, (None, None))
        label = f"ask @ {key} ({q.get('chunks')} chunks)"
        out.append(_row(f"{label}: p50", _get(q, "ask_ms.total.p50"), "ms", p50))
        out.append(_row(f"{label}: p95", _get(q, "ask_ms.total.p95"), "ms", p95))
        parts = ", ".join(f"{p} {_get(q, f'ask_ms.{p}.p50')}" for p in ("embed", "dense", "bm25", "fusion", "answer"))
        out.append((f"ask @ {key}: split p50 (ms)", parts, "", ""))
        out.append(_row(f"search @ {key}: p50 / p95", _pair(q, "search_ms"), "ms"))
        out.append(_row(f"ask @ {key}: repeated question p50", _get(q, "cached_repeat_ms.total.p50"), "ms"))
    cold = r.get("cold_start") or {}
    out.append(_row("cold start `kringwijs ask` (median)", cold.get("median_s"), "s", 2))
    tui = r.get("tui_first_answer") or {}
    out.append(
        _row("TUI: first answer, question pasted at start (median)", tui.get("median_first_answer_pasted_s"), "s", 3)
    )
    out.append(_row("TUI: first answer, typed key by key by Pilot (median)", tui.get("median_first_answer_s"), "s"))
    out.append(_row("TUI typed: question typed after / wait after Enter", _typing(tui), "s"))
    for name, enc in (_get(r, "encoders.encoders") or {}).items():
        cos = enc.get("cosine_to_torch")
        extra = f", cosine to torch {cos['mean']} (min {cos['min']})" if cos else ""
        out.append((f"query encode {name}: p50 / p95", f"{_pair(enc, 'encode_ms')} ms{extra}", "", ""))
    base = r.get("baseline") or {}
    if base:
        out.append(_row("naive llama-index: query p50 / p95", _pair(base.get("naive", {}), "query_ms"), "ms"))
        out.append(_row("kringwijs ask (same run): p50 / p95", _pair(base.get("kringwijs", {}), "ask_ms"), "ms"))
        out.append(_row("speed-up per query (p50)", base.get("ratio_query_p50"), "×", 3, True))
        acc = (
            f"{_get(base, 'kringwijs.metrics.accuracy')} vs {_get(base, 'naive.metrics.accuracy')} (kringwijs vs naive)"
        )
        out.append(("accuracy on dev", acc, "", ""))
        out.append(_row("naive llama-index: index build", _get(base, "naive.build_s"), "s"))
    for key, scale in (r.get("baseline_scale") or {}).items():
        label = f"@ {key}: naive query vs kringwijs ask p50"
        pair = f"{_get(scale, 'naive_query_ms.p50')} vs {_get(scale, 'kringwijs_ask_ms.p50')} ms"
        out.append((label, pair, "", ""))
        out.append(_row(f"@ {key}: speed-up per query (p50)", scale.get("ratio_query_p50"), "×", 3, True))
    for item in _get(r, "server.indexes") or []:
        key = item.get("index")
        out.append(_row(f"server mode @ {key}: ask p50 / p95", _pair(item.get("query", {}), "ask_ms.total"), "ms"))
        inc = item.get("incremental_one_file", {})
        out.append(
            _row(
                f"server mode @ {key}: add one file (server / embedded)",
                f"{_get(inc, 'server.add_s')} / {_get(inc, 'embedded.add_s')} s",
                "",
            )
        )
        out.append(_row(f"server mode @ {key}: chroma server RSS", _get(item, "chroma_server_rss_mb.rss_mb"), "MB"))
    api = r.get("api") or {}
    for level in _get(api, "load.ask") or []:
        out.append(
            _row(
                f"API {level['clients']} clients: req/s (p95 {level['p95_ms']} ms)",
                level["throughput_rps"],
                "req/s",
                60 if level["clients"] == 1 else None,
                True,
            )
        )
    if api:
        out.append(_row("API worker RSS after load", _get(api, "worker_rss_mb.after_load.peak_rss_mb"), "MB", 500))
        out.append(_row("uvicorn workers that fit in memory", api.get("workers_fit_by_memory"), ""))
    return out


def _pair(data: dict[str, Any], path: str) -> str | None:
    p50, p95 = _get(data, f"{path}.p50"), _get(data, f"{path}.p95")
    return None if p50 is None else f"{p50} / {p95}"


def render(result: dict[str, Any]) -> str:
    table = rows(result)
    widths = [max(len(row[i]) for row in [("figure", "value", "target", ""), *table]) for i in range(4)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(("figure", "value", "target", ""), widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    loads = result.get("load_1m", {})
    lines.append(f"load average (1 min) per phase: {loads}")
    return "\n".join(lines)
