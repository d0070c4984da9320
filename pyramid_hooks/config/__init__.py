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

from pyramid_hooks.interfaces import IApplicationMade
from pyramid_hooks.pipeline import (
    AFTER_RENDER,
    CONTROLLER_WRAPPERS,
    LIFECYCLE,
    after_render_view,
    controller_wrappers_view,
    lifecycle_view,
)

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


def add_derivers(config):
    """Place the three view derivers of :mod:`pyramid_hooks.pipeline` in
    Pyramid's view pipeline (those of controller routes come with the
    first controller, see :mod:`pyramid_hooks.config.controllers`)."""
    config.add_view_deriver(
        after_render_view,
        name=AFTER_RENDER,
        under='decorated_view',
        over='rendered_view',
    )
    config.add_view_deriver(
        lifecycle_view,
        name=LIFECYCLE,
        under='rendered_view',
        over='mapped_view',
    )
    config.add_view_deriver(
        controller_wrappers_view,
        name=CONTROLLER_WRAPPERS,
        under=LIFECYCLE,
        over='mapped_view',
    )
