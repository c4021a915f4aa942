"""Questions Kringwijs must not answer from its sources, whatever the retrieval finds.

- Instructions to the system ("negeer je instructies", "print your system prompt") and
  requests for a different job ("schrijf een gedicht"): Kringwijs answers questions from its
  sources, nothing else.
- Questions about a thing the knowledge base has never heard of: "Wie is de burgemeester van
  Utrecht?" retrieves plenty about Utrecht, but no source contains "burgemeester". Users
  paraphrase, so an unknown word alone is not enough: it must be what the question asks
  about (its focus: "Hoeveel windmolens …", "Wat is het e-mailadres van …"), or the only
  specific word in it.
"""

from __future__ import annotations

import re
from typing import Protocol

from assistant.evidence import COMMON_STEMS, TYPE_STEMS
from assistant.glossary import dutch_words
from assistant.text import DUTCH_STOP, content_stems, fold, words


class Vocabulary(Protocol):
    """What the corpus knows (ingest.bm25.BM25Index)."""

    def knows(self, word: str) -> bool: ...

    def ends_in(self, tail: str) -> bool: ...


_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet|ignore|forget|disregard)\b.{0,60}\b(instructies?|instructions?|bronnen|sources|regels|rules|"
    r"prompt|opdracht)\b|\b(system ?prompt|systeemprompt|jailbreak|zonder beperkingen|without (any )?restrictions|"
    r"je bent nu|you are now|doe alsof|pretend)\b",
    re.IGNORECASE,
)
# An imperative ("Schrijf een gedicht …"), or a polite request for a piece of writing that is
# not a question for the sources ("kun je een gedicht / LinkedIn-post schrijven", "can you write
# a poem"); "kun je uitleggen hoe ik een aanvraag schrijf" stays a question.
_OTHER_JOB = re.compile(
    r"^\s*(schrijf|dicht|componeer|vertaal|genereer|programmeer|verzin|write|compose|translate|generate|invent)\b|"
    r"^\s*(kun|kan|kunt|wil|zou|could|can|would|will)\s+(je|jij|u|you)\b.{0,40}\b(gedicht(je|en)?|liedje|lied|"
    r"verhaal(tje)?|grap(je)?|mop(je)?|linkedin|tweet|essay|opstel|rap|haiku|limerick|poem|story|joke|song)\b",
    re.IGNORECASE,
)

# What a question asks about, by its shape. ASKED_THING: the sources must mention it for an
# answer ("Hoeveel medewerkers …", "Wie is de directeur van …", "Hoe hoog is de boete …").
# SUBJECT adds shapes whose attribute the sources often word differently ("Wat is de
# looptijd van …" is answered by "drie jaar"): used only for words the corpus never uses.
_ASKED_THING = [
    re.compile(r"^(?:met |bij |in |voor |aan |op )?hoeveel ([\w-]+)(?: ([\w-]+))?", re.I),
    re.compile(r"^wie (?:is|was|zijn|waren) (?:de|het) ([\w-]+)", re.I),
    re.compile(r"^(?:hoe hoog|hoe groot) (?:is|was|zijn|waren) (?:de|het) ([\w-]+)", re.I),
]
_ASKED_THING_EN = [
    re.compile(r"^how many ([\w-]+)", re.I),
    re.compile(r"^who (?:is|was|are|were) the ([\w-]+)", re.I),
]
_SUBJECT = [
    *_ASKED_THING,
    re.compile(r"^wat (?:is|was|zijn|waren) (?:de|het) ([\w-]+) (?:van|voor|bij)\b", re.I),
    re.compile(r"^(?:welke|welk) ([\w-]+)(?: ([\w-]+))?", re.I),
]
# "Hoeveel bedraagt …": a verb, not the thing asked about.
_VERBS = set(
    "bedraagt bedragen kost kosten is zijn was waren krijgt krijgen kreeg kregen wordt worden werd heeft hebben had "
    "gaat gaan zet zetten komt komen staat staan geeft geven levert leveren moet moeten mag mogen kan kunnen wil "
    "willen".split()
)
# "Met hoeveel procent …": words that ask for a kind of answer, not name a subject.
_ANSWER_WORDS = TYPE_STEMS | COMMON_STEMS


def off_task(question: str) -> str:
    """Why the question is not a question for the sources at all, or ''."""
    if not any(ch.isalpha() for ch in question):
        return "geen vraag: er staat geen woord in"  # "0", "?!", "2026": nothing to look up
    if _INSTRUCTION.search(question):
        return "een instructie aan het systeem, geen vraag over de bronnen"
    if _OTHER_JOB.search(question):
        return "een opdracht, geen vraag over de bronnen"
    return ""


def asked_thing(question: str, language: str = "nl") -> list[str]:
    """The words naming what is asked about ("medewerkers" in "Hoeveel medewerkers …").

    For English questions, the glossary's Dutch words ("people" -> "mensen", "medewerkers",
    "personen"); an English word without a glossary entry cannot be checked and is skipped."""
    if language == "en":
        return [nl for word in _match(_ASKED_THING_EN, question) for nl in dutch_words(word)]
    return _match(_ASKED_THING, question)


def _match(patterns: list[re.Pattern[str]], question: str) -> list[str]:
    for pattern in patterns:
        match = pattern.match(question.strip())
        if match:
            found = [w for w in match.groups() if w and w.lower() not in _VERBS]
            # "hoeveel succesvolle projecten": the second word only after an adjective.
            found = found[:2] if found and found[0].lower().endswith("e") else found[:1]
            return [w for w in found if content_stems(w) and not set(content_stems(w)) & _ANSWER_WORDS]
    return []


def unseen_words(question: str, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """Words of the question the corpus never uses, as (subjects, others).

    subjects: unknown even as a compound, and what the question is about (in a subject
    position, or the only specific word): the question is out of scope.
    others: unknown words (or new compounds of known words, "kernenergie") right after an
    article, determiner or preposition: a weak sign on its own, since users paraphrase; the
    refusal check combines it with a weak semantic match (assistant.refusal).
    """
    tokens = words(question)
    subject_words = {fold(w) for w in _match(_SUBJECT, question)}
    unseen = {w: known_compound(w.lower().replace("-", ""), vocab) for w in tokens if _unseen(w, vocab)}
    if not unseen:
        return [], []
    specific = {s for w in tokens if w not in unseen for s in content_stems(w) if s not in _ANSWER_WORDS} - {
        s for w in unseen for s in content_stems(w)
    }
    subjects = [w for w, compound in unseen.items() if not compound and (fold(w) in subject_words or not specific)]
    # A compound with a long known head ("verpakkings|eis") specifies a known thing; one of
    # two short known words ("kern|energie") may well be a new subject.
    others = [
        w
        for i, w in enumerate(tokens)
        if w in unseen
        and w not in subjects
        and i > 0
        and fold(tokens[i - 1]) in _NOUN_LEAD
        and _compound_head(w.lower().replace("-", ""), vocab) < 6
    ]
    return subjects, others


# Words after which the next word names a thing.
_NOUN_LEAD = {
    "de", "het", "een", "welke", "welk", "hoeveel", "deze", "die", "dit", "voor", "van", "over", "met",
    "in", "op", "aan", "bij", "naar", "mijn", "onze", "uw",
}  # fmt: skip


def unseen_share(question: str, vocab: Vocabulary) -> float:
    """The share of the question's checkable words that the sources never use: a measurement
    for the refusal model (a typo makes one word of six unknown; "wie wint de verkiezingen"
    two of four)."""
    checkable = [w for w in words(question) if _checkable(w)]
    return sum(not known_word(w, vocab) for w in checkable) / len(checkable) if checkable else 0.0


def _checkable(word: str) -> bool:
    folded = fold(word)
    if len(folded) < 4 or folded in DUTCH_STOP or any(ch.isdigit() for ch in folded) or word[:1].isupper():
        return False  # short words, numbers and names are checked elsewhere (assistant.query)
    stems = set(content_stems(word))
    return bool(stems) and not stems & _ANSWER_WORDS


def known_word(word: str, vocab: Vocabulary) -> bool:
    return vocab.knows(word.lower()) or vocab.knows(fold(word))


def _unseen(word: str, vocab: Vocabulary) -> bool:
    return _checkable(word) and not known_word(word, vocab)


def known_compound(word: str, vocab: Vocabulary) -> bool:
    return _compound_head(word, vocab) > 0


def _compound_head(word: str, vocab: Vocabulary) -> int:
    """Length of the longest known head of a compound, 0 if it is none.

    Dutch glues nouns together: "vergunningaanvragers" is about a known "vergunning",
    "jaarbudget" is "jaar" + "budget". A known head of six letters or more sets the topic
    when a real word follows ("direct" + "eur" is not a compound); a shorter one needs a
    known tail (with or without a linking s or e)."""
    best = 0
    for i in range(4, len(word) - 2):
        head, tail = word[:i], word[i:]
        if not vocab.knows(head):
            continue
        linked = tail[1:] if tail[0] in "se" and len(tail) >= 4 else ""
        if (i >= 6 and len(tail) >= 4) or _known_tail(tail, vocab) or (linked and _known_tail(linked, vocab)):
            best = i
    return best


def _known_tail(tail: str, vocab: Vocabulary) -> bool:
    # "startkapitaal": "kapitaal" occurs only inside "aandelenkapitaal", which is enough.
    return vocab.knows(tail) or (len(tail) >= 5 and vocab.ends_in(tail))
