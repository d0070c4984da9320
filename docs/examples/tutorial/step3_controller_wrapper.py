"""Tutorial step 3: a controller wrapper that times every view."""

import time

from pyramid.config import Configurator
from pyramid.response import Response
from step2_validator import configure as configure_step2


def server_timing(next_caller):
    """Called once per view when the app is made; ``call`` runs per request."""

    def call(context, request):
        started = time.perf_counter()
        result = next_caller(context, request)
        elapsed = 1000 * (time.perf_counter() - started)
        # a view that returns its own response sends that one; the
        # renderer's response, request.response, is for the others
        response = result if isinstance(result, Response) else request.response
        response.headers['Server-Timing'] = f'view;dur={elapsed:.2f}'
        return result

    return call


def configure(config):
    configure_step2(config)
    config.add_controller_wrapper(server_timing)


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
