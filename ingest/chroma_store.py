"""How Kringwijs talks to Chroma: embedded ``PersistentClient`` or a Chroma server.

Vectors are always computed by Kringwijs' own ``Embedder`` (never Chroma's default
embedding function, which would try to download an English ONNX model).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings

from ingest.loaders.errors import LoadError
from kringwijs.settings import Settings

CHUNKS = "chunks"
SENTENCES = "sentences"


class KringwijsEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma-facing wrapper around ``ingest.embedder.Embedder`` (passage side)."""

    def __init__(self, embedder: Any = None) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            raise RuntimeError("geen embedder gekoppeld")
        return list(self._embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        if self._embedder is None:
            raise RuntimeError("geen embedder gekoppeld")
        return [self._embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "kringwijs"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> KringwijsEmbeddingFunction:
        return KringwijsEmbeddingFunction()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_client(settings: Settings, folder: Path | None) -> chromadb.ClientAPI:
    """A server client when ``chroma_url`` is set, otherwise an embedded one at ``folder``."""
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=_chroma_settings(),
        )
    assert folder is not None
    return chromadb.PersistentClient(path=str(folder), settings=_chroma_settings())


def collection_name(base: str, generation: str | None, settings: Settings) -> str:
    # A shared server holds every generation side by side; the name carries it.
    if settings.chroma_url and generation:
        return f"kw-{generation}-{base}"
    return base


class ServerIndexMissingError(LoadError):
    """The Chroma server lacks a generation's collections (wiped, restored from an older backup,
    or another server). Reported like a load error: a Dutch message, no stack trace."""


def existing_collection(client: chromadb.ClientAPI, name: str, settings: Settings, generation: str):
    """Server mode: a generation's collection must exist; never create an empty one silently."""
    try:
        # chromadb types the function as generic over images too; ours embeds text only.
        return client.get_collection(name=name, embedding_function=KringwijsEmbeddingFunction())  # type: ignore[arg-type]
    except (chromadb.errors.NotFoundError, ValueError) as exc:
        raise ServerIndexMissingError(
            f"De Chroma-server op {settings.chroma_url} heeft de vectoren van indexgeneratie {generation} niet "
            "(leeggemaakt, een oude back-up of een andere server?). Bouw de index opnieuw op met: "
            "kringwijs ingest --rebuild"
        ) from exc


def get_collection(client: chromadb.ClientAPI, name: str, settings: Settings, embedder: Any = None):
    return client.get_or_create_collection(
        name=name,
        embedding_function=KringwijsEmbeddingFunction(embedder),  # type: ignore[arg-type]  # text only
        metadata={"hnsw:space": "cosine", "hnsw:search_ef": settings.hnsw_search_ef, "hnsw:construction_ef": 200},
    )
