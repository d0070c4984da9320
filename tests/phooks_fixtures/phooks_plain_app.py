"""A fixture application with traversal views and nothing app-wide: one
view has its own controller wrapper (a dotted name), one has nothing."""

from pyramid.config import Configurator


def passthrough(next_caller):
    return next_caller


def hello(request):
    return 'hello'


def root(request):
    return 'root'


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_view(
        hello,
        name='hello',
        renderer='string',
        controller_wrappers='phooks_plain_app.passthrough',
    )
    config.add_view(root, renderer='string')
    return config.make_wsgi_app()
