"""The fifth attacker pass over the core, the widgets and the trace: each
test sends what an attacker (or a careless configuration) would, through a
real application, and asserts on what the client or the operator sees."""

import pytest
from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

# -- a mismatch the method did not cause is not the widgets route's 405 ----


def forward(request):
    """What a callback or a view may do: hand the request to another URL
    of the application, here one that takes POST only."""
    return request.invoke_subrequest(
        Request.blank('/post-only'), use_tweens=False
    )


class Relay(ServerSideCallbackMixin):
    id = 'relay'

    @serverside_callback(request_method='GET')
    def get(self, request):
        return forward(request)

    @serverside_callback
    def any(self, request):
        return forward(request)


def relay_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_route('post-only', '/post-only')
    config.add_view(
        lambda request: Response('posted'),
        route_name='post-only',
        request_method='POST',
    )
    config.add_route('plain', '/plain')
    config.add_view(forward, route_name='plain')
    config.add_notfound_view(lambda request: Response('not here', status=404))
    config.add_widget(Relay())
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('method', ['GET', 'HEAD'])
@pytest.mark.parametrize('callback', ['get', 'any'])
def test_a_mismatch_raised_by_a_callback_is_not_a_405(callback, method):
    """A ``PredicateMismatch`` out of the callback (its own subrequest's)
    was answered by the widgets route's 405 view: ``405 Allow: GET`` to a
    GET, and a ``TypeError`` (500) for a callback taking any method.  It
    is now the application's not-found view, as from any view."""
    app = relay_app()
    plain = app.request('/plain', method=method, status=404)
    answer = app.request(
        f'/_widgets/relay/{callback}', method=method, status=404
    )
    assert answer.headers.get('Allow') is None
    assert answer.body == plain.body
    assert method == 'HEAD' or answer.text == 'not here'


def test_a_method_the_callback_excludes_is_still_a_405():
    app = relay_app()
    answer = app.post('/_widgets/relay/get', status=405)
    assert answer.headers['Allow'] == 'GET'
