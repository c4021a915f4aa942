#!/usr/bin/env bash
# The test command: lint, validate the knowledge records, then the full pytest suite
# (real model, real Chroma, eval gate on the dev split). Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False TOKENIZERS_PARALLELISM=false
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> kennisrecords valideren"
.venv/bin/kringwijs knowledge check
echo "==> pytest"
.venv/bin/pytest -q "$@"
