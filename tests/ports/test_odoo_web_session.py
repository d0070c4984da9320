"""Odoo's web client session controller, ported
(tests/ports/odoo_web_session.py): the JSON login and logout of the
mobile apps and scripts, kept in Pyramid's session, the routes for the
signed-in user, and the http logout's local redirect."""

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_auth_signup import redirect
from tests.ports.odoo_fakes import Model, make_env
from tests.ports.odoo_web_session import Session


class SessionPolicy:
    """The user's id kept in the session (controllers.rst's recipe)."""

    def __init__(self):
        self.helper = SessionAuthenticationHelper()

    def authenticated_userid(self, request):
        return self.helper.authenticated_userid(request)

    def identity(self, request):
        return self.authenticated_userid(request)

    def permits(self, request, context, permission):
        return True

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)


class Users(Model):
    def check_credentials(self, login, password):
        found = self.search([('login', '=', login)])
        return found[0] if found and found[0].password == password else None


class IrHttp(Model):
    def session_info(self, request, user=None):
        uid = user.id if user else int(request.authenticated_userid)
        user = request.env['res.users'].browse(uid)
        return {'uid': uid, 'name': user.name, 'db': 'prod'}


class Langs(Model):
    fail = False

    def list_lang(self):
        if self.fail:
            raise RuntimeError('the database manager is off')
        return [['en_US', 'English (US)'], ['fr_BE', 'French (BE)']]


def make_app():
    env = make_env()
    env['res.users'] = Users('res.users')
    env['ir.http'] = IrHttp('ir.http')
    env['res.lang'] = Langs('res.lang')
    env['res.users'].create({'login': 'ann', 'password': 'pw', 'name': 'Ann'})
    config = Configurator(
        settings={
            'odoo.db': 'prod',
            'odoo.modules': 'web base portal',
            'odoo.database_uuid': 'u-1',
            'hooks.controllers.expose_errors': (
                'tests.ports.odoo_fakes.AccessError\n'
                'tests.ports.odoo_web_session.AccessDenied'
            ),
        }
    )
    config.include('pyramid_hooks')
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_request_method(redirect, 'redirect')
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(SessionPolicy())
    config.add_controller(Session)
    return TestApp(config.make_wsgi_app()), env


def call(app, url, **params):
    body = {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': 1}
    return app.post_json(url, body).json


def test_the_json_login_keeps_the_user_in_the_session():
    app, _ = make_app()
    reply = call(app, '/web/session/get_session_info')
    assert reply['error']['code'] == -32001
    reply = call(
        app, '/web/session/authenticate', db='prod', login='ann', password='no'
    )
    assert reply['error']['data'] == {
        'name': 'tests.ports.odoo_web_session.AccessDenied',
        'message': 'Access Denied',
    }
    reply = call(
        app, '/web/session/authenticate', db='test', login='ann', password='pw'
    )
    assert reply['error']['data']['message'] == 'Database not found.'
    reply = call(
        app, '/web/session/authenticate', db='prod', login='ann', password='pw'
    )
    assert reply['result'] == {'uid': 1, 'name': 'Ann', 'db': 'prod'}
    # the session's cookie came with the JSON reply
    assert 'session' in app.cookies
    reply = call(app, '/web/session/get_session_info')
    assert reply['result'] == {'uid': 1, 'name': 'Ann', 'db': 'prod'}
    assert call(app, '/web/session/check') == {
        'jsonrpc': '2.0', 'id': 1, 'result': None,
    }  # fmt: skip
    reply = call(app, '/web/session/modules')
    assert reply['result'] == ['base', 'portal', 'web']


def test_the_account_url_and_the_languages():
    app, env = make_app()
    call(
        app, '/web/session/authenticate', db='prod', login='ann', password='pw'
    )
    url = call(app, '/web/session/account')['result']
    assert url.startswith('https://accounts.odoo.com/oauth2/auth?')
    assert 'client_id=u-1' in url
    assert 'scope=userinfo' in url
    reply = call(app, '/web/session/get_lang_list')
    assert reply['result'][1] == ['fr_BE', 'French (BE)']
    env['res.lang'].fail = True
    reply = call(app, '/web/session/get_lang_list')
    assert reply['result'] == {
        'error': 'the database manager is off', 'title': 'Languages',
    }  # fmt: skip


def test_the_json_logout_and_the_http_one():
    app, _ = make_app()
    call(
        app, '/web/session/authenticate', db='prod', login='ann', password='pw'
    )
    assert call(app, '/web/session/destroy')['result'] is None
    assert call(app, '/web/session/check')['error']['code'] == -32001
    call(
        app, '/web/session/authenticate', db='prod', login='ann', password='pw'
    )
    response = app.get(
        '/web/session/logout?redirect=https://evil.example/x', status=303
    )
    assert response.location == 'http://localhost/x'
    assert call(app, '/web/session/check')['error']['code'] == -32001
    response = app.get('/web/session/logout', status=303)
    assert response.location == 'http://localhost/odoo'


def test_a_login_in_one_session_is_not_another_s():
    app, _ = make_app()
    other = TestApp(app.app)
    call(
        app, '/web/session/authenticate', db='prod', login='ann', password='pw'
    )
    assert call(other, '/web/session/check')['error']['code'] == -32001
    assert call(app, '/web/session/check')['result'] is None
