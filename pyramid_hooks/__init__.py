"""TurboGears-, ToscaWidgets- and Odoo-style extension points for Pyramid,
set up by ``config.include('pyramid_hooks')``."""

from pyramid.config import Configurator

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

# ``IHookRegistry``, ``WSGIApp`` and ``resolve``: importable as before
from pyramid_hooks.interfaces import IHookRegistry as IHookRegistry
from pyramid_hooks.shared import WSGIApp as WSGIApp
from pyramid_hooks.shared import resolve as resolve
from pyramid_hooks.validation import Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    always_deny,
    serverside_callback,
    url_for_callback,
)
from pyramid_hooks.wrapper_chains import WrapperInfo
from pyramid_hooks.wrappers import ApplicationWrapper
from pyramid_hooks.wsgi_app import make_wsgi_app

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


def includeme(config: Configurator) -> None:
    """Set up ``pyramid_hooks``: the core (it reads the ``hooks.*`` settings
    now: set them before the include) and every feature."""
    config.include('pyramid_hooks.config.core')
    config.include('pyramid_hooks.widgets')
    config.include('pyramid_hooks.controllers')
