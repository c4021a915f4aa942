"""Why an answer came out: the signals, their fitted weights, the threshold and the outcome.

``decision_trace`` turns the evidence of one question into a plain dict (kept in the answer,
the API response and the eval JSON); ``explain`` renders it as Dutch text for
``kringwijs ask --explain`` and the TUI.
"""

from __future__ import annotations

from typing import Any

from assistant.scorer import DecisionParams

# Dutch names of the signals, for people reading a trace.
LABELS = {
    "dense": "betekenisovereenkomst zin",
    "dense_en": "betekenisovereenkomst zin (Engelse vraag)",
    "chunk_dense": "betekenisovereenkomst passage",
    "lexical": "woorden van de vraag in de zin",
    "lexical_window": "woorden van de vraag rond de zin",
    "prior": "rang van de passage",
    "answer_type": "soort antwoord aanwezig",
    "facts_unit": "jaartallen/bedragen/namen in de zin",
    "facts_chunk": "jaartallen/bedragen/namen in de passage",
    "heading_named": "kop noemt het onderwerp",
    "echo": "zin herhaalt alleen de vraag",
    "short": "zeer korte zin",
    "record_note": "toelichting bij het record",
    "status_notice": "statusmelding",
    "field_asked": "gevraagd veld",
    "field_not_asked": "ander veld dan gevraagd",
    "near_figure": "getal bij de woorden van de vraag",
    "defines": "definitie van het onderwerp",
    "table_row": "tabelrij",
    "total_row": "totaalrij bij een totaalvraag",
    "top_dense": "beste betekenisovereenkomst",
    "best_dense": "overeenkomst van de gekozen zin",
    "best_score": "score van de gekozen zin",
    "score_margin": "voorsprong op de tweede zin",
    "best_lexical": "woorden van de vraag in het bewijs",
    "coverage": "dekking van de onderwerpswoorden",
    "asks_facts": "vraag noemt jaartal/bedrag/naam",
    "facts_missing": "genoemde feiten ontbreken in het bewijs",
    "fact_missing_any": "een genoemd feit ontbreekt in het bewijs",
    "type_absent": "gevraagde soort antwoord ontbreekt",
    "gated_type": "vraag naar bedrag/aantal/percentage/naam",
    "unknown_subject": "onderwerp onbekend in de bronnen",
    "unseen_word": "woord onbekend in de bronnen",
    "unseen_share": "aandeel woorden onbekend in de bronnen",
    "amount_not_near": "geen bedrag bij het onderwerp",
    "entity_elsewhere": "plaats alleen in ander verband",
    "asked_absent": "gevraagde zaak niet in de bronnen",
    "count_mismatch": "aantal telt iets anders",
    "names_missing": "geen namen in het bewijs",
    "attribute_absent": "gevraagd soort gegeven (duur, tijdstip, telefoonnummer …) staat er niet bij",
    "english": "Engelse vraag",
    "criteria": "inkoopcriteria gevonden",
    "label_named": "vraag noemt het veld",
    "lexical_raw": "onderwerpswoorden in de zin zelf",
    "length": "lengte van de zin (×100 tekens)",
    "dense_best_in_passage": "beste zin van de passage naar betekenis",
    "lexical_best_in_passage": "beste zin van de passage naar woorden",
    "dense_best_overall": "beste zin van alle kandidaten naar betekenis",
    "dense_gap_passage": "achterstand op de beste zin van de passage",
    "rule_score": "regelscore (handgewichten tot nov. 2026)",
    "rule_refuse": "oude regels zouden weigeren",
    "field_intent": "kans dat de vraag naar dit recordveld vraagt",
    "vector_refuse": "onbeantwoordbaar volgens de vectoren van vraag en citaat (log-odds)",
}

_TOP_SIGNALS = 6


def _label(name: str) -> str:
    if name.startswith("veld:"):
        _, field_name, answer_type = name.split(":", 2)
        return f"veld ‘{field_name}’ bij vraagsoort {answer_type}"
    return LABELS.get(name, name)


def decision_trace(ev: Any, params: DecisionParams) -> dict[str, Any]:
    """The trace of one answer (``ev`` is ``assistant.service.Evidence``)."""
    verdict = ev.verdict
    chosen_keys = {(c.hit.chunk_id, c.unit.index) for c in ev.chosen}
    units = []
    for s in ev.ranked[:3]:
        units.append(
            {
                "text": s.unit.text[:160],
                "source": " — ".join(
                    x for x in (str(s.hit.meta.get("title", "")), str(s.hit.meta.get("section", ""))) if x
                ),
                "score": round(s.score, 3),
                "chosen": (s.hit.chunk_id, s.unit.index) in chosen_keys,
                "signals": [
                    {"name": c.name, "value": round(c.value, 3), "weight": round(c.weight, 3)}
                    for c in params.unit.top_contributions(s.signals, _TOP_SIGNALS)
                ],
            }
        )
    refusal: dict[str, Any] | None = None
    if verdict.signals:
        refusal = {
            "probability": round(verdict.probability or 0.0, 3),
            "threshold": verdict.threshold,
            "bias": round(params.refuse.bias, 3),
            "signals": [
                {"name": c.name, "value": round(c.value, 3), "weight": round(c.weight, 3)}
                for c in params.refuse.contributions(verdict.signals)
            ],
        }
    return {
        "model": params.version,
        "query": ev.query,
        "spelling": [list(pair) for pair in ev.spelling],
        "language": ev.analysis.language,
        "answer_type": ev.analysis.answer_type,
        "rule": verdict.rule or None,
        "outcome": "refuse" if verdict.refuse else "answer",
        "reason": verdict.reason or None,
        "refusal": refusal,
        "units": units,
        # The two record fields the question most likely asks for (assistant.field_intent).
        "field_intent": [
            {"field": name, "probability": round(p, 3)}
            for name, p in sorted(getattr(ev, "field_intent", {}).items(), key=lambda kv: -kv[1])[:2]
        ],
    }


def explain(trace: dict[str, Any]) -> str:
    """A Dutch, readable account of a trace."""
    lines = [f"Waarom dit antwoord (model {trace.get('model') or '?'})"]
    lines.append(f"  Zoekvraag: {trace.get('query')}  [taal {trace.get('language')}, soort {trace.get('answer_type')}]")
    if trace.get("spelling"):
        read_as = ", ".join(f"‘{typed}’ als ‘{fixed}’" for typed, fixed in trace["spelling"])
        lines.append(f"  Spelling: gelezen {read_as} (woorden die de bronnen niet gebruiken).")
    if trace.get("field_intent"):
        asked = ", ".join(f"{f['field']} {f['probability']:.2f}" for f in trace["field_intent"])
        lines.append(f"  Gevraagd recordveld (geschat uit de vraag): {asked}")
    if trace.get("rule"):
        lines.append(f"  Vaste regel: {trace['rule']} -> weigeren ({trace.get('reason')}).")
        return "\n".join(lines)
    refusal = trace.get("refusal")
    if refusal:
        decided = "weigeren" if trace.get("outcome") == "refuse" else "antwoorden"
        lines.append(
            f"  Beslissing: {decided}: kans op 'staat niet in de bronnen' {refusal['probability']:.2f}"
            f" tegen drempel {refusal['threshold']:.2f}."
        )
        if trace.get("reason"):
            lines.append(f"  Belangrijkste reden: {trace['reason']}.")
        lines.append("  Signalen (waarde × gewicht = bijdrage; positief duwt naar weigeren):")
        for sig in refusal["signals"][: _TOP_SIGNALS + 2]:
            amount = sig["value"] * sig["weight"]
            lines.append(
                f"    {_label(sig['name']):<44} {sig['value']:>8.3f} × {sig['weight']:>7.3f} = {amount:>+7.3f}"
            )
        lines.append(f"    {'startwaarde':<44} {'':>8} {'':>9} = {refusal['bias']:>+7.3f}")
    lines.append("  Kandidaatzinnen (beste eerst):")
    for n, unit in enumerate(trace.get("units") or [], 1):
        mark = "*" if unit["chosen"] else " "
        lines.append(f"   {mark}{n}. score {unit['score']:+.3f}  {unit['source']}")
        lines.append(f"       “{unit['text']}”")
        parts = [f"{_label(s['name'])} {s['value']:.2f}×{s['weight']:.2f}" for s in unit["signals"][:4]]
        lines.append("       " + "; ".join(parts))
    lines.append("  (* = geciteerd)")
    return "\n".join(lines)
