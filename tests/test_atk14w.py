"""The fourteenth attacker pass on widgets, wrappers, hooks, the trace,
settings and scripts (atk14w), attacked from outside."""

import html
from collections import ChainMap, OrderedDict, defaultdict

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Invalid
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)

# -- render-call listeners scoped to views that have no renderer ------------


class Clock(ServerSideCallbackMixin):
    callback_authorization = staticmethod(always_allow)

    @serverside_callback
    def now(self, request):
        return Response('now')

    @serverside_callback(renderer='json')
    def data(self, request):
        return {'now': 1}


def page(request):
    return Response('page')


def data(request):
    return {'data': 1}


def timed(request, renderer_name, values, *response):
    request.environ.setdefault('timed', []).append(renderer_name)


def render_call_app(hook, **scope):
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook(hook, timed, **scope)
    config.add_widget(Clock(id='clock'))
    config.add_route('page', '/page')
    config.add_view(page, route_name='page')
    config.add_route('data', '/data')
    config.add_view(data, route_name='data', renderer='json')
    return TestApp(config.make_wsgi_app())


UNRENDERED = {
    'callback': {'view': Clock.now},
    'view': {'view': page},
    'route': {'route_name': 'page'},
}


@pytest.mark.parametrize('hook', ['before_render_call', 'after_render_call'])
@pytest.mark.parametrize('scope', UNRENDERED.values(), ids=UNRENDERED)
def test_a_render_call_listener_scoped_to_unrendered_views_is_refused(
    hook, scope
):
    """A render-call listener scoped to views none of which has a renderer
    was accepted, and never ran: they run only around a renderer call."""
    with pytest.raises(ConfigurationError) as raised:
        render_call_app(hook, **scope)
    message = str(raised.value)
    assert 'tests.test_atk14w.timed' in message
    assert 'no view with that scope has a renderer' in message
    assert f'scoped with {next(iter(scope))}=' in message


RENDERED = {
    'callback': ({'view': Clock.data}, '/_widgets/clock/data'),
    'view': ({'view': data}, '/data'),
    'route': ({'route_name': 'data'}, '/data'),
}


@pytest.mark.parametrize('scope, path', RENDERED.values(), ids=RENDERED)
def test_a_render_call_listener_scoped_to_rendered_views_runs(scope, path):
    app = render_call_app('before_render_call', **scope)
    response = app.get(path)
    assert response.request.environ['timed'] == ['json']


# -- generator functions whose result is read: never a decision ---------------


def yielding_handler(callback, request):
    yield Response()


def yielding_validator(request, params):
    yield params


class Yielding(ServerSideCallbackMixin):
    @serverside_callback
    def now(self, request):
        return Response('now')


AUTHORIZATIONS = {
    'the widget handler': lambda config: config.add_widget(
        Yielding(id='y', callback_authorization=yielding_handler)
    ),
    'the global handler': lambda config: (
        config.set_callback_authorization(yielding_handler),
        config.add_widget(Yielding(id='y')),
    ),
}


@pytest.mark.parametrize('setup', AUTHORIZATIONS.values(), ids=AUTHORIZATIONS)
def test_a_generator_authorization_handler_is_refused_at_startup(setup):
    """A generator function as authorization handler returned a generator,
    never a response: accepted at startup, every call was a 500."""
    config = Configurator()
    config.include('pyramid_hooks')
    setup(config)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'tests.test_atk14w.yielding_handler' in message
    assert 'generator function' in message


def test_a_generator_validator_is_refused_at_startup():
    """A generator function as ``validate=`` returned a generator, never the
    parameters: accepted at startup, every request was a 500."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('data', '/data')
    config.add_view(
        data, route_name='data', renderer='json', validate=yielding_validator
    )
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'tests.test_atk14w.yielding_validator' in message
    assert 'generator function' in message


# -- the 400 page of nested errors ------------------------------------------


def nested_errors_app(errors):
    def validate(request, params):
        raise Invalid(errors)

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('data', '/data')
    config.add_view(
        data, route_name='data', renderer='json', validate=validate
    )
    return TestApp(config.make_wsgi_app())


def accumulated():
    errors = defaultdict(list)
    errors['zip'].append('missing')
    return errors


NESTED = {
    'defaultdict': {'address': accumulated()},
    'OrderedDict': {'address': OrderedDict(zip='missing')},
    'ChainMap in a list': [ChainMap({'zip': 'missing'})],
}


@pytest.mark.parametrize('accept', ['text/html', 'text/plain'])
@pytest.mark.parametrize('errors', NESTED.values(), ids=NESTED)
def test_the_400_page_shows_no_class_name_of_nested_errors(errors, accept):
    """A mapping nested in the errors was written with its str(): the
    client read ``defaultdict(<class 'list'>, ...)`` or
    ``OrderedDict([...])``, the classes of the application's code."""
    response = nested_errors_app(errors).get(
        '/data', headers={'Accept': accept}, status=400
    )
    text = html.unescape(response.text)
    assert "{'zip': " in text
    for name in ('defaultdict', 'OrderedDict', 'ChainMap', 'class'):
        assert name not in text


# -- a hook declared with one argument name twice ---------------------------


def test_a_hook_declared_with_an_argument_name_twice_is_refused():
    """``args=('request', 'request')`` (a typo for ``'response'``) was
    accepted: Python refuses ``def f(request, request)``, and phooks showed
    the hook so."""
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as raised:
        config.add_hook('sent', args=('request', 'request'))
    assert str(raised.value) == (
        "add_hook 'sent': args must be argument names, each once, got "
        "'request'"
    )
