"""Tutorial step 1: a view, and a listener of the ``before_render`` hook."""

from pyramid.config import Configurator


def hello(request):
    name = request.params.get('name', 'world')
    return {'message': f'Hello, {name}!'}


def add_footer(request, params, output):
    """Runs for every view whose result goes to a renderer."""
    if isinstance(output, dict):  # a view may return a list, a string...
        output['footer'] = 'served by the tutorial app'


def configure(config):
    config.include('pyramid_hooks')
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello', renderer='json')
    config.register_hook('before_render', add_footer)


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
