"""application_wrappers.rst: two application wrappers."""

import time

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.settings import asbool

from pyramid_hooks import ApplicationWrapper


class ServerTiming(ApplicationWrapper):
    """Add a Server-Timing header to every response."""

    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        self.metric = self.settings.get('timing.metric', 'app')

    def __call__(self, request):
        start = time.perf_counter()
        response = self.next_handler(request)
        elapsed = (time.perf_counter() - start) * 1000
        response.headers['Server-Timing'] = f'{self.metric};dur={elapsed:.1f}'
        return response


class Maintenance(ApplicationWrapper):
    def __init__(self, next_handler, registry):
        super().__init__(next_handler, registry)
        self.enabled = asbool(self.settings.get('maintenance', False))

    @property
    def injected(self):
        return self.enabled

    def __call__(self, request):
        return Response('Back soon', status=503)


def hello(request):
    return Response('Hello')


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_application_wrapper(ServerTiming)
    config.add_application_wrapper(Maintenance, after=True)
    config.add_route('hello', '/')
    config.add_view(hello, route_name='hello')
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
