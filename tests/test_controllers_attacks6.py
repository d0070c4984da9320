"""Controller routes under a fifth attacker's review: where a request
through the add-on differs from what bare Pyramid or the documentation
promise, through WebTest on a real Pyramid application."""

import ntpath

import pytest
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPNotFound
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


class Eraser(Controller):
    @route('/notes', type='json', auth='public')
    def erase(self, note):
        return f'erased {note}'


class Reader(Controller):
    @route('/app/notes', type='json', auth='public')
    def read(self, note):
        return f'read {note}'


def include_eraser(config):
    config.add_controller(Eraser)


def test_a_route_prefix_and_a_pattern_giving_one_url_share_it():
    """``/notes`` under the route prefix ``/app`` and ``/app/notes`` are
    one URL for Pyramid (it joins the prefix, then adds the leading
    ``/``), and two for the add-on, which wrote the first ``app/notes``:
    the first handler answered every call to it alone (a handler alone at
    its URL answers any method), so a call to ``read`` erased the note
    (refused at startup since, as a route never served).  They are one
    JSON-RPC endpoint, each call reaching its own handler."""
    config = make_config()
    config.include(include_eraser, route_prefix='/app')
    config.add_controller(Reader)
    app = TestApp(config.make_wsgi_app())
    reply = post(app, '/app/notes', rpc('read', note=1)).json
    assert reply['result'] == 'read 1'
    reply = post(app, '/app/notes', rpc('erase', note=1)).json
    assert reply['result'] == 'erased 1'
    reply = post(app, '/app/notes', rpc('call', note=1)).json
    assert reply['error']['code'] == -32601


# -- a value Windows reads as a path from a root ------------------------------


class Files(Controller):
    """Handlers joining a path placeholder to their folder, as Windows
    does (``ntpath``): a value from a root leaves the folder."""

    @route('/files/<path:name>', auth='public')
    def file(self, name):
        return ntpath.join('C:\\site\\files', name)

    @route('/docs/<folder>/<string(maxlength=20):name>/raw', auth='public')
    def doc(self, folder, name):
        return ntpath.join('C:\\site\\docs', folder, name)


@pytest.fixture
def files():
    return app_for(Files)


@pytest.mark.parametrize(
    'path',
    [
        '/files/%5CWindows%5Cwin.ini',
        '/files/%5C%5Chost%5Cshare%5Cx',
        '/files/C:/Windows/win.ini',
        '/files/c:%5CWindows',
        '/files/D:secret',
        '/docs/%5CWindows/win.ini/raw',
        '/docs/C:%5CWindows/win.ini/raw',
        '/docs/a/%5Cboot.ini/raw',
        '/docs/a/d:boot.ini/raw',
    ],
)
def test_a_path_from_a_root_never_reaches_a_handler(files, path):
    """Windows reads a value starting with a backslash, or a drive
    (``C:``), as a path from a root: ``os.path.join(folder, value)``
    drops the folder (``C:\\Windows\\win.ini``), as it does for a leading
    ``/``, which these placeholders never match.  The add-on refuses the
    ``..`` segments behind a backslash for that reading of it; a leading
    backslash or a drive reached the handler."""
    files.get(path, status=404)


@pytest.mark.parametrize(
    'path, text',
    [
        ('/files/a%5Cb/c.txt', 'C:\\site\\files\\a\\b/c.txt'),
        ('/files/a/C:x', 'C:\\site\\files\\a/C:x'),
        ('/files/ab:c', 'C:\\site\\files\\ab:c'),
        ('/docs/ab:c/a%5Cb/raw', 'C:\\site\\docs\\ab:c\\a\\b'),
    ],
)
def test_other_backslashes_and_colons_still_match(files, path, text):
    assert files.get(path).text == text


def test_a_pattern_after_a_placeholder_refusing_its_values_is_served():
    """``<name>`` no longer matches ``c:x``, so ``/tag/c:x`` after
    ``/tag/<name>`` in a route list is served, not refused as never
    served; ``/tag/cx`` still is."""

    class Tags(Controller):
        @route(['/tag/<name>', '/tag/c:x'], auth='public')
        def tag(self, name='c:x', **kw):  # Pyramid reads c:x as c{x}
            return f'tag {name}'

    app = app_for(Tags)
    assert app.get('/tag/c:x').text == 'tag c:x'
    assert app.get('/tag/cx').text == 'tag cx'

    class Misordered(Controller):
        @route(['/tag/<name>', '/tag/cx'], auth='public')
        def tag(self, name='cx'):  # pragma: no cover - refused
            return f'tag {name}'

    with pytest.raises(ConfigurationError, match='is never served'):
        app_for(Misordered)


# -- the converters of a shared JSON-RPC URL ---------------------------------


def own_account(request, value):
    """The documentation's advice: a converter checks access, and answers
    404 for what the client may not see (here: account 2)."""
    if value != '1':
        raise HTTPNotFound()
    return f'account {value}'


class Accounts(Controller):
    @route('/acct/<int:acct>', type='json', auth='public')
    def stats(self, acct):  # pragma: no cover - refused
        return f'stats {acct!r}'

    @route('/acct/<own:acct>', type='json', auth='public')
    def close(self, acct):  # pragma: no cover - refused
        return f'closed {acct!r}'


def test_json_handlers_converting_a_shared_url_differently_are_refused():
    """``<int:acct>`` and ``<own:acct>`` (regex ``[0-9]+`` both) are one
    URL, so one JSON-RPC endpoint: a call reaches its handler from the
    route that matched, with that route's values.  ``/acct/2`` matched
    ``stats``'s route, and a call to ``close`` closed account 2, its
    converter's access check never run (and got an ``int``, not the
    converter's value).  Refused at startup, naming both patterns."""
    config = make_config()
    config.add_route_converter('own', '[0-9]+', own_account)
    config.add_controller(Accounts)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "convert its values differently ('/acct/<int:acct>', " in message
    assert "'/acct/<own:acct>')" in message
    assert 'Accounts.stats' in message and 'Accounts.close' in message


class Named(Controller):
    @route('/doc/:doc', type='json', auth='public')
    def read(self, doc):  # pragma: no cover - refused
        return doc

    @route('/doc/{id}', type='json', auth='public')
    def erase(self, id):  # pragma: no cover - refused
        return id


def test_json_handlers_naming_a_shared_url_differently_are_refused():
    """``/doc/:doc`` and ``/doc/{id}`` are one URL to Pyramid: a call to
    ``erase`` ran with ``{'doc': ...}`` from ``read``'s route, its ``id``
    missing.  Refused at startup, as converting differently is."""
    config = make_config()
    config.add_controller(Named)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "name or convert its values differently ('/doc/:doc', " in message
    assert 'Named.read' in message and 'Named.erase' in message


class Counters(Controller):
    """The same converters, written differently, and placeholders that
    convert nothing (``<n>``, ``<string:n>``)."""

    @route('/count/<int(min=1):c>/<n>', type='json', auth='public')
    def up(self, c, n):
        return f'up {c!r} {n}'

    @route('/count/<int(min = 1):c>/<string:n>', type='json', auth='public')
    def down(self, c, n):
        return f'down {c!r} {n}'


def test_json_handlers_converting_a_shared_url_alike_share_it():
    app = app_for(Counters)
    assert post(app, '/count/2/x', rpc('up')).json['result'] == 'up 2 x'
    assert post(app, '/count/2/x', rpc('down')).json['result'] == 'down 2 x'
    app.post_json('/count/0/x', rpc('down'), status=404)
