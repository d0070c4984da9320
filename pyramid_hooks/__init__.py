"""TurboGears-, ToscaWidgets- and Odoo-style extension points for Pyramid.

``config.include('pyramid_hooks')`` (or ``pyramid.includes = pyramid_hooks``)
adds the directives, view derivers and settings described in the
documentation.  Everything is kept per application, in the registry.
"""

from pyramid_hooks.config import (
    ORDER_ACTIONS_RUN,
    ORDER_CALLS_MADE,
    ORDER_LISTENERS_FINAL,
    add_derivers,
)
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
from pyramid_hooks.shared import registry_utility, resolve
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


def make_wsgi_app(config, middlewares=()):
    """Make the WSGI application of *config*, wrapped in WSGI middleware.

    ``config.make_wsgi_app()`` is called first; the ``before_wsgi_middlewares``
    filter hook then wraps the router (innermost), each of *middlewares*
    (``middleware(app) -> app`` callables or dotted names, in order, the last
    outermost) wraps the result, and the ``after_wsgi_middlewares`` filter
    hook wraps everything (outermost).  Application wrappers run inside the
    router, so every WSGI middleware sits outside them.
    """
    app = config.make_wsgi_app()
    hooks = get_hooks(config.registry)
    app = hooks.notify_with_value('before_wsgi_middlewares', app)
    for middleware in middlewares:
        app = resolve(middleware, 'make_wsgi_app', config.package)(app)
    return hooks.notify_with_value('after_wsgi_middlewares', app)


def _fire_config_hook(config, name):
    get_hooks(config.registry).default.notify(
        name, config, config.registry.settings
    )


def includeme(config):
    """Set up ``pyramid_hooks`` in a Pyramid application.

    Adds the directives (``add_hook_namespace``, ``add_hook``,
    ``register_hook``, ``unregister_hook``, ``add_controller_wrapper``,
    ``add_application_wrapper``, ``add_widget``,
    ``set_callback_authorization``, ``add_controller``,
    ``add_controller_auth``), ``request.hooks`` and
    ``request.make_response``, the view derivers of the pipeline hooks and
    controller wrappers, and registers what the ``hooks.*`` settings
    declare (they are read now: set them before the include).

    ``request.hooks`` and ``request.make_response`` are request methods
    (``config.add_request_method``) because Pyramid attaches those to every
    request it makes, whatever the request factory and whenever it was
    set, subrequests and ``pyramid.scripting.prepare`` included.  Both are
    given as static methods (``hooks`` is the application's
    :class:`~pyramid_hooks.HookRegistry`, ``make_response`` needs no
    request): Pyramid's router then attaches each with a C-level
    ``__get__`` and one assignment, and neither refers back to the
    request, which is freed when it ends without waiting for the garbage
    collector.  Including it twice is harmless.
    """
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
    config.include('pyramid_hooks.config.introspection')
    add_derivers(config)
    parsed_items = apply_settings(config)
    config.action(
        ('pyramid_hooks', 'settings'),
        check_settings,
        args=(registry, parsed_items),
        order=ORDER_CALLS_MADE,
    )
    config.action(
        ('pyramid_hooks', 'initialized_config'),
        _fire_config_hook,
        args=(config, 'initialized_config'),
        order=ORDER_LISTENERS_FINAL,
    )
    config.action(
        ('pyramid_hooks', 'config_setup'),
        _fire_config_hook,
        args=(config, 'config_setup'),
        order=ORDER_ACTIONS_RUN,
    )
