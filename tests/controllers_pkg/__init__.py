"""Fixture package for the controller tests: controllers activated by
``config.scan()`` module by module, and shared test support."""
