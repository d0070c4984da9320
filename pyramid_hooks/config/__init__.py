"""Helpers of every directive (:func:`resolve_callable` opens,
:func:`directive_action` closes) and the orders readying what views need."""

from types import SimpleNamespace

from pyramid.config import PHASE0_CONFIG
from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IRendererFactory

# the introspectable categories: where phooks can read them too
from pyramid_hooks.error_handlers import error_handler_keys
from pyramid_hooks.interfaces import (  # noqa: F401
    CATEGORY_APPLICATION_WRAPPERS,
    CATEGORY_CONTROLLER_WRAPPERS,
    CATEGORY_CONTROLLERS,
    CATEGORY_HOOKS,
    CATEGORY_LISTENERS,
    CATEGORY_NAMESPACES,
    CATEGORY_ROUTE_CONVERTERS,
    CATEGORY_WIDGETS,
    IApplicationMade,
    IDerivedViews,
    IViewScopeKeys,
)
from pyramid_hooks.pipeline import (
    AFTER_RENDER,
    PIPELINE,
    after_render_view,
    pipeline_view,
)
from pyramid_hooks.scopes import view_scope
from pyramid_hooks.shared import (
    MARK,
    object_name,
    registry_utility,
    resolve,
    safe_repr,
)
from pyramid_hooks.workarounds import claimed_action, renderer_helper

# Pyramid runs a commit's actions by order (PHASE1_CONFIG -20 ... 0).

#: Every directive call is made, those of ``initialized_config`` listeners
#: included: the only safe order for an action that adds actions (no
#: pending one, even one an override dropped, may be of a lower order).
ORDER_CALLS_MADE = PHASE0_CONFIG - 10
#: tracing is turned on, before anything composes listeners or views.
ORDER_TRACE = ORDER_CALLS_MADE - 3
#: the ``initialized_config`` hook is queued, at the next order's end ...
ORDER_MILESTONE_QUEUE = ORDER_CALLS_MADE - 2
#: ... where its listeners are (un)registered, then it fires.
ORDER_INITIALIZED = ORDER_CALLS_MADE - 1
#: route converters, at the build's order (it reschedules itself last).
ORDER_CONVERTERS = ORDER_CALLS_MADE
# then, in turn: namespaces, hooks, registrations, unregistrations
ORDER_NAMESPACE = PHASE0_CONFIG - 7
ORDER_DECLARE = PHASE0_CONFIG - 6
ORDER_REGISTER = PHASE0_CONFIG - 5
ORDER_UNREGISTER = PHASE0_CONFIG - 4
#: every listener is final: lifecycle hooks bridged, names checked.
ORDER_LISTENERS_FINAL = PHASE0_CONFIG
#: every other action has run: the chain checked, ``config_setup`` fired.
ORDER_ACTIONS_RUN = 10_000


def ensure_not_frozen(config, what):
    """Refuse a registration once the WSGI application is made: too late."""
    if config.registry.queryUtility(IApplicationMade):
        raise ConfigurationError(
            f'{what}: the WSGI application was already made from this '
            'configuration (config.make_wsgi_app()); register it before '
            'the application is created'
        )


def resolve_callable(config, what, value, noun=''):
    """*value*, a callable or its dotted name, resolved; refused, named
    *noun* in a message starting with *what*, when it is not callable."""
    resolved = resolve(value, what, config.package)
    if not callable(resolved):
        raise ConfigurationError(
            f'{what}: {noun}{safe_repr(value)} is not callable'
        )
    return resolved


def directive_action(
    config, what, discriminator, register, order=0, introspectables=()
):
    """The close of a directive: refuse it once the WSGI application is
    made, else add its action (every effect is *register*'s, so that
    conflicts, overrides and ``autocommit`` behave as in Pyramid)."""
    ensure_not_frozen(config, what)
    if discriminator is not None and not config.autocommit:
        claimed_action(config, discriminator, register, order, introspectables)
        return
    config.action(
        discriminator,
        register,
        introspectables=introspectables,
        order=order,
        **MARK,
    )


def _derived_for(info, key):
    """Whether a registration of scope *key* applies to *info*'s view."""
    keys, app_wide = view_scope(info)
    if key is None:
        return app_wide
    return key in keys or key in (error_handler_keys(info) or ())


def _view_name(info):
    """The view derived with *info*, for messages."""
    name = object_name(info.original_view)
    attr = info.options.get('attr')
    if attr:
        name += f' (attr {attr!r})'
    view_name = info.options.get('name')
    if view_name:
        name += f' named {view_name!r}'
    route_name = info.options.get('route_name')
    if route_name:
        name += f' of route {route_name!r}'
    if getattr(info, 'before_include', False):
        name += ' (added before config.include("pyramid_hooks"))'
    return name


def views_added_before(config):
    """The views an autocommitting *config* derived before ``pyramid_hooks``
    was included (no pipeline at all), if introspection lists them."""
    views = []
    for entry in config.introspector.get_category('views', ()):
        intr = entry['introspectable']  # its options, by add_view's names
        views.append(
            SimpleNamespace(
                original_view=intr['callable'],
                options=intr,
                exception_only=intr['exception_only'],
                before_include=True,
            )
        )
    return views


def missing_renderer(registry, name):
    """Why ``renderer=`` *name* cannot render, or ``None``: Pyramid looks
    the factory up on the first request only, a 500 naming no view."""
    kind = renderer_helper(name).type
    if registry.queryUtility(IRendererFactory, name=kind) is not None:
        return None
    return (
        f'renderer={name!r}, but no renderer factory is registered for '
        f'{kind!r}; add it with config.add_renderer({kind!r}, factory) or '
        'include the package that provides it (pyramid_jinja2, '
        'pyramid_mako, pyramid_chameleon)'
    )


def watch_view_scope(registry, key):
    """Note that a registration is scoped (*key*): from now on the pipeline
    deriver notes each view's keys (for :mod:`pyramid_hooks.dead_scopes`)."""
    if key is not None:
        registry_utility(registry, IViewScopeKeys, set)


def refuse_late(registry, what, key, removed=False):
    """Refuse a pipeline listener or controller wrapper (*what*, scope *key*)
    added or *removed* for a view an autocommitting configurator composed."""
    derived = registry.queryUtility(IDerivedViews)
    if not derived:
        return
    names = dict.fromkeys(  # an exception view is derived twice
        _view_name(info) for info in derived if _derived_for(info, key)
    )
    if not names:
        return
    shown = ', '.join(list(names)[:5])
    if len(names) > 5:
        shown += f' and {len(names) - 5} more'
    if removed:
        effect = f'it would still run for {shown}. Remove listeners'
    else:
        effect = (
            f'it would never run for {shown}. Register listeners and '
            'controller wrappers'
        )
    raise ConfigurationError(
        f'{what} comes after views it applies to were added, and an '
        'autocommitting configurator (pyramid.testing.setUp(), '
        'Configurator(autocommit=True)) composed their pipeline when they '
        f'were added: {effect} before adding views (config.add_view, '
        'config.scan, config.add_controller), or use a committing '
        'Configurator (autocommit=False, the default), which registers '
        'them before deriving any view'
    )


#: ``(deriver, name, under, over)`` of :func:`add_derivers`
DERIVERS = (
    (after_render_view, AFTER_RENDER, 'decorated_view', 'rendered_view'),
    (pipeline_view, PIPELINE, 'rendered_view', 'mapped_view'),
)


def add_derivers(config):
    """Add the view derivers of :mod:`pyramid_hooks.pipeline`."""
    for deriver, name, under, over in DERIVERS:
        config.add_view_deriver(deriver, name=name, under=under, over=over)
