"""Controller routes under a third attacker's review: what a client can
make a route do that its author did not say, through WebTest and, where
the server decodes differently, a real one."""

import json
import time

import pytest
from pyramid.exceptions import ConfigurationError
from pyramid.security import NO_PERMISSION_REQUIRED
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.controllers.responses import make_response
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post


class Api(Controller):
    calls = None

    @route('/lone', type='json', auth='public')
    def lone(self):
        """Empties the cart: no arguments, a side effect."""
        self.calls.append('lone')
        return 'emptied'

    @route('/lone-discover', type='json', auth='public', discover=True)
    def described(self):
        self.calls.append('described')
        return 'ran'


@pytest.fixture
def app():
    Api.calls = []
    config = make_config()
    config.add_controller(Api)
    yield TestApp(config.make_wsgi_app())
    Api.calls = None


def call(method, id=1):
    message = {'jsonrpc': '2.0', 'method': method}
    if id is not ...:
        message['id'] = id
    return message


# -- names JSON-RPC reserves ------------------------------------------------


@pytest.mark.parametrize('method', ['rpc.discover', 'rpc.', 'rpc.anything'])
@pytest.mark.parametrize('path', ['/lone', '/lone-discover'])
def test_a_reserved_method_name_never_runs_a_lone_handler(app, path, method):
    """A client probing ``rpc.discover`` (OpenRPC tools do, on every
    endpoint) must not run the handler alone at a URL that does not
    answer it: names starting with ``rpc.`` are JSON-RPC's own."""
    if path == '/lone-discover' and method == 'rpc.discover':
        method = 'rpc.other'
    reply = post(app, path, call(method)).strict
    assert reply['error']['code'] == -32601
    assert 'result' not in reply
    assert post(app, path, [call(method), call(method, ...)]).strict == [reply]
    assert post(app, path, call(method, ...), status=204).body == b''
    assert Api.calls == []


def test_a_lone_handler_still_answers_any_other_name(app):
    for method in ('call', 'rpc', 'rpcdiscover', 'RPC.discover', ''):
        assert post(app, '/lone', call(method)).strict['result'] == 'emptied'
    assert post(app, '/lone-discover', call('x')).strict['result'] == 'ran'
    assert Api.calls == ['lone'] * 5 + ['described']


# -- the charset of a JSON body -----------------------------------------------


class Echo(Controller):
    @route('/echo', type='json', auth='public')
    def echo(self, text=None):
        return text


@pytest.fixture
def echo():
    config = make_config()
    config.add_controller(Echo)
    return TestApp(config.make_wsgi_app())


def echo_call(text):
    return {
        'jsonrpc': '2.0',
        'id': 7,
        'method': 'echo',
        'params': {'text': text},
    }


@pytest.mark.parametrize(
    'charset', ['latin-1', 'ISO-8859-1', '"utf-16"', 'utf-7', 'ascii', 'x']
)
def test_a_json_body_in_another_charset_is_refused(echo, charset):
    """JSON is UTF-8 (RFC 8259) and the body is read as UTF-8 whatever the
    ``charset`` says: a Latin-1 client's ``Ã©`` (the bytes of UTF-8's
    ``é``) was read as ``é``, a UTF-7 body (ASCII bytes) as what a proxy
    honouring the charset does not see.  Refused, 415, as other content
    types are, naming neither the charset nor the body."""
    body = json.dumps(echo_call('Ã©'), ensure_ascii=False).encode('latin-1')
    response = post(
        echo,
        '/echo',
        body,
        content_type=f'application/json; charset={charset}',
        status=415,
    )
    error = response.strict['error']
    assert error['code'] == -32600
    assert error['data']['message'] == (
        'a JSON-RPC request is UTF-8: give no other charset'
    )
    assert response.strict['id'] == 7


@pytest.mark.parametrize(
    'content_type',
    [
        'application/json',
        'application/json; charset=utf-8',
        'application/json;charset="UTF-8"',
        'Application/JSON; Charset=UTF8; v=1',
        'application/json-rpc; charset=utf-8',
    ],
)
def test_a_utf8_json_body_is_read(echo, content_type):
    response = post(echo, '/echo', echo_call('é'), content_type=content_type)
    assert response.strict['result'] == 'é'


# -- methods at a shared URL --------------------------------------------------


class Shared(Controller):
    @route('/doc/<int:id>', auth='public', methods=['GET'])
    def show(self, id):
        return f'doc {id}'

    @route('/doc/<int:id>', auth='public', methods=['DELETE'])
    def remove(self, id):
        return f'removed {id}'

    @route('/doc/<int:id>', type='json', auth='public')
    def rpc(self, id):
        return id

    @route('/one', auth='public', methods=['GET'])
    def one(self):
        return 'one'


@pytest.fixture
def shared():
    config = make_config()
    config.set_default_csrf_options(require_csrf=True)
    config.set_default_permission('view')
    config.add_controller(Shared)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize('method', ['PUT', 'PATCH', 'OPTIONS', 'TRACE'])
def test_a_method_no_handler_of_a_shared_url_takes_is_405(shared, method):
    """``methods=`` promises a 405 with ``Allow`` for the other methods:
    at a URL several handlers share, the request-method route predicates
    made it a 404, telling a client the resource does not exist.  Like a
    handler's own 405, it comes before CSRF and permission checks."""
    response = shared.request('/doc/7', method=method, status=405)
    assert response.headers['Allow'] == 'DELETE, GET, HEAD, POST'
    one = shared.request('/one', method=method, status=405)
    assert one.headers['Allow'] == 'GET, HEAD'


def test_the_handlers_of_a_shared_url_still_answer(shared):
    user = {'X-User': 'u'}
    assert shared.get('/doc/7', headers=user).text == 'doc 7'
    assert shared.head('/doc/7', headers=user).body == b''
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc'}
    reply = post(shared, '/doc/7', call, headers=user).strict
    assert reply['result'] == 7
    # a path the converters refuse is no resource, whatever the method
    shared.request('/doc/x', method='PUT', status=404)
    shared.get('/doc/x', status=404)


def test_a_method_no_handler_takes_never_falls_through_to_a_later_route():
    """A 404 from a route predicate makes Pyramid try the next route: a
    catch-all added after the controllers (pages by name, a proxy) served
    ``PUT /doc/7``, which a handler alone at ``/doc/7`` would refuse."""
    config = make_config()
    config.add_controller(Shared)
    config.commit()  # the controllers' routes first
    config.add_route('page', '/{name:.*}')
    config.add_view(
        lambda request: request.response,
        route_name='page',
        require_csrf=False,
        permission=NO_PERMISSION_REQUIRED,
    )
    app = TestApp(config.make_wsgi_app())
    app.put('/doc/7', status=405)
    app.put('/one', status=405)
    assert app.put('/other').status_int == 200


# -- route prefixes ---------------------------------------------------------


class Admin(Controller):
    @route('/users', auth='public', methods=['GET'])
    def users(self):
        return 'users'

    @route('/rpc', type='json', auth='public')
    def rpc(self):
        return 'rpc'


def test_a_route_prefix_context_applies_to_controllers():
    """``config.route_prefix_context`` (Pyramid 2.0) is the prefix of what
    is added inside it: the controllers' routes, made later (at commit),
    were served at the bare path, outside the prefix a proxy or the
    application's other routes expect (``/users``, not ``/admin/users``),
    and ``route_url`` named the bare one."""
    config = make_config()
    with config.route_prefix_context('/admin'):
        config.add_controller(Admin)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/admin/users').text == 'users'
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc'}
    assert post(app, '/admin/rpc', call).strict['result'] == 'rpc'
    app.get('/users', status=404)
    app.post_json('/rpc', call, status=404)


# -- what a client writes to the log ----------------------------------------


class Failing(Controller):
    @route('/fail', type='json', auth='public')
    def fail(self, key='x'):
        return {}[key]  # a handler's bug the client can reach


@pytest.mark.parametrize('id_', ['i' * 500_000, int('9' * 4000)])
def test_a_failing_calls_log_line_cuts_the_clients_id(caplog, id_):
    """The log line of an unexpected failure named the call's id in full:
    each request of a client repeating a half-megabyte id wrote half a
    megabyte to the log.  Cut as the trace cuts it; the reply still
    echoes the id, as JSON-RPC requires."""
    config = make_config()
    config.add_controller(Failing)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': id_, 'method': 'fail'}
    with caplog.at_level('ERROR', 'pyramid_hooks'):
        reply = post(app, '/fail', call).strict
    assert reply['error']['code'] == -32603
    assert reply['id'] == id_
    (record,) = caplog.records
    message = record.getMessage()
    assert len(message) < 300
    assert message.startswith('JSON-RPC call to ')
    assert repr(id_)[:20] in message


@pytest.mark.parametrize(
    'id_, shown',
    [(12, "(id '12')"), ('x' * 50, "(id '" + 'x' * 37 + "...')")],
)
def test_a_failing_calls_log_line_shows_the_id_as_the_trace(
    caplog, id_, shown
):
    """The log line showed ``12`` where the trace shows ``'12'``, and cut
    a long id otherwise: one helper (``probes.shown_id``), one bound."""
    config = make_config()
    config.add_controller(Failing)
    app = TestApp(config.make_wsgi_app())
    call = {'jsonrpc': '2.0', 'id': id_, 'method': 'fail'}
    with caplog.at_level('ERROR', 'pyramid_hooks'):
        post(app, '/fail', call)
    (record,) = caplog.records
    assert record.getMessage().endswith(shown)


# -- dot segments in converted values ---------------------------------------


class Files(Controller):
    @route('/files/<path:name>', auth='public')
    def file(self, name):
        return f'file {name}'

    @route('/docs/<folder>/<string(maxlength=20):name>/raw', auth='public')
    def doc(self, folder, name):
        return f'doc {folder} {name}'


@pytest.fixture
def files():
    config = make_config()
    config.add_controller(Files)
    return TestApp(config.make_wsgi_app())


@pytest.mark.parametrize(
    'path',
    [
        '/files/../secret',
        '/files/a/../../secret',
        '/files/%2e%2e/secret',
        '/files/a%2F..%2F..%2Fsecret',
        '/files/a/..',
        '/files/./secret',
        '/files/a/./b',
        '/files/..',
        '/docs/../x/raw',
        '/docs/%2e%2e/x/raw',
        '/docs/a/./raw',
        '/docs/a/%2E%2E/raw',
    ],
)
def test_a_dot_segment_never_reaches_a_handler(files, path):
    """``.`` and ``..`` segments, which clients remove from a URL before
    sending it (RFC 3986) and no server removes, reached the handler of
    ``<path:>``, ``<string:>`` and ``<name>`` placeholders as they came
    (``'../../secret'``): a handler joining them to a directory read
    outside it.  They match no route, as a value a converter refuses."""
    files.get(path, status=404)


@pytest.mark.parametrize(
    'path, text',
    [
        ('/files/a/b/c.txt', 'file a/b/c.txt'),
        ('/files/.profile', 'file .profile'),
        ('/files/a/...', 'file a/...'),
        ('/files/a..b/c.', 'file a..b/c.'),
        ('/docs/.git/..x/raw', 'doc .git ..x'),
        ('/docs/a/.../raw', 'doc a ...'),
    ],
)
def test_names_with_dots_still_match(files, path, text):
    assert files.get(path).text == text


class Echoing(Controller):
    @route('/search', auth='public')
    def search(self, q=''):
        return {'q': q}  # a dict without renderer=: the handler's bug


def test_the_error_for_a_bad_http_result_cuts_what_the_client_sent():
    """An http handler's result that is no response is an error naming
    the handler and showing the result, which may hold what the client
    sent: shown whole, a request's half megabyte went into the message and
    every log line and error page showing it.  Cut to 80 characters, as
    the errors for a validator's and an application wrapper's result."""
    config = make_config()
    config.add_controller(Echoing)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as raised:
        app.get('/search', {'q': 'x' * 500_000})
    message = str(raised.value)
    # the checkout's path is in the message: not counted (a worktree's
    # longer path made the same message fail)
    assert len(message.replace(__file__, '')) < 400
    assert "returned {'q': 'xxx" in message
    assert 'Echoing.search' in message


# -- the cost of matching a URL ---------------------------------------------


def test_two_path_placeholders_in_a_pattern_are_refused_at_startup():
    """Under waitress (request lines up to 256 KB), ``<path:a>/<path:b>/x``
    took about a minute of CPU to refuse a crafted 120 KB URL, and this
    pattern 7 s for 108 KB (``'a/-/blob/' * 12000``): the regex tries every
    split of the path.  Where one ends is ambiguous anyway; refused when
    the application is made, naming the handler."""

    class Repo(Controller):
        @route('/repo/<path:group>/-/blob/<path:file>/raw', auth='public')
        def raw(self, group, file):
            return file

    config = make_config()
    config.add_controller(Repo)
    with pytest.raises(ConfigurationError) as raised:
        config.make_wsgi_app()
    message = str(raised.value)
    assert 'Repo.raw' in message
    assert "'/repo/<path:group>/-/blob/<path:file>/raw'" in message
    assert "two <path:> placeholders ('group', 'file')" in message


def test_one_path_placeholder_matches_a_long_url_quickly():
    class Repo(Controller):
        @route('/repo/<group>/<path:file>/<int:line>/raw', auth='public')
        def raw(self, group, file, line):
            return file

    config = make_config()
    config.add_controller(Repo)
    app = TestApp(config.make_wsgi_app())
    started = time.perf_counter()
    app.get('/repo/g/' + 'a/' * 60_000 + 'x', status=404)
    assert time.perf_counter() - started < 2
    assert app.get('/repo/g/a/b.txt/3/raw').text == 'a/b.txt'


# -- request.make_response --------------------------------------------------


class Status(Controller):
    @route('/status/<int:code>', auth='public')
    def status(self, code):
        return self.request.make_response('body', status=code)


@pytest.mark.parametrize('code', [100, 101, 103, 199])
def test_make_response_refuses_an_interim_status(code):
    """A WSGI application's response is final: waitress sent
    ``status=101`` as a ``101 Switching Protocols`` answer (its body
    dropped), which a proxy may take for a tunnel's start."""
    config = make_config()
    config.add_controller(Status)
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(ValueError, match=f'invalid status {code}: the code'):
        app.get(f'/status/{code}')
    assert app.get('/status/200').text == 'body'
    with pytest.raises(ValueError, match="invalid status '101 Switching"):
        make_response('x', status='101 Switching Protocols')


# -- what an override keeps -------------------------------------------------


class Guarded(Controller):
    @route('/admin', auth='user', permission='admin', http_cache=60)
    def admin(self):
        return 'admin page'


def route_with_defaults(path=None, permission=None, **kw):
    """An addon's helper over route(), passing its defaults on."""
    return route(path, permission=permission, **kw)


class Extended(Guarded):
    @route_with_defaults()
    def admin(self):
        return super().admin() + ' (extended)'


class Opened(Guarded):
    @route(permission=NO_PERMISSION_REQUIRED, http_cache=None)
    def admin(self):
        return 'opened'


def test_a_view_option_given_as_none_keeps_the_parents_value():
    """``None`` is "not given" for ``route()``'s own arguments
    (``auth=None`` keeps the parent's), but a view option given as
    ``None`` replaced the parent's: an extension through a helper passing
    ``permission=None`` on served the parent's ``permission='admin'`` page
    to every signed-in user.  ``None`` is "not given" for every argument."""
    config = make_config(forbidden_view=False)
    config.add_controller(Extended)
    app = TestApp(config.make_wsgi_app())
    app.get('/admin', headers={'X-User': 'bob'}, status=403)
    response = app.get('/admin', headers={'X-User': 'admin'})
    assert response.text == 'admin page (extended)'
    assert response.cache_control.max_age == 60


def test_an_override_opens_a_page_by_saying_so():
    config = make_config(forbidden_view=False)
    config.add_controller(Opened)
    app = TestApp(config.make_wsgi_app())
    assert app.get('/admin', headers={'X-User': 'bob'}).text == 'opened'
    app.get('/admin', status=403)  # auth='user' is kept


def test_a_method_no_handler_of_a_shared_url_takes_runs_no_hook():
    """The 405 of a shared URL is answered as a handler alone at its URL
    answers it, before the pipeline: an app-wide ``before_call`` listener
    or controller wrapper (a quota, an audit log, a transaction) ran for a
    request that no handler takes."""
    seen = []

    def listener(request, params):
        seen.append('before_call')

    def after(request, response):
        seen.append('after_render')

    def wrapper(next_caller):
        def call(context, request):
            seen.append('wrapper')
            return next_caller(context, request)

        return call

    config = make_config()
    config.register_hook('before_call', listener)
    config.register_hook('after_render', after)
    config.add_controller_wrapper(wrapper)
    config.add_controller(Shared)
    app = TestApp(config.make_wsgi_app())
    app.request('/one', method='PUT', status=405)
    app.request('/doc/7', method='PUT', status=405)
    assert seen == []
    app.get('/doc/7')
    assert seen == ['before_call', 'wrapper', 'after_render']
