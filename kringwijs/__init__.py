"""Kringwijs: offline Dutch retrieval assistant for Provincie Utrecht's circular-economy programme."""

from kringwijs import offline as _offline  # noqa: F401  (sets offline switches before heavy imports)

__version__ = "0.1.0"
