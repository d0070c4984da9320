"""The keys that scope listeners and controller wrappers to views (given
``view=`` or ``route_name=``), shared by configuration and run-time code; a
view has the keys of :func:`view_scope_keys`."""

import inspect
from collections.abc import Hashable

from pyramid_hooks.shared import object_name
from pyramid_hooks.workarounds import is_exception_interface


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


def key_text(key):
    """*key* as the directive was given it, for messages."""
    route = key_route(key)
    return f'route_name={route!r}' if route else f'view={object_name(key)}'


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
    return keys, context is None or not is_exception_interface(context)


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
