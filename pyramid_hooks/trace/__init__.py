"""The per-request trace of what ``pyramid_hooks`` ran (:doc:`/tracing`):
read (:func:`get_trace`), logged (:func:`log_trace`), shown in the toolbar."""

import logging
from typing import TypedDict

from pyramid.exceptions import ConfigurationError
from pyramid.request import Request

from pyramid_hooks.interfaces import IHookRegistry, ITracing
from pyramid_hooks.probes import (
    ENVIRON_KEY,
    MAX_FIELD_LENGTH,
    Tracing,
    printable,
    tracing_enabled,
)
from pyramid_hooks.settings import as_strict_bool
from pyramid_hooks.shared import shortened

__all__ = [
    'TraceStep',
    'enable_tracing',
    'get_trace',
    'includeme',
    'log_trace',
    'tracing_enabled',
]

log = logging.getLogger(__name__)


class TraceStep(TypedDict):
    """One step of :func:`get_trace` (described in :doc:`/tracing`)."""

    kind: str
    name: str
    detail: str | None
    where: str | None
    depth: int
    duration: float | None  # seconds; None while it runs
    outcome: str | None  # None while it runs


def enable_tracing(registry):
    """Turn tracing on for *registry*, once, for listeners already there."""
    if tracing_enabled(registry):
        return
    registry.registerUtility(Tracing(finished=log_trace), ITracing)
    hooks = registry.queryUtility(IHookRegistry)
    if hooks is not None:
        hooks.enable_tracing()


def refuse_tracing_off(settings, what):
    """Refuse *what*, which turns tracing on, when ``hooks.trace`` is
    ``false``: which of the two wins would be ours to guess."""
    value = settings.get('hooks.trace')
    if value is None or as_strict_bool(value, 'hooks.trace'):
        return
    raise ConfigurationError(
        f'{what} turns tracing on, but the setting hooks.trace is false '
        '(tracing off); remove one of them: leave hooks.trace out (or '
        'set it to true) to trace, or remove the include not to'
    )


def get_trace(request: Request) -> list[TraceStep]:
    """The trace of *request*: one dict per step, in the order the steps
    were entered; ``[]`` when nothing was recorded."""
    trace = request.environ.get(ENVIRON_KEY)
    return [] if trace is None else list(trace.steps)


def log_trace(request):
    """The finished callback logging the request's trace on one line at
    ``DEBUG``: the route's pattern, never the path (it may hold secrets),
    what a client controls printable and bounded."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    trace = request.environ[ENVIRON_KEY]
    parts = [
        f'{step["kind"]} {step["name"]}'
        f'{" [" + step["detail"] + "]" if step["detail"] else ""} '
        f'{(step["duration"] or 0) * 1000:.2f}ms {step["outcome"]}'
        for step in trace.steps
    ]
    if trace.dropped:
        parts.append(f'{trace.dropped} more steps not kept')
    route = request.matched_route
    served = f'route {route.name} ({route.pattern})' if route else 'no route'
    method = shortened(request.method, MAX_FIELD_LENGTH)  # the client's
    line = f'{method} {served}: {"; ".join(parts)}'
    log.debug('%s', printable(line))


def includeme(config):
    """Turn tracing on (:mod:`.config`: run-time code imports none)."""
    config.include('pyramid_hooks.trace.config')
