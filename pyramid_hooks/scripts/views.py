"""The views of an application, for ``phooks``, and what ``pyramid_hooks``
composes for each, asked of the functions the view derivers compose from
(:func:`~pyramid_hooks.pipeline.view_scope`,
``HookNamespace.registrations_for``, ``ControllerWrappers.for_keys``) so
the report cannot drift from what runs.  Also the names the report gives
things.
"""

import re
from types import SimpleNamespace

from pyramid.interfaces import (
    IMultiView,
    IRouteRequest,
    ISecuredView,
    IView,
    IViewClassifier,
)
from zope.interface import Interface

from pyramid_hooks.config import CATEGORY_CONTROLLER_WRAPPERS
from pyramid_hooks.hooks import PIPELINE_HOOKS
from pyramid_hooks.interfaces import IControllerRegistry, IControllerWrappers
from pyramid_hooks.pipeline import view_scope
from pyramid_hooks.shared import describe_info, object_name

_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')


def name_of(obj):
    """A readable name for *obj*: a dotted name for callables and classes,
    the class for an instance, the string itself for a (dotted-name)
    string, ``None`` for ``None``."""
    if obj is None or isinstance(obj, str):
        return obj
    if getattr(obj, '__qualname__', getattr(obj, '__name__', None)) is None:
        # an instance (a view or wrapper object): its class, not its repr
        return f'{object_name(type(obj))} instance'
    return object_name(obj)


def location(info):
    """``file:line`` of a registration's *info*, ``None`` when unknown."""
    return None if info is None else describe_info(info)


def introspector_of(registry):
    """The registry's introspector, or ``None`` when the application's
    configurator was made with ``introspection=False``.

    Pyramid then discards the introspectables of that configurator, but not
    those of ``config.include()``-d code (an include makes a configurator
    of its own, with introspection on), so an empty introspector is not the
    test: the default renderers that every configurator registers are.
    """
    introspector = registry.introspector
    if not introspector.get_category('renderer factories'):
        return None
    return introspector


def scoped(what, obj, key, registered_at):
    """A listener or controller wrapper (*what*) *obj* registered under
    scope *key* (app-wide, a route, or a view)."""
    if key is None:
        scope, target = 'app', None
    elif isinstance(key, tuple) and len(key) == 2 and key[0] == 'route':
        scope, target = 'route', key[1]
    else:
        scope, target = 'view', name_of(key)
    return {
        what: name_of(obj),
        'scope': scope,
        'target': target,
        'registered_at': registered_at,
    }


def listener_of(registration):
    """A hook listener's entry in the report."""
    return scoped(
        'listener',
        registration.listener,
        registration.key,
        location(registration.info),
    )


def _views_from_adapters(registry):
    """Views found through the registry's view adapters (introspection
    off): the original callable, its ``attr``, route, name and context, and
    whether it serves exceptions only; Pyramid keeps no other view options
    there."""
    routes = {
        iface: name for name, iface in registry.getUtilitiesFor(IRouteRequest)
    }
    found = {}
    for reg in registry.registeredAdapters():
        if reg.provided not in (IView, ISecuredView, IMultiView):
            continue
        if IMultiView.providedBy(reg.factory):
            entries = list(reg.factory.views)
            for subset in reg.factory.media_views.values():
                entries.extend(subset)
            derived = [view for _, view, _ in entries]
        else:
            derived = [reg.factory]
        context = reg.required[2]
        # a class context is registered as implementedBy(cls)
        context = getattr(context, 'inherit', None) or (
            None if context is Interface else context
        )
        for view in derived:
            original = getattr(view, '__original_view__', view)
            # the attr is in the description Pyramid's view mapper leaves
            # on the view (``method about of class ...``)
            match = _MAPPED_TEXT.match(getattr(view, '__text__', ''))
            attr = match and match.group(1)
            attr = None if attr == '__call__' else attr
            route_name = routes.get(reg.required[1])
            # a view serving exceptions too is derived once per classifier
            # (IViewClassifier or IExceptionViewClassifier)
            key = (id(original), attr, route_name, reg.name, context)
            options = {
                'name': reg.name,
                'route_name': route_name,
                'attr': attr,
                'context': context,
                'exception_only': True,
            }
            _, options = found.setdefault(key, (original, options))
            if reg.required[0] is IViewClassifier:
                options['exception_only'] = False
    return found.values()


class Pipeline:
    """What the view derivers of :mod:`pyramid_hooks.pipeline` compose for
    a view, asked of the functions they compose it from."""

    def __init__(self, registry, hooks, introspector):
        self.wrappers = registry.queryUtility(IControllerWrappers)
        self.hooks = hooks.default
        self.wrapper_infos = {}
        if introspector is not None:
            for entry in introspector.get_category(
                CATEGORY_CONTROLLER_WRAPPERS, ()
            ):
                intr = entry['introspectable']
                where = describe_info(intr.action_info)
                self.wrapper_infos[intr.discriminator] = where

    def describe(self, view, options):
        """``validate``, ``error_handler``, ``controller_wrappers``
        (outermost first) and the pipeline ``hooks`` of a view."""
        keys, app_wide = view_scope(
            SimpleNamespace(
                original_view=view,
                options=options,
                exception_only=options.get('exception_only', False),
            )
        )
        chain = [
            scoped(
                'wrapper',
                wrapper,
                key,
                self.wrapper_infos.get(
                    ('pyramid_hooks controller wrapper', key, wrapper)
                ),
            )
            for wrapper, _, key in (
                self.wrappers.for_keys(keys, app_wide) if self.wrappers else ()
            )
        ]
        given = options.get('controller_wrappers') or ()
        if callable(given) or isinstance(given, str):
            given = (given,)
        for wrapper in given:
            entry = scoped('wrapper', wrapper, None, None)
            chain.append(dict(entry, scope='option'))
        return {
            'exception_view': not app_wide,
            'validate': name_of(options.get('validate')),
            'error_handler': name_of(options.get('error_handler')),
            'controller_wrappers': chain[::-1],
            'hooks': {
                hook: [
                    listener_of(r)
                    for r in self.hooks.registrations_for(hook, keys, app_wide)
                ]
                for hook in PIPELINE_HOOKS
            },
        }


def views(registry, pipeline, introspector):
    """The views of the application, each with what :class:`Pipeline`
    tells of it, in a stable order."""
    utility = registry.queryUtility(IControllerRegistry)
    controller_routes = {} if utility is None else utility.routes
    if introspector is None:
        found = _views_from_adapters(registry)
    else:
        found = [
            (
                entry['introspectable']['callable'],
                dict(entry['introspectable']),
            )
            for entry in introspector.get_category('views', ())
        ]
    views = []
    for view, options in found:
        name = name_of(view)
        route = controller_routes.get(options.get('route_name'))
        if route is not None:
            # the view callable is a closure made for the handler (its scope
            # keys are on it): name the handler
            name = f'{route.controller}.{route.method}'
        methods = options.get('request_methods')
        if isinstance(methods, str):
            methods = [methods]
        views.append(
            {
                'view': name,
                'attr': options.get('attr'),
                'route_name': options.get('route_name'),
                'name': options.get('name') or '',
                'context': name_of(options.get('context')),
                'request_methods': (
                    None if methods is None else sorted(methods)
                ),
                **pipeline.describe(view, options),
            }
        )
    order = ('route_name', 'name', 'context', 'view', 'attr')
    views.sort(key=lambda v: [v[key] or '' for key in order])
    return views
