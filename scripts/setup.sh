#!/usr/bin/env bash
# Install Kringwijs into .venv (idempotent). torch is pinned to the local CPU wheel first:
# an unpinned torch would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> Virtuele omgeving aanmaken (.venv)"
  "$PY" -m venv .venv
fi
echo "==> Pakketten installeren (eerst torch==2.13.0, CPU)"
.venv/bin/pip install -q --disable-pip-version-check torch==2.13.0
.venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"
echo "==> Embeddingmodel voorbereiden (eenmalig, gecontroleerd met sha256)"
.venv/bin/kringwijs model prepare
