"""tgapp-resetpassword 0.2.7, ported (tests/ports/tgapp_resetpassword.py):
the behaviour of its ``tests/test_controller.py``."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPNotFound
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.ports import tgext_mailer
from tests.ports.tgapp_resetpassword import plugme, token_serializer
from tests.ports.tgext_crud import MemoryProvider

SECRET = 's3cret'


@dataclass
class User:
    email_address: str
    user_name: str
    display_name: str
    password: str
    user_id: int | None = None

    fields = ('email_address', 'user_name', 'display_name', 'password')


def not_found(request):
    return HTTPNotFound()


def make_app(setup=None, **options):
    provider = MemoryProvider(User, 'user_id')
    config = Configurator(
        settings={
            'session.secret': SECRET,
            'resetpassword.email_sender': 'site@example.com',
        }
    )
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory(SECRET))
    config.add_notfound_view(not_found, append_slash=True)
    config.add_route('home', '/')
    config.add_view(
        lambda request: 'HELLO', route_name='home', renderer='string'
    )
    tgext_mailer.plugme(config, debugmailer='dummy')

    def keep(request):
        request.registry.last_mailer = tgext_mailer.get_mailer(request)

    config.register_hook('request_finished', keep)
    plugme(config, provider=provider, user_model=User, **options)
    if setup is not None:
        setup(config)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    return app, provider


def add_user(provider, password='eh'):
    return provider.create(
        User,
        {
            'email_address': 'email@email.it',
            'user_name': 'test',
            'display_name': 'Test',
            'password': password,
        },
    )


def reset_form(app):
    return app.get('/resetpassword/').json


def test_form():
    app, _ = make_app()
    # a controller route is not the prefix itself: /resetpassword
    # redirects (append_slash) where TurboGears served it
    assert app.get('/resetpassword', status=307).location.endswith(
        '/resetpassword/'
    )
    form = reset_form(app)
    assert form['form'] == ['email_address']
    assert form['action'] == '/resetpassword/reset_request'


def test_validation():
    app, _ = make_app()
    token = reset_form(app)['csrf_token']
    page = app.post(
        '/resetpassword/reset_request',
        {'email_address': 'email@email.it', 'csrf_token': token},
    ).json
    assert page['errors'] == {'email_address': 'User not found'}
    page = app.post(
        '/resetpassword/reset_request',
        {'email_address': '', 'csrf_token': token},
    ).json
    assert page['errors'] == {'email_address': 'Enter a value'}


def test_fake_url():
    app, _ = make_app()
    reply = app.get('/resetpassword/change_password', status=302)
    assert reply.location == 'http://localhost/resetpassword/'
    assert reply.follow().json['flash'] == ['Invalid password reset request']
    # a forged token: the original lets BadSignature raise (a 500)
    reply = app.get('/resetpassword/change_password?data=forged', status=302)
    assert reply.follow().json['flash'] == ['Invalid password reset request']


def test_reset_request_and_change():
    seen = []

    def setup(config):
        config.register_hook(
            'resetpassword.on_begin_reset_request',
            lambda value: {**value, 'redirect_to': '/welcome'},
        )
        config.register_hook(
            'resetpassword.on_request',
            lambda user, email_data, link: seen.append((user.user_name, link)),
        )

    app, provider = make_app(setup)
    user = add_user(provider)
    token = reset_form(app)['csrf_token']
    reply = app.post(
        '/resetpassword/reset_request',
        {'email_address': 'email@email.it', 'csrf_token': token},
        status=302,
    )
    assert reply.location == 'http://localhost/resetpassword/'
    (mail,) = app.app.registry.last_mailer.outbox  # this request's
    assert reply.follow().json['flash'] == ['Password reset request sent']
    url = re.search(r'http://\S+', mail.body)[0]
    assert url.startswith(
        'http://localhost/resetpassword/change_password?data='
    )
    assert seen == [('test', url)]

    page = app.get(url).json
    assert page['action'] == '/resetpassword/save_password'
    data = page['form_data']['data']

    # NewPasswordForm's error handler is change_password, given the data
    again = app.post(
        '/resetpassword/save_password',
        {
            'data': data,
            'password': 'alfa',
            'password_confirm': 'beta',
            'csrf_token': token,
        },
    ).json
    assert again['errors'] == {'password_confirm': 'Fields do not match'}
    assert again['form_data'] == {'data': data}

    reply = app.post(
        '/resetpassword/save_password',
        {
            'data': data,
            'password': 'alfa',
            'password_confirm': 'alfa',
            'csrf_token': token,
        },
        status=302,
    )
    assert reply.location == 'http://localhost/welcome'
    assert user.password == 'alfa'


def test_the_link_with_a_trailing_slash():
    # object dispatch ignores it: the original's links and tests have it
    app, provider = make_app()
    add_user(provider)
    data = (
        token_serializer(SECRET)
        .dumps(
            {
                'request_date': datetime.utcnow().strftime('%m/%d/%Y %H:%M'),
                'email_address': 'email@email.it',
                'password_frag': 'eh',
                'redirect_to': '/',
            }
        )
        .decode('ascii')
    )
    page = app.get('/resetpassword/change_password/?data=' + data).json
    assert page['form_data'] == {'data': data}


def request_with(app, **changes):
    values = {
        'request_date': datetime.utcnow().strftime('%m/%d/%Y %H:%M'),
        'email_address': 'email@email.it',
        'password_frag': 'eh',
        'redirect_to': '/',
        **changes,
    }
    data = token_serializer(SECRET).dumps(values).decode('ascii')
    token = reset_form(app)['csrf_token']
    return app.post(
        '/resetpassword/save_password',
        {
            'data': data,
            'password': 'alfa',
            'password_confirm': 'alfa',
            'csrf_token': token,
        },
        status=302,
    )


def test_old_request():
    app, provider = make_app()
    user = add_user(provider)
    old = (datetime.utcnow() - timedelta(days=3 * 365)).strftime(
        '%m/%d/%Y %H:%M'
    )
    reply = request_with(app, request_date=old)
    assert reply.location == 'http://localhost/resetpassword/'
    assert reply.follow().json['flash'] == ['Password reset request timed out']
    assert user.password == 'eh'


def test_bad_frag_password():
    app, provider = make_app()
    user = add_user(provider)
    reply = request_with(app, password_frag='ops')
    assert reply.location == 'http://localhost/resetpassword/'
    assert reply.follow().json['flash'] == ['Invalid password reset request']
    assert user.password == 'eh'
