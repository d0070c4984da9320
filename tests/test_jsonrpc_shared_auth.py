"""An ``auth`` check of a handler at a URL that handlers share runs once
per HTTP request, when a call first reaches the handler.  It decides for
the request, as on a URL with one handler, where it runs before any call:
it sees ``request.jsonrpc_payload``, never another call's
``request.jsonrpc_call``."""

import json

from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_config

SEEN = []


def method_check(request):
    """A check that (wrongly) decides by the call it thinks it is in."""
    call = getattr(request, 'jsonrpc_call', None)
    SEEN.append(None if call is None else call.method)
    return call is not None and call.method == 'public.ping'


class Shared(Controller):
    @route('/rpc', type='json', auth='public', rpc_method='public.ping')
    def ping(self):
        return 'pong'

    @route('/rpc', type='json', auth='by_method', rpc_method='admin.wipe')
    def wipe(self):
        return 'wiped'

    @route('/alone', type='json', auth='by_method', rpc_method='admin.wipe')
    def alone(self):
        return 'wiped'


def app():
    config = make_config()
    config.add_controller_auth('by_method', method_check)
    config.add_controller(Shared)
    return TestApp(config.make_wsgi_app())


def call(id, method):
    return {'jsonrpc': '2.0', 'id': id, 'method': method}


def post(path, body):
    return (
        app()
        .post(path, json.dumps(body), content_type='application/json')
        .json
    )


def test_a_check_at_a_shared_url_sees_no_earlier_call():
    """Before, the check saw the batch's previous call (``public.ping``)
    and let ``admin.wipe`` through."""
    SEEN.clear()
    replies = post('/rpc', [call(1, 'public.ping'), call(2, 'admin.wipe')])
    assert replies[0]['result'] == 'pong'
    assert replies[1]['error']['code'] == -32001
    assert SEEN == [None]


def test_as_at_a_url_of_one_handler():
    SEEN.clear()
    reply = post('/alone', [call(1, 'admin.wipe')])
    assert reply[0]['error']['code'] == -32001
    assert SEEN == [None]


class Discoverable(Controller):
    @route('/disc', type='json', auth='public', rpc_method='public.ping')
    def ping(self):
        return 'pong'

    @route('/disc', type='json', auth='by_method', rpc_method='admin.wipe')
    def wipe(self):  # pragma: no cover - never allowed here
        return 'wiped'


def test_rpc_discover_asks_the_checks_without_an_earlier_call():
    SEEN.clear()
    config = make_config({'hooks.controllers.discover': 'true'})
    config.add_controller_auth('by_method', method_check)
    config.add_controller(Discoverable)
    app = TestApp(config.make_wsgi_app())
    body = [call(1, 'public.ping'), call(2, 'rpc.discover')]
    replies = app.post(
        '/disc', json.dumps(body), content_type='application/json'
    ).json
    names = [m['name'] for m in replies[1]['result']['methods']]
    assert names == ['public.ping']
    assert SEEN == [None]
