"""What an attacker still found (issue 19, part 3), each through a real
Pyramid app (WebTest), or a real waitress server where the server's own
decoding matters."""

import http.client
import json
import logging
import re
import sys
from urllib.parse import quote

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError, URLDecodeError
from pyramid.httpexceptions import HTTPForbidden
from pyramid.response import Response
from pyramid.security import remember
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp
from webtest.http import StopableWSGIServer

from pyramid_hooks import (
    ApplicationWrapper,
    ServerSideCallbackMixin,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError
from pyramid_hooks.settings import MAX_DEPTH_LIMIT, HooksSettings
from pyramid_hooks.widgets import always_allow
from tests.test_jsonrpc_hardening import CookiePolicy, post

TRACE_LOG = 'pyramid_hooks.trace'


MAX_DEPTH = HooksSettings().controllers_max_depth


def trace_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == TRACE_LOG]


# -- 1. a failed JSON-RPC call sends no header or cookie ---------------------


class Login(Controller):
    @route('/rpc/login2fa', type='json', auth='public')
    def login2fa(self, user, otp, fail='forbidden'):
        response = self.request.response
        response.headers.extend(remember(self.request, user))
        response.headers.add('X-Call', user)
        if otp == 'good':
            return 'welcome'
        if fail == 'forbidden':
            raise HTTPForbidden()
        if fail == 'rpc':
            raise JsonRpcError(4001, 'wrong one-time password')
        if fail == 'replaced':  # a new request.response, then a failure
            self.request.response = Response(headerlist=[('X-New', '1')])
            raise RuntimeError('failed after replacing request.response')
        return {'not json': object()}  # fails when encoded


def login_app(setup=None):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(CookiePolicy())
    if setup is not None:
        config.add_subscriber(setup, 'pyramid.events.NewRequest')
    config.add_controller(Login)
    return TestApp(config.make_wsgi_app())


def login(user, otp, fail='forbidden', id=1):
    params = {'user': user, 'otp': otp, 'fail': fail}
    return {'jsonrpc': '2.0', 'method': 'call', 'params': params, 'id': id}


@pytest.mark.parametrize(
    ('fail', 'code'),
    [('forbidden', -32000), ('rpc', 4001), ('replaced', -32603), ('', -32603)],
)
def test_a_failed_call_sends_no_cookie_and_no_header(fail, code):
    app = login_app()
    response = post(app, '/rpc/login2fa', login('alice', 'bad', fail))
    assert response.strict['error']['code'] == code
    assert 'Set-Cookie' not in response.headers
    assert 'X-Call' not in response.headers
    assert 'X-New' not in response.headers
    # the same call succeeding sends them
    response = post(app, '/rpc/login2fa', login('alice', 'good'))
    assert response.strict['result'] == 'welcome'
    assert 'auth_tkt=' in response.headers['Set-Cookie']
    assert response.headers['X-Call'] == 'alice'


def test_in_a_batch_only_succeeding_calls_headers_reach_the_reply():
    app = login_app()
    batch = [
        login('mallory', 'bad', id=1),
        login('bob', 'good', id=2),
        login('eve', 'bad', 'rpc', id=3),
        login('carol', 'good', id=...),  # a notification that succeeds
        login('trudy', 'bad', id=...),  # one that fails
    ]
    for call in batch:
        if call['id'] is ...:
            del call['id']
    response = post(app, '/rpc/login2fa', batch)
    assert [reply.get('result') for reply in response.strict] == [
        None,
        'welcome',
        None,
    ]
    assert response.headers.getall('X-Call') == ['bob', 'carol']
    cookies = ' '.join(response.headers.getall('Set-Cookie'))
    for user in ('mallory', 'eve', 'trudy'):
        assert user.encode().hex() not in cookies  # auth_tkt hex-encodes
    assert 'auth_tkt=' in cookies


def test_headers_set_before_the_calls_stay_when_a_call_fails():
    def early(event):  # request.response made before the envelope
        event.request.response.headers['X-Early'] = 'yes'

    app = login_app(setup=early)
    response = post(app, '/rpc/login2fa', login('alice', 'bad'))
    assert response.strict['error']['code'] == -32000
    assert response.headers['X-Early'] == 'yes'
    assert 'Set-Cookie' not in response.headers
    assert 'X-Call' not in response.headers


# -- 2. the trace log line cannot be forged -----------------------------------


def traced_config():
    config = Configurator()
    config.include('pyramid_hooks.trace')
    config.add_application_wrapper(PassThrough)
    return config


class PassThrough(ApplicationWrapper):
    def __call__(self, request):
        return self.next_handler(request)


FORGED = (
    '/nothing%0aDEBUG%20[pyramid_hooks.trace]%20GET%20/admin:%20FORGED'
    '%0d%1b[2J'
)


def test_the_trace_log_line_escapes_control_characters(caplog):
    config = traced_config()
    app = TestApp(config.make_wsgi_app(), lint=False)  # any method
    with caplog.at_level(logging.DEBUG, TRACE_LOG):
        app.get(FORGED, status=404)
        app.request('/', method='GET\n\x1b[2JFORGED', status=404)
    lines = trace_lines(caplog)
    assert len(lines) == 2
    for line in lines:
        assert line.isprintable(), line
    assert 'FORGED' not in lines[0]  # no path
    assert lines[1].startswith('GET\\n\\x1b[2JFORGED no route: ')


# -- 3. the trace raises nothing; request_finished runs once -----------------


class Maintenance(ApplicationWrapper):
    """Answers /maint... itself, without calling next_handler."""

    def __call__(self, request):
        if request.environ['PATH_INFO'].startswith('/maint'):
            return Response('down for maintenance', status=418)
        return self.next_handler(request)


def maintenance_app(finished, trace):
    config = Configurator()
    config.include('pyramid_hooks')
    if trace:
        config.include('pyramid_hooks.trace')
    config.add_application_wrapper(Maintenance)
    config.register_hook('request_finished', finished.append)
    config.add_route('x', '/{name}')
    config.add_view(lambda request: Response('view'), route_name='x')
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('trace', [False, True])
def test_an_undecodable_path_changes_nothing_with_tracing(caplog, trace):
    finished = []
    app = maintenance_app(finished, trace)
    with caplog.at_level(logging.DEBUG, TRACE_LOG):
        assert app.get('/maint%FF', status=418).text == 'down for maintenance'
        assert len(finished) == 1
        # Pyramid's own refusal, unchanged: its 500 under a server
        with pytest.raises(URLDecodeError):
            app.get('/x%FF')
        assert len(finished) == 2
    assert len(trace_lines(caplog)) == (2 if trace else 0)


def test_request_finished_runs_whatever_another_finished_callback_does():
    finished = []

    class Failing(ApplicationWrapper):
        def __call__(self, request):
            request.add_finished_callback(self.fail)
            return self.next_handler(request)

        @staticmethod
        def fail(request):
            raise RuntimeError('a finished callback failed')

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_application_wrapper(Maintenance)
    config.add_application_wrapper(Failing, after=True)  # outermost
    config.register_hook('request_finished', finished.append)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(RuntimeError, match='a finished callback failed'):
        app.get('/maint')
    assert len(finished) == 1


# -- 4. tracing changes no reply near the recursion limit ---------------------


class Echo(Controller):
    @route('/rpc/echo', type='json', auth='public')
    def echo(self, value=None):
        return value


def echo_app(trace, settings=None):
    config = Configurator(settings=settings)
    config.include('pyramid_hooks')
    if trace:
        config.include('pyramid_hooks.trace')
    config.add_controller(Echo)
    return TestApp(config.make_wsgi_app())


def nested(depth, id=1):
    """The body of a call whose arrays and objects nest *depth* levels in
    all (the call and its params are two)."""
    value = '[' * (depth - 2) + '0' + ']' * (depth - 2)
    call = f'"jsonrpc": "2.0", "method": "echo", "id": {json.dumps(id)}'
    return f'{{{call}, "params": {{"value": {value}}}}}'


def test_json_nesting_is_bounded_the_same_with_tracing():
    plain, traced = echo_app(False), echo_app(True)
    for app in (plain, traced):
        reply = post(app, '/rpc/echo', nested(MAX_DEPTH)).strict
        value = reply['result']
        for _ in range(MAX_DEPTH - 3):
            [value] = value
        assert value == [0]
        reply = post(app, '/rpc/echo', nested(MAX_DEPTH + 1)).strict
        assert reply == {
            'jsonrpc': '2.0',
            'id': None,
            'error': {
                'code': -32700,
                'message': 'Parse error',
                'data': {
                    'message': f'JSON nested deeper than {MAX_DEPTH} levels'
                },
            },
        }
    # up to and past the interpreter's recursion limit, level by level
    # (the trace's frames made a difference over two levels only): the
    # same reply
    for depth in range(MAX_DEPTH, sys.getrecursionlimit() + 50):
        one = post(plain, '/rpc/echo', nested(depth, depth)).body
        assert one == post(traced, '/rpc/echo', nested(depth, depth)).body


@pytest.mark.parametrize('trace', [False, True], ids=['plain', 'traced'])
def test_the_depth_is_a_setting_up_to_its_ceiling(trace):
    """``hooks.controllers.max_depth`` moves the limit, up to 200: at the
    ceiling, tracing still changes nothing."""
    limit = MAX_DEPTH_LIMIT
    app = echo_app(trace, {'hooks.controllers.max_depth': str(limit)})
    assert 'result' in post(app, '/rpc/echo', nested(limit)).strict
    error = post(app, '/rpc/echo', nested(limit + 1)).strict['error']
    assert error['data'] == {
        'message': f'JSON nested deeper than {limit} levels'
    }
    app = echo_app(trace, {'hooks.controllers.max_depth': '3'})
    assert post(app, '/rpc/echo', nested(3)).strict['result'] == [0]
    assert post(app, '/rpc/echo', nested(4)).strict['error']['code'] == -32700


@pytest.mark.parametrize('value', ['0', '201', '-1', 'deep', 1.5])
def test_a_depth_outside_its_range_is_refused_at_startup(value):
    key = 'hooks.controllers.max_depth'
    with pytest.raises(ConfigurationError, match=re.escape(key)):
        echo_app(False, {key: value})


def test_a_deep_batch_is_refused_as_a_whole():
    app = echo_app(False)
    reply = post(app, '/rpc/echo', f'[{nested(MAX_DEPTH)}]').strict
    assert reply['error']['code'] == -32700
    assert reply['id'] is None
    # brackets in strings are no nesting
    body = nested(3).replace('"echo"', json.dumps('[{' * MAX_DEPTH))
    assert post(app, '/rpc/echo', body).strict['result'] == [0]


# -- 5. make_response refuses CR/LF and bytes ---------------------------------


class Made(Controller):
    @route('/made/{form}', auth='public')
    def made(self, form):
        options = {
            'value': {'headers': [('X-A', b'v\r\nSet-Cookie: evil=1')]},
            'clean_value': {'headers': [('X-A', b'v')]},
            'name': {'headers': [(b'X-A\r\nSet-Cookie: evil=1', 'v')]},
            'clean_name': {'headers': {b'X-A': 'v'}},
            'status': {'status': b'200 OK\r\nSet-Cookie: evil=1'},
            'clean_status': {'status': b'200 OK'},
            'none': {'headers': [('X-A', None)]},
            'flag': {'status': True},
            'number': {
                'headers': [('Content-Length', 2), ('X-N', 7)],
                'status': '201 Created',
            },
        }[form]
        return self.request.make_response('ok', **options)


@pytest.fixture
def made_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Made)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('form', 'message'),
    [
        ('value', r"the value of header 'X-A' must be a str, not bytes"),
        ('clean_value', r"the value of header 'X-A' must be a str, not"),
        ('name', r"a header name \(b'X-A\\r\\nSet-Cookie: evil=1'\) must"),
        ('clean_name', r"a header name \(b'X-A'\) must be a str, not bytes"),
        ('status', r'the status must be an int or a str, not bytes'),
        ('clean_status', r'the status must be an int or a str, not bytes'),
        ('none', r"the value of header 'X-A' must be a str, not NoneType"),
        ('flag', r'the status must be an int or a str, not bool'),
    ],
)
def test_make_response_refuses_bytes(made_app, form, message):
    with pytest.raises(TypeError, match=message) as e:
        made_app.get(f'/made/{form}')
    assert str(e.value).startswith('make_response: ')


def test_make_response_takes_integer_header_values(made_app):
    response = made_app.get('/made/number', status=201)
    assert response.headers['Content-Length'] == '2'
    assert response.headers['X-N'] == '7'


# -- (a) an encoded slash never reaches a widget callback ---------------------


class Vault(ServerSideCallbackMixin):
    @serverside_callback
    def open(self, request):
        return Response('opened')


@pytest.fixture
def widget_server():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(Vault(id='vault'))
    config.add_route('mine', '/mine/{rest:.*}')
    config.add_view(
        lambda request: Response(request.matchdict['rest']), route_name='mine'
    )
    server = StopableWSGIServer.create(
        config.make_wsgi_app(), host='127.0.0.1', expose_tracebacks=False
    )
    try:
        assert server.wait()
        yield server
    finally:
        server.shutdown()


def fetch(server, path):
    conn = http.client.HTTPConnection(server.adj.host, server.adj.port, 30)
    try:
        conn.request('GET', path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    'path',
    [
        '/_widgets/vault%2Fopen',
        '/_widgets/vault%2fopen',
        '/_widgets%2Fvault%2Fopen',
        '/_widgets%2Fvault/open',
        '/_widgets/vault/open%2F',
    ],
)
def test_an_encoded_slash_never_reaches_a_callback(widget_server, path):
    assert fetch(widget_server, '/_widgets/vault/open') == (200, b'opened')
    status, _ = fetch(widget_server, path)
    assert status == 404


def test_an_encoded_slash_elsewhere_is_the_applications_business(
    widget_server,
):
    assert fetch(widget_server, '/mine/a%2Fb') == (200, b'a/b')
    # in the query string, a parameter's business
    opened = fetch(widget_server, '/_widgets/vault/open?next=%2Fhome')
    assert opened == (200, b'opened')


def test_an_encoded_slash_under_gunicorn():
    """gunicorn gives the target as sent in ``RAW_URI``."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.add_widget(Vault(id='vault'))
    app = TestApp(config.make_wsgi_app())
    for target, status in (
        ('/_widgets/vault%2Fopen', 404),
        ('/_widgets/vault/open', 200),
    ):
        environ = {'RAW_URI': target}
        app.get('/_widgets/vault/open', extra_environ=environ, status=status)


# -- (b) the trace log line names the route, never the path ----------------


class Reset(Controller):
    @route('/reset/{token}', auth='public')
    def reset(self, token):
        return 'reset'


def test_the_trace_log_line_names_the_route_not_the_path(caplog):
    config = traced_config()
    config.add_controller(Reset)
    app = TestApp(config.make_wsgi_app())
    secret = 'tok-5ecret-91c2'
    with caplog.at_level(logging.DEBUG, TRACE_LOG):
        app.get(f'/reset/{secret}')
        app.get(f'/nowhere/{secret}', status=404)
    lines = trace_lines(caplog)
    assert len(lines) == 2
    assert secret not in json.dumps(lines)
    name = 'tests.test_attacker_probes.Reset.reset'
    assert lines[0].startswith(f'GET route {name} (/reset/{{token}}): ')
    assert lines[1].startswith('GET no route: application wrapper ')


# -- (c) widget callbacks fail closed -----------------------------------------


class Teller(ServerSideCallbackMixin):
    """A widget whose handler returns what the query asks for."""

    data = {'secret': 1}
    ran = 0

    def callback_authorization(self, callback, request):
        return ODD_DECISIONS[request.GET['decision']]()

    @serverside_callback
    def pay(self, request):
        type(self).ran += 1
        return Response('paid')

    def refund(self, request):  # not a callback
        return Response('refunded')  # pragma: no cover


class Status200:
    status_code = 200
    status = '200 OK'


def _raise():
    raise RuntimeError('secret-detail')


ODD_DECISIONS = {
    'none': lambda: None,
    'zero': lambda: 0,
    'empty': lambda: '',
    'true': lambda: True,
    'status_text': lambda: '200 OK',
    'duck_200': Status200,
    'response_class': lambda: Response,
    'raise': _raise,
}


def teller_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_session_factory(SignedCookieSessionFactory('secret'))
    config.set_default_csrf_options(require_csrf=False)
    config.add_route('token', '/token')
    config.add_view(
        lambda request: Response(request.session.get_csrf_token()),
        route_name='token',
    )
    config.add_widget(Teller(id='till'))
    return config.make_wsgi_app()


@pytest.mark.parametrize('decision', sorted(ODD_DECISIONS))
def test_an_odd_authorization_decision_never_runs_the_callback(decision):
    """Anything but a response is an error (a 500 under a server, with no
    detail), never a pass: falsy, truthy, a 200 look-alike, a class."""
    Teller.ran = 0
    app = TestApp(teller_app())
    with pytest.raises((TypeError, RuntimeError)):
        app.get(f'/_widgets/till/pay?decision={decision}')
    assert Teller.ran == 0


def test_a_failing_authorization_leaks_nothing_under_a_server():
    server = StopableWSGIServer.create(
        teller_app(), host='127.0.0.1', expose_tracebacks=False
    )
    try:
        assert server.wait()
        for decision in ('raise', 'none', 'duck_200'):
            status, body = fetch(
                server, f'/_widgets/till/pay?decision={decision}'
            )
            assert status == 500
            assert b'secret' not in body
            assert b'Error' in body and b'Teller' not in body
    finally:
        server.shutdown()
    assert Teller.ran == 0


@pytest.mark.parametrize(
    'name',
    [
        'refund',
        'data',
        'ran',
        'callback_authorization',
        'url_for_callback',
        'id',
        'children',
        '__dict__',
        'p%61y%00',
        'p\u0430y',
    ],
)
def test_what_is_not_a_callback_is_404(name):
    app = TestApp(teller_app())
    app.get(
        f'/_widgets/till/{quote(name, safe="%")}?decision=true', status=404
    )


def test_csrf_holds_on_every_unsafe_method_whatever_the_default():
    """The application's ``require_csrf=False`` does not reach callbacks;
    a token in the query string or a JSON body is no token; an unknown or
    lower-case method is unsafe."""
    Teller.ran = 0
    app = TestApp(teller_app(), lint=False)
    token = app.get('/token').text
    url = '/_widgets/till/pay?decision=duck_200'
    app.post(f'{url}&csrf_token={token}', status=400)
    app.post_json(url, {'csrf_token': token}, status=400)
    for method in ('POST', 'PUT', 'PATCH', 'DELETE', 'FOO', 'post'):
        app.request(url, method=method, status=400)
    assert Teller.ran == 0
