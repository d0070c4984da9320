"""An attacker's tenth pass: a hostile client against a real Pyramid
application (WebTest, and waitress where the server's reading matters);
what got in (each test failed before its fix), and probes that found
nothing, kept as regression tests."""

import json

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Controller, route

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
