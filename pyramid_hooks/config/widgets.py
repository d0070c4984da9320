"""Directives for widget callbacks (placeholder)."""


def includeme(config):
    """Add ``config.add_widget`` and ``config.set_callback_authorization``."""
