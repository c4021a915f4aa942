"""Kringwijs: offline Dutch retrieval assistant for Provincie Utrecht's circular-economy programme."""

__version__ = "0.1.0"
