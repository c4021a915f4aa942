"""Source files -> Documents -> chunks -> index. ``store`` is the one module that writes the index."""
