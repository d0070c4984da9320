"""The pyramid_hooks demo application (served by ``pserve``)."""

from pyramid.config import Configurator

import pyramid_hooks


def fill_render_data(request, params, output):
    """An app-wide ``before_render`` listener: every page knows the app."""
    output.setdefault('app', 'pyramid_hooks demo')


def home(request):
    return {'message': 'Hello from pyramid_hooks'}


def main(global_config, **settings):
    """The demo's WSGI application factory."""
    with Configurator(settings=settings) as config:
        config.include('pyramid_hooks')
        config.register_hook('before_render', fill_render_data)
        config.add_route('home', '/')
        config.add_view(home, route_name='home', renderer='json')
        return pyramid_hooks.make_wsgi_app(config)
