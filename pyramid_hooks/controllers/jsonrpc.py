"""The JSON-RPC 2.0 envelope of ``type='json'`` controller routes (limits,
error codes and debug mode: ``docs/controllers.rst``, "JSON-RPC").

A view deriver under ``after_render``: it reads the body, then calls the
rest of the view pipeline once per call, so ``after_render`` sees the
response carrying every reply.  Pyramid's permission check and the
``auth`` check ran before (over ``secured_view``,
:func:`~pyramid_hooks.controllers.views.controller_ingress_view`), and
their refusal is answered by the same envelope (:meth:`Envelope.refuse`).
Where JSON handlers share a URL (:class:`RpcUrl`), the envelope of the
URL's route dispatches each call, on its ``method``, to the rest of the
pipeline of that handler's view, with that handler's checks
(:func:`shared_url_denial`).
"""

import json
import logging
import math
import traceback
from dataclasses import dataclass
from typing import Any

from pyramid.httpexceptions import HTTPException, HTTPForbidden
from pyramid.interfaces import IDefaultPermission
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.settings import asbool

from pyramid_hooks.controllers import auth_refusal
from pyramid_hooks.pipeline import accepts
from pyramid_hooks.probes import traced_jsonrpc_call, tracing_enabled
from pyramid_hooks.settings import HooksSettings
from pyramid_hooks.shared import get_hooks_settings, object_name
from pyramid_hooks.workarounds import forget_response, response_if_made

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_ERROR = -32000
ACCESS_DENIED = -32001

MESSAGES = {
    PARSE_ERROR: 'Parse error',
    INVALID_REQUEST: 'Invalid Request',
    METHOD_NOT_FOUND: 'Method not found',
    INVALID_PARAMS: 'Invalid params',
    INTERNAL_ERROR: 'Internal error',
    SERVER_ERROR: 'Server error',
    ACCESS_DENIED: 'Access denied',
}

#: The deepest nesting of arrays and objects a JSON-RPC body may have (the
#: batch, the call and its ``params`` count): a request nested deeper is a
#: -32700 error, with or without tracing.
MAX_DEPTH = 100
TOO_DEEP = f'JSON nested deeper than {MAX_DEPTH} levels'

#: Not yet known (``denial`` of a handler, per request).
UNCHECKED = object()

#: Content types a JSON route accepts, the CSRF defence of JSON routes: a
#: cross-site HTML form cannot send them without a CORS preflight.
JSON_TYPES = frozenset(('application/json', 'application/json-rpc'))


class JsonRpcError(Exception):
    """A JSON-RPC error: raise it from a JSON handler to choose the
    ``code``, ``message`` and ``data`` of the error reply."""

    def __init__(
        self, code: int, message: str | None = None, data: Any = None
    ) -> None:
        super().__init__(message or MESSAGES.get(code, 'Server error'))
        self.code = code
        self.message = str(self.args[0])
        self.data = data


@dataclass(slots=True, eq=False)
class JsonRpcCall:
    """One call of a JSON-RPC request, ``request.jsonrpc_call`` while it runs:
    ``id``, ``method`` (it chooses the handler where several share the URL;
    any name reaches a handler alone at its URL), ``params`` (a dict),
    ``notification`` (no ``id`` member: no reply)."""

    id: object
    method: str
    params: dict
    notification: bool

    def __repr__(self):
        return f'<JsonRpcCall id={self.id!r} method={self.method!r}>'


class RpcUrl:
    """The JSON handlers of one URL, when several share it or it answers
    ``rpc.discover``: built when the application is made (``members``,
    ``discover``, the OpenRPC ``entries``); ``methods`` is filled as their
    views are derived, with ``(run, denial)`` of each method."""

    def __init__(self, pattern):
        self.pattern = pattern
        #: ``[(method name, endpoint)]`` in registration order
        self.members = []
        #: whether the URL answers ``rpc.discover``
        self.discover = False
        #: ``[(method name, OpenRPC method object)]``, when ``discover``
        self.entries = []
        #: ``{method name: (run, denial)}``
        self.methods = {}

    def __repr__(self):
        names = ', '.join(name for name, _ in self.members)
        return f'<RpcUrl {self.pattern!r}: {names}>'

    def target(self, name):
        """``(run, denial)`` of the method *name*, or ``None``; a handler
        alone at its URL answers any name."""
        if len(self.members) == 1:
            return self.methods.get(self.members[0][0])
        return self.methods.get(name)

    def document(self, allowed):
        """The OpenRPC document of the methods the caller may call
        (``allowed(method)``): listing the others would tell a client what
        it cannot use."""
        return {
            'openrpc': OPENRPC_VERSION,
            'info': {'title': self.pattern, 'version': '1.0.0'},
            'methods': [
                entry for name, entry in self.entries if allowed(name)
            ],
        }


#: The OpenRPC version of ``rpc.discover`` documents.
OPENRPC_VERSION = '1.2.6'


def result_reply(id_, encoded):
    """The serialized reply carrying the JSON text *encoded*."""
    return (
        f'{{"jsonrpc": "2.0", "id": {json.dumps(id_)}, "result": {encoded}}}'
    )


def _reply_id(member):
    """The valid id of the request object *member*, else ``None``."""
    id_ = member.get('id') if isinstance(member, dict) else None
    valid = isinstance(id_, (str, int, float)) and not isinstance(id_, bool)
    return id_ if valid else None


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f'{text[:20]} is not JSON: it is not a finite number')
    return value


def _too_deep(value, limit):
    """Whether the decoded JSON *value* nests arrays and objects more than
    *limit* levels deep (walked with a list, not recursion)."""
    pending = [(value, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        items = value.values() if isinstance(value, dict) else value
        pending.extend(
            (item, depth + 1)
            for item in items
            if isinstance(item, (dict, list))
        )
    return False


def parse_body(body):
    """The decoded JSON *body* (bytes), or a :class:`JsonRpcError`, also for
    ``NaN`` or ``1e400``: echoed back, they would make replies unparseable;
    and for arrays and objects nested more than :data:`MAX_DEPTH` levels:
    far below the interpreter's recursion limit, the depth a request can
    reach is the same whatever runs around the call (the trace's frames
    used to turn a reply near that limit into an internal error)."""
    try:
        payload = json.loads(
            body.decode('utf-8'), parse_constant=_finite, parse_float=_finite
        )
    except RecursionError as e:
        raise JsonRpcError(PARSE_ERROR, data={'message': TOO_DEEP}) from e
    except (UnicodeDecodeError, ValueError) as e:
        raise JsonRpcError(PARSE_ERROR, data={'message': str(e)}) from e
    # no walk unless the body has enough brackets to be too deep
    brackets = body.count(b'[') + body.count(b'{')
    if (
        brackets > MAX_DEPTH
        and isinstance(payload, (dict, list))
        and _too_deep(payload, MAX_DEPTH)
    ):
        raise JsonRpcError(PARSE_ERROR, data={'message': TOO_DEEP})
    return payload


def read_body(request, limit):
    """The request body, or ``None`` when it is over *limit* bytes: not read
    then, or, without ``Content-Length``, read up to one byte past it."""
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


def _invalid(reply_id, message, code=INVALID_REQUEST, notification=False):
    """The :class:`JsonRpcError` refusing a request object (``error_id``:
    the id to answer; ``notification``: no reply)."""
    error = JsonRpcError(code, data={'message': message})
    error.error_id = reply_id
    error.notification = notification
    return error


def parse_call(member):
    """A :class:`JsonRpcCall` for one request object, or :func:`_invalid`."""
    if not isinstance(member, dict):
        raise _invalid(None, 'a request must be a JSON object')
    reply_id = _reply_id(member)
    if member.get('jsonrpc') != '2.0':
        raise _invalid(reply_id, 'the "jsonrpc" member must be "2.0"')
    method = member.get('method')
    if not isinstance(method, str):
        raise _invalid(reply_id, 'the "method" member must be a string')
    id_ = member.get('id')
    if id_ is not None and reply_id is None:
        raise _invalid(
            None, 'the "id" member must be a string, a number or null'
        )
    params = member.get('params', {})
    if isinstance(params, list):
        raise _invalid(
            reply_id,
            'params must be an object (by name): '
            'positional params are not supported',
            INVALID_PARAMS,
            notification='id' not in member,
        )
    if not isinstance(params, dict):
        raise _invalid(reply_id, 'the "params" member must be an object')
    return JsonRpcCall(id_, method, params, 'id' not in member)


def error_reply(id_, code, message=None, data=None):
    """The serialized error reply; *data* that is not strict JSON (``NaN``, a
    cycle) gives an internal error without data instead."""
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
    """The response carrying *body* (``None``: 204), on ``request.response``
    if made: headers a handler set there stay, as with Pyramid's renderers."""
    response = response_if_made(request) or Response()
    if body is None:
        response.status = 204
        del response.content_type
        response.body = b''
    else:
        response.status = status
        response.content_type = 'application/json'
        response.charset = 'utf-8'
        response.text = body
    return response


def _restore_response(request, response, headers):
    """Undo what a failed call did to ``request.response`` (*response* and
    its *headers* before the call, ``None`` if not made): as Pyramid drops
    ``request.response`` when a view raises, a failed call contributes no
    header and no cookie (a login that checks a one-time password after
    ``remember()`` sets no cookie)."""
    if response is None:
        forget_response(request)
    else:
        request.response = response
        response.headerlist[:] = headers


#: What one JSON-RPC call leaves on the request, dropped before the next.
PER_CALL_ATTRIBUTES = ('hook_params', 'validation_errors')


def _refuse(request, message, status=200, id_=None):
    """The reply to a whole request refused with a -32600 error."""
    reply = error_reply(id_, INVALID_REQUEST, data={'message': message})
    return _reply(request, reply, status)


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


class Envelope:
    """The JSON-RPC envelope of one handler's routes: its settings and
    limits, resolved once per view, and the reading of a request's calls
    (:meth:`answer`); :meth:`refuse` answers them all with a -32001 error
    (the ``auth`` check or Pyramid's permission check said no)."""

    def __init__(self, endpoint, registry):
        hooks_settings = get_hooks_settings(registry) or HooksSettings()
        settings = registry.settings or {}
        self.endpoint = endpoint
        # Pyramid converts these two only when given to the Configurator;
        # added later (``add_settings``) they may still be strings, and an
        # unknown word must not turn debug mode on
        self.debug = hooks_settings.controllers_debug or any(
            asbool(settings.get(key))
            for key in ('pyramid.debug_all', 'debug_all')
        )
        self.expose = hooks_settings.controllers_expose_errors
        routing = endpoint.routing
        max_batch = routing.get(
            'max_batch', hooks_settings.controllers_max_batch
        )
        self.max_body = routing.get(
            'max_body', hooks_settings.controllers_max_body
        )
        self.batch_limit = max_batch if max_batch > 1 else 0  # 0, 1: none
        self.batch_refusal = (
            f'batches of at most {max_batch} calls are accepted'
            if self.batch_limit
            else 'batches are not accepted'
        )
        self.tracing = tracing_enabled(registry)

    def refusal_data(self, refusal):
        """``data`` of the -32001 error for *refusal* (a ``Response`` or an
        HTTP exception): the status only (why is the application's
        business) unless debug."""
        data = {'status': refusal.status_code}
        if self.debug:
            data['name'] = object_name(type(refusal))
            data['message'] = str(refusal)
        return data

    def failed(self, call_id, exc, failures):
        """The error reply for *exc*, raised by the call *call_id*; the
        first unexpected failure of a request logs its traceback."""
        if isinstance(exc, JsonRpcError):
            return error_reply(call_id, exc.code, exc.message, exc.data)
        http = isinstance(exc, HTTPException)
        if http and getattr(exc, 'errors', None) is not None:
            errors = {'errors': exc.errors}  # validate= raised Invalid
            return error_reply(call_id, INVALID_PARAMS, data=errors)
        exposed = isinstance(exc, self.expose)
        data = None
        if exposed or self.debug:  # the traceback only in debug mode
            data = {'name': object_name(type(exc)), 'message': str(exc)}
            if http:
                data['status'] = exc.code
            if self.debug:
                data['debug'] = ''.join(traceback.format_exception(exc))
        if exposed:
            return error_reply(call_id, SERVER_ERROR, data=data)
        if http:
            data = data or {'status': exc.code}
            return error_reply(call_id, SERVER_ERROR, exc.title, data)
        if not failures:
            log.error(
                'JSON-RPC call to %s failed (id %r)',
                self.endpoint.description,
                call_id,
                exc_info=exc,
            )
        # the id, not the exception: its traceback holds this frame's
        # caller, which holds *failures* (a reference cycle per request)
        failures.append(call_id)
        return error_reply(call_id, INTERNAL_ERROR, data=data)

    def handler(self, call_once):
        """``handle(context, request, member, denials, failures)``: the
        reply to one request object, *call_once* answering a valid call."""

        def handle(context, request, member, denials, failures):
            try:
                call = parse_call(member)
            except JsonRpcError as e:
                reply = error_reply(e.error_id, e.code, e.message, e.data)
                return None if e.notification else reply
            return call_once(context, request, call, denials, failures)

        if self.tracing:
            handle = traced_jsonrpc_call(handle, self.endpoint, json.loads)
        return handle

    def read(self, request):
        """``(payload, None)``: the decoded JSON-RPC request, its body,
        content type and batch size checked; or ``(None, response)``
        refusing it.  Done before any ``auth`` or permission check, so that
        a refused request (a batch of guesses) never reaches them."""
        max_body = self.max_body
        body = read_body(request, max_body)
        if body is None:
            message = f'the request body is over {max_body} bytes'
            return None, _refuse(request, message, 413)
        if request.content_type.strip().lower() not in JSON_TYPES:
            try:
                reply_id = _reply_id(parse_body(body))
            except JsonRpcError:
                reply_id = None
            message = 'a JSON-RPC request needs Content-Type: application/json'
            return None, _refuse(request, message, 415, reply_id)
        try:
            payload = parse_body(body)
        except JsonRpcError as e:
            return None, _reply(
                request, error_reply(None, e.code, data=e.data)
            )
        if isinstance(payload, list) and not (
            0 < len(payload) <= self.batch_limit
        ):
            message = self.batch_refusal if payload else 'empty batch'
            return None, _refuse(request, message)
        return payload, None

    def answer(self, context, request, payload, handle):
        """The response to the JSON-RPC request *payload* (:meth:`read`):
        each request object given to *handle* (:meth:`handler`)."""
        batch = isinstance(payload, list)
        denials = {}  # at a shared URL: each handler's, once checked
        failures = []  # ids of the unexpected ones: one traceback logged
        replies = [
            handle(context, request, member, denials, failures)
            for member in (payload if batch else [payload])
        ]
        if not batch:
            return _reply(request, replies[0])
        replies = [reply for reply in replies if reply is not None]
        if failures:
            log.error(
                'JSON-RPC batch to %s: %d of %d calls failed (the first '
                'traceback is logged above)',
                self.endpoint.description,
                len(failures),
                len(payload),
            )
        return _reply(
            request, '[' + ', '.join(replies) + ']' if replies else None
        )

    def refuse(self, context, request, payload, refusal):
        """The response answering every call of *payload* with a -32001
        error carrying :meth:`refusal_data` (notifications: no reply)."""
        data = self.refusal_data(refusal)

        def denied(context, request, call, denials, failures):
            if call.notification:
                return None
            return error_reply(call.id, ACCESS_DENIED, data=data)

        handle = self.handler(denied)
        return self.answer(context, request, payload, handle)


def shared_url_denial(endpoint, registry, envelope):
    """``denial(context, request)`` of a handler at a shared URL: ``data``
    of the -32001 error refusing its calls, or ``None``.

    Pyramid's permission check decides for the whole HTTP request, and at
    a URL that JSON handlers share (:class:`RpcUrl`) each call may reach a
    handler with another ``auth`` mode or ``permission``: their routes
    require no permission of Pyramid, and each handler's checks run here,
    when a call first needs them (``docs/controllers.rst``)."""
    check = endpoint.auth_check(registry)
    mode = endpoint.routing['auth']
    permission = endpoint.routing.get('permission')
    if permission is None and mode != 'none':  # 'none': no policy at all
        permission = registry.queryUtility(IDefaultPermission)
    if permission == NO_PERMISSION_REQUIRED:
        permission = None

    def denial(context, request):
        refusal = None if check is None else auth_refusal(check, request, mode)
        if (
            refusal is None
            and permission is not None
            and not request.has_permission(permission, context)
        ):
            refusal = HTTPForbidden(f'permission {permission!r} denied')
        return None if refusal is None else envelope.refusal_data(refusal)

    return denial


@accepts('controller_endpoint')
def jsonrpc_view(view, info):
    """The envelope deriver of ``type='json'`` controller routes (other
    views unchanged): the rest of the pipeline runs once per call."""
    endpoint = info.options.get('controller_endpoint')
    if endpoint is None or endpoint.type != 'json':
        return view
    envelope = Envelope(endpoint, info.registry)
    rpc_url = endpoint.rpc_urls.get(info.options.get('route_name'))
    denial = None
    if rpc_url is not None:
        denial = shared_url_denial(endpoint, info.registry, envelope)

    def run(context, request, call, denials, failures):
        """The reply to *call* of this handler (``None`` for a
        notification); ``denials`` caches ``denial`` per request."""
        if denial is not None:
            denied = denials.get(run, UNCHECKED)
            if denied is UNCHECKED:
                denied = denials[run] = denial(context, request)
            if denied is not None:
                reply = error_reply(call.id, ACCESS_DENIED, data=denied)
                return None if call.notification else reply
        request.jsonrpc_call = call
        # per-call state of the pipeline: a failed call leaves none behind
        for name in PER_CALL_ATTRIBUTES:
            if hasattr(request, name):
                delattr(request, name)
        response = response_if_made(request)
        headers = None if response is None else list(response.headerlist)
        try:
            result = view(context, request)
        except Exception as e:
            _restore_response(request, response, headers)
            reply = envelope.failed(call.id, e, failures)
            return None if call.notification else reply
        if call.notification:
            return None
        try:
            encoded = json.dumps(
                result, default=_json_default(request), allow_nan=False
            )
        except (TypeError, ValueError, RecursionError) as e:
            _restore_response(request, response, headers)
            return envelope.failed(call.id, e, failures)
        return result_reply(call.id, encoded)

    def jsonrpc_envelope(context, request):
        payload = request.jsonrpc_payload
        return envelope.answer(context, request, payload, handle)

    if rpc_url is None:
        handle = envelope.handler(run)
        return jsonrpc_envelope
    # the URL's first route dispatches to the rest
    rpc_url.methods[endpoint.rpc_method] = (run, denial)

    def dispatch(context, request, call, denials, failures):
        """Run *call* with the handler of its method at this URL."""
        if rpc_url.discover and call.method == 'rpc.discover':
            if call.notification:
                return None

            def allowed(name):
                target_run, target_denial = rpc_url.methods[name]
                if target_run not in denials:  # not yet checked
                    denials[target_run] = target_denial(context, request)
                return denials[target_run] is None

            document = rpc_url.document(allowed)
            return result_reply(call.id, json.dumps(document))
        target = rpc_url.target(call.method)
        if target is None:
            reply = error_reply(call.id, METHOD_NOT_FOUND)
            return None if call.notification else reply
        return target[0](context, request, call, denials, failures)

    handle = envelope.handler(dispatch)
    return jsonrpc_envelope
