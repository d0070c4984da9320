"""The probes what is composed is wrapped in when tracing is on (asked at
configuration time: free when off), and the per-request :class:`Trace` they
record into (:doc:`/tracing`).  A probe passes the call, its result or
exception through unchanged, and records no argument value."""

import functools
import heapq
import inspect
import logging
import time
import traceback
import weakref
from collections.abc import Mapping
from operator import itemgetter

from pyramid.threadlocal import get_current_request

from pyramid_hooks.interfaces import ITracing
from pyramid_hooks.shared import (
    code_location,
    describe_info,
    object_name,
    shortened,
)

#: Where a request's :class:`Trace` is kept.
ENVIRON_KEY = 'pyramid_hooks.trace'


class Tracing:
    """The registry utility (:class:`~pyramid_hooks.interfaces.ITracing`)
    that turns tracing on; *finished* is each traced request's finished
    callback (the trace feature's log line; none by default)."""

    #: The most steps kept for one request (others are only counted): a
    #: JSON-RPC batch of many calls must not grow a trace without bound.
    max_steps = 1000

    def __init__(self, finished=lambda request: None):
        self.finished = finished


def tracing_enabled(registry):
    """Whether tracing is on for the application of *registry*."""
    return registry.queryUtility(ITracing) is not None


class Trace:
    """The steps (dicts, :doc:`/tracing`) of *request*, kept weakly (no
    cycle through its environ): a retry's new request starts its own."""

    __slots__ = ('dropped', 'max_steps', 'passed', 'request', 'steps')

    def __init__(self, max_steps, request):
        self.request = weakref.ref(request)
        self.steps = []
        #: one flag per step entered and not left yet: whether that step
        #: (a wrapper) passed the request on (:func:`next_probe` sets it)
        self.passed = []
        self.dropped = 0
        self.max_steps = max_steps

    def run(self, kind, name, where, detail, call, outcome, failed):
        """``call()`` as one step, ended by ``outcome(result, passed)``, or
        by ``failed(exception)`` before the exception propagates."""
        step = {'kind': kind, 'name': name, 'detail': detail, 'where': where}
        step.update(depth=len(self.passed), duration=None, outcome=None)
        if len(self.steps) < self.max_steps:
            self.steps.append(step)
        else:
            self.dropped += 1
        self.passed.append(False)
        start = time.perf_counter()
        try:
            result = call()
        except BaseException as e:
            step['outcome'] = failed(e)
            raise
        finally:
            step['duration'] = time.perf_counter() - start
            passed = self.passed.pop()
        step['outcome'] = outcome(result, passed)
        return result


def _trace(request):
    """The :class:`Trace` of *request*, made (its log line scheduled) on its
    first step, replacing one an earlier request object (a retry) left."""
    environ = request.environ
    trace = environ.get(ENVIRON_KEY)
    if trace is None or trace.request() is not request:
        tracing = request.registry.queryUtility(ITracing) or Tracing()
        trace = environ[ENVIRON_KEY] = Trace(tracing.max_steps, request)
        request.add_finished_callback(tracing.finished)
    return trace


def where_registered(info, obj):
    """``file:line`` of the action *info*, else where *obj* is defined."""
    return describe_info(info) if info is not None else code_location(obj)


def raised(exc):
    """The outcome of a step that raised *exc*: its class, never its
    message (it may quote the client)."""
    return f'raised {type(exc).__name__}'


def _status(response):
    status = getattr(response, 'status_code', None)
    return str(status) if isinstance(status, int) else 'no response'


def _ok(result, passed):
    return 'ok'


def _wrapper_outcome(result, passed):
    said, status = 'ok' if passed else 'short-circuited', _status(result)
    return said if status == 'no response' else f'{said} {status}'


def _validation_outcome(result, passed):
    if result is None or isinstance(result, Mapping):
        return 'valid'
    # the pipeline refuses it (TypeError): never shown as valid
    return f'returned {type(result).__name__}'


def _authorization_outcome(result, passed):
    status = _status(result)
    return f'{"allowed" if status == "200" else "refused"} {status}'


def _auth_outcome(result, passed):
    if result is None or result is True:
        return 'passed'
    return 'refused' if result is False else f'refused {_status(result)}'


def _auth_failed(exc):
    status = getattr(exc, 'status_code', None)
    return raised(exc) if status is None else f'refused {status}'


#: Per kind of step: the request from the call's arguments (none: nothing
#: recorded), the outcome ``(result, passed)``, and from an exception.
PROBES = {
    'listener': (lambda args: get_current_request(), _ok, raised),
    'validation': (itemgetter(0), _validation_outcome, raised),
    'controller wrapper': (itemgetter(1), _wrapper_outcome, raised),
    'application wrapper': (itemgetter(0), _wrapper_outcome, raised),
    'widget authorization': (itemgetter(1), _authorization_outcome, raised),
    'auth': (itemgetter(0), _auth_outcome, _auth_failed),
    'controller': (itemgetter(1), _ok, raised),
    'jsonrpc call': (itemgetter(1), _ok, raised),
}


def _probe(kind, call, detail, name, where, outcome=None, failed=None):
    """*call*, each call a step of *kind* ended as :data:`PROBES` says
    unless *outcome* or *failed* is given; *detail* is a string or a
    function of the call's arguments."""
    request_of, by_result, by_exception = PROBES[kind]
    outcome, failed = outcome or by_result, failed or by_exception

    def traced(*args, **kw):
        request = request_of(args)
        if request is None:
            return call(*args, **kw)
        text = detail(*args) if callable(detail) else detail
        return _trace(request).run(
            kind, name, where, text, lambda: call(*args, **kw), outcome, failed
        )

    traced.__wrapped__ = call
    return traced


def _named(obj):
    """The name and location a step shows for *obj*."""
    return object_name(obj), code_location(obj)


def traced_listener(listener, hook, where):
    """*listener* of *hook* (``'name'`` or ``'namespace:name'``),
    registered at *where*."""
    traced = _probe('listener', listener, hook, object_name(listener), where)
    # named as the listener (a trapped failure's log line names it)
    return functools.update_wrapper(traced, listener)


def printable(text):
    """*text* with each unprintable character (CR, LF, ESC...) as its Python
    escape: a client can neither start a log line nor drive a terminal."""
    if text.isprintable():
        return text
    return ''.join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


#: The lines ``traceback`` writes between chained exceptions, as they are.
CHAIN_LINES = (
    '\nThe above exception was the direct cause of the following exception:'
    '\n\n',
    '\nDuring handling of the above exception, another exception occurred:'
    '\n\n',
)


def escaped_traceback(exc):
    """The traceback of *exc* (and of those it was raised from) as
    :mod:`traceback` writes it, every piece that is not a frame (messages,
    notes) :func:`printable` but for its final newline."""
    chain = traceback.TracebackException.from_exception(exc)
    kept, pending = set(CHAIN_LINES), [chain]
    while pending:
        current = pending.pop()
        if current is not None:
            kept.update(current.stack.format())
            pending += (current.__cause__, current.__context__)
    pieces = []
    for piece in chain.format():
        if piece not in kept:
            text = piece.removesuffix('\n')
            piece = printable(text) + piece[len(text) :]
        pieces.append(piece)
    return ''.join(pieces).removesuffix('\n')


def log_failure(logger, exc, message, *args):
    """Log *message* % *args* at ``ERROR`` with the traceback of *exc*,
    whose message may hold a client's CR, LF, ESC: formatters write the
    ``exc_text`` (:func:`escaped_traceback`), not the ``exc_info`` kept for
    handlers that read the exception (Sentry's)."""
    if logger.isEnabledFor(logging.ERROR):
        caller = inspect.currentframe().f_back  # where logging says
        record = logger.makeRecord(
            logger.name,
            logging.ERROR,
            caller.f_code.co_filename,
            caller.f_lineno,
            message,
            args,
            (type(exc), exc, exc.__traceback__),
            caller.f_code.co_name,
        )
        record.exc_text = escaped_traceback(exc)
        logger.handle(record)


#: The most field names a validation step shows, and their longest length
#: (a client may send thousands of fields with long names).
MAX_FIELDS = 10
MAX_FIELD_LENGTH = 40


def field_names(errors):
    """The first :data:`MAX_FIELDS` keys of *errors* sorted, each
    :func:`printable` and :func:`shortened`, then how many more."""
    names = heapq.nsmallest(MAX_FIELDS, map(str, errors))
    shown = [shortened(printable(name), MAX_FIELD_LENGTH) for name in names]
    more = len(errors) - len(names)
    return ', '.join(shown) + (f' and {more} more' if more else '')


def shown_id(call_id):
    """A client's JSON-RPC id as the trace shows it, quoted and
    :func:`shortened` (it only tells a batch's calls apart)."""
    return repr(shortened(str(call_id), MAX_FIELD_LENGTH))


def traced_validator(validate, invalid):
    """The ``validate=`` option *validate*, which may raise *invalid*
    (:class:`pyramid_hooks.Invalid`)."""

    def failed(e):
        if not isinstance(e, invalid):
            return raised(e)
        # never the messages (they may quote the values)
        try:
            count = len(e.errors)
        except TypeError:
            return 'invalid'
        fields = ''
        if isinstance(e.errors, dict):
            fields = f' ({field_names(e.errors)})'
        return f'invalid: {count} error{"" if count == 1 else "s"}{fields}'

    return _probe('validation', validate, '', *_named(validate), failed=failed)


def next_probe(caller, request_index):
    """*caller* as a traced wrapper's next handler: calling it marks the
    innermost step as having passed the request (argument
    *request_index*) on."""

    def probe(*args):
        trace = args[request_index].environ.get(ENVIRON_KEY)
        # no trace: called outside of a traced request
        if trace is not None and trace.passed:  # pragma: no branch
            trace.passed[-1] = True
        return caller(*args)

    probe.__wrapped__ = caller
    return probe


def traced_controller_wrapper(wrapped, wrapper, where, view_name):
    """The ``call(context, request)`` a controller wrapper factory
    (*wrapper*) returned for the view *view_name*."""
    name = object_name(wrapper)
    return _probe('controller wrapper', wrapped, view_name, name, where)


def traced_application_wrapper(wrapper, name, where):
    """The application wrapper *wrapper*, registered as *name*."""
    return _probe('application wrapper', wrapper, '', name, where)


def traced_authorization(handler, source, callback_path):
    """The widget authorization *handler* for *callback_path* (``widget
    id/callback name``), a ``'callback'``, ``'widget'`` or ``'global'``
    one (*source*)."""
    detail = f'{source} handler, {callback_path}'
    return _probe('widget authorization', handler, detail, *_named(handler))


def traced_auth_check(check, mode):
    """The check of the controller ``auth`` mode *mode*."""
    return _probe('auth', check, f'auth={mode}', *_named(check))


def _served(endpoint):
    """The name and location a step shows for a controller route."""
    name = f'{object_name(endpoint.controller)}.{endpoint.name}'
    return name, code_location(endpoint.functions[-1])


def traced_controller(view, endpoint):
    """The view callable of a controller route (called once per JSON-RPC
    call), with the route and its ``auth`` mode."""
    mode = endpoint.routing['auth']

    def detail(context, request):
        route = request.matched_route
        return f'route {route.name if route else "-"}, auth={mode}'

    traced = _probe('controller', view, detail, *_served(endpoint))
    return functools.update_wrapper(traced, view)  # named as the handler


def traced_jsonrpc_call(handle, endpoint, decode):
    """``handle(context, request, member, ...)`` of the JSON-RPC envelope
    (*decode* reads its reply back)."""

    def outcome(reply, passed):
        if reply is None:
            return 'no reply'
        error = decode(reply).get('error')
        return 'ok' if error is None else f'error {error["code"]}'

    def detail(context, request, member, denials, failures):
        if not isinstance(member, dict) or 'id' not in member:
            return 'notification'
        return f'id {shown_id(member["id"])}'

    served = _served(endpoint)
    return _probe('jsonrpc call', handle, detail, *served, outcome=outcome)
