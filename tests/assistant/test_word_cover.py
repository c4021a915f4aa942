"""The compound-word test behind the unit and refusal signals (``assistant.evidence.covered``):
is a question word found in a text's words, allowing for Dutch compounds and spelling?"""

from __future__ import annotations

from assistant.evidence import covered


def test_compounds_plurals_and_linking_letters_are_covered() -> None:
    assert covered("verpakkingseis", {"verpakking", "eis"})
    assert covered("isv-risicocategorie", {"isv", "risicocategorie"})
    assert covered("expertcommunity", {"experts"})  # a plural -s the stemmer kept
    assert covered("vergunningaanvrag", {"vergunningsaanvrag"})  # one linking letter
    assert covered("kringweg", {"krinweg"})  # the shortest pair the letter test allows: 8 and 7


def test_other_words_are_not_covered() -> None:
    assert not covered("vergunningaanvrag", {"vergunningsaanvragen"})  # two letters apart
    assert not covered("kringwe", {"krinwe"})  # under eight letters a word must match more closely
    assert not covered("fiets", {"auto", "bus", "trein"})
    assert not covered("fiets", set())
