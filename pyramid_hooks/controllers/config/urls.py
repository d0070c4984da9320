"""The URLs controller handlers answer, looked at together when the
application is made: JSON handlers sharing a URL become one JSON-RPC
endpoint dispatching on the call's ``method``
(:class:`~pyramid_hooks.controllers.jsonrpc.RpcUrl`); handlers sharing a
URL with different ``methods=`` get a ``request_method`` route predicate
each; two handlers answering one URL and method is a startup error
(Pyramid would silently serve the first), and so is a pattern of one
handler's list that an earlier one always wins over."""

from collections import namedtuple
from itertools import combinations

from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.controllers import PER_CALL
from pyramid_hooks.controllers.converters import (
    BUILTIN,
    ROOTED,
    WERKZEUG_PLACEHOLDER,
    conversion_specs,
    string_converter,
)
from pyramid_hooks.controllers.jsonrpc import RpcUrl
from pyramid_hooks.controllers.openrpc import method_object
from pyramid_hooks.controllers.views import cors_responses

#: One route of a handler: ``pattern`` as ``route()`` gives it,
#: ``converted`` the Pyramid pattern, ``url`` with the route prefix.
ServedRoute = namedtuple(
    'ServedRoute', 'endpoint route_name pattern converted conversions url'
)


def share_urls(controllers, routes, discover):
    """Check the URLs of *routes* (this commit's) and prepare the shared
    ones: ``({route name: {predicate: value}}, [(route, allow)])``, the
    routes that need a ``request_method`` predicate, and for each URL
    shared that way, its first route and the ``Allow`` header of the 405
    answering the other methods (:func:`refuse_other_methods`).
    *discover* is the ``hooks.controllers.discover`` setting."""
    by_url = {}
    for route in routes:
        by_url.setdefault(route.url, []).append(route)
    predicates = {}
    refusals = []
    for url, served in by_url.items():
        earlier = controllers.urls.get(url)
        if earlier is not None:
            raise ConfigurationError(
                f'{served[0].endpoint.description} answers {url!r}, which '
                f'{earlier.endpoint.description} answers since an earlier '
                'commit; activate controllers that share a URL in one commit'
            )
        controllers.urls[url] = served[0]
        json = [route for route in served if route.endpoint.type == 'json']
        if json:
            _rpc_url(url, json, discover)
        units = [json] if json else []
        units += [[r] for r in served if r.endpoint.type != 'json']
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
    """Refuse two handlers (or JSON-RPC endpoints) answering *url* for
    one HTTP method."""
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


def _http_options(routing):
    return {k: v for k, v in routing.items() if k not in PER_CALL}


def _specs(route):
    return conversion_specs(route.pattern, route.conversions)


def _rpc_url(url, served, discover):
    """Make the :class:`~pyramid_hooks.controllers.jsonrpc.RpcUrl` of the
    JSON handlers *served* at *url*, when several share it or it answers
    ``rpc.discover``."""
    rpc_url = RpcUrl(url)
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
        if _specs(route) != _specs(served[0]):
            raise ConfigurationError(
                f'{first.description} and {endpoint.description} share the '
                f'JSON-RPC URL {url!r} but convert its values differently '
                f'({served[0].pattern!r}, {route.pattern!r}): a call runs '
                'with the values of the route that matched, whichever '
                "handler it calls, so one handler's converter would not "
                'check its calls; give them the same converters, or '
                'different URLs'
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
    if len(served) == 1 and not rpc_url.discover:
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
    ``Allow`` header *allow*: their ``request_method`` predicates made
    those a 404.  As a handler's own 405, before any CSRF or permission
    check, and before the pipeline (as the controller's own derivers
    raise it): Pyramid's ``decorator=`` wraps our derivers, so no app-wide
    listener or controller wrapper runs for it.  *predicates* are
    *route*'s other route predicates (its converters: a path they refuse
    stays a 404).

    Before it, when handlers of the URL have ``cors=`` (*preflights*,
    ``{method: endpoint}``), a route answers ``OPTIONS``: a preflight asking
    for a method (``Access-Control-Request-Method``) is the business of the
    handler serving that method, with its own origins; one asking for a
    method no handler with ``cors=`` serves is a 405 granting nothing.
    The first handler with ``cors=`` answered every preflight, granting a
    JSON-RPC handler beside it the CSRF defence of which is the preflight.
    An ``OPTIONS`` request asking for no method is the first one's."""

    def method_not_allowed(context, request):
        raise HTTPMethodNotAllowed(headers={'Allow': allow})

    if preflights:
        grants = {
            (e.routing['cors'], e.routing.get('cors_credentials'))
            for e in preflights.values()
        }
        # a browser keeps a preflight's headers for any GET, HEAD or POST
        # to the URL (its method cache is for the others), so that a
        # handler's kept answer would spare another handler's requests
        # their preflight (a JSON body to a JSON-RPC handler without
        # cors=, its CSRF defence): kept only if one grant covers the URL
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
    the route *predicates*, and its view calling *answer* alone (no
    permission, CSRF check or ``pyramid_hooks`` deriver)."""
    name = f'{route.route_name}:{suffix}'
    config.add_route(name, route.converted, **predicates)
    config.add_view(
        answer,
        route_name=name,
        permission=NO_PERMISSION_REQUIRED,
        require_csrf=False,
        decorator=lambda view: answer,
    )


def check_pattern_order(endpoint, converters):
    """Refuse a pattern of *endpoint*'s ``route`` list that an earlier one
    matches whenever it matches, so that it is never served: here the
    first pattern that matches wins, where Werkzeug (Odoo's) tries the
    most specific first, so a list copied from Odoo as it is
    (``<string:xmlid>`` before ``<int:id>``) would send its URLs to the
    wrong pattern, silently.  Decided segment by segment, on Werkzeug
    placeholders only (a pattern with a Pyramid placeholder or a
    ``<path:>`` is not compared)."""
    patterns = endpoint.routing['routes']
    shapes = [_segments(pattern, converters) for pattern in patterns]
    for later, later_shape in enumerate(shapes):
        for earlier, shape in enumerate(shapes[:later]):
            if (
                shape is not None
                and later_shape is not None
                and len(shape) == len(later_shape)
                and all(map(_covers, shape, later_shape))
            ):
                raise ConfigurationError(
                    f'route() on {endpoint.description}: the pattern '
                    f'{patterns[later]!r} is never served: '
                    f'{patterns[earlier]!r}, before it in the list, '
                    'matches every URL it matches (the first pattern that '
                    'matches serves the URL; Werkzeug tries the most '
                    f'specific first); list {patterns[later]!r} first'
                )


def check_shadowed_urls(routes, predicates, converters):
    """Refuse a route of *routes* (this commit's, in the order they are
    added) that a route of another URL added before it matches whenever
    it matches, for a method both serve: that route answers the request
    (or its 405 does), so the later handler never runs for it.  Pyramid
    tries the routes in order, where TurboGears' RestController (crank)
    tries ``new``, ``edit`` and ``delete`` before ``get_one``, and
    Werkzeug the most specific rule first: ``/movies/new`` defined after
    ``/movies/<id>`` would be served by the ``<id>`` handler, silently.
    *predicates* are the ``request_method`` predicates of the routes of
    shared URLs (a route without one answers every method).  Compared as
    :func:`check_pattern_order` compares a list's patterns."""
    # the earlier shapes by length and first segment, so as not to compare
    # every pair: only a <string> placeholder covers other segments
    earlier_shapes = {}
    for index, later in enumerate(routes):
        later_shape = _segments(_written_url(later), converters)
        if later_shape is None:
            continue
        key = (len(later_shape), later_shape[1])
        candidates = earlier_shapes.get(key, [])
        if key[1] is not ANY_SEGMENT:
            candidates = sorted(
                candidates + earlier_shapes.get((key[0], ANY_SEGMENT), []),
                key=lambda found: found[0],
            )
        earlier_shapes.setdefault(key, []).append((index, later, later_shape))
        for _, earlier, shape in candidates:
            if earlier.url == later.url or not all(
                map(_covers, shape, later_shape)
            ):
                continue
            methods = predicates.get(earlier.route_name, {}).get(
                'request_method'
            )
            if methods is None:
                shared = 'every method (its 405 answers the others)'
            else:
                common = set(methods)
                if later.endpoint.methods is not None:
                    common &= later.endpoint.methods
                if not common:
                    continue
                shared = ', '.join(sorted(common))
            raise ConfigurationError(
                f'{later.endpoint.description}: {_written_url(later)!r} is '
                f'never served: {_written_url(earlier)!r} of '
                f'{earlier.endpoint.description}, added before it, matches '
                f'every URL it matches, for {shared} (the first route that '
                'matches serves the URL, where Werkzeug and TurboGears try '
                'the most specific first). Routes are added in the order '
                "of the handlers (a base class's first) and of activation: "
                f'define or activate {later.endpoint.name} before '
                f'{earlier.endpoint.name}, or give it another URL'
            )


def _written_url(route):
    """*route*'s pattern as written, with the route prefix of its URL."""
    prefix = route.url[: len(route.url) - len(route.converted.lstrip('/'))]
    return '/' + (prefix + route.pattern.lstrip('/')).lstrip('/')


#: A segment that is one plain ``<string:>`` placeholder: any text
#: without ``/`` but ``.``, ``..`` and a path from a root (``\\x``,
#: ``C:``).
ANY_SEGMENT = object()


def _segments(pattern, converters):
    """The segments of *pattern*, each its text with the placeholders'
    names left out (``<int:id>-<x>`` and ``<int:n>-<x>`` are one shape),
    in a 1-tuple if it has an application's converter, or
    :data:`ANY_SEGMENT`; ``None`` where not compared."""
    if '{' in pattern or '*' in pattern:
        return None
    segments = []
    for segment in pattern.split('/'):
        found = WERKZEUG_PLACEHOLDER.fullmatch(segment)
        if found is not None and found['args'] is None:
            factory = converters.get(found['converter'] or 'default')
            if factory is string_converter:
                segments.append(ANY_SEGMENT)
                continue
        shape = WERKZEUG_PLACEHOLDER.sub(_shape, segment)
        if '<path(' in shape:
            return None
        names = WERKZEUG_PLACEHOLDER.finditer(segment)
        if any(
            converters.get(name) is not BUILTIN.get(name)
            for name in (found['converter'] or 'default' for found in names)
        ):
            # the application's converter: its regex may match what no
            # <string:> does (a '/', the empty segment, '..'), so only
            # the same shape covers it
            shape = (shape,)
        segments.append(shape)
    return segments


def _shape(found):
    return f'<{found["converter"] or "default"}({found["args"] or ""})>'


def _covers(earlier, later):
    """Whether the segment shape *earlier* matches every value *later*
    matches."""
    if earlier is ANY_SEGMENT:
        # not the empty segment, nor one that may be a dot segment or a
        # path from a root (ROOTED), nor one of the application's converters
        return later is ANY_SEGMENT or (
            isinstance(later, str)
            and later not in ('', '.', '..')
            and not ROOTED.match(later)
            and not ('<any(' in later and any(c in later for c in '.\\:'))
        )
    return earlier == later
