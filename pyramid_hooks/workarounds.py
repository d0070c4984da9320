"""The Pyramid workarounds: what ``pyramid_hooks`` needs to know and Pyramid
(2.0, 2.1) offers no public API for.  Every other module uses Pyramid's
public API only.  Each function says what Pyramid lacks and why we need it;
``tests/test_workarounds.py`` fails the day one is no longer needed (Pyramid
made the thing public) or no longer works (the internal changed).
"""

import itertools
import re

from pyramid.interfaces import (
    IMultiView,
    IRouteRequest,
    ISecuredView,
    ITweens,
    IView,
    IViewClassifier,
)
from zope.interface import Interface

# --- phooks (scripts/report.py): the tween chain and the views -------------

#: how Pyramid's default view mapper describes the view it mapped for an
#: ``attr``: ``'method about of <class ...>'`` or ``'attr about of ...'``
_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')


def implicit_tween_names(registry):
    """The names of the implicitly ordered tweens (``add_tween``), outermost
    first, in the order Pyramid chains them.

    Pyramid sorts the ``under=``/``over=`` hints only when it makes the
    WSGI application, and the result is not public: not in the ``tweens``
    introspectables, which keep the hints unsorted, and not in the
    ``ITweens`` interface, which declares nothing.  Pyramid's own
    ``ptweens`` reads ``Tweens.implicit()`` as we do; re-sorting the hints
    ourselves could drift from what Pyramid builds."""
    return [name for name, _ in registry.getUtility(ITweens).implicit()]


def views_without_introspection(registry):
    """The views of an application whose introspection is off, as the
    options of the ``views`` introspectables they would have had (only
    ``callable``, ``name``, ``route_name``, ``attr``, ``context`` and
    ``exception_only``).

    Pyramid keeps a view's options in its introspectable only; with
    ``Configurator(introspection=False)`` what is left is the view
    adapters it registered, under interfaces its documentation marks
    *internal only* (``IViewClassifier``, ``IRouteRequest``,
    ``ISecuredView``, ``IMultiView``).  A multi-view keeps its views in
    ``views`` and ``media_views``, the function a view deriver wraps is
    ``__original_view__``, the ``attr`` is only in the ``__text__`` the view
    mapper wrote, and a class context is registered as
    ``implementedBy(cls)``, whose ``inherit`` is the class."""
    routes = {
        iface: name for name, iface in registry.getUtilitiesFor(IRouteRequest)
    }
    found = {}
    for reg in registry.registeredAdapters():
        if reg.provided not in (IView, ISecuredView, IMultiView):
            continue
        derived = [reg.factory]
        if IMultiView.providedBy(reg.factory):
            multi = reg.factory
            entries = itertools.chain(multi.views, *multi.media_views.values())
            derived = [view for _, view, _ in entries]
        context = reg.required[2]
        context = getattr(context, 'inherit', None) or (
            None if context is Interface else context
        )
        for view in derived:
            original = getattr(view, '__original_view__', view)
            match = _MAPPED_TEXT.match(getattr(view, '__text__', ''))
            attr = match and match.group(1)
            attr = None if attr == '__call__' else attr
            route_name = routes.get(reg.required[1])
            # a view serving exceptions too is derived once per classifier
            key = (id(original), attr, route_name, reg.name, context)
            options = {
                'callable': original,
                'name': reg.name,
                'route_name': route_name,
                'attr': attr,
                'context': context,
                'exception_only': True,
            }
            options = found.setdefault(key, options)
            if reg.required[0] is IViewClassifier:
                options['exception_only'] = False
    return list(found.values())
