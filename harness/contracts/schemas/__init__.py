"""Vendored specification schemas (data files; see README.md for source and license)."""
