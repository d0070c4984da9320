"""The keys that scope listeners and controller wrappers to views (given
``view=`` or ``route_name=``), shared by configuration and run-time code; a
view has the keys of ``pipeline.view_scope_keys``."""

import inspect


def scope_key(view):
    """The key of *view*: a bound, class or static method is keyed by its
    function, so ``view=Class.method`` and ``view=instance.method`` agree."""
    return getattr(view, '__func__', view)


def route_key(route_name):
    """The key under which listeners scoped to a route are kept."""
    return ('route', route_name)


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
