"""Directives for extensible controllers (placeholder)."""


def includeme(config):
    """Add ``config.add_controller`` and ``config.add_controller_auth``."""
