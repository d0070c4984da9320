"""Controller routes under a fifth attacker's review: where a request
through the add-on differs from what bare Pyramid or the documentation
promise, through WebTest on a real Pyramid application."""

import pytest
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from tests.controllers_pkg.support import make_config
from tests.test_jsonrpc_hardening import post


def app_for(*classes):
    config = make_config()
    for cls in classes:
        config.add_controller(cls)
    return TestApp(config.make_wsgi_app())


def rpc(method, **params):
    return {'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': params}


# -- one URL however its pattern is written ----------------------------------


class Notes(Controller):
    """Two JSON-RPC handlers at one URL, one pattern written without the
    leading ``/`` (Pyramid adds it)."""

    @route('/notes', type='json', auth='public')
    def erase(self, note):
        return f'erased {note}'

    @route('notes', type='json', auth='public')
    def read(self, note):
        return f'read {note}'


def test_a_pattern_without_its_leading_slash_shares_the_url():
    """Pyramid compiles ``'notes'`` as ``'/notes'``: one URL.  It was two
    for the add-on, so the first handler answered every call to it alone
    (a handler alone at its URL answers any method): a call to ``read``
    erased the note.  Each call now reaches its own handler."""
    app = app_for(Notes)
    assert post(app, '/notes', rpc('read', note=1)).json['result'] == 'read 1'
    reply = post(app, '/notes', rpc('erase', note=1)).json
    assert reply['result'] == 'erased 1'
    reply = post(app, '/notes', rpc('call', note=1)).json
    assert reply['error']['code'] == -32601


def test_http_handlers_sharing_a_url_written_two_ways_are_checked():
    """Two http handlers answering ``/page`` and ``page`` for the same
    method are refused at startup, as when both write ``/page``: Pyramid
    would serve the first only."""

    class Page(Controller):
        @route('/page', auth='public')
        def show(self):  # pragma: no cover - refused
            return 'show'

        @route('page', auth='public')
        def other(self):  # pragma: no cover - refused
            return 'other'

    with pytest.raises(ConfigurationError, match="both answer '/page'"):
        app_for(Page)
