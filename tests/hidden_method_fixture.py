"""A view class's method under a decorator that wraps it
(``functools.wraps``): a scan registers the listener for the function,
and the view's method is the wrapper
(``tests/test_unscanned_decorators.py``)."""

from pyramid_hooks import before_call
from tests.hidden_decorator_fixture import logged, quota


class Reports:
    def __init__(self, request):
        self.request = request

    @logged
    @before_call(quota)
    def monthly(self):
        return {'month': 1}
