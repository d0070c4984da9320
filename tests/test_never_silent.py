"""Registrations and settings that could never take effect, or that the
add-on cannot interpret safely, are refused at startup, naming the
offender and the fix ("Loud, never silent"; "Fail closed")."""

import json
import sqlite3

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.trace import tracing_enabled


def page(request):
    return Response('page')


def app_with(settings, *includes):
    config = Configurator(settings=settings)
    for include in includes:
        config.include(include)
    config.add_route('page', '/page')
    config.add_view(page, route_name='page')
    return config


# -- the trace include and hooks.trace = false ------------------------------


@pytest.mark.parametrize('word', ['false', 'off', '0', False])
def test_the_trace_include_with_hooks_trace_false_is_refused(word):
    """The include turned tracing on, silently over the setting."""
    with pytest.raises(ConfigurationError) as info:
        app_with({'hooks.trace': word}, 'pyramid_hooks.trace')
    message = str(info.value)
    assert "config.include('pyramid_hooks.trace') turns tracing on" in message
    assert 'the setting hooks.trace is false' in message
    assert 'leave hooks.trace out' in message


def test_pyramid_includes_with_hooks_trace_false_is_refused():
    settings = {
        'pyramid.includes': 'pyramid_hooks.trace',
        'hooks.trace': 'false',
    }
    with pytest.raises(ConfigurationError, match=r'hooks\.trace is false'):
        Configurator(settings=settings)


def test_the_trace_include_after_pyramid_hooks_with_hooks_trace_false():
    with pytest.raises(ConfigurationError, match=r'hooks\.trace is false'):
        app_with({'hooks.trace': 'no'}, 'pyramid_hooks', 'pyramid_hooks.trace')


@pytest.mark.parametrize('settings', [{}, {'hooks.trace': 'true'}])
def test_the_trace_include_with_hooks_trace_absent_or_true(settings):
    config = app_with(settings, 'pyramid_hooks.trace')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/page').text == 'page'
    assert tracing_enabled(config.registry)


def test_hooks_trace_false_alone_traces_nothing():
    config = app_with({'hooks.trace': 'false'}, 'pyramid_hooks')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/page').text == 'page'
    assert not tracing_enabled(config.registry)


def test_the_toolbar_panel_with_hooks_trace_false_is_refused():
    """The panel turns tracing on too, named in the toolbar's own includes
    or included by the application."""
    settings = {
        'hooks.trace': 'false',
        'debugtoolbar.includes': 'pyramid_hooks.trace.toolbar',
    }
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as info:
        config.include('pyramid_debugtoolbar')
        config.make_wsgi_app()
    assert 'pyramid_hooks.trace.toolbar turns tracing on' in str(info.value)
    config = Configurator(settings={'hooks.trace': 'false'})
    with pytest.raises(ConfigurationError) as info:
        config.include('pyramid_hooks.trace.toolbar')
    assert 'pyramid_hooks.trace.toolbar turns tracing on' in str(info.value)


# -- hooks.on.<hook> spelt as a known hook but for case, "-" or "_" ----------

SEEN = []


def seen(request):
    SEEN.append(request.path)


def sent(request):  # pragma: no cover - never notified
    pass


@pytest.mark.parametrize(
    'key, meant',
    [
        ('hooks.on.New_Request', 'new_request'),
        ('hooks.on.NEW_REQUEST', 'new_request'),
        ('hooks.on.new-request', 'new_request'),
        ('hooks.on.Context-Found', 'context_found'),
    ],
)
def test_a_builtin_hook_spelt_otherwise_in_the_settings_is_refused(key, meant):
    """PasteDeploy keeps the case of ini keys: the listener of
    ``hooks.on.New_Request`` was never called, with a warning only."""
    config = app_with({key: f'{__name__}.seen'}, 'pyramid_hooks')
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    message = str(info.value)
    assert f'Listener {__name__}.seen registered at setting {key} ' in message
    assert f"differs from the hook '{meant}' only in case" in message
    assert f"spell it '{meant}' (in the settings: hooks.on.{meant})" in message


def test_a_declared_hook_spelt_otherwise_in_a_namespace_is_refused():
    config = app_with(
        {'hooks.on.mailer.Sent': f'{__name__}.sent'}, 'pyramid_hooks'
    )
    config.add_hook_namespace('mailer', strict=False)
    config.add_hook('sent', args=('request',), namespace='mailer')
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    message = str(info.value)
    assert (
        "for the hook 'mailer:Sent', which differs from the hook 'sent'"
        in (message)
    )
    assert '(in the settings: hooks.on.mailer.sent)' in message


def test_a_builtin_hook_spelt_otherwise_in_code_is_refused():
    config = app_with({}, 'pyramid_hooks')
    config.register_hook('Before_Render', seen)
    with pytest.raises(ConfigurationError) as info:
        config.make_wsgi_app()
    assert 'test_never_silent.py:' in str(info.value)
    assert "spell it 'before_render'" in str(info.value)


def test_custom_and_unregistered_names_stay_allowed():
    """A new name is the non-strict namespace's contract; a listener of a
    mis-spelt name removed again can never run, nothing to refuse."""
    config = app_with(
        {'hooks.on.page_seen': f'{__name__}.seen'}, 'pyramid_hooks'
    )
    config.register_hook('New_Request', seen)
    config.unregister_hook('New_Request', seen)
    config.register_hook('new_request', seen)
    app = TestApp(config.make_wsgi_app())
    SEEN.clear()
    assert app.get('/page').text == 'page'
    assert SEEN == ['/page']


# -- hooks.controllers.expose_errors with Python's own classes ----------------


class OrderError(Exception):
    pass


class Orders(Controller):
    @route('/rpc', type='json', auth='public')
    def confirm(self, kind):
        if kind == 'own':
            raise OrderError('The order is already confirmed')
        raise ValueError('could not open /srv/app/secret.db')


def rpc(settings):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.add_controller(Orders)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    'value, name',
    [
        ('builtins.Exception', 'builtins.Exception'),
        ('builtins.BaseException', 'builtins.BaseException'),
        ('builtins.ValueError', 'builtins.ValueError'),
        ('builtins.KeyError', 'builtins.KeyError'),
        ('builtins.OSError', 'builtins.OSError'),
        (
            f'{__name__}.OrderError builtins.LookupError',
            'builtins.LookupError',
        ),
        (sqlite3.OperationalError, 'sqlite3.OperationalError'),
        ('json.JSONDecodeError', 'json.decoder.JSONDecodeError'),
    ],
)
def test_expose_errors_refuses_pythons_own_classes(value, name):
    """``expose_errors = Exception`` showed every exception's message (a
    library's path, SQL, a password in a URL) to every client."""
    with pytest.raises(ConfigurationError) as info:
        rpc({'hooks.controllers.expose_errors': value})
    message = str(info.value)
    assert message.startswith(
        f'hooks.controllers.expose_errors: {name} is an exception class of '
        "Python's own"
    )
    assert "list the application's own exception classes" in message


def test_expose_errors_of_the_applications_own_classes():
    app = rpc({'hooks.controllers.expose_errors': f'{__name__}.OrderError'})

    def call(kind):
        body = {'jsonrpc': '2.0', 'id': 1, 'method': 'x', 'params': {}}
        body['params']['kind'] = kind
        return app.post(
            '/rpc', json.dumps(body), content_type='application/json'
        ).json['error']

    assert call('own')['data'] == {
        'name': f'{__name__}.OrderError',
        'message': 'The order is already confirmed',
    }
    assert call('library') == {'code': -32603, 'message': 'Internal error'}
