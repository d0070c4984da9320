"""JSON-RPC routes in production (issue 12): bounded batches and bodies,
no internals in replies by default, strict JSON both ways, headers and
cookies of ``request.response`` in the reply, HTTP 415 for other content
types.  Through WebTest, and through a real waitress server for the body
limit and the batch bomb (the server's memory stays bounded)."""

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pyramid.authentication import AuthTktCookieHelper
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPConflict, HTTPNotFound
from pyramid.request import Request
from pyramid.security import forget, remember
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError
from tests.controllers_pkg.support import make_config

ROOT = Path(__file__).resolve().parent.parent


class UserError(Exception):
    """An application's user-facing error (Odoo's ``UserError``)."""


class AccessError(UserError):
    pass


class Api(Controller):
    calls = None

    @route('/rpc', type='json', auth='public')
    def echo(self, x=None):
        self.calls.append(x)
        return x

    @route('/private', type='json', auth='user')
    def private(self, x=None):
        self.calls.append(x)
        return x

    @route('/fail', type='json', auth='public')
    def fail(self, kind='runtime'):
        self.calls.append(kind)
        if kind == 'runtime':
            raise RuntimeError(
                'could not connect to postgresql://app:S3cr3tPw@db'
            )
        if kind == 'user':
            raise UserError('The order is already confirmed')
        if kind == 'access':
            raise AccessError('Not yours')
        if kind == 'http':
            raise HTTPNotFound('no row 42 in table secret_orders')
        if kind == 'conflict':
            raise HTTPConflict('version 3 != 4')
        if kind == 'rpc':
            raise JsonRpcError(7, 'mine', {'field': 'x'})
        if kind == 'rpc_nan':
            raise JsonRpcError(8, 'mine', {'ratio': float('nan')})
        if kind == 'nan':
            return {'ratio': float('nan')}
        return {'big': float('inf')}

    @route('/small', type='json', auth='public', max_batch=3, max_body=200)
    def small(self, x=None):
        self.calls.append(x)
        return x

    @route('/single', type='json', auth='public', max_batch=1)
    def single(self, x=None):
        self.calls.append(x)
        return x

    @route('/none', type='json', auth='public', max_batch=0)
    def none(self, x=None):
        self.calls.append(x)
        return x


def app_for(settings=None, cls=Api):
    config = make_config(settings)
    config.add_controller(cls)
    cls.calls = []
    app = TestApp(config.make_wsgi_app())
    app.policy = config.policy
    return app


@pytest.fixture
def app():
    return app_for()


def strict_json(body):
    """Parse *body* as a strict parser (JavaScript's ``JSON.parse``) does:
    no ``NaN``/``Infinity``."""

    def refuse(constant):
        raise AssertionError(f'{constant} in a reply')

    return json.loads(body, parse_constant=refuse)


def post(app, path, body, content_type='application/json', **kw):
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode('utf-8')
    headers = kw.pop('headers', {})
    if content_type is not None:
        headers['Content-Type'] = content_type
    response = app.request(
        path, method='POST', body=body, headers=headers, **kw
    )
    if response.body:
        response.strict = strict_json(response.text)
    return response


def call(x=None, id=1, method='m'):
    message = {'jsonrpc': '2.0', 'method': method, 'params': {}}
    if x is not None:
        message['params']['x'] = x
    if id is not ...:
        message['id'] = id
    return message


def failing(kind, id=1):
    """A call of ``Api.fail``."""
    return {
        'jsonrpc': '2.0',
        'method': 'fail',
        'params': {'kind': kind},
        'id': id,
    }


# -- bounded batches ----------------------------------------------------------


def test_a_batch_over_the_default_limit_runs_nothing(app):
    response = post(app, '/rpc', [call(i, id=i) for i in range(101)])
    assert response.status_int == 200
    assert response.strict == {
        'jsonrpc': '2.0',
        'id': None,
        'error': {
            'code': -32600,
            'message': 'Invalid Request',
            'data': {'message': 'batches of at most 100 calls are accepted'},
        },
    }
    assert Api.calls == []
    replies = post(app, '/rpc', [call(i, id=i) for i in range(100)]).strict
    assert [reply['result'] for reply in replies] == list(range(100))


def test_a_refused_batch_makes_no_auth_check(app):
    """The brute-force case: one POST of many guesses counts once for a
    per-request limiter, so it must not reach the checks at all."""
    batch = [call(i, id=i) for i in range(101)]
    response = post(app, '/private', batch, headers={'X-User': 'ann'})
    assert response.strict['error']['code'] == -32600
    assert app.policy.calls == 0
    assert Api.calls == []


def test_the_batch_limit_setting():
    app = app_for({'hooks.controllers.max_batch': '2'})
    refused = post(app, '/rpc', [call(1), call(2), call(3)]).strict
    assert refused['error']['data']['message'] == (
        'batches of at most 2 calls are accepted'
    )
    assert len(post(app, '/rpc', [call(1, id=1), call(2, id=2)]).strict) == 2
    assert Api.calls == [1, 2]
    # the route's own limit wins over the setting
    replies = post(app, '/small', [call(i, id=i) for i in range(3)]).strict
    assert len(replies) == 3


@pytest.mark.parametrize('path', ['/single', '/none'])
def test_max_batch_0_or_1_refuses_every_batch(path):
    app = app_for()
    refused = post(app, path, [call(1)]).strict
    assert refused['id'] is None
    assert refused['error']['code'] == -32600
    assert refused['error']['data']['message'] == 'batches are not accepted'
    assert Api.calls == []
    assert post(app, path, call(5)).strict['result'] == 5


def test_the_route_limit_is_inherited_and_overridable():
    class Base(Controller):
        @route('/a', type='json', auth='public', max_batch=2)
        def a(self):
            return 'a'

        @route('/b', type='json', auth='public', max_batch=2)
        def b(self):
            return 'b'

    class Extension(Base):
        @route()
        def a(self):
            return super().a()

        @route(max_batch=3)
        def b(self):
            return super().b()

    app = app_for(cls=Extension)
    three = [call(id=1), call(id=2), call(id=3)]
    assert post(app, '/a', three).strict['error']['code'] == -32600
    assert [r['result'] for r in post(app, '/b', three).strict] == ['b'] * 3


@pytest.mark.parametrize('option', ['max_batch', 'max_body'])
@pytest.mark.parametrize('value', [-1, True, '3', 1.5])
def test_route_limits_must_be_non_negative_integers(option, value):
    with pytest.raises(ConfigurationError, match=f'route\\({option}='):
        route('/x', type='json', **{option: value})


@pytest.mark.parametrize('option', ['max_batch', 'max_body'])
def test_route_limits_on_an_http_route_are_errors(option):
    class Page(Controller):
        @route('/page', auth='public', **{option: 10})
        def page(self):
            return 'page'

    with pytest.raises(ConfigurationError) as info:
        app_for(cls=Page)
    message = str(info.value)
    assert f'route({option}=...)' in message
    assert 'Page.page' in message
    assert 'only JSON routes' in message


@pytest.mark.parametrize('key', ['max_batch', 'max_body'])
@pytest.mark.parametrize('value', ['-1', 'ten', '1.5', '', True, -3, 2.0, '²'])
def test_limit_settings_must_be_non_negative_integers(key, value):
    config = Configurator(settings={f'hooks.controllers.{key}': value})
    with pytest.raises(ConfigurationError) as info:
        config.include('pyramid_hooks')
    assert f'hooks.controllers.{key}' in str(info.value)
    assert 'non-negative integer' in str(info.value)


def test_limit_settings_are_converted_and_written_back():
    config = Configurator(
        settings={
            'hooks.controllers.max_batch': ' 0 ',
            'hooks.controllers.max_body': 4096,
        }
    )
    config.include('pyramid_hooks')
    assert config.registry.settings['hooks.controllers.max_batch'] == 0
    assert config.registry.settings['hooks.controllers.max_body'] == 4096


# -- bounded bodies -----------------------------------------------------------


class Unreadable:
    """A ``wsgi.input`` that must not be read."""

    def read(self, *args):
        raise AssertionError('the body was read')

    readline = read


class Counting:
    """A ``wsgi.input`` without ``Content-Length`` (a chunked body, as
    gunicorn passes it): counts what is read."""

    def __init__(self, size):
        self.left = size
        self.read_bytes = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.left
        size = min(size, self.left)
        self.left -= size
        self.read_bytes += size
        return b'[' + b'0,' * ((size - 2) // 2) + b'0]' if size else b''


def raw_post(app, path, environ):
    request = Request.blank(path, method='POST')
    request.environ.update(environ)
    request.environ['CONTENT_TYPE'] = 'application/json'
    return request.get_response(app.app)


def test_a_large_body_is_413_before_it_is_read(app):
    response = raw_post(
        app,
        '/rpc',
        {'CONTENT_LENGTH': str(2 * 1024 * 1024), 'wsgi.input': Unreadable()},
    )
    assert response.status_int == 413
    assert response.content_type == 'application/json'
    assert strict_json(response.text) == {
        'jsonrpc': '2.0',
        'id': None,
        'error': {
            'code': -32600,
            'message': 'Invalid Request',
            'data': {'message': 'the request body is over 1048576 bytes'},
        },
    }
    assert Api.calls == []


def test_a_body_without_content_length_is_read_up_to_the_limit(app):
    stream = Counting(5 * 1024 * 1024)
    environ = {'wsgi.input': stream, 'wsgi.input_terminated': True}
    response = raw_post(app, '/rpc', environ)
    assert response.status_int == 413
    assert stream.read_bytes == 1048576 + 1
    # under the limit, it is read and served
    body = json.dumps(call('chunked')).encode()
    stream = Counting(0)
    stream.read = lambda size=-1: body[:size]
    response = raw_post(app, '/rpc', dict(environ, **{'wsgi.input': stream}))
    assert strict_json(response.text)['result'] == 'chunked'
    # no Content-Length and no end-of-input marker: an empty body
    response = raw_post(app, '/rpc', {'wsgi.input': Unreadable()})
    assert strict_json(response.text)['error']['code'] == -32700


def test_body_limits_per_route_and_setting():
    app = app_for({'hooks.controllers.max_body': '100'})
    small = call('x' * 30)
    assert post(app, '/rpc', small).strict['result'] == 'x' * 30
    response = post(app, '/rpc', call('x' * 100), status=413)
    assert response.strict['error']['data']['message'] == (
        'the request body is over 100 bytes'
    )
    # the route's own limit (200) wins
    assert post(app, '/small', call('x' * 100)).strict['result'] == 'x' * 100
    post(app, '/small', call('x' * 200), status=413)
    assert Api.calls == ['x' * 30, 'x' * 100]


def test_max_body_0_refuses_every_body():
    app = app_for({'hooks.controllers.max_body': 0})
    post(app, '/rpc', call(1), status=413)
    assert Api.calls == []


# -- one traceback per request ------------------------------------------------


def test_a_failing_batch_logs_one_traceback_and_one_summary(app, caplog):
    caplog.set_level(logging.ERROR, logger='pyramid_hooks.controllers.jsonrpc')
    batch = [failing('runtime', id=i) for i in range(50)]
    batch.append(failing('rpc', id=50))  # chosen, not unexpected
    replies = post(app, '/fail', batch).strict
    assert len(replies) == 51
    records = caplog.records
    assert len(records) == 2
    assert records[0].exc_info is not None
    assert 'RuntimeError' in caplog.text.split('\n', 1)[1]
    assert records[1].exc_info is None
    assert (
        records[1]
        .getMessage()
        .endswith(
            '50 of 51 calls failed (the first traceback is logged above)'
        )
    )
    assert caplog.text.count('Traceback') == 1


def test_a_failing_call_logs_its_traceback(app, caplog):
    caplog.set_level(logging.ERROR, logger='pyramid_hooks.controllers.jsonrpc')
    post(app, '/fail', failing('runtime'))
    assert len(caplog.records) == 1
    assert caplog.records[0].exc_info is not None


# -- no internals by default --------------------------------------------------


def test_an_unexpected_exception_says_nothing(app):
    response = post(app, '/fail', failing('runtime', id=3))
    assert response.strict == {
        'jsonrpc': '2.0',
        'id': 3,
        'error': {'code': -32603, 'message': 'Internal error'},
    }
    assert b'S3cr3tPw' not in response.body
    assert b'RuntimeError' not in response.body


def test_an_http_exception_answers_its_status_only(app):
    error = post(app, '/fail', failing('http')).strict['error']
    assert error == {
        'code': -32000,
        'message': 'Not Found',
        'data': {'status': 404},
    }
    error = post(app, '/fail', failing('conflict')).strict['error']
    assert error == {
        'code': -32000,
        'message': 'Conflict',
        'data': {'status': 409},
    }


def test_json_rpc_errors_keep_their_code_message_and_data():
    for app in (app_for(), app_for({'hooks.controllers.debug': 'true'})):
        error = post(app, '/fail', failing('rpc')).strict['error']
        assert error == {'code': 7, 'message': 'mine', 'data': {'field': 'x'}}


def test_expose_errors_shows_the_listed_classes():
    app = app_for(
        {
            'hooks.controllers.expose_errors': (
                'tests.test_jsonrpc_hardening.UserError\n'
                'pyramid.httpexceptions.HTTPConflict'
            )
        }
    )
    error = post(app, '/fail', failing('user')).strict['error']
    assert error == {
        'code': -32000,
        'message': 'Server error',
        'data': {
            'name': 'tests.test_jsonrpc_hardening.UserError',
            'message': 'The order is already confirmed',
        },
    }
    error = post(app, '/fail', failing('access')).strict['error']
    assert error['data']['name'] == 'tests.test_jsonrpc_hardening.AccessError'
    error = post(app, '/fail', failing('conflict')).strict['error']
    assert error['data'] == {
        'name': 'pyramid.httpexceptions.HTTPConflict',
        'message': 'version 3 != 4',
        'status': 409,
    }
    # what is not listed stays hidden
    error = post(app, '/fail', failing('runtime')).strict['error']
    assert error == {'code': -32603, 'message': 'Internal error'}
    error = post(app, '/fail', failing('http')).strict['error']
    assert error['data'] == {'status': 404}


@pytest.mark.parametrize(
    'value, words',
    [
        ('tests.test_jsonrpc_hardening.Missing', ['cannot import']),
        ('os.path.join', ['is not an exception class']),
        ('tests.test_jsonrpc_hardening.Api', ['is not an exception class']),
    ],
)
def test_expose_errors_names_exception_classes(value, words):
    config = Configurator(settings={'hooks.controllers.expose_errors': value})
    with pytest.raises(ConfigurationError) as info:
        config.include('pyramid_hooks')
    assert 'hooks.controllers.expose_errors' in str(info.value)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    'settings',
    [{'hooks.controllers.debug': 'true'}, {'pyramid.debug_all': 'true'}],
)
def test_debug_mode_shows_details_and_traceback(settings):
    app = app_for(settings)
    error = post(app, '/fail', failing('runtime')).strict['error']
    assert error['code'] == -32603
    assert error['data']['name'] == 'builtins.RuntimeError'
    assert 'S3cr3tPw' in error['data']['message']
    assert 'Traceback' in error['data']['debug']
    error = post(app, '/fail', failing('http')).strict['error']
    assert error['code'] == -32000
    assert error['data']['status'] == 404
    assert error['data']['message'] == 'no row 42 in table secret_orders'
    assert 'Traceback' in error['data']['debug']


@pytest.mark.parametrize('value', ['false', 'off', 'ture', ''])
def test_debug_all_added_later_as_a_string_that_is_not_true_shows_nothing(
    value,
):
    # Pyramid converts pyramid.debug_all only when the Configurator is
    # made; config.add_settings leaves the string as given
    config = make_config()
    config.add_settings({'pyramid.debug_all': value, 'debug_all': value})
    config.add_controller(Api)
    app = TestApp(config.make_wsgi_app())
    response = post(app, '/fail', failing('runtime', id=3))
    assert response.strict['error'] == {
        'code': -32603,
        'message': 'Internal error',
    }
    assert b'Traceback' not in response.body


# -- always valid JSON --------------------------------------------------------


@pytest.mark.parametrize(
    'body',
    [
        '{"jsonrpc": "2.0", "method": "m", "id": 1e400}',
        '{"jsonrpc": "2.0", "method": "m", "id": -1E+999}',
        '{"jsonrpc": "2.0", "method": "m", "id": 1, "params": {"x": 1e400}}',
        '[{"jsonrpc": "2.0", "method": "m", "id": 1, '
        '"params": {"x": [-1e999]}}]',
        '{"jsonrpc": "2.0", "method": "m", "id": NaN}',
    ],
)
def test_a_number_overflowing_to_infinity_is_a_parse_error(app, body):
    response = post(app, '/rpc', body)
    assert response.strict['id'] is None
    assert response.strict['error']['code'] == -32700
    assert Api.calls == []


def test_large_finite_numbers_are_fine(app):
    body = (
        '{"jsonrpc": "2.0", "method": "m", "id": 1e308, "params": {"x": %s}}'
    )
    big = 10**300
    response = post(app, '/rpc', body % big)
    assert response.strict == {'jsonrpc': '2.0', 'id': 1e308, 'result': big}


@pytest.mark.parametrize('kind', ['nan', 'inf', 'rpc_nan'])
def test_a_reply_that_is_not_strict_json_is_an_internal_error(app, kind):
    response = post(app, '/fail', failing(kind, id=9))
    assert response.strict == {
        'jsonrpc': '2.0',
        'id': 9,
        'error': {'code': -32603, 'message': 'Internal error'},
    }


# -- headers and cookies of request.response ----------------------------------


class Account(Controller):
    @route('/login', type='json', auth='public')
    def login(self, user):
        self.request.response.headers.extend(remember(self.request, user))
        return 'welcome'

    @route('/logout', type='json', auth='user')
    def logout(self):
        self.request.response.headers.extend(forget(self.request))
        return 'bye'

    @route('/whoami', type='json', auth='public')
    def whoami(self):
        self.request.response.headers['X-Seen'] = 'yes'
        return self.request.authenticated_userid


class CookiePolicy:
    """A security policy on Pyramid's ``AuthTktCookieHelper``."""

    def __init__(self):
        self.helper = AuthTktCookieHelper('s3cret', hashalg='sha512')

    def identity(self, request):
        return self.helper.identify(request)

    def authenticated_userid(self, request):
        identity = self.identity(request)
        return identity['userid'] if identity else None

    def permits(self, request, context, permission):  # pragma: no cover
        return True

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request)


def test_remember_and_forget_reach_the_reply():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(CookiePolicy())
    config.add_controller(Account)
    app = TestApp(config.make_wsgi_app())
    response = post(app, '/whoami', call(id=1))
    assert response.strict['result'] is None
    assert response.headers['X-Seen'] == 'yes'
    response = post(app, '/login', call(id=1) | {'params': {'user': 'bob'}})
    assert response.strict['result'] == 'welcome'
    assert 'auth_tkt=' in response.headers['Set-Cookie']
    assert response.content_type == 'application/json'
    assert post(app, '/whoami', call(id=2)).strict['result'] == 'bob'
    response = post(app, '/logout', call(id=3))
    assert response.strict['result'] == 'bye'
    cleared = response.headers.getall('Set-Cookie')
    assert cleared and all('Max-Age=0' in value for value in cleared)
    assert post(app, '/whoami', call(id=4)).strict['result'] is None
    # a notification's 204 keeps them too
    response = post(app, '/whoami', call(id=...), status=204)
    assert response.headers['X-Seen'] == 'yes'
    assert 'Content-Type' not in response.headers


# -- content types ------------------------------------------------------------


@pytest.mark.parametrize(
    'content_type',
    [
        'APPLICATION/JSON',
        'application/json ; charset=utf-8',
        'Application/Json-RPC;charset=UTF-8',
    ],
)
def test_json_media_types_are_case_insensitive_with_parameters(
    app, content_type
):
    response = post(app, '/rpc', call(4), content_type=content_type)
    assert response.strict['result'] == 4


@pytest.mark.parametrize(
    'content_type', [None, 'text/plain', 'application/x-www-form-urlencoded']
)
def test_other_content_types_are_415_echoing_the_id(app, content_type):
    response = post(
        app, '/rpc', call(1, id='abc'), content_type=content_type, status=415
    )
    assert response.content_type == 'application/json'
    assert response.strict == {
        'jsonrpc': '2.0',
        'id': 'abc',
        'error': {
            'code': -32600,
            'message': 'Invalid Request',
            'data': {
                'message': 'a JSON-RPC request needs Content-Type: '
                'application/json'
            },
        },
    }
    assert Api.calls == []


@pytest.mark.parametrize(
    'body',
    [
        b'{"jsonrpc": "2.0", "method": "m", "id": {"a": 1}}',
        b'[{"jsonrpc": "2.0", "method": "m", "id": 1}]',
        b'not json',
        b'{"id": 1e400}',
        b'\xff',
    ],
)
def test_a_415_without_a_usable_id_answers_null(app, body):
    response = post(app, '/rpc', body, content_type='text/plain', status=415)
    assert response.strict['id'] is None
    assert response.strict['error']['code'] == -32600


# -- through a real server ----------------------------------------------------

SERVER = textwrap.dedent(
    """
    import sys
    import waitress
    from pyramid.config import Configurator
    from pyramid_hooks.controllers import Controller, route

    class Api(Controller):
        @route('/rpc', type='json', auth='public')
        def rpc(self, **kw):
            return kw

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Api)
    waitress.serve(
        config.make_wsgi_app(), host='127.0.0.1', port=int(sys.argv[1]),
        threads=2, _quiet=True,
    )
    """
)


def rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise AssertionError('no VmRSS')  # pragma: no cover


@pytest.fixture
def server():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        filter(None, [str(ROOT), env.get('PYTHONPATH')])
    )
    proc = subprocess.Popen(
        [sys.executable, '-c', SERVER, str(port)], cwd=str(ROOT), env=env
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, 'the server exited'
            try:
                socket.create_connection(('127.0.0.1', port), 1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, 'the server did not start'
                time.sleep(0.1)
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(30)


def send(port, body, chunked=False):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    headers = {'Content-Type': 'application/json'}
    if chunked:
        size = 64 * 1024
        chunks = (body[i : i + size] for i in range(0, len(body), size))
        conn.request('POST', '/rpc', chunks, headers, encode_chunked=True)
    else:
        conn.request('POST', '/rpc', body, headers)
    response = conn.getresponse()
    result = response.status, response.read()
    conn.close()
    return result


def test_a_batch_bomb_through_waitress_keeps_memory_bounded(server):
    proc, port = server
    status, body = send(port, json.dumps(call('up')).encode())
    assert (status, strict_json(body)['result']) == (200, {'x': 'up'})
    before = rss_kib(proc.pid)
    bomb = b'[' + b'0,' * (1024 * 1024 - 1) + b'0]'  # 2 MiB, 1 Mi calls
    for chunked in (False, True, False, True):
        status, body = send(port, bomb, chunked=chunked)
        assert status == 413
        assert strict_json(body)['error']['data']['message'] == (
            'the request body is over 1048576 bytes'
        )
    # under the body limit, the batch limit refuses it as a whole
    half = b'[' + b'0,' * (256 * 1024 - 1) + b'0]'
    status, body = send(port, half)
    assert status == 200
    assert len(body) < 300
    assert strict_json(body)['error']['code'] == -32600
    growth = rss_kib(proc.pid) - before
    print(f'\nwaitress RSS: {before} KiB before, grew by {growth} KiB')
    assert growth < 50 * 1024, f'the server grew by {growth} KiB'
