"""Tutorial step 2: a validator on a new view."""

from pyramid.config import Configurator
from step1_listener import configure as configure_step1

from pyramid_hooks import Invalid


def check_name(request, params):
    """Refuse a missing, empty or long ``name``."""
    name = params.get('name', '').strip()
    if not name or len(name) > 20:
        raise Invalid({'name': 'give a name of 1 to 20 characters'})
    params['name'] = name
    return params


def greet(request):
    name = request.hook_params['name']  # what check_name returned
    return {'message': f'Welcome, {name}!'}


def configure(config):
    configure_step1(config)
    config.add_route('greet', '/greet')
    config.add_view(
        greet, route_name='greet', renderer='json', validate=check_name
    )


def make_app(settings=None):
    config = Configurator(settings=settings)
    configure(config)
    return config.make_wsgi_app()


if __name__ == '__main__':  # python <this file> [HOST:PORT]
    import sys

    from waitress import serve

    listen = sys.argv[1] if len(sys.argv) > 1 else 'localhost:6543'
    serve(make_app(), listen=listen)
