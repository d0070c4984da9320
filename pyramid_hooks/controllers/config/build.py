"""The build of the controllers: one action per commit combines the
activated classes, merges their ``route()`` options, checks the URLs
together and adds the routes and views with the activating configurator."""

from collections import Counter, namedtuple

from pyramid.config import PHASE2_CONFIG
from pyramid.exceptions import ConfigurationError
from pyramid.renderers import null_renderer
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.config import CATEGORY_CONTROLLERS
from pyramid_hooks.controllers import (
    ROUTE_ONLY,
    Controller,
    Endpoint,
    function_location,
)
from pyramid_hooks.controllers.config.handler_checks import (
    check_error_handler,
    check_handler,
    check_placeholders,
    check_view_options,
)
from pyramid_hooks.controllers.config.merging import (
    combine,
    families,
    log,
    merge_routing,
    refuse_split_prefixes,
    route_names,
    warn_sibling_conflicts,
)
from pyramid_hooks.controllers.config.shadowing import (
    check_pattern_order,
    check_shadowed_urls,
)
from pyramid_hooks.controllers.config.urls import (
    ServedRoute,
    refuse_other_methods,
    share_urls,
)
from pyramid_hooks.controllers.converters import (
    CONVERSION_ERROR,
    PREDICATE,
    ConvertMatch,
    compile_pattern,
    url_key,
)
from pyramid_hooks.controllers.views import (
    http_params_factory,
    json_params,
    make_view,
    method_caller,
)
from pyramid_hooks.probes import traced_controller, tracing_enabled
from pyramid_hooks.shared import (
    MARK,
    describe_info,
    get_hooks_settings,
    object_name,
)
from pyramid_hooks.workarounds import (
    name_view,
    root_factory_of,
    with_action_info,
)

#: The values of the controller registry's ``routes`` and ``controllers``.
ControllerRoute = namedtuple(
    'ControllerRoute', 'name pattern controller method options endpoint'
)
ControllerInfo = namedtuple(
    'ControllerInfo', 'name serving classes routes skipped'
)


def build_controllers(controllers):
    """The build action: combine, merge, add the routes and views."""
    pending = [c for c in controllers.activated if c not in controllers.built]
    if not pending:
        return
    planned = []  # (config, info, intr, endpoint) of every handler
    for name, leaves in families(list(controllers.activated)):
        new = [leaf for leaf in leaves if leaf not in controllers.built]
        if name not in controllers.controllers:
            planned.extend(_build_family(controllers, name, leaves))
        elif new:
            tops = controllers.controllers[name].serving.__mro__
            tops = tuple(k for k in tops if Controller in k.__bases__)
            raise ConfigurationError(
                f'add_controller {object_name(new[0])} at '
                f'{describe_info(controllers.activated[new[0]][0])}: '
                + (
                    f'it extends the controller {name}, whose routes were '
                    'registered by an earlier commit; activate extensions '
                    'in the same commit as their base'
                    if issubclass(new[0], tops)
                    else 'another class has that dotted name, the '
                    f"controller {name}'s (a class made by a function has "
                    'one name however often it is made): give each its '
                    "own (cls.__qualname__ = 'MovieAdmin')"
                )
            )
    served = [plan_routes(controllers, *plan) for plan in planned]
    config = controllers.activated[pending[0]][1]
    predicates, refusals = share_urls(
        controllers,
        [route for routes in served for route in routes],
        get_hooks_settings(config.registry).controllers_discover,
    )
    check_shadowed_urls(
        controllers,
        [route for routes in served for route in routes],
        predicates,
    )
    for plan, routes in zip(planned, served, strict=True):
        _add_views(controllers, *plan, routes, predicates)
    configs = {plan[3]: plan[0] for plan in planned}
    for route, allow, preflights in refusals:
        config = with_action_info(
            configs[route.endpoint], route.endpoint.description
        )
        refuse_other_methods(
            config, route, allow, preflights, _conversions(config, route)
        )
    controllers.built.update(pending)


def _build_family(controllers, name, leaves):
    family = [
        cls
        for cls in controllers.activated
        if any(issubclass(leaf, cls) for leaf in leaves)
    ]
    refuse_split_prefixes(controllers, name, family)
    first = family[0]
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
    retire_json_urls(controllers, config, serving)
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
            check_handler(method, routing, functions[-1])
            endpoint = Endpoint(serving, method, routing, functions, where)
            planned.append((config, info, intr, endpoint))
    controllers.controllers[name] = info
    config.action(None, introspectables=(intr,), **MARK)
    return planned


def plan_routes(controllers, config, info, intr, endpoint):
    """The :class:`~pyramid_hooks.controllers.config.urls.ServedRoute` of
    each pattern of *endpoint*: its route name, Pyramid pattern and URL
    (route prefix and leading ``/`` applied, as Pyramid does)."""
    base = f'{info.name}.{endpoint.name}'
    routes = []
    for index, pattern in enumerate(endpoint.routing['routes']):
        converted, conversions = compile_pattern(
            pattern, controllers.converters, endpoint.description
        )
        check_placeholders(endpoint, pattern, converted)
        url = full_url(config.route_prefix, pattern, converted)
        route_name = base if index == 0 else f'{base}:{index}'
        routes.append(
            ServedRoute(
                endpoint, route_name, pattern, converted, conversions, url
            )
        )
    check_pattern_order(endpoint, controllers.converters)
    return routes


def full_url(prefix, pattern, converted):
    """The URL of *pattern* (Pyramid's form *converted*) under the route
    *prefix*, joined as Pyramid joins them."""
    url = converted
    if prefix and not pattern:  # the prefix itself
        url = prefix
    elif prefix:
        url = f'{prefix.rstrip("/")}/{converted.lstrip("/")}'
    return url if url.startswith('/') else f'/{url}'


def retire_json_urls(controllers, config, serving):
    """Note the URLs JSON handlers of one class of *serving*'s MRO share: a
    handler an extension left alone at one (unpublishing or moving the
    others) answers its own name only, or a client calling another would
    run it (``docs/controllers.rst``, "One URL, many methods")."""
    for klass in serving.__mro__:
        served = set()  # (URL, handler)
        for method in route_names(klass):
            was, functions = merge_routing(klass, method)[:2]
            if was is None or was['type'] != 'json':
                continue
            where = function_location(functions[-1])
            for pattern in was['routes']:
                converted = compile_pattern(
                    pattern, controllers.converters, where
                )[0]
                url = full_url(config.route_prefix, pattern, converted)
                served.add((url_key(url), method))
        counts = Counter(key for key, _ in served)
        controllers.retired.update(k for k, n in counts.items() if n > 1)


def _add_views(controllers, config, info, intr, endpoint, routes, extra):
    routing = endpoint.routing
    options = {k: v for k, v in routing.items() if k not in ROUTE_ONLY}
    rendered = 'renderer' in options
    if routing['auth'] == 'none' and options.get('permission') is None:
        # 'none' does no identity work (an explicit permission still applies)
        options['permission'] = NO_PERMISSION_REQUIRED
    if endpoint.type == 'json':
        params_factory = json_params
        options['renderer'] = null_renderer
        # JSON routes require the JSON content type instead of a CSRF token
        options['require_csrf'] = False
    else:
        params_factory = http_params_factory(endpoint, controllers)
        options['require_csrf'] = routing['csrf']
    view = make_view(endpoint, params_factory, rendered)
    # pviews, proutes, tracebacks, messages and the trace name the handler
    name_view(
        view,
        endpoint.functions[-1].__module__,
        f'{endpoint.controller.__qualname__}.{endpoint.name}',
    )
    if tracing_enabled(config.registry):
        view = traced_controller(view, endpoint)
    # what the derivers need (their ``.options``)
    options['controller_endpoint'] = endpoint
    options['params_factory'] = params_factory
    options['hook_scope'] = endpoint.scope_keys
    routes_of = controllers.routes  # complete when the views are derived
    options['method_caller'] = method_caller(
        endpoint,
        rendered,
        check_error_handler(
            endpoint.controller, routing, endpoint.functions[-1]
        ),
        lambda name: [
            routes_of[r] for r in info.routes if routes_of[r].method == name
        ],
    )
    # errors and conflicts name the handler's line
    config = with_action_info(config, endpoint.description)
    config.action(
        None,
        check_view_options,
        args=(config, endpoint, options),
        order=PHASE2_CONFIG,
        **MARK,
    )
    for route in routes:
        predicates = dict(extra.get(route.route_name, ()))
        predicates.update(_conversions(config, route, endpoint.type))
        config.add_route(
            route.route_name,
            route.converted,
            inherit_slash=not route.pattern,
            **predicates,
        )
        route_options = options
        if route.route_name in endpoint.rpc_urls:
            # each call's handler is checked instead (shared_url_denial)
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


def _conversions(config, route, type='http'):
    """The route predicate converting the values of *route*, if any, and
    its root factory (on a JSON route the envelope answers its errors)."""
    if not route.conversions:
        return {}
    config.include(add_converter_predicate)
    root = ConvertedRoot(raises=type != 'json')
    return {PREDICATE: route.conversions, 'factory': root}


def add_converter_predicate(config):
    """The route predicate of converted routes, added by the first one."""
    config.add_route_predicate(PREDICATE, ConvertMatch)


class ConvertedRoot:
    """The root factory of a converted route: a converter's error (but
    ``HTTPNotFound``) is raised here, once the route is set, so the route's
    exception views answer it; else the application's root."""

    def __init__(self, raises):
        self.raises = raises
        self.root_factory = None

    def __call__(self, request):
        if self.raises and CONVERSION_ERROR in request.matchdict:
            raise request.matchdict.pop(CONVERSION_ERROR)
        if self.root_factory is None:
            self.root_factory = root_factory_of(request.registry)
        return self.root_factory(request)
