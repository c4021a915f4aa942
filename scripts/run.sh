#!/usr/bin/env bash
# The main job: install, prepare the model, index the bundled knowledge, serve API + widget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> Gebundelde kennis indexeren"
.venv/bin/kringwijs ingest
echo "==> Voorbeeldvraag"
.venv/bin/kringwijs ask "Hoeveel geld is er in 2026 beschikbaar voor de uitvoeringsagenda?"
echo "==> API en widget op http://${KRINGWIJS_HOST:-127.0.0.1}:${KRINGWIJS_PORT:-8000}/ (Ctrl-C stopt)"
exec .venv/bin/kringwijs serve
