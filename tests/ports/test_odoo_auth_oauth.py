"""Odoo's auth_oauth controllers, ported (tests/ports/odoo_auth_oauth.py):
the login page listing the providers, the provider's redirect taken by a
decorated handler, and the Odoo Account shortcut calling it."""

import json
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from tests.ports.odoo_auth_oauth import (
    FRAGMENT_PAGE,
    AccessDenied,
    OAuthController,
    OAuthLogin,
)
from tests.ports.odoo_fakes import Env, Model, page
from tests.ports.test_odoo_auth_signup import (
    Partners,
    SessionPolicy,
    Users,
    forbidden,
    qweb,
)


class Providers(Model):
    def search_read(self, domain):
        if self.down:
            raise RuntimeError('no such table')  # Odoo: module not set up
        return [dict(vars(r)) for r in self.search(domain)]


class OAuthUsers(Users):
    """``res.users``' ``auth_oauth``: the provider's ``access_token``
    names the user, who then signs in with the key it returns."""

    def auth_oauth(self, provider, params, context):
        self.calls.append((provider, params, context))
        token = params.get('access_token')
        if token == 'boom':
            raise RuntimeError('the provider is down')
        if token == 'nosignup':
            raise AttributeError('_signup_create_user')
        for user in self.records.values():
            if user.oauth_token == token:
                user.password = 'KEY'
                return 'db', user.login, 'KEY'
        raise AccessDenied()


class OAuthEnv(Env):
    xmlids = {}

    def ref(self, xmlid):
        if xmlid not in self.xmlids:
            raise ValueError(xmlid)
        return self.xmlids[xmlid]


def make_app(providers=True, odoo_account=True):
    env = OAuthEnv()
    users = env['res.users'] = OAuthUsers('res.users')
    users.confirm, users.calls = False, []
    users.create({'login': 'admin', 'password': 'x', 'internal': True,
                  'active': True, 'oauth_token': 'T-ADMIN'})  # fmt: skip
    users.create({'login': 'joe', 'password': 'x', 'internal': False,
                  'active': True, 'oauth_token': 'T-JOE'})  # fmt: skip
    env['res.partner'] = Partners('res.partner')
    provider_model = env['auth.oauth.provider'] = Providers('provider')
    provider_model.down = not providers
    google = provider_model.create({
        'name': 'Google', 'enabled': True, 'client_id': 'CID',
        'scope': 'openid', 'auth_endpoint': 'https://auth.example/o',
    })  # fmt: skip
    provider_model.create({
        'name': 'Off', 'enabled': False, 'client_id': 'X', 'scope': 'x',
        'auth_endpoint': 'https://off.example/o',
    })  # fmt: skip
    env.xmlids = {'auth_oauth.provider_odoo': google} if odoo_account else {}

    config = Configurator(
        settings={'odoo.db': 'db', 'auth_signup.invitation_scope': 'b2c'}
    )
    config.include('pyramid_hooks')
    config.include('tests.ports.odoo_auth_signup')
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.set_security_policy(SessionPolicy())
    config.add_forbidden_view(forbidden)
    config.add_renderer('.qweb', qweb)
    config.add_request_method(lambda r: env, 'env', reify=True)
    config.add_controller(OAuthLogin)
    config.add_controller(OAuthController)
    return TestApp(config.make_wsgi_app()), env


def state_of(auth_link):
    (state,) = parse_qs(urlsplit(auth_link).query)['state']
    return json.loads(state)


def test_the_login_page_lists_the_enabled_providers_with_their_links():
    app, _env = make_app()
    template, values = page(app.get('/web/login?redirect=/shop&token=TK'))
    assert template == 'web.login'
    assert values['signup_enabled'] is True  # auth_signup's values kept
    (provider,) = values['providers']
    assert provider['name'] == 'Google'
    link = urlsplit(provider['auth_link'])
    assert (link.netloc, link.path) == ('auth.example', '/o')
    query = parse_qs(link.query)
    assert query['redirect_uri'] == ['http://localhost/auth_oauth/signin']
    assert query['response_type'] == ['token']
    state = state_of(provider['auth_link'])
    assert (state['d'], state['p'], state['t']) == ('db', provider['id'], 'TK')
    assert unquote_plus(state['r']) == 'http://localhost/shop'
    # under a script name, url_root keeps it
    _t, values = page(
        app.get('/web/login', extra_environ={'SCRIPT_NAME': '/erp'})
    )
    state = state_of(values['providers'][0]['auth_link'])
    assert unquote_plus(state['r']) == 'http://localhost/erp/web'


def test_the_login_page_shows_the_oauth_error():
    app, _env = make_app()
    _t, values = page(app.get('/web/login?oauth_error=3'))
    assert values['error'].startswith('You do not have access')
    _t, values = page(app.get('/web/login?oauth_error=9'))
    assert 'error' not in values
    # no provider table: no providers, the page still served
    app, _env = make_app(providers=False)
    _t, values = page(app.get('/web/login?oauth_error=1'))
    assert values['providers'] == []
    assert values['error'] == 'Sign up is not allowed on this database.'


def test_the_signup_page_lists_the_providers_too():
    app, _env = make_app()
    _t, values = page(app.get('/web/signup'))
    assert [p['name'] for p in values['providers']] == ['Google']


def test_the_fragment_page_then_the_signin():
    app, env = make_app()
    # the provider's redirect carries its values in the fragment: the
    # server sees no parameter (debug aside) and answers the script
    for url in ('/auth_oauth/signin', '/auth_oauth/signin?debug=1'):
        response = app.get(url)
        assert response.content_type == 'text/html'
        assert response.text == FRAGMENT_PAGE
    state = json.dumps({'d': 'db', 'p': 1, 'r': '%2Fshop', 'c': {'x': 1}})
    response = app.get(
        '/auth_oauth/signin',
        {'access_token': 'T-JOE', 'state': state},
        status=303,
    )
    assert response.location == 'http://localhost/shop'
    assert env['res.users'].calls[-1] == (
        1,
        {'access_token': 'T-JOE', 'state': state},
        {'x': 1},
    )
    # signed in: the login page sends them on
    response = app.get('/web/login?redirect=/my', status=303)
    assert response.location == 'http://localhost/my'


def test_the_signin_lands_by_user_and_state():
    def land(token, **state):
        app, _env = make_app()
        state = json.dumps({'d': 'db', 'p': 1, **state})
        return app.get(
            '/auth_oauth/signin',
            {'access_token': token, 'state': state},
            status=303,
        ).location

    assert land('T-ADMIN') == 'http://localhost/odoo'
    # Odoo's url defaults to /odoo, which is the redirect for all
    assert land('T-JOE') == 'http://localhost/odoo'
    assert land('T-ADMIN', a=7) == 'http://localhost/odoo/action-7'
    assert land('T-ADMIN', m=3) == 'http://localhost/odoo?menu_id=3'
    # /web is for internal users only
    assert land('T-JOE', r='%2Fweb') == 'http://localhost/'
    assert land('T-ADMIN', r='%2Fweb') == 'http://localhost/web'
    # a redirect to another site stays on this one (request.redirect)
    assert land('T-ADMIN', r='https%3A%2F%2Fevil.example%2Fx') == (
        'http://localhost/x'
    )
    # refusals go back to the login page, each with its reason
    assert land('nope').endswith('/web/login?oauth_error=3')
    assert land('nosignup').endswith('/web/login?oauth_error=1')
    assert land('boom').endswith('/web/login?oauth_error=2')


def test_the_signin_refuses_another_database():
    app, _env = make_app()
    state = json.dumps({'d': 'other', 'p': 1})
    app.get('/auth_oauth/signin', {'state': state}, status=400)
    # no state: the handler's KeyError (a 500), as in Odoo
    with pytest.raises(KeyError):
        app.get('/auth_oauth/signin?access_token=x')


def test_odoo_account_calls_the_decorated_signin():
    app, env = make_app()
    # oea calls self.signin(**kw), the decorated method, with its state
    response = app.get('/auth_oauth/oea?db=db', status=303)
    assert response.location.endswith('/web/login?oauth_error=3')
    response = app.get('/auth_oauth/oea?access_token=T-ADMIN', status=303)
    assert response.location == 'http://localhost/odoo'
    assert env['res.users'].calls[-1][2] == {'no_user_creation': True}
    app.get('/auth_oauth/oea?db=other&access_token=T-ADMIN', status=400)
    app, _env = make_app(odoo_account=False)
    response = app.get('/auth_oauth/oea?access_token=T-ADMIN', status=303)
    assert response.location == 'http://localhost/web?db=db'
