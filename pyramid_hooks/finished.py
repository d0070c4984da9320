"""``request_finished``: the runtime side.

A finished callback added on ``NewRequest`` would be skipped for a request
that a tween or an application wrapper ends first (``NewRequest`` comes
below the tweens).  So both the ``NewRequest`` subscriber and the outermost
tween (for applications with ``request_finished`` listeners) add
:func:`notify_request_finished`, each only if it is not queued yet: the
tween alone would miss a subrequest invoked with ``use_tweens=False`` and
an application whose explicit ``pyramid.tweens`` leaves it out.
"""

from pyramid_hooks.hooks import get_hooks

#: The dotted name of the tween, as ``ptweens`` shows it.
TWEEN_NAME = 'pyramid_hooks.finished.request_finished_tween_factory'


def notify_request_finished(request):
    """The finished callback: notify the ``request_finished`` listeners."""
    get_hooks(request.registry).default.notify('request_finished', request)


def add_finished_callback(request):
    """Queue :func:`notify_request_finished` first on *request*, unless it
    is queued already.  First: Pyramid stops at the first finished callback
    that raises, so one queued before it (by a tween, an application
    wrapper, the trace) could otherwise keep ``request_finished`` from
    running."""
    callbacks = request.finished_callbacks
    if notify_request_finished not in callbacks:
        callbacks.appendleft(notify_request_finished)


def request_finished_tween_factory(handler, registry):
    """The outermost tween, adding the finished callback whatever happened
    below; *handler* itself when there is no ``request_finished`` listener."""
    if not get_hooks(registry).default.has_listeners('request_finished'):
        return handler

    def request_finished_tween(request):
        try:
            return handler(request)
        finally:
            add_finished_callback(request)

    return request_finished_tween
