"""Keep third-party libraries from reaching the network.

Every entry point (``cli.main``, ``bench``, ``evals`` scripts, ``tests/conftest.py``) calls
:func:`enforce_offline` once at process start, *before* torch, transformers, chromadb or
llama-index are imported: those read these variables at import time. Importing this module
changes nothing, so a library user keeps control of their own environment.
"""

from __future__ import annotations

import os

_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def enforce_offline(allow_downloads: bool | None = None) -> None:
    """Set the offline switches unless downloads are allowed (default: ``KRINGWIJS_ALLOW_DOWNLOADS``)."""
    if allow_downloads is None:
        allow_downloads = downloads_allowed_from_env()
    for key, value in _OFFLINE.items():
        if allow_downloads and key in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"}:
            continue
        os.environ.setdefault(key, value)
    # llama-index falls back to downloading when these point elsewhere (see stack notes):
    # unset them so its bundled tiktoken/nltk caches are used.
    for key in ("TIKTOKEN_CACHE_DIR", "NLTK_DATA"):
        os.environ.pop(key, None)


def downloads_allowed_from_env() -> bool:
    """Read the one opt-in switch before Settings (and pydantic) are imported."""
    return os.environ.get("KRINGWIJS_ALLOW_DOWNLOADS", "").lower() in {"1", "true", "yes"}
