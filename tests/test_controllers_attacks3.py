"""Controller routes under a third attacker's review: what a client can
make a route do that its author did not say, through WebTest and, where
the server decodes differently, a real one."""

import pytest
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post


class Api(Controller):
    calls = None

    @route('/lone', type='json', auth='public')
    def lone(self):
        """Empties the cart: no arguments, a side effect."""
        self.calls.append('lone')
        return 'emptied'

    @route('/lone-discover', type='json', auth='public', discover=True)
    def described(self):
        self.calls.append('described')
        return 'ran'


@pytest.fixture
def app():
    Api.calls = []
    config = make_config()
    config.add_controller(Api)
    yield TestApp(config.make_wsgi_app())
    Api.calls = None


def call(method, id=1):
    message = {'jsonrpc': '2.0', 'method': method}
    if id is not ...:
        message['id'] = id
    return message


# -- names JSON-RPC reserves ------------------------------------------------


@pytest.mark.parametrize('method', ['rpc.discover', 'rpc.', 'rpc.anything'])
@pytest.mark.parametrize('path', ['/lone', '/lone-discover'])
def test_a_reserved_method_name_never_runs_a_lone_handler(app, path, method):
    """A client probing ``rpc.discover`` (OpenRPC tools do, on every
    endpoint) must not run the handler alone at a URL that does not
    answer it: names starting with ``rpc.`` are JSON-RPC's own."""
    if path == '/lone-discover' and method == 'rpc.discover':
        method = 'rpc.other'
    reply = post(app, path, call(method)).strict
    assert reply['error']['code'] == -32601
    assert 'result' not in reply
    assert post(app, path, [call(method), call(method, ...)]).strict == [reply]
    assert post(app, path, call(method, ...), status=204).body == b''
    assert Api.calls == []


def test_a_lone_handler_still_answers_any_other_name(app):
    for method in ('call', 'rpc', 'rpcdiscover', 'RPC.discover', ''):
        assert post(app, '/lone', call(method)).strict['result'] == 'emptied'
    assert post(app, '/lone-discover', call('x')).strict['result'] == 'ran'
    assert Api.calls == ['lone'] * 5 + ['described']
