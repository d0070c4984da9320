"""TurboGears-, ToscaWidgets- and Odoo-style extension points for Pyramid,
set up by ``config.include('pyramid_hooks')``."""

from collections.abc import Callable, Iterable

from pyramid.config import Configurator

from pyramid_hooks.config import (
    ORDER_CALLS_MADE,
    ORDER_NAMESPACE,
    add_derivers,
)
from pyramid_hooks.config.hooks import add_milestones
from pyramid_hooks.controller_views import make_response
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.decorators import (
    after_render,
    before_call,
    before_render,
    before_validate,
    controller_wrapper,
    listener,
)
from pyramid_hooks.hooks import (
    HookNamespace,
    HookRegistry,
    get_hooks,
    make_hook_registry,
)
from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.jsonrpc import JsonRpcError
from pyramid_hooks.pipeline import WrapperInfo
from pyramid_hooks.settings import apply_settings, check_settings
from pyramid_hooks.shared import WSGIApp, registry_utility, resolve
from pyramid_hooks.trace import tracing_enabled
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
    app = hooks.notify_with_value('before_wsgi_middlewares', app)
    for middleware in middlewares:
        app = resolve(middleware, 'make_wsgi_app', config.package)(app)
    return hooks.notify_with_value('after_wsgi_middlewares', app)


def includeme(config: Configurator) -> None:
    """Set up ``pyramid_hooks``: its directives, view derivers,
    ``request.hooks`` and ``request.make_response`` (static request methods:
    attached to every request cheaply, with no cycle back to it), and what
    the ``hooks.*`` settings declare (read now: set them before the include).
    Including it twice is harmless."""
    registry = config.registry
    hooks = registry_utility(registry, IHookRegistry, make_hook_registry)
    config.add_request_method(staticmethod(hooks), 'hooks')
    config.add_request_method(staticmethod(make_response), 'make_response')
    if tracing_enabled(registry):  # by the debug toolbar's include
        hooks.enable_tracing()
    config.include('pyramid_hooks.config.hooks')
    config.include('pyramid_hooks.config.controller_wrappers')
    config.include('pyramid_hooks.config.application_wrappers')
    config.include('pyramid_hooks.config.widgets')
    config.include('pyramid_hooks.config.controllers')
    config.include('pyramid_hooks.config.route_converters')
    config.include('pyramid_hooks.config.introspection')
    add_derivers(config)
    config.action(
        ('pyramid_hooks', 'settings'),
        check_settings,
        args=(registry, apply_settings(config, ORDER_NAMESPACE)),
        order=ORDER_CALLS_MADE,
    )
    # the milestones' listeners get a configurator of the application's
    # package, as its own main() has, not this include's
    app_config = Configurator(
        registry=registry,
        package=config.root_package,
        autocommit=config.autocommit,
        introspection=config.introspection,
    )
    add_milestones(config, app_config)
