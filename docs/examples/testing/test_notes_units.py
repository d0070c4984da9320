"""testing.rst, "Unit tests": one piece at a time, with
:mod:`pyramid.testing`."""

import notes_app
import pytest
from pyramid import testing
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory
from webtest import TestApp

from pyramid_hooks import Invalid


def test_listener():
    with testing.testConfig(settings={'notes.version': '2.0'}):
        request = testing.DummyRequest()
        output = {'notes': []}
        notes_app.add_version(request, {}, output)
        assert output == {'notes': [], 'version': '2.0'}
        titles = ['milk']  # a JSON-RPC result: left alone
        notes_app.add_version(request, {}, titles)
        assert titles == ['milk']


def test_validator():
    request = testing.DummyRequest()
    assert notes_app.check_title(request, {'title': ' tea '}) == {
        'title': 'tea'
    }
    with pytest.raises(Invalid) as refused:
        notes_app.check_title(request, {'title': '  '})
    assert refused.value.errors == {
        'title': 'give a title of 1 to 40 characters'
    }


def test_controller_wrapper():
    with testing.testConfig():
        call = notes_app.no_store(lambda context, request: {'notes': []})
        request = testing.DummyRequest()
        assert call(None, request) == {'notes': []}
        assert request.response.headers['Cache-Control'] == 'no-store'


def test_application_wrapper():
    settings = {'notes.read_only': 'true'}
    with testing.testConfig(settings=settings) as config:
        wrapper = notes_app.ReadOnly(
            lambda request: Response('ok'), config.registry
        )
        post = testing.DummyRequest(post={'title': 'milk'})
        assert wrapper(post).status_code == 503
        assert wrapper(testing.DummyRequest()).text == 'ok'


def test_widget_callback_method():
    """Called directly, the callback skips the pipeline: the test sets
    ``request.hook_params`` as the validator would have."""
    request = testing.DummyRequest()
    request.hook_params = {'title': 'milk'}
    assert notes_app.NoteBox(id='notes').add(request) == {'notes': ['milk']}
    assert request.session['notes'] == ['milk']


def test_controller_handler():
    request = testing.DummyRequest()
    request.session['notes'] = ['milk', 'bread']
    assert notes_app.NotesApi(request).titles(prefix='b') == ['bread']


def test_the_include_with_testing_setup():
    """``testing.setUp()`` gives a Configurator to include into; its
    ``make_wsgi_app()`` is the application, sessions and all."""
    config = testing.setUp(settings={'notes.version': 'unit'})
    try:
        config.set_session_factory(SignedCookieSessionFactory('s' * 32))
        config.include('pyramid_hooks')
        config.include(notes_app)
        app = TestApp(config.make_wsgi_app())
        assert app.get('/').json['version'] == 'unit'
    finally:
        testing.tearDown()
