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
