"""controller_wrappers.rst and porting_turbogears.rst: controller wrappers."""

import copy
import logging
import time

from pyramid.config import Configurator
from pyramid.view import view_config

from pyramid_hooks import controller_wrapper

log = logging.getLogger(__name__)


def timing(next_caller, info):
    name = info.route_name or info.name

    def call(context, request):
        start = time.perf_counter()
        try:
            return next_caller(context, request)
        finally:
            log.info('%s took %.3fs', name, time.perf_counter() - start)

    return call


def api_only(next_caller, info):
    if not (info.route_name or '').startswith('api_'):
        return next_caller  # this view is not wrapped at all

    def call(context, request):
        result = next_caller(context, request)
        result['api_version'] = 2
        return result

    return call


def cached(seconds, max_entries=1000):
    def wrapper(next_caller, info):
        store = {}

        def call(context, request):
            key = request.path_qs
            now = time.monotonic()
            hit = store.get(key)
            if hit and hit[0] > now:
                # a copy: before_render listeners may change what they get
                return copy.copy(hit[1])
            result = next_caller(context, request)
            if len(store) >= max_entries:  # query strings are the client's
                store.clear()
            store[key] = (now + seconds, copy.copy(result))
            return result

        return call

    return wrapper


@view_config(route_name='report', renderer='json')
@controller_wrapper(cached(60))
def report(request):
    return {'generated_at': time.time()}


def status(request):
    return {'status': 'ok'}


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller_wrapper(timing)
    config.add_controller_wrapper(api_only)
    config.add_route('report', '/report')
    config.add_route('api_status', '/api/status')
    config.add_route('status', '/status')
    config.add_view(status, route_name='api_status', renderer='json')
    config.add_view(status, route_name='status', renderer='json')
    config.scan(__name__)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    logging.basicConfig(level=logging.INFO)
    serve(make_app(), listen='localhost:6543')
