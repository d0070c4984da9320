"""What ``pyramid_hooks`` needs of Pyramid (2.0, 2.1) that has no public
API, each function saying why; ``tests/test_workarounds.py`` fails the day
one is no longer needed or no longer works."""

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
#: how Pyramid's default view mapper describes an ``attr`` view
_MAPPED_TEXT = re.compile(r'^(?:method|attr) (\S+) of ')


def implicit_tween_names(registry):
    """The names of the implicitly ordered tweens, outermost first: Pyramid
    publishes its sorting nowhere (``ptweens`` reads it as we do)."""
    return [name for name, _ in registry.getUtility(ITweens).implicit()]


def views_without_introspection(registry):
    """The views of an application whose introspection is off, as some of
    their ``views`` introspectables' options, read from the adapters."""
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
    (``config.info`` is undocumented)."""
    if isinstance(info, tuple) and len(info) == 4:
        info = ActionInfo(*info)
    config = config.with_package(config.package)
    config.info = info
    return config


def known_view_options(config):
    """The names ``add_view`` accepts (no public reader)."""
    known = set(inspect.signature(Configurator.add_view).parameters)
    known.update(config.get_predlist('view').names())
    return known | deriver_options(config.registry)


def deriver_options(registry, but=None):
    """The view options the derivers other than *but* declare."""
    return {
        option
        for deriver in registry.getUtility(IViewDerivers).values()
        if deriver is not but
        for option in getattr(deriver, 'options', ())
    }


def response_if_made(request):
    """``request.response`` if made already (reading the ``reify`` would
    make it), else ``None``."""
    return vars(request).get('response')


def forget_response(request):
    """Drop ``request.response``, as Pyramid does when a view raises."""
    vars(request).pop('response', None)


# --- what Pyramid keeps, sets or describes with no public API for it ------
def default_permission(registry):
    """``set_default_permission``'s permission, or ``None`` (no reader)."""
    return registry.queryUtility(IDefaultPermission)


def default_csrf_token(registry):
    """The default CSRF options' token field, or ``None`` (no reader)."""
    return getattr(registry.queryUtility(IDefaultCSRFOptions), 'token', None)


def root_factory_of(registry):
    """The root factory, else Pyramid's default one (no reader)."""
    return registry.queryUtility(IRootFactory, default=DefaultRootFactory)


def route_names(registry):
    """The names of the routes of *registry*, static ones included."""
    mapper = registry.queryUtility(IRoutesMapper)
    if mapper is None:
        return []
    return [route.name for route in mapper.get_routes(include_static=True)]


def matched_routes(registry):
    """The routes of *registry* in the order Pyramid matches them."""
    return registry.getUtility(IRoutesMapper).get_routes()


def is_exception_interface(context):
    """Whether a ``context=`` interface is an exception's."""
    return IException.isEqualOrExtendedBy(context)


def pending_actions(config):
    """The actions the commit has yet to run (``action_state``)."""
    return config.action_state.actions


#: after every other action, so that no action ever adds one behind it
ORDER_CLAIMS = 2**62


def claimed_action(config, discriminator, register, order, introspectables):
    """Add *register*, overridable by *discriminator* as Pyramid's include
    path rule says, at an early *order* an override cannot break.

    Pyramid (2.0, 2.1) leaves an overridden action among the pending ones;
    once an action adds actions (``pyramid_retry``'s ``includeme`` does, at
    ``PHASE1_CONFIG``), a pending overridden one of a lower order raises
    ``ConfigurationError: Actions were added to order=...``. So the effect
    runs without a discriminator, only if it is the registration Pyramid's
    rule keeps (the shortest include path, then the first), and a callable
    "claim" action, last of all, holds the discriminator: Pyramid resolves
    the claims, reporting a real conflict, and a stale claim is never
    behind. ``tests/test_ovr15.py`` fails the day Pyramid no longer needs it.
    The registrations are noted beside Pyramid's pending actions (its
    ``action_state``), not in the registry: nothing changes there before
    an action runs.
    """
    claims = vars(config.action_state).setdefault('pyramid_hooks_claims', {})
    group = claims.setdefault(discriminator, [None])  # [winner, *entries]
    me = (config.includepath, len(group))
    group.append(me)
    info = config.action_info
    if not config.introspection:
        introspectables = ()

    def effect():
        if group[0] is None:  # the first to run settles it, as Pyramid does
            group[0] = min(group[1:])
        if group[0] is me:
            register()
            for intr in introspectables:
                intr.register(config.introspector, info)

    def claim():
        claims.pop(discriminator, None)  # a next commit starts afresh

    config.action(None, effect, order=order, pyramid_hooks=True)
    config.action(discriminator, claim, order=ORDER_CLAIMS, pyramid_hooks=True)


def renderer_helper(name, package=None, registry=None):
    """What ``add_view`` makes of ``renderer=`` *name*."""
    return RendererHelper(name=name, package=package, registry=registry)


def name_view(view, module, qualname):
    """Name the closure *view* ``module.qualname`` for ``pviews`` and
    Pyramid's messages (``add_view`` takes no description)."""
    view.__module__ = module
    view.__qualname__ = qualname
    view.__name__ = qualname.rpartition('.')[2]


def quote_route_value(value):
    """*value* quoted as one path segment, ``/`` included, as
    ``quote_path_segment`` does but without caching what clients choose."""
    return quote(str(value), safe=PATH_SEGMENT_SAFE)


# --- is this a response: the registry's adapter lookup, once -------------
#: What every dict provides (``providedBy`` is slow on builtins).
_DICT_PROVIDES = implementedBy(dict)


def as_response(result, registry=None):
    """*result* as a response, or ``None``: itself if one (without
    *registry*, any ``webob.Response``), else what an adapter makes of it."""
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


def adapts(registry, cls):
    """Whether a response adapter of *registry* takes a *cls* instance."""
    return registry.adapters.lookup1(implementedBy(cls), IResponse) is not None


# --- error handlers: a method of the view's class, mapped as the view ----
def map_view(view, options, registry):
    """*view* mapped by Pyramid's ``mapped_view`` deriver as *options* say
    (its default mapper is registered nowhere)."""
    return mapped_view(
        view, SimpleNamespace(options=options, registry=registry)
    )


# --- the pipeline: the render-call hooks ----------------------------------
def hook_renderer(info, hooked):
    """Give the view's ``rendered_view`` the renderer ``hooked(renderer)``:
    Pyramid has no hook around its renderer call."""
    info.options['renderer'] = hooked(info.options['renderer'])


#: The ``__dict__`` key of :func:`hand_override_renderer`'s helper.
_HANDED_OVERRIDE = 'pyramid_hooks.override_renderer'


def hand_override_renderer(request, result, package, registry):
    """Take ``request.override_renderer`` off the request when *result*
    will be rendered, leaving its helper for the hooked renderer; return
    *result*, or the response an adapter made of it (called once)."""
    # as rendered_view reads it: a view may be called without a request
    attrs = getattr(request, '__dict__', None)
    if attrs is None or 'override_renderer' not in attrs:
        return result
    response = as_response(result, registry)
    if response is not None:
        return response
    name = attrs.pop('override_renderer')
    attrs[_HANDED_OVERRIDE] = renderer_helper(name, package, registry)
    return result


def handed_override_renderer(request):
    """The helper :func:`hand_override_renderer` left, taken off, or None."""
    attrs = getattr(request, '__dict__', None)
    return None if attrs is None else attrs.pop(_HANDED_OVERRIDE, None)


# --- decorators.py: what a decorator attached, for the unscanned check -----
def venusian_callbacks(ob):
    """The callbacks venusian's ``attach`` gave *ob* (no reader)."""
    categories = getattr(ob, ATTACH_ATTR, None)
    if not isinstance(categories, dict):
        return ()
    return [entry[0] for entries in categories.values() for entry in entries]


def call_before_others(wrapped, info, ours):
    """Move the callback just attached to *wrapped* (*info*) before those
    other packages' decorators under it attached: venusian only appends."""
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
