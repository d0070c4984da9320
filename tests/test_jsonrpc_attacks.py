"""JSON-RPC routes under attack (an attacker-minded review): whatever a
client sends and whatever a handler returns, each call gets a clean
JSON-RPC answer, a failure stays within its call, and the reply is strict
JSON that says nothing about the server."""

import pytest
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.jsonrpc import JsonRpcError
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post as hardening_post

SECRET = 'postgresql://app:S3cr3tPw@db'


class Opaque:
    """An object JSON cannot write, nor :func:`str`."""

    def __str__(self):
        raise RuntimeError(SECRET)

    __repr__ = __str__


class Leaky:
    """A result whose ``__json__`` fails."""

    def __init__(self, error):
        self.error = error

    def __json__(self, request):
        raise self.error


def cyclic():
    data = []
    data.append(data)
    return data


#: What ``Api.answer`` returns or raises, by ``kind``.
ANSWERS = {
    'json raises': lambda: Leaky(RuntimeError(SECRET)),
    'json raises KeyError': lambda: Leaky(KeyError(SECRET)),
    'tuple keys': lambda: {(1, 2): 'x'},
}

#: The ``data`` of a :class:`JsonRpcError` ``Api.answer`` raises, by kind.
ERROR_DATA = {
    'error data, tuple keys': lambda: {(1, 2): 'x'},
    'error data, str raises': lambda: {'x': Opaque()},
    'error data, a cycle': cyclic,
}


class Api(Controller):
    @route('/rpc', type='json', auth='public')
    def answer(self, kind=None):
        if kind in ERROR_DATA:
            raise JsonRpcError(7, 'mine', ERROR_DATA[kind]())
        if kind in ANSWERS:
            return ANSWERS[kind]()
        self.request.response.set_cookie('seen', kind or 'ok')
        return kind or 'ok'

    @route('/echo', type='json', auth='public')
    def echo(self, **params):
        return params


def app_for(settings=None):
    config = make_config(settings)
    config.add_controller(Api)
    return TestApp(config.make_wsgi_app())


@pytest.fixture
def app():
    return app_for()


def post(app, body, path='/rpc', **kw):
    """:func:`tests.test_jsonrpc_hardening.post` to *path*, checking that
    no secret reaches the reply."""
    response = hardening_post(app, path, body, **kw)
    assert SECRET not in response.text
    return response


def call(kind=None, id=1, method='answer'):
    params = {} if kind is None else {'kind': kind}
    return {'jsonrpc': '2.0', 'method': method, 'params': params, 'id': id}


INTERNAL = {'code': -32603, 'message': 'Internal error'}


# -- a result or error data that cannot be written -------------------------


@pytest.mark.parametrize('kind', [*ANSWERS, *ERROR_DATA])
def test_an_unwritable_answer_is_an_internal_error_of_its_call(app, kind):
    """A ``__json__`` that raises, or a ``JsonRpcError`` whose ``data``
    cannot be written, was a 500 for the whole request: now -32603 for
    that call, the other calls of its batch answered, no cookie from
    it."""
    response = post(app, [call('a', id=1), call(kind, id=2), call(id=3)])
    assert response.status_int == 200
    assert response.strict == [
        {'jsonrpc': '2.0', 'id': 1, 'result': 'a'},
        {'jsonrpc': '2.0', 'id': 2, 'error': INTERNAL},
        {'jsonrpc': '2.0', 'id': 3, 'result': 'ok'},
    ]
    single = post(app, call(kind, id=4))
    assert single.strict == {'jsonrpc': '2.0', 'id': 4, 'error': INTERNAL}
    assert 'Set-Cookie' not in single.headers


# -- bodies ---------------------------------------------------------------


def parse_error(response):
    """The ``data.message`` of the -32700 error *response* is."""
    assert response.status_int == 200
    error = response.strict.pop('error')
    assert response.strict == {'jsonrpc': '2.0', 'id': None}
    assert error['code'] == -32700
    assert error['message'] == 'Parse error'
    return error['data']['message']


CALL = '{"jsonrpc": "2.0", "method": "echo", "id": 1, "params": {"x": %s}}'


@pytest.mark.parametrize(
    'text',
    [
        r'"\ud800"',
        r'"\uDFFF"',
        r'"a\udc00b"',
        r'"\ude00\ud83d"',  # a pair in the wrong order
        r'["ok", {"\ud800": 1}]',
        r'"\\ud800\ud800"',  # an escaped backslash, then a lone one
    ],
)
def test_a_lone_surrogate_is_a_parse_error(app, text):
    """``\\ud800`` alone is no Unicode character: the handler would get a
    text that cannot be encoded (a 500 in its database driver, its log
    handler), and the echo a reply strict parsers refuse (I-JSON)."""
    message = parse_error(post(app, CALL % text, path='/echo'))
    assert message == (
        'a string holds a lone surrogate (an escape from \\ud800 to '
        '\\udfff outside a pair): it is no Unicode text'
    )


@pytest.mark.parametrize(
    'text, value',
    [
        (r'"\ud83d\ude00"', '\U0001f600'),
        (r'"\\ud800"', '\\ud800'),  # an escaped backslash: plain text
        ('"\U0001f600"', '\U0001f600'),
    ],
)
def test_surrogate_pairs_and_escaped_backslashes_pass(app, text, value):
    response = post(app, CALL % text, path='/echo')
    assert response.strict['result'] == {'x': value}


@pytest.mark.parametrize(
    'body, name',
    [
        ('{"jsonrpc": "2.0", "method": "echo", "id": 1, "id": 2}', 'id'),
        (
            '{"jsonrpc": "2.0", "method": "echo", "method": "drop", "id": 1}',
            'method',
        ),
        (
            '[{"jsonrpc": "2.0", "method": "echo", "id": 1, '
            '"params": {"x": 1, "y": {"a": 1, "a": 2}}}]',
            'a',
        ),
    ],
)
def test_a_member_name_given_twice_is_a_parse_error(app, body, name):
    """Parsers disagree on which of the two counts (Python's: the last; a
    filtering proxy's may be the first), so neither runs."""
    message = parse_error(post(app, body, path='/echo'))
    assert message == f'the member name "{name}" is given twice in an object'


@pytest.mark.parametrize(
    'number',
    ['1' * 4301, '-' + '9' * 5000, '0.' + '1' * 5000],
    ids=['4301 digits', '-5000 digits', 'a float of 5000 digits'],
)
def test_a_number_of_too_many_digits_is_a_parse_error(app, number):
    """Python refuses to read an ``int`` of more than 4300 digits; the
    error says so without telling the client to call Python's
    ``sys.set_int_max_str_digits``."""
    response = post(app, CALL % number, path='/echo')
    if '.' in number:  # a float: read, finite
        assert response.strict['result']['x'] == float(number)
        return
    assert parse_error(response) == 'a number has more than 4300 digits'
    response = post(app, CALL % number[:4300], path='/echo')
    assert response.strict['result'] == {'x': int(number[:4300])}


@pytest.mark.parametrize(
    'body',
    [
        b'\xef\xbb\xbf' + (CALL % 1).encode(),  # a UTF-8 byte order mark
        (CALL % 1).encode('utf-16'),
        (CALL % '"caf\xe9"').encode('latin-1'),
        (CALL % '"\xed\xa0\x80"').encode('latin-1'),  # an encoded surrogate
        b'',
        b'\x00',
    ],
)
def test_a_body_that_is_no_utf8_json_text_is_a_parse_error(app, body):
    parse_error(post(app, body, path='/echo'))


def otp_check(request):
    """An ``auth`` mode that sets a cookie, then refuses (a login that
    checks a one-time password after ``remember()``)."""
    request.response.set_cookie('uid', 'alice')
    return request.headers.get('X-OTP') == '123456'


class Guarded(Controller):
    @route('/otp', type='json', auth='otp')
    def alone(self):
        return 'in'

    @route('/otp-shared', type='json', auth='otp', rpc_method='a')
    def shared_a(self):
        return 'a'

    @route('/otp-shared', type='json', auth='public', rpc_method='b')
    def shared_b(self):
        self.request.response.set_cookie('b', 'ok')
        return 'b'

    @route('/otp-page', auth='otp')
    def page(self):
        return self.request.make_response('in')


@pytest.mark.parametrize(
    'path, calls',
    [
        ('/otp', [{'jsonrpc': '2.0', 'method': 'alone', 'id': 1}]),
        ('/otp-shared', [{'jsonrpc': '2.0', 'method': 'a', 'id': 1}]),
        (
            '/otp-shared',
            [
                {'jsonrpc': '2.0', 'method': 'a', 'id': 1},
                {'jsonrpc': '2.0', 'method': 'b', 'id': 2},
            ],
        ),
    ],
)
def test_a_refused_call_sends_no_cookie_its_auth_check_set(path, calls):
    """As an http route refused by its ``auth`` check (whose
    ``request.response`` Pyramid drops), a JSON call refused by it
    contributes no header or cookie; the other calls' stay."""
    config = make_config(forbidden_view=False)
    config.add_controller_auth('otp', otp_check)
    config.add_controller(Guarded)
    app = TestApp(config.make_wsgi_app())
    res = app.post_json(path, calls if len(calls) > 1 else calls[0])
    replies = res.json if len(calls) > 1 else [res.json]
    assert replies[0]['error']['code'] == -32001
    cookies = res.headers.getall('Set-Cookie')
    assert not any(c.startswith('uid=') for c in cookies)
    assert [c.split(';')[0] for c in cookies] == (
        ['b=ok'] if len(calls) > 1 else []
    )
    assert app.get('/otp-page', status=403).headers.get('Set-Cookie') is None
    res = app.post_json(path, calls[0], headers={'X-OTP': '123456'})
    assert 'error' not in res.json
    assert res.headers['Set-Cookie'].startswith('uid=alice')
