"""``request_finished``, the run-time side: the ``NewRequest`` subscriber and
the outermost tween both add the finished callback (``docs/hooks.rst``)."""

from pyramid.exceptions import ConfigurationError

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


def request_finished_tween_factory(handler, registry):
    """The outermost tween, adding the finished callback whatever happened
    below; *handler* itself when there is no ``request_finished`` listener."""
    if not get_hooks(registry).default.has_listeners('request_finished'):
        return handler
    names = implicit_tween_names(registry)  # ours is added last: on top,
    above = names[: names.index(TWEEN_NAME)]  # unless added once committed
    if above and not (registry.settings or {}).get('pyramid.tweens'):
        raise ConfigurationError(
            f'The tween {above[0]} is above {TWEEN_NAME}, added after it '
            '(after a config.commit(), or by an autocommitting '
            'configurator): request_finished would not run for a request '
            f"it ends; add it with under='{TWEEN_NAME}', or before the "
            'commit'
        )

    def request_finished_tween(request):
        try:
            return handler(request)
        finally:
            add_finished_callback(request)

    return request_finished_tween
