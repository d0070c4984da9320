"""``request_finished``: the runtime side.

Pyramid runs a request's finished callbacks at the very end, whatever
happened, but a callback only runs if something added it.  Adding it on
``NewRequest`` is too late for a request that never gets there: Pyramid
notifies ``NewRequest`` below the tweens, so an application wrapper (or any
tween) that raises or answers before calling its handler would skip the
``request_finished`` listeners, which are typically clean-ups.

So two places add the same callback, :func:`notify_request_finished`, and
each adds it only if it is not queued yet, so that it runs exactly once:

* the ``NewRequest`` subscriber (``pyramid_hooks.config.hooks``), before
  the ``new_request`` listeners: this keeps the callback's place among the
  finished callbacks, and covers subrequests made without tweens
  (``request.invoke_subrequest(sub)``), which never pass through a tween;
* :func:`request_finished_tween_factory`, the outermost tween (``under=``
  :data:`pyramid.tweens.INGRESS`), once the request has gone through the
  application below it, also when it raised.

The tween is registered only when the application has ``request_finished``
listeners (``ptweens`` of other applications is unchanged), and its factory
returns the handler itself when none is left, so it costs nothing unused.
"""

from pyramid_hooks.hooks import get_hooks

#: The dotted name of the tween, as ``ptweens`` shows it.
TWEEN_NAME = 'pyramid_hooks.finished.request_finished_tween_factory'


def notify_request_finished(request):
    """The finished callback: notify the ``request_finished`` listeners."""
    get_hooks(request.registry).default.notify('request_finished', request)


def add_finished_callback(request):
    """Queue :func:`notify_request_finished` on *request*, unless it is
    queued already."""
    if notify_request_finished not in request.finished_callbacks:
        request.add_finished_callback(notify_request_finished)


def request_finished_tween_factory(handler, registry):
    """The outermost tween: whatever the application below did, the
    request's ``request_finished`` listeners will run.  *handler* itself
    when the application has no ``request_finished`` listener."""
    if not get_hooks(registry).default.has_listeners('request_finished'):
        return handler

    def request_finished_tween(request):
        try:
            return handler(request)
        finally:
            add_finished_callback(request)

    return request_finished_tween
