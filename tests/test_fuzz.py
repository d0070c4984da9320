"""Bad input, property-based (hypothesis).

Whatever a client sends — arbitrary unicode, invalid UTF-8, odd
percent-encoding, broken form bodies — the answer is a well-formed 2xx or
4xx, never a 500 and never a traceback in the body.  WebTest's WSGI lint
checks every exchange.

Run with ``--hypothesis-show-statistics`` to see how many examples ran.
"""

import json
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyramid.config import Configurator
from pyramid.exceptions import URLDecodeError
from pyramid.httpexceptions import HTTPBadRequest
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    Controller,
    Invalid,
    ServerSideCallbackMixin,
    always_allow,
    route,
    serverside_callback,
)

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: any unicode text a client can encode (no lone surrogates: they cannot
#: be sent as UTF-8 at all)
TEXT = st.text(st.characters(exclude_categories=('Cs',)), max_size=40)
#: the names the fuzz app gives a meaning to (hypothesis also draws the
#: string constants of the code under test, so they do come up)
RESERVED = ('seg', 'reject', '_hooks')
KEYS = TEXT.filter(lambda key: key not in RESERVED)


def validate(request, params):
    if 'reject' in params:
        raise Invalid({'reject': 'refused'})
    return params


def echo(request):
    return dict(request.hook_params)


def _app():
    config = Configurator()
    config.include('pyramid_hooks')
    seen = []
    config.register_hook(
        'before_validate', lambda request, params: seen.append(len(params))
    )
    config.register_hook(
        'before_render',
        lambda request, params, output: output.setdefault('_hooks', 'ran'),
    )
    config.add_controller_wrapper(lambda next_caller: next_caller)
    config.add_route('echo', '/echo/{seg}')
    config.add_view(
        echo, route_name='echo', renderer='json', validate=validate
    )
    return TestApp(config.make_wsgi_app())


APP = _app()


def well_formed(res, allowed=(200, 400)):
    """A 2xx/4xx from the list, no traceback, and a body that matches its
    content type."""
    assert res.status_int in allowed, (res.status, res.body[:300])
    assert b'Traceback' not in res.body
    assert b'File "' not in res.body
    if res.content_type == 'application/json':
        json.loads(res.body)
    return res


def expected(pairs, seg):
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    out = {k: v[0] if len(v) == 1 else v for k, v in out.items()}
    out['seg'] = seg
    out['_hooks'] = 'ran'
    return out


@FUZZ
@given(
    seg=TEXT.filter(lambda s: s not in ('', '.', '..') and '/' not in s),
    pairs=st.lists(st.tuples(KEYS, TEXT), max_size=6),
)
def test_unicode_query_parameters_round_trip(seg, pairs):
    query = urlencode(pairs, quote_via=quote)
    res = well_formed(APP.get(f'/echo/{quote(seg, safe="")}?{query}'))
    assert res.status_int == 200
    assert res.json == expected(pairs, seg)


@FUZZ
@given(pairs=st.lists(st.tuples(KEYS, TEXT), max_size=6))
def test_unicode_form_parameters_round_trip(pairs):
    res = well_formed(APP.post('/echo/x', urlencode(pairs)))
    assert res.status_int == 200
    assert res.json == expected(pairs, 'x')


@FUZZ
@given(pairs=st.lists(st.tuples(KEYS, TEXT), min_size=1, max_size=4))
def test_invalid_parameters_are_400(pairs):
    query = urlencode([*pairs, ('reject', '1')], quote_via=quote)
    res = well_formed(
        APP.get(
            f'/echo/x?{query}',
            headers={'Accept': 'application/json'},
            expect_errors=True,
        )
    )
    assert res.status_int == 400
    assert res.json == {'status': 400, 'errors': {'reject': 'refused'}}


@FUZZ
@given(raw=st.binary(max_size=60))
def test_raw_bytes_in_the_query_string(raw):
    """Any bytes, percent-encoded (invalid UTF-8 included): decoded, or a
    400 saying the parameters cannot be decoded."""
    query = quote(raw, safe='=&')
    res = well_formed(APP.get(f'/echo/x?{query}', expect_errors=True))
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError:
        if res.status_int == 400:
            assert 'cannot be decoded' in res.text
    else:
        assert res.status_int in (200, 400)


@FUZZ
@given(query=st.text(st.sampled_from('%&=+;a0Fz'), max_size=30))
def test_odd_percent_encoding(query):
    """Truncated escapes (``%``, ``%F``), ``+``, separators: never a 500."""
    well_formed(APP.get(f'/echo/x?{query}', expect_errors=True))


@FUZZ
@given(
    body=st.binary(max_size=200),
    content_type=st.sampled_from(
        [
            'application/x-www-form-urlencoded',
            'application/x-www-form-urlencoded; charset=latin-1',
            'multipart/form-data; boundary=xyz',
            'multipart/form-data',
            'text/plain',
            'application/json',
        ]
    ),
)
def test_arbitrary_request_bodies(body, content_type):
    """Invalid UTF-8, truncated multipart, garbage: a 2xx/4xx."""
    well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=body,
            headers={'Content-Type': content_type},
            expect_errors=True,
        )
    )


def multipart(fields, boundary='b0undaryXq'):
    """A ``multipart/form-data`` body, names and values in UTF-8.  A name
    is a quoted-string, whose backslashes the parser (WebOb's, through
    :mod:`cgi`) unescapes, so they are escaped here."""
    lines = []
    for name, value in fields:
        quoted = name.replace('\\', '\\\\')
        lines += [
            f'--{boundary}',
            f'Content-Disposition: form-data; name="{quoted}"',
            '',
            value,
        ]
    lines += [f'--{boundary}--', '']
    body = '\r\n'.join(lines).encode('utf-8')
    return body, f'multipart/form-data; boundary={boundary}'


FIELD = st.text(
    st.characters(exclude_categories=('Cs', 'Cc')), min_size=1, max_size=20
)


@FUZZ
@example(parts=[('\\\\', '0'), ('a\\b', '1')])
@given(
    parts=st.lists(
        st.tuples(
            FIELD.filter(lambda k: '"' not in k and k not in RESERVED),
            FIELD,
        ),
        max_size=4,
    )
)
def test_multipart_form_round_trip(parts):
    body, content_type = multipart(parts)
    res = well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=body,
            headers={'Content-Type': content_type},
            expect_errors=True,
        )
    )
    assert res.status_int == 200
    assert res.json == expected(parts, 'x')


def test_a_form_in_another_charset_is_a_400():
    """WebOb refuses non-UTF-8 form bodies (by raising DeprecationWarning);
    for the pipeline hooks that is the client's fault, not a 500."""
    res = well_formed(
        APP.request(
            '/echo/x',
            method='POST',
            body=b'a=%E9',
            headers={
                'Content-Type': (
                    'application/x-www-form-urlencoded; charset=latin-1'
                )
            },
            expect_errors=True,
        )
    )
    assert res.status_int == 400
    assert 'cannot be decoded' in res.text


# -- widget callback paths ---------------------------------------------------


class FuzzWidget(ServerSideCallbackMixin):
    @serverside_callback(request_method='GET', authorization=always_allow)
    def echo(self, request):
        return Response(json=dict(request.GET))


class FuzzController(Controller):
    @route('/c/h/{a}', auth='public', renderer='json')
    def http(self, a, b=None):
        return {'a': a, 'b': b}

    @route('/c/kwh/{a}', auth='public', renderer='json')
    def http_kw(self, a, **kw):
        return {'a': a, 'kw': kw}

    @route('/c/rpc', type='json', auth='public')
    def rpc(self, a, b=None):
        return {'a': a, 'b': b}

    @route('/c/kw', type='json', auth='public')
    def kw(self, **kw):
        return kw

    @route('/c/boom', type='json', auth='public')
    def boom(self, **kw):
        raise ValueError('boom')


def bad_url(exc, request):
    """Pyramid's documented answer to a path that is not UTF-8 (its router
    raises URLDecodeError before any route or view): the application's
    exception view."""
    return HTTPBadRequest('The URL is not UTF-8')


def _app2():
    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook(
        'before_call',
        lambda request, params: request.environ.setdefault(
            'fuzz.params', len(params)
        ),
    )
    config.add_widget(FuzzWidget(id='fw'))
    config.add_controller(FuzzController)
    config.add_exception_view(bad_url, context=URLDecodeError)
    return TestApp(config.make_wsgi_app())


APP2 = _app2()

SEGMENT = st.text(
    st.characters(exclude_categories=('Cs',)), min_size=1, max_size=30
)


@FUZZ
@given(widget=SEGMENT, callback=SEGMENT)
def test_widget_paths_arbitrary_unicode(widget, callback):
    path = f'/_widgets/{quote(widget, safe="")}/{quote(callback, safe="")}'
    res = well_formed(APP2.get(path, expect_errors=True), (200, 404))
    if (widget, callback) == ('fw', 'echo'):
        assert res.status_int == 200
    else:
        assert res.status_int == 404


@FUZZ
@given(
    parts=st.lists(
        st.sampled_from(
            [
                '..',
                '.',
                '%2e%2e',
                '%2E',
                '%2F',
                '%2f..',
                '/',
                '//',
                'fw',
                'echo',
                '_widgets',
                '%00',
                '%5C',
                '\\',
                ';',
                '%3B',
                '~',
            ]
        ),
        min_size=1,
        max_size=8,
    )
)
def test_widget_paths_traversal_and_encoded_slashes(parts):
    """Traversal attempts and encoded slashes never reach a callback
    other than by its exact URL, and never fail."""
    path = '/_widgets/' + '/'.join(parts)
    res = well_formed(APP2.get(path, expect_errors=True), (200, 301, 302, 404))
    if res.status_int == 200:
        assert res.request.path_info == '/_widgets/fw/echo'


@FUZZ
@given(
    length=st.integers(min_value=256, max_value=64_000), where=st.booleans()
)
def test_widget_paths_very_long_segments(length, where):
    long = 'w' * length
    path = f'/_widgets/{long}/echo' if where else f'/_widgets/fw/{long}'
    well_formed(APP2.get(path, expect_errors=True), (404,))


@FUZZ
@given(raw=st.binary(min_size=1, max_size=30))
def test_widget_paths_raw_bytes(raw):
    """Any bytes in the path: 404 (or 200 for the exact URL), or the
    application's 400 for a path that is not UTF-8."""
    path = '/_widgets/fw/' + quote(raw, safe='')
    res = well_formed(APP2.get(path, expect_errors=True), (200, 400, 404))
    try:
        raw.decode('utf-8')
    except UnicodeDecodeError:
        assert res.status_int == 400


@FUZZ
@given(query=st.lists(st.tuples(KEYS, TEXT), max_size=5))
def test_widget_query_parameters(query):
    res = well_formed(
        APP2.get(
            f'/_widgets/fw/echo?{urlencode(query, quote_via=quote)}',
            expect_errors=True,
        )
    )
    assert res.status_int == 200
    assert res.json == dict(query)


# -- controller parameters ---------------------------------------------------


@FUZZ
@given(
    a=SEGMENT.filter(lambda s: s not in ('.', '..') and '/' not in s),
    query=st.lists(st.tuples(TEXT, TEXT), max_size=5),
)
def test_http_controller_parameters(a, query):
    """Extra parameters are dropped, a repeated one is a list, the path
    segment wins over a query parameter of the same name."""
    res = well_formed(
        APP2.get(
            f'/c/h/{quote(a, safe="")}?{urlencode(query, quote_via=quote)}',
            expect_errors=True,
        )
    )
    assert res.status_int == 200
    bs = [v for k, v in query if k == 'b']
    expected_b = None if not bs else bs[0] if len(bs) == 1 else bs
    assert res.json == {'a': a, 'b': expected_b}


#: parameter names, the handler's own ``self`` among them
NAMES = st.sampled_from(['self', 'a', 'b', 'kw', 'request']) | TEXT


@FUZZ
@given(query=st.lists(st.tuples(NAMES, TEXT), max_size=5))
@example(query=[('csrf_token', '')])
def test_http_controller_parameters_with_kw(query):
    """A handler taking ``**kw`` gets every parameter but one named like
    its ``self`` (which would clash with the instance) and the CSRF token
    (never a handler argument)."""
    res = well_formed(
        APP2.get(
            f'/c/kwh/x?{urlencode(query, quote_via=quote)}',
            expect_errors=True,
        )
    )
    assert res.status_int == 200
    expected = {}
    for key, value in query:
        expected.setdefault(key, []).append(value)
    expected = {
        k: v[0] if len(v) == 1 else v
        for k, v in expected.items()
        if k not in ('self', 'a', 'csrf_token')
    }
    assert res.json == {'a': 'x', 'kw': expected}


# -- JSON-RPC bodies ---------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
IDS = (
    st.none()
    | st.integers()
    | TEXT
    | st.floats(allow_nan=False, allow_infinity=False)
)
CODES = {-32700, -32600, -32602, -32603, -32000, -32001}


def check_reply(reply, call=None):
    """One well-formed JSON-RPC 2.0 reply (to *call*, when given)."""
    assert isinstance(reply, dict), reply
    assert reply['jsonrpc'] == '2.0'
    assert 'id' in reply
    assert ('result' in reply) != ('error' in reply), reply
    if 'error' in reply:
        error = reply['error']
        assert error['code'] in CODES, error
        assert isinstance(error['message'], str)
        assert 'debug' not in error.get('data', {})
    if (
        isinstance(call, dict)
        and 'id' in call
        and ('result' in reply or reply['error']['code'] != -32600)
    ):
        assert reply['id'] == call['id']


def post_rpc(path, body, content_type='application/json'):
    if not isinstance(body, bytes):
        body = body.encode('utf-8')
    res = APP2.request(
        path,
        method='POST',
        body=body,
        headers={'Content-Type': content_type},
        expect_errors=True,
    )
    expected = (200, 204) if content_type == 'application/json' else (415,)
    assert res.status_int in expected, (res.status, res.body[:300])
    assert b'Traceback' not in res.body
    if res.status_int == 204:
        assert res.body == b''
        return None
    assert res.content_type == 'application/json'
    return json.loads(res.body)


def check_envelope(payload, body):
    if isinstance(body, list) and body:
        assert isinstance(payload, list)
        assert 0 < len(payload) <= len(body)
        for reply in payload:
            check_reply(reply)
    elif payload is not None:
        check_reply(payload, body)


@FUZZ
@given(body=JSON, path=st.sampled_from(['/c/rpc', '/c/kw', '/c/boom']))
def test_jsonrpc_arbitrary_json(body, path):
    payload = post_rpc(path, json.dumps(body))
    if not isinstance(body, (dict, list)) or body == []:
        assert payload['error']['code'] == -32600
    check_envelope(payload, body)


@FUZZ
@given(raw=st.binary(max_size=80))
def test_jsonrpc_arbitrary_bytes(raw):
    """Invalid UTF-8 and garbage: a parse error (or, by chance, JSON)."""
    payload = post_rpc('/c/kw', raw)
    try:
        body = json.loads(raw.decode('utf-8'))
    except ValueError:
        assert payload['error']['code'] == -32700
        assert payload['id'] is None
    else:
        check_envelope(payload, body)


@FUZZ
@given(params=st.dictionaries(NAMES, JSON, max_size=5), id_=IDS)
def test_jsonrpc_params_round_trip(params, id_):
    call = {'jsonrpc': '2.0', 'id': id_, 'method': 'kw', 'params': params}
    payload = post_rpc('/c/kw', json.dumps(call))
    check_reply(payload, call)
    if 'self' in params:
        assert payload['error']['code'] == -32602
        assert 'self' in payload['error']['data']['message']
    else:
        assert payload == {'jsonrpc': '2.0', 'id': id_, 'result': params}


@FUZZ
@given(params=st.dictionaries(NAMES, JSON, max_size=4))
def test_jsonrpc_params_checked_against_the_handler(params):
    call = {'jsonrpc': '2.0', 'id': 7, 'method': 'rpc', 'params': params}
    payload = post_rpc('/c/rpc', json.dumps(call))
    check_reply(payload, call)
    if 'a' in params and set(params) <= {'a', 'b'}:
        assert payload['result'] == {'a': params['a'], 'b': params.get('b')}
    else:
        assert payload['error']['code'] == -32602


@FUZZ
@given(
    member=st.fixed_dictionaries(
        {},
        optional={
            'jsonrpc': JSON | st.just('2.0'),
            'method': JSON | st.just('rpc'),
            'id': JSON,
            'params': JSON,
        },
    )
)
def test_jsonrpc_wrong_types(member):
    payload = post_rpc('/c/kw', json.dumps(member))
    check_envelope(payload, member)


@FUZZ
@given(depth=st.integers(min_value=1, max_value=200_000))
def test_jsonrpc_deep_nesting(depth):
    params = '{"x": ' + '[' * depth + ']' * depth + '}'
    body = f'{{"jsonrpc": "2.0", "id": 1, "method": "kw", "params": {params}}}'
    payload = post_rpc('/c/kw', body)
    check_reply(payload)
    if 'error' in payload:
        assert payload['error']['code'] in (-32700, -32603)


@FUZZ
@given(
    number=st.integers(min_value=10**20) | st.integers(max_value=-(10**20)),
    digits=st.integers(min_value=1, max_value=20_000),
    form=st.sampled_from(['int', 'digits', 'exp', 'nan']),
)
def test_jsonrpc_huge_numbers(number, digits, form):
    value = {
        'int': str(number),
        'digits': '9' * digits,
        'exp': f'1e{digits}',
        'nan': 'NaN',
    }[form]
    body = (
        f'{{"jsonrpc": "2.0", "id": {value}, "method": "kw", '
        f'"params": {{"n": {value}}}}}'
    )
    payload = post_rpc('/c/kw', body)
    check_reply(payload)
    if 'result' in payload:
        assert payload['id'] == payload['result']['n']


@FUZZ
@given(
    batch=st.lists(
        st.one_of(
            st.builds(
                lambda i, p: {
                    'jsonrpc': '2.0',
                    'id': i,
                    'method': 'kw',
                    'params': p,
                },
                st.integers(),
                st.dictionaries(
                    TEXT.filter(lambda k: k != 'self'), JSON, max_size=3
                ),
            ),
            st.builds(
                lambda p: {'jsonrpc': '2.0', 'method': 'kw', 'params': p},
                st.dictionaries(
                    TEXT.filter(lambda k: k != 'self'), JSON, max_size=3
                ),
            ),
            JSON,
        ),
        max_size=8,
    ),
    path=st.sampled_from(['/c/kw', '/c/boom']),
)
def test_jsonrpc_batches(batch, path):
    payload = post_rpc(path, json.dumps(batch))
    if not batch:
        assert payload['error']['code'] == -32600
        return
    calls = [m for m in batch if isinstance(m, dict) and 'id' in m]
    if payload is None:
        assert not calls
        return
    check_envelope(payload, batch)
    by_id = {}
    for reply in payload:
        by_id.setdefault(json.dumps(reply['id']), []).append(reply)
    for member in calls:
        if member.get('method') == 'kw' and member.get('jsonrpc') == '2.0':
            replies = by_id[json.dumps(member['id'])]
            if path == '/c/kw':
                assert {
                    'jsonrpc': '2.0',
                    'id': member['id'],
                    'result': member['params'],
                } in replies
            else:
                assert {
                    'jsonrpc': '2.0',
                    'id': member['id'],
                    'error': {'code': -32603, 'message': 'Internal error'},
                } in replies


@FUZZ
@given(
    content_type=st.sampled_from(
        [
            'text/plain',
            'application/x-www-form-urlencoded',
            'text/json',
            'application/javascript',
            'multipart/form-data; boundary=z',
        ]
    ),
    body=JSON,
)
def test_jsonrpc_refuses_other_content_types(content_type, body):
    payload = post_rpc('/c/kw', json.dumps(body), content_type)
    assert payload['error']['code'] == -32600


def test_a_parameter_named_like_self_is_not_passed():
    """``?self=1`` must not clash with the handler's bound instance: an
    http handler with ``**kw`` does not get it, a JSON call is -32602."""
    res = APP2.get('/c/kwh/x?self=1&other=2')
    assert res.json == {'a': 'x', 'kw': {'other': '2'}}
    res = APP2.get('/c/kwh/x?other=2')
    assert res.json == {'a': 'x', 'kw': {'other': '2'}}
    payload = post_rpc(
        '/c/kw',
        json.dumps(
            {
                'jsonrpc': '2.0',
                'id': 1,
                'method': 'kw',
                'params': {'self': 1, 'other': 2},
            }
        ),
    )
    assert payload['error']['code'] == -32602
    assert payload['error']['data'] == {
        'message': 'unexpected parameter(s): self'
    }
