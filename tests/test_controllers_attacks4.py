"""Controller routes under a fourth attacker's review: what a client can
make a route do that its author did not say, through WebTest on a real
Pyramid application."""

import pytest
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post

PARTNER = 'https://partner.example'
OTHER = 'https://other.example'


def app_for(*classes):
    config = make_config()
    for cls in classes:
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def preflight(app, path, method, origin=PARTNER, status='*'):
    """A browser's CORS preflight for a *method* request with a JSON
    body from *origin*."""
    headers = {
        'Origin': origin,
        'Access-Control-Request-Method': method,
        'Access-Control-Request-Headers': 'content-type',
    }
    return app.options(path, headers=headers, status=status)


# -- the CORS preflight answers for the method it asks about -----------------


class Document(Controller):
    """A page a partner site may read with the user's cookies, and, at the
    same URL, a JSON-RPC endpoint nobody gave CORS to."""

    written = None

    @route(
        '/doc',
        methods=['GET'],
        auth='public',
        cors=[PARTNER],
        cors_credentials=True,
    )
    def read(self):
        return 'doc'

    @route('/doc', type='json', auth='public')
    def write(self, text):
        self.written.append(text)
        return 'written'


class Both(Controller):
    """Two handlers at one URL, each with its own CORS origins."""

    @route('/both', methods=['GET'], auth='public', cors=[PARTNER])
    def read(self):
        return 'read'

    @route('/both', type='json', auth='public', cors=[OTHER])
    def write(self):
        return 'written'

    @route('/lone', methods=['GET'], auth='public', cors='*')
    def lone(self):
        return 'lone'


@pytest.fixture
def cors_app():
    Document.written = []
    yield app_for(Document, Both)
    Document.written = None


def test_a_preflight_for_a_method_without_cors_grants_nothing(cors_app):
    """The JSON route's CSRF defence is the preflight its content type
    needs.  The GET handler's CORS answered it whatever method it asked
    about; ``POST`` is a method browsers need not find in
    ``Access-Control-Allow-Methods``, so the partner's page could make
    the user's browser send a JSON-RPC call with the user's cookies."""
    answer = preflight(cors_app, '/doc', 'POST')
    assert answer.status_int == 405
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert 'Access-Control-Allow-Credentials' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD, POST'
    # the GET handler's own preflight, and its requests, as before
    answer = preflight(cors_app, '/doc', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == PARTNER
    assert answer.headers['Access-Control-Allow-Credentials'] == 'true'
    assert answer.headers['Access-Control-Allow-Methods'] == 'GET, HEAD'
    assert cors_app.get('/doc').text == 'doc'
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'write', 'params': {}}
    body['params']['text'] = 'x'
    assert post(cors_app, '/doc', body).strict['result'] == 'written'
    assert Document.written == ['x']


def test_each_handler_of_a_shared_url_answers_its_own_preflight(cors_app):
    """The first handler with ``cors=`` answered every preflight of the
    URL: the second handler's origins were refused theirs."""
    answer = preflight(cors_app, '/both', 'POST', origin=OTHER, status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == OTHER
    assert answer.headers['Access-Control-Allow-Methods'] == 'POST'
    answer = preflight(cors_app, '/both', 'POST', status=204)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    answer = preflight(cors_app, '/both', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == PARTNER
    answer = preflight(cors_app, '/both', 'DELETE', status=405)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD, POST'


def test_a_preflight_for_a_method_a_lone_handler_refuses_grants_nothing(
    cors_app,
):
    answer = preflight(cors_app, '/lone', 'DELETE', status=405)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD'
    answer = preflight(cors_app, '/lone', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == '*'
    # an OPTIONS request that is no preflight: answered as before
    answer = cors_app.options('/lone', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == '*'
