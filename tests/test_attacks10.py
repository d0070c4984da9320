"""An attacker's tenth pass: a hostile client against a real Pyramid
application (WebTest, and waitress where the server's reading matters);
what got in (each test failed before its fix), and probes that found
nothing, kept as regression tests."""

import http.client
import json

import pytest
from pyramid import traversal
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp
from webtest.http import StopableWSGIServer

from pyramid_hooks import Controller, route
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
