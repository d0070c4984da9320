"""The URLs controller handlers answer, looked at together at startup:
shared by JSON handlers (one JSON-RPC endpoint) or by ``methods=`` (a
``request_method`` predicate each); one URL and method twice is refused."""

from collections import namedtuple
from itertools import combinations

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.controllers import PER_CALL
from pyramid_hooks.controllers.converters import (
    PYRAMID_PLACEHOLDER,
    conversion_specs,
    pyramid_form,
    url_key,
)
from pyramid_hooks.controllers.jsonrpc import RpcUrl
from pyramid_hooks.controllers.openrpc import method_object
from pyramid_hooks.controllers.views import cors_responses

#: One route of a handler: pattern as given, Pyramid's, with the prefix.
ServedRoute = namedtuple(
    'ServedRoute', 'endpoint route_name pattern converted conversions url'
)


def share_urls(controllers, routes, discover):
    """Check the URLs of *routes* (this commit's) and prepare the shared
    ones: ``({route name: {predicate: value}}, [(route, allow)])``, the
    first route and ``Allow`` header of each URL shared by method."""
    _check_json_values(routes)
    by_url = {}  # the routes of each URL, whatever their placeholders' names
    for route in routes:
        by_url.setdefault(url_of(route), []).append(route)
    predicates = {}
    refusals = []
    for key, served in by_url.items():
        url = served[0].url
        earlier = controllers.urls.get(key)
        if earlier is not None:
            raise ConfigurationError(
                f'{served[0].endpoint.description} answers {url!r}, which '
                f'{earlier.endpoint.description} answers since an earlier '
                'commit; activate controllers that share a URL in one commit'
            )
        controllers.urls[key] = served[0]
        json = [route for route in served if route.endpoint.type == 'json']
        if json:
            _rpc_url(url, json, discover, key[0] in controllers.retired)
        units = [json] if json else []
        units += [[r] for r in served if r.endpoint.type != 'json']
        _check_options(url, [unit[0].endpoint for unit in units])
        if len(units) < 2:
            continue
        for one, other in combinations(units, 2):
            _check_methods(url, one[0].endpoint, other[0].endpoint)
        allow = set()
        preflights = {}  # method: the handler answering its preflight
        for unit in units:
            endpoint = unit[0].endpoint
            methods = sorted(endpoint.methods)
            allow.update(methods)
            if endpoint.routing['cors'] is not None:
                preflights.update(dict.fromkeys(methods, endpoint))
            for route in unit:
                predicates[route.route_name] = {'request_method': methods}
        refusals.append((served[0], ', '.join(sorted(allow)), preflights))
    return predicates, refusals


def _check_methods(url, one, other):
    """Refuse two handlers answering *url* for one HTTP method."""
    if one.methods is None and other.methods is None:
        shared = 'every method'
    else:
        common = (one.methods or other.methods) & (
            other.methods or one.methods
        )
        if not common:
            return
        shared = ', '.join(sorted(common))
    fix = 'give them different paths, or methods= that do not overlap'
    if one.controller is not other.controller:
        fix = (
            'to replace one, make its class extend the other and override '
            f'the handler with @route(); else {fix}'
        )
    raise ConfigurationError(
        f'{one.description} and {other.description} both answer {url!r} '
        f'for {shared}: only the first would ever run; {fix}'
    )


def _check_options(url, endpoints):
    """Refuse a handler taking ``OPTIONS`` at *url* beside (or with) a
    ``cors=`` handler: it would answer (or never get) the preflights."""
    cors = [e for e in endpoints if e.routing['cors'] is not None]
    options = [e for e in endpoints if 'OPTIONS' in (e.methods or ())]
    if cors and options:
        raise ConfigurationError(
            f'{options[0].description} takes OPTIONS at {url!r}, where '
            f'{cors[0].description} has cors=: a CORS preflight is an '
            'OPTIONS request, answered for cors= with its origins; drop '
            'OPTIONS from its methods=, or give it another path'
        )


def _http_options(routing):
    return {k: v for k, v in routing.items() if k not in PER_CALL}


def url_of(route):
    """What tells the URL *route* answers from another: its pattern with
    the placeholders' names left out, and how its values are converted."""
    return url_key(route.url), repr(list(_specs(route)[1].values()))


def _check_json_values(routes):
    """Refuse JSON handlers of *routes* at one JSON-RPC URL whose patterns
    name or convert their values differently."""
    first_at = {}
    for route in routes:
        if route.endpoint.type != 'json':
            continue
        first = first_at.setdefault(url_key(route.url), route)
        if _specs(route) != _specs(first):
            raise ConfigurationError(
                f'{first.endpoint.description} and '
                f'{route.endpoint.description} share the JSON-RPC URL '
                f'{first.url!r} but name or convert its values differently '
                f'({first.pattern!r}, {route.pattern!r}): a call runs with '
                'the values of the route that matched, whichever handler '
                "it calls, so a handler would get another's names, or "
                'values its converter did not check; give them the same '
                'placeholders, or different URLs'
            )


def _specs(route):
    """The placeholders' names and conversions of *route*'s URL."""
    names = PYRAMID_PLACEHOLDER.findall(pyramid_form(route.url))
    return sorted(names), conversion_specs(route.pattern, route.conversions)


def _rpc_url(url, served, discover, retired):
    """Make the :class:`~pyramid_hooks.controllers.jsonrpc.RpcUrl` of the
    JSON handlers *served* at *url*, if shared or answering discover."""
    rpc_url = RpcUrl(url)
    rpc_url.by_name = retired
    first = served[0].endpoint
    names = {}
    for route in served:
        endpoint = route.endpoint
        other = names.setdefault(endpoint.rpc_method, endpoint)
        if other is not endpoint:
            raise ConfigurationError(
                f'{other.description} and {endpoint.description} are both '
                f'the JSON-RPC method {endpoint.rpc_method!r} at {url!r}; '
                "give one another name with route(rpc_method='...')"
            )
        ours = _http_options(endpoint.routing)
        theirs = _http_options(first.routing)
        differ = sorted(
            k
            for k in ours.keys() | theirs.keys()
            if ours.get(k) != theirs.get(k)
        )
        if differ:
            raise ConfigurationError(
                f'{first.description} and {endpoint.description} share the '
                f'JSON-RPC URL {url!r} but differ in {differ[0]}= '
                f'({theirs.get(differ[0])!r}, {ours.get(differ[0])!r}): it '
                'applies to the whole HTTP request; give them the same '
                'value, or different URLs'
            )
        rpc_url.members.append((endpoint.rpc_method, endpoint))
    given = {}
    for route in served:
        given.setdefault(route.endpoint.routing.get('discover'), route)
    if True in given and False in given:
        raise ConfigurationError(
            f'{given[True].endpoint.description} says discover=True and '
            f'{given[False].endpoint.description} discover=False for the '
            f'JSON-RPC URL {url!r}; give one answer'
        )
    rpc_url.discover = True in given or (discover and False not in given)
    if len(served) == 1 and not rpc_url.discover and not retired:
        return  # a handler alone at its URL: nothing to dispatch
    if rpc_url.discover:
        rpc_url.entries = [
            (name, method_object(name, endpoint))
            for name, endpoint in rpc_url.members
        ]
    for route in served:
        route.endpoint.rpc_urls[route.route_name] = rpc_url


def refuse_other_methods(config, route, allow, preflights, predicates):
    """Add, after the routes of the shared URL of *route*, a route
    answering the methods none of its handlers takes with 405 and the
    ``Allow`` header *allow* (before any check, as a handler's own 405);
    *predicates* are *route*'s other route predicates (its converters).
    With *preflights* (``{method: endpoint}`` of ``cors=`` handlers), a
    route before it answers ``OPTIONS`` as the handler of the method asked
    for, with its own origins; another method's preflight is a 405."""

    def method_not_allowed(context, request):
        raise HTTPMethodNotAllowed(headers={'Allow': allow})

    if preflights:
        grants = {
            (e.routing['cors'], e.routing.get('cors_credentials'))
            for e in preflights.values()
        }
        # a browser keeps a preflight's answer for any GET, HEAD or POST to
        # the URL: kept only if one grant covers it
        one = len(grants) == 1 and set(preflights) == set(allow.split(', '))
        made = {  # one answer per handler
            endpoint: cors_responses(endpoint, '86400' if one else '0')[1]
            for endpoint in set(preflights.values())
        }
        answers = {
            method: made[endpoint] for method, endpoint in preflights.items()
        }
        first = next(iter(answers.values()))

        def cors_preflight(context, request):
            asked = request.headers.get('Access-Control-Request-Method')
            answer = first if asked is None else answers.get(asked)
            if answer is None:
                method_not_allowed(context, request)
            return answer(request)

        preflight = {**predicates, 'request_method': 'OPTIONS'}
        _answering_route(config, route, 'preflight', cors_preflight, preflight)
    _answering_route(config, route, 'methods', method_not_allowed, predicates)


def _answering_route(config, route, suffix, answer, predicates):
    """Add the route ``<route name>:<suffix>`` at *route*'s pattern, with
    *predicates*, and its view calling *answer* alone (no checks)."""
    name = f'{route.route_name}:{suffix}'
    config.add_route(
        name, route.converted, inherit_slash=not route.pattern, **predicates
    )
    config.add_view(
        answer,
        route_name=name,
        permission=NO_PERMISSION_REQUIRED,
        require_csrf=False,
        decorator=lambda view: answer,
    )
