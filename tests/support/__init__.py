"""Helpers shared by the tests (and the benchmarks): servers in subprocesses, small knowledge files.

Tests import them as ``support.<module>`` (``tests/`` is on the path through its conftest);
the benchmarks as ``tests.support.<module>``.
"""
