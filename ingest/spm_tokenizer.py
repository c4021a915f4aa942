"""The e5 tokenizer as a SentencePiece model: the same token ids in a sixth of the memory.

Why: multilingual-e5-small has XLM-R's 250,002-piece Unigram vocabulary. The Hugging Face
``tokenizers`` library held it in 281 MB of each API worker (its Unigram trie), more than
the ONNX session itself, and took 1.7 s to load; SentencePiece holds the same pieces and
scores in about 50 MB and loads in 0.35 s. ``kringwijs model prepare`` writes the model from
the converted folder's ``tokenizer.json``; the pieces, their order (so their ids) and their
scores are copied as they are, so the Viterbi segmentation is the same. The tests compare
both tokenizers on every passage and question of the bundled corpus and datasets.

What ``tokenizer.json`` does around the Unigram model is redone here, in the same order:
NFKC, runs of spaces collapsed, a "▁" put before the text unless it starts with a space
(Metaspace, prepend "always"), ``<s>`` … ``</s>`` around it, truncated to 512 ids.

Usage::

    build_spm_model(folder / "tokenizer.json", folder / "tokenizer.spm.model")   # at prepare
    tokenizer = SpmTokenizer(folder / "tokenizer.spm.model")
    tokenizer.encode_batch(["query: hoeveel subsidie?"])   # [[0, …, 2]]
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BOS, PAD, EOS, UNK = 0, 1, 2, 3  # XLM-R's special ids, first in tokenizer.json's vocabulary
_SPACES = re.compile(" {2,}")
_LONE_SPACE = 6  # the id of "▁": what tokenizer.json makes of a text that is only a space


def build_spm_model(tokenizer_json: Path, out: Path) -> None:
    """Write a SentencePiece Unigram model with ``tokenizer_json``'s pieces, ids and scores.

    Normalisation is left to :class:`SpmTokenizer` ("identity" here): SentencePiece's own
    NFKC needs a compiled character map that ``tokenizer.json`` does not carry."""
    from sentencepiece import sentencepiece_model_pb2

    pb: Any = sentencepiece_model_pb2  # generated protobuf classes: no type information

    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    if data["model"]["type"] != "Unigram":
        raise ValueError(f"{tokenizer_json}: a Unigram model was expected, not {data['model']['type']}")
    special = {token["content"] for token in data.get("added_tokens", []) if token.get("special")}
    model = pb.ModelProto()
    model.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id = UNK
    # The specials keep their places in the vocabulary, but SentencePiece must not add them
    # itself: SpmTokenizer puts <s> and </s> around the ids, as tokenizer.json's template does.
    model.trainer_spec.bos_id = model.trainer_spec.eos_id = model.trainer_spec.pad_id = -1
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = True
    model.normalizer_spec.remove_extra_whitespaces = False
    model.normalizer_spec.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    for piece, score in data["model"]["vocab"]:
        entry = model.pieces.add()
        entry.piece, entry.score = piece, score
        entry.type = kinds.UNKNOWN if piece == "<unk>" else kinds.CONTROL if piece in special else kinds.NORMAL
    out.write_bytes(model.SerializeToString())


class SpmTokenizer:
    """Token ids for the e5 encoder, as ``tokenizer.json`` with truncation to ``max_tokens``."""

    pad_id = PAD

    def __init__(self, model_file: Path, max_tokens: int = 512) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self.max_tokens = max_tokens

    @staticmethod
    def normalise(text: str) -> str:
        text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text))
        # Metaspace turns a leading space into the "▁" it would otherwise prepend.
        return text[1:] if text.startswith(" ") else text

    def encode_batch(self, texts: Sequence[str], max_tokens: int | None = None) -> list[list[int]]:
        """Ids with ``<s>``/``</s>``, truncated to ``max_tokens`` (at most the model's own limit)."""
        normalised = [self.normalise(t) for t in texts]
        pieces = self._sp.encode(normalised) if normalised else []
        room = min(max_tokens or self.max_tokens, self.max_tokens) - 2
        out = []
        for original, ids in zip(texts, pieces, strict=True):
            if not ids and original.strip(" ") == "" and original:
                ids = [_LONE_SPACE]
            out.append([BOS, *ids[:room], EOS])
        return out
