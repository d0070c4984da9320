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

Every request's work is bounded: a body over ``max_body`` bytes is refused
with HTTP 413 before it is read (``Content-Length`` says so, or a body
without one is read up to one byte past the limit), and a batch of more than
``max_batch`` calls is one -32600 error that runs nothing (both from the
``hooks.controllers.*`` settings or ``route()``, resolved once per view).

Errors follow the specification (https://www.jsonrpc.org/specification) and
tell the client nothing about the server unless the application asked:

- -32700 parse error: not UTF-8 JSON, or a number that overflows to
  infinity (``1e400``): strict parsers could not read it echoed back;
- -32600 invalid request (also a batch over the limit, and, with HTTP 415,
  a body that is not ``application/json``), -32602 invalid params (with the
  ``validate=`` errors), -32001 an ``auth``/``permission`` refusal;
- a :class:`JsonRpcError`: its own ``code``, ``message`` and ``data``;
- an instance of a class of ``hooks.controllers.expose_errors``: -32000
  with ``data.name`` and ``data.message`` (Odoo's user-facing errors);
- another HTTP exception: -32000 with its status title as the message and
  ``data.status`` (not its detail: ``HTTPNotFound(str(e))`` is common);
- anything else, and a result that cannot be encoded as strict JSON:
  -32603 "Internal error" without ``data``, its traceback logged (at most
  one per HTTP request, and one line counting a batch's failures).

With ``hooks.controllers.debug`` or ``pyramid.debug_all``, every error but
a :class:`JsonRpcError` carries ``data.name``, ``data.message`` and the
traceback in ``data.debug``.  Replies are strict JSON (nothing non-finite)
with HTTP 200, except 204 when only notifications were sent, 413 and 415;
headers and cookies a handler set on ``request.response`` (``remember``,
``forget``) are in the reply, as Pyramid's renderers keep them.
"""

import inspect
import json
import logging
import math
import traceback

from pyramid.httpexceptions import HTTPException, HTTPForbidden
from pyramid.interfaces import IDefaultPermission
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from pyramid_hooks.controllers import ENDPOINT_ATTR, auth_refusal
from pyramid_hooks.pipeline import PARAMS_KEY
from pyramid_hooks.settings import HooksSettings
from pyramid_hooks.shared import get_hooks_settings, object_name
from pyramid_hooks.trace import traced_jsonrpc_call, tracing_enabled

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
#: cross-site HTML form cannot send them without a CORS preflight),
#: compared lower-cased and without parameters.
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


def _finite_float(text):
    value = float(text)
    if math.isinf(value):
        raise ValueError(f'the number {text[:20]} overflows a double')
    return value


def parse_body(body):
    """The decoded JSON *body* (bytes), or a :class:`JsonRpcError` for a
    body that is not UTF-8 JSON (``NaN``, ``Infinity`` and numbers that
    overflow to infinity, such as ``1e400``, are not JSON either: echoed
    back, as an ``id`` say, they would make the reply unparseable; nesting
    too deep for the parser is the client's fault too)."""
    try:
        return json.loads(
            body.decode('utf-8'),
            parse_constant=_not_json,
            parse_float=_finite_float,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise JsonRpcError(PARSE_ERROR, data={'message': str(e)}) from e


def read_body(request, limit):
    """The request body, or ``None`` when it is over *limit* bytes: then it
    is not read (``Content-Length`` says so), or, without
    ``Content-Length`` (a chunked body), read no further than one byte
    past the limit."""
    length = request.content_length
    if length is not None:
        return request.body if length <= limit else None
    if not request.is_body_readable:
        return b''
    body = request.body_file.read(limit + 1)
    if len(body) > limit:
        return None
    request.body = body  # readable again by whatever comes after
    return body


def is_json(request):
    """Whether the request's media type is JSON (case-insensitive,
    parameters such as ``charset`` ignored)."""
    return request.content_type.strip().lower() in JSON_TYPES


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
    """The serialized error object of a reply: strict JSON, so *data* that
    cannot be encoded (``NaN``, a cycle) gives an internal error without
    data instead."""
    error = {'code': code, 'message': message or MESSAGES[code]}
    if data is not None:
        error['data'] = data
    try:
        return json.dumps(
            {'jsonrpc': '2.0', 'id': id_, 'error': error},
            default=str,
            allow_nan=False,
        )
    except (ValueError, RecursionError):
        log.error('JSON-RPC error data of code %s cannot be encoded', code)
        return error_reply(id_, INTERNAL_ERROR)


def _reply(request, body, status=200):
    """The HTTP response carrying *body* (``None``: 204), built on
    ``request.response`` when the request has one, so that headers and
    cookies a handler set there reach the client (as Pyramid's renderers
    do)."""
    if 'response' in request.__dict__:
        response = request.response
        response.status = status
    else:
        response = Response(status=status)
    if body is None:
        response.status = 204
        del response.content_type
        response.body = b''
    else:
        response.content_type = 'application/json'
        response.charset = 'utf-8'
        response.text = body
    return response


def exception_data(exc, debug):
    """``data`` of an exposed (or, in debug mode, any) error: the
    exception's ``name`` and ``message`` (and ``status`` for an HTTP
    exception), ``debug`` (the traceback) only in debug mode."""
    data = {'name': object_name(type(exc)), 'message': str(exc)}
    if isinstance(exc, HTTPException):
        data['status'] = exc.code
    if debug:
        data['debug'] = ''.join(traceback.format_exception(exc))
    return data


def _debug(registry, hooks_settings):
    settings = registry.settings or {}
    if settings.get('pyramid.debug_all') or settings.get('debug_all'):
        return True
    return hooks_settings.controllers_debug


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


class Failures:
    """The unexpected failures of one HTTP request: the first one's
    traceback is logged, the others are counted (a batch of 100 failing
    calls is one traceback and one summary line, not 100 tracebacks)."""

    __slots__ = ('count', 'description')

    def __init__(self, description):
        self.description = description
        self.count = 0

    def add(self, exc, what):
        self.count += 1
        if self.count == 1:
            log.error(
                'JSON-RPC call to %s failed (%s)',
                self.description,
                what,
                exc_info=exc,
            )

    def summary(self, calls):
        if self.count:
            log.error(
                'JSON-RPC batch to %s: %d of %d calls failed (the first '
                'traceback is logged above)',
                self.description,
                self.count,
                calls,
            )


def jsonrpc_view(view, info):
    """The envelope deriver of ``type='json'`` controller routes (other
    views are returned unchanged).  The limits, exposed errors and debug
    mode are resolved here, once per view."""
    endpoint = inspect.getattr_static(info.original_view, ENDPOINT_ATTR, None)
    if endpoint is None or endpoint.type != 'json':
        return view
    registry = info.registry
    hooks_settings = get_hooks_settings(registry) or HooksSettings()
    debug = _debug(registry, hooks_settings)
    expose = hooks_settings.controllers_expose_errors
    max_batch = endpoint.routing.get(
        'max_batch', hooks_settings.controllers_max_batch
    )
    max_body = endpoint.routing.get(
        'max_body', hooks_settings.controllers_max_body
    )
    batch_limit = max_batch if max_batch > 1 else 0  # 0, 1: no batches
    batch_refusal = (
        f'batches of at most {max_batch} calls are accepted'
        if max_batch > 1
        else 'batches are not accepted'
    )
    too_large = f'the request body is over {max_body} bytes'
    check = endpoint.auth_check(registry)
    mode = endpoint.routing['auth']
    permission = endpoint.routing.get('permission')
    if permission is None and mode != 'none':  # 'none': no policy at all
        permission = registry.queryUtility(IDefaultPermission)
    if permission == NO_PERMISSION_REQUIRED:
        permission = None

    def denial(context, request):
        """``data`` of the -32001 error refusing the request, or ``None``.

        The refusal's status only: what a check or the security policy
        says about why is the application's business (with ``debug``, the
        refusal's class and message are added)."""
        refusal = None
        if check is not None:
            refusal = auth_refusal(check, request, mode)
        if (
            refusal is None
            and permission is not None
            and not request.has_permission(permission, context)
        ):
            refusal = HTTPForbidden(f'permission {permission!r} denied')
        if refusal is None:
            return None
        data = {'status': refusal.status_code}
        if debug:
            data['name'] = object_name(type(refusal))
            data['message'] = str(refusal)
        return data

    def failed(call_id, exc, failures):
        """The error reply for *exc*, raised by the call *call_id*."""
        if isinstance(exc, JsonRpcError):
            return error_reply(call_id, exc.code, exc.message, exc.data)
        if isinstance(exc, HTTPException):
            errors = getattr(exc, 'errors', None)
            if errors is not None:  # validate= raised Invalid
                return error_reply(
                    call_id, INVALID_PARAMS, data={'errors': errors}
                )
        if isinstance(exc, expose):
            return error_reply(
                call_id, SERVER_ERROR, data=exception_data(exc, debug)
            )
        if isinstance(exc, HTTPException):
            data = exception_data(exc, True) if debug else {}
            data['status'] = exc.code
            return error_reply(call_id, SERVER_ERROR, exc.title, data)
        failures.add(exc, f'id {call_id!r}')
        return error_reply(
            call_id,
            INTERNAL_ERROR,
            data=exception_data(exc, True) if debug else None,
        )

    def handle(context, request, member, denied, failures):
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
        request.__dict__.pop(PARAMS_KEY, None)
        request.__dict__.pop('validation_errors', None)
        try:
            result = view(context, request)
        except Exception as e:
            reply = failed(call.id, e, failures)
            return None if call.notification else reply
        if call.notification:
            return None
        try:
            encoded = json.dumps(
                result, default=_json_default(request), allow_nan=False
            )
        except (TypeError, ValueError, RecursionError) as e:
            return failed(call.id, e, failures)
        return (
            f'{{"jsonrpc": "2.0", "id": {json.dumps(call.id)}, '
            f'"result": {encoded}}}'
        )

    if tracing_enabled(registry):
        handle = traced_jsonrpc_call(handle, endpoint, json.loads)

    def not_json(request, body):
        """HTTP 415 with a -32600 error, to the request's ``id`` when the
        body is one JSON-RPC request."""
        reply_id = None
        try:
            payload = parse_body(body)
        except JsonRpcError:
            payload = None
        if isinstance(payload, dict) and _valid_id(payload.get('id')):
            reply_id = payload.get('id')
        message = 'a JSON-RPC request needs Content-Type: application/json'
        return _reply(
            request,
            error_reply(reply_id, INVALID_REQUEST, data={'message': message}),
            status=415,
        )

    def jsonrpc_envelope(context, request):
        body = read_body(request, max_body)
        if body is None:
            return _reply(
                request,
                error_reply(
                    None, INVALID_REQUEST, data={'message': too_large}
                ),
                status=413,
            )
        if not is_json(request):
            return not_json(request, body)
        try:
            payload = parse_body(body)
        except JsonRpcError as e:
            return _reply(request, error_reply(None, e.code, data=e.data))
        failures = Failures(endpoint.description)
        if not isinstance(payload, list):
            denied = denial(context, request)
            return _reply(
                request, handle(context, request, payload, denied, failures)
            )
        if not payload or len(payload) > batch_limit:
            message = batch_refusal if payload else 'empty batch'
            return _reply(
                request,
                error_reply(None, INVALID_REQUEST, data={'message': message}),
            )
        denied = denial(context, request)
        replies = [
            reply
            for reply in (
                handle(context, request, member, denied, failures)
                for member in payload
            )
            if reply is not None
        ]
        failures.summary(len(payload))
        return _reply(
            request, '[' + ', '.join(replies) + ']' if replies else None
        )

    return jsonrpc_envelope
