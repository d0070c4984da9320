"""The JSON-RPC 2.0 envelope of ``type='json'`` controller routes
(``docs/controllers.rst``): a view deriver calling the rest of the
pipeline once per call, dispatching on ``method`` at a shared URL."""

import json
import traceback

from pyramid.httpexceptions import HTTPException, HTTPForbidden
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.settings import asbool

from pyramid_hooks.controllers.auth import auth_refusal
from pyramid_hooks.controllers.content_types import content_type_problem
from pyramid_hooks.controllers.jsonrpc import (
    ACCESS_DENIED,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    SERVER_ERROR,
    JsonRpcError,
    error_reply,
    http_reply,
    id_of_reply,
    json_default,
    log,
    parse_body,
    parse_call,
    read_body,
    refuse_request,
    restore_response,
    result_reply,
    strict_dumps,
)
from pyramid_hooks.pipeline import accepts
from pyramid_hooks.probes import (
    log_failure,
    shown_id,
    traced_jsonrpc_call,
    tracing_enabled,
)
from pyramid_hooks.shared import get_hooks_settings, object_name
from pyramid_hooks.validation import json_errors
from pyramid_hooks.workarounds import default_permission, response_if_made


class Envelope:
    """The JSON-RPC envelope of one handler's routes."""

    def __init__(self, endpoint, registry):
        settings = get_hooks_settings(registry)
        app_settings = registry.settings or {}
        self.endpoint = endpoint
        # strings when added by add_settings: asbool, never truthiness
        self.debug = settings.controllers_debug or any(
            asbool(app_settings.get(key))
            for key in ('pyramid.debug_all', 'debug_all')
        )
        self.expose = settings.controllers_expose_errors
        routing = endpoint.routing
        max_batch = routing.get('max_batch', settings.controllers_max_batch)
        self.max_body = routing.get('max_body', settings.controllers_max_body)
        self.max_depth = settings.controllers_max_depth
        self.batch_limit = max_batch if max_batch > 1 else 0  # 0, 1: none
        self.batch_refusal = (
            f'batches of at most {max_batch} calls are accepted'
            if self.batch_limit
            else 'batches are not accepted'
        )
        self.tracing = tracing_enabled(registry)

    def refusal_data(self, refusal):
        """``data`` of the -32001 error for *refusal*: the status only
        unless debug; a raised refusal is detached (no reference cycle)."""
        if isinstance(refusal, BaseException):
            detach(refusal)
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
            # validate= raised Invalid: written as the 400's JSON body
            errors = {'errors': json_errors(exc.errors)}
            return error_reply(call_id, INVALID_PARAMS, data=errors)
        exposed = isinstance(exc, self.expose)
        data = None
        if exposed or self.debug:  # the traceback only in debug mode
            message = exception_text(exc)
            data = {'name': object_name(type(exc)), 'message': message}
            if http:
                data['status'] = exc.code
            if self.debug:
                data['debug'] = ''.join(traceback.format_exception(exc))
        if exposed:
            return error_reply(call_id, SERVER_ERROR, data=data)
        if http:
            data = data or {'status': exc.code}
            return error_reply(call_id, SERVER_ERROR, exc.title, data)
        if not failures:  # the client's id, cut as the trace cuts it
            log_failure(
                log,
                exc,
                'JSON-RPC call to %s failed (id %s)',
                self.endpoint.description,
                shown_id(call_id),
            )
        # the id, not the exception: its traceback would make a cycle
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
            reply = call_once(context, request, call, denials, failures)
            return None if call.notification else reply

        if self.tracing:
            handle = traced_jsonrpc_call(handle, self.endpoint, json.loads)
        return handle

    def read(self, request):
        """``(payload, None)``, body, content type and batch size checked,
        or ``(None, response)`` refusing it, before any ``auth`` check."""
        body = read_body(request, self.max_body)
        if body is None:
            message = f'the request body is over {self.max_body} bytes'
            return None, refuse_request(request, message, 413)
        message = content_type_problem(request)
        if message is not None:
            try:
                reply_id = id_of_reply(parse_body(body, self.max_depth))
            except JsonRpcError:
                reply_id = None
            return None, refuse_request(request, message, 415, reply_id)
        try:
            payload = parse_body(body, self.max_depth)
        except JsonRpcError as e:
            return None, http_reply(
                request, error_reply(None, e.code, data=e.data)
            )
        if isinstance(payload, list) and not (
            0 < len(payload) <= self.batch_limit
        ):
            message = self.batch_refusal if payload else 'empty batch'
            return None, refuse_request(request, message)
        return payload, None

    def answer(self, context, request, payload, handle):
        """The response to *payload*, each request object *handle*'d."""
        batch = isinstance(payload, list)
        denials = {}  # at a shared URL: each handler's, once checked
        failures = []  # ids of the unexpected ones: one traceback logged
        replies = [
            handle(context, request, member, denials, failures)
            for member in (payload if batch else [payload])
        ]
        if not batch:
            return http_reply(request, replies[0])
        forget_call(request)  # the reply is the batch's: after_render's
        replies = [reply for reply in replies if reply is not None]
        if failures:
            log.error(
                'JSON-RPC batch to %s: %d of %d calls failed (the first '
                'traceback is logged above)',
                self.endpoint.description,
                len(failures),
                len(payload),
            )
        return http_reply(
            request, '[' + ', '.join(replies) + ']' if replies else None
        )

    def refuse(self, context, request, payload, refusal):
        """The response refusing every call of *payload* with a -32001."""
        data = self.refusal_data(refusal)

        def denied(context, request, call, denials, failures):
            return error_reply(call.id, ACCESS_DENIED, data=data)

        handle = self.handler(denied)
        return self.answer(context, request, payload, handle)

    def fail(self, context, request, payload, error):
        """The response failing every call of *payload* with *error*."""

        def failed(context, request, call, denials, failures):
            mark_failed(request, error)
            return self.failed(call.id, error, failures)

        return self.answer(context, request, payload, self.handler(failed))


def forget_call(request):
    """Remove the per-call state of the pipeline from *request*."""
    for name in ('jsonrpc_call', 'hook_params', 'validation_errors'):
        if hasattr(request, name):
            delattr(request, name)


def exception_text(exc):
    """``str(exc)``, or a placeholder when that raises (no batch's 500)."""
    try:
        return str(exc)
    except Exception:
        return '<exception str() failed>'


def detach(exc):
    """*exc* without its traceback and chain (they hold the request)."""
    exc.__traceback__ = None
    exc.__context__ = exc.__cause__ = None
    return exc


def mark_failed(request, exc):
    """Mark *request* failed by a call's *exc* as Pyramid's exception view
    tween does (pyramid_tm aborts, ``docs/controllers.rst``); the first
    failed call of a batch marks it.  The traceback, which the tweens
    read, is dropped at the request's end (its frames hold the request)."""
    if request.exc_info is not None:  # an earlier call of the batch
        return
    request.exception = exc
    request.exc_info = (type(exc), exc, exc.__traceback__)

    def forget_traceback(request):
        detach(exc)
        info = request.exc_info
        if info is not None and info[1] is exc:
            request.exc_info = (type(exc), exc, None)

    request.add_finished_callback(forget_traceback)


def shared_url_denial(endpoint, registry, envelope):
    """``denial(context, request)`` of a handler at a shared URL: ``data``
    of the -32001 error refusing its calls, or ``None``.  Its handlers may
    differ in ``auth`` and permission, so each is checked here, per call;
    an HTTP exception the policy raises refuses, as the check's."""
    check = endpoint.auth_check(registry)
    mode = endpoint.routing['auth']
    permission = endpoint.routing.get('permission')
    if permission is None and mode != 'none':  # 'none': no policy at all
        permission = default_permission(registry)
    if permission == NO_PERMISSION_REQUIRED:
        permission = None

    def denial(context, request):
        # decide for the request: no earlier call's state is seen
        forget_call(request)
        refusal = None if check is None else auth_refusal(check, request, mode)
        try:
            if (
                refusal is None
                and permission is not None
                and not request.has_permission(permission, context)
            ):
                refusal = HTTPForbidden(f'permission {permission!r} denied')
        except HTTPException as e:  # the policy's refusal, as the check's
            refusal = e
        return None if refusal is None else envelope.refusal_data(refusal)

    return denial


def unreserved(call_once, discover=False):
    """*call_once*, answering -32601 to the reserved ``rpc.`` names (but
    ``rpc.discover`` when *discover*): a lone handler answers any other."""

    def checked(context, request, call, denials, failures):
        reserved = call.method.startswith('rpc.')
        if reserved and not (discover and call.method == 'rpc.discover'):
            return error_reply(call.id, METHOD_NOT_FOUND)
        return call_once(context, request, call, denials, failures)

    return checked


@accepts('controller_endpoint')
def jsonrpc_view(view, info):
    """The envelope deriver of ``type='json'`` controller routes."""
    endpoint = info.options.get('controller_endpoint')
    if endpoint is None or endpoint.type != 'json':
        return view
    envelope = Envelope(endpoint, info.registry)
    rpc_url = endpoint.rpc_urls.get(info.options.get('route_name'))
    denial = None
    if rpc_url is not None:
        denial = shared_url_denial(endpoint, info.registry, envelope)

    def run(context, request, call, denials, failures):
        """The reply to *call* of this handler (``denials``: per request)."""
        response = response_if_made(request)
        headers = None if response is None else list(response.headerlist)
        try:
            if denial is not None and run not in denials:
                denials[run] = denial(context, request)
            if denials.get(run) is not None:
                return error_reply(call.id, ACCESS_DENIED, data=denials[run])
            forget_call(request)  # a failed call leaves none behind
            request.jsonrpc_call = call
            result = view(context, request)
            if call.notification:
                return None
            # a __json__ method may raise anything: the call failed too
            encoded = strict_dumps(result, json_default(request))
        except Exception as e:
            restore_response(request, response, headers)
            reply = envelope.failed(call.id, e, failures)
            mark_failed(request, e)
            return reply
        return result_reply(call.id, encoded)

    def jsonrpc_envelope(context, request):
        payload = request.jsonrpc_payload
        return envelope.answer(context, request, payload, handle)

    if rpc_url is None:
        handle = envelope.handler(unreserved(run))
        return jsonrpc_envelope
    # the URL's first route dispatches to the rest
    rpc_url.methods[endpoint.rpc_method] = (run, denial)

    def dispatch(context, request, call, denials, failures):
        """Run *call* with the handler of its method at this URL."""
        if rpc_url.discover and call.method == 'rpc.discover':
            if call.notification:
                return None
            if dispatch in denials:  # a batch of them: one document
                once = {'message': 'rpc.discover is answered once per request'}
                return error_reply(call.id, INVALID_REQUEST, data=once)
            denials[dispatch] = None

            def allowed(name):
                target_run, target_denial = rpc_url.methods[name]
                if target_run not in denials:  # not yet checked
                    denials[target_run] = target_denial(context, request)
                return denials[target_run] is None

            try:  # a raising access check fails this call only
                document = rpc_url.document(allowed)
            except Exception as e:
                mark_failed(request, e)
                return envelope.failed(call.id, e, failures)
            return result_reply(call.id, json.dumps(document))
        target = rpc_url.target(call.method)
        if target is None:
            return error_reply(call.id, METHOD_NOT_FOUND)
        return target[0](context, request, call, denials, failures)

    handle = envelope.handler(unreserved(dispatch, rpc_url.discover))
    return jsonrpc_envelope
