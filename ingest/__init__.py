"""Source files -> Documents -> chunks -> index. ``store`` is the one module that writes the index."""

from kringwijs import offline as _offline  # noqa: F401
