"""An attacker's tenth pass: a hostile client against a real Pyramid
application (WebTest, and waitress where the server's reading matters);
what got in (each test failed before its fix), and probes that found
nothing, kept as regression tests."""

import http.client
import json

import pytest
from pyramid import traversal
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.response import Response
from pyramid.security import Allowed, Denied
from webtest import TestApp
from webtest.http import StopableWSGIServer

from pyramid_hooks import Controller, Invalid, route
from pyramid_hooks.widgets import (
    ServerSideCallbackMixin,
    serverside_callback,
    url_for_callback,
)

CALL = {'jsonrpc': '2.0', 'method': 'echo', 'id': 1}


class Api(Controller):
    @route('/rpc', type='json', auth='public')
    def echo(self, **kw):
        return kw


def api_app():
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Api)
    return TestApp(config.make_wsgi_app())


def test_a_raw_no_break_space_after_the_json_type_is_refused_by_waitress():
    """The header as a client sends it, byte ``0xA0`` and all, through a
    real server: waitress passes it on as Latin-1."""
    server = StopableWSGIServer.create(api_app().app, host='127.0.0.1')
    try:
        assert server.wait()
        connection = http.client.HTTPConnection(
            server.adj.host, server.adj.port, timeout=10
        )
        statuses = []
        for header in ('application/json\xa0', 'application/json'):
            connection.request(
                'POST', '/rpc', json.dumps(CALL), {'Content-Type': header}
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
    finally:
        server.shutdown()
    assert statuses == [415, 200]


@pytest.mark.parametrize('space', ['\xa0', '\x85', '\x1c', '\x1f', '\x0c'])
def test_a_json_type_padded_with_unicode_whitespace_is_no_json_type(space):
    """RFC 9110 allows spaces and tabs around a media type, nothing else:
    ``str.strip()`` also took a no-break space (``\\xa0``, which a server
    passes on from the raw header as Latin-1), NEL or a file separator,
    so ``application/json\\xa0`` was a JSON-RPC request, though a proxy
    or firewall reading the header as RFC 9110 does sees another media
    type (with a parameter, the same header was already refused)."""
    app = api_app()
    for header in (f'application/json{space}', f'{space}application/json'):
        response = app.post(
            '/rpc',
            json.dumps(CALL),
            headers={'Content-Type': header},
            status=415,
        )
        assert response.json['error']['code'] == -32600
    app.post(
        '/rpc',
        json.dumps(CALL),
        headers={'Content-Type': ' \tapplication/json\t '},
        status=200,
    )


class Linked(ServerSideCallbackMixin):
    @serverside_callback
    def cb(self, request):  # pragma: no cover - never called
        return Response('x')


def prefixed_widget_app():
    """A widget under ``route_prefix='/{lang}'`` and a page there showing
    its callback's URL."""
    config = Configurator()
    config.include('pyramid_hooks')

    def include(config):
        config.add_widget(Linked(id='w'))
        config.add_route('page', '/page')
        config.add_view(
            lambda request: Response(url_for_callback(request, 'w/cb')),
            route_name='page',
        )

    config.include(include, route_prefix='/{lang}/{region}')
    return TestApp(config.make_wsgi_app())


def test_a_widget_url_keeps_no_prefix_value_a_client_made_up():
    """``url_for_callback`` under ``route_prefix='/{lang}'`` gave the
    current request's ``lang`` to ``route_path``, and Pyramid keeps every
    path segment it quotes in a process-wide cache, for good: each
    ``/<made-up>/page`` a client sent stayed in memory (as each made-up
    value of the page's other placeholders did before the ninth pass).
    The URL is the same, quoted as Pyramid quotes it."""
    app = prefixed_widget_app()
    assert app.get('/de/at/page').text == '/de/at/_widgets/w/cb'
    cached = len(traversal._segment_cache)
    for n in range(50):
        url = app.get(f'/made-up-{n}/r{n}/page').text
        assert url == f'/made-up-{n}/r{n}/_widgets/w/cb'
    assert len(traversal._segment_cache) == cached
    # quoted as Pyramid quotes a path segment; a value holding what
    # stands for another placeholder is that value
    shown = {
        '/a%20b/%C3%A9/page': '/a%20b/%C3%A9/_widgets/w/cb',
        "/x:y@!$&'()*+,;=~/_/page": "/x:y@!$&'()*+,;=~/_/_widgets/w/cb",
        '/%00/%001%00/page': '/%00/%001%00/_widgets/w/cb',
        '/%25001%2500/%3F%23/page': '/%25001%2500/%3F%23/_widgets/w/cb',
    }
    for path, url in shown.items():
        assert app.get(path).text == url


def require_ok(request, params):
    if params.get('ok') != '1':
        raise Invalid({'ok': 'give ok=1'})


class HeaderUser:
    """``X-User`` is the user; only ``admin`` has the ``edit`` permission."""

    def identity(self, request):
        return request.headers.get('X-User')

    def authenticated_userid(self, request):
        return self.identity(request)

    def permits(self, request, context, permission):
        if permission == 'edit' and self.identity(request) != 'admin':
            return Denied('not admin')
        return Allowed('ok')


def error_handler_app(*controllers):
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_security_policy(HeaderUser())
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


class Admin(Controller):
    @route('/admin', permission='edit', renderer='string')
    def admin(self, **kw):
        return 'admin page'  # pragma: no cover - refused at startup

    @route('/admin.json', type='json', permission='edit')
    def admin_json(self, **kw):
        return 'admin call'  # pragma: no cover - refused at startup


class PublicSignup(Admin):
    @route(
        '/signup',
        auth='public',
        renderer='string',
        validate=require_ok,
        error_handler='admin',
    )
    def signup(self, ok=''):
        return 'signed up'  # pragma: no cover - refused at startup


class PublicApi(Admin):
    @route(
        '/api',
        type='json',
        auth='public',
        validate=require_ok,
        error_handler='admin_json',
    )
    def api(self, ok=''):
        return 'api'  # pragma: no cover - refused at startup


class NoCsrfHook(Controller):
    @route('/purge', auth='public', renderer='string')
    def purge(self, **kw):
        return 'purged'  # pragma: no cover - refused at startup

    @route(
        '/hook',
        auth='public',
        csrf=False,
        renderer='string',
        validate=require_ok,
        error_handler='purge',
    )
    def hook(self, ok=''):
        return 'hooked'  # pragma: no cover - refused at startup


@pytest.mark.parametrize(
    ('controller', 'shown'),
    [
        (PublicSignup, "error_handler 'admin' is a handler with auth='user'"),
        (PublicApi, "error_handler 'admin_json' is a handler with auth="),
        (NoCsrfHook, "error_handler 'purge' is a handler with csrf=True"),
    ],
)
def test_an_error_handler_its_own_route_checks_otherwise_is_refused(
    controller, shown
):
    """``error_handler='admin'`` on a public route, ``admin`` a handler
    whose route needs ``permission='edit'``: an anonymous client sending
    invalid parameters to the public route had ``admin`` run for it
    (``GET /signup?ok=0`` answered the admin page, ``/api`` the admin
    call), past the checks of ``admin``'s own route; so did a cross-site
    POST to a ``csrf=False`` route run a handler whose route checks the
    token.  It is a ``ConfigurationError`` naming both, as a renderer
    that differs is."""
    with pytest.raises(ConfigurationError) as raised:
        error_handler_app(controller)
    message = str(raised.value)
    assert shown in message
    assert 'give both the same auth=, permission= and csrf=' in message


class Signup(Controller):
    @route('/form', renderer='string')
    def form(self, ok=''):
        return f'form for {self.request.authenticated_userid}'

    @route(
        '/save', renderer='string', validate=require_ok, error_handler='form'
    )
    def save(self, ok=''):
        return 'saved'


def test_an_error_handler_checked_as_its_route_still_answers():
    """TurboGears' ``error_handler=index``, both handlers ``auth='user'``."""
    app = error_handler_app(Signup)
    assert app.get('/save?ok=0', headers={'X-User': 'ann'}).text == (
        'form for ann'
    )
    app.get('/save?ok=0', status=403)


class PublicIndex(Controller):
    @route('/index', auth='public', csrf=False, renderer='string')
    def index(self, ok=''):
        return 'index page'

    @route(
        '/edit',
        permission='edit',
        renderer='string',
        validate=require_ok,
        error_handler='index',
    )
    def edit(self, ok=''):
        return 'edited'


def test_a_public_error_handler_of_a_checked_route_still_answers():
    """TurboGears' public ``index`` as the error handler of a route that
    checks more (``permission='edit'``, the CSRF token): it runs past no
    check of its own, so it is not refused; the failing route's come
    first."""
    app = error_handler_app(PublicIndex)
    admin = {'X-User': 'admin'}
    app.get('/edit?ok=0', headers={'X-User': 'ann'}, status=403)
    assert app.get('/edit?ok=0', headers=admin).text == 'index page'
    assert app.get('/edit?ok=1', headers=admin).text == 'edited'
