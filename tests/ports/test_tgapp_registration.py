"""tgapp-registration 0.9.6, ported (tests/ports/tgapp_registration.py),
over a dict-backed DAL and the tgext.mailer port's dummy mailer."""

from dataclasses import dataclass

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks
from tests.controllers_pkg.support import HeaderSecurityPolicy
from tests.ports import tgext_mailer
from tests.ports.tgapp_registration import (
    DalIntegrityError,
    Registration,
    plugme,
)


@dataclass
class User:
    user_name: str
    display_name: str
    email_address: str
    password: str
    user_id: int | None = None


class DictRegistration:
    """The DAL interface (``IRegistration``) over dicts."""

    def __init__(self):
        self.registrations = {}
        self.users = {}

    def clear_expired(self):
        pass

    def pending_activation(self):
        return [r for r in self.registrations.values() if not r.activated]

    def new(self, **kw):
        reg = Registration(
            kw['user_name'],
            kw['email_address'],
            kw['password'],
            Registration.generate_code(kw['email_address']),
        )
        self.registrations[reg.code] = reg
        return reg

    def by_email(self, email):
        for reg in self.registrations.values():
            if reg.email_address == email:
                return reg
        return None

    def get_inactive(self, code):
        reg = self.registrations.get(code)
        return reg if reg is not None and not reg.activated else None

    def make_user(self, **kw):
        return User(**kw)

    def out_of_uow_flush(self, user):
        if user.user_name in self.users:
            raise DalIntegrityError(user.user_name)
        user.user_id = len(self.users) + 1
        self.users[user.user_name] = user
        return user

    def get_user_by_email(self, email_address):
        for user in self.users.values():
            if user.email_address == email_address:
                return user
        return None

    def get_user_by_user_name(self, user_name):
        return self.users.get(user_name)


FORM = {
    'user_name': 'ann',
    'email_address': 'ann@example.com',
    'password': 'pw',
    'password_confirm': 'pw',
}


def make_app(setup=None, **options):
    config = Configurator(
        settings={'registration.email_sender': 'site@example.com'}
    )
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('s3cret'))
    config.set_security_policy(HeaderSecurityPolicy())
    tgext_mailer.plugme(config, debugmailer='dummy')
    plugme(config, dal=DictRegistration, **options)
    if setup is not None:
        setup(config)
    app = pyramid_hooks.make_wsgi_app(config)
    return TestApp(app), app.registry


def keep_mailer(config):
    """Keep the last request's mailer (one per request) on the registry."""

    def keep(request):
        request.registry.last_mailer = tgext_mailer.get_mailer(request)

    config.register_hook('request_finished', keep)


def test_form_and_hook_before_it():
    seen = []

    def setup(config):
        config.register_hook(
            'before_registration_form', seen.append, namespace='registration'
        )

    app, _ = make_app(setup)
    page = app.get('/registration', {'user_name': 'ann'}).json
    assert page['form'] == list(FORM)
    assert page['value'] == {'user_name': 'ann'}
    assert page['action'] == '/registration/submit'
    assert seen == [{'user_name': 'ann'}]


def test_register_complete_activate():
    events = []

    def setup(config):
        keep_mailer(config)
        for hook in ('after_registration', 'after_activation'):
            config.register_hook(
                hook,
                lambda reg, other, hook=hook: events.append(
                    (hook, reg.user_name)
                ),
                namespace='registration',
            )

    app, registry = make_app(setup, mail_subject='Welcome aboard')
    reply = app.post('/registration/submit', FORM, status=302)
    assert reply.location.endswith(
        '/registration/complete?email=ann%40example.com'
    )
    done = reply.follow().json
    assert done['email'] == 'ann@example.com'
    assert done['email_data']['subject'] == 'Welcome aboard'
    (mail,) = app.app.registry.last_mailer.outbox
    assert mail.recipients == ['ann@example.com']
    assert mail.sender == 'site@example.com'
    link = done['email_data']['body'].split()[-1]
    assert link.startswith('http://localhost/registration/activate?code=')
    assert link in mail.body

    activated = app.get(link, status=302)
    assert activated.location == 'http://localhost/'
    dal = registry.settings['registration_dal']
    assert dal.users['ann'].email_address == 'ann@example.com'
    assert events == [
        ('after_registration', 'ann'),
        ('after_activation', 'ann'),
    ]
    again = app.get(link, status=302)
    assert again.location.endswith('/registration')


def test_on_complete_listener_customizes_the_mail():
    def on_complete(registration, email_data):
        email_data['subject'] = f'Hi {registration.user_name}'
        email_data['body'] = 'Activate: %(activation_link)s'

    def setup(config):
        keep_mailer(config)
        config.register_hook(
            'on_complete', on_complete, namespace='registration'
        )

    app, _ = make_app(setup)
    app.post('/registration/submit', FORM).follow()
    (mail,) = app.app.registry.last_mailer.outbox
    assert mail.subject == 'Hi ann'
    assert mail.body.startswith('Activate: http://localhost/registration/')


def test_invalid_submission_shows_the_form_again():
    """``error_handler=index`` from the class body (issue 21, item 7)."""
    app, registry = make_app()
    bad = dict(FORM, email_address='nope', password_confirm='other')
    page = app.post('/registration/submit', bad).json
    assert page['errors'] == {
        'email_address': 'An email address must contain an @',
        'password_confirm': 'Passwords do not match',
    }
    assert page['action'] == '/registration/submit'
    assert registry.settings['registration_dal'].registrations == {}


def test_admin_needs_the_permission():
    app, _ = make_app()
    app.post('/registration/submit', FORM)
    app.get('/registration/admin', status=403)
    listed = app.get('/registration/admin', headers={'X-User': 'admin'})
    assert [r['user_name'] for r in listed.json['registrations']] == ['ann']


def test_dotted_hook_name_is_not_silently_ignored():
    """``register_hook('registration.on_complete', f)``, TurboGears'
    spelling, would never run once the ``registration`` namespace is
    declared: the app refuses to start, naming ``namespace=``."""

    def setup(config):
        config.register_hook(
            'registration.on_complete', lambda reg, data: None
        )

    with pytest.raises(ConfigurationError) as raised:
        make_app(setup)
    assert "namespace='registration'" in str(raised.value)
