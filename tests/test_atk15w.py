"""The fifteenth attacker pass on widgets, wrappers, hooks, the trace,
settings and scripts (atk15w), attacked from outside."""

import pytest
from pyramid.config import Configurator
from pyramid.response import Response
from webtest import TestApp

from pyramid_hooks import Invalid

# -- an error handler's result that no renderer can take -------------------


def refuse(request, params):
    raise Invalid({'name': 'required'})


def save(request):
    return Response('saved')


def forgot_to_return(request):
    request.validation_errors  # noqa: B018


def kept_a_template_dict(request):
    return {'errors': request.validation_errors}


@pytest.mark.parametrize('handler', [forgot_to_return, kept_a_template_dict])
def test_an_error_handler_result_without_renderer_names_the_handler(handler):
    """Pyramid blamed the view, which never ran, for what the error
    handler returned: the error names the handler, and the fix."""
    config = Configurator()
    config.include('pyramid_hooks')
    config.add_route('save', '/save')
    config.add_view(
        save, route_name='save', validate=refuse, error_handler=handler
    )
    app = TestApp(config.make_wsgi_app())
    with pytest.raises(TypeError) as raised:
        app.get('/save')
    message = str(raised.value)
    assert f'{handler.__qualname__} of view' in message
    assert 'renderer=' in message
    assert 'view callable' not in message
