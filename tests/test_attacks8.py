"""An attacker's eighth pass: what got in (each test failed before its
fix), and probes that found nothing, kept as regression tests."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.request import Request
from webtest import TestApp

from pyramid_hooks import ApplicationWrapper, Controller, JsonRpcError, route
from tests.test_controllers_pattern_order import make_handlers


def routes_app(*handlers):
    """An application whose controller has one handler per ``(name,
    pattern)``, in that order, answering its name."""
    return make_handlers(*handlers, name='Files')


@pytest.mark.parametrize(
    ('earlier', 'later'),
    [
        ('/files/{name}.{ext}', '/files/index.json'),
        ('/files/{name}.json', '/files/index.json'),
        ('/files/:name.json', '/files/index.json'),
        ('/files/v{n}', '/files/v2'),
        ('/files/<name>.json', '/files/index.json'),
        ('/{name}.json/x', '/index.json/x'),  # the first segment
    ],
)
def test_a_static_segment_a_mixed_one_matches_is_shadowed(earlier, later):
    """``/files/{name}.{ext}`` defined before ``/files/index.json`` served
    ``/files/index.json`` with the first handler, silently: a segment of
    placeholders and text was compared with one of its own shape only."""
    with pytest.raises(ConfigurationError) as info:
        routes_app(('by_name', earlier), ('index', later))
    assert f'{later!r} is never served: {earlier!r} of' in str(info.value)


@pytest.mark.parametrize(
    ('earlier', 'later', 'url'),
    [
        ('/files/{name}.{ext}', '/files/index', '/files/index'),
        ('/files/{name}.json', '/files/index.xml', '/files/index.xml'),
        ('/files/v{n}', '/files/v', '/files/v'),
        ('/files/<name>.json', '/files/.json', '/files/.json'),
        ('/files/<int:n>.json', '/files/1.json', '/files/1.json'),
        ('/files/{n:[0-9]+}.json', '/files/x.json', '/files/x.json'),
    ],
)
def test_a_static_segment_a_mixed_one_does_not_match_is_served(
    earlier, later, url
):
    """What the earlier segment's placeholders do not match (or, for
    ``<int:>``, a converter's values, or a regex, not read here) is left to
    the later route."""
    assert routes_app(('by_name', earlier), ('index', later)).get(url).text


def test_a_route_list_with_a_mixed_segment_first_is_refused():
    """The same check for the patterns of one ``route`` list."""

    class Files(Controller):
        @route(['/f/{name}.{ext}', '/f/index.json'], auth='public')
        def content(self, **kw):  # pragma: no cover
            return 'x'

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Files)
    with pytest.raises(ConfigurationError, match=r"'/f/index\.json' is never"):
        config.make_wsgi_app()


def two_commits(first, second):
    """An application activating the controller *first* in one commit and
    *second* in the next."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(first)
    config.commit()
    config.add_controller(second)
    return TestApp(config.make_wsgi_app())


class ByPk(Controller):
    @route('/x/{pk}', auth='public', methods=['GET'])
    def show(self, pk):  # pragma: no cover
        return 'show'

    @route('/x/:pk', auth='public', methods=['POST'], csrf=False)
    def update(self, pk):  # pragma: no cover
        return 'update'


@pytest.mark.parametrize('methods', [None, ['GET'], ['PUT']])
def test_a_route_an_earlier_commits_route_covers_is_refused(methods):
    """``/x/new`` activated in a commit after ``/x/{pk}`` was served by the
    ``{pk}`` handler (or, for a method none of its handlers serves, by its
    405), silently: the routes were compared with those of their own
    commit only."""

    class New(Controller):
        @route('/x/new', auth='public', methods=methods, csrf=False)
        def new(self):  # pragma: no cover
            return 'new'

    with pytest.raises(ConfigurationError) as info:
        two_commits(ByPk, New)
    message = str(info.value)
    assert "'/x/new' is never served: '/x/{pk}' of" in message
    assert 'for every method (its 405 answers the others)' in message


def test_a_route_an_earlier_commits_route_does_not_cover_is_served():
    class New(Controller):
        @route('/x/new', auth='public')
        def new(self):
            return 'new'

    class ByPk(Controller):
        @route('/x/{pk}', auth='public')
        def show(self, pk):
            return 'show'

    app = two_commits(New, ByPk)
    assert app.get('/x/new').text == 'new'
    assert app.get('/x/7').text == 'show'


class Login(Controller):
    @route('/login', auth='public')
    def login(self, path='/', domain=None):
        cookie = {'value': 'v', 'path': path, 'domain': domain}
        return self.request.make_response('in', cookies={'sid': cookie})


def login_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Login)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    ('attribute', 'text', 'shown'),
    [
        ('domain', 'example.com:8080', "contains ':'"),
        ('domain', 'example.com/app', "contains '/'"),
        ('domain', 'user@example.com', "contains '@'"),
        ('path', 'app', "'app' does not start with '/'"),
        ('path', '', "'' does not start with '/'"),
    ],
)
def test_a_cookie_domain_or_path_browsers_ignore_is_refused(
    attribute, text, shown
):
    """``make_response`` wrote ``Domain=example.com:8080`` (no host is that:
    browsers drop the cookie) and ``Path=app`` (browsers use the request's
    directory instead), silently: the handler's cookie was never sent
    back, or sent back elsewhere.  Refused, naming the cookie and the
    attribute."""
    app = login_app()
    ok = app.get('/login', {'path': '/a_b-c', 'domain': '.sub-1.example.com'})
    assert ok.headers['Set-Cookie'].startswith(
        'sid=v; Domain=.sub-1.example.com; Path=/a_b-c;'
    )
    with pytest.raises(ValueError) as e:
        app.get('/login', {attribute: text})
    assert f"cookie 'sid' ({attribute}) {shown}" in str(e.value)


# -- probes that found nothing, kept as regression tests ----------------------


class Conflict(Exception):
    """What a retry policy retries (pyramid_retry's retryable errors)."""


def retry_policy(environ, router):
    """pyramid_retry's execution policy, cut down: each attempt is a new
    request object for the same environ; an exception an exception view
    answered (``request.exception``), or one that propagated, is retried."""
    attempts = 2
    context = router.request_context(environ)
    request = context.begin()
    request.make_body_seekable()
    for attempt in range(attempts):
        environ['retry.attempt'] = attempt
        if attempt:
            context = router.request_context(environ)
            request = context.begin()
        try:
            response = router.invoke_request(request)
            if not isinstance(request.exception, Conflict):
                return response
        except Conflict:
            if attempt == attempts - 1:
                raise
        finally:
            context.end()
    return response


def test_each_attempt_of_a_retried_request_is_a_request_of_its_own():
    """Under a retrying execution policy, each attempt gets its own
    ``new_request`` and ``request_finished`` (with its own request object),
    its own pass through the application wrappers, and its own
    parameters; a JSON-RPC call whose handler raised is retried (the
    request is marked failed) and the second attempt's reply is sent."""
    seen = []
    failures = [Conflict()]

    class Things(Controller):
        @route('/form', auth='public', csrf=False)
        def form(self, **kw):
            seen.append(('form', self.request.environ['retry.attempt'], kw))
            if failures:
                raise failures.pop()
            return 'saved'

        @route('/rpc', type='json', auth='public')
        def rpc(self, **kw):
            seen.append(('rpc', self.request.environ['retry.attempt'], kw))
            if failures:
                raise failures.pop()
            return kw

    class Transaction(ApplicationWrapper):
        def __call__(self, request):
            response = self.next_handler(request)
            seen.append(('wrapper', self.failed(request)))
            return response

    config = Configurator()
    config.include('pyramid_hooks')
    config.set_execution_policy(retry_policy)
    config.add_application_wrapper(Transaction)
    for hook in ('new_request', 'request_finished'):
        config.register_hook(
            hook,
            lambda request, hook=hook: seen.append((hook, id(request))),
        )
    config.add_controller(Things)
    app = TestApp(config.make_wsgi_app())

    assert app.post('/form', {'a': '1'}).text == 'saved'
    starts = [entry for entry in seen if entry[0] == 'new_request']
    ends = [entry for entry in seen if entry[0] == 'request_finished']
    assert len(starts) == len(ends) == 2
    assert [s[1] for s in starts] == [e[1] for e in ends]
    assert [e for e in seen if e[0] == 'form'] == [
        ('form', 0, {'a': '1'}),
        ('form', 1, {'a': '1'}),
    ]
    seen.clear()
    failures.append(Conflict())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'call', 'params': {'a': 1}}
    assert app.post_json('/rpc', call).json == {
        'jsonrpc': '2.0',
        'id': 1,
        'result': {'a': 1},
    }
    assert [e for e in seen if e[0] in ('rpc', 'wrapper')] == [
        ('rpc', 0, {'a': 1}),
        ('wrapper', True),
        ('rpc', 1, {'a': 1}),
        ('wrapper', False),
    ]
    assert len([e for e in seen if e[0] == 'request_finished']) == 2


@pytest.mark.parametrize('use_tweens', [False, True])
def test_a_subrequest_from_a_json_handler_is_a_request_of_its_own(
    use_tweens,
):
    """``request.invoke_subrequest`` from a JSON-RPC handler, to an http
    handler and to a JSON-RPC call that fails: the outer call gets the
    inner replies as they are, is not marked failed by the inner failure,
    and each request gets its own ``request_finished``."""
    finished = []

    class Things(Controller):
        @route('/inner', auth='public', csrf=False)
        def inner(self, **kw):
            self.request.response.headers['X-Inner'] = '1'
            return f'inner {sorted(kw.items())}'

        @route('/fails', type='json', auth='public')
        def fails(self):
            raise KeyError('secret')

        @route('/outer', type='json', auth='public')
        def outer(self):
            form = Request.blank('/inner', POST={'a': 'b'})
            call = Request.blank(
                '/fails',
                method='POST',
                content_type='application/json',
                body=b'{"jsonrpc": "2.0", "id": 7, "method": "call"}',
            )
            replies = [
                self.request.invoke_subrequest(sub, use_tweens=use_tweens)
                for sub in (form, call)
            ]
            return [
                [r.status_code, r.text, r.headers.get('X-Inner')]
                for r in replies
            ] + [repr(self.request.exception)]

    config = Configurator()
    config.include('pyramid_hooks')
    config.register_hook(
        'request_finished', lambda request: finished.append(request.path)
    )
    config.add_controller(Things)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'call'}
    assert app.post_json('/outer', call).json['result'] == [
        [200, "inner [('a', 'b')]", '1'],
        [
            200,
            '{"jsonrpc": "2.0", "id": 7, "error": {"code": -32603, '
            '"message": "Internal error"}}',
            None,
        ],
        'None',
    ]
    assert finished == ['/inner', '/fails', '/outer']


@pytest.mark.parametrize(
    ('code', 'shown'),
    [(True, 'bool: True'), ('404', "str: '404'"), (1.5, 'float: 1.5')],
)
def test_a_json_rpc_error_code_that_is_no_int_is_refused(code, shown, caplog):
    """``raise JsonRpcError(True, ...)`` (or ``'404'``, ``1.5``) went out
    as ``"code": true``: JSON-RPC 2.0 says the code MUST be an integer, and
    clients comparing it failed.  The constructor refuses it, so the call
    is a -32603 and the log names the mistake."""

    class Api(Controller):
        @route('/api', type='json', auth='public')
        def fail(self):
            raise JsonRpcError(code, 'Not found')

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Api)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'call'}
    assert app.post_json('/api', call).json['error'] == {
        'code': -32603,
        'message': 'Internal error',
    }
    assert f'the code must be an int (JSON-RPC 2.0), not {shown}' in (
        caplog.text
    )
    assert JsonRpcError(-32001, 'Refused').code == -32001


@pytest.mark.parametrize(
    ('name', 'cookie', 'needs'),
    [
        ('__Host-sid', 'v', "unless it has 'secure': True;"),
        ('__Secure-sid', {'value': 'v'}, "unless it has 'secure': True;"),
        ('__host-sid', {'value': 'v', 'secure': False}, "'secure': True;"),
        (
            '__Host-sid',
            {'value': 'v', 'secure': True, 'domain': 'example.com'},
            "unless it has no 'domain';",
        ),
        (
            '__Host-sid',
            {'value': 'v', 'secure': True, 'path': '/app'},
            "unless it has 'path': '/';",
        ),
    ],
)
def test_a_prefixed_cookie_browsers_drop_is_refused(name, cookie, needs):
    """``cookies={'__Host-sid': token}`` went out with the defaults
    (``Path=/; HttpOnly; SameSite=Lax``), without ``Secure``, which
    browsers require of ``__Host-`` and ``__Secure-`` cookies: they dropped
    it, silently, and the session never came back.  Refused, naming the
    cookie and what it lacks."""

    class Session(Controller):
        @route('/in', auth='public')
        def login(self, good=False):
            if good:
                return self.request.make_response(
                    'in',
                    cookies={
                        '__Host-a': {'value': 'v', 'secure': True},
                        '__Secure-b': {
                            'value': 'v',
                            'secure': True,
                            'domain': 'example.com',
                            'path': '/app',
                        },
                    },
                )
            return self.request.make_response('in', cookies={name: cookie})

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Session)
    app = TestApp(config.make_wsgi_app())
    made = app.get('/in', {'good': '1'}).headers.getall('Set-Cookie')
    assert [c.split(';')[0] for c in made] == ['__Host-a=v', '__Secure-b=v']
    with pytest.raises(ValueError) as e:
        app.get('/in')
    assert f'cookie {name!r}: browsers drop' in str(e.value)
    assert needs in str(e.value)
