"""Count the hand-written rules of the answer step: regexes, word lists and tuned constants.

Usage: ``python -m evals.rule_count [GIT-REV]`` (default: the working tree).

The answer step is the code between retrieval and the answer text: assistant/query.py,
evidence.py, refusal.py, scope.py, compose.py and spelling.py, plus the answering thresholds in
kringwijs/settings.py. Counted with the AST, so the figure is reproducible:

- regexes: calls to ``re.compile``, ``re.search``/``match``/``sub``/``findall``/``split`` with a
  literal pattern;
- word lists: set/list/tuple/dict literals holding three or more strings, and string literals of
  three or more words that are ``.split()`` into a list;
- tuned constants: numeric literals other than 0, 1, -1 and 2 (counts of "the best two" are not
  tuning), and the float fields of Settings' answering section.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

MODULES = ("query", "evidence", "refusal", "scope", "compose", "spelling")
_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "findall", "finditer", "split"}
_ANSWER_SETTINGS = ("min_", "max_answer", "max_list")


def _source(path: str, rev: str | None) -> str:
    if rev is None:
        file = Path(__file__).resolve().parent.parent / path
        return file.read_text(encoding="utf-8") if file.exists() else ""
    out = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True, check=False)
    return out.stdout if out.returncode == 0 else ""


def count_module(text: str) -> dict[str, int]:
    tree = ast.parse(text)
    regexes = words = constants = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            literal = bool(node.args) and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
            if isinstance(owner, ast.Name) and owner.id == "re" and node.func.attr in _RE_CALLS and literal:
                regexes += 1
            if node.func.attr == "split" and isinstance(owner, ast.Constant) and isinstance(owner.value, str):
                words += int(len(owner.value.split()) >= 3)
        elif isinstance(node, ast.Set | ast.List | ast.Tuple):
            strings = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            words += int(len(strings) >= 3)
        elif isinstance(node, ast.Dict):
            strings = [k for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            words += int(len(strings) >= 3 and all(isinstance(v, ast.Set | ast.List) for v in node.values))
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)
        ):
            constants += int(node.value not in (0, 1, -1, 2))
    return {"regexes": regexes, "word_lists": words, "constants": constants}


def count_settings(text: str) -> int:
    tree = ast.parse(text)
    found = 0
    for node in ast.walk(tree):
        named = isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        if named and node.target.id.startswith(_ANSWER_SETTINGS):
            found += 1
    return found


def count(rev: str | None = None) -> dict[str, int]:
    total = {"regexes": 0, "word_lists": 0, "constants": 0}
    for module in MODULES:
        text = _source(f"assistant/{module}.py", rev)
        if text:
            for key, value in count_module(text).items():
                total[key] += value
    total["constants"] += count_settings(_source("kringwijs/settings.py", rev))
    total["total"] = total["regexes"] + total["word_lists"] + total["constants"]
    return total


def main() -> int:
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    print(rev or "werkboom", count(rev))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
