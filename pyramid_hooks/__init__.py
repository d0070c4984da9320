"""TurboGears-, ToscaWidgets- and Odoo-style extension points for Pyramid,
set up by ``config.include('pyramid_hooks')``."""

from collections.abc import Callable, Iterable

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError

# ``request.make_response``, importable from here as it always was
from pyramid_hooks.controllers.responses import make_response as make_response
from pyramid_hooks.decorators import (
    after_render,
    before_call,
    before_render,
    before_validate,
    controller_wrapper,
    listener,
)
from pyramid_hooks.hooks import HookNamespace, HookRegistry, get_hooks
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.pipeline import WrapperInfo
from pyramid_hooks.shared import WSGIApp, resolve, shown_value
from pyramid_hooks.validation import Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    always_deny,
    serverside_callback,
    url_for_callback,
)
from pyramid_hooks.wrappers import ApplicationWrapper

__all__ = [
    'ApplicationWrapper',
    'Controller',
    'HookNamespace',
    'HookRegistry',
    'Invalid',
    'JsonRpcError',
    'ServerSideCallbackMixin',
    'WrapperInfo',
    'after_render',
    'always_allow',
    'always_deny',
    'before_call',
    'before_render',
    'before_validate',
    'controller_wrapper',
    'get_hooks',
    'includeme',
    'listener',
    'make_wsgi_app',
    'route',
    'serverside_callback',
    'url_for_callback',
]


def make_wsgi_app(
    config: Configurator,
    middlewares: Iterable[Callable[[WSGIApp], WSGIApp] | str] = (),
) -> WSGIApp:
    """Make the WSGI application of *config*, wrapped, from the inside out,
    by the ``before_wsgi_middlewares`` filter hook, each of *middlewares*
    (``middleware(app) -> app`` callables or dotted names) and the
    ``after_wsgi_middlewares`` filter hook.  Only it applies those hooks:
    an application with listeners of them made by ``config.make_wsgi_app()``
    refuses to start (``pyramid_hooks.wrappers``)."""
    hooks = config.registry.getUtility(IHookRegistry)
    hooks.making_wsgi_app = True
    try:
        app = config.make_wsgi_app()
    finally:
        hooks.making_wsgi_app = False
    app = _wrapped(hooks, 'before_wsgi_middlewares', app)
    for middleware in middlewares:
        middleware = resolve(middleware, 'make_wsgi_app', config.package)
        app = _checked_app(middleware(app), f'the middleware {middleware!r}')
    return _wrapped(hooks, 'after_wsgi_middlewares', app)


def _wrapped(hooks, hook, app):
    """*app* through the listeners of the filter hook *hook*, as
    ``notify_with_value`` runs them, each result checked: the error names
    the listener that returned no application, which the chain's last
    value cannot tell."""
    for registration, call in hooks.default.registered_listeners(hook):
        app = _checked_app(
            call(app), f'the listener {registration.describe()}'
        )
    return app


def _checked_app(app, source):
    """*app*, what *source* returned, unless it is no WSGI application:
    a listener or middleware that forgot its ``return`` would have the
    server start, then fail every request with a :exc:`TypeError`."""
    if not callable(app):
        raise ConfigurationError(
            f'make_wsgi_app: {source} returned {shown_value(app)}, '
            'not a WSGI application: it returns the application it got, '
            'wrapped or not'
        )
    return app


def includeme(config: Configurator) -> None:
    """Set up ``pyramid_hooks``: the core (``pyramid_hooks.config.core``,
    which reads the ``hooks.*`` settings now: set them before the include)
    and every feature.  Including it twice is harmless."""
    config.include('pyramid_hooks.config.core')
    config.include('pyramid_hooks.widgets')
    config.include('pyramid_hooks.controllers')
