"""A fixture application that includes ``pyramid_hooks`` and uses nothing:
no settings, no listeners, no views (not even Pyramid's default exception
views)."""

from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings, exceptionresponse_view=None)
    config.include('pyramid_hooks')
    return config.make_wsgi_app()
