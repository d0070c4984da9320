"""Extensible controllers: :class:`Controller`, :func:`route` and what runs
per request for a controller route.

A :class:`Controller` subclass groups handlers decorated with
:func:`route`.  Subclasses extend or restrict them the Odoo way: a
redefinition decorated with ``@route()`` keeps the parent's options and
overrides the ones it gives, a redefinition without ``@route`` unpublishes
the URL.  Merging, combining activated extensions and registering the routes
happen once, at configuration time (:mod:`pyramid_hooks.config.controllers`);
this module holds the decorator, the merged :class:`Endpoint` of one handler,
and the small per-request functions: the ingress view deriver (allowed
methods, CORS, ``auth``), the handler call and the coercion of its result.

Controller routes are ordinary Pyramid routes and views, so the application's
security policy, CSRF options, exception views and ``pyramid_hooks``' own
pipeline (hooks, ``validate=``, controller wrappers) apply to them.
"""

import inspect
import logging
import re

import venusian
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPForbidden,
    HTTPMethodNotAllowed,
)
from pyramid.interfaces import IResponse
from pyramid.response import Response

from pyramid_hooks.config import object_name
from pyramid_hooks.interfaces import IControllerRegistry
from pyramid_hooks.params import request_params
from pyramid_hooks.pipeline import PARAMS_KEY
from pyramid_hooks.trace import traced_auth_check, tracing_enabled

log = logging.getLogger(__name__)

#: Where :func:`route` keeps the options it was given, on the function.
#: ``functools.wraps`` copies it, so a decorator stacked on a route method
#: keeps the route.
ROUTE_ATTR = '__pyramid_hooks_route__'

#: Marks the classes that combine sibling extensions (made by the
#: configuration, never scanned).
COMBINED_ATTR = '__pyramid_hooks_combined__'

#: The :class:`Endpoint` of a controller route's view callable, where the
#: controller derivers find it (``info.original_view``).
ENDPOINT_ATTR = '__pyramid_hooks_endpoint__'

TYPES = ('http', 'json')

#: The defaults where no class of the chain gives a value.
DEFAULTS = {
    'type': 'http',
    'auth': 'user',
    'csrf': True,
    'methods': None,
    'cors': None,
}

#: Options of :func:`route` that are recorded in the merged options only
#: when some class gives them (so that ``phooks`` shows them then), and are
#: not view options (``max_batch`` and ``max_body`` are read by the
#: JSON-RPC envelope).
ROUTE_ONLY = frozenset(('cors_credentials', 'max_batch', 'max_body'))

#: View options that :func:`route` computes itself; each has a
#: :func:`route` argument instead (or none at all).
RESERVED = {
    'request_method': 'methods=',
    'require_csrf': 'csrf=',
    'method': 'methods=',
    'route_name': None,
    'attr': None,
    'view': None,
}

#: Headers a CORS preflight allows (Odoo's list plus Pyramid's CSRF
#: header).
PREFLIGHT_HEADERS = (
    'Origin, X-Requested-With, Content-Type, Accept, Authorization, '
    'X-CSRF-Token'
)


def _routes(route):
    if route is None:
        return None
    if isinstance(route, str):
        return (route,)
    if isinstance(route, (list, tuple)) and all(
        isinstance(path, str) for path in route
    ):
        return tuple(route)
    raise ConfigurationError(
        f'route(): the route must be a path pattern or a list of them, '
        f'got {route!r}'
    )


def _cors(cors):
    if isinstance(cors, str) and cors:
        return cors
    if (
        isinstance(cors, (list, tuple))
        and cors
        and all(isinstance(origin, str) and origin for origin in cors)
        and '*' not in cors
    ):
        return tuple(cors)
    raise ConfigurationError(
        f"route(cors={cors!r}): '*', an origin or a list of origins"
    )


def route(
    route=None,
    type=None,
    auth=None,
    methods=None,
    cors=None,
    cors_credentials=None,
    csrf=None,
    max_batch=None,
    max_body=None,
    **view_options,
):
    """Mark a :class:`Controller` method as a handler served at *route*.

    :param route: a path pattern (Pyramid syntax, ``/item/{id}``) or a list
        of them; given in an override, it replaces the parent's list.
    :param type: ``'http'`` (default) or ``'json'`` (JSON-RPC 2.0); an
        override may not change it.
    :param auth: ``'user'`` (default: an anonymous request is forbidden),
        ``'public'``, ``'none'`` (no identity work, and no default
        permission: the security policy is not consulted unless the route
        gives ``permission=``) or a mode added with
        ``config.add_controller_auth`` (failing closed, see there).
    :param methods: the HTTP methods served (default: all; ``POST`` for
        JSON routes); others get ``405`` with an ``Allow`` header.
    :param cors: ``'*'``, an origin (sent as ``Access-Control-Allow-Origin``
        on every response) or a list of origins (the request's ``Origin``
        is echoed when it is listed, nothing otherwise, with ``Vary:
        Origin``).  Default: no CORS.  ``OPTIONS`` preflights are then
        answered ``204`` without running the handler or checking ``auth``.
    :param cors_credentials: ``True`` adds ``Access-Control-Allow-Credentials:
        true`` (browsers then send cookies cross-origin); it needs ``cors=``
        and is refused with ``cors='*'`` (a
        :class:`~pyramid.exceptions.ConfigurationError` at startup, checked
        on the merged options).
    :param csrf: ``False`` exempts an http route from Pyramid's CSRF check
        (default: unsafe methods need a valid token; JSON routes are exempt
        and need a JSON content type instead).
    :param max_batch: JSON routes: the most calls in one batch (``0`` or
        ``1``: no batches); default the ``hooks.controllers.max_batch``
        setting.
    :param max_body: JSON routes: the largest request body in bytes;
        default the ``hooks.controllers.max_body`` setting.
    :param view_options: any other Pyramid view option (``permission``,
        ``renderer``, ``http_cache``, ``accept``, ``decorator``,
        ``validate``, ``controller_wrappers`` ...), passed to ``add_view``.

    Only the arguments actually given are recorded, so that an override's
    ``@route()`` keeps everything its parents said (the Odoo documentation's
    rule).  The decorated function itself is returned, so
    ``view=Class.method`` still names it for hooks and wrappers.
    """
    given = {}
    routes = _routes(route)
    if routes is not None:
        given['routes'] = routes
    if type is not None:
        if type not in TYPES:
            raise ConfigurationError(
                f"route(type={type!r}): the type must be 'http' or 'json'"
            )
        given['type'] = type
    if auth is not None:
        if not isinstance(auth, str) or not auth:
            raise ConfigurationError(
                f'route(auth={auth!r}): the auth mode must be a name'
            )
        given['auth'] = auth
    if methods is not None:
        if isinstance(methods, str):
            methods = (methods,)
        if (
            not isinstance(methods, (list, tuple, set, frozenset))
            or not methods
            or not all(isinstance(m, str) for m in methods)
        ):
            raise ConfigurationError(
                f'route(methods={methods!r}): a list of HTTP method names'
            )
        given['methods'] = tuple(m.upper() for m in methods)
    if cors is not None:
        given['cors'] = _cors(cors)
    if cors_credentials is not None:
        given['cors_credentials'] = bool(cors_credentials)
    if csrf is not None:
        given['csrf'] = bool(csrf)
    for option, limit in (('max_batch', max_batch), ('max_body', max_body)):
        if limit is not None:
            if (
                not isinstance(limit, int)
                or isinstance(limit, bool)
                or limit < 0
            ):
                raise ConfigurationError(
                    f'route({option}={limit!r}): a non-negative integer'
                )
            given[option] = limit
    for option in view_options:
        if option in RESERVED:
            instead = RESERVED[option]
            hint = f'use {instead}' if instead else 'it is computed'
            raise ConfigurationError(
                f'route({option}=...): not a route() option ({hint})'
            )
    given.update(view_options)

    def decorate(func):
        setattr(func, ROUTE_ATTR, given)
        return func

    return decorate


class Controller:
    """Base class of extensible controllers.

    An instance is made for each request (each call of a JSON-RPC batch)
    with the request as :attr:`request`.  Defining a subclass at module
    level attaches a venusian callback, so ``config.scan()`` activates it as
    ``config.add_controller`` would; a class that is never scanned nor added
    serves nothing.
    """

    def __init__(self, request):
        #: the current :class:`pyramid.request.Request`
        self.request = request

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.__dict__.get(COMBINED_ATTR):
            return

        def callback(context, name, ob):
            config = context.config.with_package(info.module)
            config.add_controller(ob, _info=info.codeinfo)

        info = venusian.attach(cls, callback, category='pyramid', depth=1)


def function_location(func):
    """``module.qualname (file:line)`` of a handler, for messages."""
    func = inspect.unwrap(func)
    name = f'{func.__module__}.{func.__qualname__}'
    code = getattr(func, '__code__', None)
    if code is None:  # pragma: no cover - functions always have code
        return name
    return f'{name} ({code.co_filename}:{code.co_firstlineno})'


# -- the merged endpoint ---------------------------------------------------


class Endpoint:
    """One handler of a serving class with its merged options.

    Built once per handler when the application is made; the per-request
    code only reads its attributes.  The routes serving it share it.
    """

    def __init__(self, controller, name, routing, functions, where=None):
        #: the serving class (a leaf, or the class combining extensions)
        self.controller = controller
        #: the method name
        self.name = name
        #: the merged options (``routes``, ``type``, ``auth``, ``methods``,
        #: ``cors``, ``csrf`` and the pass-through view options)
        self.routing = routing
        self.type = routing['type']
        #: where its controller was activated (for messages)
        self.where = where
        #: ``'*'``, an origin, a tuple of origins or ``None`` (no CORS)
        self.cors = routing['cors']
        #: whether replies allow credentials (``cors_credentials=True``)
        self.cors_credentials = routing.get('cors_credentials', False)
        methods = routing['methods']
        if methods is None and self.type == 'json':
            methods = ('POST',)
        if methods is not None and 'GET' in methods and 'HEAD' not in methods:
            methods = (*methods, 'HEAD')
        #: the methods served, or ``None`` for all
        self.methods = None if methods is None else frozenset(methods)
        self.allow = None if methods is None else ', '.join(methods)
        #: the functions of the chain defining the method, base first
        self.functions = functions
        handler = getattr(controller, name)
        self.description = function_location(functions[-1])
        self._signature(handler)

    def _signature(self, handler):
        try:
            parameters = list(inspect.signature(handler).parameters.values())
        except (TypeError, ValueError):  # pragma: no cover - builtins only
            parameters = []
        bound = None
        if parameters and parameters[0].kind in (
            parameters[0].POSITIONAL_ONLY,
            parameters[0].POSITIONAL_OR_KEYWORD,
        ):
            if parameters[0].kind is parameters[0].POSITIONAL_OR_KEYWORD:
                bound = parameters[0].name
            parameters = parameters[1:]  # self
        accepted = set()
        required = set()
        var_kw = False
        for parameter in parameters:
            if parameter.kind is parameter.VAR_KEYWORD:
                var_kw = True
            elif parameter.kind is parameter.VAR_POSITIONAL:
                continue
            elif parameter.kind is parameter.POSITIONAL_ONLY:
                if parameter.default is parameter.empty:
                    raise ConfigurationError(
                        f'Controller handler {self.description}: the '
                        f'positional-only parameter {parameter.name!r} '
                        'cannot be given by name'
                    )
            else:
                accepted.add(parameter.name)
                if parameter.default is parameter.empty:
                    required.add(parameter.name)
        #: the parameter names the handler takes, or ``None`` with ``**kw``
        self.accepted = None if var_kw else frozenset(accepted)
        #: with ``**kw``, the name of ``self``: a client parameter of that
        #: name would clash with the bound instance (a TypeError, a 500)
        self.refused = frozenset((bound,) if var_kw and bound else ())
        #: the parameters without a default
        self.required = frozenset(required)

    def __repr__(self):
        return f'<Endpoint {self.description}>'

    def auth_check(self, registry):
        """The check of this handler's ``auth`` mode in the application of
        *registry* (``None`` for none), read when its view is derived: by
        then every ``add_controller_auth`` of the commit has run.

        :raises ConfigurationError: for an unknown mode, naming the handler
            and where its controller was activated."""
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

    def call(self, request, kwargs):
        """Make the controller for *request* and call the handler."""
        return getattr(self.controller(request), self.name)(**kwargs)


# -- http routes -----------------------------------------------------------


def http_params_factory(endpoint, controllers):
    """The params factory of an http route: the request's parameters
    (matchdict over GET and POST, repeated ones as lists) without the CSRF
    token (the fields named by ``controllers.csrf_tokens``, which the
    configuration fills in once Pyramid's CSRF options are known),
    restricted to what the handler accepts (extra form fields are dropped,
    as in Odoo)."""
    accepted = endpoint.accepted

    def params_factory(request):
        params = request_params(request)
        for token in controllers.csrf_tokens:
            params.pop(token, None)
        if accepted is not None:
            params = {k: v for k, v in params.items() if k in accepted}
        return params

    return params_factory


def coerce_result(endpoint, request, result, rendered):
    """Turn an http handler's result into a response (DESIGN's rules):
    a ``Response`` as is; with a renderer, a dict for it; a falsy value,
    204; ``str``, HTML; ``bytes``, ``application/octet-stream``; anything
    else is the handler's bug.

    As Pyramid's renderers do, the response is ``request.response`` when
    the handler used it, so the headers and cookies it set there (say
    ``request.response.headers.extend(forget(request))``) reach the
    client.  A ``Response`` the handler returns is its own choice and is
    left as is."""
    if result.__class__ is Response or IResponse.providedBy(result):
        return result
    if rendered and isinstance(result, dict):
        return result
    response = (
        request.response if 'response' in request.__dict__ else Response()
    )
    if not result:
        response.status = 204
        response.body = b''
        del response.content_type
        del response.content_length
        return response
    if isinstance(result, str):
        response.text = result
        return response
    if isinstance(result, bytes):
        response.body = result
        response.content_type = 'application/octet-stream'
        return response
    raise TypeError(
        f'Controller handler {endpoint.description} returned '
        f'{result!r}: an http route must return a Response, str, bytes, a '
        'falsy value, or a dict with renderer='
    )


def make_http_view(endpoint, params_factory, rendered):
    """The view callable of an http controller route."""
    accepted = endpoint.accepted
    required = endpoint.required
    refused = endpoint.refused

    def controller_view(context, request):
        params = request.__dict__.get(PARAMS_KEY)
        if params is None:
            params = params_factory(request)
        elif accepted is not None:
            params = {k: v for k, v in params.items() if k in accepted}
        if refused and not refused.isdisjoint(params):
            params = {k: v for k, v in params.items() if k not in refused}
        if required:
            missing = required.difference(params)
            if missing:
                raise HTTPBadRequest(
                    'Missing parameter(s): ' + ', '.join(sorted(missing))
                )
        return coerce_result(
            endpoint, request, endpoint.call(request, params), rendered
        )

    return controller_view


# -- auth modes ------------------------------------------------------------


def auth_user(request):
    """``auth='user'``: an unauthenticated request (the security policy's
    ``authenticated_userid`` is ``None``) is forbidden; the application's
    forbidden view decides what the client sees (e.g. a login redirect)."""
    if request.authenticated_userid is None:
        raise HTTPForbidden('Authentication required')


#: The built-in modes: ``public`` and ``none`` check nothing (``none``
#: handlers should not consult the security policy either).
BUILTIN_AUTH = {'user': auth_user, 'public': None, 'none': None}


def auth_refusal(check, request, mode):
    """Run the *check* of the ``auth`` mode *mode* and interpret its
    result, failing closed (``add_controller_auth``'s protocol, shared by
    http and JSON routes).

    :returns: ``None`` to let the request through (the check returned
        ``None`` or ``True``), or the refusal: the ``Response`` or HTTP
        exception it returned or raised, ``HTTPForbidden`` for ``False``.
    :raises TypeError: for any other result, after logging the check's
        dotted name: a check that answers something we cannot interpret is
        a bug, never a pass (the exception's handling is Pyramid's, so the
        client sees the application's 500, not the check's name).
    """
    try:
        result = check(request)
    except HTTPException as e:
        return e
    if result is None or result is True:
        return None
    if result is False:
        return HTTPForbidden()
    if IResponse.providedBy(result):
        return result
    name = object_name(check)
    log.error(
        'auth mode %r: the check %s returned a %s; it must return None or '
        'True (pass), False, a Response or an HTTP exception (refuse)',
        mode,
        name,
        type(result).__name__,
    )
    raise TypeError(
        f'auth mode {mode!r}: the check {name} returned a '
        f'{type(result).__name__}, not None, True, False or a Response'
    )


# -- the ingress deriver ---------------------------------------------------


def _cors_callback(cors, credentials):
    """The response callback adding the CORS headers of a route whose
    ``cors=`` is ``'*'``, one origin, or a tuple of origins (the request's
    ``Origin`` echoed when listed)."""
    listed = frozenset(cors) if isinstance(cors, tuple) else None

    def add_cors(request, response):
        if listed is None:
            origin = cors
        else:
            origin = request.headers.get('Origin')
            if origin not in listed:
                origin = None
        if origin is not None:
            response.headers['Access-Control-Allow-Origin'] = origin
            if credentials:
                response.headers['Access-Control-Allow-Credentials'] = 'true'
        if cors != '*':
            response.vary = (*(response.vary or ()), 'Origin')

    return add_cors


def controller_ingress_view(view, info):
    """The outermost deriver of controller routes (over Pyramid's
    ``secured_view``): the CORS preflight (answered before any permission,
    authentication or CSRF check), the CORS header on every response, the
    ``methods=`` restriction (405 with ``Allow``) and, for http routes, the
    ``auth`` mode.  Other views are returned unchanged."""
    endpoint = inspect.getattr_static(info.original_view, ENDPOINT_ATTR, None)
    if endpoint is None:
        return view
    check = endpoint.auth_check(info.registry)  # an unknown mode fails here
    if endpoint.type != 'http':
        check = None  # the JSON-RPC envelope refuses in JSON
    methods = endpoint.methods
    allow = endpoint.allow
    cors = endpoint.cors
    mode = endpoint.routing['auth']
    if methods is None and cors is None and check is None:
        return view
    add_cors = (
        _cors_callback(cors, endpoint.cors_credentials)
        if cors is not None
        else None
    )
    preflight_methods = allow or 'GET, POST, PUT, PATCH, DELETE'

    def controller_ingress(context, request):
        if add_cors is not None:
            if request.method == 'OPTIONS':
                response = Response(status=204)
                del response.content_type
                response.headers.update(
                    {
                        'Access-Control-Allow-Methods': preflight_methods,
                        'Access-Control-Allow-Headers': PREFLIGHT_HEADERS,
                        'Access-Control-Max-Age': '86400',
                    }
                )
                add_cors(request, response)
                return response
            request.add_response_callback(add_cors)
        if methods is not None and request.method not in methods:
            raise HTTPMethodNotAllowed(headers={'Allow': allow})
        if check is not None:
            refusal = auth_refusal(check, request, mode)
            if isinstance(refusal, HTTPException):
                raise refusal
            if refusal is not None:
                return refusal
        return view(context, request)

    return controller_ingress


# -- make_response ---------------------------------------------------------


#: Attributes of a cookie given as a mapping to ``make_response`` (the
#: arguments of :meth:`webob.Response.set_cookie`) ...
COOKIE_ATTRIBUTES = frozenset(
    ('value', 'max_age', 'path', 'domain', 'secure', 'httponly', 'samesite')
)
#: ... and the defaults of cookies set this way: sent over the whole site,
#: out of the reach of scripts and of cross-site requests.
COOKIE_DEFAULTS = {'path': '/', 'httponly': True, 'samesite': 'Lax'}

#: A cookie name: an RFC 6265 token.
COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


def _check_line(what, text):
    """Refuse CR and LF in what becomes part of a header line: they would
    start a new header (response splitting) wherever the server does not
    stop them."""
    if '\r' in text or '\n' in text:
        raise ValueError(f'make_response: {what} contains CR or LF')


def _set_cookie(response, name, cookie):
    if not isinstance(name, str) or not COOKIE_NAME.match(name):
        raise ValueError(f'make_response: invalid cookie name {name!r}')
    if isinstance(cookie, dict):
        unknown = sorted(set(cookie) - COOKIE_ATTRIBUTES)
        if unknown:
            raise ValueError(
                f'make_response: cookie {name!r}: unknown attribute(s) '
                f'{", ".join(map(str, unknown))} (known: '
                f'{", ".join(sorted(COOKIE_ATTRIBUTES))})'
            )
        attributes = {**COOKIE_DEFAULTS, **cookie}
    else:
        attributes = {**COOKIE_DEFAULTS, 'value': cookie}
    for key in ('value', 'path', 'domain'):
        if isinstance(attributes.get(key), str):
            _check_line(f'cookie {name!r} ({key})', attributes[key])
    try:
        response.set_cookie(name, **attributes)
    except ValueError as e:
        raise ValueError(f'make_response: cookie {name!r}: {e}') from e


def make_response(data, headers=None, cookies=None, status=200):
    """``request.make_response(data, headers=None, cookies=None,
    status=200)``: a response for *data* (``str`` as HTML, ``bytes`` as
    is).

    :param headers: a mapping or a list of pairs (a ``Content-Type`` there
        sets the content type).
    :param cookies: a mapping of cookie names to a value, or to a mapping
        of attributes: ``value``, ``max_age``, ``path``, ``domain``,
        ``secure``, ``httponly``, ``samesite``.  Cookies set this way
        default to ``Path=/; HttpOnly; SameSite=Lax``: a cookie scripts
        must read says ``'httponly': False``.
    :raises ValueError: for a header name or value, or a status, containing
        CR or LF (it would inject headers into the reply), and for an
        invalid cookie name, value or attribute (naming the cookie).
    """
    _check_line('the status', str(status))
    response = Response(status=status)
    if isinstance(data, str):
        response.text = data
    elif data is not None:
        response.body = data
    if headers:
        pairs = headers.items() if hasattr(headers, 'items') else headers
        for name, value in pairs:
            _check_line(f'a header name ({name!r})', str(name))
            _check_line(f'the value of header {name!r}', str(value))
            if name.lower() == 'content-type':
                response.headers['Content-Type'] = value
            else:
                response.headers.add(name, value)
    if cookies:
        for name, cookie in cookies.items():
            _set_cookie(response, name, cookie)
    return response
