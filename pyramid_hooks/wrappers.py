"""Application wrappers (placeholder until the wrappers issue lands)."""


class ApplicationWrapper:
    """Base class of application wrappers."""

    def __init__(self, next_handler, registry):
        self.next_handler = next_handler
        self.registry = registry
