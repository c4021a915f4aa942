"""The ``kringwijs`` command line: every command, beside the other interfaces (api/, tui/)."""
