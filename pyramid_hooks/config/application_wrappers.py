"""The ``config.add_application_wrapper`` directive (placeholder)."""


def includeme(config):
    """Add ``config.add_application_wrapper``."""
