"""A base controller, activated by scanning this module."""

from pyramid_hooks.controllers import Controller, route


class Shop(Controller):
    @route('/shop', auth='public')
    def index(self):
        self.record('Shop')
        return 'shop'

    def record(self, who):
        self.request.registry.settings.setdefault('calls', []).append(who)
