"""The dependency's controller."""

from tests.ports.pluggable_sample.dependency import includeme  # noqa: F401
