"""This round's own follow-ups to the helpers' passes, each driven
through a real application."""

import pytest
from pyramid.config import Configurator
from webtest import TestApp

from pyramid_hooks import Controller, JsonRpcError, route


class Opaque:
    """An object with no text of its own."""


class Messages(Controller):
    @route('/rpc', type='json', auth='public')
    def fail(self, kind):
        message = {'object': Opaque(), 'text': 'spoken', 'none': None}[kind]
        raise JsonRpcError(1, message)


@pytest.mark.parametrize(
    ('kind', 'message'),
    [('text', 'spoken'), ('none', 'Server error'), ('object', None)],
)
def test_a_json_rpc_error_message_is_text_or_the_call_fails(kind, message):
    """``JsonRpcError(code, obj)`` wrote ``str(obj)``, a default repr's
    class name and address, to the client: a message that is not text
    fails the call (-32603) instead, with nothing of it in the reply."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_controller(Messages)
    app = TestApp(config.make_wsgi_app())
    call = {
        'jsonrpc': '2.0',
        'id': 1,
        'method': 'fail',
        'params': {'kind': kind},
    }
    error = app.post_json('/rpc', call).json['error']
    if message is None:
        assert error['code'] == -32603
        assert 'Opaque' not in str(error) and ' at 0x' not in str(error)
    else:
        assert error == {'code': 1, 'message': message}


def test_a_json_rpc_error_message_that_is_not_text_is_a_type_error():
    with pytest.raises(TypeError, match='message must be text'):
        JsonRpcError(1, Opaque())
