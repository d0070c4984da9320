"""tgext.mailer 0.3.0, ported (tests/ports/tgext_mailer.py): a mailer per
request from an application wrapper, the application's mailer set up by a
``before_wsgi_middlewares`` listener."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.scripting import prepare
from webtest import TestApp

import pyramid_hooks
from tests.ports.tgext_mailer import (
    DebugMailer,
    DummyMailer,
    Mailer,
    Message,
    get_mailer,
    plugme,
)


def send_welcome(request):
    mailer = get_mailer(request)
    mailer.send(
        Message(
            subject='Welcome',
            sender='shop@example.com',
            recipients=[request.params['to']],
            body='Hello!',
        )
    )
    sent = [m.recipients for m in getattr(mailer, 'outbox', ())]
    return {'mailer': type(mailer).__name__, 'outbox': sent}


def make_config(settings=None, **options):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    plugme(config, **options)
    config.add_route('welcome', '/welcome')
    config.add_view(send_welcome, route_name='welcome', renderer='json')
    return config


def test_each_request_gets_its_own_dummy_mailer():
    config = make_config(debugmailer='dummy')
    app = pyramid_hooks.make_wsgi_app(config)
    testapp = TestApp(app)
    first = testapp.get('/welcome', {'to': 'ann@example.com'}).json
    second = testapp.get('/welcome', {'to': 'bob@example.com'}).json
    assert first['mailer'] == second['mailer'] == 'DummyMailer'
    # each request's mailer holds that request's message only (an id()
    # would not tell: the first mailer is freed, its address reused)
    assert first['outbox'] == [['ann@example.com']]
    assert second['outbox'] == [['bob@example.com']]
    assert isinstance(app.registry._mailer, DummyMailer)


def test_application_mailer_outside_a_request():
    config = make_config({'mail.debugmailer': 'dummy'})
    app = pyramid_hooks.make_wsgi_app(config)
    env = prepare(registry=app.registry)
    try:
        mailer = get_mailer(None)
        mailer.send_to_queue(Message(subject='Report'))
    finally:
        env['closer']()
    assert [m.subject for m in mailer.queue] == ['Report']


def test_standard_mailer_from_settings():
    settings = {
        'mail.host': 'smtp.example.com',
        'mail.port': '2525',
        'mail.default_sender': 'noreply@example.com',
    }
    config = make_config(settings)
    app = pyramid_hooks.make_wsgi_app(config)
    TestApp(app).get('/welcome', {'to': 'ann@example.com'})
    mailer = app.registry._mailer
    assert isinstance(mailer, Mailer)
    assert (mailer.host, mailer.port) == ('smtp.example.com', 2525)


def test_debug_mailer_writes_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = make_config({'mail.debugmailer': 'true'})
    app = pyramid_hooks.make_wsgi_app(config)
    reply = TestApp(app).get('/welcome', {'to': 'ann@example.com'})
    assert reply.json['mailer'] == DebugMailer.__name__
    (written,) = (tmp_path / 'mail').iterdir()
    assert 'Subject: Welcome' in written.read_text()


def test_plain_make_wsgi_app_never_drops_the_set_up_silently():
    """Made with Pyramid's ``config.make_wsgi_app()``, the app refuses to
    start, naming the ``before_wsgi_middlewares`` listener and the fix,
    instead of an AttributeError on every request."""
    config = make_config(debugmailer='dummy')
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    assert 'before_wsgi_middlewares' in str(raised.value)
    assert 'pyramid_hooks.make_wsgi_app(config)' in str(raised.value)
