"""One small module per group of endpoints."""
