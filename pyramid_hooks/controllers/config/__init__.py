"""Directives of extensible controllers: ``config.add_controller`` and
``config.add_controller_auth``.

One action per commit, at :data:`~pyramid_hooks.config.ORDER_CALLS_MADE`
(it adds actions, see there; it runs after the route converters are
registered), combines the activated classes, merges the ``route()``
options, looks at the URLs together
(:mod:`~pyramid_hooks.controllers.config.urls`) and calls
``config.add_route`` / ``config.add_view``
with the activating configurator: ordinary actions, with Pyramid's conflict
detection and include-path override.  What it needs from later actions is
read when the views are derived (``auth`` checks) or at ``PHASE2_CONFIG``
(the CSRF token's field name).
"""

import inspect
import logging
from collections import namedtuple
from collections.abc import Callable

from pyramid.config import PHASE1_CONFIG, PHASE2_CONFIG, Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.interfaces import IDefaultCSRFOptions
from pyramid.renderers import null_renderer
from pyramid.request import Request
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.viewderivers import INGRESS

from pyramid_hooks.config import (
    CATEGORY_CONTROLLERS,
    ORDER_CALLS_MADE,
    ensure_not_frozen,
)
from pyramid_hooks.controllers import (
    BUILTIN_AUTH,
    CONTROLLER_ATTRIBUTES,
    JSON_ONLY,
    ROUTE_ONLY,
    Controller,
    Endpoint,
    function_location,
)
from pyramid_hooks.controllers.config.merging import (
    combine,
    families,
    merge_routing,
    route_names,
    warn_sibling_conflicts,
)
from pyramid_hooks.controllers.config.urls import ServedRoute, share_urls
from pyramid_hooks.controllers.converters import BUILTIN as BUILTIN_CONVERTERS
from pyramid_hooks.controllers.converters import PREDICATE, compile_pattern
from pyramid_hooks.controllers.envelope import jsonrpc_view
from pyramid_hooks.controllers.views import (
    controller_ingress_view,
    http_params_factory,
    json_params,
    make_response,
    make_view,
    method_caller,
)
from pyramid_hooks.interfaces import IControllerRegistry
from pyramid_hooks.pipeline import AFTER_RENDER
from pyramid_hooks.probes import traced_controller, tracing_enabled
from pyramid_hooks.settings import HooksSettings
from pyramid_hooks.shared import (
    call_problem,
    describe_info,
    get_hooks_settings,
    object_name,
    registry_utility,
    resolve,
)
from pyramid_hooks.workarounds import known_view_options, with_action_info

log = logging.getLogger(__name__)

INGRESS_DERIVER = 'pyramid_hooks_controller_ingress'
JSONRPC_DERIVER = 'pyramid_hooks_jsonrpc'

#: One registered controller route (a value of
#: :attr:`ControllerRegistry.routes`): ``options`` are the merged ``route()``
#: options, ``endpoint`` the :class:`~pyramid_hooks.controllers.Endpoint`.
ControllerRoute = namedtuple(
    'ControllerRoute', 'name pattern controller method options endpoint'
)

#: One served controller (a value of :attr:`ControllerRegistry.controllers`):
#: its activated leaf ``classes`` in activation order, the ``routes`` it
#: serves and the ``(method, reason)`` of the handlers ``skipped``.
ControllerInfo = namedtuple(
    'ControllerInfo', 'name serving classes routes skipped'
)


class ControllerRegistry:
    """The controllers of one application (its attributes are described in
    ``docs/controllers.rst``, "Route names and introspection")."""

    def __init__(self):
        self.auth_modes = dict(BUILTIN_AUTH)
        #: ``{class: (action info, configurator)}``: a controller's routes
        #: are added with the configurator of its first activated class
        self.activated = {}
        self.controllers = {}
        self.routes = {}
        #: the activated classes whose routes are added
        self.built = set()
        #: the form fields of CSRF tokens, dropped from http parameters
        self.csrf_tokens = ('csrf_token',)
        #: ``{url: ServedRoute}``: the first route answering each URL
        self.urls = {}
        #: ``{name: factory}`` of the ``route()`` converters
        #: (:mod:`pyramid_hooks.controllers.converters`)
        self.converters = dict(BUILTIN_CONVERTERS)


def get_controller_registry(registry):
    """The application's :class:`ControllerRegistry` (made on first use)."""
    return registry_utility(registry, IControllerRegistry, ControllerRegistry)


def add_controller_auth(
    config: Configurator, name: str, check: Callable[[Request], object] | str
) -> None:
    """Add (or replace) the ``auth`` mode *name*: *check* (a callable or
    dotted name) is called as ``check(request)`` before the handler, failing
    closed (:func:`~pyramid_hooks.controllers.auth_refusal`)."""
    what = f'add_controller_auth {name!r}'
    if not isinstance(name, str) or not name:
        raise ConfigurationError(
            f'add_controller_auth: the mode name must be a non-empty '
            f'string, got {name!r}'
        )
    resolved = resolve(check, what, config.package)
    problem = call_problem(resolved, ('request',))
    if problem is not None:
        raise ConfigurationError(
            f'{what}: {object_name(resolved)} must accept (request): {problem}'
        )
    ensure_not_frozen(config, what)
    intr = config.introspectable(
        CATEGORY_CONTROLLERS,
        ('auth', name),
        f'auth mode {name}',
        'pyramid_hooks controller auth',
    )
    intr['name'] = name
    intr['check'] = resolved

    def register():
        get_controller_registry(config.registry).auth_modes[name] = resolved

    # read when the controller views are derived (PHASE3_CONFIG)
    config.action(
        ('pyramid_hooks controller auth', name),
        register,
        order=PHASE1_CONFIG,
        introspectables=(intr,),
    )


def add_controller(config: Configurator, cls: type[Controller] | str) -> None:
    """Activate the controller class *cls* (a class or dotted name); twice
    is once.  An activated subclass of an activated class *extends* it."""
    resolved = resolve(cls, 'add_controller', config.package)
    if not (
        inspect.isclass(resolved)
        and issubclass(resolved, Controller)
        and resolved is not Controller
    ):
        raise ConfigurationError(
            f'add_controller: {cls!r} is not a subclass of '
            'pyramid_hooks.controllers.Controller'
        )
    ensure_not_frozen(config, f'add_controller {object_name(resolved)}')
    intr = config.introspectable(
        CATEGORY_CONTROLLERS,
        ('activation', object_name(resolved)),
        object_name(resolved),
        'pyramid_hooks controller activation',
    )
    intr['class'] = resolved
    # no discriminator: activating a class twice is activating it once
    config.action(
        None,
        activate,
        args=(config, resolved, config.action_info),
        order=ORDER_CALLS_MADE,
        introspectables=(intr,),
    )
    config.action(
        None,
        schedule_build,
        args=(config, config.action_info),
        order=ORDER_CALLS_MADE,
    )
    config.action(
        None,
        read_csrf_tokens,
        args=(config.registry,),
        order=PHASE2_CONFIG,
    )


def activate(config, cls, info):
    """The activation action (in call order, before the builds it
    schedules): the first controller of the application brings the
    derivers (their actions come at ``PHASE1_CONFIG``, after this order):
    Pyramid runs every deriver for every view (and sorts them again for
    each), so an application without controllers does not pay."""
    controllers = get_controller_registry(config.registry)
    if not controllers.activated:
        where = with_action_info(config, info)
        where.add_view_deriver(
            controller_ingress_view,
            name=INGRESS_DERIVER,
            under=INGRESS,
            over='secured_view',
        )
        where.add_view_deriver(
            jsonrpc_view,
            name=JSONRPC_DERIVER,
            under=AFTER_RENDER,
            over='rendered_view',
        )
    controllers.activated.setdefault(cls, (info, config))


def read_csrf_tokens(registry):
    """Record the form fields of CSRF tokens (``csrf_token`` and that of the
    default CSRF options), which http handlers do not receive: at
    ``PHASE2_CONFIG``, after ``set_default_csrf_options``."""
    token = getattr(registry.queryUtility(IDefaultCSRFOptions), 'token', None)
    extra = (token,) if token and token != 'csrf_token' else ()
    controllers = get_controller_registry(registry)
    controllers.csrf_tokens = ('csrf_token', *extra)


def schedule_build(config, info):
    """Add the build action: it runs after every action of its order made
    by a directive call, ``add_route_converter``'s included; its errors
    name the line of the ``add_controller`` call (*info*)."""
    controllers = get_controller_registry(config.registry)
    config = with_action_info(config, info)
    config.action(
        None, build_controllers, args=(controllers,), order=ORDER_CALLS_MADE
    )


def build_controllers(controllers):
    """The build action: combine, merge, and add the routes and views
    (once per commit, whatever the number of activations)."""
    pending = [c for c in controllers.activated if c not in controllers.built]
    if not pending:
        return
    planned = []  # (config, info, intr, endpoint) of every handler
    for name, leaves in families(list(controllers.activated)):
        new = [leaf for leaf in leaves if leaf not in controllers.built]
        if name not in controllers.controllers:
            planned.extend(_build_family(controllers, name, leaves))
        elif new:
            raise ConfigurationError(
                f'add_controller {object_name(new[0])} at '
                f'{describe_info(controllers.activated[new[0]][0])}: it '
                f'extends the controller {name}, whose routes were '
                'registered by an earlier commit; activate extensions in '
                'the same commit as their base'
            )
    served = {  # the routes of each handler
        id(plan[3]): plan_routes(controllers, *plan) for plan in planned
    }
    config = controllers.activated[pending[0]][1]
    settings = get_hooks_settings(config.registry) or HooksSettings()
    predicates = share_urls(
        controllers,
        [route for routes in served.values() for route in routes],
        settings.controllers_discover,
    )
    for plan in planned:
        _add_views(controllers, *plan, served[id(plan[3])], predicates)
    controllers.built.update(pending)


def _build_family(controllers, name, leaves):
    first = next(
        cls
        for cls in controllers.activated
        if any(issubclass(leaf, cls) for leaf in leaves)
    )
    where, config = controllers.activated[first]
    where = describe_info(where)
    serving = combine(name, leaves)
    info = ControllerInfo(name, serving, tuple(leaves), [], [])
    intr = config.introspectable(
        CATEGORY_CONTROLLERS,
        ('controller', name),
        name,
        'pyramid_hooks controller',
    )
    intr['serving'] = serving
    intr['classes'] = tuple(leaves)
    intr['routes'] = info.routes
    planned = []
    for method in route_names(serving):
        routing, functions, owner = merge_routing(serving, method)
        if len(leaves) > 1:
            warn_sibling_conflicts(name, leaves, method, routing is not None)
        if routing is None:
            reason = (
                f'redefined without @route in {object_name(owner)}: '
                'unpublished'
            )
            info.skipped.append((method, reason))
        elif not routing['routes']:
            log.warning(
                'Controller %s: handler %s has no route after merging; '
                'skipped',
                name,
                method,
            )
            info.skipped.append((method, 'no route after merging'))
        else:
            check_routing(routing, functions[-1])
            check_handler_name(method, functions[-1])
            endpoint = Endpoint(serving, method, routing, functions, where)
            planned.append((config, info, intr, endpoint))
    controllers.controllers[name] = info
    config.action(None, introspectables=(intr,))
    return planned


def check_routing(routing, handler):
    """Refuse merged options that contradict each other (a subclass may
    give ``cors_credentials`` and a parent ``cors``): browsers refuse
    credentials with ``'*'``, and without ``cors`` they would do nothing."""
    where = function_location(handler)
    if routing.get('cors_credentials') and routing['cors'] in (None, '*'):
        why = (
            'the route has no cors=; give the allowed origins'
            if routing['cors'] is None
            else "not with cors='*' (browsers refuse credentials for any "
            'origin); list the allowed origins'
        )
        raise ConfigurationError(
            f'route(cors_credentials=True) on {where}: {why}'
        )
    if routing['type'] == 'json' and 'renderer' in routing:
        raise ConfigurationError(
            f'route(renderer=...) on {where}: a JSON route replies in '
            'JSON-RPC; it takes no renderer'
        )
    json_only = [key for key in JSON_ONLY if key in routing]
    if routing['type'] != 'json' and json_only:
        raise ConfigurationError(
            f'route({json_only[0]}=...) on {where}: only JSON routes take '
            "it (give type='json', or drop the option)"
        )


def check_handler_name(name, handler):
    """Refuse a handler named like an attribute of :class:`Controller`
    (``request``): the instance's attribute hides it, and every request
    would fail."""
    if name in CONTROLLER_ATTRIBUTES:
        raise ConfigurationError(
            f'Controller handler {function_location(handler)} is named '
            f'like the attribute {name!r} of '
            'pyramid_hooks.controllers.Controller, which hides it on the '
            'instance made for each request; rename the method (the URL '
            'stays what route() says)'
        )


def check_view_options(config, endpoint, options):
    """Refuse the view options of *endpoint* that no view deriver or
    predicate knows, naming the handler.

    The workaround of one Pyramid behaviour (2.1): ``add_view`` checks its
    options while Pyramid resolves the view's deferred discriminator,
    outside any action, so the error carries no action info and names no
    line, only ``Unknown view options: {'colour': 'red'}`` (see
    :func:`~pyramid_hooks.workarounds.known_view_options`).  It runs
    as an action of order ``PHASE2_CONFIG``: after the view derivers and
    predicates (``PHASE1_CONFIG``), before the views."""
    unknown = sorted(set(options) - known_view_options(config))
    if unknown:
        raise ConfigurationError(
            f'route() on {endpoint.description}: unknown view option(s) '
            f'{", ".join(unknown)}'
        )


def plan_routes(controllers, config, info, intr, endpoint):
    """The :class:`~pyramid_hooks.controllers.config.urls.ServedRoute` of
    each pattern of *endpoint*: its route name, the Pyramid pattern its
    converters give and the URL it answers (the include's route prefix
    applied, as ``config.add_route`` does)."""
    base = f'{info.name}.{endpoint.name}'
    routes = []
    for index, pattern in enumerate(endpoint.routing['routes']):
        converted, conversions = compile_pattern(
            pattern, controllers.converters, endpoint.description
        )
        url = converted
        if config.route_prefix:
            url = f'{config.route_prefix.rstrip("/")}/{converted.lstrip("/")}'
        route_name = base if index == 0 else f'{base}:{index}'
        routes.append(
            ServedRoute(
                endpoint, route_name, pattern, converted, conversions, url
            )
        )
    return routes


def _add_views(controllers, config, info, intr, endpoint, routes, extra):
    routing = endpoint.routing
    functions = endpoint.functions
    options = {k: v for k, v in routing.items() if k not in ROUTE_ONLY}
    rendered = 'renderer' in options
    if routing['auth'] == 'none' and options.get('permission') is None:
        # 'none' does no identity work: a default permission would
        # consult the security policy.  An explicit one still applies.
        options['permission'] = NO_PERMISSION_REQUIRED
    if endpoint.type == 'json':
        params_factory = json_params
        options['renderer'] = null_renderer
        # JSON routes are exempt from Pyramid's CSRF check (its own
        # switch): they require the JSON content type instead (DESIGN)
        options['require_csrf'] = False
    else:
        params_factory = http_params_factory(endpoint, controllers)
        options['require_csrf'] = routing['csrf']
    view = make_view(endpoint, params_factory, rendered)
    if tracing_enabled(config.registry):
        view = traced_controller(view, endpoint)
    # what the derivers need (their ``.options``)
    options['controller_endpoint'] = endpoint
    options['params_factory'] = params_factory
    options['hook_scope'] = endpoint.scope_keys
    options['method_caller'] = method_caller(endpoint, rendered)
    config.action(
        None,
        check_view_options,
        args=(config, endpoint, options),
        order=PHASE2_CONFIG,
    )
    # pviews / proutes / tracebacks name the handler, not the closure
    view.__module__ = functions[-1].__module__
    view.__name__ = endpoint.name
    view.__qualname__ = f'{endpoint.controller.__qualname__}.{endpoint.name}'
    # errors and conflicts name the handler's line
    config = with_action_info(config, endpoint.description)
    for route in routes:
        predicates = dict(extra.get(route.route_name, ()))
        if route.conversions:
            predicates[PREDICATE] = route.conversions
        config.add_route(route.route_name, route.converted, **predicates)
        route_options = options
        if route.route_name in endpoint.rpc_urls:
            # JSON handlers sharing a URL: Pyramid's permission check
            # would decide for every call; each call's handler is checked
            # instead (pyramid_hooks.controllers.envelope.shared_url_denial)
            route_options = {**options, 'permission': NO_PERMISSION_REQUIRED}
        config.add_view(view, route_name=route.route_name, **route_options)
        controllers.routes[route.route_name] = ControllerRoute(
            route.route_name,
            route.pattern,
            info.name,
            endpoint.name,
            routing,
            endpoint,
        )
        info.routes.append(route.route_name)
        intr.relate('routes', route.route_name)


def includeme(config):
    """Add ``config.add_controller``, ``config.add_controller_auth``,
    ``config.add_route_converter`` and ``request.make_response``, including
    the core (:mod:`pyramid_hooks.config.core`)."""
    config.include('pyramid_hooks.config.core')
    config.add_request_method(staticmethod(make_response), 'make_response')
    config.include('pyramid_hooks.controllers.config.converters')
    config.add_directive('add_controller', add_controller)
    config.add_directive('add_controller_auth', add_controller_auth)
