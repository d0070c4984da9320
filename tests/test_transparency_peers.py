"""Transparency, as other add-ons' own test suites found it: each test
reduces a difference that a suite showed with pyramid_hooks included and
do-nothing registrations (``tests/test_transparency.py``'s) to a minimal
application, and compares it without and with them."""

import pytest
from pyramid.config import Configurator
from pyramid.interfaces import IRouteRequest, IView, IViewClassifier
from pyramid.response import Response
from zope.interface import Interface

from tests.test_transparency import do_nothing


def spec(request):
    return Response(b'openapi: 3.0.0\n', content_type='text/yaml')


def info(request):
    return {'title': 'Foo API'}


def registered_view(registrations, view, **options):
    config = Configurator()
    config.include('pyramid_hooks')
    if registrations is not None:
        registrations(config)
    config.add_route('spec', '/spec')
    config.add_view(view, route_name='spec', **options)
    config.commit()
    request_iface = config.registry.queryUtility(IRouteRequest, name='spec')
    return config.registry.adapters.registered(
        (IViewClassifier, request_iface, Interface), IView, name=''
    )


@pytest.mark.parametrize(
    ('view', 'options'), [(spec, {}), (info, {'renderer': 'json'})]
)
def test_registered_view_called_without_a_request(view, options):
    """pyramid_openapi3's suite calls the view it registered, as Pyramid
    registered it, with ``request=None``; Pyramid's derivers and renderers
    take that (``pyramid.renderers.render`` documents it).  Listeners get
    ``None`` and empty params: there is no request to read."""

    def responses(registrations):
        response = registered_view(registrations, view, **options)(
            request=None, context=None
        )
        return (response.status, response.body, response.content_type)

    seen = []

    def recording(config):
        do_nothing(config)
        config.register_hook(
            'before_call', lambda req, params: seen.append((req, params))
        )

    alone = responses(None)
    assert responses(do_nothing) == alone
    assert responses(recording) == alone
    assert alone[0] == '200 OK'
    assert seen == [(None, {})]
