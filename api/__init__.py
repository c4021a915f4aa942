"""FastAPI app and the embeddable web widget: thin routes over ``assistant/`` and ``knowledge/``."""
