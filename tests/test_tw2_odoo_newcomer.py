"""What a newcomer from ToscaWidgets 2 and Odoo met walking the docs:
each error names the fix, each example runs as the chapter shows it."""

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import (
    ServerSideCallbackMixin,
    always_allow,
    serverside_callback,
)


class Grid(ServerSideCallbackMixin):
    """tw2's ``@jsonify def request`` ported without its renderer."""

    callback_authorization = always_allow

    @serverside_callback(request_method='GET')
    def rows(self, request):
        return {'page': 1, 'rows': []}


def test_a_callback_returning_a_dict_is_told_of_renderer_json():
    """A tw2 controller returned a dict for ``@jsonify``; ported without
    ``renderer=`` the error said only that a response was expected."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_widget(Grid(id='grid'))
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as e:
        app.get('/_widgets/grid/rows')
    assert str(e.value) == (
        "The server-side callback 'rows' of widget 'grid' returned "
        "{'page': 1, 'rows': []}; a callback must return a response "
        '(pyramid.response.Response), or name a renderer for what it '
        "returns: @serverside_callback(renderer='json')"
    )
