"""The per-request trace of hooks and wrappers.

``config.include('pyramid_hooks.trace')`` (or the setting ``hooks.trace =
true``) records, for every request, what ``pyramid_hooks`` ran for it, in
order: each hook listener called, the validation step, each controller and
application wrapper entered and left, widget callback authorization, the
controller route served and its ``auth`` check, and each call of a
JSON-RPC request.  :func:`get_trace` returns it as plain data; the logger
``pyramid_hooks.trace`` prints one line per request at ``DEBUG``; the
debug toolbar panel of :mod:`pyramid_hooks.trace.toolbar` shows it.

Free when off: the decision is taken when listeners, views and chains are
composed, at configuration time.  With tracing off, the composing code
(``hooks.py``, ``pipeline.py``, ``wrappers.py``, ``widget_views.py``,
``controllers.py``, ``config/controllers.py``, ``jsonrpc.py``) composes
exactly what it composes without this module; with tracing on, it asks the
``traced_*`` function of its kind here for a recording version of what it
composed.

Safe: a recording function calls what it wraps with the arguments it got
and returns (or raises) what that returned (or raised), unchanged.  It
records names, ``file:line`` locations, durations and outcomes (a status,
a class name, a count of errors with the field names), never an argument
value.  The trace is kept in the request's WSGI environ, so it goes when
the request goes; it holds at most :data:`MAX_STEPS` steps.
"""

import functools
import logging
import time

from pyramid.threadlocal import get_current_request

from pyramid_hooks.interfaces import IHookRegistry, ITracing
from pyramid_hooks.shared import code_location, describe_info, object_name

log = logging.getLogger(__name__)

#: Where a request's :class:`Trace` is kept.
ENVIRON_KEY = 'pyramid_hooks.trace'

#: The most steps kept for one request (further steps are counted as
#: ``dropped``): a JSON-RPC batch of many calls, each running many
#: listeners, must not grow a trace without bound.
MAX_STEPS = 1000

#: Step kinds, in the words the panel and the log line use.
LISTENER = 'listener'
VALIDATION = 'validation'
CONTROLLER_WRAPPER = 'controller wrapper'
APPLICATION_WRAPPER = 'application wrapper'
WIDGET_AUTHORIZATION = 'widget authorization'
CONTROLLER = 'controller'
AUTH = 'auth'
JSONRPC_CALL = 'jsonrpc call'


class Tracing:
    """The registry utility (:class:`~pyramid_hooks.interfaces.ITracing`)
    whose presence turns tracing on for an application."""

    def __init__(self, max_steps=MAX_STEPS):
        #: the most steps kept per request
        self.max_steps = max_steps


def tracing_enabled(registry):
    """Whether tracing is on for the application of *registry*: what the
    composing code asks, once per listener, view or chain."""
    return registry.queryUtility(ITracing) is not None


def enable_tracing(registry):
    """Turn tracing on for *registry*, once; the hook listeners already
    registered (by an autocommitting configurator, say) are recomposed so
    that they record too."""
    if tracing_enabled(registry):
        return
    registry.registerUtility(Tracing(), ITracing)
    hooks = registry.queryUtility(IHookRegistry)
    if hooks is not None:
        hooks.enable_tracing()


class Trace:
    """The steps of one request, in the order they were entered.

    Each step is a plain dict: ``kind``, ``name`` (what ran), ``detail``
    (which hook, which route ...), ``where`` (``file:line`` where it was
    registered or defined), ``depth`` (how many steps enclose it),
    ``duration`` (seconds) and ``outcome``.
    """

    __slots__ = ('dropped', 'max_steps', 'stack', 'steps')

    def __init__(self, max_steps=MAX_STEPS):
        self.steps = []
        #: ``[step, passed]`` of the steps entered and not left yet;
        #: ``passed`` says whether a wrapper called its next handler
        self.stack = []
        self.dropped = 0
        self.max_steps = max_steps

    def begin(self, kind, name, where, detail=''):
        step = {
            'kind': kind,
            'name': name,
            'detail': detail,
            'where': where,
            'depth': len(self.stack),
            'duration': None,
            'outcome': None,
        }
        if len(self.steps) < self.max_steps:
            self.steps.append(step)
        else:
            self.dropped += 1
        self.stack.append([step, False])
        return step, time.perf_counter()

    def end(self, step, start, outcome):
        step['duration'] = time.perf_counter() - start
        step['outcome'] = outcome
        frame = self.stack.pop()
        return frame[1]

    def run(self, kind, name, where, detail, call, outcome, failed=None):
        """``call()`` as one step: its outcome is ``outcome(result)``
        (asked while the step is still the innermost, so that a wrapper's
        ``passed`` flag can be read), or ``failed(exception)`` (default
        :func:`raised`) when it raises; the exception propagates."""
        step, start = self.begin(kind, name, where, detail)
        try:
            result = call()
        except BaseException as e:
            self.end(step, start, (failed or raised)(e))
            raise
        self.end(step, start, outcome(result))
        return result

    def passed(self):
        """Whether the innermost step (a wrapper) passed the request on
        (:func:`next_probe` says so)."""
        return self.stack[-1][1]


def _trace(request):
    """The :class:`Trace` of *request*, made (and its log line scheduled)
    on the first step."""
    environ = request.environ
    trace = environ.get(ENVIRON_KEY)
    if trace is None:
        tracing = request.registry.queryUtility(ITracing)
        trace = environ[ENVIRON_KEY] = Trace(
            MAX_STEPS if tracing is None else tracing.max_steps
        )
        request.add_finished_callback(log_trace)
    return trace


def get_trace(request):
    """The trace of *request*: a list of dicts, one per step, in the order
    the steps were entered (see :doc:`/tracing`); ``[]`` when nothing was
    recorded (tracing off, or nothing of ``pyramid_hooks`` ran)."""
    trace = request.environ.get(ENVIRON_KEY)
    return [] if trace is None else list(trace.steps)


def format_trace(request):
    """One compact line: the request's method and path (no query string)
    and its steps, ``kind name duration outcome`` separated by ``;``."""
    trace = request.environ.get(ENVIRON_KEY)
    parts = [
        f'{step["kind"]} {step["name"]}'
        f'{" [" + step["detail"] + "]" if step["detail"] else ""} '
        f'{(step["duration"] or 0) * 1000:.2f}ms {step["outcome"]}'
        for step in trace.steps
    ]
    if trace.dropped:
        parts.append(f'{trace.dropped} more steps not kept')
    return f'{request.method} {request.path_info}: ' + '; '.join(parts)


def log_trace(request):
    """The finished callback printing the request's line at ``DEBUG``."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug('%s', format_trace(request))


# -- locations and outcomes -------------------------------------------------


def where_registered(info, obj):
    """``file:line`` of a registration's action *info*, else where *obj*
    is defined."""
    return describe_info(info) if info is not None else code_location(obj)


def raised(exc):
    """The outcome of a step that raised *exc*: its class, never its
    message (which may quote what the client sent)."""
    return f'raised {type(exc).__name__}'


def _status(response):
    status = getattr(response, 'status_code', None)
    return str(status) if isinstance(status, int) else 'no response'


# -- what the composing code asks for ----------------------------------------


def traced_listener(listener, hook, where):
    """*listener* of *hook* (``'name'`` or ``'namespace:name'``),
    recording each call in the current request's trace; with no current
    request (configuration hooks, WSGI middleware hooks) it records
    nothing."""
    name = object_name(listener)

    def traced(*args, **kw):
        request = get_current_request()
        if request is None:
            return listener(*args, **kw)
        return _trace(request).run(
            LISTENER, name, where, hook, lambda: listener(*args, **kw), _ok
        )

    # named as the listener (a trapped failure's log line names it)
    return functools.update_wrapper(traced, listener)


def _errors_outcome(errors):
    """``invalid: 2 errors (age, name)``: how many, and the field names of
    a mapping, never the messages (they may quote the values)."""
    try:
        count = len(errors)
    except TypeError:
        return 'invalid'
    fields = ''
    if isinstance(errors, dict):
        fields = ' (' + ', '.join(sorted(map(str, errors))) + ')'
    return f'invalid: {count} error{"" if count == 1 else "s"}{fields}'


def traced_validator(validate, invalid):
    """The ``validate=`` option *validate*, recording its outcome:
    ``valid``, ``invalid: N errors (fields)`` when it raised *invalid*
    (:class:`pyramid_hooks.Invalid`), or the exception it raised."""
    name = object_name(validate)
    where = code_location(validate)

    def failed(e):
        return (
            _errors_outcome(e.errors) if isinstance(e, invalid) else raised(e)
        )

    def traced(request, params):
        return _trace(request).run(
            VALIDATION,
            name,
            where,
            '',
            lambda: validate(request, params),
            lambda result: 'valid',
            failed,
        )

    return traced


def _ok(result):
    return 'ok'


def _wrapper_outcome(passed, result):
    status = _status(result)
    if status == 'no response':
        return 'ok' if passed else 'short-circuited'
    return f'{"ok" if passed else "short-circuited"} {status}'


def next_probe(caller, request_index):
    """What a wrapper gets as its next handler when tracing: *caller*,
    marking in the trace that the wrapper passed the request on (a
    wrapper that does not has short-circuited).  *request_index* is the
    position of the request in the call's arguments."""

    def probe(*args):
        trace = args[request_index].environ.get(ENVIRON_KEY)
        # the wrapper being run is the innermost step: it passed the
        # request on (no trace: called outside of a traced request)
        if trace is not None and trace.stack:  # pragma: no branch
            trace.stack[-1][1] = True
        return caller(*args)

    probe.__wrapped__ = caller
    return probe


def traced_controller_wrapper(wrapped, wrapper, where, view_name):
    """The ``call(context, request)`` a controller wrapper factory
    (*wrapper*) returned, recording when it is entered and left, and
    whether it called its ``next_caller`` (see :func:`next_probe`)."""
    name = object_name(wrapper)

    def traced(context, request):
        trace = _trace(request)
        return trace.run(
            CONTROLLER_WRAPPER,
            name,
            where,
            view_name,
            lambda: wrapped(context, request),
            lambda result: _wrapper_outcome(trace.passed(), result),
        )

    traced.__wrapped__ = wrapped
    return traced


def traced_application_wrapper(wrapper, name, where):
    """The application wrapper *wrapper* (registered as *name*), recording
    when it is entered and left, the status it returned and whether it
    called its next handler."""

    def traced(request):
        trace = _trace(request)
        return trace.run(
            APPLICATION_WRAPPER,
            name,
            where,
            '',
            lambda: wrapper(request),
            lambda response: _wrapper_outcome(trace.passed(), response),
        )

    traced.__wrapped__ = wrapper
    return traced


def traced_authorization(handler, source, callback_path):
    """The widget authorization *handler* that decides for the callback
    *callback_path* (``widget id/callback name``); *source* says whose
    handler it is: ``'callback'``, ``'widget'`` or ``'global'``."""
    name = object_name(handler)
    where = code_location(handler)
    detail = f'{source} handler, {callback_path}'

    def outcome(result):
        status = _status(result)
        return f'{"allowed" if status == "200" else "refused"} {status}'

    def traced(callback, request):
        return _trace(request).run(
            WIDGET_AUTHORIZATION,
            name,
            where,
            detail,
            lambda: handler(callback, request),
            outcome,
        )

    traced.__wrapped__ = handler
    return traced


def traced_auth_check(check, mode):
    """The check of the controller ``auth`` mode *mode*, recording its
    verdict: ``passed``, ``refused`` (``False``), ``refused <status>`` (a
    response or HTTP exception), or what it raised."""
    name = object_name(check)
    where = code_location(check)
    detail = f'auth={mode}'

    def outcome(result):
        if result is None or result is True:
            return 'passed'
        if result is False:
            return 'refused'
        return f'refused {_status(result)}'

    def failed(e):
        status = getattr(e, 'status_code', None)
        return raised(e) if status is None else f'refused {status}'

    def traced(request):
        return _trace(request).run(
            AUTH, name, where, detail, lambda: check(request), outcome, failed
        )

    traced.__wrapped__ = check
    return traced


def traced_controller(view, endpoint):
    """The view callable of a controller route (called once per JSON-RPC
    call), recording the serving class and handler, the route and its
    ``auth`` mode, and whether the handler returned or raised."""
    name = f'{object_name(endpoint.controller)}.{endpoint.name}'
    where = code_location(endpoint.functions[-1])
    mode = endpoint.routing['auth']

    def traced(context, request):
        route = request.matched_route
        detail = f'route {route.name if route else "-"}, auth={mode}'
        return _trace(request).run(
            CONTROLLER,
            name,
            where,
            detail,
            lambda: view(context, request),
            _ok,
        )

    traced.__wrapped__ = view
    return traced


def _call_id(member):
    """The ``id`` of a JSON-RPC request object, shortened (it is the
    client's, and only there to tell the calls of a batch apart)."""
    if not isinstance(member, dict) or 'id' not in member:
        return 'notification'
    return f'id {str(member["id"])[:40]!r}'


def traced_jsonrpc_call(handle, endpoint, decode):
    """``handle(context, request, member, denied, failures)`` of the
    JSON-RPC envelope, recording each call with its id and its outcome:
    ``ok``, ``error <code>``, or ``no reply`` for a notification.
    *decode* reads the reply back (``json.loads``), for its error code."""
    name = f'{object_name(endpoint.controller)}.{endpoint.name}'
    where = code_location(endpoint.functions[-1])

    def outcome(reply):
        if reply is None:
            return 'no reply'
        error = decode(reply).get('error')
        return 'ok' if error is None else f'error {error["code"]}'

    def traced(context, request, member, denied, failures):
        return _trace(request).run(
            JSONRPC_CALL,
            name,
            where,
            _call_id(member),
            lambda: handle(context, request, member, denied, failures),
            outcome,
        )

    traced.__wrapped__ = handle
    return traced


# -- configuration ------------------------------------------------------------


def includeme(config):
    """``config.include('pyramid_hooks.trace')``: turn tracing on
    (the configuration side is :mod:`pyramid_hooks.config.trace`, named by
    its dotted name so that this run-time package imports no
    configuration code)."""
    config.include('pyramid_hooks.config.trace')
