"""Registrations and settings that could never take effect, or that the
add-on cannot interpret safely, are refused at startup, naming the
offender and the fix ("Loud, never silent"; "Fail closed")."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

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
