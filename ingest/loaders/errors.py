"""The one error type loaders raise: its message is Dutch and shown to the user as is."""


class LoadError(Exception):
    """A file could not be read; ``str(error)`` explains why in plain Dutch."""
