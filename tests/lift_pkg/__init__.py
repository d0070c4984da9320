"""A view class whose decorated method a subclass of another module
lifts (``venusian.lift``), for ``tests/test_unscanned_decorators.py``."""
