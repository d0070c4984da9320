"""Extensible controllers (placeholder until the controllers issue)."""
