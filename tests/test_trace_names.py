"""With ``hooks.trace`` on, every callable the application gave is
wrapped in a probe; a message about one names what the application wrote,
not the probe (``pyramid_hooks.probes._probe.<locals>.traced``)."""

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.widgets import ServerSideCallbackMixin, serverside_callback


def sloppy_handler(callback, request):
    """An authorization handler returning no response."""
    return 'yes'


class Pinger(ServerSideCallbackMixin):
    def __init__(self, id):
        self.id = id

    @serverside_callback
    def ping(self, request):  # pragma: no cover - refused first
        return Response('pong')


@pytest.mark.parametrize('trace', ['false', 'true'])
def test_a_bad_authorization_result_names_the_handler(trace):
    config = Configurator(settings={'hooks.trace': trace})
    config.include('pyramid_hooks')
    config.add_widget(Pinger(id='p'))
    config.set_callback_authorization(sloppy_handler)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as raised:
        app.get('/_widgets/p/ping')
    message = str(raised.value)
    assert f'authorization handler {__name__}.sloppy_handler of' in message
    assert 'probes' not in message


def looped_handler(callback, request):
    """A handler whose ``__wrapped__`` is itself (a decorator's slip)."""
    return 'yes'


looped_handler.__wrapped__ = looped_handler


def test_a_wrapped_loop_is_named_as_given():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Pinger(id='p'))
    config.set_callback_authorization(looped_handler)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as raised:
        app.get('/_widgets/p/ping')
    assert f'{__name__}.looped_handler of' in str(raised.value)
