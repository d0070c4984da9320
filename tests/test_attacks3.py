"""Third attacker pass: widgets, hooks, settings and the trace.  What it
found, and the probes worth locking in, each through a real Pyramid app
(WebTest) or the ``phooks`` command."""

from collections import ChainMap
from collections.abc import Mapping
from types import MappingProxyType

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    Invalid,
    ServerSideCallbackMixin,
    make_wsgi_app,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.scripts import phooks
from tests.test_trace_toolbar import (
    LOOPBACK,
    panel,
    toolbar_first,
    toolbar_page,
)


class Sum(Controller):
    @route('/sum', type='json', auth='none')
    def add(self, a=1):
        return a


# -- 1. a limit setting with thousands of digits names its key -------------


@pytest.mark.parametrize(
    'key',
    [
        'hooks.controllers.max_body',
        'hooks.controllers.max_batch',
        'hooks.controllers.max_depth',
    ],
)
@pytest.mark.parametrize(
    'value',
    ['9' * 5000, ' 9' + '0' * 30, 10**5000],
    ids=['5000 digits', '31 digits', 'an int of 5001 digits'],
)
def test_a_limit_with_too_many_digits_is_refused_naming_the_key(key, value):
    """``int()`` refuses more than 4,300 digits with a ValueError naming
    no setting (and ``repr()`` of such an int fails the same way)."""
    config = Configurator(settings={key: value})
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
    message = str(e.value)
    assert message.startswith(f'{key}: expected a non-negative integer')
    assert len(message) < 200


def test_a_limit_of_thirty_digits_is_a_limit():
    config = Configurator(settings={'hooks.controllers.max_body': '9' * 30})
    config.include('pyramid_hooks')
    config.add_controller(Sum)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'add', 'params': {'a': 2}}
    assert app.post_json('/sum', call).json['result'] == 2


# -- 2. a callback's wrong result is shown cut in its error ------------------


class Leaky(ServerSideCallbackMixin):
    """Its handler and its callback return what the client sent, not a
    response (the client controls the text of the error, and its size)."""

    def callback_authorization(self, callback, request):
        if request.GET.get('in') == 'handler':
            return request.GET['echo']
        return Response(status=200)

    @serverside_callback
    def echo(self, request):
        return {'echo': request.GET['echo']}


@pytest.mark.parametrize('where', ['handler', 'callback'])
def test_a_wrong_result_is_shown_cut_in_the_error(where):
    """The TypeError naming the widget (logged by the server with the
    traceback) shows the result cut to 80 characters, as the validator's
    and the application wrapper's do: a client's 100 kB stays out of it."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Leaky(id='leaky'))
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as e:
        app.get('/_widgets/leaky/echo', {'in': where, 'echo': 'x' * 100_000})
    message = str(e.value)
    assert "widget 'leaky'" in message
    assert 'x' * 60 + '...; ' in message
    assert len(message) < 300


# -- 3. phooks prints no terminal control sequence ---------------------------

#: What a hostile name would do to a terminal: clear it, retitle it.
ESCAPES = '\x1b[2J\x1b]0;owned\x07'


def plugin_listener(request):
    """A listener of an included package, named to drive a terminal."""


plugin_listener.__qualname__ = f'listener{ESCAPES}'


def hostile_main(global_config, **settings):
    """The application of ``hostile.ini``: a package it includes chose
    its hook's, listener's and route's names."""
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    config.register_hook(f'sent{ESCAPES}', plugin_listener)
    config.add_route(f'route{ESCAPES}', f'/r{ESCAPES}')
    config.add_view(lambda request: Response(), route_name=f'route{ESCAPES}')
    return config.make_wsgi_app()


def test_phooks_text_escapes_control_characters(tmp_path, capsys):
    ini = tmp_path / 'hostile.ini'
    ini.write_text('[app:main]\nuse = call:tests.test_attacks3:hostile_main\n')
    assert phooks.main(['phooks', str(ini)]) == 0
    out = capsys.readouterr().out
    assert '\x1b' not in out and '\x07' not in out
    shown = ascii(ESCAPES)[1:-1]  # \x1b[2J\x1b]0;owned\x07
    assert f'  sent{shown}  (not declared)' in out
    assert f'tests.test_attacks3.listener{shown}  (app-wide)' in out
    assert f'route route{shown}  ->  ' in out


# -- 4. a blank hook name in a listener key names the key ------------------


@pytest.mark.parametrize(
    'key', ['hooks.on. ', 'hooks.on.\u00a0', 'hooks.on.mailer.\t']
)
def test_a_blank_hook_name_in_a_listener_key_names_the_key(key):
    config = Configurator(settings={key: 'builtins.print'})
    with pytest.raises(ConfigurationError) as e:
        config.include('pyramid_hooks')
    assert str(e.value).startswith(f'{key}: expected hooks.on.<hook> or ')


# -- 5. the 400 page of any errors mapping shows fields, not a class -------


class FieldErrors(Mapping):
    """A validation library's errors: a mapping, not a dict, with no repr
    of its own."""

    def __init__(self, **errors):
        self._errors = errors

    def __getitem__(self, key):
        return self._errors[key]

    def __iter__(self):
        return iter(self._errors)

    def __len__(self):
        return len(self._errors)


ERRORS_MAPPINGS = {
    'ChainMap': lambda: ChainMap({'age': 'too young'}),
    'mappingproxy': lambda: MappingProxyType({'age': 'too young'}),
    'Mapping class': lambda: FieldErrors(age='too young'),
}


@pytest.mark.parametrize('make', ERRORS_MAPPINGS.values(), ids=ERRORS_MAPPINGS)
@pytest.mark.parametrize('accept', ['text/html', 'text/plain'])
def test_the_400_page_of_an_errors_mapping_shows_its_fields(make, accept):
    def refuse(request, params):
        raise Invalid(make())

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('form', '/form')
    config.add_view(
        lambda request: {}, route_name='form', renderer='json', validate=refuse
    )
    app = TestApp(config.make_wsgi_app())
    response = app.get('/form', headers={'Accept': accept}, status=400)
    assert 'age: too young' in response.text
    for leak in ('ChainMap', 'mappingproxy', 'FieldErrors', ' at 0x'):
        assert leak not in response.text
    json_reply = app.get(
        '/form', headers={'Accept': 'application/json'}, status=400
    )
    assert json_reply.json == {'status': 400, 'errors': {'age': 'too young'}}


# -- 6. a callback's request_method is ASCII letters -------------------------


@pytest.mark.parametrize(
    'method',
    ['G\u00c9T', '\u011eET', '\uff27\uff25\uff34', ['GET', 'P\u00d6ST']],
)
def test_a_non_ascii_request_method_is_refused_at_startup(method):
    """``str.isalpha()`` took ``'GÉT'``: the callback then answered every
    call 405 with ``Allow: GÉT``; a method beyond Latin-1 failed the
    commit with a UnicodeEncodeError naming nothing."""
    with pytest.raises(ConfigurationError) as e:

        class Odd(ServerSideCallbackMixin):
            @serverside_callback(request_method=method)
            def call(self, request):  # pragma: no cover
                return Response('called')

    assert str(e.value).startswith(
        'serverside_callback: request_method must be a method name (ASCII '
        'letters and hyphens)'
    )


def test_a_method_name_in_any_case_is_still_a_method():
    class Plain(ServerSideCallbackMixin):
        @serverside_callback(request_method=['get', 'Post'])
        def call(self, request):
            return Response('called')

    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization('pyramid_hooks.always_allow')
    config.add_widget(Plain(id='plain'))
    app = TestApp(config.make_wsgi_app())
    assert app.get('/_widgets/plain/call').text == 'called'
    refused = app.put('/_widgets/plain/call', status=405)
    assert refused.headers['Allow'] == 'GET, POST'


# -- 7. a WSGI middleware that returns no application fails the start ------


def forgets_its_return(app):
    """A middleware listener whose ``return app`` is missing."""
    app.wrapped = True


@pytest.mark.parametrize(
    'hook', ['before_wsgi_middlewares', 'after_wsgi_middlewares']
)
def test_a_middleware_listener_returning_no_app_fails_the_start(hook):
    """The server would start with ``None`` as its application and answer
    every request with a TypeError (a 500)."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook(hook, lambda app: app)
    config.register_hook(hook, forgets_its_return)
    with pytest.raises(ConfigurationError) as e:
        make_wsgi_app(config)
    assert str(e.value).startswith(
        f'make_wsgi_app: the listener {__name__}.forgets_its_return of the '
        f"hook '{hook}' (registered at {__file__}:"
    )
    assert 'returned None, not a WSGI application' in str(e.value)


def test_a_middleware_returning_no_app_fails_the_start():
    config = Configurator()
    config.include('pyramid_hooks')
    with pytest.raises(ConfigurationError) as e:
        make_wsgi_app(config, middlewares=[lambda app: 'x' * 1000])
    message = str(e.value)
    assert message.startswith('make_wsgi_app: the middleware <function ')
    assert "returned 'xxx" in message and len(message) < 300


def test_middlewares_that_return_the_app_serve_it():
    def stamped(app):
        def stamp(environ, start_response):
            def start(status, headers, exc_info=None):
                return start_response(
                    status, [*headers, ('X-Stamp', '1')], exc_info
                )

            return app(environ, start)

        return stamp

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook('before_wsgi_middlewares', stamped)
    config.add_route('home', '/')
    config.add_view(lambda request: Response('home'), route_name='home')
    app = TestApp(make_wsgi_app(config, middlewares=[lambda app: app]))
    assert app.get('/').headers['X-Stamp'] == '1'


# -- guards: probes that found nothing, on risks worth locking in ----------


def test_the_toolbar_panel_escapes_the_clients_field_names():
    """A validation step shows the field names of the errors, which a
    client chooses: the "Hooks" panel of pyramid_debugtoolbar (HTML, on
    the developer's origin) shows them escaped."""

    def refuse_every_field(request, params):
        raise Invalid(dict.fromkeys(params, 'refused'))

    config = toolbar_first({})
    config.add_route('form', '/form')
    config.add_view(
        lambda request: Response('ok'),
        route_name='form',
        validate=refuse_every_field,
    )
    app = TestApp(config.make_wsgi_app(), extra_environ=LOOPBACK)
    hostile = {
        '<img src=x onerror=alert(1)>': '1',
        'a"><svg onload=alert(2)>': 2,
    }
    response = app.get(
        '/form', hostile, headers={'Accept': 'text/html'}, status=400
    )
    content = panel(toolbar_page(app, response).text)
    assert 'invalid: 2 errors (&lt;img src=x onerror=alert(1)&gt;, ' in content
    assert '<img' not in content and '<svg' not in content
