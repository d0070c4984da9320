"""``request_finished``, the run-time side: the ``NewRequest`` subscriber and
the outermost tween both add the finished callback (``docs/hooks.rst``)."""

from pyramid.interfaces import INewResponse

from pyramid_hooks.hooks import get_hooks
from pyramid_hooks.workarounds import implicit_tween_names

#: The dotted name of the tween, as ``ptweens`` shows it.
TWEEN_NAME = 'pyramid_hooks.finished.request_finished_tween_factory'


def notify_request_finished(request):
    """The finished callback: notify the ``request_finished`` listeners.
    Queued first, a listener's exception is raised again only after the
    application's finished callbacks ran (Pyramid stops at one raising)."""
    try:
        get_hooks(request.registry).default.notify('request_finished', request)
    except Exception:
        callbacks = request.finished_callbacks
        while callbacks:  # as Pyramid runs them
            callbacks.popleft()(request)
        raise


def add_finished_callback(request):
    """Queue :func:`notify_request_finished` first on *request*, once."""
    callbacks = request.finished_callbacks
    if notify_request_finished not in callbacks:
        callbacks.appendleft(notify_request_finished)


def queue_on_response(event):
    """The ``NewResponse`` subscriber for a response a tween above ours
    gave alone (:func:`request_finished_tween_factory`)."""
    add_finished_callback(event.request)


def request_finished_tween_factory(handler, registry):
    """The outermost tween, adding the finished callback whatever happened
    below; *handler* itself when there is no ``request_finished`` listener."""
    if not get_hooks(registry).default.has_listeners('request_finished'):
        return handler
    if implicit_tween_names(registry).index(TWEEN_NAME):  # added last: on
        # top, unless once committed; then a tween above may answer alone, and
        # Pyramid notifies NewResponse outside every tween
        registry.registerHandler(queue_on_response, (INewResponse,))

    def request_finished_tween(request):
        try:
            return handler(request)
        finally:
            add_finished_callback(request)

    return request_finished_tween
