"""porting_turbogears.rst, "tg.config, app_globals and context"."""

from pyramid.config import Configurator
from zope.interface import Interface

from pyramid_hooks import ApplicationWrapper


class IAppGlobals(Interface):
    """The registry key of the application's globals."""


class Globals:
    """TurboGears' ``lib/app_globals.py``: made once per application."""

    def __init__(self, settings):
        self.site_name = settings.get('site.name', 'My site')


def app_globals(request):
    """``tg.app_globals``: the registry utility of this application."""
    return request.registry.getUtility(IAppGlobals)


def about(request):
    settings = request.registry.settings  # tg.config
    return {
        'site': request.app_globals.site_name,  # tg.app_globals.site_name
        'debug': settings.get('site.debug') == 'true',  # tg.config[...]
        'path': request.path,  # tg.request.path
    }


class ServedBy(ApplicationWrapper):
    """TurboGears' ``__call__(controller, environ, context)`` read
    ``context.config`` and ``context.request``: here ``self.settings``
    (``self.registry``) and the ``request`` argument."""

    def __call__(self, request):
        response = self.next_handler(request)
        site = self.registry.getUtility(IAppGlobals).site_name
        response.headers['X-Served-By'] = site
        return response


def includeme(config):
    settings = config.get_settings()
    config.registry.registerUtility(Globals(settings), IAppGlobals)
    config.add_request_method(app_globals, 'app_globals', reify=True)
    config.add_application_wrapper(ServedBy)
    config.add_route('about', '/about')
    config.add_view(about, route_name='about', renderer='json')


def make_app(settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.include(includeme)
    return config.make_wsgi_app()


if __name__ == '__main__':
    from waitress import serve

    serve(make_app(), listen='localhost:6543')
