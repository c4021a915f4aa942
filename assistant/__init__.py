"""Question -> retrieval -> evidence -> answer with citations."""

from kringwijs import offline as _offline  # noqa: F401
