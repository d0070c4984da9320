"""``pyramid_hooks.make_wsgi_app``: the WSGI application of a configurator,
wrapped by the ``before_wsgi_middlewares`` and ``after_wsgi_middlewares``
filter hooks and the given middlewares, each result checked."""

from collections.abc import Callable, Iterable

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from pyramid_hooks.interfaces import IHookRegistry
from pyramid_hooks.shared import WSGIApp, call_problem, resolve, shown_value


def make_wsgi_app(
    config: Configurator,
    middlewares: Iterable[Callable[[WSGIApp], WSGIApp] | str] = (),
) -> WSGIApp:
    """Make the WSGI application of *config*, wrapped, from the inside out,
    by the ``before_wsgi_middlewares`` filter hook, each of *middlewares*
    (``middleware(app) -> app`` callables or dotted names) and the
    ``after_wsgi_middlewares`` filter hook, which only it applies."""
    hooks = config.registry.getUtility(IHookRegistry)
    hooks.making_wsgi_app = True
    try:
        app = config.make_wsgi_app()
    finally:
        hooks.making_wsgi_app = False
    app = _wrapped(hooks, 'before_wsgi_middlewares', app)
    for middleware in middlewares:
        middleware = resolve(middleware, 'make_wsgi_app', config.package)
        app = _checked_app(middleware(app), f'the middleware {middleware!r}')
    return _wrapped(hooks, 'after_wsgi_middlewares', app)


def _wrapped(hooks, hook, app):
    """*app* through the listeners of the filter hook *hook*, each result
    checked, naming the listener that returned no application."""
    for registration, call in hooks.default.registered_listeners(hook):
        app = _checked_app(
            call(app), f'the listener {registration.describe()}'
        )
    return app


def _checked_app(app, source):
    """*app*, what *source* returned, unless it is no WSGI application (a
    forgotten ``return``, or a class not called, would fail every request)."""
    problem = call_problem(app, ('environ', 'start_response'))
    if problem is not None:
        detail = f' ({problem})' if callable(app) else ''
        raise ConfigurationError(
            f'make_wsgi_app: {source} returned {shown_value(app)}, '
            f'not a WSGI application{detail}: it returns the application it '
            'got, wrapped or not'
        )
    return app
