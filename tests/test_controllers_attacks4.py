"""Controller routes under a fourth attacker's review: what a client can
make a route do that its author did not say, through WebTest on a real
Pyramid application."""

import pytest
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests import test_no_cycles as cycles
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post

PARTNER = 'https://partner.example'
OTHER = 'https://other.example'


def app_for(*classes):
    config = make_config()
    for cls in classes:
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def preflight(app, path, method, origin=PARTNER, status='*'):
    """A browser's CORS preflight for a *method* request with a JSON
    body from *origin*."""
    headers = {
        'Origin': origin,
        'Access-Control-Request-Method': method,
        'Access-Control-Request-Headers': 'content-type',
    }
    return app.options(path, headers=headers, status=status)


# -- the CORS preflight answers for the method it asks about -----------------


class Document(Controller):
    """A page a partner site may read with the user's cookies, and, at the
    same URL, a JSON-RPC endpoint nobody gave CORS to."""

    written = None

    @route(
        '/doc',
        methods=['GET'],
        auth='public',
        cors=[PARTNER],
        cors_credentials=True,
    )
    def read(self):
        return 'doc'

    @route('/doc', type='json', auth='public')
    def write(self, text):
        self.written.append(text)
        return 'written'


class Both(Controller):
    """Two handlers at one URL, each with its own CORS origins."""

    @route('/both', methods=['GET'], auth='public', cors=[PARTNER])
    def read(self):
        return 'read'

    @route('/both', type='json', auth='public', cors=[OTHER])
    def write(self):
        return 'written'

    @route('/lone', methods=['GET'], auth='public', cors='*')
    def lone(self):
        return 'lone'


@pytest.fixture
def cors_app():
    Document.written = []
    yield app_for(Document, Both)
    Document.written = None


def test_a_preflight_for_a_method_without_cors_grants_nothing(cors_app):
    """The JSON route's CSRF defence is the preflight its content type
    needs.  The GET handler's CORS answered it whatever method it asked
    about; ``POST`` is a method browsers need not find in
    ``Access-Control-Allow-Methods``, so the partner's page could make
    the user's browser send a JSON-RPC call with the user's cookies."""
    answer = preflight(cors_app, '/doc', 'POST')
    assert answer.status_int == 405
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert 'Access-Control-Allow-Credentials' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD, POST'
    # the GET handler's own preflight, and its requests, as before
    answer = preflight(cors_app, '/doc', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == PARTNER
    assert answer.headers['Access-Control-Allow-Credentials'] == 'true'
    assert answer.headers['Access-Control-Allow-Methods'] == 'GET, HEAD'
    assert cors_app.get('/doc').text == 'doc'
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'write', 'params': {}}
    body['params']['text'] = 'x'
    assert post(cors_app, '/doc', body).strict['result'] == 'written'
    assert Document.written == ['x']


def test_each_handler_of_a_shared_url_answers_its_own_preflight(cors_app):
    """The first handler with ``cors=`` answered every preflight of the
    URL: the second handler's origins were refused theirs."""
    answer = preflight(cors_app, '/both', 'POST', origin=OTHER, status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == OTHER
    assert answer.headers['Access-Control-Allow-Methods'] == 'POST'
    answer = preflight(cors_app, '/both', 'POST', status=204)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    answer = preflight(cors_app, '/both', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == PARTNER
    answer = preflight(cors_app, '/both', 'DELETE', status=405)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD, POST'


def test_a_preflight_at_a_shared_url_is_kept_only_if_it_covers_the_url(
    cors_app,
):
    """A browser keeps a preflight's ``Access-Control-Allow-Headers`` for
    any GET, HEAD or POST to the URL from that origin, its method aside:
    the GET handler's answer, kept a day, spared the partner's JSON
    ``POST`` to the JSON-RPC handler without ``cors=`` its preflight, the
    CSRF defence the 405 above gives."""
    answer = preflight(cors_app, '/doc', 'GET', status=204)
    assert answer.headers['Access-Control-Max-Age'] == '0'
    answer = preflight(cors_app, '/both', 'GET', status=204)
    assert answer.headers['Access-Control-Max-Age'] == '0'
    # a handler alone at its URL, or one grant for every method: kept
    answer = preflight(cors_app, '/lone', 'GET', status=204)
    assert answer.headers['Access-Control-Max-Age'] == '86400'

    class Same(Controller):
        @route('/same', methods=['GET'], auth='public', cors=[PARTNER])
        def read(self):
            return 'read'  # pragma: no cover

        @route('/same', type='json', auth='public', cors=[PARTNER])
        def write(self):
            return 'written'  # pragma: no cover

    answer = preflight(app_for(Same), '/same', 'POST', status=204)
    assert answer.headers['Access-Control-Max-Age'] == '86400'


def test_a_preflight_for_a_method_a_lone_handler_refuses_grants_nothing(
    cors_app,
):
    answer = preflight(cors_app, '/lone', 'DELETE', status=405)
    assert 'Access-Control-Allow-Origin' not in answer.headers
    assert answer.headers['Allow'] == 'GET, HEAD'
    answer = preflight(cors_app, '/lone', 'GET', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == '*'
    # an OPTIONS request that is no preflight: answered as before
    answer = cors_app.options('/lone', status=204)
    assert answer.headers['Access-Control-Allow-Origin'] == '*'


# -- the charset of a JSON body, as every parser reads it ---------------------


class Echo(Controller):
    @route('/echo', type='json', auth='public')
    def echo(self, text=None):
        return text


def echo_call(text):
    params = {'text': text}
    return {'jsonrpc': '2.0', 'id': 7, 'method': 'echo', 'params': params}


@pytest.mark.parametrize(
    'content_type',
    [
        # WebOb reads the first charset; others the last, or refuse it
        'application/json; charset=utf-8; charset=utf-16',
        'application/json; charset=utf-8; CHARSET=latin-1',
        # WebOb reads a charset inside a quoted value
        'application/json; x="a;charset=utf-8"; charset=utf-16',
        # WebOb reads no charset where lenient parsers read one
        'application/json; charset = utf-16',
        'application/json; charset =utf-16',
        # no media type as RFC 9110 writes one
        'application/json; charset=',
        'application/json; charset=""',
        'application/json; charset="utf-8',
        'application/json; charset=utf-8; x',
        'application/json; charset=utf-8 utf-16',
        'application/json; x="\x01"',
        'application/json; "charset"=utf-8',
        # the charset of request.text and request.json_body (WebOb's)
        'application/json; v="a;charset=latin-1"',
        'application/json; v="; charset=utf-16"; charset=utf-8',
        'application/json; charset="utf\\-8"',  # WebOb: 'utf\\-8'
    ],
)
def test_a_charset_parsers_read_differently_is_refused(content_type):
    """A JSON body is read as UTF-8, so a charset other than UTF-8 is
    refused (415): a proxy or firewall honouring it reads another text.
    WebOb's reading of the header was not the specification's: a second
    ``charset``, one hidden in a quoted value, one with spaces around
    ``=``, and broken headers passed as UTF-8."""
    config = make_config()
    config.add_controller(Echo)
    app = TestApp(config.make_wsgi_app())
    response = post(
        app, '/echo', echo_call('x'), content_type=content_type, status=415
    )
    error = response.strict['error']
    assert error['code'] == -32600
    assert response.strict['id'] == 7
    assert 'result' not in response.strict


@pytest.mark.parametrize(
    'content_type',
    [
        'application/json; charset*=utf-16',
        'application/json; charset*0=utf-16',
        "application/json; charset*=utf-8''utf-16",
        'application/json; charset=utf-8; charset*=utf-16',
    ],
)
def test_an_rfc_2231_charset_is_a_charset(content_type):
    """``charset*=`` (RFC 2231) is the charset for Python's email package,
    with which a proxy or a firewall in Python parses a header
    (``Message.get_content_charset()`` gives ``utf-16``); WebOb and the
    RFC 9110 reading saw no charset, and the body was read as UTF-8."""
    config = make_config()
    config.add_controller(Echo)
    app = TestApp(config.make_wsgi_app())
    response = post(
        app, '/echo', echo_call('x'), content_type=content_type, status=415
    )
    assert response.strict['error']['code'] == -32600
    assert 'result' not in response.strict


@pytest.mark.parametrize(
    'content_type',
    [
        'application/json',
        ' application/json ',
        'application/json;',
        'application/json; charset=utf-8',
        'application/json;charset="UTF-8"',
        'application/json ;\tcharset=utf-8 ; v=1',
        'Application/JSON; Charset=UTF8; v="a;charset=latin-1"',
        'application/json-rpc; charset=utf-8',
    ],
)
def test_a_utf8_content_type_with_parameters_is_read(content_type):
    config = make_config()
    config.add_controller(Echo)
    app = TestApp(config.make_wsgi_app())
    response = post(app, '/echo', echo_call('é'), content_type=content_type)
    assert response.strict['result'] == 'é'


def test_a_long_content_type_is_refused_unparsed():
    """Parsing takes a time per character: a header of a few hundred
    kilobytes (waitress takes 256 KiB of headers) is refused unread."""
    config = make_config()
    config.add_controller(Echo)
    app = TestApp(config.make_wsgi_app())
    content_type = 'application/json' + ';' * 300
    response = post(
        app, '/echo', echo_call('x'), content_type=content_type, status=415
    )
    assert response.strict['error']['data']['message'] == (
        'a JSON-RPC request needs Content-Type: application/json (at most '
        '256 characters)'
    )
    content_type = 'application/json' + ';' * 240
    assert post(app, '/echo', echo_call('x'), content_type=content_type)


# -- dot segments behind backslashes ------------------------------------------


class Files(Controller):
    @route('/files/<path:name>', auth='public')
    def file(self, name):
        return f'file {name}'

    @route('/docs/<folder>/<string(maxlength=20):name>/raw', auth='public')
    def doc(self, folder, name):
        return f'doc {folder} {name}'


@pytest.fixture
def files():
    return app_for(Files)


@pytest.mark.parametrize(
    'path',
    [
        '/files/..%5Csecret',
        '/files/a%5C..%5C..%5Csecret',
        '/files/a/..%5Csecret',
        '/files/a%5C..',
        '/files/.%5Csecret',
        '/files/a%5C.%5Cb',
        '/docs/..%5Cx/y/raw',
        '/docs/a%5C..%5C..%5Cx/y/raw',
        '/docs/a/b%5C../raw',
        '/docs/a/.%5Cb/raw',
    ],
)
def test_a_dot_segment_behind_a_backslash_never_reaches_a_handler(files, path):
    """Windows reads ``\\`` as ``/`` (``os.path.join(root, name)`` leaves
    *root* for ``..\\..\\secret``), and so do browsers in an http URL:
    the ``.`` and ``..`` segments that ``/`` separates are refused, those
    behind ``\\`` reached the handler."""
    files.get(path, status=404)


@pytest.mark.parametrize(
    'path, text',
    [
        ('/files/a%5Cb/c.txt', 'file a\\b/c.txt'),
        ('/files/a%5C...%5Cb', 'file a\\...\\b'),
        ('/files/a..%5C.b', 'file a..\\.b'),
        ('/docs/a%5Cb/c..%5Cd/raw', 'doc a\\b c..\\d'),
    ],
)
def test_backslashes_without_dot_segments_still_match(files, path, text):
    assert files.get(path).text == text


# -- the new refusals leave no garbage ----------------------------------------


def bare_view(request):
    return Response('answered')


@pytest.mark.parametrize(
    'send',
    [
        lambda app: preflight(app, '/doc', 'POST'),
        lambda app: preflight(app, '/doc', 'GET'),
        lambda app: app.post(
            '/doc',
            b'{"jsonrpc": "2.0", "id": 1, "method": "write"}',
            content_type='application/json; charset=utf-8; charset=utf-8',
            status='*',
        ),
    ],
    ids=['preflight refused', 'preflight answered', 'content type refused'],
)
def test_the_refusals_leave_no_more_garbage_than_bare_pyramid(send):
    """What answers a preflight at a shared URL and the stricter
    ``Content-Type`` check keep nothing of the request in a cycle
    (``tests/test_no_cycles.py``)."""
    Document.written = []
    config = cycles.make_config()
    config.add_controller(Document)
    bare = cycles.make_config(addon=False)
    bare.add_route('doc', '/doc')
    bare.add_view(bare_view, route_name='doc')
    cycles.assert_no_more_than_bare(
        cycles.app_of(config), cycles.app_of(bare), send
    )
