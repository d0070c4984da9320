"""Views decorated with shorthands made once at the module's top level,
each named as the listener or wrapper it applies (``docs/decorators``'
reusable decorator), scanned by ``tests/test_atk13.py``."""

from pyramid.view import view_config

from pyramid_hooks import before_render, controller_wrapper


def stamp(request, params, output):
    request.response.headers['X-Stamp'] = 'stamped'


def timed(next_caller):
    def call(context, request):
        request.response.headers['X-Timed'] = 'timed'
        return next_caller(context, request)

    return call


stamp = before_render(stamp)
timed = controller_wrapper(timed)


@stamp
@timed
@view_config(route_name='home', renderer='string')
def home(request):
    return 'home'
