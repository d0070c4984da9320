"""Attacker findings on the web side (``make_response``, the pipeline's
``params`` and validation, the trace), each through a real application."""

import json
import logging

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webob import Request
from webtest import TestApp

from pyramid_hooks import (
    Invalid,
    ServerSideCallbackMixin,
    serverside_callback,
)
from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.trace import get_trace
from pyramid_hooks.widgets import always_allow

# -- make_response refuses what a WSGI server would reject --------------------


class Made(Controller):
    @route('/made', auth='public', csrf=False)
    def made(self):
        spec = json.loads(self.request.body)
        return self.request.make_response(
            'made',
            headers=spec.get('headers'),
            cookies=spec.get('cookies'),
            status=spec.get('status', 200),
        )


@pytest.fixture
def made_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Made)
    return TestApp(config.make_wsgi_app())


def made(app, **spec):
    return app.post('/made', json.dumps(spec))


@pytest.mark.parametrize(
    ('spec', 'message'),
    [
        ({'headers': [['X A', 'v']]}, "invalid header name 'X A'"),
        ({'headers': [['X:A', 'v']]}, "invalid header name 'X:A'"),
        ({'headers': {'': 'v'}}, "invalid header name ''"),
        ({'headers': {'X-Caf\u00e9': 'v'}}, "header name 'X-Caf\u00e9'"),
        ({'headers': {'X-A': 'a\x00b'}}, r"header 'X-A' contains '\x00'"),
        ({'headers': {'X-A': 'a\x1bb'}}, r"header 'X-A' contains '\x1b'"),
        ({'headers': {'X-A': '\u20ac'}}, "header 'X-A' contains '\u20ac'"),
        ({'status': 42}, 'invalid status 42: the code must be 200 to 599'),
        ({'status': 600}, 'invalid status 600'),
        ({'status': '099 Low'}, "invalid status '099 Low'"),
        ({'status': '999 X'}, "invalid status '999 X'"),
        ({'status': 'abc'}, "invalid status 'abc'"),
        ({'status': ' 200 OK'}, "invalid status ' 200 OK'"),
        ({'status': '200 O\x00K'}, r"invalid status '200 O\x00K'"),
    ],
)
def test_make_response_refuses_what_servers_reject(made_app, spec, message):
    with pytest.raises(ValueError) as e:
        made(made_app, **spec)
    assert str(e.value).startswith('make_response: ')
    assert message in str(e.value)


def test_make_response_keeps_valid_names_values_and_statuses(made_app):
    response = made(
        made_app,
        headers=[['X-A_1', 'caf\u00e9 ok'], ['X-B', '']],
        status='299 Custom reason',
    )
    assert response.status == '299 Custom reason'
    assert response.headers['X-A_1'] == 'caf\u00e9 ok'
    assert response.headers['X-B'] == ''
    assert made(made_app, status='202').status == '202 Accepted'
    made_app.post('/made', json.dumps({'status': 599}), status=599)


# -- a validator's result is the parameters, None, or a TypeError -------------


def returns_what_it_is_asked(request, params):
    return {
        'false': False,
        'true': True,
        'list': ['name is required'],
        'long': ['e' * 100],
        'text': 'invalid',
        'zero': 0,
        'none': None,
        'dict': {'name': 'ok'},
    }[params['give']]


def served(request):
    return {'params': dict(request.hook_params)}


def validating_app(trace=False, traces=None):
    config = Configurator()
    config.include('pyramid_hooks')
    if trace:
        config.include('pyramid_hooks.trace')
        config.register_hook(
            'request_finished',
            lambda request: traces.append(get_trace(request)),
        )
    config.add_route('served', '/served')
    config.add_view(
        served,
        route_name='served',
        renderer='json',
        validate=returns_what_it_is_asked,
    )
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('trace', [False, True])
@pytest.mark.parametrize(
    ('give', 'shown'),
    [
        ('false', 'False (bool)'),
        ('true', 'True (bool)'),
        ('list', "['name is required'] (list)"),
        ('text', "'invalid' (str)"),
        ('zero', '0 (int)'),
        ('long', "['" + 'e' * 75 + '... (list)'),
    ],
)
def test_a_validator_returning_no_mapping_fails_closed(trace, give, shown):
    traces = []
    app = validating_app(trace, traces)
    with pytest.raises(TypeError) as e:
        app.get(f'/served?give={give}')
    message = str(e.value)
    assert message.startswith(
        f'Validator {__name__}.returns_what_it_is_asked returned {shown}:'
    )
    assert 'pyramid_hooks.Invalid' in message
    if trace:  # the trace does not call it valid either
        (step,) = [s for s in traces[0] if s['kind'] == 'validation']
        assert step['outcome'] == f'returned {shown[:-1].rsplit("(")[1]}'


def test_a_validator_returning_none_or_a_mapping_is_valid():
    app = validating_app()
    assert app.get('/served?give=none').json == {'params': {'give': 'none'}}
    assert app.get('/served?give=dict').json == {'params': {'name': 'ok'}}


# -- a retried request gets one trace per attempt -----------------------------


class Conflict(Exception):
    """What a view raises for the execution policy to try again."""


def retrying_policy(environ, router):
    """An execution policy doing what pyramid_retry's does: each attempt is
    a new request object made for the same environ."""
    for attempt in range(3):
        environ['test.attempt'] = attempt
        context = router.request_context(environ)
        request = context.begin()
        try:
            return router.invoke_request(request)
        except Conflict:
            continue
        finally:
            context.end()
    raise AssertionError('no attempt succeeded')  # pragma: no cover


def checked(request, params):
    pass


def conflicting(request):
    if request.environ['test.attempt'] < 2:
        raise Conflict()
    return {}


def test_each_attempt_of_a_retried_request_has_its_own_trace(caplog):
    caplog.set_level(logging.DEBUG, logger='pyramid_hooks.trace')
    seen = []
    config = Configurator()
    config.set_execution_policy(retrying_policy)
    config.include('pyramid_hooks.trace')
    config.register_hook('before_call', checked)
    config.register_hook(
        'request_finished', lambda request: seen.append(get_trace(request))
    )
    config.add_route('flaky', '/flaky')
    config.add_view(conflicting, route_name='flaky', renderer='json')
    environs = []
    app = config.make_wsgi_app()

    def recording(environ, start_response):
        environs.append(environ)
        return app(environ, start_response)

    TestApp(recording).get('/flaky')
    # three attempts, each seeing its own steps only
    assert [[s['name'].rsplit('.')[-1] for s in t] for t in seen] == [
        ['checked', '<lambda>']
    ] * 3
    assert all(s['outcome'] == 'ok' for t in seen for s in t)
    # one log line per attempt, each with that attempt's steps
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    for line in lines:
        assert line.count('[before_call]') == 1
        assert line.count('[request_finished]') == 1
    # the environ keeps the last attempt's trace
    assert [s['outcome'] for s in get_trace(Request(environs[0]))] == [
        'ok',
        'ok',
    ]


# -- undecodable parameters: 400 with our words, never WebOb's or a 500 ------


class Echo(Controller):
    @route('/echo', auth='public', csrf=False)
    def echo(self, **kw):
        return 'echo'


class Box(ServerSideCallbackMixin):
    id = 'box'

    @serverside_callback(request_method='POST', require_csrf=False)
    def open(self, request):
        return Response(str(len(request.hook_params)))


def reading(request, params):
    params.get('x')


def read_params(request):
    return {'n': len(request.hook_params)}


@pytest.fixture
def params_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_callback_authorization(always_allow)
    config.register_hook('before_call', reading)
    config.add_route('read', '/read')
    config.add_view(read_params, route_name='read', renderer='json')
    config.add_controller(Echo)
    config.add_widget(Box())
    return TestApp(config.make_wsgi_app(), lint=False)


PART = (
    b'--b\r\nContent-Disposition: form-data; name="x"\r\n'
    b'Content-Type: text/plain; charset=%s\r\n\r\n1\r\n--b--\r\n'
)
FORM = 'application/x-www-form-urlencoded'
UNDECODABLE = [
    ('/?x=%FF', b'', None),
    ('/?%FF=1', b'', None),
    ('', b'x=1', f'{FORM}; charset=latin-1'),
    ('', PART % b'no-such-charset', 'multipart/form-data; boundary=b'),
    ('', b'x', 'multipart/form-data; boundary="%s"' % ('B' * 500)),
    ('', b'x', 'multipart/form-data'),
]


@pytest.mark.parametrize('path', ['/read', '/echo', '/_widgets/box/open'])
@pytest.mark.parametrize(('query', 'body', 'content_type'), UNDECODABLE)
def test_undecodable_params_are_a_400_in_our_words(
    params_app, path, query, body, content_type
):
    response = params_app.request(
        path + query.replace('/', '', 1),
        method='POST',
        body=body,
        content_type=content_type or FORM,
        status=400,
    )
    assert response.text.rstrip().endswith(
        'The request parameters cannot be decoded as UTF-8 form data.'
    )
    for leak in ('utf-8', 'codec', 'latin-1', 'req.decode', 'charset', 'BBB'):
        assert leak not in response.text


# -- the trace bounds the field names it shows --------------------------------


def refuse_every_field(request, params):
    raise Invalid(dict.fromkeys(params, 'unknown field'))


def test_trace_shows_ten_field_names_of_forty_characters(caplog):
    caplog.set_level(logging.DEBUG, logger='pyramid_hooks.trace')
    traces = []
    config = Configurator()
    config.include('pyramid_hooks.trace')
    config.register_hook(
        'request_finished', lambda request: traces.append(get_trace(request))
    )
    config.add_route('form', '/form')
    config.add_view(
        served, route_name='form', renderer='json', validate=refuse_every_field
    )
    app = TestApp(config.make_wsgi_app())
    fields = {f'{i:04}' + 'n' * 5000: 'v' for i in range(3000)}
    fields['\x1b[2J\nFAKE'] = 'v'
    app.post('/form', fields, status=400)
    (step,) = [s for s in traces[0] if s['kind'] == 'validation']
    names = [f'{i:04}' + 'n' * 33 + '...' for i in range(9)]
    assert step['outcome'] == (
        f'invalid: 3001 errors (\\x1b[2J\\nFAKE, {", ".join(names)} '
        'and 2991 more)'
    )
    (line,) = [r.getMessage() for r in caplog.records]
    assert step['outcome'] in line
    assert len(line) < 1000
    assert '\x1b' not in line and '\n' not in line


# -- a validation failure is a 400 whatever the Accept header and the errors --


class Cyclic(dict):
    """Errors that contain themselves."""


def refuse_with(request, params):
    cyclic = Cyclic(loop=None)
    cyclic['loop'] = cyclic
    raise Invalid(
        {
            'plain': {'name': 'required'},
            'mixed': {1: 'one', 'a': 'b', None: 'none'},
            'nested': {'a': {2: 'x', 'b': ['y', {3: 'z'}]}},
            'tuple': {('a', 1): 'x', b'k': b'v'},
            'nan': {'x': float('nan'), 'inf': float('-inf'), 'ok': 1.5},
            'cyclic': cyclic,
        }[params['errors']]
    )


@pytest.fixture
def refusing_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('refused', '/refused')
    config.add_view(
        served, route_name='refused', renderer='json', validate=refuse_with
    )
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('accept', 'content_type'),
    [
        ('image/png', 'text/plain'),
        ('image/png, text/csv;q=0.5', 'text/plain'),
        ('application/json;q=0, text/html;q=0', 'text/plain'),
        ('application/json;q=abc', 'text/html'),
        (';;;', 'text/html'),
        ('*/*', 'text/html'),
        ('application/json', 'application/json'),
    ],
)
def test_a_validation_failure_is_a_400_whatever_the_accept_header(
    refusing_app, accept, content_type
):
    response = refusing_app.get(
        '/refused?errors=plain', headers={'Accept': accept}, status=400
    )
    assert response.content_type == content_type
    assert 'required' in response.text


@pytest.mark.parametrize(
    ('errors', 'written'),
    [
        ('mixed', {'1': 'one', 'a': 'b', 'None': 'none'}),
        ('nested', {'a': {'2': 'x', 'b': ['y', {'3': 'z'}]}}),
        ('tuple', {"('a', 1)": 'x', "b'k'": "b'v'"}),
        ('nan', {'x': 'nan', 'inf': '-inf', 'ok': 1.5}),
    ],
)
@pytest.mark.parametrize('accept', ['application/json', 'text/html'])
def test_any_errors_mapping_is_written_as_json(
    refusing_app, errors, written, accept
):
    response = refusing_app.get(
        f'/refused?errors={errors}', headers={'Accept': accept}, status=400
    )
    if accept == 'application/json':
        # strict JSON: no NaN, keys as text
        parsed = json.loads(response.text, parse_constant=pytest.fail)
        assert parsed == {'status': 400, 'errors': written}


def test_cyclic_errors_are_written_to_a_bounded_depth(refusing_app):
    response = refusing_app.get(
        '/refused?errors=cyclic',
        headers={'Accept': 'application/json'},
        status=400,
    )
    errors = response.json['errors']
    depth = 0
    while isinstance(errors, dict):
        errors, depth = errors['loop'], depth + 1
    assert depth == 32
    assert errors == 'invalid value'  # str() shows items' reprs (fix15b)


def test_make_response_content_length_is_the_datas_once(made_app):
    response = made(made_app, headers=[['Content-Length', 4]])
    assert response.headers.getall('Content-Length') == ['4']
    response = made(made_app, headers={'content-length': '4'})
    assert response.headers.getall('Content-Length') == ['4']
    for length in (99, '3', '-4', '04', '4, 4'):
        with pytest.raises(ValueError) as e:
            made(made_app, headers={'Content-Length': length})
        assert str(e.value) == (
            f'make_response: Content-Length {str(length)!r} is not the '
            'length of the data (4); leave it out, it is set from the data'
        )


@pytest.mark.parametrize(
    'name', ['Transfer-Encoding', 'connection', 'Keep-Alive', 'Upgrade']
)
def test_make_response_refuses_hop_by_hop_headers(made_app, name):
    with pytest.raises(ValueError, match=f'header {name!r} is hop-by-hop'):
        made(made_app, headers={name: 'chunked'})


@pytest.mark.parametrize(
    ('cookie', 'error', 'message'),
    [
        ('v\x00', ValueError, r"cookie 'c' (value) contains '\x00'"),
        ('caf\u00e9', ValueError, "cookie 'c' (value) contains '\u00e9'"),
        ({'value': 5}, TypeError, "cookie 'c' (value) must be a str, not int"),
        (
            {'value': 'v', 'path': '/\x1b'},
            ValueError,
            r"cookie 'c' (path) contains '\x1b'",
        ),
        (
            {'value': 'v', 'domain': 'a\tb'},
            ValueError,
            r"cookie 'c' (domain) contains '\t'",
        ),
        (
            {'value': 'v', 'path': '/\u20ac'},
            ValueError,
            "cookie 'c' (path) contains '\u20ac'",
        ),
        ({'value': 'v', 'path': 7}, TypeError, '(path) must be a str, not'),
    ],
)
def test_make_response_refuses_cookies_browsers_cannot_read(
    made_app, cookie, error, message
):
    with pytest.raises(error) as e:
        made(made_app, cookies={'c': cookie})
    assert str(e.value).startswith('make_response: ')
    assert message in str(e.value)


def test_make_response_cookie_without_path_or_value(made_app):
    # None is WebOb's: no Path attribute, a cookie to delete
    response = made(made_app, cookies={'c': {'value': None, 'path': None}})
    assert response.headers['Set-Cookie'].startswith('c=; Max-Age=0;')
    assert 'Path' not in response.headers['Set-Cookie']


def test_trace_log_line_cuts_a_long_method(caplog):
    caplog.set_level(logging.DEBUG, logger='pyramid_hooks.trace')
    config = Configurator()
    config.include('pyramid_hooks.trace')
    config.register_hook('before_call', checked)
    config.add_route('any', '/any')
    config.add_view(served, route_name='any', renderer='json')
    app = TestApp(config.make_wsgi_app(), lint=False)
    app.request('/any', method='X' * 100_000 + '\x1b')
    app.request('/any', method='X' * 40)
    cut, kept = [r.getMessage() for r in caplog.records]
    assert cut.startswith('X' * 37 + '... route any (/any): listener ')
    assert kept.startswith('X' * 40 + ' route any (/any): listener ')
    assert len(cut) < 200
