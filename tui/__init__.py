"""Textual terminal UI for the programme staff: ask, read sources, browse criteria, see gaps.

Start it with ``kringwijs tui`` (local index) or ``kringwijs tui --api URL --key KEY``.
"""
