"""A Dutch ``argparse``: its translatable strings in Dutch, and "bedoelde u …?" on a wrong choice.

argparse marks every user-facing string with gettext (``_('usage: ')`` and so on) and looks
them up when it formats, so a catalogue installed before the parser is used is enough; no
private formatting code is copied.
"""

from __future__ import annotations

import argparse
import difflib
import gettext
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from rich.markup import escape

from cli.console import fail

# Python 3.11's argparse strings that a user can see, in Dutch.
_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "subcommands": "opdrachten",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "ignored explicit argument %r": "overbodige waarde %r genegeerd",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hooguit één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan %(matches)s zijn",
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde %(value)r (verwacht: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}
_DUTCH_PLURAL = {"expected %s argument": ("verwacht %s waarde", "verwacht %s waarden")}


class _Catalogue(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _DUTCH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if msgid1 in _DUTCH_PLURAL:
            one, many = _DUTCH_PLURAL[msgid1]
            return one if n == 1 else many
        return msgid1 if n == 1 else msgid2


def install_dutch() -> None:
    """Make argparse speak Dutch in this process (the CLI calls it at start)."""
    catalogue = _Catalogue()
    argparse._ = catalogue.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalogue.ngettext  # type: ignore[attr-defined]


def suggest(value: str, options: Iterable[str]) -> str | None:
    """The option closest to ``value`` (for "bedoelde u …?"), or None when nothing is close."""
    options = list(options)
    low = value.lower()
    # A prefix either way, also of the option's first word: "circulaire" -> "Circulair (inclusief biobased)".
    heads = [(o, o.lower(), (o.lower().split() or [""])[0]) for o in options]
    prefixed = [o for o, full, head in heads if full.startswith(low) or (head and low.startswith(head))]
    if prefixed and low:
        return prefixed[0]
    close = difflib.get_close_matches(low, [o.lower() for o in options], n=1, cutoff=0.6)
    return next((o for o in options if o.lower() == close[0]), None) if close else None


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """' Bedoelde u X?' or ''."""
    guess = suggest(value, options)
    return f" Bedoelde u {guess}?" if guess else ""


class DutchParser(argparse.ArgumentParser):
    """Dutch errors with a suggestion; ``epilog_factory`` builds an epilog only when help is shown
    (the criteria help lists the product groups, which needs the records)."""

    def __init__(self, *args: Any, epilog_factory: Callable[[], str] | None = None, **kwargs: Any) -> None:
        if epilog_factory is not None:  # a built list keeps its lines
            kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        self.epilog_factory = epilog_factory

    def format_help(self) -> str:
        if self.epilog_factory is not None:
            self.epilog = self.epilog_factory()
        return super().format_help()

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            hint = did_you_mean(str(value), choices)
            raise argparse.ArgumentError(action, f"ongeldige keuze '{value}' (kies uit {', '.join(choices)}).{hint}")

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        raise SystemExit(fail(escape(message), 2))
