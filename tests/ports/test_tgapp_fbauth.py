"""tgapp-fbauth 0.3.4, ported (tests/ports/tgapp_fbauth.py): the
behaviour of its controller, Facebook's Graph API faked."""

import io
import json

from pyramid.authentication import AuthTktCookieHelper
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgapp_fbauth import login_url, plugme


class CookiePolicy:
    """repoze.who's auth_tkt identifier: the user name in a cookie."""

    def __init__(self):
        self.helper = AuthTktCookieHelper('s3cret', hashalg='sha512')

    def identity(self, request):
        found = self.helper.identify(request)
        return found and found['userid']

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        return True

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request)


FACEBOOK = {
    'good': {'id': '1001', 'name': 'Mario Rossi', 'email': 'mario@x.it'},
    'other': {'id': '1002', 'username': 'luigi'},
}


def urlopen(url):
    """The Graph API: an answer per token, garbage for the others."""
    token = url.rsplit('=', 1)[-1]
    answer = FACEBOOK.get(token)
    return io.BytesIO(json.dumps(answer).encode() if answer else b'<html>')


def make_app(setup=None):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(CookiePolicy())
    config.add_route('flashes', '/flashes')
    config.add_view(
        lambda request: {
            'error': request.session.pop_flash('error'),
            'user': request.identity,
        },
        route_name='flashes',
        renderer='json',
    )
    if setup is not None:
        setup(config)
    plugme(config, urlopen=urlopen)
    return TestApp(pyramid_hooks.make_wsgi_app(config))


def flashes(app):
    return app.get('/flashes').json


def test_register_creates_the_user_and_logs_in():
    seen = []

    def setup(config):
        def on_registration(answer, user_dict):
            seen.append(answer['id'])
            user_dict['display_name'] = user_dict['display_name'].upper()

        config.register_hook('fbauth.on_registration', on_registration)

    app = make_app(setup)
    resp = app.get(
        '/fbauth/register',
        {'token': 'good', 'expiry': '3600', 'came_from': '/home'},
    )
    assert resp.location == 'http://localhost/post_login?came_from=%2Fhome'
    assert 'auth_tkt=' in resp.headers['Set-Cookie']
    assert flashes(app)['user'] == 'fb:1001'
    assert seen == ['1001']
    store = app.app.registry.settings['_fbauth']['store']
    assert store.users['fb:1001'].display_name == 'MARIO ROSSI'
    assert store.fbauth['1001'].registered


def test_register_twice_logs_in():
    app = make_app()
    app.get('/fbauth/register', {'token': 'good', 'expiry': '3600'})
    app.reset()
    resp = app.get('/fbauth/register', {'token': 'good', 'expiry': '3600'})
    assert 'auth_tkt=' in resp.headers['Set-Cookie']


def test_login():
    logins = []

    def setup(config):
        config.register_hook(
            'fbauth.on_login', lambda answer, fb_user: logins.append(answer)
        )

    app = make_app(setup)
    app.get('/fbauth/register', {'token': 'good', 'expiry': '3600'})
    app.reset()
    assert flashes(app)['user'] is None
    resp = app.get('/fbauth/login', {'token': 'good', 'expiry': '3600'})
    # as the original: add_param_to_query_string writes None
    assert resp.location == 'http://localhost/post_login?came_from=None'
    assert flashes(app)['user'] == 'fb:1001'
    assert logins == [FACEBOOK['good']]
    # logged in already: no new cookie
    resp = app.get('/fbauth/login', {'token': 'good', 'expiry': '3600'})
    assert 'Set-Cookie' not in resp.headers


def test_login_unknown_user():
    app = make_app()
    resp = app.get(
        '/fbauth/login',
        {'token': 'other', 'expiry': '3600'},
        headers={'Referer': 'http://localhost/from'},
    )
    assert resp.location == 'http://localhost/from'
    assert flashes(app) == {
        'error': ['Unable to find an user for the specified facebook token'],
        'user': None,
    }


def test_bad_tokens():
    app = make_app()
    resp = app.get('/fbauth/login', {'token': ' ', 'expiry': '3600'})
    assert resp.location == 'http://localhost/post_logout'
    assert flashes(app)['error'] == ['Missing facebook token']
    app.get('/fbauth/login', {'token': 'good', 'expiry': '2'})
    assert flashes(app)['error'] == ['Invalid Expiry Time for facebook token']
    app.get('/fbauth/login', {'token': 'broken', 'expiry': '3600'})
    assert flashes(app)['error'] == [
        'Fatal error while trying to contact Facebook'
    ]
    app.get('/fbauth/login', {'expiry': '3600'}, status=400)


def test_connect_needs_a_user():
    app = make_app()
    app.get('/fbauth/connect', {'token': 'good', 'expiry': '3600'}, status=403)


def test_connect():
    app = make_app()
    app.get('/fbauth/register', {'token': 'good', 'expiry': '3600'})
    resp = app.get('/fbauth/connect', {'token': 'other', 'expiry': '3600'})
    assert resp.location == 'http://localhost/post_login'
    store = app.app.registry.settings['_fbauth']['store']
    assert store.fbauth['1002'].user.user_name == 'fb:1001'
    assert not store.fbauth['1002'].registered
    resp = app.get(
        '/fbauth/connect',
        {'token': 'good', 'expiry': '3600', 'came_from': '/profile'},
    )
    assert resp.location == 'http://localhost/profile'
    assert flashes(app)['error'] == [
        'An user for this facebook token is already registered'
    ]


def test_button_urls():
    app = make_app()
    request = app.app.request_factory.blank('/')
    request.registry = app.app.registry
    assert login_url(request) == '/fbauth/login'
    assert login_url(request, 'register') == '/fbauth/register'
