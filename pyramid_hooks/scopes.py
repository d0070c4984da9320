"""The keys that scope listeners and controller wrappers to views (given
``view=`` or ``route_name=``), shared by configuration and run-time code; a
view has the keys of :func:`view_scope_keys`."""

import inspect
from collections.abc import Hashable

from pyramid.interfaces import IException, IRoutesMapper

from pyramid_hooks.hook_specs import DEFAULT_NAMESPACE, PIPELINE_HOOKS
from pyramid_hooks.shared import did_you_mean, object_name


def scope_key(view):
    """The key of *view*: a bound, class or static method is keyed by its
    function, so ``view=Class.method`` and ``view=instance.method`` agree."""
    return getattr(view, '__func__', view)


def route_key(route_name):
    """The key under which listeners scoped to a route are kept."""
    return ('route', route_name)


def key_route(key):
    """The route name of *key* when :func:`route_key` made it, else
    ``None``."""
    if isinstance(key, tuple) and len(key) == 2 and key[0] == 'route':
        return key[1]
    return None


def runtime_keys(view):
    """The keys a ``notify(..., view=...)`` call matches: a bound method
    matches both its function and its instance's class."""
    owner = getattr(view, '__self__', None)
    if owner is not None and not inspect.isclass(owner):
        return (scope_key(view), owner.__class__)
    return (scope_key(view),)


def matching_in_order(by_key, keys):
    """The items of *by_key* (scope key -> ``(seq, item)`` pairs) under any
    of *keys*, in *seq* (registration) order, each once."""
    if not by_key:
        return ()
    matched = [pair for key in keys for pair in by_key.get(key, ())]
    if not matched:
        return ()
    return tuple(dict(sorted(matched, key=lambda pair: pair[0])).values())


def view_scope_keys(view, options):
    """The keys that scoped listeners and wrappers are matched against for
    *view* registered with *options*: as ``notify(..., view=...)`` has them,
    a class's ``attr`` method, the ``hook_scope`` option, the route."""
    keys = list(runtime_keys(view)) if isinstance(view, Hashable) else []
    attr = options.get('attr')
    if attr and inspect.isclass(view):
        method = inspect.getattr_static(view, attr, None)
        if method is not None and isinstance(method, Hashable):
            keys.append(scope_key(method))
    keys.extend(options.get('hook_scope') or ())
    route_name = options.get('route_name')
    if route_name:
        keys.append(route_key(route_name))
    return tuple(keys)


def view_scope(info):
    """``(keys, app_wide)`` of the view being derived (*info*), for the
    derivers and ``phooks``.  An exception view gets only what is scoped to
    it, so that an app-wide listener or wrapper that fails cannot also
    break the error page that reports it."""
    keys = view_scope_keys(info.original_view, info.options)
    if info.exception_only:
        return keys, False
    context = info.options.get('context')
    if inspect.isclass(context):
        return keys, not issubclass(context, BaseException)
    return keys, context is None or not IException.isEqualOrExtendedBy(context)


def view_scope_once(info):
    """A function answering :func:`view_scope` of *info*, computed at its
    first call only: the pipeline deriver's three steps share it, and an
    application with nothing registered never computes it."""
    found = []

    def scope():
        if not found:
            found.append(view_scope(info))
        return found[0]

    return scope


def dead_route_scopes(registry, registrations, wrappers):
    """Why each listener (of the :class:`~pyramid_hooks.hook_specs.
    Registration` objects *registrations*) and each controller wrapper
    (``(key, wrapper, where)`` triples *wrappers*) scoped with
    ``route_name=`` can never run, as sentences: no route of that name
    exists (a typo would leave an access check out, silently), no view is
    added for the route (:func:`route_without_views`), or the hook is not
    one of the view pipeline's, whose derivers alone match views by route
    (``notify(..., view=...)`` matches the callable)."""
    mapper = registry.queryUtility(IRoutesMapper)
    routes = {}
    if mapper is not None:
        routes = {r.name: r for r in mapper.get_routes(include_static=True)}
    scoped = [
        (f'listener {r.describe()}', key_route(r.key), r)
        for r in registrations
        if key_route(r.key) is not None
    ]
    scoped += [
        (
            f'controller wrapper {object_name(wrapper)} (registered at '
            f'{where})',
            key_route(key),
            None,
        )
        for key, wrapper, where in wrappers
        if key_route(key) is not None
    ]
    # by name; introspector.get('routes', ...) would add an empty category
    route_intrs = {
        entry['introspectable'].discriminator: entry['introspectable']
        for entry in registry.introspector.get_category('routes', ())
    }
    problems = []
    for what, route, registration in scoped:
        if route not in routes:
            hint = did_you_mean(route, list(routes), '; ')
            problems.append(
                f'The {what} is scoped to route_name={route!r}, and no '
                'route of that name exists (give the name of a route the '
                f'application adds, which proutes lists{hint})'
            )
        elif registration is not None and not (
            registration.namespace == DEFAULT_NAMESPACE
            and registration.hook in PIPELINE_HOOKS
        ):
            problems.append(
                f'The {what} is scoped to route_name={route!r}, which only '
                "the view pipeline's hooks "
                f'({", ".join(PIPELINE_HOOKS)}) match; notify(..., '
                'view=...) matches the view callable: scope it with view= '
                'instead'
            )
        else:
            why = route_without_views(registry, route_intrs.get(route))
            if why is not None:
                problems.append(
                    f'The {what} is scoped to route_name={route!r}, and {why}'
                )
    return problems


def route_without_views(registry, intr):
    """Why no view pipeline has the name of the route whose introspectable
    is *intr*, as the end of a sentence, or ``None`` when a view is added
    with ``route_name=`` its name (or, *intr* ``None``, when the
    configurator kept no introspectables, which alone tell).  A
    global view serving a ``use_global_views=True`` route has no route
    name: a listener scoped to the route would leave it unchecked."""
    if intr is None:
        return None  # introspection=False: cannot tell
    related = registry.introspector.related(intr)
    if any(i.category_name == 'views' for i in related):
        return None
    if intr['static']:
        return (
            'the route is static (static=True, for URL generation only): '
            'no view serves it'
        )
    if intr['use_global_views']:
        return (
            'no view is added with that route_name: the views serving it '
            '(use_global_views=True) are global ones, whose pipeline '
            'matches no route. Scope it with view= or context=, or add '
            "the route's views with route_name="
        )
    return (
        'no view is added with that route_name, so it would never run: '
        "add the route's views with route_name=, or scope it otherwise"
    )
