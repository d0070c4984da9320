"""Configuration-time helpers shared by every ``pyramid_hooks`` directive:
the opening of a directive (:func:`resolve_callable`) and its close
(:func:`directive_action`), as pyramid_services' ``register_service``: a
dotted name resolved, a ``register`` closure, a discriminator, an
introspectable, ``config.action``.

The action orders below put everything a view needs (hooks, listeners,
wrappers) in place before Pyramid derives the views (``PHASE3_CONFIG``).
"""

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
from pyramid_hooks.workarounds import renderer_helper

# Pyramid runs a commit's actions by order, then in call order; its phases
# are PHASE1_CONFIG -20, PHASE2_CONFIG -10, PHASE3_CONFIG 0.

#: Every directive call is made, those of ``initialized_config`` listeners
#: included: the only safe order for an action that adds actions (the
#: controller build).  Pyramid then re-sorts the pending actions, which
#: still hold those an include-path override dropped, and fails if one is
#: of a lower order than the running action.
ORDER_CALLS_MADE = PHASE0_CONFIG - 10
#: tracing is turned on, before anything composes listeners, views or
#: chains; the action has no discriminator, so no override drops it.
ORDER_TRACE = ORDER_CALLS_MADE - 3
#: the ``initialized_config`` hook is queued, at the end of the next order
#: (an action added by an action comes after those added before it) ...
ORDER_MILESTONE_QUEUE = ORDER_CALLS_MADE - 2
#: ... where its listeners are registered and unregistered, in call order,
#: then it fires: before every other action, so that what its listeners
#: add comes at orders not yet passed (an action may add actions of its own
#: order or later only, and Pyramid counts those an include-path override
#: dropped: none may be of a lower order than the one adding).
ORDER_INITIALIZED = ORDER_CALLS_MADE - 1
#: route converters are registered before the controller build reads them:
#: at the build's order, where the build reschedules itself to run last (an
#: order below the build's would be refused when an override dropped one).
ORDER_CONVERTERS = ORDER_CALLS_MADE
# then, each once the one before has run: hook namespaces are declared,
# hooks are declared, listeners and wrappers registered, then unregistered
ORDER_NAMESPACE = PHASE0_CONFIG - 7
ORDER_DECLARE = PHASE0_CONFIG - 6
ORDER_REGISTER = PHASE0_CONFIG - 5
ORDER_UNREGISTER = PHASE0_CONFIG - 4
#: every listener is final, nothing of Pyramid's has run: lifecycle hooks
#: are bridged to Pyramid's events, dotted and misspelt names checked.
ORDER_LISTENERS_FINAL = PHASE0_CONFIG
#: every other action has run: the application-wrapper chain is checked,
#: introspectables are related, ``config_setup`` fires (in that order).
ORDER_ACTIONS_RUN = 10_000


def ensure_not_frozen(config, what):
    """Refuse a registration made after the WSGI application was made from
    this registry (noted by the tween factory, see
    :class:`~pyramid_hooks.interfaces.IApplicationMade`): its action would
    never run."""
    if config.registry.queryUtility(IApplicationMade):
        raise ConfigurationError(
            f'{what}: the WSGI application was already made from this '
            'configuration (config.make_wsgi_app()); register it before '
            'the application is created'
        )


def resolve_callable(config, what, value, noun=''):
    """*value*, a callable or its dotted name (relative ones against the
    configurator's package), resolved; refused, naming it as *noun* in a
    message starting with *what*, when it is not callable."""
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
    made (:func:`ensure_not_frozen`), else add its action: every effect of
    a directive is *register*'s, so that conflicts, include-path overrides
    and ``autocommit`` behave as in Pyramid."""
    ensure_not_frozen(config, what)
    config.action(
        discriminator,
        register,
        introspectables=introspectables,
        order=order,
        **MARK,
    )


def _derived_for(info, key):
    """Whether a listener or controller wrapper of scope *key* (``None``:
    app-wide) would apply to the view derived with *info*."""
    keys, app_wide = view_scope(info)
    if key is None:
        return app_wide
    return key in keys or key in (error_handler_keys(info) or ())


def _view_name(info):
    """The view derived with *info*, for messages: the callable, its
    ``attr``, its view name and its route."""
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
    """The views an autocommitting *config* derived before
    ``pyramid_hooks`` was included, as :func:`refuse_late` sees the views
    it derives: they have no pipeline at all, so a pipeline listener or a
    controller wrapper that would apply to one could never run for it.
    Only an introspecting configurator (the default) lists them."""
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
    """Why ``renderer=`` *name* cannot render, the end of a sentence, or
    ``None`` when a factory is registered for it: Pyramid looks the
    factory up on the first request only, a 500 naming no view."""
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
    """Note that a pipeline listener or a controller wrapper is scoped
    (*key* not ``None``): from now on the pipeline deriver notes the keys
    of each view it derives (:class:`IViewScopeKeys`), so that a scope no
    view (with a renderer, for the render-call hooks) has is refused when
    the application is made (:mod:`pyramid_hooks.dead_scopes`)."""
    if key is not None:
        registry_utility(registry, IViewScopeKeys, set)


def refuse_late(registry, what, key, removed=False):
    """Refuse a pipeline listener or a controller wrapper (*what*, scope
    *key*) that would apply to a view derived already, which only an
    autocommitting configurator notes (:class:`IDerivedViews`): the view's
    pipeline was composed when it was added, so the registration could
    never take effect for it, and the view would run without it; or, if
    it is *removed*, with it still."""
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
    """Add the view derivers of :mod:`pyramid_hooks.pipeline` (those of
    controller routes come with the first controller)."""
    for deriver, name, under, over in DERIVERS:
        config.add_view_deriver(deriver, name=name, under=under, over=over)
