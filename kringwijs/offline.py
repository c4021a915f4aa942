"""Keep third-party libraries from reaching the network.

Imported for its side effect by every entry point *before* torch, transformers,
chromadb or llama-index are imported: those read these variables at import time.
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


def enforce_offline(allow_downloads: bool = False) -> None:
    """Set the offline switches unless the user explicitly allowed downloads."""
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


enforce_offline(downloads_allowed_from_env())
