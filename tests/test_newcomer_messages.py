"""Error messages a newcomer following the docs hits: each says the fix."""

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from webtest import TestApp


def hello(request):
    return {'hello': 'world'}


def order_listener(request, order):
    """A listener of a hook the strict application never declared."""


def make_config(settings=None):
    config = Configurator(settings=settings or {})
    config.include('pyramid_hooks')
    config.add_route('hello', '/hello')
    config.add_view(hello, route_name='hello', renderer='json')
    return config


def test_strict_default_namespace_undeclared_hook_says_add_hook():
    config = make_config({'hooks.strict': 'true'})
    config.register_hook('order_placed', order_listener)
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    message = str(e.value)
    assert "Unknown hook 'order_placed'" in message
    assert "declared with config.add_hook('order_placed')" in message
    config = make_config({'hooks.strict': 'true'})
    config.add_hook('order_placed', args=('request', 'order'))
    config.register_hook('order_placed', order_listener)
    assert TestApp(config.make_wsgi_app()).get('/hello').json == {
        'hello': 'world'
    }


def test_strict_plugin_namespace_undeclared_hook_says_add_hook():
    config = make_config()
    config.add_hook_namespace('shop')
    config.register_hook('order_placed', order_listener, namespace='shop')
    with pytest.raises(ConfigurationError) as e:
        config.make_wsgi_app()
    assert (
        "declared with config.add_hook('order_placed', namespace='shop')"
        in str(e.value)
    )
