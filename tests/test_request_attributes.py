"""``request.hooks`` and ``request.make_response`` on every request the
application makes: whatever the request factory and whenever it was set,
on subrequests and on requests prepared for scripts (DESIGN.md,
"Transparency")."""

import gc
import os
import weakref

import pytest
from pyramid import testing
from pyramid.config import Configurator
from pyramid.interfaces import IRequestExtensions
from pyramid.paster import bootstrap
from pyramid.request import Request
from pyramid.scripting import prepare
from webtest import TestApp

from pyramid_hooks import get_hooks

FIXTURES = os.path.join(os.path.dirname(__file__), 'phooks_fixtures')


class MyRequest(Request):
    pass


def my_request_factory(environ):
    """A request factory that is a function, not a class."""
    return MyRequest(environ)


def describe(request):
    """What a view sees of the two attributes, answered through
    ``request.make_response`` itself."""
    hooks = request.hooks is get_hooks(request.registry)
    return request.make_response(
        f'{type(request).__name__} hooks={hooks}',
        headers=[('X-Made-By', 'make_response')],
    )


def add_describe_view(config):
    config.add_route('describe', '/describe')
    config.add_view(describe, route_name='describe')


def assert_described(app, request_class='MyRequest'):
    response = TestApp(app).get('/describe')
    assert response.text == f'{request_class} hooks=True'
    assert response.headers['X-Made-By'] == 'make_response'


def test_default_request_factory():
    config = Configurator()
    config.include('pyramid_hooks')
    add_describe_view(config)
    assert_described(config.make_wsgi_app(), 'Request')


def test_request_factory_set_in_a_later_commit():
    config = Configurator()
    config.include('pyramid_hooks')
    add_describe_view(config)
    config.commit()
    config.set_request_factory(MyRequest)
    assert_described(config.make_wsgi_app())


def test_request_factory_given_to_the_configurator():
    config = Configurator(request_factory=MyRequest)
    config.include('pyramid_hooks')
    add_describe_view(config)
    assert_described(config.make_wsgi_app())


def test_autocommit_configurator():
    config = Configurator(autocommit=True)
    config.include('pyramid_hooks')
    config.set_request_factory(MyRequest)
    add_describe_view(config)
    assert_described(config.make_wsgi_app())


def test_pyramid_testing_setup():
    config = testing.setUp()
    try:
        config.include('pyramid_hooks')
        config.set_request_factory(MyRequest)
        add_describe_view(config)
        assert_described(config.make_wsgi_app())
    finally:
        testing.tearDown()


def test_request_factory_that_is_not_a_class():
    config = Configurator()
    config.include('pyramid_hooks')
    config.set_request_factory(my_request_factory)
    add_describe_view(config)
    assert_described(config.make_wsgi_app())


def test_subrequest_made_with_request_blank():
    """Kinto's batch endpoint builds each subrequest with ``Request.blank``
    and runs it with ``request.invoke_subrequest``."""

    def batch(request):
        subrequest = Request.blank('/describe')
        response = request.invoke_subrequest(subrequest)
        return request.make_response(f'batch: {response.text}')

    config = Configurator()
    config.include('pyramid_hooks')
    config.set_request_factory(MyRequest)
    add_describe_view(config)
    config.add_route('batch', '/batch')
    config.add_view(batch, route_name='batch')
    app = TestApp(config.make_wsgi_app())
    assert app.get('/batch').text == 'batch: Request hooks=True'


@pytest.mark.parametrize(
    'request_', [None, Request.blank('/')], ids=['made', 'given']
)
def test_scripting_prepare(request_):
    config = Configurator()
    config.include('pyramid_hooks')
    config.make_wsgi_app()
    with prepare(request=request_, registry=config.registry) as env:
        request = env['request']
        assert request.hooks is get_hooks(config.registry)
        assert request.make_response('made').text == 'made'


def test_paster_bootstrap(monkeypatch):
    monkeypatch.syspath_prepend(FIXTURES)
    ini = os.path.join(FIXTURES, 'minimal.ini')
    with bootstrap(ini, request=Request.blank('/')) as env:
        request = env['request']
        assert request.hooks is get_hooks(env['registry'])
        assert request.make_response(b'raw').body == b'raw'


def test_the_extensions_are_plain_methods():
    """Request methods, not properties: a property would make Pyramid
    create a class for every request."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.commit()
    extensions = config.registry.getUtility(IRequestExtensions)
    assert set(extensions.methods) == {'hooks', 'make_response'}
    assert extensions.descriptors == {}
    assert extensions.methods['hooks'].__func__ is get_hooks(config.registry)


def test_a_request_is_freed_without_the_garbage_collector():
    """Neither extension refers back to the request (``hooks`` is the
    registry's HookRegistry, ``make_response`` a static method), so a
    finished request is freed at once, as in a bare application, instead
    of waiting for a collection."""
    seen = []

    def view(request):
        seen.append(weakref.ref(request))
        return request.make_response('ok')

    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('view', '/view')
    config.add_view(view, route_name='view')
    app = TestApp(config.make_wsgi_app())
    gc.collect()
    gc.disable()
    try:
        assert app.get('/view').text == 'ok'
        assert seen[0]() is None
    finally:
        gc.enable()
