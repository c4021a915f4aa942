"""Benchmarks: ``python -m bench.run [--quick]`` measures, prints a table and writes JSON.

Importing any ``bench`` module first switches third-party libraries to offline mode.
"""

from kringwijs import offline  # noqa: F401  (before torch, transformers, chromadb, llama-index)
