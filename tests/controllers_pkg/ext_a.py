"""A sibling extension of :class:`Shop`."""

from pyramid_hooks.controllers import route
from tests.controllers_pkg.base import Shop


class ShopA(Shop):
    @route()
    def index(self):
        self.record('A')
        return super().index() + '+a'
