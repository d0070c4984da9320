"""The view callables of controller routes, the deriver every controller
route's request passes first, and ``request.make_response``."""

import inspect
import re
from collections.abc import Iterable, Mapping
from typing import Any
from wsgiref.util import is_hop_by_hop

from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPForbidden,
    HTTPMethodNotAllowed,
)
from pyramid.interfaces import IDefaultPermission
from pyramid.response import Response

from pyramid_hooks.controllers import Endpoint, auth_refusal
from pyramid_hooks.controllers.envelope import Envelope
from pyramid_hooks.controllers.jsonrpc import INVALID_PARAMS, JsonRpcError
from pyramid_hooks.params import request_params
from pyramid_hooks.pipeline import accepts
from pyramid_hooks.shared import as_response
from pyramid_hooks.workarounds import response_if_made

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
    return {**request.jsonrpc_call.params, **(request.matchdict or {})}


def call_handler(endpoint, request, params, rendered):
    """Call the handler on an instance made for *request*; an http
    handler's result becomes a response (DESIGN's rules): as with Pyramid's
    renderers, ``request.response`` when the handler used it, so the
    headers and cookies it set there reach the client."""
    result = getattr(endpoint.controller(request), endpoint.name)(**params)
    if endpoint.type == 'json' or as_response(result) is not None:
        return result
    if rendered and isinstance(result, dict):
        return result
    response = response_if_made(request) or Response()
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
        params = getattr(request, 'hook_params', None)
        if params is None:  # no pipeline hook ran
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
        return call_handler(endpoint, request, params, rendered)

    return controller_view


def method_caller(endpoint, rendered=False):
    """The ``method_caller=`` view option of a handler's view (see
    :func:`~pyramid_hooks.error_handlers.class_caller`): another method of
    the serving class (an ``error_handler=``) is called as the handler is,
    with the parameters it accepts of those the pipeline hooks saw."""

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
            params = handler.arguments(request.hook_params)[0]
            return call_handler(handler, request, params, rendered)

        return call

    return endpoint.controller, make_call


# the view options config.add_controller computes: the endpoint, and what
# the pipeline derivers read (see pyramid_hooks.scopes.view_scope_keys)
@accepts(
    'controller_endpoint', 'hook_scope', 'params_factory', 'method_caller'
)
def controller_ingress_view(view, info):
    """The outermost deriver of controller routes (over Pyramid's
    ``secured_view``): the CORS preflight (answered before any permission,
    authentication or CSRF check), the CORS headers on every response, the
    ``methods=`` restriction (405 with ``Allow``) and the ``auth`` mode.
    On a JSON route, a refusal of the ``auth`` check or of Pyramid's
    permission check is a JSON-RPC error (:meth:`Envelope.refuse
    <pyramid_hooks.controllers.envelope.Envelope.refuse>`).  Other views are
    returned unchanged."""
    endpoint = info.options.get('controller_endpoint')
    if endpoint is None:
        return view
    check = endpoint.auth_check(info.registry)  # an unknown mode fails here
    json = endpoint.type == 'json'
    envelope = denied = None
    if json:
        if info.options.get('route_name') in endpoint.rpc_urls:
            check = None  # each call's handler is checked: shared_url_denial
        envelope = Envelope(endpoint, info.registry)
        # answered when Pyramid's permission check says no: the permission
        # it required, named in debug mode only (Envelope.refusal_data)
        permission = info.options.get('permission')
        if permission is None:
            permission = info.registry.queryUtility(IDefaultPermission)
        denied = HTTPForbidden(f'permission {permission!r} denied')
    methods = endpoint.methods
    allow = endpoint.allow
    cors = endpoint.routing['cors']
    credentials = endpoint.routing.get('cors_credentials', False)
    mode = endpoint.routing['auth']
    if methods is None and cors is None and check is None:  # http only
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
        if json:
            payload, response = envelope.read(request)
            if response is not None:
                return response
            request.jsonrpc_payload = payload
        if check is not None:
            refusal = auth_refusal(check, request, mode)
            if refusal is not None and json:
                return envelope.refuse(context, request, payload, refusal)
            if isinstance(refusal, HTTPException):
                raise refusal
            if refusal is not None:
                return refusal
        if not json:
            return view(context, request)
        try:
            return view(context, request)
        except HTTPForbidden as e:
            if e.result is None:  # not Pyramid's permission check
                raise
            return envelope.refuse(context, request, payload, denied)

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
#: A character no cookie value, path or domain may hold: WebOb would
#: write it as an octal escape that browsers do not decode (and warns that
#: it will refuse it).
COOKIE_BAD_CHAR = re.compile(r'[^\x20-\x7e]')
#: A header name: an RFC 7230 token (the same characters).
HEADER_NAME = COOKIE_NAME
#: A character no header value may hold (RFC 7230 ``field-value``): the
#: controls but HTAB, and what ISO-8859-1 (the text of WSGI headers) lacks.
BAD_VALUE_CHAR = re.compile(r'[^\t\x20-\x7e\x80-\xff]')
#: A status line: a code of 100 to 599, then nothing or a space and a
#: reason without control characters.
STATUS_LINE = re.compile(r'[1-5][0-9][0-9]( [\t\x20-\x7e\x80-\xff]*)?\Z')


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
        text = attributes.get(key)
        if text is None:
            continue
        if not isinstance(text, str):
            raise TypeError(
                f'make_response: cookie {name!r} ({key}) must be a str, not '
                f'{type(text).__name__}'
            )
        _check_line(f'cookie {name!r} ({key})', text)
        bad = COOKIE_BAD_CHAR.search(text)
        if bad is not None:
            raise ValueError(
                f'make_response: cookie {name!r} ({key}) contains '
                f'{bad.group()!r}: a cookie holds printable ASCII only '
                '(encode other text first, e.g. with urllib.parse.quote)'
            )
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
    bad = BAD_VALUE_CHAR.search(value)
    if bad is not None:
        raise ValueError(
            f'make_response: {what} contains {bad.group()!r}: a header '
            'value holds ISO-8859-1 text without control characters'
        )
    return value


def _check_status(status):
    """Refuse a status that is not a code of 100 to 599 (an ``int``, or a
    ``str`` starting with one): WSGI servers reject it when they send the
    response, long after the handler that made it."""
    if isinstance(status, bool) or not isinstance(status, (int, str)):
        raise TypeError(
            'make_response: the status must be an int or a str, not '
            f'{type(status).__name__}'
        )
    if isinstance(status, int):
        if not 100 <= status <= 599:
            raise ValueError(
                f'make_response: invalid status {status!r}: the code must '
                'be 100 to 599'
            )
        return
    _check_line('the status', status)
    if not STATUS_LINE.match(status):
        raise ValueError(
            f'make_response: invalid status {status!r}: give a code of 100 '
            "to 599, alone or followed by a space and a reason ('404 Not "
            "Found')"
        )


def _check_length(response, value):
    """Refuse a ``Content-Length`` that is not the body's: a reply saying
    two lengths, or a wrong one, is read differently by a proxy and the
    client behind it (response splitting)."""
    length = str(len(response.body))
    if value != length:
        raise ValueError(
            f'make_response: Content-Length {value!r} is not the length of '
            f'the data ({length}); leave it out, it is set from the data'
        )


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
        status (they would inject headers), a header name that is not an
        RFC 7230 token, a control character (NUL...) or a character
        outside ISO-8859-1 in a header value, a status code outside 100 to
        599, a hop-by-hop header (``Transfer-Encoding``...), a
        ``Content-Length`` that is not the data's length, and for an invalid
        cookie name, value or attribute (naming the cookie).
    :raises TypeError: for a header name that is not a ``str``, a value
        that is neither a ``str`` nor an ``int``, a status that is neither
        (``bytes`` included).
    """
    _check_status(status)
    response = Response(status=status)
    if isinstance(data, str):
        response.text = data
    elif data is not None:
        response.body = data
    if headers:
        pairs = headers.items() if hasattr(headers, 'items') else headers
        for name, value in pairs:
            name = _header_text(f'a header name ({name!r})', name)
            if not HEADER_NAME.match(name):
                raise ValueError(
                    f'make_response: invalid header name {name!r}: a header '
                    'name is a non-empty RFC 7230 token (letters, digits and '
                    "!#$%&'*+-.^_`|~, no space or ':')"
                )
            value = _header_text(
                f'the value of header {name!r}', value, numbers=True
            )
            lowered = name.lower()
            if is_hop_by_hop(name):
                raise ValueError(
                    f'make_response: header {name!r} is hop-by-hop: the WSGI '
                    'server alone sends it (PEP 3333)'
                )
            if lowered == 'content-type':
                response.headers['Content-Type'] = value
            elif lowered == 'content-length':  # replaced, never doubled
                _check_length(response, value)
                response.headers['Content-Length'] = value
            else:
                response.headers.add(name, value)
    if cookies:
        for name, cookie in cookies.items():
            _set_cookie(response, name, cookie)
    return response
