"""The Pyramid workarounds: what ``pyramid_hooks`` needs to know and Pyramid
(2.0, 2.1) offers no public API for.  Every other module uses Pyramid's
public API only.  Each function says what Pyramid lacks and why we need it;
``tests/test_workarounds.py`` fails the day one is no longer needed (Pyramid
made the thing public) or no longer works (the internal changed).
"""

import inspect
import itertools
import re
from types import SimpleNamespace
from urllib.parse import quote

from pyramid.config import Configurator
from pyramid.config.actions import ActionInfo
from pyramid.interfaces import (
    IDefaultCSRFOptions,
    IDefaultPermission,
    IException,
    IMultiView,
    IResponse,
    IRootFactory,
    IRouteRequest,
    IRoutesMapper,
    ISecuredView,
    ITweens,
    IView,
    IViewClassifier,
    IViewDerivers,
)
from pyramid.renderers import RendererHelper
from pyramid.response import Response
from pyramid.traversal import PATH_SEGMENT_SAFE, DefaultRootFactory
from pyramid.viewderivers import mapped_view
from venusian import ATTACH_ATTR
from webob import Response as WebobResponse
from zope.interface import Interface, implementedBy, providedBy

# --- phooks (scripts/report.py): the tween chain and the views -------------

#: how Pyramid's default view mapper describes the view it mapped for an
#: ``attr``: ``'method about of <class ...>'`` or ``'attr about of ...'``
_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')


def implicit_tween_names(registry):
    """The names of the implicitly ordered tweens (``add_tween``), outermost
    first, in the order Pyramid chains them.  Pyramid sorts the
    ``under=``/``over=`` hints only when it makes the WSGI application, and
    publishes the result nowhere (the introspectables keep the hints,
    ``ITweens`` declares nothing); its own ``ptweens`` reads
    ``Tweens.implicit()`` as we do, and sorting them ourselves could drift."""
    return [name for name, _ in registry.getUtility(ITweens).implicit()]


def views_without_introspection(registry):
    """The views of an application whose introspection is off, as the
    options of the ``views`` introspectables they would have had (only
    ``callable``, ``name``, ``route_name``, ``attr``, ``context`` and
    ``exception_only``).  Pyramid keeps a view's options in its
    introspectable only; without introspection what is left is the view
    adapters, under interfaces marked *internal only*, a multi-view's in
    ``views`` and ``media_views``, each wrapping ``__original_view__``, the
    ``attr`` only in the ``__text__`` the view mapper wrote, and a class
    context as ``implementedBy(cls)``, whose ``inherit`` is the class."""
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


# --- controllers: action info, view options, request.response ------------


def with_action_info(config, info):
    """A copy of *config* whose actions say they were registered at *info*
    (a venusian ``(file, line, function, src)`` tuple, an action info, or a
    text), so that conflicts and errors name the user's line, not ours.
    Pyramid's own ``view_config`` passes the undocumented ``_info=`` to
    ``add_view`` for this; the configurator's ``info`` is as undocumented."""
    if isinstance(info, tuple) and len(info) == 4:
        info = ActionInfo(*info)
    config = config.with_package(config.package)
    config.info = info
    return config


def known_view_options(config):
    """The names ``add_view`` accepts: its parameters, the view predicates
    and the options the view derivers declare, once they are registered
    (``PHASE2_CONFIG``).  Pyramid checks them outside any action, so its
    error names no line, and its registries of predicates and derivers
    have no public reader."""
    known = set(inspect.signature(Configurator.add_view).parameters)
    known.update(config.get_predlist('view').names())
    return known | deriver_options(config.registry)


def deriver_options(registry, but=None):
    """The view options the view derivers declare, but those of the
    deriver *but* only: two add-ons may declare one name
    (pyramid_marshmallow's ``validate=`` takes a schema) and Pyramid gives
    the value to both.  Pyramid's registry of derivers has no public
    reader."""
    return {
        option
        for deriver in registry.getUtility(IViewDerivers).values()
        if deriver is not but
        for option in getattr(deriver, 'options', ())
    }


def response_if_made(request):
    """``request.response`` if something made it already, else ``None``
    (reading it would make one).  Pyramid makes it on first use (a
    ``reify``) and says nowhere whether it was; its renderers use it
    whenever a view touched it, and so do controller replies."""
    return vars(request).get('response')


def forget_response(request):
    """Drop ``request.response``, so that the next use makes a new one (as
    Pyramid does when a view raises): what a failed JSON-RPC call set
    there reaches no reply."""
    vars(request).pop('response', None)


# --- what Pyramid keeps, sets or describes with no public API for it ------


def default_permission(registry):
    """``set_default_permission``'s permission, or ``None``: a JSON-RPC
    refusal names the permission Pyramid required.  Pyramid has no
    reader of it."""
    return registry.queryUtility(IDefaultPermission)


def default_csrf_token(registry):
    """The form field of ``set_default_csrf_options``' token, or ``None``:
    http handlers do not receive it.  Pyramid has no reader of it."""
    return getattr(registry.queryUtility(IDefaultCSRFOptions), 'token', None)


def root_factory_of(registry):
    """The application's root factory (``set_root_factory``), else
    Pyramid's default one (undocumented): a widgets route falls back to
    the root the application would have.  Pyramid has no reader of it."""
    return registry.queryUtility(IRootFactory, default=DefaultRootFactory)


def route_names(registry):
    """The names of the routes of *registry*, static ones included.
    ``config.get_routes_mapper()`` reads them from a configurator; the
    registry's mapper has no public reader, and introspection may be off."""
    mapper = registry.queryUtility(IRoutesMapper)
    if mapper is None:
        return []
    return [route.name for route in mapper.get_routes(include_static=True)]


def is_exception_interface(context):
    """Whether the interface *context* (a view's ``context=``) is one of
    exceptions, as Pyramid decides which views serve exceptions; its
    ``IException`` is not an API."""
    return IException.isEqualOrExtendedBy(context)


def pending_actions(config):
    """The actions the commit has yet to run (a directive called from an
    action adds one there).  The configurator's ``action_state`` is not an
    API; a milestone's listener calling a directive whose order the commit
    has passed must be told, and Pyramid says nothing."""
    return config.action_state.actions


def renderer_helper(name, package=None, registry=None):
    """What ``add_view`` makes of ``renderer=`` *name* (a ``RendererHelper``,
    not an API): a callback's relative template name is resolved against
    its own module's package, and a name's ``type`` picks the renderer
    factory, which Pyramid looks up on the first request only."""
    return RendererHelper(name=name, package=package, registry=registry)


def name_view(view, module, qualname):
    """Name the function *view* ``module.qualname``, as ``pviews``,
    ``proutes`` and Pyramid's messages name a view (by its ``__module__``
    and ``__name__`` or ``__qualname__``): a controller's view is a
    closure, and ``add_view`` takes no description of the view."""
    view.__module__ = module
    view.__qualname__ = qualname
    view.__name__ = qualname.rpartition('.')[2]


def quote_route_value(value):
    """*value* quoted as one path segment, as Pyramid's
    ``quote_path_segment`` quotes it (its ``/`` too: a route's
    ``{lang:.+}`` value of ``../../admin`` would make a link that leaves
    its segment), but not cached for good as that function caches each
    value: a widget's URL takes the values of the request's own route,
    which clients choose."""
    return quote(str(value), safe=PATH_SEGMENT_SAFE)


# --- is this a response: the registry's adapter lookup, once -------------


#: What every dict provides (a dict cannot carry interfaces of its own,
#: and ``providedBy`` is slow on builtins).
_DICT_PROVIDES = implementedBy(dict)


def as_response(result, registry=None):
    """*result* as a response, or ``None`` when it is not one: *result*
    itself when it provides ``IResponse``; with *registry*, also what a
    response adapter makes of it, as Pyramid's ``rendered_view`` asks
    (``registry.queryAdapterOrSelf(result, IResponse)``), with the
    interfaces of *result* computed once, and not at all for a plain dict
    (this lookup was most of the cost of ``before_render``).  Without
    *registry*, a ``webob.Response`` is one too: Pyramid's default adapter
    takes it as it is."""
    cls = result.__class__
    if cls is Response:
        return result
    provided = _DICT_PROVIDES if cls is dict else providedBy(result)
    if provided.isOrExtends(IResponse):
        return result
    if registry is None:
        return result if isinstance(result, WebobResponse) else None
    factory = registry.adapters.lookup1(provided, IResponse)
    return None if factory is None else factory(result)


# --- error handlers: a method of the view's class, mapped as the view ----


def map_view(view, options, registry):
    """*view* mapped by Pyramid's ``mapped_view`` deriver as the view
    *options* say (``attr``, ``mapper``): the view's own mapper, the
    application's (``set_view_mapper``) or Pyramid's default one, which is
    registered nowhere and documented only as the mapper Pyramid uses.
    An error handler runs another method of a class view as the view's
    own mapper would run it."""
    return mapped_view(
        view, SimpleNamespace(options=options, registry=registry)
    )


# --- the pipeline: the render-call hooks ----------------------------------


def hook_renderer(info, hooked):
    """Give Pyramid's ``rendered_view`` of the view being derived the
    renderer ``hooked(renderer)``: it reads the view option ``renderer``
    when it is derived, after the derivers under it (ours among them), and
    calls its ``clone().render_view(...)`` with the values every deriver
    under it returned.  Pyramid has no hook around its renderer call, nor
    a public way to change a view option for the derivers over one."""
    info.options['renderer'] = hooked(info.options['renderer'])


#: The key of the request's ``__dict__`` where :func:`hand_override_renderer`
#: leaves the helper for :func:`handed_override_renderer`.
_HANDED_OVERRIDE = 'pyramid_hooks.override_renderer'


def hand_override_renderer(request, result, package, registry):
    """Take ``request.override_renderer`` off the request when *result*
    will be rendered, as Pyramid's ``rendered_view`` takes it (from the
    request's ``__dict__``) to render with it instead of calling the view's
    renderer, the hooked one; leave its helper for
    :func:`handed_override_renderer`, which the hooked renderer, called by
    ``rendered_view`` in turn, reads.  Pyramid offers no other way to
    choose the renderer of one request.  Return *result*, or the response
    an application's response adapter made of it, which ``rendered_view``
    takes as is: the adapter is called once, as without the hooks."""
    # as rendered_view reads it: a view may be called without a request
    attrs = getattr(request, '__dict__', None)
    if attrs is None or 'override_renderer' not in attrs:
        return result
    response = as_response(result, registry)
    if response is not None:
        return response
    attrs[_HANDED_OVERRIDE] = RendererHelper(
        name=attrs.pop('override_renderer'),
        package=package,
        registry=registry,
    )
    return result


def handed_override_renderer(request):
    """The helper :func:`hand_override_renderer` left on *request*, taken
    off it, or ``None``."""
    attrs = getattr(request, '__dict__', None)
    return None if attrs is None else attrs.pop(_HANDED_OVERRIDE, None)


# --- decorators.py: what a decorator attached, for the unscanned check -----


def venusian_callbacks(ob):
    """The callbacks venusian's ``attach`` gave *ob*, of every category (a
    class's include those of the methods decorated in its body).  Venusian
    only calls them, from a scan; it has no reader of them, and a view
    whose decorators no scan found must be told at startup."""
    categories = getattr(ob, ATTACH_ATTR, None)
    if not isinstance(categories, dict):
        return ()
    return [entry[0] for entries in categories.values() for entry in entries]


def call_before_others(wrapped, info, ours):
    """Move the callback just attached to *wrapped* (venusian's
    ``AttachInfo`` *info*) before those that another package's decorators
    under it attached to the same object (Pyramid's ``view_config``), not
    before those that *ours* tells: a scan calls them bottom up, and an
    autocommitting configurator (``pyramid.testing.setUp()``) derived
    the view before its listener existed.  Venusian appends a callback to
    the list of its category, for the class in a class body; it has no way
    to place one."""
    if info.scope == 'class':
        categories = info.locals[ATTACH_ATTR]
    else:
        categories = getattr(wrapped, ATTACH_ATTR)
    entries = categories[info.category]
    entry = entries.pop()
    liftid = entry[2]  # the decorated function's name: its own entries
    index = len(entries)
    while index and entries[index - 1][2] == liftid:
        if ours(entries[index - 1][0]):
            break
        index -= 1
    entries.insert(index, entry)
