"""A route converter's error other than ``HTTPNotFound`` reaches the
route as its handler's would: on an http route the route's root factory
raises it (the route's exception views answer it); on a JSON route the
envelope answers every call with the JSON-RPC error the handler's own
would be, and marks the request failed (pyramid_tm aborts it)."""

import logging

import pytest
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPForbidden
from pyramid.tweens import MAIN
from webtest import TestApp

from pyramid_hooks import Controller, route

seen = []


class AccessError(Exception):
    """``odoo.exceptions.AccessError``."""


def record(request, value, model):
    if value == '2':
        raise AccessError('private record')
    if value == '3':
        raise HTTPForbidden()
    return f'record {value}'


class Records(Controller):
    @route('/rpc/<model("x"):rec>', type='json', auth='none')
    def read(self, rec):
        seen.append('handler ran')
        return rec


def marks_tween_factory(handler, registry):
    def marks_tween(request):
        response = handler(request)
        seen.append(request.exception.__class__.__name__)
        return response

    return marks_tween


@pytest.fixture
def app():
    logger = logging.getLogger('pyramid_hooks.controllers.jsonrpc')
    logger.disabled = True
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route_converter('model', r'[0-9]+', record)
    config.add_controller(Records)
    config.add_tween(f'{__name__}.marks_tween_factory', over=MAIN)
    del seen[:]
    yield TestApp(config.make_wsgi_app())
    logger.disabled = False


def call(id_=1):
    return {'jsonrpc': '2.0', 'id': id_, 'method': 'read', 'params': {}}


def test_a_converters_error_on_a_json_route_is_a_json_rpc_error(app):
    assert app.post_json('/rpc/1', call()).json['result'] == 'record 1'
    reply = app.post_json('/rpc/2', call())
    assert reply.content_type == 'application/json'
    assert reply.json['error']['code'] == -32603
    assert 'private' not in reply.text  # not exposed, not in debug mode
    reply = app.post_json('/rpc/3', call())
    assert reply.json['error']['code'] == -32000
    assert reply.json['error']['data'] == {'status': 403}
    replies = app.post_json('/rpc/2', [call(1), call(2)]).json
    assert [r['error']['code'] for r in replies] == [-32603, -32603]
    assert seen == [
        'handler ran',
        'NoneType',
        'AccessError',
        'HTTPForbidden',
        'AccessError',
    ]
