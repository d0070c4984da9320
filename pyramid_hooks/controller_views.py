"""The view callables of controller routes, the deriver every controller
route's request passes first, and ``request.make_response``."""

import inspect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPMethodNotAllowed,
)
from pyramid.response import Response

from pyramid_hooks.controllers import ENDPOINT_ATTR, Endpoint, auth_refusal
from pyramid_hooks.jsonrpc import INVALID_PARAMS, JsonRpcError
from pyramid_hooks.params import request_params
from pyramid_hooks.pipeline import PARAMS_KEY
from pyramid_hooks.shared import as_response

#: Headers a CORS preflight allows (Odoo's list plus X-CSRF-Token).
PREFLIGHT_HEADERS = (
    'Origin, X-Requested-With, Content-Type, Accept, Authorization, '
    'X-CSRF-Token'
)


def http_params_factory(endpoint, controllers):
    """The params factory of an http route: the request's parameters
    without the CSRF token fields (``controllers.csrf_tokens``, known once
    Pyramid's CSRF options are), restricted to what the handler accepts."""

    def params_factory(request):
        params = request_params(request)
        for token in controllers.csrf_tokens:
            params.pop(token, None)
        return endpoint.arguments(params)[0]

    return params_factory


def json_params(request):
    """The params factory of a JSON route: the call's params (a new dict)
    with the route's matchdict over them."""
    params = dict(request.jsonrpc_call.params)
    if request.matchdict:
        params.update(request.matchdict)
    return params


def coerce_result(endpoint, request, result, rendered):
    """Turn an http handler's result into a response (DESIGN's rules).  As
    with Pyramid's renderers, the response is ``request.response`` when the
    handler used it, so the headers and cookies it set there reach the
    client."""
    if as_response(result) is not None:
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


def make_view(endpoint, params_factory, rendered=False):
    """The view callable of a controller route (of each call, for a JSON
    route), given the ``params`` the pipeline hooks saw or
    *params_factory*'s.  A JSON call drops nothing silently (-32602)."""
    json = endpoint.type == 'json'

    def controller_view(context, request):
        params = request.__dict__.get(PARAMS_KEY)
        if params is None:
            params = params_factory(request)
        params, unexpected, missing = endpoint.arguments(params)
        if json and (unexpected or missing):
            problems = {'unexpected': unexpected, 'missing': missing}
            message = '; '.join(
                f'{what} parameter(s): {", ".join(sorted(names))}'
                for what, names in problems.items()
                if names
            )
            raise JsonRpcError(INVALID_PARAMS, data={'message': message})
        if missing:
            raise HTTPBadRequest(
                'Missing parameter(s): ' + ', '.join(sorted(missing))
            )
        controller = endpoint.controller(request)
        result = getattr(controller, endpoint.name)(**params)
        if json:
            return result
        return coerce_result(endpoint, request, result, rendered)

    return controller_view


def method_caller(endpoint, rendered=False):
    """The :data:`~pyramid_hooks.pipeline.METHOD_CALLER_ATTR` of a handler's
    view: another method of the serving class (an ``error_handler=``) runs
    as the handler does, on a new instance (``self.request`` set), with the
    parameters it accepts of those the pipeline hooks saw, its result made a
    response by the same rules."""

    def make_call(name):
        function = inspect.getattr_static(endpoint.controller, name)
        handler = Endpoint(
            endpoint.controller,
            name,
            endpoint.routing,
            (function,),
            endpoint.where,
        )

        def call(context, request):
            params = handler.arguments(request.__dict__[PARAMS_KEY])[0]
            result = getattr(endpoint.controller(request), name)(**params)
            if handler.type == 'json':
                return result
            return coerce_result(handler, request, result, rendered)

        return call

    return endpoint.controller, make_call


def controller_ingress_view(view, info):
    """The outermost deriver of controller routes (over Pyramid's
    ``secured_view``): the CORS preflight (answered before any permission,
    authentication or CSRF check), the CORS headers on every response, the
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
    cors = endpoint.routing['cors']
    credentials = endpoint.routing.get('cors_credentials', False)
    mode = endpoint.routing['auth']
    if methods is None and cors is None and check is None:
        return view
    listed = frozenset(cors) if isinstance(cors, tuple) else None
    preflight_methods = allow or 'GET, POST, PUT, PATCH, DELETE'
    preflight = (
        ('Access-Control-Allow-Methods', preflight_methods),
        ('Access-Control-Allow-Headers', PREFLIGHT_HEADERS),
        ('Access-Control-Max-Age', '86400'),
    )

    def add_cors(request, response):
        # '*' or one origin as is; from a list, the request's Origin if listed
        origin = cors if listed is None else request.headers.get('Origin')
        if origin is not None and (listed is None or origin in listed):
            response.headers['Access-Control-Allow-Origin'] = origin
            if credentials:
                response.headers['Access-Control-Allow-Credentials'] = 'true'
        if cors != '*':
            response.vary = (*(response.vary or ()), 'Origin')

    def controller_ingress(context, request):
        if cors is not None:
            if request.method == 'OPTIONS':
                response = Response(status=204, headerlist=list(preflight))
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


#: The attributes of a cookie given as a mapping (arguments of
#: :meth:`webob.Response.set_cookie`) and their defaults: the whole site,
#: out of the reach of scripts and of cross-site requests.
COOKIE_ATTRIBUTES = frozenset(
    ('value', 'max_age', 'path', 'domain', 'secure', 'httponly', 'samesite')
)
COOKIE_DEFAULTS = {'path': '/', 'httponly': True, 'samesite': 'Lax'}

#: A cookie name: an RFC 6265 token.
COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


def _check_line(what, text):
    """Refuse CR and LF in what becomes part of a header line: they would
    start a new header (response splitting)."""
    if '\r' in text or '\n' in text:
        raise ValueError(f'make_response: {what} contains CR or LF')


def _set_cookie(response, name, cookie):
    if not isinstance(name, str) or not COOKIE_NAME.match(name):
        raise ValueError(f'make_response: invalid cookie name {name!r}')
    if not isinstance(cookie, dict):
        cookie = {'value': cookie}
    unknown = sorted(set(cookie) - COOKIE_ATTRIBUTES)
    if unknown:
        raise ValueError(
            f'make_response: cookie {name!r}: unknown attribute(s) '
            f'{", ".join(map(str, unknown))} (known: '
            f'{", ".join(sorted(COOKIE_ATTRIBUTES))})'
        )
    attributes = {**COOKIE_DEFAULTS, **cookie}
    for key in ('value', 'path', 'domain'):
        if isinstance(attributes.get(key), str):
            _check_line(f'cookie {name!r} ({key})', attributes[key])
    try:
        response.set_cookie(name, **attributes)
    except ValueError as e:
        raise ValueError(f'make_response: cookie {name!r}: {e}') from e


def _header_text(what, value, numbers=False):
    """*value* as the text of a header line: a ``str`` without CR or LF,
    or, when *numbers*, an ``int`` (``Content-Length``, as Odoo code
    gives it).  Anything else, ``bytes`` included, is a :exc:`TypeError`:
    WSGI servers take ``str`` only, and CR or LF hidden in bytes would
    escape the check."""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(
            f'make_response: {what} must be a str, not {type(value).__name__}'
        )
    _check_line(what, value)
    return value


#: The headers :func:`make_response` takes: a mapping or a list of pairs.
Headers = Mapping[str, str | int] | Iterable[tuple[str, str | int]]


def make_response(
    data: str | bytes | None,
    headers: Headers | None = None,
    cookies: Mapping[str, str | dict[str, Any]] | None = None,
    status: int | str = 200,
) -> Response:
    """``request.make_response``: a response for *data* with *headers* and
    *cookies* (described in ``docs/directives.rst``).

    :raises ValueError: for CR or LF in a header name or value or in the
        status (they would inject headers), and for an invalid cookie name,
        value or attribute (naming the cookie).
    :raises TypeError: for a header name that is not a ``str``, a value
        that is neither a ``str`` nor an ``int``, a status that is neither
        (``bytes`` included).
    """
    if isinstance(status, bool) or not isinstance(status, (int, str)):
        raise TypeError(
            'make_response: the status must be an int or a str, not '
            f'{type(status).__name__}'
        )
    _check_line('the status', str(status))
    response = Response(status=status)
    if isinstance(data, str):
        response.text = data
    elif data is not None:
        response.body = data
    if headers:
        pairs = headers.items() if hasattr(headers, 'items') else headers
        for name, value in pairs:
            name = _header_text(f'a header name ({name!r})', name)
            value = _header_text(
                f'the value of header {name!r}', value, numbers=True
            )
            if name.lower() == 'content-type':
                response.headers['Content-Type'] = value
            else:
                response.headers.add(name, value)
    if cookies:
        for name, cookie in cookies.items():
            _set_cookie(response, name, cookie)
    return response
