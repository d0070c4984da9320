"""The fourteenth attacker pass on controllers (atk14c): Werkzeug
converters, JSON-RPC routes and batches, auth modes, CORS and
``make_response``, attacked from outside."""

import json
import logging

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPFound
from webtest import TestApp

from pyramid_hooks import Controller, route

# -- an access check that raises, on a JSON route ---------------------------


def ldap_down(request):
    """A custom ``auth`` mode whose directory is unreachable."""
    request.response.set_cookie('probe', 'set-by-the-check')
    raise RuntimeError('ldap://admin:S3cret@ldap down')


class RaisingPolicy:
    """A security policy whose ACL store is unreachable."""

    def identity(self, request):
        return 'bob'

    def authenticated_userid(self, request):
        return 'bob'

    def permits(self, request, context, permission):
        raise RuntimeError('acl store at /srv/acl: S3cret')


def to_login(view):
    """A ``decorator=`` sending a client without a session to log in."""

    def guarded(context, request):
        raise HTTPFound('/login')

    return guarded


class Checked(Controller):
    @route('/ldap', type='json', auth='ldap')
    def ldap(self):
        return 'ldap'

    @route('/edit', type='json', auth='public', permission='edit')
    def edit(self):
        return 'edit'

    @route('/shared', type='json', auth='public')
    def read(self):
        return 'read'

    @route('/shared', type='json', auth='ldap')
    def write(self):
        return 'write'

    @route('/guarded', type='json', auth='public', decorator=to_login)
    def guarded(self):  # pragma: no cover - redirected first
        return 'never'


def checked_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(RaisingPolicy())
    config.add_controller_auth('ldap', ldap_down)
    config.add_controller(Checked)
    return TestApp(config.make_wsgi_app())


INTERNAL_ERROR = {'code': -32603, 'message': 'Internal error'}


def rpc(method, id_=1):
    return {'jsonrpc': '2.0', 'id': id_, 'method': method}


@pytest.mark.parametrize(
    'url, payload, replies',
    [
        ('/ldap', rpc('ldap'), None),
        ('/edit', rpc('edit'), None),
        ('/edit', [rpc('edit', 1), rpc('edit', 2)], [None, None]),
        ('/shared', [rpc('read', 1), rpc('write', 2)], ['read', None]),
    ],
)
def test_an_access_check_that_raises_on_a_json_route_is_a_json_rpc_error(
    url, payload, replies, caplog
):
    """An ``auth`` check or a security policy raising on a JSON route
    escaped as an exception (an HTML 500, the server's page), and at a
    shared URL the batch's other calls lost their answers.  Each call is
    now the ``-32603`` the handler's raising it would give, without the
    cookie the check set, as a route converter's error is."""
    caplog.set_level(logging.CRITICAL)
    response = checked_app().post(
        url, json.dumps(payload), content_type='application/json'
    )
    assert response.content_type == 'application/json'
    assert 'S3cret' not in response.text
    assert 'Set-Cookie' not in response.headers
    got = response.json if replies is not None else [response.json]
    for reply, result in zip(got, replies or [None], strict=True):
        if result is None:
            assert reply['error'] == INTERNAL_ERROR
        else:
            assert reply['result'] == result


def test_an_http_exception_of_a_decorator_still_reaches_pyramid():
    """What a ``decorator=`` raises as an answer (an HTTP exception) goes
    to Pyramid's exception views, as on any view
    (``test_a_forbidden_raised_below_the_envelope_is_no_json_rpc_refusal``):
    only what no one meant as an answer is the calls' ``-32603``."""
    response = checked_app().post(
        '/guarded', json.dumps(rpc('guarded')), content_type='application/json'
    )
    assert response.status_int == 302
    assert response.location.endswith('/login')


# -- rpc.discover repeated in one batch -------------------------------------


class Api(Controller):
    @route('/api', type='json', auth='public', discover=True)
    def search(self, text: str = '', limit: int = 80):
        """Search the catalogue."""
        return []

    @route('/api', type='json', auth='public')
    def count(self):
        return 0


def test_rpc_discover_is_answered_once_per_batch():
    """A batch of 99 ``rpc.discover`` calls (5 KB) was answered with 99
    copies of the OpenRPC document, each built and encoded anew: a reply
    a few hundred times the request's size, growing with the methods of
    the URL.  The first call gets the document, the others a ``-32600``
    error saying so."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Api)
    app = TestApp(config.make_wsgi_app())
    batch = [rpc('rpc.discover', n) for n in range(99)] + [rpc('count', 99)]
    replies = app.post(
        '/api', json.dumps(batch), content_type='application/json'
    ).json
    names = [method['name'] for method in replies[0]['result']['methods']]
    assert names == ['search', 'count']
    assert [reply['error']['code'] for reply in replies[1:99]] == [-32600] * 98
    assert 'once' in replies[1]['error']['data']['message']
    assert replies[99]['result'] == 0
    assert len(json.dumps(replies)) < 20_000
