"""An extension that restricts :class:`Shop` to users (not activated
unless scanned)."""

from pyramid_hooks.controllers import route
from tests.controllers_pkg.base import Shop


class ShopRestricted(Shop):
    @route(auth='user')
    def index(self):
        return super().index()
