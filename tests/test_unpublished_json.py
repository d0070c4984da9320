"""A JSON-RPC URL keeps dispatching by method name when an extension
unpublishes one of the handlers sharing it (``docs/controllers.rst``, "One
URL, many methods"): the handler left alone must not answer the names of
the ones unpublished."""

from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Controller, route


class Records(Controller):
    @route('/api/records', type='json', auth='none')
    def read(self):
        return 'read'

    @route('/api/records', type='json', auth='none')
    def delete_all(self):
        return 'deleted'


class ReadOnly(Records):
    def delete_all(self):  # unpublished (redefined without @route)
        return 'not served'


class NoRead(Records):
    def read(self):  # unpublished: delete_all is alone at the URL
        return 'not served'


def call(app, method, path='/api/records'):
    body = {'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': {}}
    return app.post_json(path, body).json


def make(*controllers):
    config = Configurator()
    config.include('pyramid_hooks')
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


def test_a_client_calling_the_unpublished_handler_runs_no_other():
    app = make(Records, NoRead)
    assert call(app, 'delete_all')['result'] == 'deleted'
    reply = call(app, 'read')
    assert 'result' not in reply
    assert reply['error']['code'] == -32601


def test_the_handler_left_still_answers_its_own_name():
    app = make(Records, ReadOnly)
    assert call(app, 'read')['result'] == 'read'
    assert call(app, 'delete_all')['error']['code'] == -32601


def test_a_handler_alone_from_the_start_answers_any_name():
    class Session(Controller):
        @route('/web/session/get', type='json', auth='none')
        def get(self):
            return 'session'

    reply = call(make(Session), 'call', '/web/session/get')
    assert reply['result'] == 'session'
