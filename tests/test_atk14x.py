"""The fourteenth attacker pass on this round's changes (atk14x): what
the round merged, attacked from outside."""

import logging

from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Controller, route
from tests.test_unpublished_json import call, make

# -- a JSON URL left with one handler ---------------------------------------


class Session(Controller):
    @route('/web/session/get', type='json', auth='none')
    def get(self):  # pragma: no cover - replaced
        return 'old'


class SessionV2(Session):
    def get(self):  # pragma: no cover - unpublished
        return 'unpublished'

    @route('/web/session/get', type='json', auth='none')
    def get_v2(self):
        return 'new'


def test_a_lone_handler_replaced_under_another_name_answers_any_name():
    # the URL never had two handlers: an Odoo client's "call" is served
    reply = call(make(SessionV2), 'call', '/web/session/get')
    assert reply['result'] == 'new'


class Records(Controller):
    @route('/api/records', type='json', auth='none')
    def read(self):  # pragma: no cover - moved
        return 'read'

    @route('/api/records', type='json', auth='none')
    def delete_all(self):
        return 'deleted'


class MovedRead(Records):
    @route('/api/read')
    def read(self):
        return 'read, moved'


def test_a_handler_moved_away_leaves_one_answering_its_own_name():
    app = make(MovedRead)
    assert call(app, 'read', '/api/read')['result'] == 'read, moved'
    reply = call(app, 'read', '/api/records')
    assert 'result' not in reply
    assert reply['error']['code'] == -32601
    assert call(app, 'delete_all', '/api/records')['result'] == 'deleted'


# -- TurboGears' attributes: what is not theirs ------------------------------


class Pages(Controller):
    @route('/pages/<path:rest>', auth='none')
    def _default(self, rest):  # pragma: no cover - unpublished below
        return f'page {rest}'

    @route('/pages/', auth='none')
    def index(self):
        return 'index'


class NoCatchAll(Pages):
    def _default(self, rest):  # pragma: no cover - unpublished
        return 'not served'


def test_an_extension_unpublishing_a_routed_default_is_accepted():
    app = make(Pages, NoCatchAll)
    assert app.get('/pages/').text == 'index'
    app.get('/pages/anything', status=404)


class Settings(Controller):
    _default = 'en'  # a value, never TurboGears' _default (it calls it)

    @property
    def _lookup(self):  # pragma: no cover - never read
        return {}

    @route('/lang', auth='none')
    def lang(self):
        return self._default


def test_a_value_or_property_named_as_turbogears_methods_is_accepted():
    assert make(Settings).get('/lang').text == 'en'


# -- rpc.discover with an access check that raises ---------------------------


def directory_down(request):
    """A custom ``auth`` mode whose directory is unreachable."""
    raise RuntimeError('ldap://admin:S3cret@ldap down')


class Discovered(Controller):
    @route('/rpc', type='json', auth='public', discover=True)
    def ping(self):
        return 'pong'

    @route('/rpc', type='json', auth='ldap', discover=True)
    def purge(self):  # pragma: no cover - its check raises first
        return 'purged'


def test_a_raising_check_fails_rpc_discover_only_not_the_batch(caplog):
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller_auth('ldap', directory_down)
    config.add_controller(Discovered)
    app = TestApp(config.make_wsgi_app())
    batch = [
        {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc.discover'},
        {'jsonrpc': '2.0', 'id': 2, 'method': 'ping'},
    ]
    with caplog.at_level(logging.ERROR, 'pyramid_hooks'):
        response = app.post_json('/rpc', batch)
    discovered, pinged = response.json
    assert discovered['error'] == {'code': -32603, 'message': 'Internal error'}
    assert pinged['result'] == 'pong'
    assert 'S3cret' not in response.text
