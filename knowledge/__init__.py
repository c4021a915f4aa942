"""Kringwijs knowledge: typed, sourced records (criteria, guidance, subsidies, regulations)."""
