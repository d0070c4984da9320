"""tgapp-userprofile 0.3.6, ported (tests/ports/tgapp_userprofile.py):
the behaviour of its ``tests/test_controller.py``."""

from dataclasses import dataclass

from pyramid.config import Configurator
from pyramid.security import Allowed
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports import tgext_mailer
from tests.ports.tgapp_resetpassword import token_serializer
from tests.ports.tgapp_userprofile import ProfileActivation, plugme
from tests.ports.tgext_crud import MemoryProvider

ENV = {'HTTP_X_USER': 'pippo'}


@dataclass
class User:
    user_name: str
    display_name: str
    email_address: str
    password: str
    user_id: int | None = None

    fields = ('user_name', 'display_name', 'email_address', 'password')


class UserPolicy:
    """``request.identity`` is the user the ``X-User`` header names."""

    def __init__(self, provider):
        self.provider = provider

    def identity(self, request):
        name = request.headers.get('X-User')
        _, found = self.provider.query(User, filters={'user_name': name})
        return found[0] if found else None

    def authenticated_userid(self, request):
        user = request.identity
        return user and user.user_name

    def permits(self, request, context, permission):
        return Allowed('ok')


def make_app(mailer_first=True):
    provider = MemoryProvider(User, 'user_id')
    provider.create(
        User,
        {
            'user_name': 'pippo',
            'display_name': 'Pippo Plutonico',
            'email_address': 'pippo@tg.2',
            'password': 'bella',
        },
    )
    config = Configurator(
        settings={
            'session.secret': 's3cret',
            'mail.debugmailer': 'dummy',
            'userprofile.email_sender': 'noreply@tg.2',
            'resetpassword.email_sender': 'noreply@tg.2',
        }
    )
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(UserPolicy(provider))
    config.add_route('home', '/')
    config.add_view(
        lambda request: 'HELLO', route_name='home', renderer='string'
    )
    if mailer_first:
        config.include('tests.ports.tgext_mailer')

    def keep(request):
        request.registry.last_mailer = tgext_mailer.get_mailer(request)

    config.register_hook('request_finished', keep)
    plugme(config, provider=provider, user_model=User)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    return app, provider


def user(provider):
    return provider.query(User, filters={'user_name': 'pippo'})[1][0]


def test_app_index():
    app, _ = make_app()
    assert 'HELLO' in app.get('/').text


def test_index_anon():
    app, _ = make_app()
    app.get('/userprofile', status=403)  # TurboGears: 401


def test_index():
    app, _ = make_app()
    for url in ('/userprofile', '/userprofile/'):
        page = app.get(url, extra_environ=ENV).json
        assert page['template'] == 'userprofile:templates/index.kajiki'
        assert page['user_displayname'] == ['Display Name', 'Pippo Plutonico']
        assert page['user_avatar'].startswith('http://www.gravatar.com/')


def test_edit():
    app, _ = make_app()
    page = app.get('/userprofile/edit', extra_environ=ENV).json
    assert page['template'] == 'userprofile:templates/edit.kajiki'
    assert page['user']['display_name'] == 'Pippo Plutonico'
    assert [f['id'] for f in page['form']] == ['display_name', 'email_address']


def test_save():
    app, provider = make_app()
    resp = app.get(
        '/userprofile/save',
        params={
            'nothing': '',
            'display_name': 'Pippo Topoloso',
            'email_address': 'pippo@tg.2',  # same email
        },
        extra_environ=ENV,
        status=302,
    )
    page = resp.follow(extra_environ=ENV).json
    assert page['flash'] == ['Profile successfully updated']
    u = user(provider)
    assert (u.display_name, u.user_name, u.email_address) == (
        'Pippo Topoloso',
        'pippo',
        'pippo@tg.2',
    )
    assert app.app.registry.last_mailer.outbox == []


def test_save_fail_so_test_validation():
    """``override_template`` -> ``request.override_renderer``: the edit
    page, with what was sent and the errors."""
    app, provider = make_app()
    page = app.get(
        '/userprofile/save',
        params={'display_name': '', 'email_address': 'pippo@tg.2'},
        extra_environ=ENV,
        status=200,
    ).json
    assert page['template'] == 'userprofile:templates/edit.kajiki'
    assert page['user']['display_name'] == ''
    assert page['errors'] == {'display_name': 'Enter a value'}
    assert user(provider).display_name == 'Pippo Plutonico'


def test_change_email():
    app, provider = make_app()
    resp = app.get(
        '/userprofile/save',
        params={
            'nothing': '',
            'email_address': 'pi@tg.2',
            'display_name': 'Pi PPO',
        },
        extra_environ=ENV,
        status=302,
    )
    (mail,) = app.app.registry.last_mailer.outbox  # the request's mailer
    assert resp.follow(extra_environ=ENV).json['flash'] == [
        'Profile successfully updated.\nConfirm your email please'
    ]
    activations = app.app.registry.settings['_pluggable_userprofile_config'][
        'activations'
    ]
    act = activations.query(ProfileActivation, filters={})[1][0]
    assert act.old_email_address == 'pippo@tg.2'
    assert act.email_address == 'pi@tg.2'
    assert not act.activated
    assert act.activation_code
    assert mail.recipients == ['pi@tg.2']
    link = (
        'http://localhost/userprofile/activate?activation_code='
        + act.activation_code
    )
    assert link in mail.body
    assert user(provider).email_address == 'pippo@tg.2'  # not yet

    app.get(link, status=302)
    assert act.activated
    u = user(provider)
    assert (u.display_name, u.email_address) == ('Pi PPO', 'pi@tg.2')
    app.get(link, status=404)  # used


def test_reset_password_goes_to_resetpassword():
    app, _provider = make_app()
    resp = app.get(
        '/userprofile/reset_password',
        {'redirect_to': '/userprofile'},
        extra_environ=ENV,
        status=302,
    )
    assert resp.location.startswith(
        'http://localhost/resetpassword/change_password?data='
    )
    token = token_serializer('s3cret').loads(resp.location.split('=', 1)[1])
    assert token['email_address'] == 'pippo@tg.2'
    assert token['redirect_to'] == '/userprofile'
    page = resp.follow().json
    assert page['form_data']['data']


def test_mailer_included_once_whoever_includes_it_first():
    """tgext.pluggable's ``plugged()`` check: Pyramid runs an include once
    per configuration."""
    app, _ = make_app(mailer_first=False)
    app.get(
        '/userprofile/save',
        params={'email_address': 'pi@tg.2', 'display_name': 'Pi'},
        extra_environ=ENV,
        status=302,
    )
    assert len(app.app.registry.last_mailer.outbox) == 1
