"""What several commands share: the settings with command-line overrides, the assistant."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kringwijs.settings import Settings, get_settings

if TYPE_CHECKING:
    from assistant.service import Assistant


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings, with ``--mode`` applied when given."""
    settings = get_settings()
    mode = getattr(args, "mode", None)
    return settings.model_copy(update={"mode": mode}) if mode else settings


def assistant_for(settings: Settings) -> Assistant:
    """For ``ask``, ``search`` and ``status``: one question (or none), then exit."""
    from assistant.service import Assistant

    return Assistant(settings, memory_copy=False)
