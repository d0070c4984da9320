"""Loose ends of error handlers and route shadows (the twelfth wave's
``left12``), each driven through a real Pyramid application."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


def files_app(routes):
    """An application whose handler ``files`` serves *routes* in order."""

    class Files(Controller):
        @route(routes, auth='public', renderer='string')
        def files(self, **kw):
            return repr(sorted(kw.items()))

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    'routes',
    [
        ['/f/<path:p>', '/f/a/'],  # <path:> takes 'a/'
        ['/f/<path:p>', '/f/<x>/'],
        ['/f/<path:p>', '/f/a//b'],  # and 'a//b'
    ],
)
def test_a_path_placeholder_before_a_trailing_slash_is_refused(routes):
    """``/f/<path:p>`` listed before ``/f/a/``: Pyramid serves ``/f/a/``
    with the first, ``p='a/'`` (the path converter takes an empty segment
    but as its first), so the second pattern was never served, silently.
    A startup error naming both, as the other shadowed patterns."""
    with pytest.raises(ConfigurationError) as raised:
        files_app(routes)
    message = str(raised.value)
    assert f'{routes[1]!r} is never served' in message
    assert "'/f/<path:p>', before it" in message


@pytest.mark.parametrize(
    'routes', [['/f/<path:p>', '/f/'], ['/f/<path:p>', '/f//a']]
)
def test_a_path_placeholder_does_not_take_an_empty_first_segment(routes):
    """``<path:>`` takes no empty first segment: ``/f/`` and ``/f//a``
    after ``/f/<path:p>`` are served by their own pattern."""
    app = files_app(routes)
    assert app.get('/f/b/').text == "[('p', 'b/')]"
    assert app.get(routes[1]).text == '[]'


def test_a_path_handler_before_a_trailing_slash_handler_is_refused():
    """The same across handlers: ``files`` at ``/f/<path:p>`` defined
    before ``folder`` at ``/f/a/``, which no request reached."""

    class Files(Controller):
        @route('/f/<path:p>', auth='public', renderer='string')
        def files(self, p):
            return p

        @route('/f/a/', auth='public', renderer='string')
        def folder(self):
            return 'folder'  # pragma: no cover - refused at startup

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert "'/f/a/' is never served: '/f/<path:p>' of" in message
    assert 'define or activate folder before files' in message
