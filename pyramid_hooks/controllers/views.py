"""The view callables of controller routes and the deriver every controller
route's request passes first."""

import inspect

from pyramid.httpexceptions import (
    HTTPBadRequest,
    HTTPException,
    HTTPForbidden,
    HTTPMethodNotAllowed,
)
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.controllers import Endpoint
from pyramid_hooks.controllers.auth import auth_refusal
from pyramid_hooks.controllers.converters import CONVERSION_ERROR
from pyramid_hooks.controllers.envelope import Envelope
from pyramid_hooks.controllers.jsonrpc import INVALID_PARAMS, JsonRpcError
from pyramid_hooks.params import request_params
from pyramid_hooks.pipeline import accepts
from pyramid_hooks.probes import field_names
from pyramid_hooks.scopes import route_key
from pyramid_hooks.shared import shown_value
from pyramid_hooks.workarounds import (
    as_response,
    default_permission,
    response_if_made,
)

#: Headers a CORS preflight allows (Odoo's list plus X-CSRF-Token).
PREFLIGHT_HEADERS = (
    'Origin, X-Requested-With, Content-Type, Accept, Authorization, '
    'X-CSRF-Token'
)

#: The methods a preflight allows on a route without ``methods=``.
ALL_METHODS = 'GET, POST, PUT, PATCH, DELETE'


def http_params_factory(endpoint, controllers):
    """The params factory of an http route: the request's parameters
    without the CSRF token fields, restricted to what the handler takes."""

    def params_factory(request):
        matchdict = request.matchdict or {}
        accepted = endpoint.accepted
        if accepted is not None and accepted.issubset(matchdict):
            # the handler takes no query or form field: none is decoded
            params = dict(matchdict)
        else:
            params = request_params(request)
        for token in controllers.csrf_tokens:
            params.pop(token, None)
        return endpoint.arguments(params)[0]

    return params_factory


def json_params(request):
    """The params factory of a JSON route: the call's, matchdict over."""
    return {**request.jsonrpc_call.params, **(request.matchdict or {})}


def call_handler(endpoint, request, params, rendered):
    """Call the handler on an instance made for *request*; an http
    handler's result becomes a response (``request.response`` if used)."""
    result = getattr(endpoint.controller(request), endpoint.name)(**params)
    if endpoint.type == 'json' or as_response(result) is not None:
        return result
    if rendered and not (result is None or isinstance(result, (str, bytes))):
        return result  # the renderer's, as from any view ([] too)
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
    # what the response adapters take, adapted once (as Pyramid does)
    adapted = as_response(result, request.registry)
    if adapted is not None:
        return adapted
    override = getattr(request, 'override_renderer', None)
    raise TypeError(
        f'Controller handler {endpoint.description} returned '
        f'{shown_value(result)}: an http route must return a '
        'Response, str, bytes, a falsy value, a value for its renderer= '
        '(a dict), or a value a response adapter of the application takes '
        '(config.add_response_adapter)'
        + (
            ''
            if override is None
            # TurboGears' override_template works on any @expose
            else f'; request.override_renderer ({override!r}) replaces '
            "a route's renderer, it adds none: give the route a renderer="
        )
    )


def make_view(endpoint, params_factory, rendered=False):
    """The view callable of a controller route (of each JSON call), given
    the ``params`` the pipeline hooks saw or *params_factory*'s."""
    json = endpoint.type == 'json'

    def controller_view(context, request):
        params = getattr(request, 'hook_params', None)
        if params is None:  # no pipeline hook ran
            params = params_factory(request)
        params, unexpected, missing = endpoint.arguments(params)
        if json and (unexpected or missing):
            # a few of the client's unexpected names, cut (field_names)
            problems = {'unexpected': unexpected, 'missing': missing}
            message = '; '.join(
                f'{what} parameter(s): {field_names(names)}'
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


def method_caller(endpoint, rendered, renderer, routes_of):
    """The ``method_caller=`` view option of a handler's view (see
    :func:`~pyramid_hooks.error_handlers.class_caller`): an
    ``error_handler=`` method is called as the handler is; ``own_route``
    gives its own routes' scope keys and options (``routes_of(name)``)."""

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
            params, _, missing = handler.arguments(request.hook_params)
            if missing:  # as for the handler itself
                text = 'Missing parameter(s): ' + ', '.join(sorted(missing))
                if handler.type == 'json':
                    raise JsonRpcError(INVALID_PARAMS, data={'message': text})
                raise HTTPBadRequest(text)
            result = call_handler(handler, request, params, rendered)
            if renderer is not None and as_response(result) is None:
                # for the failing view's renderer only
                request.override_renderer = renderer
            return result

        return call

    def own_route(name):
        served = routes_of(name)
        keys = tuple(route_key(route.name) for route in served)
        return keys, served[0].options if served else {}

    return endpoint.controller, make_call, own_route


def cors_responses(endpoint, max_age='86400'):
    """``(add_cors, answer_preflight)`` of *endpoint*, a handler with
    ``cors=``.  A preflight asking for a method the handler does not serve
    is its ``405`` without CORS headers: it grants nothing to another
    handler of the URL.  Browsers keep the answer *max_age* seconds."""
    methods = endpoint.methods
    allow = endpoint.allow
    cors = endpoint.routing['cors']
    credentials = endpoint.routing.get('cors_credentials', False)
    listed = frozenset(cors) if isinstance(cors, tuple) else None
    preflight = (
        ('Access-Control-Allow-Methods', allow or ALL_METHODS),
        ('Access-Control-Allow-Headers', PREFLIGHT_HEADERS),
        ('Access-Control-Max-Age', max_age),
    )

    def add_cors(request, response):
        # '*' or one origin as is; from a list, the request's Origin if
        # listed; set or removed each time: a view may reuse a response
        origin = cors if listed is None else request.headers.get('Origin')
        if listed is not None and origin not in listed:
            origin = None
        for name, value in (
            ('Access-Control-Allow-Origin', origin),
            ('Access-Control-Allow-Credentials', credentials and 'true'),
        ):
            if origin is not None and value:
                response.headers[name] = value
            else:
                response.headers.pop(name, None)
        vary = response.vary or ()  # once
        if cors != '*' and 'origin' not in (v.lower() for v in vary):
            response.vary = (*vary, 'Origin')

    def answer_preflight(request):
        asked = request.headers.get('Access-Control-Request-Method')
        if methods is not None and asked is not None and asked not in methods:
            raise HTTPMethodNotAllowed(headers={'Allow': allow})
        response = Response(status=204, headerlist=list(preflight))
        add_cors(request, response)
        return response

    return add_cors, answer_preflight


# the view options config.add_controller computes
@accepts(
    'controller_endpoint', 'hook_scope', 'params_factory', 'method_caller'
)
def controller_ingress_view(view, info):
    """The outermost deriver of controller routes: the CORS preflight and
    headers, the ``methods=`` 405 and the ``auth`` mode."""
    endpoint = info.options.get('controller_endpoint')
    if endpoint is None:
        return view
    check = endpoint.auth_check(info.registry)  # an unknown mode fails here
    mode = endpoint.routing['auth']
    json = endpoint.type == 'json'
    envelope = denied = asked = None
    if json:
        if info.options.get('route_name') in endpoint.rpc_urls:
            check = None  # each call's handler is checked: shared_url_denial
        envelope = Envelope(endpoint, info.registry)
        # refused by Pyramid's permission check: named in debug mode only
        permission = info.options.get('permission')
        if permission is None:
            permission = default_permission(info.registry)
        denied = HTTPForbidden(f'permission {permission!r} denied')
        asked = None if permission == NO_PERMISSION_REQUIRED else permission
    methods = endpoint.methods
    allow = endpoint.allow
    cors = endpoint.routing['cors']
    if methods is None and cors is None and check is None:  # http only
        return view
    if cors is not None:
        add_cors, answer_preflight = cors_responses(endpoint)

    def controller_ingress(context, request):
        if cors is not None:
            if request.method == 'OPTIONS':
                return answer_preflight(request)
            request.add_response_callback(add_cors)
        if methods is not None and request.method not in methods:
            raise HTTPMethodNotAllowed(headers={'Allow': allow})
        if json:
            payload, response = envelope.read(request)
            if response is not None:
                return response
            request.jsonrpc_payload = payload
            error = request.matchdict.pop(CONVERSION_ERROR, None)
            if error is not None:  # a route converter's, before any call
                return envelope.fail(context, request, payload, error)
        if not json:
            if check is not None:
                refusal = auth_refusal(check, request, mode)
                if isinstance(refusal, HTTPException):
                    raise refusal
                if refusal is not None:
                    return refusal
            return view(context, request)
        try:  # what an access check raises is each call's error
            if check is not None:
                refusal = auth_refusal(check, request, mode)
                if refusal is not None:
                    return envelope.refuse(context, request, payload, refusal)
            return view(context, request)
        except HTTPException as e:
            if isinstance(e, HTTPForbidden) and e.result is not None:
                return envelope.refuse(context, request, payload, denied)
            # a decorator='s, as on any view; or the policy's (a login
            # redirect, its own 403), which secured_view asked first: when
            # asking again raises, a refusal as a check's (no batch follows
            # a redirect)
            if asked is not None:
                try:
                    request.has_permission(asked, context)
                except HTTPException as policy:
                    return envelope.refuse(context, request, payload, policy)
            raise
        except Exception as e:
            return envelope.fail(context, request, payload, e)

    return controller_ingress
