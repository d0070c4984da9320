"""The JSON-RPC 2.0 envelope of ``type='json'`` controller routes.

The envelope is a view deriver placed between ``pyramid_hooks``'
``after_render`` deriver and Pyramid's ``rendered_view``: it reads the
request body once, checks ``auth`` and ``permission`` once, and calls the
rest of the view pipeline once per JSON-RPC call, with
:attr:`request.jsonrpc_call <JsonRpcCall>` describing the call.  So for a
JSON route the pipeline hooks ``before_validate``, ``before_call`` and
``before_render``, ``validate=`` and the controller wrappers run per call
(``params`` being the call's params), while ``after_render`` runs once, with
the HTTP response carrying every reply.

Errors follow the specification (https://www.jsonrpc.org/specification):
-32700 parse error, -32600 invalid request, -32602 invalid params, -32603
internal error, -32000 an exception of the handler (``data.name``,
``data.message``, ``data.debug`` with the traceback only in debug mode) and
-32001 an ``auth``/``permission`` refusal.  Errors are sent with HTTP 200.
"""

import json
import logging
import traceback

from pyramid.httpexceptions import HTTPException
from pyramid.interfaces import IDefaultPermission
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.config import get_hooks_settings, object_name
from pyramid_hooks.controllers import auth_refusal

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_ERROR = -32000
ACCESS_DENIED = -32001

MESSAGES = {
    PARSE_ERROR: 'Parse error',
    INVALID_REQUEST: 'Invalid Request',
    INVALID_PARAMS: 'Invalid params',
    INTERNAL_ERROR: 'Internal error',
    SERVER_ERROR: 'Server error',
    ACCESS_DENIED: 'Access denied',
}

#: Content types a JSON route accepts (the CSRF defence of JSON routes: a
#: cross-site HTML form cannot send them without a CORS preflight).
JSON_TYPES = frozenset(('application/json', 'application/json-rpc'))


class JsonRpcError(Exception):
    """A JSON-RPC error: raise it from a JSON handler to choose the
    ``code``, ``message`` and ``data`` of the error reply."""

    def __init__(self, code, message=None, data=None):
        super().__init__(message or MESSAGES.get(code, 'Server error'))
        self.code = code
        self.message = str(self.args[0])
        self.data = data


class JsonRpcCall:
    """One call of a JSON-RPC request, as ``request.jsonrpc_call`` while it
    runs: ``id`` (``None`` for a notification or ``"id": null``),
    ``method`` (informational: the URL chooses the handler), ``params`` (a
    dict) and ``notification`` (no ``id`` member: no reply)."""

    __slots__ = ('id', 'method', 'notification', 'params')

    def __init__(self, id, method, params, notification):
        self.id = id
        self.method = method
        self.params = params
        self.notification = notification

    def __repr__(self):
        return f'<JsonRpcCall id={self.id!r} method={self.method!r}>'


def _valid_id(value):
    return value is None or (
        isinstance(value, (str, int, float)) and not isinstance(value, bool)
    )


def _not_json(constant):
    raise ValueError(f'{constant} is not JSON')


def parse_body(request):
    """The decoded JSON body, or a :class:`JsonRpcError` for a body that is
    not UTF-8 JSON (``NaN`` and ``Infinity`` are not JSON: echoed back, as
    an ``id`` say, they would make the reply unparseable; nesting too deep
    for the parser is the client's fault too)."""
    try:
        return json.loads(
            request.body.decode('utf-8'), parse_constant=_not_json
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise JsonRpcError(PARSE_ERROR, data={'message': str(e)}) from e


def parse_call(member):
    """A :class:`JsonRpcCall` for one request object (raises
    :class:`JsonRpcError` with the id to answer, as ``error_id``)."""
    if not isinstance(member, dict):
        raise _invalid(None, 'a request must be a JSON object')
    id_ = member.get('id')
    reply_id = id_ if _valid_id(id_) else None
    if member.get('jsonrpc') != '2.0':
        raise _invalid(reply_id, 'the "jsonrpc" member must be "2.0"')
    method = member.get('method')
    if not isinstance(method, str):
        raise _invalid(reply_id, 'the "method" member must be a string')
    if not _valid_id(id_):
        raise _invalid(
            None, 'the "id" member must be a string, a number or null'
        )
    params = member.get('params', {})
    if isinstance(params, list):
        error = JsonRpcError(
            INVALID_PARAMS,
            data={
                'message': 'params must be an object (by name): '
                'positional params are not supported'
            },
        )
        error.error_id = reply_id
        error.notification = 'id' not in member
        raise error
    if not isinstance(params, dict):
        raise _invalid(reply_id, 'the "params" member must be an object')
    return JsonRpcCall(id_, method, params, 'id' not in member)


def _invalid(reply_id, message):
    error = JsonRpcError(INVALID_REQUEST, data={'message': message})
    error.error_id = reply_id
    return error


def error_reply(id_, code, message=None, data=None):
    """The serialized error object of a reply."""
    error = {'code': code, 'message': message or MESSAGES[code]}
    if data is not None:
        error['data'] = data
    return json.dumps(
        {'jsonrpc': '2.0', 'id': id_, 'error': error}, default=str
    )


def _reply(request, body, status=200):
    response = Response(
        status=status,
        content_type='application/json',
        charset='utf-8',
    )
    if body is None:
        response.status = 204
        del response.content_type
    else:
        response.text = body
    return response


def exception_data(exc, debug):
    """``data`` of a -32000 error: the exception's ``name`` and ``message``
    (and ``status`` for an HTTP exception), ``debug`` (the traceback) only
    in debug mode."""
    data = {'name': object_name(type(exc)), 'message': str(exc)}
    if isinstance(exc, HTTPException):
        data['status'] = exc.code
    if debug:
        data['debug'] = ''.join(traceback.format_exception(exc))
    return data


def _debug(registry):
    settings = registry.settings or {}
    if settings.get('pyramid.debug_all') or settings.get('debug_all'):
        return True
    hooks_settings = get_hooks_settings(registry)
    return bool(hooks_settings and hooks_settings.controllers_debug)


def _json_default(request):
    """Objects with ``__json__(request)`` serialize as with Pyramid's JSON
    renderer."""

    def default(obj):
        if hasattr(obj, '__json__'):
            return obj.__json__(request)
        raise TypeError(
            f'Object of type {type(obj).__name__} is not JSON serializable'
        )

    return default


def jsonrpc_view(view, info):
    """The envelope deriver of ``type='json'`` controller routes (other
    views are returned unchanged)."""
    endpoint = info.options.get('controller_endpoint')
    if endpoint is None or endpoint.type != 'json':
        return view
    registry = info.registry
    debug = _debug(registry)
    check = endpoint.auth_check
    mode = endpoint.routing['auth']
    permission = endpoint.routing.get('permission')
    if permission is None and mode != 'none':  # 'none': no policy at all
        permission = registry.queryUtility(IDefaultPermission)
    if permission == NO_PERMISSION_REQUIRED:
        permission = None

    def denial(context, request):
        if check is not None:
            refusal = auth_refusal(check, request, mode)
            if isinstance(refusal, HTTPException):
                return {
                    'name': object_name(type(refusal)),
                    'message': str(refusal),
                    'status': refusal.code,
                }
            if refusal is not None:
                return {'status': refusal.status_code}
        if permission is not None and not request.has_permission(
            permission, context
        ):
            return {
                'name': 'permission',
                'message': f'permission {permission!r} denied',
                'status': 403,
            }
        return None

    def handle(context, request, member, denied):
        try:
            call = parse_call(member)
        except JsonRpcError as e:
            if getattr(e, 'notification', False):
                return None
            return error_reply(e.error_id, e.code, e.message, e.data)
        if denied is not None:
            if call.notification:
                return None
            return error_reply(call.id, ACCESS_DENIED, data=denied)
        request.jsonrpc_call = call
        # per-call state of the pipeline: a failed call leaves none behind
        request.__dict__.pop('hook_params', None)
        request.__dict__.pop('validation_errors', None)
        try:
            result = view(context, request)
        except JsonRpcError as e:
            reply = error_reply(call.id, e.code, e.message, e.data)
        except HTTPException as e:
            errors = getattr(e, 'errors', None)
            if errors is not None:  # validate= raised Invalid
                reply = error_reply(
                    call.id, INVALID_PARAMS, data={'errors': errors}
                )
            else:
                reply = error_reply(
                    call.id, SERVER_ERROR, data=exception_data(e, debug)
                )
        except Exception as e:
            log.exception('JSON-RPC call to %s failed', endpoint.description)
            reply = error_reply(
                call.id, SERVER_ERROR, data=exception_data(e, debug)
            )
        else:
            if call.notification:
                return None
            try:
                encoded = json.dumps(
                    result, default=_json_default(request), allow_nan=False
                )
            except (TypeError, ValueError, RecursionError) as e:
                return error_reply(
                    call.id, INTERNAL_ERROR, data=exception_data(e, debug)
                )
            return (
                f'{{"jsonrpc": "2.0", "id": {json.dumps(call.id)}, '
                f'"result": {encoded}}}'
            )
        return None if call.notification else reply

    def jsonrpc_envelope(context, request):
        if request.content_type not in JSON_TYPES:
            return _reply(
                request,
                error_reply(
                    None,
                    INVALID_REQUEST,
                    data={
                        'message': 'a JSON-RPC request needs '
                        'Content-Type: application/json'
                    },
                ),
            )
        try:
            payload = parse_body(request)
        except JsonRpcError as e:
            return _reply(request, error_reply(None, e.code, data=e.data))
        denied = denial(context, request)
        if isinstance(payload, list):
            if not payload:
                return _reply(
                    request,
                    error_reply(
                        None, INVALID_REQUEST, data={'message': 'empty batch'}
                    ),
                )
            replies = [
                reply
                for reply in (
                    handle(context, request, member, denied)
                    for member in payload
                )
                if reply is not None
            ]
            body = '[' + ', '.join(replies) + ']' if replies else None
            return _reply(request, body)
        return _reply(request, handle(context, request, payload, denied))

    return jsonrpc_envelope


jsonrpc_view.options = ('controller_endpoint',)


def json_params_factory(endpoint):
    """The ``params_factory`` of a JSON route: the call's params (a new
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
    accepted = endpoint.accepted
    required = endpoint.required
    refused = endpoint.refused

    def controller_json_view(context, request):
        params = getattr(request, 'hook_params', None)
        if params is None:
            params = params_factory(request)
        problems = []
        unknown = (
            set(params).difference(accepted)
            if accepted is not None
            else refused.intersection(params)
        )
        if unknown:
            problems.append(
                'unexpected parameter(s): ' + ', '.join(sorted(unknown))
            )
        missing = required.difference(params)
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
