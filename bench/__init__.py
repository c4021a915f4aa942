"""Benchmarks: ``python -m bench.run [--quick]`` measures, prints a table and writes JSON.

Importing any ``bench`` module first switches third-party libraries to offline mode.
"""

from kringwijs.offline import enforce_offline

enforce_offline()  # process start of every benchmark: before torch, transformers, chromadb, llama-index
