"""Shorthands made once at the module's top level, each named as the
listener or wrapper it applies, scanned by ``tests/test_atk13.py``:
``stamp`` shadows this module's listener and decorates a view, ``timed``
applies another module's wrapper, for the views of other packages."""

from pyramid.view import view_config

from pyramid_hooks import before_render, controller_wrapper
from tests import atk13_wrappers_fixture as wrappers


def stamp(request, params, output):
    request.response.headers['X-Stamp'] = 'stamped'


stamp = before_render(stamp)
timed = controller_wrapper(wrappers.timed)


@stamp
@view_config(route_name='home', renderer='string')
def home(request):
    return 'home'
