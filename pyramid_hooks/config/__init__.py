"""Configuration-time helpers shared by every ``pyramid_hooks`` directive.

Directives follow Pyramid's own recipe: validate eagerly, build an
introspectable, and register through ``config.action`` with a discriminator
so that conflicts and include-path overrides work as users of Pyramid expect.
The action orders below are chosen so that, within one commit, everything a
view needs (hooks, listeners, wrappers) is known before Pyramid derives the
views at :data:`pyramid.config.PHASE3_CONFIG`.
"""

from pyramid.config import PHASE0_CONFIG
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IApplicationMade, IHooksSettings

# The action orders of ``pyramid_hooks``, each named for what it waits
# for.  Pyramid runs the actions of a commit by order (lower first), then in
# call order; its own phases are PHASE1_CONFIG (-20: view derivers,
# predicates, CSRF options), PHASE2_CONFIG (-10: security policy, route
# request interfaces) and PHASE3_CONFIG (0: views, routes, the default).

#: Every directive call of the commit has been made, and no action has run.
#: The only safe place for an action that adds actions (the controller build
#: adds routes and views): Pyramid re-sorts its pending actions when one is
#: added during the commit, and that list still holds the actions an
#: include-path override dropped; one of them of a lower order than the
#: running action fails the commit ("Actions were added to order=...").
#: Below every other order, nothing can have been dropped yet.
ORDER_CALLS_MADE = PHASE0_CONFIG - 10
#: tracing is turned on (:mod:`pyramid_hooks.trace`), before anything that
#: composes listeners, views or chains, the controller build included.  The
#: action has no discriminator: it is never dropped by an override.
ORDER_TRACE = ORDER_CALLS_MADE - 1
#: hook namespaces are declared.
ORDER_NAMESPACE = PHASE0_CONFIG - 7
#: hooks are declared (every namespace is known by then).
ORDER_DECLARE = PHASE0_CONFIG - 6
#: listeners and wrappers are registered (every declaration is known).
ORDER_REGISTER = PHASE0_CONFIG - 5
#: listeners are unregistered (every registration is known by then).
ORDER_UNREGISTER = PHASE0_CONFIG - 4
#: every listener is final (registered and unregistered) and nothing of
#: Pyramid's own has run: the ``initialized_config`` hook fires (settings
#: are final, routes and views are not registered yet).
ORDER_LISTENERS_FINAL = PHASE0_CONFIG
#: every other action of the commit has run: the application-wrapper chain
#: is checked, introspectables are related, then ``config_setup`` fires (in
#: that order, the call order of ``includeme``).
ORDER_ACTIONS_RUN = 10_000

#: Introspectable categories (shown by pyramid_debugtoolbar and ``phooks``).
CATEGORY_NAMESPACES = 'pyramid_hooks namespaces'
CATEGORY_HOOKS = 'pyramid_hooks hooks'
CATEGORY_LISTENERS = 'pyramid_hooks listeners'
CATEGORY_CONTROLLER_WRAPPERS = 'pyramid_hooks controller wrappers'
CATEGORY_APPLICATION_WRAPPERS = 'pyramid_hooks application wrappers'
CATEGORY_WIDGETS = 'pyramid_hooks widgets'
CATEGORY_CONTROLLERS = 'pyramid_hooks controllers'


def ensure_not_frozen(config, what):
    """Refuse a registration made after the WSGI application was created.

    An action added after that would never run for the existing
    application, so it is an error rather than a silent no-op (TurboGears'
    behaviour).  When Pyramid makes the application, the tween factory of
    ``pyramid_hooks`` notes it in that application's registry
    (:class:`~pyramid_hooks.interfaces.IApplicationMade`), so two
    applications of one process are told apart.
    """
    if config.registry.queryUtility(IApplicationMade):
        raise ConfigurationError(
            f'{what}: the WSGI application was already made from this '
            'configuration (config.make_wsgi_app()); register it before '
            'the application is created'
        )


def maybe_dotted(config, value, what):
    """``config.maybe_dotted(value)``, except that a dotted name that cannot
    be imported is a :class:`~pyramid.exceptions.ConfigurationError` naming
    it and *what* needed it (Pyramid raises a bare :class:`ImportError`)."""
    try:
        return config.maybe_dotted(value)
    except (ImportError, ValueError) as e:
        raise ConfigurationError(
            f'{what}: cannot import {value!r} ({e})'
        ) from e


def describe_info(info):
    """``file:line`` of an action's info, for error messages."""
    if info is None:
        return 'an unknown location'
    file = getattr(info, 'file', None)
    line = getattr(info, 'line', None)
    if file is None:
        return str(info).strip() or 'an unknown location'
    return f'{file}:{line}'


def object_name(obj):
    """A readable dotted name for a callable or class (for messages)."""
    module = getattr(obj, '__module__', None)
    qualname = getattr(obj, '__qualname__', None) or getattr(
        obj, '__name__', None
    )
    if module and qualname:
        return f'{module}.{qualname}'
    return repr(obj)


def registry_utility(registry, iface, factory):
    """The utility *iface* of *registry*, made with ``factory()`` and
    registered the first time it is asked for."""
    found = registry.queryUtility(iface)
    if found is None:
        found = factory()
        registry.registerUtility(found, iface)
    return found


def get_hooks_settings(registry):
    """The parsed ``hooks.*`` settings of *registry* (read when
    ``pyramid_hooks`` was included), or ``None``."""
    return registry.queryUtility(IHooksSettings)
