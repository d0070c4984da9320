"""The fifteenth attacker pass on controllers (atk15c): JSON-RPC routes,
startup checks and method dispatch, attacked from outside and as an
application author making plausible mistakes."""

import json

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp

from pyramid_hooks import Controller, route


def make_app(*controllers, settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    for controller in controllers:
        config.add_controller(controller)
    return TestApp(config.make_wsgi_app())


# -- a JSON handler that yields ---------------------------------------------


def test_a_generator_json_handler_is_refused_at_startup():
    """A JSON handler with ``yield`` never runs its body: each call was a
    -32603 and each notification a silent 204, the event never logged."""

    class Events(Controller):
        @route('/events', type='json', auth='none')
        def log_event(self, event):
            yield 'done'

    with pytest.raises(ConfigurationError) as info:
        make_app(Events)
    assert 'Events.log_event' in str(info.value)
    assert 'generator' in str(info.value)


# -- a multipart part without a name ----------------------------------------


class Upload(Controller):
    @route('/upload', auth='none', csrf=False)
    def upload(self, **fields):
        return f'{len(fields)} field(s)'


NAMELESS_PART = (
    b'--zz\r\nContent-Disposition: form-data\r\n\r\nv\r\n'
    b'--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nw\r\n--zz--\r\n'
)


def test_a_multipart_part_without_a_name_is_a_400_not_a_500():
    """RFC 7578 gives every part a name; WebOb keys a nameless one ``None``,
    which ``handler(**fields)`` cannot take: any client made a 500."""
    app = make_app(Upload)
    ok = app.post(
        '/upload',
        NAMELESS_PART.replace(b'form-data\r\n', b'form-data; name="b"\r\n'),
        headers={'Content-Type': 'multipart/form-data; boundary=zz'},
    )
    assert ok.text == '2 field(s)'
    response = app.post(
        '/upload',
        NAMELESS_PART,
        headers={'Content-Type': 'multipart/form-data; boundary=zz'},
        status=400,
    )
    assert 'cannot be decoded' in response.text


# -- rpc.discover and annotations that are values ---------------------------


#: A JSON Schema written as an annotation: a dict, which is unhashable.
TEXT = {'type': 'string'}


class Described(Controller):
    @route('/described', type='json', auth='none', discover=True)
    def find(self, query: TEXT = '', limit: int = 10):
        """Find records."""
        return []


def test_an_unhashable_annotation_is_described_as_anything():
    """An annotation is any expression: a dict (a JSON Schema written in
    place) made the application fail to start with ``unhashable type``."""
    app = make_app(Described)
    call = {'jsonrpc': '2.0', 'id': 1, 'method': 'rpc.discover'}
    response = app.post(
        '/described', json.dumps(call), content_type='application/json'
    )
    params = response.json['result']['methods'][0]['params']
    assert [param['schema'] for param in params] == [
        {'default': ''},
        {'type': 'integer', 'default': 10},
    ]


# -- make_response with a status that carries no content --------------------


class Deleting(Controller):
    @route('/orders/<int:pk>', auth='none', methods=['GET'])
    def delete(self, pk):
        return self.request.make_response(f'order {pk} deleted', status=204)

    @route('/orders', auth='none', methods=['GET'])
    def unchanged(self):
        return self.request.make_response(None, status='304 Not Modified')


def test_make_response_refuses_data_with_a_204_or_304():
    """A 204 or 304 has no content (RFC 9110, 15.3.5, 15.4.5): a server
    that writes the data anyway sends it where the client reads the next
    response on the connection; waitress drops it silently."""
    app = make_app(Deleting)
    assert app.get('/orders', status=304).body == b''
    with pytest.raises(ValueError, match='204 response carries no content'):
        app.get('/orders/7')
