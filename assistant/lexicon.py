"""The small closed vocabularies that question analysis, evidence, refusal and verification share.

One definition each, so a word added for one step counts for all of them: Dutch (and English)
number words, the year pattern, question words and the Dutch month names.
"""

from __future__ import annotations

import re

from knowledge.dutch import MONTHS_NL

# Dutch month names, in order: for dates in answers and for telling "16 december" from a count.
MONTHS: list[str] = list(MONTHS_NL)

# A calendar year as the sources write it (1900-2099). Compose it into patterns with the
# boundaries a step needs: YEAR_RE for words, YEAR_IN_FIGURES inside amounts ("2.025.000" is no year).
YEAR = r"(?:19|20)\d\d"
YEAR_RE = re.compile(rf"\b({YEAR})\b")
YEAR_IN_FIGURES = re.compile(rf"(?<![\d.,]){YEAR}(?![\d.,]\d)")

# Number words with their value. "een"/"one" are not here: they are articles far more often
# than numbers; English "ten" neither: Dutch uses it in "ten laste van", "ten minste".
NUMBER_VALUES: dict[str, int] = {
    **dict.fromkeys(["twee", "two"], 2),
    **dict.fromkeys(["drie", "three"], 3),
    **dict.fromkeys(["vier", "four"], 4),
    **dict.fromkeys(["vijf", "five"], 5),
    **dict.fromkeys(["zes", "six"], 6),
    **dict.fromkeys(["zeven", "seven"], 7),
    **dict.fromkeys(["acht", "eight"], 8),
    **dict.fromkeys(["negen", "nine"], 9),
    "tien": 10,
    **dict.fromkeys(["elf", "eleven"], 11),
    **dict.fromkeys(["twaalf", "twelve"], 12),
    **dict.fromkeys(["twintig", "twenty"], 20),
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    **dict.fromkeys(["honderd", "hundred"], 100),
}
# Words that state a count without an exact value ("tientallen projecten", "de helft").
COUNT_WORDS: frozenset[str] = frozenset(
    {"één", "duizend", "tiental", "tientallen", "honderden", "duizenden", "dozijn", "helft", "kwart", "enkele"}
)
# Every number word, for "is there a count in this passage?"
NUMBER_WORDS: frozenset[str] = frozenset(NUMBER_VALUES) | COUNT_WORDS

# Words that open or carry a question ("Hoeveel …", "Which …"), Dutch and English.
QUESTION_WORDS_NL: frozenset[str] = frozenset("hoeveel wanneer wie welke welk wat waarom hoe waar".split())
QUESTION_WORDS_EN: frozenset[str] = frozenset("how what when who which why where much many".split())
QUESTION_WORDS: frozenset[str] = QUESTION_WORDS_NL | QUESTION_WORDS_EN
