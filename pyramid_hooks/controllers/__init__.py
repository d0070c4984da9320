"""The controllers feature: :class:`Controller`, :func:`route` and the
merged :class:`Endpoint` of one handler (no configuration code here)."""

import inspect
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import venusian
from pyramid.exceptions import ConfigurationError
from pyramid.request import Request

from pyramid_hooks.controllers.origins import origin_problem
from pyramid_hooks.decorators import outside_class, scanned_config
from pyramid_hooks.interfaces import IControllerRegistry
from pyramid_hooks.probes import traced_auth_check, tracing_enabled
from pyramid_hooks.scopes import scope_key
from pyramid_hooks.shared import (
    Names,
    check_flag,
    code_location,
    method_names,
    object_name,
    safe_repr,
)

_F = TypeVar('_F', bound=Callable[..., Any])

#: Where :func:`route` keeps its options on the function (wraps copies).
ROUTE_ATTR = 'pyramid_hooks_route'

#: Marks the classes that combine sibling extensions (never scanned).
COMBINED_ATTR = 'pyramid_hooks_combined'

#: The defaults where no class of the chain gives a value.
DEFAULTS = {
    'type': 'http',
    'auth': 'user',
    'csrf': True,
    'methods': None,
    'cors': None,
}

#: The :func:`route` options of JSON routes only.
JSON_ONLY = ('max_batch', 'max_body', 'rpc_method', 'discover')

#: The options handlers sharing a URL may differ in (per call).
PER_CALL = frozenset(
    (
        'routes',
        'auth',
        'permission',
        'rpc_method',
        'discover',
        'validate',
        'error_handler',
        'controller_wrappers',
    )
)

#: The merged options that are not passed to ``add_view``.
ROUTE_ONLY = frozenset(('routes', 'cors_credentials', *JSON_ONLY, *DEFAULTS))

#: View options :func:`route` computes, and its argument to use instead.
RESERVED = {
    'request_method': 'methods=',
    'require_csrf': 'csrf=',
    'method': 'methods=',
    'route_name': None,
    'attr': None,
    'view': None,
}


def _never_matching(given):
    """What in the :func:`route` options *given* no request can match, and
    the fix: an origin no browser sends (``'https://a.example/'``)."""
    refusals = []
    cors = given.get('cors', '*')
    for origin in (cors,) if isinstance(cors, str) else cors:
        problem = '' if origin == '*' else origin_problem(origin)
        if problem:
            refusals.append(f'cors: {problem}')
    return refusals


OUTSIDE = (  # @route on a module's function or on a class
    'route() publishes a method: define it in a Controller subclass, '
    'taking self (self.request is the request), or decorate its methods'
)


def route(
    route: str | Names | None = None,
    type: Literal['http', 'json', 'jsonrpc'] | None = None,
    auth: str | None = None,
    methods: str | Names | set[str] | frozenset[str] | None = None,
    cors: str | Names | None = None,
    cors_credentials: bool | None = None,
    csrf: bool | None = None,
    max_batch: int | None = None,
    max_body: int | None = None,
    rpc_method: str | None = None,
    discover: bool | None = None,
    **view_options: Any,
) -> Callable[[_F], _F]:
    """Mark a :class:`Controller` method as a handler served at *route*, a
    path pattern (``/item/<int:id>``) or a list of them; the other
    arguments are described in :doc:`controllers`.  Only the arguments
    given (not ``None``) are recorded, so that an override's ``@route()``
    keeps everything its parents said (Odoo's rule)."""
    if callable(route):  # @route over the function itself
        raise ConfigurationError(
            f'@route without parentheses on {object_name(route)}: use '
            "@route() or @route('/path')"
        )
    given: dict[str, Any] = {}
    if route is not None:
        routes = (route,) if isinstance(route, str) else route
        if not isinstance(routes, (list, tuple)) or not all(
            isinstance(path, str) for path in routes
        ):
            raise ConfigurationError(
                f'route(): the route must be a path pattern or a list of '
                f'them, got {safe_repr(route)}'
            )
        for path in routes:
            if path and not path.startswith('/'):
                # Pyramid joins a route prefix and a pattern with a '/'
                raise ConfigurationError(
                    f'route({path!r}): a path pattern starts with "/" (or '
                    "is '', the route prefix itself); under a route prefix "
                    'Pyramid puts a "/" between them (the prefix "/movies" '
                    f'and {path!r} give "/movies/{path}"): write '
                    f'{"/" + path!r} for that URL; a URL without a "/" '
                    'after the prefix ("/movies.json") is no pattern under '
                    'it: route the whole URL from a controller activated '
                    'outside the route prefix'
                )
        given['routes'] = tuple(routes)
    if type is not None:
        if type not in ('http', 'json', 'jsonrpc'):
            raise ConfigurationError(
                f"route(type={safe_repr(type)}): the type must be 'http' or "
                "'json' (or 'jsonrpc', Odoo 19's name for 'json')"
            )
        given['type'] = 'json' if type == 'jsonrpc' else type
    if auth is not None:
        if not isinstance(auth, str) or not auth:
            raise ConfigurationError(
                f'route(auth={safe_repr(auth)}): the auth mode must be a name'
            )
        given['auth'] = auth
    if methods is not None:
        names = method_names(methods)  # one rule: serverside_callback's
        if not names:
            raise ConfigurationError(
                f'route(methods={safe_repr(methods)}): a list of HTTP method '
                'names (ASCII letters)'
            )
        given['methods'] = names
    if cors is not None:
        if not (isinstance(cors, str) and cors) and not (
            isinstance(cors, (list, tuple))
            and all(isinstance(origin, str) and origin for origin in cors)
            and cors
            and '*' not in cors
        ):
            raise ConfigurationError(
                f"route(cors={safe_repr(cors)}): '*', an origin or a list of "
                'origins'
            )
        given['cors'] = cors if isinstance(cors, str) else tuple(cors)
    for flag, value in (
        ('cors_credentials', cors_credentials),
        ('csrf', csrf),
        ('discover', discover),
    ):
        if value is not None:
            check_flag('route()', flag, value)  # bool('false') is True
            given[flag] = value
    for option, limit in (('max_batch', max_batch), ('max_body', max_body)):
        if limit is None:
            continue
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ConfigurationError(
                f'route({option}={safe_repr(limit)}): a non-negative integer'
            )
        given[option] = limit
    if rpc_method is not None:
        if not isinstance(rpc_method, str) or not rpc_method:
            raise ConfigurationError(
                f'route(rpc_method={rpc_method!r}): a JSON-RPC method name'
            )
        if rpc_method.startswith('rpc.'):
            raise ConfigurationError(
                f'route(rpc_method={rpc_method!r}): names starting with '
                '"rpc." are reserved by JSON-RPC 2.0'
            )
        given['rpc_method'] = rpc_method
    for option in view_options:
        if option in RESERVED:
            instead = RESERVED[option]
            hint = f'use {instead}' if instead else 'it is computed'
            raise ConfigurationError(
                f'route({option}=...): not a route() option ({hint})'
            )
    given.update(
        (option, value)
        for option, value in view_options.items()
        if value is not None
    )
    refusals = _never_matching(given)

    def decorate(func):
        outside = [OUTSIDE] if outside_class(func, 1) else []
        inner = getattr(func, '__func__', None)  # over @staticmethod too
        if any(
            ROUTE_ATTR in getattr(f, '__dict__', ()) for f in (func, inner)
        ):
            outside.append(
                'it has a route() already, which this one would replace: '
                "stacked, give one with the patterns in a list (route(['/a',"
                " '/b'])); a parent's handler (or a functools.wraps wrapper "
                'of one) re-routed in a subclass, override it instead (def '
                'name(self, ...): return super().name(...), under route())'
            )
        if refusals or outside:
            raise ConfigurationError(
                f'route() on {object_name(func)} ({code_location(func)}): '
                + '; '.join(refusals + outside)
            )
        setattr(func, ROUTE_ATTR, given)
        return func

    return decorate


class Controller:
    """Base class of extensible controllers, made for each request (each
    call of a JSON-RPC batch) with the request as :attr:`request`; a
    subclass serves once scanned or added (``config.add_controller``)."""

    def __init__(self, request: Request) -> None:
        #: the current :class:`pyramid.request.Request`
        self.request = request

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if vars(cls).get(COMBINED_ATTR):
            return

        def callback(context, name, ob):
            scanned_config(context, info, object_name(ob)).add_controller(ob)

        info = venusian.attach(cls, callback, category='pyramid', depth=1)


#: The names a handler cannot take: attributes of :class:`Controller`.
CONTROLLER_ATTRIBUTES = frozenset((*dir(Controller), 'request'))


def function_location(func):
    """``module.qualname (file:line)`` of a handler, for messages."""
    return f'{object_name(func)} ({code_location(func)})'


class Endpoint:
    """One handler (the method *name* of the serving class *controller*)
    with its merged options, shared by the routes serving it."""

    def __init__(self, controller, name, routing, functions, where):
        self.controller = controller
        self.name = name
        self.routing = routing
        self.type = routing['type']
        self.where = where
        self.functions = functions
        self.description = function_location(functions[-1])
        #: the JSON-RPC method name of the handler at a shared URL
        self.rpc_method = routing.get('rpc_method', name)
        #: ``{route name: RpcUrl}`` of its shared or ``rpc.discover`` URLs
        self.rpc_urls = {}
        methods = routing['methods']
        if methods is None and self.type == 'json':
            methods = ('POST',)
        if methods is not None and 'GET' in methods and 'HEAD' not in methods:
            methods = (*methods, 'HEAD')
        #: the methods served (``None``: all) and the ``Allow`` header
        self.methods = None if methods is None else frozenset(methods)
        self.allow = None if methods is None else ', '.join(methods)
        P = inspect.Parameter
        try:
            signature = inspect.signature(getattr(controller, name))
            parameters = list(signature.parameters.values())
        except (TypeError, ValueError):  # pragma: no cover - builtins only
            parameters = []
        bound = None  # the name of self, when a client could give it
        selves = (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)
        raw = inspect.getattr_static(controller, name)
        if isinstance(raw, (staticmethod, classmethod)):
            selves = ()  # no self: every parameter (after cls) the client's
            if isinstance(raw, classmethod):  # cls, bound as self is
                cls = inspect.signature(raw.__func__).parameters
                bound = next(iter(cls), None)
        if parameters and parameters[0].kind in selves:
            if parameters[0].kind is P.POSITIONAL_OR_KEYWORD:
                bound = parameters[0].name
            parameters = parameters[1:]
        for param in parameters:
            if param.kind is P.POSITIONAL_ONLY and param.default is P.empty:
                raise ConfigurationError(
                    f'Controller handler {self.description}: the '
                    f'positional-only parameter {param.name!r} '
                    'cannot be given by name'
                )
        named = [
            param
            for param in parameters
            if param.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY)
        ]
        var_kw = any(param.kind is P.VAR_KEYWORD for param in parameters)
        #: the names the handler takes (``None`` with ``**kw``)
        self.accepted = None if var_kw else frozenset(p.name for p in named)
        self.refused = frozenset((bound,) if bound else ())  # with **kw
        self.required = frozenset(
            p.name for p in named if p.default is P.empty
        )
        #: the parameters a client gives by name (for ``rpc.discover``)
        self.parameters = tuple(named)
        #: the extra scope keys of its views (``hook_scope=``)
        keys = []
        for func in functions:
            while func is not None:
                keys.append(scope_key(func))
                func = getattr(func, '__wrapped__', None)
        keys.extend(k for k in controller.__mro__ if k is not object)
        self.scope_keys = tuple(dict.fromkeys(keys))

    def __repr__(self):
        return f'<Endpoint {self.description}>'

    def auth_check(self, registry):
        """The check of this handler's ``auth`` mode (``None`` for none),
        read when its view is derived; an unknown mode is refused."""
        mode = self.routing['auth']
        modes = registry.getUtility(IControllerRegistry).auth_modes
        if mode not in modes:
            raise ConfigurationError(
                f'Unknown auth mode {mode!r} for {self.description} '
                f'(activated at {self.where}); known modes: '
                f'{", ".join(sorted(modes))} (add one with '
                'config.add_controller_auth)'
            )
        check = modes[mode]
        if check is not None and tracing_enabled(registry):
            check = traced_auth_check(check, mode)
        return check

    def arguments(self, params):
        """``(kwargs, unexpected, missing)`` of *params*: what the handler
        takes, the names it does not take, its required ones absent."""
        if self.accepted is None:
            unexpected = self.refused.intersection(params)
        else:
            unexpected = set(params).difference(self.accepted)
        if unexpected:
            params = {k: v for k, v in params.items() if k not in unexpected}
        return params, unexpected, self.required.difference(params)


def includeme(config):
    """Set up the controllers feature."""
    config.include('pyramid_hooks.controllers.config')
