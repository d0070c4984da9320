"""Replies at the edges of what a handler may return or log, through
WebTest on a real Pyramid application: a response Pyramid's adapters take,
a text JSON cannot carry strictly, a listener's message in the log."""

import pytest
import webob
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks.controllers import Controller, route
from pyramid_hooks.widgets import ServerSideCallbackMixin, serverside_callback
from tests.controllers_pkg.support import make_config


class Row:
    """A value of the application's own that its response adapter takes."""

    def __init__(self, text):
        self.text = text


def row_response(row):
    return Response(f'row {row.text}')


class Pages(Controller):
    @route('/webob', auth='public')
    def webob_page(self):
        return webob.Response('from webob', content_type='text/plain')

    @route('/row', auth='public')
    def row(self):
        return Row('7')

    @route('/set', auth='public')
    def a_set(self):
        return {1, 2}


def pages_app():
    config = make_config()
    config.add_response_adapter(row_response, Row)
    config.add_controller(Pages)
    return TestApp(config.make_wsgi_app())


def test_an_http_handler_returns_what_response_adapters_take():
    """A ``webob.Response`` (which Pyramid's own default adapter takes)
    and a value of the application's adapter are answered as a Pyramid
    view's would be; they were a ``TypeError`` saying "must return a
    Response" (a 500)."""
    app = pages_app()
    response = app.get('/webob')
    assert response.text == 'from webob'
    assert response.content_type == 'text/plain'
    assert app.get('/row').text == 'row 7'


def test_a_value_no_adapter_takes_names_the_handler_and_the_fix():
    with pytest.raises(TypeError) as e:
        pages_app().get('/set')
    message = str(e.value)
    assert 'Pages.a_set' in message
    assert 'config.add_response_adapter' in message


class Guarded(Controller):
    @route('/guarded', auth='webob')
    def guarded(self):
        return 'in'


def webob_check(request):
    if request.headers.get('X-Pass') == 'yes':
        return None
    return webob.Response('go away', status=401)


class Counter(ServerSideCallbackMixin):
    id = 'counter'

    @serverside_callback
    def count(self, request):
        return Response('counted')


def webob_authorization(callback, request):
    if request.headers.get('X-Pass') == 'yes':
        return webob.Response()
    return webob.Response('log in first', status=401)


def test_a_refusal_may_be_a_webob_response():
    """An ``auth`` check and a widget authorization handler may answer
    with a ``webob.Response``, a response for Pyramid as for them: it was
    a ``TypeError`` (a 500) saying they must return a response."""
    config = make_config()
    config.add_controller_auth('webob', webob_check)
    config.add_controller(Guarded)
    config.set_callback_authorization(webob_authorization)
    config.add_widget(Counter())
    app = TestApp(config.make_wsgi_app())
    refused = app.get('/guarded', status=401)
    assert refused.text == 'go away'
    assert app.get('/guarded', headers={'X-Pass': 'yes'}).text == 'in'
    refused = app.get('/_widgets/counter/count', status=401)
    assert refused.text == 'log in first'
    passed = app.get('/_widgets/counter/count', headers={'X-Pass': 'yes'})
    assert passed.text == 'counted'
