"""``kringwijs`` command line: the parser and the entry point.

Every command asks the assistant/knowledge layers; none touches the index directly. Errors are
shown as Dutch sentences, never as stack traces. Heavy modules are imported inside the commands,
after the offline switches are set (``kringwijs.offline``), so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from cli.console import fail
from cli.parser import DutchParser, install_dutch
from kringwijs.offline import enforce_offline
from kringwijs.settings import get_settings
from kringwijs.types import Audience, Mode

# The labelled cases `kringwijs fit` reads by default (evals/datasets, beside this package).
_DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"


# --- commands that hand over to another interface ---------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from api.server import serve
    from cli.common import settings_for

    settings = settings_for(args).model_copy(update={"host": args.host, "port": args.port})
    return serve(settings)


def cmd_tui(args: argparse.Namespace) -> int:
    from cli.common import settings_for
    from tui.app import run_tui

    return run_tui(settings_for(args), api_url=args.api, api_key=args.key)


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command whose module (and its heavy imports) loads only when it runs."""

    def run(args: argparse.Namespace) -> int:
        from importlib import import_module

        return int(getattr(import_module(module), name)(args) or 0)

    return run


# --- parser -----------------------------------------------------------------
AUDIENCES = [a.value for a in Audience]
AUDIENCE_HELP = "public: alleen openbare bronnen (standaard); internal: ook interne"
MODES = [m.value for m in Mode]
MODE_HELP = "extractive: citeren uit de bronnen (standaard); llm: lokaal taalmodel, gecontroleerd"


def build_parser() -> argparse.ArgumentParser:
    parser = DutchParser(prog="kringwijs", description="Kringwijs: vraag het de bronnen.")
    sub = parser.add_subparsers(dest="command", required=True, title="opdrachten", metavar="OPDRACHT")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    model = sub.add_parser("model", help="Taalmodellen beheren")
    model_sub = model.add_subparsers(dest="model_command", required=True, title="opdrachten", metavar="OPDRACHT")
    prep = model_sub.add_parser("prepare", help="Zet het gebundelde embeddingmodel om (eenmalig, idempotent)")
    prep.add_argument("--llm", action="store_true", help="Stel ook het lokale LLM (GGUF) samen")
    prep.add_argument("--force", action="store_true", help="Opnieuw omzetten, ook als het model er al is")
    prep.set_defaults(func=_lazy("cli.index", "cmd_model_prepare"))

    from ingest.report_text import BUNDLED_HELP, INGEST_HELP, PATHS_HELP, REBUILD_HELP

    p = sub.add_parser("ingest", help="Bestanden toevoegen aan de index of bijwerken", description=INGEST_HELP)
    p.set_defaults(func=_lazy("cli.index", "cmd_ingest"))
    p.add_argument("paths", nargs="*", metavar="PAD", help=PATHS_HELP)
    p.add_argument("--rebuild", action="store_true", help=REBUILD_HELP)
    p.add_argument("--bundled", action=argparse.BooleanOptionalAction, default=None, help=BUNDLED_HELP)

    p = add("ask", _lazy("cli.ask", "cmd_ask"), "Een vraag stellen")
    p.add_argument("question", metavar="VRAAG", help="de vraag, tussen aanhalingstekens")
    p.add_argument("--json", action="store_true", help="het volledige antwoord als JSON (het API-contract)")
    p.add_argument("--audience", choices=AUDIENCES, default="public", help=AUDIENCE_HELP)
    p.add_argument("--mode", choices=MODES, help=MODE_HELP)
    p.add_argument(
        "--history",
        metavar="BESTAND",
        help='JSON-bestand met eerdere beurten: een lijst van {"role": "user" of "assistant", "content": tekst}',
    )
    p.add_argument("--explain", action="store_true", help="toon waarom: de signalen, hun gewichten en de drempel")

    p = add("search", _lazy("cli.ask", "cmd_search"), "Passages zoeken")
    p.add_argument("query", metavar="ZOEKTEKST", help="waar de passages over moeten gaan")
    p.add_argument("--k", type=int, metavar="AANTAL", default=10, help="hoeveel passages (standaard 10)")
    p.add_argument("--json", action="store_true", help="de passages als JSON")
    p.add_argument("--audience", choices=AUDIENCES, default="public", help=AUDIENCE_HELP)

    p = add("status", _lazy("cli.ask", "cmd_status"), "Stand van de index")
    p.add_argument("--json", action="store_true", help="de stand als JSON")

    p = add("eval", _lazy("cli.eval", "cmd_eval"), "Evaluatie op een gold set draaien")
    p.add_argument(
        "--dataset", action="append", required=True, metavar="PAD", help="JSONL-bestand of map (herhaalbaar)"
    )
    p.add_argument("--mode", choices=MODES, help=MODE_HELP)
    p.add_argument("--json", dest="json_out", metavar="BESTAND", help="Schrijf resultaten als JSON naar dit bestand")
    p.add_argument("--baselines", action="store_true", help="Ook de naïeve baselines draaien")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="Alleen de eerste N vragen (snel proberen)")

    p = add("fit", _lazy("cli.fit", "cmd_fit"), "De antwoordbeslissing opnieuw fitten op de gelabelde vragen")
    p.add_argument("--train", nargs="+", default=[str(_DATASETS / "users" / "train")], help="trainingsvragen")
    p.add_argument("--dev", nargs="+", default=[str(_DATASETS / d) for d in ("users/dev", "dev")], help="keuzevragen")
    p.add_argument("--out", help="schrijf de parameters hierheen (standaard: assistant/params/decision.json)")
    only = p.add_mutually_exclusive_group()
    only.add_argument(
        "--field-intent",
        action="store_true",
        help="alleen het veldmodel en zijn gewicht fitten; de overige parameters blijven zoals ze zijn",
    )
    only.add_argument(
        "--refusal",
        action="store_true",
        help="alleen het beantwoordbaarheidsmodel en het weigermodel fitten; welke zin geciteerd wordt blijft gelijk",
    )

    p = add("serve", cmd_serve, "API en widget starten")
    p.add_argument("--host", default=get_settings().host, metavar="ADRES", help="adres om op te luisteren")
    p.add_argument("--port", type=int, default=get_settings().port, metavar="POORT", help="poort")
    p.add_argument("--mode", choices=MODES, help=MODE_HELP)

    p = add("tui", cmd_tui, "Terminalinterface voor het programmateam")
    p.add_argument("--api", metavar="URL", help="URL van een draaiende Kringwijs-server")
    p.add_argument("--key", metavar="SLEUTEL", help="API-sleutel voor interne inhoud")
    p.add_argument("--mode", choices=MODES, help=MODE_HELP)

    knowledge = sub.add_parser("knowledge", help="Kennisrecords beheren")
    knowledge_sub = knowledge.add_subparsers(
        dest="knowledge_command", required=True, title="opdrachten", metavar="OPDRACHT"
    )
    check = knowledge_sub.add_parser("check", help="Alle criteria, subsidies en regels valideren")
    check.add_argument("--root", metavar="MAP", help="Map met kennisrecords (standaard: de gebundelde)")
    check.add_argument("--strict", action="store_true", help="Waarschuwingen (verouderde records) laten falen")
    check.set_defaults(func=_lazy("cli.knowledge", "cmd_knowledge_check"))

    from cli.criteria import add_arguments, groups_epilog

    p = sub.add_parser(
        "criteria",
        help="MVOI-criteria zoeken en exporteren",
        description="MVOI-criteria zoeken en exporteren (Word of Markdown), met dezelfde filters.",
        epilog_factory=groups_epilog,
    )
    p.set_defaults(func=_lazy("cli.criteria", "criteria_command"))
    add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Process start: keep third-party libraries off the network before any of them is imported.
    enforce_offline()
    install_dutch()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return fail("Afgebroken.", 130)
    except Exception as exc:
        from assistant.index import IndexMissingError
        from ingest.loaders.errors import LoadError
        from ingest.model_prep import ModelError

        if isinstance(exc, IndexMissingError | ModelError | LoadError):
            return fail(str(exc))
        if get_settings().debug:
            raise
        return fail(
            f"Er ging iets onverwachts mis ({type(exc).__name__}: {exc}). "
            "Zet KRINGWIJS_DEBUG=1 voor technische details."
        )


if __name__ == "__main__":
    sys.exit(main())
