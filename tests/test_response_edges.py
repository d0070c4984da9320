"""Replies at the edges of what a handler may return or log, through
WebTest on a real Pyramid application: a response Pyramid's adapters take,
a text JSON cannot carry strictly, a listener's message in the log."""

import json

import pytest
import webob
from pyramid.renderers import JSON
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post


class Row:
    """A value of the application's own that its response adapter takes."""

    def __init__(self, text):
        self.text = text


def row_response(row):
    return Response(f'row {row.text}')


class Pages(Controller):
    @route('/webob', auth='public')
    def webob_page(self):
        return webob.Response('from webob', content_type='text/plain')

    @route('/row', auth='public')
    def row(self):
        return Row('7')

    @route('/set', auth='public')
    def a_set(self):
        return {1, 2}


def pages_app():
    config = make_config()
    config.add_response_adapter(row_response, Row)
    config.add_controller(Pages)
    return TestApp(config.make_wsgi_app())


def test_an_http_handler_returns_what_response_adapters_take():
    """A ``webob.Response`` (which Pyramid's own default adapter takes)
    and a value of the application's adapter are answered as a Pyramid
    view's would be; they were a ``TypeError`` saying "must return a
    Response" (a 500)."""
    app = pages_app()
    response = app.get('/webob')
    assert response.text == 'from webob'
    assert response.content_type == 'text/plain'
    assert app.get('/row').text == 'row 7'


def test_a_value_no_adapter_takes_names_the_handler_and_the_fix():
    with pytest.raises(TypeError) as e:
        pages_app().get('/set')
    message = str(e.value)
    assert 'Pages.a_set' in message
    assert 'config.add_response_adapter' in message


class Overridden(Controller):
    @route('/override', auth='public')
    def save(self):
        # TurboGears' override_template on an @expose() without template
        self.request.override_renderer = 'json'
        return {'errors': {}}


def test_override_renderer_without_renderer_names_the_fix():
    """``request.override_renderer`` on a route without ``renderer=``:
    Pyramid overrides a renderer, it adds none, so the dict is refused;
    the error said "a dict with renderer=" without a word of the
    override the handler made, which looked as if it was ignored."""
    config = make_config()
    config.add_controller(Overridden)
    with pytest.raises(TypeError) as e:
        TestApp(config.make_wsgi_app()).get('/override')
    message = str(e.value)
    assert 'Overridden.save' in message
    assert "request.override_renderer ('json')" in message
    assert 'give the route a renderer=' in message


class Guarded(Controller):
    @route('/guarded', auth='webob')
    def guarded(self):
        return 'in'


def webob_check(request):
    if request.headers.get('X-Pass') == 'yes':
        return None
    return webob.Response('go away', status=401)


class Counter(ServerSideCallbackMixin):
    id = 'counter'

    @serverside_callback
    def count(self, request):
        return Response('counted')


def webob_authorization(callback, request):
    if request.headers.get('X-Pass') == 'yes':
        return webob.Response()
    return webob.Response('log in first', status=401)


def test_a_refusal_may_be_a_webob_response():
    """An ``auth`` check and a widget authorization handler may answer
    with a ``webob.Response``, a response for Pyramid as for them: it was
    a ``TypeError`` (a 500) saying they must return a response."""
    config = make_config()
    config.add_controller_auth('webob', webob_check)
    config.add_controller(Guarded)
    config.set_callback_authorization(webob_authorization)
    config.add_widget(Counter())
    app = TestApp(config.make_wsgi_app())
    refused = app.get('/guarded', status=401)
    assert refused.text == 'go away'
    assert app.get('/guarded', headers={'X-Pass': 'yes'}).text == 'in'
    refused = app.get('/_widgets/counter/count', status=401)
    assert refused.text == 'log in first'
    passed = app.get('/_widgets/counter/count', headers={'X-Pass': 'yes'})
    assert passed.text == 'counted'


# -- a lone surrogate in what a JSON-RPC reply would carry -------------------

LONE = '\ud800'


class Shown(Exception):
    """An error whose message clients may see (``expose_errors``)."""


class Echo(Controller):
    @route('/echo', type='json', auth='public')
    def echo(self, kind):
        if kind == 'value':
            return ['ok', LONE]
        if kind == 'key':
            return {LONE: 1}
        if kind == 'data':
            raise JsonRpcError(1, 'mine', {'field': LONE})
        if kind == 'message':
            raise JsonRpcError(1, f'bad {LONE}')
        if kind == 'shown':
            raise Shown(f'bad {LONE}')
        if kind == 'pair':  # two surrogates in the right order: an emoji
            return '\ud83d\ude00'
        return '\U0001f600 \\ud800'  # an emoji, a backslash and text

    @route('/described', type='json', auth='public', discover=True)
    def described(self, text=LONE, page=1):
        return text  # pragma: no cover


def strict_text(body):
    """*body* decoded as a strict parser decodes it: UTF-8, no ``NaN``, no
    lone surrogate escape (I-JSON)."""
    value = json.loads(body.decode('utf-8'))
    json.dumps(value, ensure_ascii=False).encode('utf-8')  # no surrogate
    return value


def echo_call(kind, id_=1):
    return {
        'jsonrpc': '2.0',
        'id': id_,
        'method': 'echo',
        'params': {'kind': kind},
    }


@pytest.fixture
def echo_app():
    config = make_config(
        {'hooks.controllers.expose_errors': f'{__name__}.Shown'}
    )
    config.add_controller(Echo)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('kind', ['value', 'key', 'data', 'message', 'shown'])
def test_a_lone_surrogate_in_a_reply_is_an_internal_error(echo_app, kind):
    """A result, a key, a ``JsonRpcError``'s data or message, an exposed
    error's message holding ``'\\ud800'`` went out as its escape
    (``"\\ud800"``), which strict parsers refuse and this package refuses
    in a request (-32700): the call is a -32603 without data, as a result
    with ``NaN`` is, nothing of the text in the reply."""
    response = post(echo_app, '/echo', echo_call(kind))
    assert b'\\ud800' not in response.body
    assert strict_text(response.body)['error'] == {
        'code': -32603,
        'message': 'Internal error',
    }


def test_a_lone_surrogate_fails_its_call_only_in_a_batch(echo_app):
    batch = [echo_call('value', 1), echo_call('pair', 2), echo_call('', 3)]
    replies = strict_text(post(echo_app, '/echo', batch).body)
    assert replies[0]['error']['code'] == -32603
    assert replies[1]['result'] == '\U0001f600'
    assert replies[2]['result'] == '\U0001f600 \\ud800'


def test_rpc_discover_describes_no_default_with_a_lone_surrogate():
    config = make_config()
    config.add_controller(Echo)
    app = TestApp(config.make_wsgi_app())
    discover = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc.discover'}
    document = strict_text(post(app, '/described', discover).body)
    params = document['result']['methods'][0]['params']
    assert params[0] == {'name': 'text', 'required': False, 'schema': {}}
    assert params[1]['schema'] == {'default': 1}


class Lookup(ServerSideCallbackMixin):
    id = 'lookup'

    @serverside_callback(renderer='json')
    def find(self, request):
        return {'name': LONE if request.params.get('lone') else 'caf\u00e9'}


def test_a_strict_json_renderer_fails_a_widget_reply_closed():
    """``docs/widgets.rst``: a widget's JSON is the application's ``json``
    renderer's; registered strictly, a lone surrogate is an error, not a
    reply a strict parser refuses, and other text is still UTF-8."""
    config = make_config()
    config.add_renderer('json', JSON(allow_nan=False, ensure_ascii=False))
    config.set_callback_authorization(always_allow)
    config.add_widget(Lookup())
    app = TestApp(config.make_wsgi_app())
    assert strict_text(app.get('/_widgets/lookup/find').body) == {
        'name': 'caf\u00e9'
    }
    with pytest.raises(UnicodeEncodeError):
        app.get('/_widgets/lookup/find?lone=1')


# -- cookie paths and domains WebOb would escape ------------------------------


class Login(Controller):
    @route('/login', auth='public')
    def login(self, path='/', domain=None):
        cookie = {'value': 'v', 'path': path, 'domain': domain}
        return self.request.make_response('in', cookies={'sid': cookie})


@pytest.mark.parametrize(
    ('attribute', 'text', 'shown'),
    [
        ('path', '/app; Secure', "';'"),
        ('path', '/a,b', "','"),
        ('path', '/a"b', "'\"'"),
        ('path', '/a\\b', "'\\\\'"),
        ('domain', 'example.com; Path=/x', "';'"),
        ('domain', 'exa mple.com', "' '"),
    ],
)
def test_a_cookie_path_or_domain_webob_would_escape_is_refused(
    attribute, text, shown
):
    """WebOb writes ``;``, ``,``, ``"`` and ``\\`` in a ``Path`` or
    ``Domain`` as octal escapes (``Path=/app\\073 Secure``), silently: no
    attribute was injected, but the cookie went out with a path no request
    has, or a domain no host is (a space), so browsers never sent it back.
    Refused, naming the cookie and the attribute, as other characters
    browsers cannot read are."""
    config = make_config()
    config.add_controller(Login)
    app = TestApp(config.make_wsgi_app())
    ok = app.get('/login', {'path': '/a b', 'domain': '.example.com'})
    assert ok.headers['Set-Cookie'].startswith(
        'sid=v; Domain=.example.com; Path=/a b;'
    )
    with pytest.raises(ValueError) as e:
        app.get('/login', {attribute: text})
    assert f"cookie 'sid' ({attribute}) contains {shown}" in str(e.value)


# -- a trapped failure's message in the log -----------------------------------

FORGED = 'bad input\r\nERROR root forged line\x1b[2J'


def forging_listener(request):
    raise ValueError(FORGED)


def notifying_view(request):
    request.hooks.notify('audit', request)
    return Response('done')


class Failing(Controller):
    @route('/failing', type='json', auth='public')
    def failing(self):
        try:
            raise KeyError('first\nline')
        except KeyError as e:
            raise RuntimeError(FORGED) from e


def logged_lines(caplog):
    """The log lines as the capture handler's formatter writes them."""
    return [
        line
        for record in caplog.records
        for line in caplog.handler.format(record).splitlines()
    ]


def test_a_trapped_listeners_message_cannot_forge_log_lines(caplog):
    """A trapped listener's exception message went to the log as Python
    writes it: CR and LF in it started a line of the client's choosing,
    ESC drove the operator's terminal.  Escaped, the traceback kept, and
    the record keeps ``exc_info`` for handlers reading the exception."""
    config = make_config()
    config.add_hook('audit', args=('request',), trap_exceptions=True)
    config.register_hook('audit', forging_listener)
    config.add_route('notify', '/notify')
    config.add_view(notifying_view, route_name='notify')
    app = TestApp(config.make_wsgi_app())
    with caplog.at_level('ERROR', logger='pyramid_hooks'):
        assert app.get('/notify').text == 'done'
    lines = logged_lines(caplog)
    assert not any(line.startswith('ERROR root') for line in lines)
    assert not any('\x1b' in line or '\r' in line for line in lines)
    assert 'ValueError: bad input\\r\\nERROR root forged line\\x1b[2J' in lines
    assert any('forging_listener' in line for line in lines)  # a frame
    (record,) = caplog.records
    assert record.getMessage() == (
        'Listener forging_listener of hook audit failed (trapped)'
    )
    assert record.exc_info[1].args == (FORGED,)
    assert record.funcName == 'trapped'


def test_a_failed_json_calls_message_cannot_forge_log_lines(caplog):
    config = make_config()
    config.add_controller(Failing)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'failing'}
    with caplog.at_level('ERROR', logger='pyramid_hooks'):
        error = post(app, '/failing', call).json['error']
    assert error == {'code': -32603, 'message': 'Internal error'}
    lines = logged_lines(caplog)
    assert not any(line.startswith('ERROR root') for line in lines)
    assert "KeyError: 'first\\nline'" in lines  # the cause, as Python shows
    assert 'The above exception was the direct cause of the following ' in (
        ' '.join(lines)
    )
    assert lines[-1] == (
        'RuntimeError: bad input\\r\\nERROR root forged line\\x1b[2J'
    )
    # with ERROR off for the logger, nothing is formatted at all
    with caplog.at_level('CRITICAL', logger='pyramid_hooks'):
        caplog.clear()
        assert post(app, '/failing', call).json['error']['code'] == -32603
    assert caplog.records == []
