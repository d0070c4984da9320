"""The view callables of controller routes, and the deriver every
controller route's request passes first.

:func:`make_http_view` and :func:`make_json_view` turn a handler
(:class:`~pyramid_hooks.controllers.Endpoint`) into the view callable its
routes are added with: both take the handler's keyword arguments from the
same place (the ``params`` the pipeline hooks saw, or their params factory)
and filter them the same way (:meth:`Endpoint.arguments`); an http route
drops what the handler does not take, a JSON-RPC call is refused with
-32602.  :func:`controller_ingress_view` answers CORS preflights, refuses
other methods and applies the ``auth`` mode of http routes (JSON routes
refuse in JSON: :mod:`pyramid_hooks.jsonrpc`).  :func:`make_response` is
``request.make_response``, for handlers that set headers and cookies.
"""

import inspect
import re

from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPMethodNotAllowed,
)
from pyramid.interfaces import IResponse
from pyramid.response import Response

from pyramid_hooks.controllers import ENDPOINT_ATTR, auth_refusal
from pyramid_hooks.jsonrpc import INVALID_PARAMS, JsonRpcError
from pyramid_hooks.params import request_params
from pyramid_hooks.pipeline import PARAMS_KEY

#: Headers a CORS preflight allows (Odoo's list plus Pyramid's CSRF
#: header).
PREFLIGHT_HEADERS = (
    'Origin, X-Requested-With, Content-Type, Accept, Authorization, '
    'X-CSRF-Token'
)


# -- http routes -----------------------------------------------------------


def http_params_factory(endpoint, controllers):
    """The params factory of an http route: the request's parameters
    (matchdict over GET and POST, repeated ones as lists) without the CSRF
    token (the fields named by ``controllers.csrf_tokens``, which the
    configuration fills in once Pyramid's CSRF options are known),
    restricted to what the handler accepts (extra form fields are dropped,
    as in Odoo)."""

    def params_factory(request):
        params = request_params(request)
        for token in controllers.csrf_tokens:
            params.pop(token, None)
        return endpoint.arguments(params)[0]

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

    def controller_view(context, request):
        params = request.__dict__.get(PARAMS_KEY)
        if params is None:
            params = params_factory(request)
        params, _, missing = endpoint.arguments(params)
        if missing:
            raise HTTPBadRequest(
                'Missing parameter(s): ' + ', '.join(sorted(missing))
            )
        return coerce_result(
            endpoint, request, endpoint.call(request, params), rendered
        )

    return controller_view


def json_params_factory(endpoint):
    """The params factory of a JSON route: the call's params (a new
    dict) with the route's matchdict over them."""

    def params_factory(request):
        params = dict(request.jsonrpc_call.params)
        if request.matchdict:
            params.update(request.matchdict)
        return params

    return params_factory


def make_json_view(endpoint, params_factory):
    """The per-call view callable of a JSON controller route: unknown or
    missing parameters are -32602 (unlike http forms, nothing is dropped
    silently)."""

    def controller_json_view(context, request):
        params = request.__dict__.get(PARAMS_KEY)
        if params is None:
            params = params_factory(request)
        params, unknown, missing = endpoint.arguments(params)
        problems = []
        if unknown:
            problems.append(
                'unexpected parameter(s): ' + ', '.join(sorted(unknown))
            )
        if missing:
            problems.append(
                'missing parameter(s): ' + ', '.join(sorted(missing))
            )
        if problems:
            raise JsonRpcError(
                INVALID_PARAMS, data={'message': '; '.join(problems)}
            )
        return endpoint.call(request, params)

    return controller_json_view


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
