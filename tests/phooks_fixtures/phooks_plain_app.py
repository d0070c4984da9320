"""A fixture application with traversal views and nothing app-wide: one
view has its own controller wrapper (a dotted name), one has nothing."""

from pyramid.config import Configurator
from pyramid.response import Response

from pyramid_hooks import (
    Controller,
    ServerSideCallbackMixin,
    route,
    serverside_callback,
)


def passthrough(next_caller):
    return next_caller


def hello(request):
    return 'hello'


def root(request):
    return 'root'


def cache_for_a_while(view):
    return view


class Plain(ServerSideCallbackMixin):
    id = 'plain'

    @serverside_callback
    def hello(self, request):
        return Response('hello')


class Base(Controller):
    @route(
        '/base',
        auth='none',
        http_cache=(3600, {'public': True}),
        decorator=cache_for_a_while,
    )
    def index(self):
        return 'base'


class First(Base):
    @route()
    def index(self):
        return super().index() + ' first'


class Second(Base):
    @route()
    def index(self):
        return super().index() + ' second'


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
    config.set_callback_authorization('pyramid_hooks.widgets.always_deny')
    config.add_widget(Plain())
    config.add_controller(First)
    config.add_controller(Second)
    return config.make_wsgi_app()
