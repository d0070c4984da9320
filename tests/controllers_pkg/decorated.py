"""A controller whose handler carries a scanned pipeline-hook decorator."""

from pyramid_hooks import before_call
from pyramid_hooks.controllers import Controller, route


def stamp(request, params):
    params['stamp'] = 'scanned'


class Stamped(Controller):
    @before_call(stamp)
    @route('/stamped', auth='public')
    def stamped(self, stamp='-'):
        return stamp
