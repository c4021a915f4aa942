"""Dutch BM25 (bm25s + Snowball stemmer + Dutch stopwords), persisted beside the vectors."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

IDS_FILE = "ids.json"
# bm25s's default token pattern: words of two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(STOPWORDS_DUTCH)


def tokenize(texts: list[str]):
    import bm25s

    return bm25s.tokenize(texts, stopwords="nl", stemmer=_stemmer(), show_progress=False)


def build(ids: list[str], texts: list[str], folder: Path) -> None:
    import bm25s

    folder.mkdir(parents=True, exist_ok=True)
    if texts:  # an empty BM25 cannot be saved; the reader treats "no ids" as empty
        retriever = bm25s.BM25()
        retriever.index(tokenize(texts), show_progress=False)
        retriever.save(str(folder))
    (folder / IDS_FILE).write_text(json.dumps(ids), encoding="utf-8")


class Vocabulary:
    """The indexed (stemmed) terms of some documents: "does the corpus use this word?"."""

    def __init__(
        self,
        terms: set[str] | frozenset[str] | dict[str, int] | None,
        counts: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        self._terms = terms  # None: nothing to judge by (an empty index knows everything)
        # Term -> number of documents that hold it, made on first use: only the spelling step
        # needs it, and an index opened for one question should not pay for it.
        self._count_terms = counts
        self._counts: dict[str, int] | None = None
        self._reversed: list[str] | None = None  # reversed words, for ends_in

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> Vocabulary:
        """The terms with their document counts, both known already."""
        return cls(counts, lambda: counts)

    def frequency(self, word: str) -> int:
        """In how many documents the sources use ``word`` (stemmed as indexed); 0 if never.
        Spelling correction prefers the commoner of two candidate words."""
        if self._terms is None or self._count_terms is None:
            return 0
        if self._counts is None:
            self._counts = self._count_terms()
        form = word.lower()
        stem = _stemmer().stemWord(form)
        return max(self._counts.get(form, 0), self._counts.get(stem, 0))

    def __len__(self) -> int:
        return len(self._terms or ())

    def knows(self, word: str) -> bool:
        """Does the corpus contain ``word``, tokenised and stemmed as bm25s indexed it?

        The Dutch Snowball stemmer keeps a plural -s ("experts" stays "experts"), so the
        singular and the plural both count."""
        parts = _TOKEN.findall(word.lower())
        if not parts or self._terms is None:
            return True  # nothing to judge by
        vocab = self._terms
        stemmer = _stemmer()

        def known(p: str) -> bool:
            # Stopwords were never indexed: they are "known", they just carry no meaning.
            forms = {p, p + "s", p[:-1] if p.endswith("s") else p}
            return p in _stopwords() or any(f in vocab or stemmer.stemWord(f) in vocab for f in forms)

        return all(known(p) for p in parts)

    def ends_in(self, tail: str) -> bool:
        """Does some corpus word end in ``tail`` ("kapitaal" in "aandelenkapitaal")?"""
        if self._terms is None:
            return True
        if self._reversed is None:
            self._reversed = sorted(w[::-1] for w in self._terms)
        for form in {tail.lower(), _stemmer().stemWord(tail.lower())}:
            key = form[::-1]
            at = bisect.bisect_left(self._reversed, key)
            if at < len(self._reversed) and self._reversed[at].startswith(key):
                return True
        return False


class BM25Index:
    """Read side: ``search`` returns (chunk id, score) pairs, best first."""

    def __init__(self, folder: Path) -> None:
        import bm25s

        self.ids: list[str] = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
        self._retriever = bm25s.BM25.load(str(folder)) if self.ids else None
        self.vocabulary = Vocabulary(
            self._retriever.vocab_dict if self._retriever else None,
            lambda: self._document_counts(np.ones(len(self.ids), dtype=bool)),
        )

    def _document_counts(self, keep: np.ndarray) -> dict[str, int]:
        """Per term, how many of the kept documents hold it (column t of the CSC score
        matrix lists the documents that hold term t)."""
        assert self._retriever is not None
        scores = self._retriever.scores
        indptr, docs = np.asarray(scores["indptr"]), np.asarray(scores["indices"])
        running = np.concatenate(([0], np.cumsum(keep[docs], dtype=np.int64)))
        counts = running[indptr[1:]] - running[indptr[:-1]]
        # bm25s's vocabulary also holds the empty token, which has no column.
        return {w: int(counts[t]) for w, t in self._retriever.vocab_dict.items() if t < len(counts) and counts[t] > 0}

    def knows(self, word: str) -> bool:
        """Is ``word`` in the vocabulary of all documents (see :class:`Vocabulary`)?"""
        return self.vocabulary.knows(word)

    def ends_in(self, tail: str) -> bool:
        return self.vocabulary.ends_in(tail)

    def vocabulary_of(self, chunk_ids: set[str]) -> Vocabulary:
        """The terms that occur in these chunks only: read from the postings, no re-tokenising.

        An audience must not learn which words other audiences' documents use (the
        unknown-word refusal would otherwise tell an anonymous caller that an internal
        document mentions a word)."""
        if not self._retriever:
            return self.vocabulary
        keep = np.fromiter((cid in chunk_ids for cid in self.ids), dtype=bool, count=len(self.ids))
        if keep.all():
            return self.vocabulary
        return Vocabulary.from_counts(self._document_counts(keep))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if not self._retriever or not self.ids:
            return []
        tokens = tokenize([query])
        if not tokens.ids or not tokens.ids[0]:
            return []
        # bm25s keeps its own vocabulary; words it has never seen must be dropped first.
        vocab_inv = {v: k for k, v in tokens.vocab.items()}
        words = [vocab_inv[i] for i in tokens.ids[0]]
        known = [w for w in words if w in self._retriever.vocab_dict]
        if not known:
            return []
        k = min(k, len(self.ids))
        from bm25s.selection import topk

        # What ``retrieve`` does for one query, without the thread pool it starts on every call
        # (3 ms of a 25 ms ``ask``): score all documents, then the same numpy top-k.
        scores, docs = topk(self._retriever.get_scores(known), k, backend="numpy")
        out = []
        for idx, score in zip(np.asarray(docs), np.asarray(scores), strict=True):
            if score > 0:
                out.append((self.ids[int(idx)], float(score)))
        return out
