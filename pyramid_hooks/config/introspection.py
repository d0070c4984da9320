"""Relate ``pyramid_hooks`` introspectables to Pyramid's views, routes and
tweens, in one late action, once they exist (else a :class:`KeyError`)."""

from pyramid_hooks.config import (
    CATEGORY_APPLICATION_WRAPPERS,
    CATEGORY_CONTROLLER_WRAPPERS,
    CATEGORY_LISTENERS,
    CATEGORY_WIDGETS,
    ORDER_ACTIONS_RUN,
)
from pyramid_hooks.interfaces import IWidgetRegistry
from pyramid_hooks.scopes import view_scope_keys
from pyramid_hooks.shared import MARK
from pyramid_hooks.wrappers import TWEEN_NAME


def relate_scoped(introspector):
    """Relate every scoped listener and wrapper to its views and route."""
    # their discriminators end with (..., scope key, listener or wrapper)
    scoped = [
        (category, entry['introspectable'])
        for category in (CATEGORY_LISTENERS, CATEGORY_CONTROLLER_WRAPPERS)
        for entry in introspector.get_category(category, ())
        if entry['introspectable'].discriminator[-2] is not None
    ]
    if not scoped:
        return
    # scope key -> its views, in one pass, for the keys in use
    wanted = {intr.discriminator[-2] for _, intr in scoped}
    views_by_key = {}
    for entry in introspector.get_category('views', ()):
        view_intr = entry['introspectable']
        for key in view_scope_keys(view_intr['callable'], view_intr):
            if key in wanted:
                views_by_key.setdefault(key, {})[view_intr.discriminator] = 1
    for category, intr in scoped:
        pair = (category, intr.discriminator)
        for discriminator in views_by_key.get(intr.discriminator[-2], ()):
            introspector.relate(pair, ('views', discriminator))
        route_name = intr.get('route_name')
        if route_name and introspector.get('routes', route_name) is not None:
            introspector.relate(pair, ('routes', route_name))


def includeme(config):
    """Register the late action that relates the introspectables."""

    def relate():
        introspector = config.registry.introspector
        relate_scoped(introspector)
        # the tween of the application wrappers is always added (includeme)
        tween = ('tweens', ('tween', TWEEN_NAME, False))
        category = CATEGORY_APPLICATION_WRAPPERS
        for entry in introspector.get_category(category, ()):
            pair = (category, entry['introspectable'].discriminator)
            introspector.relate(pair, tween)
        widgets = config.registry.queryUtility(IWidgetRegistry)
        for widget_id, mounted in (widgets.widgets if widgets else {}).items():
            pair = (CATEGORY_WIDGETS, widget_id)
            route = ('routes', mounted.route_name)  # its callbacks' route
            if (
                introspector.get(*pair) is not None
                and introspector.get(*route) is not None
            ):
                introspector.relate(pair, route)

    config.action(
        ('pyramid_hooks', 'relate introspectables'),
        relate,
        order=ORDER_ACTIONS_RUN,
        **MARK,
    )
