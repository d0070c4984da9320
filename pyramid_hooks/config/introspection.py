"""Relate ``pyramid_hooks`` introspectables to Pyramid's own.

Listeners and controller wrappers scoped to a view or route are related to
the ``'views'`` and ``'routes'`` introspectables they apply to, application
wrappers to the ``'tweens'`` introspectable of the tween that runs their
chain, and widgets to the route that serves their callbacks.
pyramid_debugtoolbar's introspection panel follows
``introspector.related()``, so a view's page there shows what
``pyramid_hooks`` does to it, and the reverse.

Pyramid raises :class:`KeyError` when an introspectable names a relation
whose target is not registered yet, and views, routes and tweens are
registered after the listeners and wrappers (whose actions run at
``ORDER_REGISTER``, in phase 0).  So the relations are made by one late
action (order ``ORDER_ACTIONS_RUN``, before ``config_setup`` fires), once
everything of the commit exists.  Nothing of this runs per request; with
``Configurator(introspection=False)`` there is nothing (or, for what
includes registered, little) to relate."""

from pyramid_hooks.config import (
    CATEGORY_APPLICATION_WRAPPERS,
    CATEGORY_CONTROLLER_WRAPPERS,
    CATEGORY_LISTENERS,
    CATEGORY_WIDGETS,
    ORDER_ACTIONS_RUN,
)
from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.pipeline import view_scope_keys
from pyramid_hooks.wrappers import TWEEN_NAME

#: category -> where its introspectables keep their scope key in the
#: discriminator (listeners: ``(..., key, listener)``; controller wrappers:
#: ``(..., key, wrapper)``)
SCOPED_CATEGORIES = (CATEGORY_LISTENERS, CATEGORY_CONTROLLER_WRAPPERS)


def _scope_key(intr):
    return intr.discriminator[-2]


def relate_scoped(introspector):
    """Relate every scoped listener and controller wrapper introspectable to
    the views it applies to and to its route."""
    scoped = [
        (category, entry['introspectable'])
        for category in SCOPED_CATEGORIES
        for entry in introspector.get_category(category, ())
        if _scope_key(entry['introspectable']) is not None
    ]
    if not scoped:
        return
    # scope key -> the views it matches, built once: O(views + scoped),
    # and only for the keys something is scoped to
    wanted = {_scope_key(intr) for _, intr in scoped}
    views_by_key = {}
    for entry in introspector.get_category('views', ()):
        view_intr = entry['introspectable']
        for key in view_scope_keys(view_intr['callable'], view_intr):
            if key in wanted:
                views_by_key.setdefault(key, []).append(
                    view_intr.discriminator
                )
    for category, intr in scoped:
        pair = (category, intr.discriminator)
        for discriminator in dict.fromkeys(
            views_by_key.get(_scope_key(intr), ())
        ):
            introspector.relate(pair, ('views', discriminator))
        route_name = intr.get('route_name')
        if route_name and introspector.get('routes', route_name):
            introspector.relate(pair, ('routes', route_name))


def relate_application_wrappers(introspector):
    """Relate every application wrapper to the tween that runs it (added,
    implicitly, by ``pyramid_hooks``' includeme, so it always exists)."""
    tween = ('tweens', ('tween', TWEEN_NAME, False))
    for entry in introspector.get_category(CATEGORY_APPLICATION_WRAPPERS, ()):
        intr = entry['introspectable']
        introspector.relate(
            (CATEGORY_APPLICATION_WRAPPERS, intr.discriminator), tween
        )


def relate_widgets(introspector, registry):
    """Relate every mounted widget to the route that serves its callbacks
    (whose view is the callbacks' dispatcher)."""
    widgets = registry.queryUtility(IWidgetRegistry)
    for widget_id, mounted in (widgets.widgets if widgets else {}).items():
        pair = (CATEGORY_WIDGETS, widget_id)
        route = ('routes', mounted.route_name)
        if introspector.get(*pair) is not None and (
            introspector.get(*route) is not None
        ):
            introspector.relate(pair, route)


def includeme(config):
    """Register the late action that relates the introspectables."""

    def relate():
        introspector = config.registry.introspector
        relate_scoped(introspector)
        relate_application_wrappers(introspector)
        relate_widgets(introspector, config.registry)

    config.action(
        ('pyramid_hooks', 'relate introspectables'),
        relate,
        order=ORDER_ACTIONS_RUN,
    )
