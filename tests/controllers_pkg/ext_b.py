"""Another sibling extension of :class:`Shop`."""

from pyramid_hooks.controllers import route
from tests.controllers_pkg.base import Shop


class ShopB(Shop):
    @route()
    def index(self):
        self.record('B')
        return super().index() + '+b'
