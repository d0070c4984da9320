"""testing.rst, "Functional tests": the whole application, through WebTest."""

import re

import notes_app
from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

import pyramid_hooks


def make_app(**settings):
    """The application as ``pserve`` would make it, with test settings."""
    return TestApp(notes_app.main({}, **settings))


def csrf_token(app):
    return app.get('/').json['csrf_token']


def rpc(app, method, params=None, id=1):
    call = {'jsonrpc': '2.0', 'method': method, 'id': id}
    if params is not None:
        call['params'] = params
    return app.post_json('/api', call).json


def test_page_has_version_and_no_store():
    """The listener and the controller wrapper, seen by the client."""
    page = make_app().get('/')
    assert page.json['version'] == '1.0'
    assert page.headers['Cache-Control'] == 'no-store'


def test_widget_callback_needs_the_csrf_token():
    app = make_app()
    token = csrf_token(app)  # the session cookie is now in app.cookies
    app.post('/_widgets/notes/add', {'title': 'milk'}, status=400)
    added = app.post(
        '/_widgets/notes/add',
        {'title': ' milk '},
        headers={'X-CSRF-Token': token},
    )
    assert added.json == {'notes': ['milk'], 'version': '1.0'}


def test_widget_callback_validates_the_title():
    app = make_app()
    token = csrf_token(app)
    refused = app.post(
        '/_widgets/notes/add',
        {'title': '', 'csrf_token': token},
        headers={'Accept': 'application/json'},
        status=400,
    )
    assert refused.json['errors'] == {
        'title': 'give a title of 1 to 40 characters'
    }


def test_jsonrpc_route():
    app = make_app()
    token = csrf_token(app)
    for title in ('milk', 'mint', 'bread'):
        app.post('/_widgets/notes/add', {'title': title, 'csrf_token': token})
    reply = rpc(app, 'titles', {'prefix': 'm'})
    assert reply == {'jsonrpc': '2.0', 'id': 1, 'result': ['milk', 'mint']}
    unknown = rpc(app, 'titles', {'colour': 'red'})
    assert unknown['error']['code'] == -32602  # an argument it cannot take


def test_application_wrapper_read_only():
    app = make_app(**{'notes.read_only': 'true'})
    token = csrf_token(app)  # a GET goes through
    closed = app.post(
        '/_widgets/notes/add',
        {'title': 'milk', 'csrf_token': token},
        status=503,
    )
    assert closed.text == 'Read only.'


def test_with_pyramid_hooks_make_wsgi_app():
    """An application made by ``pyramid_hooks.make_wsgi_app`` (which runs
    the ``*_wsgi_middlewares`` hooks) is tested the same way."""
    config = Configurator(settings={'notes.version': 'test'})
    config.set_session_factory(SignedCookieSessionFactory('s' * 32))
    config.include(notes_app)
    seen = []

    def count_requests(app):  # an after_wsgi_middlewares listener
        def counted(environ, start_response):
            seen.append(environ['PATH_INFO'])
            return app(environ, start_response)

        return counted

    config.register_hook('after_wsgi_middlewares', count_requests)
    app = TestApp(pyramid_hooks.make_wsgi_app(config))
    assert app.get('/').json['version'] == 'test'
    assert seen == ['/']


def test_the_page_token_is_a_real_token():
    token = csrf_token(make_app())
    assert re.fullmatch(r'[0-9a-f]{40}', token)
